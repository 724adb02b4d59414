"""``crimeprev check``: find the arithmetic and consistency errors in performance reports."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from crimeprev.check.checker import FileCheck, check_file
from crimeprev.check.findings import Finding, Severity
from crimeprev.cli.output import console, err_console, print_json
from crimeprev.model.errors import InputError
from crimeprev.model.wording import plural

EXIT_CLEAN = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def register(app: typer.Typer) -> None:
    app.command("check")(check)


def check(
    files: list[Path] = typer.Argument(
        ..., help="Report files: .docx, .pdf, .html, .md or .txt.", show_default=False, metavar="FILE..."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as a JSON list."),
    min_severity: Severity = typer.Option(
        Severity.NOTE, "--min-severity", help="Show findings of this severity and above.", case_sensitive=False
    ),
) -> None:
    """Recompute the differences, percentages and totals of reports and cross-check repeated figures.

    Exit status: 0 no errors, 1 errors found, 2 a file could not be read.
    """
    results: list[FileCheck] = []
    unreadable = False
    for path in files:
        try:
            results.append(check_file(path))
        except InputError as e:
            unreadable = True
            err_console.print(f"[bold red]error:[/] cannot read {escape(str(e))}", markup=True, highlight=False)
    shown = [(result, tuple(f for f in result.findings if f.severity.rank >= min_severity.rank)) for result in results]
    if as_json:
        print_json([f.to_json() for _, findings in shown for f in findings])
    else:
        for result, findings in shown:
            print_file_check(result, findings)
    if unreadable:
        raise typer.Exit(EXIT_UNREADABLE)
    if any(r.errors for r in results):
        raise typer.Exit(EXIT_ERRORS)


def _counts(findings: tuple[Finding, ...]) -> str:
    parts = []
    for severity in Severity:
        n = sum(1 for f in findings if f.severity is severity)
        if n:
            parts.append(plural(n, severity.value))
    return ", ".join(parts)


def print_file_check(result: FileCheck, findings: tuple[Finding, ...]) -> None:
    """Findings of one file, grouped by section, one line each with the figure and its correction."""
    read = f"{plural(result.tables, 'table')}, {plural(result.paragraphs, 'paragraph')} read"
    if not findings:
        console.print(f"[bold]{escape(result.path)}[/]: no findings ({read})", markup=True)
        return
    console.print(f"[bold]{escape(result.path)}[/]: {_counts(findings)} ({read})", markup=True)
    section: tuple[str, ...] | None = None
    for finding in findings:
        if finding.location.section != section:
            section = finding.location.section
            console.print(f"  [bold]{escape(' › '.join(section) or '(before the first heading)')}[/]", markup=True)
        expected = f" → should be {escape(finding.expected)}" if finding.expected else ""
        console.print(
            f"    [{_STYLE[finding.severity]}]{finding.severity.value:<7}[/] {escape(finding.location.describe())}: "
            f"stated {escape(finding.stated)}{expected}",
            markup=True,
        )
        console.print(f"            {escape(finding.message)} [dim]\\[{finding.rule}][/]", markup=True)
        if finding.evidence:
            used = "; ".join(e.describe() for e in finding.evidence)
            console.print(f"            [dim]from: {escape(used)}[/]", markup=True)

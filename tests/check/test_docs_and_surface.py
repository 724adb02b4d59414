"""docs/check.md documents the command, every option, rule, severity, exit status and format; the
public surface of crimeprev.check is pinned."""

from __future__ import annotations

import re
from pathlib import Path

import typer

import crimeprev.check
from crimeprev.check.findings import Severity
from crimeprev.check.readers import READERS
from crimeprev.check.rules import RULES, rule_named
from crimeprev.cli.check import register

DOCS = (Path(__file__).parents[2] / "docs" / "check.md").read_text(encoding="utf-8")


def test_the_command_and_every_option_are_documented() -> None:
    app = typer.Typer(add_completion=False)
    register(app)
    command = typer.main.get_command(app)
    options = {opt for param in command.params for opt in param.opts if opt.startswith("--")}
    assert options == {"--json", "--min-severity"}
    assert "crimeprev check FILE..." in DOCS
    for option in options:
        assert f"`{option}" in DOCS


def test_every_rule_severity_exit_status_and_format_is_documented() -> None:
    for rule in RULES:
        assert f"| `{rule.name}` |" in DOCS
        assert rule_named(rule.name) is rule
    for severity in Severity:
        assert f"| `{severity.value}` |" in DOCS
    for status in ("| 0 |", "| 1 |", "| 2 |"):
        assert status in DOCS
    for suffix in READERS:
        assert f"`{suffix}`" in DOCS


def test_rule_names_are_unique_and_kebab_case() -> None:
    names = [rule.name for rule in RULES]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z]+(?:-[a-z]+)*", n) for n in names)


def test_public_surface() -> None:
    assert sorted(crimeprev.check.__all__) == [
        "Cell",
        "Document",
        "DocumentBuilder",
        "FileCheck",
        "Finding",
        "Heading",
        "Location",
        "Paragraph",
        "READERS",
        "RULES",
        "Rule",
        "Severity",
        "Table",
        "check_document",
        "check_file",
        "read_document",
    ]

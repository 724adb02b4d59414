"""The real corpus (``tests/check/real``): real public report texts, their planted copies, and the score.

Each text in ``real/texts`` is a real public excerpt with a six-line header (its source); the
manifest says in which format the checker reads it. Text and Markdown are read as written; HTML,
DOCX and PDF are built here from the text, as a converter would (one paragraph per line, a table
for pipe-separated lines, list items for bulleted lines; the PDF as monospaced lines on pages), so
one text serves every format. ``real/plants.yaml`` lists the errors planted in copies: each is one
replacement on one line of the text, made in a copy of its own.

Scoring: a finding (error or warning) at the block holding a planted figure, stating that figure,
finds the plant (for a wrong direction word, any finding in the sentence or row does); a rounding
slip must be reported as a warning, every other plant as an error. Every other finding, on the clean
text or a planted copy, is a false alarm (counted once per text however many copies raise it) unless
the manifest lists it as a natural error.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import docx
import yaml

from crimeprev.check.checker import check_document
from crimeprev.check.document import Document, Location, Paragraph, Table
from crimeprev.check.findings import Finding, Severity
from crimeprev.check.readers import read_document
from tests.check.pdf_writer import write_pdf

REAL = Path(__file__).parent / "real"
HEADER_LINES = 6
FORMATS = ("txt", "md", "html", "docx", "pdf")
KINDS = ("difference", "percent_change", "total", "restatement", "rounding", "share", "direction")
_BULLET = re.compile(r"^\s*[•·\uf0b7\u2022\-\*]\s+")
_NUMBER = re.compile(r"[\d.]+")


@dataclass(frozen=True)
class Plant:
    file: str
    line: int
    kind: str
    find: str
    replace: str
    stated: str
    correct: str
    wording: str


@dataclass(frozen=True)
class NaturalError:
    line: int
    stated: str
    correct: str
    what: str


@dataclass(frozen=True)
class Text:
    file: str
    format: str
    natural: tuple[NaturalError, ...] = ()
    plants: tuple[Plant, ...] = ()

    @property
    def lines(self) -> list[str]:
        return (REAL / "texts" / self.file).read_text(encoding="utf-8").splitlines()

    def header(self) -> dict[str, str]:
        head = self.lines[: HEADER_LINES - 1]
        return dict(line.split(": ", 1) for line in head)

    def body(self, *, planted: bool, only: Plant | None = None) -> list[str]:
        """The document's lines (header removed), with this text's plants (or ``only`` one) applied if
        ``planted``."""
        lines = self.lines
        if lines[HEADER_LINES - 1] != "---":
            raise ValueError(f"{self.file}: the header is not {HEADER_LINES} lines ending with ---")
        for plant in (self.plants if only is None else (only,)) if planted else ():
            text = lines[plant.line - 1]
            if text.count(plant.find) != 1:
                raise ValueError(f"{self.file} line {plant.line}: {plant.find!r} is not on the line exactly once")
            lines[plant.line - 1] = text.replace(plant.find, plant.replace)
        return lines[HEADER_LINES:]


def load_corpus(plants_files: Sequence[Path] | None = None) -> list[Text]:
    """The manifest's texts with their plants (from every ``real/plants*.yaml``)."""
    manifest = yaml.safe_load((REAL / "manifest.yaml").read_text(encoding="utf-8"))
    files = sorted(REAL.glob("plants*.yaml")) if plants_files is None else plants_files
    plants = [Plant(**p) for f in files for p in yaml.safe_load(f.read_text(encoding="utf-8")) or ()]
    texts = []
    for entry in manifest["texts"]:
        natural = tuple(NaturalError(**n) for n in entry.get("natural_errors") or ())
        mine = tuple(p for p in plants if p.file == entry["file"])
        texts.append(Text(entry["file"], entry["format"], natural, mine))
    unknown = {p.file for p in plants} - {t.file for t in texts}
    if unknown:
        raise ValueError(f"plants for files not in the manifest: {sorted(unknown)}")
    return texts


# --- writing a text in its format -------------------------------------------------------------------


_DELIMITER = re.compile(r"^[\s|:\-]+$")


def _pipe_cells(line: str) -> list[str] | None:
    if line.count("|") < 2:
        return None
    if _DELIMITER.match(line):
        return []  # a Markdown header delimiter: a converter drops it
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _runs(lines: Sequence[str]) -> Iterable[tuple[str, list[str]]]:
    """Consecutive lines grouped as ("table", rows) or ("line", [text])."""
    table: list[str] = []
    for line in lines:
        if _pipe_cells(line) is not None:
            table.append(line)
            continue
        if table:
            yield "table", table
            table = []
        yield "line", [line]
    if table:
        yield "table", table


def _write_html(lines: Sequence[str], path: Path) -> None:
    out = ["<!DOCTYPE html>", "<html><head><meta charset='utf-8'><title>report</title></head><body>"]
    for kind, run in _runs(lines):
        if kind == "table":
            rows = ("".join(f"<td>{html.escape(c)}</td>" for c in _pipe_cells(r) or ()) for r in run if _pipe_cells(r))
            out.append("<table>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>")
        elif run[0].strip():
            text = run[0].strip()
            if _BULLET.match(text):
                out.append(f"<ul><li>{html.escape(_BULLET.sub('', text))}</li></ul>")
            else:
                out.append(f"<p>{html.escape(text)}</p>")
    out.append("</body></html>")
    path.write_text("\n".join(out), encoding="utf-8")


def _write_docx(lines: Sequence[str], path: Path) -> None:
    document = docx.Document()
    for kind, run in _runs(lines):
        if kind == "table":
            rows = [cells for r in run if (cells := _pipe_cells(r))]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, cells in enumerate(rows):
                for c, text in enumerate(cells):
                    table.cell(r, c).text = text
        elif run[0].strip():
            document.add_paragraph(run[0].strip())
    document.save(str(path))


def _write_pdf(lines: Sequence[str], path: Path, *, width: int = 150, per_page: int = 44) -> None:
    wrapped: list[str] = []
    for line in lines:  # a Symbol-font bullet (private use U+F0B7) is drawn as a bullet
        wrapped.extend(textwrap.wrap(line.replace("\uf0b7", "•"), width) or [""])
    write_pdf(path, [wrapped[i : i + per_page] for i in range(0, len(wrapped), per_page)])


def write_text(text: Text, folder: Path, *, planted: bool, only: Plant | None = None) -> Path:
    """The text (or its planted copy) written in its manifest format under ``folder``."""
    lines = text.body(planted=planted, only=only)
    stem = Path(text.file).stem + ("-planted" if planted else "")
    path = folder / f"{stem}.{text.format}"
    if text.format in ("txt", "md"):
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif text.format == "html":
        _write_html(lines, path)
    elif text.format == "docx":
        _write_docx(lines, path)
    elif text.format == "pdf":
        _write_pdf(lines, path)
    else:
        raise ValueError(f"{text.file}: unknown format {text.format!r}")
    return path


# --- scoring ------------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return " ".join(text.split())


def _figure(text: str) -> str:
    """A printed figure without signs, separators and units: ``+ 4,312`` and ``4312`` are one figure."""
    return "".join(_NUMBER.findall(text.replace(",", ""))).strip(".")


def _block_texts(document: Document) -> Iterable[tuple[tuple[str, int, int | None], str]]:
    for block in document.blocks:
        if isinstance(block, Paragraph):
            yield ("paragraph", block.location.index, None), _squash(block.text)
        elif isinstance(block, Table):
            for r, row in enumerate(block.rows):
                yield ("table", block.location.index, r + 1), _squash(" ".join(c.text for c in row))


def _place(location: Location) -> tuple[str, int, int | None]:
    return location.kind, location.index, location.row if location.kind == "table" else None


def plant_places(document: Document, plant: Plant) -> set[tuple[str, int, int | None]]:
    """Where the planted words ended up: the blocks (table rows) whose text holds the replacement."""
    words = _squash(plant.replace)
    found = {place for place, text in _block_texts(document) if words in text}
    if not found:  # a reader split the words over blocks: fall back to the planted figure's context
        core = _squash(plant.replace)[: max(12, len(plant.stated) + 8)]
        found = {place for place, text in _block_texts(document) if core in text}
    return found


@dataclass
class Score:
    """Plants found and missed (by kind), false alarms, and the findings behind each."""

    found: Counter[str] = field(default_factory=Counter)
    planted: Counter[str] = field(default_factory=Counter)
    true_findings: int = 0
    false_alarms: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    natural_found: int = 0
    natural: int = 0

    @property
    def precision(self) -> float:
        total = self.true_findings + len(self.false_alarms)
        return self.true_findings / total if total else 1.0

    def recall(self, kind: str | None = None) -> float:
        planted = self.planted[kind] if kind else sum(self.planted.values())
        found = self.found[kind] if kind else sum(self.found.values())
        return found / planted if planted else 1.0


def _counted(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is not Severity.NOTE]


def _matches(finding: Finding, plant: Plant, places: set[tuple[str, int, int | None]]) -> bool:
    at = {_place(finding.location)} | {_place(r) for r in finding.related}
    if not at & places:
        return False
    if plant.kind == "direction":
        return True
    return _figure(finding.stated) == _figure(plant.stated)


def _describe(text: Text, finding: Finding) -> str:
    return f"{text.file}: {finding.location.describe()}: {finding.stated} -> {finding.expected} ({finding.rule})"


def _natural(text: Text, finding: Finding) -> bool:
    return any(_figure(finding.stated) == _figure(n.stated) for n in text.natural)


def score_text(text: Text, folder: Path, score: Score) -> None:
    """Check the clean text and a copy per plant, adding to ``score``."""
    clean = _counted(check_document(read_document(write_text(text, folder, planted=False))))
    alarms: set[str] = set()
    for finding in clean:
        if _natural(text, finding):
            score.true_findings += 1
        else:
            alarms.add(_describe(text, finding))
    score.natural += len(text.natural)
    score.natural_found += sum(1 for n in text.natural if any(_figure(f.stated) == _figure(n.stated) for f in clean))
    for plant in text.plants:
        document = read_document(write_text(text, folder, planted=True, only=plant))
        findings = _counted(check_document(document))
        score.planted[plant.kind] += 1
        places = plant_places(document, plant)
        wanted = Severity.WARNING if plant.kind == "rounding" else Severity.ERROR
        hits = [f for f in findings if _matches(f, plant, places)]
        if any(f.severity is wanted for f in hits):
            score.found[plant.kind] += 1
            score.true_findings += 1
        else:
            score.missed.append(f"{text.file} line {plant.line} {plant.kind}: {plant.find!r} -> {plant.replace!r}")
        for finding in findings:
            if finding not in hits and not _natural(text, finding):
                alarms.add(_describe(text, finding))
    score.false_alarms.extend(sorted(alarms))


def score_corpus(folder: Path, texts: Sequence[Text] | None = None) -> Score:
    score = Score()
    for text in texts if texts is not None else load_corpus():
        score_text(text, folder, score)
    return score

"""Benchmark: the report checker on the real corpus (issue 14): precision, recall and time.

Checks every text of ``tests/check/real`` clean and in a copy per planted error, in the format the
manifest gives it (text, Markdown, HTML, DOCX, PDF), and prints precision (false alarms counted on
the clean texts and on every planted copy), recall overall and per kind, the natural errors found,
and the time: reading alone beside reading and checking, best of ``--repeat`` passes, so the rules'
own cost shows. Run: ``python bench/check.py [--repeat K] [--smoke] [--markdown PATH]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from results import ROOT, Section, ratio

sys.path.insert(0, str(ROOT))

from tests.check.real_corpus import KINDS, Text, load_corpus, score_corpus, write_text

from crimeprev.check.checker import check_document
from crimeprev.check.readers import read_document
from crimeprev.model.wording import plural

PRECISION, RECALL = 0.95, 0.9


def documents(folder: Path, texts: list[Text]) -> list[Path]:
    """Every document the score checks: each clean text and a copy per plant, written once."""
    paths = []
    for text in texts:
        paths.append(write_text(text, folder, planted=False))
        for i, plant in enumerate(text.plants):
            sub = folder / f"{Path(text.file).stem}-{i}"
            sub.mkdir()
            paths.append(write_text(text, sub, planted=True, only=plant))
    return paths


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="Three texts, one pass.")
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args()
    texts = load_corpus()
    if args.smoke:
        texts = texts[:3]
    repeat = 1 if args.smoke else args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        scored, written = Path(tmp) / "score", Path(tmp) / "documents"
        scored.mkdir()
        written.mkdir()
        score = score_corpus(scored, texts)
        paths = documents(written, texts)
        reading = best_of(repeat, lambda: [read_document(p) for p in paths])
        checking = best_of(repeat, lambda: [check_document(read_document(p)) for p in paths])
    plants = sum(score.planted.values())
    section = Section(
        "check",
        f"{len(texts)} real public texts ({', '.join(sorted({t.format for t in texts}))}), each checked clean and "
        f"in a copy per planted error ({plants} plants, {len(paths)} documents); best of {repeat} passes. "
        f"Findings: {score.true_findings} true, {plural(len(score.false_alarms), 'false alarm')}; "
        f"natural errors found {score.natural_found} of {score.natural}.",
        packages=("python-docx",),
        header=("measure", "value", "vs reading alone"),
    )
    section.row("precision (findings that are real errors)", f"{score.precision:.3f}", "")
    section.row("recall, all planted errors", f"{score.recall():.3f} ({sum(score.found.values())}/{plants})", "")
    for kind in KINDS:
        section.row(f"recall, {kind}", f"{score.recall(kind):.3f} ({score.found[kind]}/{score.planted[kind]})", "")
    section.row("reading every document (s)", f"{reading:.2f}", ratio(reading, reading))
    section.row("reading and checking every document (s)", f"{checking:.2f}", ratio(checking, reading))
    section.row("per document, reading and checking (ms)", f"{checking / len(paths) * 1000:.0f}", "")
    section.target(f"precision at least {PRECISION}", score.precision >= PRECISION, f"{score.precision:.3f}")
    worst = min(KINDS, key=score.recall)
    section.target(
        f"recall at least {RECALL}, overall and for each kind",
        score.recall() >= RECALL and score.recall(worst) >= RECALL,
        f"overall {score.recall():.3f}, lowest {worst} {score.recall(worst):.3f}",
    )
    section.target(
        "every natural error found", score.natural_found == score.natural, f"{score.natural_found}/{score.natural}"
    )
    for missed in score.missed:
        section.notes.append(f"- missed: {missed}")
    for alarm in score.false_alarms:
        section.notes.append(f"- false alarm: {alarm}")
    section.publish(args.markdown)


if __name__ == "__main__":
    main()

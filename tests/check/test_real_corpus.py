"""The checker on real papers (``tests/check/real``): precision, recall and the natural errors.

Sixteen real public texts (police, PCC, panel, Home Office, ONS, Scottish Government, PSNI, a CSP, a
fire service), read in five formats, each checked clean and in a copy per planted error. The
figures asserted here are the acceptance of issue 14; ``bench/check.py`` prints the same figures.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from crimeprev.check.checker import check_document
from crimeprev.check.readers import read_document
from tests.check.real_corpus import FORMATS, HEADER_LINES, KINDS, Score, Text, load_corpus, score_corpus, write_text

TEXTS = load_corpus()
SHORT = {"18-warwickshire-fire-rescue-performance-measures.txt"}  # nothing in it can be recomputed


@pytest.fixture(scope="module")
def score(tmp_path_factory: pytest.TempPathFactory) -> Score:
    return score_corpus(tmp_path_factory.mktemp("real"), TEXTS)


def test_the_corpus_is_real_varied_and_planted() -> None:
    assert len(TEXTS) >= 15
    assert {t.format for t in TEXTS} == set(FORMATS)
    for text in TEXTS:
        header = text.header()
        assert header["source"].startswith("https://") and header["publisher"], text.file
        assert len(text.plants) >= 3 or text.file in SHORT, text.file
        for plant in text.plants:  # each plant changes its one line, and only that
            planted, clean = text.body(planted=True, only=plant), text.body(planted=False)
            changed = [k for k, (a, b) in enumerate(zip(planted, clean, strict=True)) if a != b]
            assert changed == [plant.line - HEADER_LINES - 1], plant
    kinds = Counter(p.kind for t in TEXTS for p in t.plants)
    assert set(kinds) == set(KINDS)
    assert min(kinds.values()) >= 10, kinds


def test_precision_of_findings_is_at_least_0_95(score: Score) -> None:
    assert score.precision >= 0.95, score.false_alarms


@pytest.mark.parametrize("kind", [None, *KINDS])
def test_recall_of_planted_errors_is_at_least_0_9(score: Score, kind: str | None) -> None:
    assert score.recall(kind) >= 0.9, [m for m in score.missed if kind is None or f" {kind}:" in m]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _natural(text: Text, tmp_path: Path) -> list[tuple[str, str | None, str]]:
    """(stated, expected, block text) of each clean-text finding."""
    document = read_document(write_text(text, tmp_path, planted=False))
    blocks = {(b.location.kind, b.location.index): b for b in document.blocks}
    out = []
    for finding in check_document(document):
        block = blocks[(finding.location.kind, finding.location.index)]
        out.append((finding.stated, finding.expected, _squash(getattr(block, "text", ""))))
    return out


@pytest.mark.parametrize("text", [t for t in TEXTS if t.natural], ids=lambda t: t.file[:2])
def test_every_natural_error_is_found_at_its_place_with_its_correction(text: Text, tmp_path: Path) -> None:
    found = _natural(text, tmp_path)
    for error in text.natural:
        line = _squash(text.lines[error.line - 1])
        assert any(
            stated == error.stated and expected == error.correct and line in block for stated, expected, block in found
        ), (error, found)
    assert len(found) == len(text.natural)


@pytest.mark.parametrize("text", [t for t in TEXTS if not t.natural], ids=lambda t: t.file[:2])
def test_the_other_texts_check_clean(text: Text, tmp_path: Path) -> None:
    assert _natural(text, tmp_path) == []


UNSEEN = sorted((Path(__file__).parent / "unseen").iterdir())


@pytest.mark.parametrize("path", [p for p in UNSEEN if p.name != "README.md"], ids=lambda p: p.name[:24])
def test_texts_the_checker_was_not_tuned_on_raise_no_false_alarm(path: Path) -> None:
    # Each was worked out by hand: none holds an arithmetic error (see unseen/README.md).
    assert check_document(read_document(path)) == ()

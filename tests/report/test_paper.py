"""The paper a commissioner's office accepts: plain verdicts, the full template, formatted, concise."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest

from crimeprev.indicators.compare import OK, Comparison
from crimeprev.indicators.insights import IndicatorResult
from crimeprev.indicators.strategy_file import load_strategy
from crimeprev.model.change import compute_change
from crimeprev.report.verdicts import plain_sentence
from crimeprev.stats.verdict import forbidden_words, judge_change

TEMPLATE = [
    "1 Purpose of report", "2 Recommendations", "3 Executive summary", "4 Introduction",
    "5 Current work and performance", "5.5 Delivery and challenges by exception", "6 Implications",
    "6.1 Strands at risk", "6.2 Links to plan priorities", "6.3 Demand", "6.4 Equality and human rights",
    "6.5 Health and safety", "6.6 Finance", "6.7 Risk", "7 Consultation", "8 Actions for improvement",
    "9 Future work", "A Appendix A: charts and breakdowns", "B Appendix B: technical annex",
]  # fmt: skip
STATISTICS = re.compile(r"\bp\s*[=<]\s*0?\.\d|p-value|Poisson|overdispers|common cause|special cause|Making Data Count"
                        r"|XmR|significan|confidence interval", re.IGNORECASE)  # fmt: skip


def _headings_and_body(path: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """Headings in order, and each body paragraph with the strand (level-3 heading) it is under."""
    document = docx.Document(str(path))
    headings, body = [], []
    strand = ""
    for p in document.paragraphs:
        style = p.style.name if p.style is not None else ""
        if style.startswith("Heading"):
            headings.append(p.text)
            if style == "Heading 3":
                strand = p.text
            if p.text.startswith("A Appendix"):
                break
        elif p.text.strip():
            body.append((strand, p.text))
    return headings, body


def test_every_section_of_the_template_is_present(demo_report: dict[str, Path]) -> None:
    document = docx.Document(str(demo_report["docx"]))
    every = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert [h for h in every if h in TEMPLATE] == TEMPLATE


def test_no_test_name_or_p_value_in_the_body_and_no_two_verdicts(demo_report: dict[str, Path]) -> None:
    _, body = _headings_and_body(demo_report["docx"])
    assert len(body) > 200
    leaks = [text for _, text in body if STATISTICS.search(text)]
    assert leaks == []
    by_strand: dict[str, str] = {}
    for strand, text in body:
        by_strand[strand] = by_strand.get(strand, "") + " " + text.lower()
    assert not [s for s, text in by_strand.items() if "significant" in text and "common cause" in text]
    annex = "\n".join(p.text for p in docx.Document(str(demo_report["docx"])).paragraphs)
    assert "quasi-Poisson" in annex and "XmR" in annex  # the methods are in the annex


def test_every_count_cell_has_thousands_separators(demo_report: dict[str, Path]) -> None:
    document = docx.Document(str(demo_report["docx"]))
    cells = [cell.text.strip() for table in document.tables for row in table.rows for cell in row.cells]
    assert len(cells) > 500
    assert [c for c in cells if re.fullmatch(r"[-+]?\d{4,}(\.\d+)?", c)] == []
    assert "2,725" in cells and "2,910" in cells


def test_the_body_fits_in_22_pages(demo_report: dict[str, Path]) -> None:
    pdf = demo_report["pdf"]
    pages = int(
        re.search(
            r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        ).group(1)
    )  # type: ignore[union-attr]
    first_appendix = next(
        n for n in range(1, pages + 1)
        if "Appendix A: charts and breakdowns" in subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split("Contents")[-1] and n > 2
    )  # fmt: skip
    assert first_appendix - 1 <= 22


def _result(previous: list[float], current: list[float]) -> tuple[IndicatorResult, Comparison]:
    strand = load_strategy().strands()[0]
    indicator = strand.indicators[0]
    verdict = judge_change(sum(previous), sum(current), previous_months=previous, current_months=current,
                           direction=indicator.good)  # fmt: skip
    comparison = Comparison(
        kind="rolling_12_months", previous_label="12 months ending Mar 23", current_label="12 months ending Mar 24",
        previous=sum(previous), current=sum(current), change=compute_change(sum(previous), sum(current)),
        status=OK, reason=None, verdict=verdict,
    )  # fmt: skip
    result = IndicatorResult(strand=strand, indicator=indicator, as_of=date(2024, 3, 1), comparisons=(comparison,),
                             series=(), breakdowns=(), periods=())  # fmt: skip
    return result, comparison


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        ([240.0] * 12, [242.0, 238.0] * 6, "Knife crime offences: 2,880 in the 12 months to March 2024, the same as in "
         "the previous 12 months."),
        ([250.0, 230.0] * 6, [235.0, 225.0] * 6, "Knife crime offences: 2,760 in the 12 months to March 2024, against "
         "2,880 in the previous 12 months (a difference of -120, or -4.2%). This is within the usual variation"),
        ([300.0] * 12, [200.0] * 12, "Knife crime offences fell by 1,200 (33.3%) to 2,400 in the 12 months to March "
         "2024, from 3,600 in the previous 12 months. This is more than the usual variation from year to year: a "
         "real change, for the better."),
    ],
)  # fmt: skip
def test_one_plain_verdict_per_figure(previous: list[float], current: list[float], expected: str) -> None:
    result, comparison = _result(previous, current)
    text = plain_sentence(result, comparison)
    assert text.startswith(expected)
    assert not STATISTICS.search(text)
    if comparison.verdict is not None and not comparison.verdict.significant:
        assert forbidden_words(text) == []  # no "rise" or "fall" for a change within noise

"""Writing the report: charts drawn once and shared, the worker process, the same files either way."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema

from crimeprev.delivery.plan import DeliveryPlan
from crimeprev.indicators.insights import evaluate_strategy
from crimeprev.indicators.strategy_file import load_strategy
from crimeprev.model.errors import OutputError
from crimeprev.report.build import ReportInputs, build_report
from crimeprev.report.chart_images import draw_chart, rasterise
from crimeprev.report.document import Document
from crimeprev.report.metadata import load_metadata
from crimeprev.report.publish import write_report
from crimeprev.report.render_worker import start_render_worker
from crimeprev.store.warehouse import Warehouse

AS_OF = date(2024, 3, 1)


@pytest.fixture(scope="module")
def document(demo_store: Path) -> Document:
    strategy = load_strategy()
    with Warehouse.open(demo_store, read_only=True) as warehouse:
        results = evaluate_strategy(warehouse.ibis(), strategy, AS_OF, strand="knife-crime")
    return build_report(ReportInputs(strategy, results, load_metadata(None), DeliveryPlan(), AS_OF))


def test_every_chart_of_the_demo_report_is_valid_vega_lite(document: Document) -> None:
    # Specs are built without Altair's validation on every report (it cost 0.3 s); it is checked here.
    schema = load_schema()
    charts = document.charts()
    assert charts
    for chart in charts:
        validate_jsonschema(chart.spec, schema)


def test_the_png_is_the_svg_rasterised(document: Document) -> None:
    chart = document.charts()[0]
    image = draw_chart(chart.spec, png=True)
    assert image.svg.startswith("<svg") and image.png is not None and image.png.startswith(b"\x89PNG")
    assert rasterise(image.svg) == image.png


def docx_parts(path: Path) -> dict[str, bytes]:
    """The DOCX's body and images (its core properties hold the time it was written)."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n == "word/document.xml" or n.startswith("word/media/")}


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_the_worker_writes_the_same_files(document: Document, tmp_path: Path) -> None:
    alone = write_report(document, tmp_path / "alone", ["docx", "pdf", "html"], parallel=False)
    shared = write_report(document, tmp_path / "shared", ["docx", "pdf", "html"], parallel=True)
    assert docx_parts(alone["docx"]) == docx_parts(shared["docx"])
    assert any(name.startswith("word/media/") for name in docx_parts(alone["docx"]))
    assert pdf_text(alone["pdf"]) == pdf_text(shared["pdf"])
    assert "Knife crime" in pdf_text(shared["pdf"])
    assert alone["html"].read_text(encoding="utf-8") == shared["html"].read_text(encoding="utf-8")


def test_a_worker_error_reaches_the_caller_and_the_worker_stops(document: Document, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the PDF's folder should be")
    with start_render_worker() as worker:
        worker.submit("typeset_pdf", "<p>x</p>", blocked / "report.pdf")
        with pytest.raises(OSError):
            worker.result()
        worker.submit("draw_svgs", [("c", document.charts()[0].spec)])  # still serving after an error
        assert worker.result()["c"].startswith("<svg")
    assert worker._process.returncode == 0


def test_a_dead_worker_is_a_clear_error() -> None:
    worker = start_render_worker()
    worker._process.kill()
    worker._process.wait()
    with pytest.raises(OutputError, match="worker process ended"):
        worker.submit("draw_svgs", [])
        worker.result()
    worker.close()


def test_a_script_without_a_main_guard_can_write_in_parallel(demo_store: Path, tmp_path: Path) -> None:
    # The worker is started with `python -m`, so it never re-imports the caller's script.
    script = tmp_path / "script.py"
    script.write_text(
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from crimeprev.delivery.plan import DeliveryPlan\n"
        "from crimeprev.indicators.insights import evaluate_strategy\n"
        "from crimeprev.indicators.strategy_file import load_strategy\n"
        "from crimeprev.report.build import ReportInputs, build_report\n"
        "from crimeprev.report.metadata import load_metadata\n"
        "from crimeprev.report.publish import write_report\n"
        "from crimeprev.store.warehouse import Warehouse\n"
        "strategy = load_strategy()\n"
        f"with Warehouse.open(Path({str(demo_store)!r}), read_only=True) as w:\n"
        "    results = evaluate_strategy(w.ibis(), strategy, date(2024, 3, 1), strand='hate-crime')\n"
        "doc = build_report(ReportInputs(strategy, results, load_metadata(None), DeliveryPlan(), date(2024, 3, 1)))\n"
        f"paths = write_report(doc, Path({str(tmp_path / 'out')!r}), ['pdf', 'html'], parallel=True)\n"
        "print(sorted(p.suffix for p in paths.values()))\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['.html', '.pdf']"
    assert "Hate crime" in pdf_text(tmp_path / "out" / next(p.name for p in (tmp_path / "out").glob("*.pdf")))

"""The paper from the tracker: the same paper as from the files, and a change in the tracker shows in it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import docx
from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.delivery.actions import ActionDraft
from crimeprev.store.app_store import open_app_store

DATA = Path(__file__).parents[2] / "src" / "crimeprev" / "data"
HALF_YEAR = re.compile(r" \((?:Oct|Apr) \d{4} to (?:Mar|Sep) \d{4}\)$")
DELIVERY, NARRATIVE = DATA / "essex-2023-24-delivery.yaml", DATA / "essex-2023-24-narrative.yaml"


def paragraphs(path: Path) -> list[str]:
    # The tracker knows the half-years' dates, which the demo's delivery file leaves out: the headings
    # "Delivery achieved (Oct 2023 to Mar 2024)" are compared without them.
    return [HALF_YEAR.sub("", p.text) for p in docx.Document(str(path)).paragraphs]


def test_the_paper_from_the_tracker_is_the_paper_from_the_files_and_shows_a_new_action(
    demo_store: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    app_db = str(tmp_path / "app.sqlite")
    base = ["--store", str(demo_store)]
    for args in (
        ["delivery", "import", str(DELIVERY), "--reported", "2024-03"],
        ["narrative", "import", str(NARRATIVE)],
    ):
        done = runner.invoke(app, [*base, *args, "--app-db", app_db])
        assert done.exit_code == 0, done.output
    report = [*base, "report", "--as-of", "2024-03", "--format", "docx", "--serial"]
    files = runner.invoke(
        app, [*report, "--out", str(tmp_path / "files"), "--delivery", str(DELIVERY), "--narrative", str(NARRATIVE)]
    )
    assert files.exit_code == 0, files.output
    tracked = runner.invoke(app, [*report, "--out", str(tmp_path / "tracker"), "--tracker", "--app-db", app_db])
    assert tracked.exit_code == 0, tracked.output
    (from_files,) = (tmp_path / "files").iterdir()
    (from_tracker,) = (tmp_path / "tracker").iterdir()
    assert paragraphs(from_tracker) == paragraphs(from_files)

    store = open_app_store(f"sqlite:///{app_db}")
    store.add_action(
        ActionDraft("knife-crime", "Knife arches at every railway station in June", "2024-09", owner="Insp Patel"),
        by="lead.knife",
        now=datetime.now(UTC),
    )
    store.close()
    again = runner.invoke(app, [*report, "--out", str(tmp_path / "again"), "--tracker", "--app-db", app_db])
    assert again.exit_code == 0, again.output
    (updated,) = (tmp_path / "again").iterdir()
    text = "\n".join(paragraphs(updated))
    assert "Knife arches at every railway station in June" in text
    assert "Knife arches at every railway station in June" not in "\n".join(paragraphs(from_files))

    both = runner.invoke(app, [*report, "--out", str(tmp_path / "x"), "--tracker", "--delivery", str(DELIVERY)])
    assert both.exit_code == 1 and "drop --delivery" in both.output

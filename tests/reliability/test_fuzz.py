"""Issue 16: property-based fuzzing of every importer, every YAML loader and the checker's readers.

Whatever the bytes, each either succeeds or raises crimeprev's own one-line error: no other
exception, no hang, and no partial state (an ingest that raises leaves the store as it was; one
that succeeds reconciles ``read = loaded + quarantined``). Inputs are mutations of real files
(a data.police.uk excerpt, a force extract, an aggregate file, the bundled strategy) and raw
bytes; any crash found becomes a regression case here.
"""

from __future__ import annotations

import contextlib
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crimeprev.check.readers import read_document
from crimeprev.delivery.plan import load_delivery
from crimeprev.indicators.strategy_file import bundled_strategy, load_strategy
from crimeprev.model.errors import CrimeprevError
from crimeprev.operations.ledger import load_ledger
from crimeprev.report.metadata import load_metadata
from crimeprev.sources.extract import load_mapping
from crimeprev.sources.ingest import ingest
from crimeprev.sources.registry import ImportOptions, get_importer
from tests.conftest import DATA, POLICE_UK, snapshot

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KEY = b"a-fuzzing-key-of-enough-length"


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few bytes flipped, deleted, duplicated or inserted (quotes, commas, breaks)."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "delete", "insert", "duplicate", "truncate"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "insert":
            data[at:at] = draw(st.sampled_from([b'"', b",", b"\n", b"\r\n", b'""', b"\x00", b"\xff\xfe", b"[x]"]))
        elif action == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        else:
            del data[at:]
    return bytes(data)


def ingest_bytes(tmp_path: Path, name: str, data: bytes, importer: str, options: ImportOptions) -> None:
    """Ingest ``data`` as the file ``name`` into a store holding the excerpts; check every promise."""
    work = tmp_path / f"run-{abs(hash(data)) % 10**12}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    store = work / "store.duckdb"
    ingest(store, get_importer("police-uk"), [POLICE_UK], ImportOptions(), now=datetime(2026, 1, 1))
    before = snapshot(store)
    source = work / name
    source.write_bytes(data)
    try:
        report = ingest(store, get_importer(importer), [source], options, now=datetime(2026, 1, 2))
    except CrimeprevError:
        report = None
    if report is None:
        assert snapshot(store) == before  # refused whole: nothing written
    else:
        assert report.read == report.loaded + report.quarantined


POLICE_UK_BYTES = (POLICE_UK / "2018-01-essex-street.csv").read_bytes()[:6000]
EXTRACT_BYTES = (DATA / "extract" / "crimes.csv").read_bytes()
MEASURES_BYTES = (DATA / "measures.csv").read_bytes()


@FUZZ
@given(data=mutated(POLICE_UK_BYTES))
@example(data=POLICE_UK_BYTES.replace(b"\n", b'\r"\n', 1))  # found by this test: a quote in the header
def test_police_uk_importer(tmp_path: Path, data: bytes) -> None:
    ingest_bytes(tmp_path, "2018-01-essex-street.csv", data, "police-uk", ImportOptions())


@FUZZ
@given(data=mutated(EXTRACT_BYTES))
def test_extract_importer(tmp_path: Path, data: bytes) -> None:
    options = ImportOptions(mapping=DATA / "extract" / "crimes.mapping.yaml", pseudonym_key=KEY)
    ingest_bytes(tmp_path, "crimes.csv", data, "extract", options)


@FUZZ
@given(data=mutated(MEASURES_BYTES))
@example(data=b"measure,period_start,period_end,value,unit,Measure\nsoc_arrests,2023-04-01,2024-03-31,1,count,x\n")
def test_measures_importer(tmp_path: Path, data: bytes) -> None:
    ingest_bytes(tmp_path, "figures.csv", data, "measures", ImportOptions())


@FUZZ
@given(data=st.binary(max_size=400))
def test_any_bytes_as_a_csv(tmp_path: Path, data: bytes) -> None:
    ingest_bytes(tmp_path, "2018-01-essex-street.csv", data, "police-uk", ImportOptions())


YAML_DOCUMENTS = {
    "strategy": (bundled_strategy().read_bytes()[:5000], load_strategy),
    "mapping": ((DATA / "extract" / "crimes.mapping.yaml").read_bytes(), lambda p: load_mapping.__wrapped__(p)),
    "delivery": (b"strands:\n  knife-crime:\n    lead: Superintendent\n    achieved: [a, b]\n", load_delivery),
    "metadata": (b"title: Report\ncover:\n  agenda_item: 5\n", load_metadata),
    "ledger": (b"operations:\n  - id: op\n    name: Op\n    strand: s\n    indicators: [x]\n", load_ledger),
}


@pytest.mark.parametrize("kind", sorted(YAML_DOCUMENTS))
@FUZZ
@given(seed=st.data())
def test_yaml_loaders(tmp_path: Path, kind: str, seed: st.DataObject) -> None:
    original, load = YAML_DOCUMENTS[kind]
    data = seed.draw(mutated(original))
    path = tmp_path / f"{kind}.yaml"
    path.write_bytes(data)
    with contextlib.suppress(CrimeprevError):  # its own one-line error is fine; anything else fails
        load(path)


READER_SEEDS = {
    ".md": b"# Crime\n\n| Crime | 2022 | 2023 | Diff |\n|---|---|---|---|\n| Burglary | 100 | 90 | -10 |\n",
    ".txt": b"Burglary fell from 100 to 90, a reduction of 10%.\nTotal 190\n",
    ".html": b"<h1>Crime</h1><table><tr><th>x</th><th>2023</th></tr><tr><td>a</td><td>1,234</td></tr></table>",
    ".docx": b"PK\x03\x04" + bytes(60),
    ".pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
}


@pytest.mark.parametrize("suffix", sorted(READER_SEEDS))
@FUZZ
@given(seed=st.data())
def test_checker_readers(tmp_path: Path, suffix: str, seed: st.DataObject) -> None:
    data = seed.draw(mutated(READER_SEEDS[suffix]))
    path = tmp_path / f"report{suffix}"
    path.write_bytes(data)
    with contextlib.suppress(CrimeprevError):
        read_document(path)


def test_the_seeds_are_valid_input(tmp_path: Path) -> None:
    # Mutations start from real, clean files: unmutated, each seed loads with nothing quarantined.
    for name, data, importer, options in [
        ("2018-01-essex-street.csv", POLICE_UK_BYTES[: POLICE_UK_BYTES.rfind(b"\n") + 1], "police-uk", ImportOptions()),
        ("crimes.csv", EXTRACT_BYTES, "extract", ImportOptions(mapping=DATA / "extract" / "crimes.mapping.yaml",
                                                               pseudonym_key=KEY)),
        ("figures.csv", MEASURES_BYTES, "measures", ImportOptions()),
    ]:  # fmt: skip
        store = tmp_path / f"{importer}.duckdb"
        (tmp_path / name).write_bytes(data)
        report = ingest(store, get_importer(importer), [tmp_path / name], options, now=datetime(2026, 1, 1))
        assert report.read > 0 and report.quarantined == 0, name

"""Every YAML input refuses a misspelt key or an unknown strand id, naming file, line and choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from crimeprev.delivery.plan import load_delivery
from crimeprev.indicators.strategy_file import bundled_strategy, load_strategy
from crimeprev.model.errors import InputError
from crimeprev.operations.ledger import load_ledger
from crimeprev.report.metadata import load_metadata
from crimeprev.sources.extract import load_mapping

DATA = Path(__file__).parents[2] / "src" / "crimeprev" / "data"
MAPPING = Path(__file__).parents[1] / "data" / "extract" / "crimes.mapping.yaml"
STRATEGY = load_strategy()


def misspelt(tmp_path: Path, source: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of ``source`` with the first ``old`` replaced by ``new``, and the line it is on."""
    text = source.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / source.name
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    return bad, text[: text.index(old)].count("\n") + 1


def raised(load: object, path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load(path)  # type: ignore[operator]
    return caught.value


CASES = [
    ("delivery", DATA / "essex-2023-24-delivery.yaml", "    achieved:", "    achived:", "achived",
     "lead, achieved, scheduled, slipped", lambda p: load_delivery(p, STRATEGY)),
    ("metadata", DATA / "report-metadata-essex.yaml", "recommendations:", "recomendations:", "recomendations",
     "purpose, recommendations", lambda p: load_metadata(p, STRATEGY)),
    ("ledger", DATA / "operations-essex.yaml", "    starts_on:", "    start_on:", "start_on",
     "starts_on, ends_on", lambda p: load_ledger(p, STRATEGY)),
    ("mapping", MAPPING, "columns:", "colums:", "colums", "columns", load_mapping),
    ("strategy", bundled_strategy(), "    repeat_indicators:", "    repeat_indicator:", "repeat_indicator",
     "zone_indicators, zone_buffer_m, repeat_indicators", load_strategy),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "source", "old", "new", "key", "choices", "load"), CASES, ids=[c[0] for c in CASES])
def test_a_misspelt_key_names_file_line_and_the_valid_keys(
    tmp_path: Path, kind: str, source: Path, old: str, new: str, key: str, choices: str, load: object
) -> None:
    load(source)  # type: ignore[operator]  # the shipped file is valid
    bad, line = misspelt(tmp_path, source, old, new)
    error = raised(load, bad)
    assert error.path == str(bad) and error.line == line, str(error)
    assert f"unknown key '{key}'" in str(error) and choices in str(error)


STRAND_CASES = [
    ("delivery", DATA / "essex-2023-24-delivery.yaml", "  domestic-abuse:", "  domestic_abuse:",
     lambda p: load_delivery(p, STRATEGY)),
    ("metadata", DATA / "report-metadata-essex.yaml", "  knife-crime:", "  knife_crime:",
     lambda p: load_metadata(p, STRATEGY)),
    ("ledger", DATA / "operations-essex.yaml", "strand: burglary-and-robbery", "strand: burglary",
     lambda p: load_ledger(p, STRATEGY)),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "source", "old", "new", "load"), STRAND_CASES, ids=[c[0] for c in STRAND_CASES])
def test_an_unknown_strand_id_names_the_line_and_the_strategy_strands(
    tmp_path: Path, kind: str, source: Path, old: str, new: str, load: object
) -> None:
    bad, line = misspelt(tmp_path, source, old, new)
    error = raised(load, bad)
    assert error.line == line, str(error)
    assert "is not a strand id of the strategy" in str(error) and "domestic-abuse, drugs-and-alcohol" in str(error)


def test_an_operation_names_only_its_strands_indicators(tmp_path: Path) -> None:
    bad, line = misspelt(tmp_path, DATA / "operations-essex.yaml", "residential_burglary_offences",
                         "residential_burglaries")  # fmt: skip
    error = raised(lambda p: load_ledger(p, STRATEGY), bad)
    assert error.line == line and "'residential_burglaries' is not a indicator of strand" not in str(error)
    assert "is not an indicator of strand burglary-and-robbery" in str(error)
    assert "residential_burglary_offences" in str(error)


def test_a_repeated_key_is_refused_not_silently_overwritten(tmp_path: Path) -> None:
    text = (DATA / "essex-2023-24-delivery.yaml").read_text(encoding="utf-8")
    block = text[text.index("  knife-crime:") : text.index("  rape:")]
    bad = tmp_path / "delivery.yaml"
    bad.write_text(text.replace("  rape:", block + "  rape:", 1), encoding="utf-8")
    error = raised(lambda p: load_delivery(p, STRATEGY), bad)
    assert "the key 'knife-crime' appears twice" in str(error) and error.line is not None


def test_a_missing_ledger_is_an_error_not_an_empty_list(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from crimeprev.cli.app import app

    store = tmp_path / "s.duckdb"
    missing = tmp_path / "ledger.yml"
    result = CliRunner().invoke(
        app, ["--store", str(store), "operations", "evaluate", "Op X", "--ledger", str(missing)]
    )
    assert result.exit_code == 1 and "no such ledger file" in result.stderr

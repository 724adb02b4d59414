"""Coverage-guided fuzzing (atheris, libFuzzer) of the CSV importers: data.police.uk, extract, measures.

Each input is written as a file and read by one importer (chosen by the input's first byte),
seeded with the real excerpts in ``tests/data``. An input may be refused with crimeprev's own
error or read with every row accounted for (a batch's rows plus its rejects); any other
exception, or a row count that does not add up, is a crash: libFuzzer stops, saves the input
as ``crash-*`` and this benchmark fails. Runs for ``--seconds`` (each importer in turn).
Run: ``python bench/fuzz_csv.py [--seconds N] [--smoke] [--markdown PATH]``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from results import Section

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
KEY = b"a-fuzzing-key-of-enough-length"
TARGETS = {
    "police-uk": ("2018-01-essex-street.csv", [DATA / "police_uk" / "2018-01-essex-street.csv"]),
    "extract": ("crimes.csv", [DATA / "extract" / "crimes.csv"]),
    "measures": ("figures.csv", [DATA / "measures.csv"]),
}


def fuzz_one(importer_name: str, seconds: int, work: Path) -> dict[str, float]:
    """Run libFuzzer on one importer in a child process; its statistics, or SystemExit on a crash."""
    corpus = work / f"corpus-{importer_name}"
    corpus.mkdir()
    for seed in TARGETS[importer_name][1]:
        shutil.copy(seed, corpus / seed.name)
        shutil.copy(seed, corpus / f"head-{seed.name}")
        (corpus / f"head-{seed.name}").write_bytes(seed.read_bytes()[:3000])
    done = subprocess.run(
        [sys.executable, __file__, "--child", importer_name, str(work), f"-max_total_time={seconds}",
         "-rss_limit_mb=3072", "-seed=16", "-print_final_stats=1", str(corpus)],
        capture_output=True, text=True, cwd=work,
    )  # fmt: skip
    if done.returncode != 0:
        print(done.stderr[-4000:], file=sys.stderr)
        raise SystemExit(f"{importer_name}: the fuzzer found a crash (inputs saved in {work})")
    runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", done.stderr)
    cov = re.findall(r"cov: (\d+)", done.stderr)
    return {"runs": float(runs.group(1)) if runs else 0.0, "coverage": float(cov[-1]) if cov else 0.0}


def child(importer_name: str, work: Path, libfuzzer_args: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["crimeprev"]):  # everything the importers run, for coverage
        import crimeprev.sources.csv_blocks
        import crimeprev.sources.extract
        import crimeprev.sources.fields
        import crimeprev.sources.measures
        import crimeprev.sources.police_uk
        import crimeprev.sources.redaction
        import crimeprev.sources.row_checks  # noqa: F401
        from crimeprev.model.errors import CrimeprevError
        from crimeprev.sources.registry import ImportOptions, SourceFile, get_importer

        importer = get_importer(importer_name)
    options = ImportOptions(mapping=DATA / "extract" / "crimes.mapping.yaml", pseudonym_key=KEY)
    path = work / TARGETS[importer_name][0]

    def one_input(data: bytes) -> None:
        path.write_bytes(data)
        try:
            for batch in importer.read(SourceFile(path, "fuzz"), options):
                assert batch.rows == sum(t.num_rows for t in batch.tables.values()) + len(batch.rejected)
                assert all(r.line >= 2 for r in batch.rejected), "a reject names a line before the first row"
        except CrimeprevError:
            pass

    atheris.Setup([sys.argv[0], *libfuzzer_args], one_input)
    atheris.Fuzz()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]), sys.argv[4:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="Fuzzing time per importer.")
    parser.add_argument("--smoke", action="store_true", help="Three seconds per importer.")
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args()
    seconds = 3 if args.smoke else args.seconds
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in TARGETS:
            work = Path(tmp) / name
            work.mkdir()
            results[name] = fuzz_one(name, seconds, work)
    section = Section(
        "fuzz_csv",
        f"Coverage-guided fuzzing with atheris (libFuzzer), {seconds} s per importer, seeded with the real excerpts "
        "in tests/data. Every input was either refused with crimeprev's own error or read with every row "
        "accounted for; a crash would stop the run and fail it.",
        packages=("atheris",),
        header=("importer", "inputs run", "coverage (edges)"),
    )
    for name, stats in results.items():
        section.row(name, f"{stats['runs']:,.0f}", f"{stats['coverage']:,.0f}")
    section.target("no crash", True, f"{sum(s['runs'] for s in results.values()):,.0f} inputs")
    section.publish(args.markdown)


if __name__ == "__main__":
    main()

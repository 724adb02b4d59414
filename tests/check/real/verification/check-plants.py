"""Check ../plants.yaml and ../plants-C.yaml against the texts they plant errors in.

Each plant is applied alone, to a copy of its own (tests/check/real_corpus.py), so plants of one text may share
a line, a statement or a chain of figures; what is checked is that each one, on its own, is a well-formed
replacement. Asserts: every plant's file exists and is in the manifest; its keys are the eight expected ones, in
order; its kind is known; `find` occurs exactly once on the given line (a body line, after the 6-line header)
and exactly once in the whole file, unless that line's whole text is repeated verbatim elsewhere in the file
(a table row or a one-cell line given twice), in which case `find` must be the whole line so that the line
number alone picks the copy; `replace` differs from `find` and contains `stated`; `find` contains `correct`
(and, where `correct` occurs once in `find`, `replace` is `find` with that one figure or word changed); no plant
sits on a line the manifest lists as holding a natural error; no two plants are the same replacement; every kind
has at least 10 plants across both files; every text has at least 3 plants, unless it is listed in SHORT with
the reason. Prints the counts per kind and per file.

Run: python3 tests/check/real/verification/check-plants.py (exit status 1 on a failed check).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

REAL = Path(__file__).resolve().parent.parent
TEXTS = REAL / "texts"
PLANT_FILES = (REAL / "plants.yaml", REAL / "plants-C.yaml")
MANIFEST = REAL / "manifest.yaml"
HEADER_LINES = 6
KEYS = ["file", "line", "kind", "find", "replace", "stated", "correct", "wording"]
KINDS = ("difference", "percent_change", "total", "restatement", "rounding", "share", "direction")
MIN_PER_KIND = 10
MIN_PER_FILE = 3

# Texts that cannot hold 3 plants, and why (the verification files list their checkable statements).
SHORT = {
    "18-warwickshire-fire-rescue-performance-measures.txt": "nothing can be recomputed: yearly actuals, aims and"
    " year-to-date figures with no totals, changes, shares or rates with bases (verification-B lists no statement)",
}


def natural_error_lines() -> set[tuple[str, int]]:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return {
        (entry["file"], error["line"]) for entry in manifest["texts"] for error in entry.get("natural_errors") or ()
    }


def check_plant(plant: dict[str, object], where: str, text: str) -> list[str]:
    failures: list[str] = []
    lines = text.splitlines()
    find, replace, stated, correct = (str(plant[k]) for k in ("find", "replace", "stated", "correct"))
    line = plant["line"]
    if not isinstance(line, int) or not HEADER_LINES < line <= len(lines):
        return [f"{where}: line is not a body line ({HEADER_LINES + 1} to {len(lines)})"]
    body = lines[line - 1]
    if body.count(find) != 1:
        failures.append(f"{where}: find {find!r} is not on line {line} exactly once")
    if text.count(find) != 1:
        repeated = find == body and sum(other == body for other in lines) > 1
        if not repeated:
            failures.append(
                f"{where}: find {find!r} occurs {text.count(find)} times in the file (and is not a whole line"
                " repeated verbatim)"
            )
    if replace == find:
        failures.append(f"{where}: replace equals find")
    if stated not in replace:
        failures.append(f"{where}: stated {stated!r} not in replace {replace!r}")
    if correct not in find:
        failures.append(f"{where}: correct {correct!r} not in find {find!r}")
    if stated == correct:
        failures.append(f"{where}: stated equals correct")
    if find.count(correct) == 1 and replace != find.replace(correct, stated):
        failures.append(f"{where}: replace is not find with {correct!r} changed to {stated!r}")
    return failures


def check() -> list[str]:
    failures: list[str] = []
    manifest_files = {entry["file"] for entry in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["texts"]}
    natural = natural_error_lines()
    plants: list[dict[str, object]] = []
    texts: dict[str, str] = {}
    seen: set[tuple[object, ...]] = set()

    for source in PLANT_FILES:
        loaded = yaml.safe_load(source.read_text(encoding="utf-8")) or []
        for n, plant in enumerate(loaded, 1):
            where = f"{source.name} plant {n} ({plant.get('file')} line {plant.get('line')})"
            if list(plant) != KEYS:
                failures.append(f"{where}: keys {list(plant)}, expected {KEYS}")
                continue
            plants.append(plant)
            if plant["kind"] not in KINDS:
                failures.append(f"{where}: unknown kind {plant['kind']!r}")
            if plant["file"] not in manifest_files:
                failures.append(f"{where}: {plant['file']} is not in manifest.yaml")
            if (plant["file"], plant["line"]) in natural:
                failures.append(f"{where}: the line holds a natural error (manifest.yaml); plant elsewhere")
            same = (plant["file"], plant["line"], plant["find"], plant["replace"])
            if same in seen:
                failures.append(f"{where}: the same replacement is planted twice")
            seen.add(same)
            path = TEXTS / str(plant["file"])
            if not path.is_file():
                failures.append(f"{where}: no such text {path}")
                continue
            text = texts.setdefault(path.name, path.read_text(encoding="utf-8"))
            failures.extend(check_plant(plant, where, text))

    per_kind = Counter(p["kind"] for p in plants)
    per_file = Counter(p["file"] for p in plants)
    print("plants per kind (both files):")
    for kind in KINDS:
        print(f"  {kind:15} {per_kind[kind]:3}")
        if per_kind[kind] < MIN_PER_KIND:
            failures.append(f"kind {kind}: {per_kind[kind]} plants, fewer than {MIN_PER_KIND}")
    print(f"  {'all':15} {len(plants):3}")
    print("\nplants per file:")
    for path in sorted(TEXTS.glob("*.txt")):
        count = per_file[path.name]
        note = ""
        if count < MIN_PER_FILE:
            if path.name in SHORT:
                note = f"  (short: {SHORT[path.name]})"
            else:
                failures.append(f"{path.name}: {count} plants, fewer than {MIN_PER_FILE}")
        elif path.name in SHORT:
            failures.append(f"{path.name} has {count} plants but is still listed in SHORT")
        print(f"  {path.name:58} {count:3}{note}")
    for file in SHORT:
        if not (TEXTS / file).is_file():
            failures.append(f"SHORT lists {file}, which is not in texts/")
    return failures


def main() -> int:
    failures = check()
    if failures:
        print("\nFAILED:")
        for failure in failures:
            print(f"  {failure}")
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

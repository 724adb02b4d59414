"""Derive the demo's place frame from real data.police.uk street-level crime files.

Run once by a developer, not by crimeprev:

    python scripts/derive_demo_places.py ../shared/data/police_uk/essex \
        src/crimeprev/data/essex-places.csv.gz

The synthetic demo (``crimeprev.demo``) places its records on the anonymised map points that
data.police.uk publishes for Essex, so that its map has the structure of the real one: crime piles
up on the same snap points, shoplifting lies where the shops are and burglary where people live.
This script reduces twelve monthly street files to one row per map point:

* ``lat``, ``lon``: the point as published (already anonymised by data.police.uk: each crime is
  snapped to the centre of a street or a named place with enough homes around it);
* ``location``, ``lsoa_code``, ``lsoa_name``: the point's most frequent description and LSOA;
* ``district``: the Essex district (community safety partnership) the LSOA lies in, taken from the
  LSOA name; for the few points in LSOAs outside the force's 14 districts (crime that Essex Police
  recorded over its boundary), the district of the nearest in-force point, and ``in_force`` 0;
* one column per police.uk category: how many crimes of that category the twelve months recorded
  at the point.

No record-level field other than the point, its description and its LSOA is kept: the frame holds
counts per point, nothing about any single crime. Source: data.police.uk street-level crime,
Essex Police, published under the Open Government Licence v3.0 (see ``essex-places.md``).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import math
import re
from collections import Counter, defaultdict
from pathlib import Path

from crimeprev.demo.places import CATEGORY_COLUMNS
from crimeprev.demo.reference import load_geography

# The frame's columns and the force's districts, as the demo generator reads them.
CATEGORIES = CATEGORY_COLUMNS
DISTRICTS = tuple(str(d["name"]) for d in load_geography()["districts"])
LSOA_SUFFIX = re.compile(r" \d{3}[A-Z]$")
# Points further than this from every in-force point are dropped (e.g. a crime snapped in Wales).
MAX_OUT_OF_FORCE_KM = 15.0


def _field(row: dict[str, str], *names: str) -> str:
    for name in names:
        if name in row:
            return row[name]
    raise KeyError(names[0])


def read_points(
    paths: list[Path],
) -> tuple[dict[tuple[str, str], Counter[str]], dict[tuple[str, str], Counter[tuple[str, str, str]]]]:
    """Per point: crimes by category, and how often each (location, LSOA code, LSOA name) was seen."""
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    labels: dict[tuple[str, str], Counter[tuple[str, str, str]]] = defaultdict(Counter)
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                lat = _field(row, "Latitude", "latitude")
                lon = _field(row, "Longitude", "longitude")
                if not lat or not lon:
                    continue  # "No Location": the demo keeps its own small share of these
                key = (lat, lon)
                counts[key][CATEGORIES[_field(row, "Crime type", "crime_type")]] += 1
                labels[key][
                    (
                        _field(row, "Location", "location"),
                        _field(row, "LSOA code", "lsoa_code"),
                        _field(row, "LSOA name", "lsoa_name"),
                    )
                ] += 1
    return counts, labels


def _metres(lat: float, lon: float) -> tuple[float, float]:
    return lon * 111_320.0 * math.cos(math.radians(51.75)), lat * 111_320.0


HEADER = ("lat", "lon", "location", "lsoa_code", "lsoa_name", "district", "in_force", *CATEGORIES.values())


def derive_places(paths: list[Path]) -> list[list[object]]:
    """One row per map point (``HEADER``), north to south then west to east."""
    counts, labels = read_points(paths)
    rows = []
    for (lat, lon), per_category in counts.items():
        (location, code, name), _ = labels[(lat, lon)].most_common(1)[0]
        district = LSOA_SUFFIX.sub("", name)
        rows.append([float(lat), float(lon), location, code, name, district, district in DISTRICTS, per_category])
    inside = [r for r in rows if r[6]]
    kept = []
    for r in rows:
        if not r[6]:
            x, y = _metres(r[0], r[1])
            nearest = min(inside, key=lambda p: math.dist(_metres(p[0], p[1]), (x, y)))
            if math.dist(_metres(nearest[0], nearest[1]), (x, y)) > MAX_OUT_OF_FORCE_KM * 1000:
                continue
            r[5] = nearest[5]
        kept.append(r)
    # Points in a stable order (north to south, then west to east) so the file diffs cleanly.
    kept.sort(key=lambda r: (-r[0], r[1]))
    return [
        [f"{lat:.6f}", f"{lon:.6f}", location, code, name, district, int(in_force)]
        + [per_category.get(c, 0) for c in CATEGORIES.values()]
        for lat, lon, location, code, name, district, in_force, per_category in kept
    ]


def place_columns(rows: list[list[object]]) -> dict[str, list[object]]:
    """The rows as columns, typed as ``crimeprev.demo.reference.load_place_columns`` returns them."""
    columns: dict[str, list[object]] = {name: [row[i] for row in rows] for i, name in enumerate(HEADER)}
    for name in ("lat", "lon"):
        columns[name] = [float(str(v)) for v in columns[name]]
    return columns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder of YYYY-MM-essex-street.csv files")
    parser.add_argument("output", type=Path, help="the .csv.gz to write")
    args = parser.parse_args()
    paths = sorted(args.folder.glob("*-street.csv"))
    rows = derive_places(paths)
    with gzip.open(args.output, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    total = sum(sum(int(str(v)) for v in r[7:]) for r in rows)
    outside = sum(1 for r in rows if r[6] == 0)
    months = ", ".join(p.name[:7] for p in paths)
    print(f"{len(rows)} points ({outside} outside the force), {total} crimes, months {months}")


if __name__ == "__main__":
    main()

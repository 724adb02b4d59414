"""Reading the package's reference data: the published Essex figures, the geography and the map points.

The only I/O of the generator's inputs: everything downstream takes the parsed mappings.
"""

from __future__ import annotations

import importlib.resources
from typing import Any, Final

import pyarrow as pa
import pyarrow.csv as pacsv
import yaml

FIGURES_FILE: Final = "essex-2023-24.yaml"
GEOGRAPHY_FILE: Final = "essex-geography.yaml"
PLACES_FILE: Final = "essex-places.csv.gz"


def load_package_yaml(name: str) -> dict[str, Any]:
    """Parse one YAML file of ``crimeprev/data``."""
    text = (importlib.resources.files("crimeprev") / "data" / name).read_text(encoding="utf-8")
    parsed = yaml.safe_load(text)
    if not isinstance(parsed, dict):
        raise ValueError(f"crimeprev/data/{name} is not a YAML mapping")
    return parsed


def load_reference_figures() -> dict[str, Any]:
    """The published Essex 2023/24 figures the demo is calibrated to."""
    return load_package_yaml(FIGURES_FILE)


def load_geography() -> dict[str, Any]:
    """The 14 districts, their centroids and populations, and the force's bounding box."""
    return load_package_yaml(GEOGRAPHY_FILE)


def load_place_columns() -> dict[str, list[object]]:
    """The columns of ``essex-places.csv.gz``: Essex's data.police.uk map points and their counts."""
    resource = importlib.resources.files("crimeprev") / "data" / PLACES_FILE
    with importlib.resources.as_file(resource) as path:
        table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(strings_can_be_null=False))
    types = {"lat": pa.float64(), "lon": pa.float64()}
    return {name: table[name].cast(types.get(name, table[name].type)).to_pylist() for name in table.column_names}

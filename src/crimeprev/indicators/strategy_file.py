"""Reading a strategy file, with errors that name the file, line, strand and field.

The default strategy (Essex 2021-25) and an example data.police.uk strategy ship with crimeprev;
a force points ``--strategy`` at its own file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from crimeprev.model.errors import InputError
from crimeprev.model.strategy import Strategy
from crimeprev.sources.yaml_documents import line_of, load_yaml, validation_message

DEFAULT_STRATEGY = "essex-2021-25.yaml"


def bundled_strategy(name: str = DEFAULT_STRATEGY) -> Path:
    """The path of a strategy file shipped with crimeprev."""
    return Path(str(resources.files("crimeprev") / "strategies" / name))


def load_strategy(path: Path | None = None) -> Strategy:
    """Load and validate a strategy file (the default strategy when ``path`` is None)."""
    path = path or bundled_strategy()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(str(path), f"cannot read the strategy file: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise InputError(str(path), f"the strategy file is not UTF-8 text ({e.reason} at byte {e.start})") from None
    try:
        node = yaml.compose(text)
        doc = load_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise InputError(str(path), f"not valid YAML: {e}", line=mark.line + 1 if mark else None) from None
    except RecursionError:
        raise InputError(str(path), "not a strategy file: its YAML is nested far too deeply") from None
    if not isinstance(doc, dict):
        raise InputError(str(path), "a strategy file is a YAML mapping with id, title, force and themes")
    try:
        return Strategy.model_validate(doc)
    except ValidationError as e:
        message, loc = validation_message(e, Strategy)
        strand = _strand_of(doc, loc)
        where = ".".join(str(p) for p in loc) or "strategy"
        prefix = f"strand {strand}: " if strand else ""
        raise InputError(str(path), f"{prefix}{message}", line=line_of(node, loc), field=where) from None


def _strand_of(doc: dict[str, Any], loc: tuple[Any, ...]) -> str | None:
    """The id of the strand an error is in, if it is in one."""
    if len(loc) >= 4 and loc[0] == "themes" and loc[2] == "strands":
        try:
            strand = doc["themes"][loc[1]]["strands"][loc[3]]
            return str(strand.get("id")) if isinstance(strand, dict) else None
        except (IndexError, KeyError, TypeError):
            return None
    return None

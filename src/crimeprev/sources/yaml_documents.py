"""Reading a YAML file into a validated model, with errors that name the file and the field.

Mappings, delivery plans, report metadata and operations ledgers are all small YAML documents
validated by pydantic models; they are read here, one way.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from crimeprev.model.errors import InputError

M = TypeVar("M", bound=BaseModel)


def read_yaml_model(path: Path, model: type[M], *, what: str) -> M:
    """Read ``path`` and validate it as ``model``; ``what`` names the document in messages."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(str(path), f"cannot read the {what}: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise InputError(str(path), f"the {what} is not UTF-8 text ({e.reason} at byte {e.start})") from None
    except yaml.YAMLError as e:
        raise InputError(str(path), f"not valid YAML: {e}") from None
    except RecursionError:
        raise InputError(str(path), f"not a {what}: its YAML is nested far too deeply") from None
    if doc is not None and not isinstance(doc, dict):
        raise InputError(str(path), f"a {what} is a YAML mapping")
    try:
        return model.model_validate(doc or {})
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or None
        raise InputError(str(path), first["msg"].removeprefix("Value error, "), field=where) from None

"""Reading a YAML file into a validated model, with errors that name the file, line and field.

Mappings, delivery plans, report metadata, narratives and operations ledgers are all small YAML
documents validated by pydantic models; they are read here, one way. A misspelt key is an error
that names the file, the line and the keys that would be valid, never silently ignored: a
delivery file whose ``achived`` list was dropped would put a strand at risk without a word.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from crimeprev.model.errors import InputError

M = TypeVar("M", bound=BaseModel)


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key repeated in one mapping (YAML keeps the last, silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice: the first would be lost", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str) -> Any:
    """Parse YAML text safely, refusing repeated keys (the one YAML reader of crimeprev's inputs)."""
    return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass: safe


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(str(path), f"cannot read the {what}: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise InputError(str(path), f"the {what} is not UTF-8 text ({e.reason} at byte {e.start})") from None


def _node_at(node: yaml.Node | None, loc: Sequence[str | int]) -> tuple[yaml.Node | None, yaml.Node | None]:
    """The node at ``loc`` and, where the last step is a mapping key, that key's node."""
    key_node: yaml.Node | None = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
            if match is None:
                return node, key_node
            key_node, node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            key_node, node = None, node.value[part]
        else:
            return node, key_node
    return node, key_node


def line_of(root: yaml.Node | None, loc: Sequence[str | int]) -> int | None:
    """The 1-based line of the key (or item) at ``loc``; the nearest enclosing one when it is missing."""
    node, key = _node_at(root, loc)
    found = key if key is not None else node
    return None if found is None else found.start_mark.line + 1


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model an annotation holds (through Optional, list and dict values)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is not None:
        for arg in typing.get_args(annotation)[-1:] if origin is dict else typing.get_args(annotation):
            found = _model_of(arg)
            if found is not None:
                return found
    return None


def valid_keys(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The keys the model accepts in the mapping at ``loc`` (aliases where a field has one)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return []
        field = current.model_fields.get(str(part)) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if field is None:
            continue  # a free key (a dict's key, a list index): the model stays the value's
        current = _model_of(field.annotation)
    if current is None:
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


def validation_message(error: ValidationError, model: type[BaseModel]) -> tuple[str, tuple[str | int, ...]]:
    """The first problem of a failed validation in words, and where it is (its location).

    An unknown key names the keys that are valid in its place.
    """
    errors = error.errors()
    # A misspelt key is usually also a required key missing: the misspelling is the one to name.
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = tuple(first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        valid = valid_keys(model, loc[:-1])
        message = f"unknown key {loc[-1]!r}" + (f"; valid keys here: {', '.join(valid)}" if valid else "")
    return message, loc


def read_yaml_model(path: Path, model: type[M], *, what: str) -> M:
    """Read ``path`` and validate it as ``model``; ``what`` names the document in messages."""
    text = _read(path, what)
    try:
        doc = load_yaml(text)
        root = yaml.compose(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise InputError(str(path), f"not valid YAML: {e}", line=mark.line + 1 if mark else None) from None
    except RecursionError:
        raise InputError(str(path), f"not a {what}: its YAML is nested far too deeply") from None
    if doc is not None and not isinstance(doc, dict):
        raise InputError(str(path), f"a {what} is a YAML mapping")
    try:
        return model.model_validate(doc or {})
    except ValidationError as e:
        message, loc = validation_message(e, model)
        where = ".".join(str(p) for p in loc) or None
        raise InputError(str(path), message, field=where, line=line_of(root, loc)) from None


def check_known_keys(
    path: Path, loc: Sequence[str | int], keys: Iterable[str], valid: Sequence[str], *, what: str
) -> None:
    """Refuse keys of the mapping at ``loc`` that are not in ``valid`` (strand or indicator ids)."""
    unknown = [k for k in keys if k not in valid]
    if not unknown:
        return
    root = yaml.compose(_read(path, "file"))
    choice = ", ".join(valid)
    raise InputError(
        str(path),
        f"{unknown[0]!r} is not {what}; the valid ones are: {choice}",
        field=".".join(str(p) for p in [*loc, unknown[0]]),
        line=line_of(root, [*loc, unknown[0]]),
    )


def check_known_values(
    path: Path, loc: Sequence[str | int], values: Sequence[str], valid: Sequence[str], *, what: str
) -> None:
    """Refuse a value (or a list's values) at ``loc`` that is not in ``valid``, naming the line."""
    for i, value in enumerate(values):
        if value in valid:
            continue
        root = yaml.compose(_read(path, "file"))
        where = [*loc] if len(values) == 1 and line_of(root, [*loc, 0]) is None else [*loc, i]
        raise InputError(
            str(path),
            f"{value!r} is not {what}; the valid ones are: {', '.join(valid)}",
            field=".".join(str(p) for p in loc),
            line=line_of(root, where),
        )

"""The one line a config error prints: file:line: key.path: what is wrong, with a suggestion where one is close."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from riskvid.config.model import Config, Segment, scene_classes
from riskvid.errors import InputError
from riskvid.names import did_you_mean
from scenes.fields import StrictModel

Loc = tuple[str | int | None, ...]  # None: a YAML key that is not a scalar (riskvid.config.load)
Lines = dict[Loc, int]  # a key path's line in the YAML file


class ConfigError(InputError):
    """Bad input: the message is one line, ready to print."""

def describe(path: Path, error: Any, data: Any, lines: Lines) -> str:
    """One line for a pydantic error: file:line: key.path: what is wrong."""
    loc = _clean(error["loc"])
    line = line_of(loc, lines)
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1], data)
        message = f"unknown key{did_you_mean(str(loc[-1]), allowed)}"
        if allowed:
            message += f" (allowed: {', '.join(sorted(allowed))})"
    elif kind == "string_type":
        message = f"must be text, got {error['input']!r}; put it in quotes"
    elif kind == "missing":
        message = "is required"
    elif kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        low, high = _bounds(loc, data)
        bound = f"between {low} and {high}" if "?" not in (low, high) else error["msg"].split("should be ")[-1]
        message = f"must be {bound}, got {error['input']!r}"
    elif kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
    elif kind == "literal_error":
        message = f"must be one of {ctx.get('expected')}, got {error['input']!r}"
    elif kind in {"string_too_long", "too_long"}:
        unit = "characters" if kind.startswith("string") else "items"
        message = f"is too long: at most {ctx.get('max_length')} {unit}"
    elif kind == "string_pattern_mismatch":
        message = f"{error['input']!r} {_PATTERN_HINTS.get(ctx.get('pattern'), 'has the wrong form')}"
    else:
        message = error["msg"][0].lower() + error["msg"][1:]
    return f"{path}:{line}: {dotted(loc) or '(top level)'}: {message}"


_PATTERN_HINTS = {
    r"^[a-z0-9][a-z0-9_-]{0,47}$": "is not a valid name: use 1–48 lowercase letters, digits, '-' or '_'",
    r"^\d{2,5}x\d{2,5}$": "is not a resolution like 1920x1080",
    r"^#[0-9a-fA-F]{6}$": "is not a colour like #c8401a",
}


def _clean(loc: tuple[Any, ...]) -> Loc:
    """Drop pydantic's validator tags (such as 'function-after[...]') from a location."""
    return tuple(part for part in loc if not (isinstance(part, str) and "[" in part))


def line_of(loc: tuple[Any, ...], lines: Lines) -> int:
    """The line of the deepest part of ``loc`` that the YAML index knows."""
    loc = _clean(loc)
    return next((lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in lines), 1)


def dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def model_at(loc: Loc, data: Any) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at ``loc`` (None if there is none)."""
    model: type[BaseModel] | None = Config
    value = data
    for part in loc:
        if isinstance(part, int):
            value = value[part] if isinstance(value, list) and part < len(value) else None
            continue
        if model is Segment and part == "params":
            name = value.get("scene") if isinstance(value, dict) else None
            scene = scene_classes().get(name) if isinstance(name, str) else None
            model = scene.Params if scene else None
        elif model is not None and part in model.model_fields:
            model = inner_model(model.model_fields[part].annotation)
        else:
            model = None
        value = value.get(part) if isinstance(value, dict) else None
    return model


def inner_model(annotation: Any) -> type[StrictModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, StrictModel):
        return annotation
    for arg in typing.get_args(annotation):
        if found := inner_model(arg):
            return found
    return None


def _allowed_keys(loc: Loc, data: Any) -> list[str]:
    model = model_at(loc, data)
    return list(model.model_fields) if model else []


def _bounds(loc: Loc, data: Any) -> tuple[Any, Any]:
    model = model_at(loc[:-1], data)
    field = model.model_fields.get(loc[-1]) if model and isinstance(loc[-1], str) else None
    low = high = "?"
    for meta in getattr(field, "metadata", []):
        low = getattr(meta, "ge", getattr(meta, "gt", low))
        high = getattr(meta, "le", getattr(meta, "lt", high))
    return low, high

"""``riskvid check --explain``: every key a config may hold, with its type, default and bounds."""

from __future__ import annotations

import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from riskvid.config.messages import inner_model
from riskvid.config.model import Config, Segment, scene_classes
from scenes.fields import StrictModel


def explain() -> list[str]:
    """Every key a config may hold, with its type, default and bounds, as printable lines."""
    sections: list[tuple[str, type[BaseModel]]] = [("video (top level)", Config), ("segments[]", Segment)]
    sections += [(f"segments[].params for scene: {name}", cls.Params) for name, cls in sorted(scene_classes().items())]
    lines: list[str] = []
    seen = {model for _, model in sections}
    for title, model in sections:  # grows as nested sections are found
        lines.append(f"{title}:")
        for name, field in model.model_fields.items():
            if (inner := inner_model(field.annotation)) and inner not in seen:
                seen.add(inner)
                sections.append((f"{title} > {name}", inner))
            lines.append(f"  {name}: {_describe_field(field)}")
    return lines


def _describe_field(field: FieldInfo) -> str:
    """'type; bounds; items: bounds; default' for one pydantic field."""
    kind = getattr(field.annotation, "__name__", None) or str(field.annotation).replace("typing.", "")
    parts = [kind]
    own = _bounds_text(field.metadata)
    items = _bounds_text(meta for arg in _nested_args(field.annotation) for meta in getattr(arg, "__metadata__", ()))
    parts += [own] if own else []
    parts += [f"each item: {items}"] if items else []
    if field.is_required():
        parts.append("required")
    elif field.default_factory is not None or isinstance(field.default, StrictModel):
        parts.append("default: the storyboard's")
    else:
        parts.append(f"default {field.default!r}")
    return "; ".join(parts)


def _bounds_text(metadata: Iterable[Any]) -> str:
    labels = (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<"), ("min_length", "min length"),
              ("max_length", "max length"), ("pattern", "pattern"))
    found: dict[str, Any] = {}
    for meta in metadata:
        for attr, label in labels:
            if getattr(meta, attr, None) is not None:
                found[label] = getattr(meta, attr)
    return ", ".join(f"{label} {value}" for label, value in found.items())


def _nested_args(annotation: Any) -> list[Any]:
    stack, found = list(typing.get_args(annotation)), []
    while stack:
        arg = stack.pop()
        found.append(arg)
        stack += typing.get_args(arg)
    return found

"""video.yaml → a validated Config, or one ConfigError line naming the file, the line and the key path.

YAML is read with the safe loader only, with an index of every key path's line (for the messages),
duplicate keys refused and alias bombs stopped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from riskvid.config.messages import ConfigError, Lines, Loc, describe, dotted, line_of
from riskvid.config.model import Config

MAX_YAML_NODES = 20_000  # an alias bomb expands past this long before it can hurt
MAX_CONFIG_BYTES = 1_000_000

ROOT_VARIABLE = "RISKVID_ROOT"


def allowed_root(path: Path, root: Path | None = None) -> Path:
    """The folder a config's outputs must stay in: ``root`` (a --root option), else $RISKVID_ROOT,
    else the config's own folder."""
    chosen = root or os.environ.get(ROOT_VARIABLE) or Path(path).parent
    return Path(os.path.abspath(chosen))


def output_folder(path: Path, config: Config) -> Path:
    """The output folder a config names, as an absolute path (links are not followed)."""
    return Path(os.path.normpath(os.path.join(os.path.abspath(Path(path).parent), config.output)))


def load_config(path: str | Path, root: Path | None = None) -> Config:
    """Read and validate ``path``; raise ConfigError with a one-line message on any bad input.

    Its output folder must lie inside ``allowed_root(path, root)``.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: file is {len(raw)} bytes; a config must be under {MAX_CONFIG_BYTES}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ConfigError(
            f"{path}:{line}: not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}); save it as UTF-8"
        ) from None
    data, lines = _parse_yaml(path, text)
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise ConfigError(f"{path}:1: the file is {kind}; expected a mapping with id, title and segments")
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        # Missing keys last: a misspelt key is reported as the unknown key, with a suggestion.
        first = min(error.errors(), key=lambda e: (e["type"] == "missing", line_of(e["loc"], lines)))
        raise ConfigError(describe(path, first, data, lines)) from None
    _confine(path, config, lines, allowed_root(path, root))
    _check_glyphs(path, data, lines)
    return config


def _drawn_texts(data: dict[str, Any]) -> Iterator[tuple[Loc, object]]:
    """(key path, text) of every string the video draws: the title, and the scenes' params."""
    yield ("title",), data.get("title")
    for index, segment in enumerate(data.get("segments") or []):
        params = segment.get("params") if isinstance(segment, dict) else None
        stack: list[tuple[Loc, object]] = [(("segments", index, "params"), params)]
        while stack:
            where, value = stack.pop()
            if isinstance(value, str):
                yield where, value
            elif isinstance(value, dict):
                stack += [(where + (key,), item) for key, item in value.items()]
            elif isinstance(value, list):
                stack += [(where + (n,), item) for n, item in enumerate(value)]


def _check_glyphs(path: Path, data: dict[str, Any], lines: Lines) -> None:
    """Refuse characters no installed font can draw (they would show as boxes), naming them."""
    from scenes.theme import undrawable

    for where, text in _drawn_texts(data):
        if isinstance(text, str) and (missing := undrawable(text)):
            shown = ", ".join(repr(ch) for ch in missing[:5])
            raise ConfigError(f"{path}:{line_of(where, lines)}: {dotted(where)}: no installed font can draw {shown}; "
                              "leave them out (or install a font that has them)")


def _confine(path: Path, config: Config, lines: Lines, root: Path) -> None:
    """Refuse an output folder outside ``root`` (absolute, or climbing out with '..')."""
    where = f"{path}:{lines.get(('output',), 1)}: output"
    if config.output.startswith("~"):
        raise ConfigError(f"{where}: {config.output!r}: '~' is not expanded; name the folder relative to the config")
    target = output_folder(path, config)
    if target != root and root not in target.parents:
        raise ConfigError(
            f"{where}: {config.output!r} is outside {root}; outputs stay under the config's folder "
            f"(whoever runs riskvid can allow another root with --root or ${ROOT_VARIABLE})"
        )


def _parse_yaml(path: Path, text: str) -> tuple[Any, Lines]:
    """Safe-load ``text``; return the data and a {key path: line} index. Rejects duplicate keys."""
    loader = None
    try:
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        lines: Lines = {}
        if node is not None:
            _index_lines(path, node, (), lines, {})
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        raise ConfigError(f"{path}:{line}: not valid YAML: character #x{error.character:04x} is not allowed") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        if isinstance(error, yaml.constructor.ConstructorError):
            problem = f"{problem} (tags that build objects are not allowed)"
        raise ConfigError(f"{where}: not valid YAML: {problem}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines


def _index_lines(path: Path, node: yaml.Node, key_path: Loc, lines: Lines,
                 sizes: dict[int, int]) -> int:
    """Record each key path's line; return the node's expanded size (aliases counted in full)."""
    if id(node) in sizes:
        return sizes[id(node)]
    lines.setdefault(key_path, node.start_mark.line + 1)
    size = 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str | None] = set()
        for key_node, value_node in node.value:
            key: str | None = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in seen:
                raise ConfigError(f"{path}:{key_node.start_mark.line + 1}: {dotted(key_path + (key,))}: duplicate key")
            seen.add(key)
            lines.setdefault(key_path + (key,), key_node.start_mark.line + 1)
            size += _index_lines(path, value_node, key_path + (key,), lines, sizes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            size += _index_lines(path, item, key_path + (index,), lines, sizes)
    if size > MAX_YAML_NODES:
        raise ConfigError(
            f"{path}:{node.start_mark.line + 1}: the document expands to over {MAX_YAML_NODES} values "
            "(too many aliases?)"
        )
    sizes[id(node)] = size
    return size

"""video.yaml → a validated Config, or one ConfigError line naming file, line and key path."""

import difflib
import os
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, StringConstraints, ValidationError, field_validator, model_validator

from riskvid.errors import InputError
from riskvid.pipeline.voice import VoiceSettings
from scenes.fields import Name, StrictModel, Text

QUALITY_PRESETS = {  # name: (width, height, fps)
    "low": (854, 480, 15),
    "medium": (1280, 720, 30),
    "high": (1920, 1080, 60),
    "4k": (3840, 2160, 60),
}
MIN_WIDTH, MIN_HEIGHT = 128, 72  # the smallest frame the scenes lay out (their tests render at it)
MAX_YAML_NODES = 20_000  # an alias bomb expands past this long before it can hurt
MAX_CONFIG_BYTES = 1_000_000


class ConfigError(InputError):
    """Bad input: the message is one line, ready to print."""


class Line(StrictModel):
    """One narration line: the words shown in the captions, and (where maths reads differently from
    how it is written) the words spoken."""

    text: Text
    say: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, value):
        return {"text": value} if isinstance(value, str) else value

    @property
    def spoken(self) -> str:
        """What the voice says."""
        return self.say or self.text


class Segment(StrictModel):
    """One segment: a scene with its params and the narration spoken over its beats."""

    id: Name
    scene: str
    title: Text | None = None  # the chapter title; defaults to the id in words
    params: Any = Field(None, validate_default=True)
    narration: dict[str, list[Line]] = Field(default_factory=dict, max_length=50)
    poster: str | None = None  # the beat whose settled picture is the segment's poster (default: the longest held)

    @field_validator("scene")
    @classmethod
    def _known_scene(cls, name):
        known = _scene_classes()
        if name not in known:
            raise ValueError(f"unknown scene{_did_you_mean(name, known)} (scenes: {', '.join(sorted(known))})")
        return name

    @field_validator("params", mode="before")
    @classmethod
    def _typed_params(cls, value, info):
        scene = _scene_classes().get(info.data.get("scene"))
        if scene is None:
            return value
        return scene.Params.model_validate({} if value is None else value)

    @field_validator("narration", mode="before")
    @classmethod
    def _lines(cls, value):
        # A single string is one line.
        if isinstance(value, dict):
            return {beat: [lines] if isinstance(lines, (str, dict)) else lines for beat, lines in value.items()}
        return value

    @property
    def chapter_title(self):
        """The title of this segment's chapter."""
        return self.title or words(self.id)

    @model_validator(mode="after")
    def _known_beats(self):
        scene = _scene_classes().get(self.scene)
        for beat in self.narration:
            if scene is not None and beat not in scene.beats:
                raise ValueError(
                    f"narration: {self.scene} has no beat{_did_you_mean(beat, scene.beats)}"
                    f" (its beats: {', '.join(scene.beats)})"
                )
        if scene is not None and self.poster is not None and self.poster not in scene.beats:
            raise ValueError(f"poster: {self.scene} has no beat{_did_you_mean(self.poster, scene.beats)}"
                             f" (its beats: {', '.join(scene.beats)})")
        return self


class SlidesSettings(StrictModel):
    """Options of the course-slides package."""

    webm: bool = False  # also a VP9 WebM of each segment (decodes and encodes every frame again)
    paper: Literal["a4", "letter"] = "a4"  # the handout's paper size
    formula: Text | None = None  # shown on the handout's first page, e.g. "Q(a, X) = 1/n · Σ L(a, xᵢ)"


class Config(StrictModel):
    """The whole video."""

    id: Name
    title: Text
    description: Annotated[str, StringConstraints(max_length=2000)] | None = None  # for YouTube
    quality: Literal["low", "medium", "high", "4k"] = "high"
    fps: int | None = Field(None, ge=1, le=120)
    resolution: str | None = Field(None, pattern=r"^\d{2,5}x\d{2,5}$")
    theme: Literal["paper", "chalkboard"] = "paper"
    seed: int = Field(0, ge=0, le=2**32 - 1)
    output: str = Field("media", min_length=1, max_length=200)
    segments: list[Segment] = Field(min_length=1, max_length=40)
    voice: VoiceSettings = Field(default_factory=VoiceSettings)
    slides: SlidesSettings = Field(default_factory=SlidesSettings)

    @field_validator("fps")
    @classmethod
    def _whole_samples(cls, value):
        if value is not None and 48_000 % value:
            raise ValueError("must divide 48000, so a frame is a whole number of sound samples: e.g. 24, 25, 30, 50, 60")
        return value

    @field_validator("resolution")
    @classmethod
    def _even_size(cls, value):
        if value is not None:
            width, height = map(int, value.split("x"))
            if not (MIN_WIDTH <= width <= 7680 and MIN_HEIGHT <= height <= 4320) or width % 2 or height % 2:
                raise ValueError(f"must be WIDTHxHEIGHT with even sides from {MIN_WIDTH}x{MIN_HEIGHT} to 7680x4320"
                                 " (smaller frames cannot show the scenes' text)")
        return value

    @field_validator("segments")
    @classmethod
    def _unique_ids(cls, segments):
        seen = set()
        for segment in segments:
            if segment.id in seen:
                raise ValueError(f"duplicate segment id {segment.id!r}: each id must be unique")
            seen.add(segment.id)
        return segments

    def frame_settings(self, quality=None):
        """(width, height, fps) for ``quality``; the config's own overrides apply to its own preset."""
        width, height, fps = QUALITY_PRESETS[quality or self.quality]
        if quality is None or quality == self.quality:
            if self.resolution:
                width, height = map(int, self.resolution.split("x"))
            fps = self.fps or fps
        return width, height, fps


def words(name):
    """A name in words: 'lift_for_loop' → 'Lift for loop'.

    >>> words("lift_for_loop")
    'Lift for loop'
    """
    return name.replace("_", " ").replace("-", " ").strip().capitalize()


ROOT_VARIABLE = "RISKVID_ROOT"


def allowed_root(path: Path, root: Path | None = None) -> Path:
    """The folder a config's outputs must stay in: ``root`` (a --root option), else $RISKVID_ROOT,
    else the config's own folder."""
    chosen = root or os.environ.get(ROOT_VARIABLE) or Path(path).parent
    return Path(os.path.abspath(chosen))


def output_folder(path: Path, config: "Config") -> Path:
    """The output folder a config names, as an absolute path (links are not followed)."""
    return Path(os.path.normpath(os.path.join(os.path.abspath(Path(path).parent), config.output)))


def load_config(path, root: Path | None = None):
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
        first = min(error.errors(), key=lambda e: (e["type"] == "missing", _line(e["loc"], lines)))
        raise ConfigError(_describe(path, first, data, lines)) from None
    _confine(path, config, lines, allowed_root(path, root))
    _check_glyphs(path, data, lines)
    return config


def _drawn_texts(data: dict):
    """(key path, text) of every string the video draws: the title, and the scenes' params."""
    yield ("title",), data.get("title")
    for index, segment in enumerate(data.get("segments") or []):
        stack = [(("segments", index, "params"), segment.get("params") if isinstance(segment, dict) else None)]
        while stack:
            where, value = stack.pop()
            if isinstance(value, str):
                yield where, value
            elif isinstance(value, dict):
                stack += [(where + (key,), item) for key, item in value.items()]
            elif isinstance(value, list):
                stack += [(where + (n,), item) for n, item in enumerate(value)]


def _check_glyphs(path: Path, data: dict, lines: dict) -> None:
    """Refuse characters no installed font can draw (they would show as boxes), naming them."""
    from scenes.theme import undrawable

    for where, text in _drawn_texts(data):
        if isinstance(text, str) and (missing := undrawable(text)):
            shown = ", ".join(repr(ch) for ch in missing[:5])
            raise ConfigError(f"{path}:{_line(where, lines)}: {_dotted(where)}: no installed font can draw {shown}; "
                              "leave them out (or install a font that has them)")


def _confine(path: Path, config: "Config", lines: dict, root: Path) -> None:
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


def _parse_yaml(path, text):
    """Safe-load ``text``; return the data and a {key path: line} index. Rejects duplicate keys."""
    loader = None
    try:
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        lines = {}
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


def _index_lines(path, node, key_path, lines, sizes):
    """Record each key path's line; return the node's expanded size (aliases counted in full)."""
    if id(node) in sizes:
        return sizes[id(node)]
    lines.setdefault(key_path, node.start_mark.line + 1)
    size = 1
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in seen:
                raise ConfigError(f"{path}:{key_node.start_mark.line + 1}: {_dotted(key_path + (key,))}: duplicate key")
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


def _describe(path, error, data, lines):
    """One line for a pydantic error: file:line: key.path: what is wrong."""
    loc = _clean(error["loc"])
    line = _line(loc, lines)
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1], data)
        message = f"unknown key{_did_you_mean(str(loc[-1]), allowed)}"
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
        message = f"is too long: at most {ctx.get('max_length')} {'characters' if kind.startswith('string') else 'items'}"
    elif kind == "string_pattern_mismatch":
        message = f"{error['input']!r} {_PATTERN_HINTS.get(ctx.get('pattern'), 'has the wrong form')}"
    else:
        message = error["msg"][0].lower() + error["msg"][1:]
    return f"{path}:{line}: {_dotted(loc) or '(top level)'}: {message}"


_PATTERN_HINTS = {
    r"^[a-z0-9][a-z0-9_-]{0,47}$": "is not a valid name: use 1–48 lowercase letters, digits, '-' or '_'",
    r"^\d{2,5}x\d{2,5}$": "is not a resolution like 1920x1080",
    r"^#[0-9a-fA-F]{6}$": "is not a colour like #c8401a",
}


def _clean(loc):
    """Drop pydantic's validator tags (such as 'function-after[...]') from a location."""
    return tuple(part for part in loc if not (isinstance(part, str) and "[" in part))


def _line(loc, lines):
    """The line of the deepest part of ``loc`` that the YAML index knows."""
    loc = _clean(loc)
    return next((lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in lines), 1)


def _dotted(loc):
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _did_you_mean(word, choices):
    """' 'word'; did you mean 'ward'?' when a choice is close, else ' 'word''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" {word!r}; did you mean {close[0]!r}?" if close else f" {word!r}"


def _scene_classes():
    from scenes.registry import scene_classes

    return scene_classes()


def _model_at(loc, data):
    """The pydantic model that validates the mapping at ``loc`` (None if there is none)."""
    model, value = Config, data
    for part in loc:
        if isinstance(part, int):
            value = value[part] if isinstance(value, list) and part < len(value) else None
            continue
        if model is Segment and part == "params":
            scene = _scene_classes().get(value.get("scene") if isinstance(value, dict) else None)
            model = scene.Params if scene else None
        elif model is not None and part in model.model_fields:
            model = _inner_model(model.model_fields[part].annotation)
        else:
            model = None
        value = value.get(part) if isinstance(value, dict) else None
    return model


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, StrictModel):
        return annotation
    for arg in typing.get_args(annotation):
        if found := _inner_model(arg):
            return found
    return None


def _allowed_keys(loc, data):
    model = _model_at(loc, data)
    return list(model.model_fields) if model else []


def _bounds(loc, data):
    model = _model_at(loc[:-1], data)
    field = model.model_fields.get(loc[-1]) if model else None
    low = high = "?"
    for meta in getattr(field, "metadata", []):
        low = getattr(meta, "ge", getattr(meta, "gt", low))
        high = getattr(meta, "le", getattr(meta, "lt", high))
    return low, high


def explain():
    """Every key a config may hold, with its type, default and bounds, as printable lines."""
    sections = [("video (top level)", Config), ("segments[]", Segment)]
    sections += [(f"segments[].params for scene: {name}", cls.Params) for name, cls in sorted(_scene_classes().items())]
    lines, seen = [], {model for _, model in sections}
    for title, model in sections:  # grows as nested sections are found
        lines.append(f"{title}:")
        for name, field in model.model_fields.items():
            if (inner := _inner_model(field.annotation)) and inner not in seen:
                seen.add(inner)
                sections.append((f"{title} > {name}", inner))
            lines.append(f"  {name}: {_describe_field(field)}")
    return lines


def _describe_field(field):
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


def _bounds_text(metadata):
    labels = (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<"), ("min_length", "min length"),
              ("max_length", "max length"), ("pattern", "pattern"))
    found = {}
    for meta in metadata:
        for attr, label in labels:
            if getattr(meta, attr, None) is not None:
                found[label] = getattr(meta, attr)
    return ", ".join(f"{label} {value}" for label, value in found.items())


def _nested_args(annotation):
    stack, found = list(typing.get_args(annotation)), []
    while stack:
        arg = stack.pop()
        found.append(arg)
        stack += typing.get_args(arg)
    return found

"""Fuzz: generated and mutated configs never raise, never write, and always exit 0 or 2."""

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskvid.cli import main
from tests.helpers import ROOT

SHIPPED = (ROOT / "video.yaml").read_text()
KEYS = ["id", "title", "quality", "fps", "resolution", "theme", "seed", "output", "segments", "scene", "params",
        "narration", "epochs", "noise", "laps", "clips", "name", "base_loss", "colour", "hold_seconds"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.floats(allow_nan=True),
    st.text(max_size=40), st.sampled_from(["title", "loss_bars", "pixels", "formula", "low", "4k", "../x", "#c8401a"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=5),
    max_leaves=20,
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check_quietly(tmp_path, text, capsys):
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    for argv in (["check", str(path)], ["render", str(path), "--dry-run"]):
        code = main(argv)
        err = capsys.readouterr().err
        assert code in (0, 2), err
        assert "Traceback" not in err
        if code == 2:
            assert err.startswith("error: ") and err.count("\n") == 1, err
    assert [p.name for p in tmp_path.iterdir()] == ["fuzz.yaml"], "a check or dry run wrote a file"


@FUZZ
@given(document=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8))
def test_generated_documents(tmp_path_factory, capsys, document):
    tmp_path = tmp_path_factory.mktemp("fuzz")
    _check_quietly(tmp_path, yaml.safe_dump(document, allow_unicode=True), capsys)


@pytest.mark.slow
@pytest.mark.xdist_group("shipped")
@FUZZ
@given(data=st.data())
def test_mutated_shipped_config(tmp_path_factory, capsys, data):
    raw = bytearray(SHIPPED.encode())
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    _check_quietly(tmp_path_factory.mktemp("fuzz"), bytes(raw), capsys)

# piper_speak: synthesise lines of speech with Piper, as a separate program.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# This file is a separate program, distributed under the GNU General Public License, version 3
# or (at your option) any later version, because it uses Piper (the `piper-tts` package,
# OHF-Voice/piper1-gpl), which is GPL-3.0-or-later. riskvid never imports it and never imports
# Piper: it runs this program as a child process (`python piper_speak.py`) and talks to it only
# through pipes and files: one JSON request on standard input, one JSON line per result on
# standard output, raw audio in files the request names. You can redistribute and/or modify this
# program under the terms of the GPL version 3 or later; see <https://www.gnu.org/licenses/>.
#
# Request (stdin, one JSON object):
#   {"model": "<voice.onnx>", "config": "<voice.onnx.json>", "threads": 2,
#    "optimized": "<file>" | null,       (where the voice's patched, optimized graph is kept between runs)
#    "rate": 1.0,                            (speaking rate: length_scale = the voice's own / rate)
#    "noise_scale": null, "noise_w_scale": null,                 (optional; null: the voice's own)
#    "lines": [{"key": "...", "text": "what to say", "words": ["shown", "words"] | null,
#               "out": "<file for the audio>"}, ...]}
# Replies (stdout, one JSON object a line):
#   per line, as soon as it is done, after its audio is in "out" (mono float32 little-endian):
#     {"key": ..., "sample_rate": 22050,
#      "sentences": [{"samples": n, "phonemes": [[phoneme, samples], ...] | null}, ...],
#      "word_phonemes": [["phonemes of each shown word, said alone"], ...] | null}
#   at the end: {"done": true, "piper": "<version>", "load_seconds": s, "synth_seconds": s}
#   on failure: {"error": "<one line>"} and exit status 1.
#
# Determinism. A Piper (VITS) voice draws Gaussian noise twice per sentence (RandomNormalLike
# nodes: the phoneme lengths and the waveform). onnxruntime seeds those from the clock, and even
# with onnxruntime.set_seed the draws depend on what was synthesised before in the same session.
# Here the two nodes are replaced, in memory, by slices of noise fed as inputs, drawn from a
# generator seeded by the sentence's phoneme ids: the same sentence gives the same samples in any
# process, alone or in a batch, with the voice's own noise settings.

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time

NOISE_SEED = 1770  # any constant: it picks which (fixed) draw of the noise each sentence gets
NOISE_START = 1 << 19  # floats of noise offered first; doubled (same prefix) if a sentence needs more
NOISE_MAX = 1 << 25
NOISE_INPUT = "piper_speak_noise_"  # the inputs that take the noise's place: piper_speak_noise_0, _1, ...


def _replace_random_nodes(model) -> list[str]:
    """Replace every RandomNormal(Like) node by a slice of a new float input; return the inputs' names."""
    from onnx import TensorProto, helper

    graph = model.graph
    names: list[str] = []
    for node in list(graph.node):
        if not node.op_type.startswith("Random"):
            continue
        if node.op_type not in ("RandomNormalLike", "RandomNormal"):
            raise ValueError(f"the voice uses {node.op_type}, which piper_speak cannot make repeatable")
        attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        if attributes.get("dtype", TensorProto.FLOAT) != TensorProto.FLOAT:
            raise ValueError(f"the voice's {node.op_type} node makes non-float noise")
        name = f"{NOISE_INPUT}{len(names)}"
        names.append(name)
        graph.input.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, [f"{name}_n"]))
        if node.op_type == "RandomNormalLike":
            shape = [helper.make_node("Shape", [node.input[0]], [f"{name}_shape"])]
        else:
            dims = list(attributes["shape"])
            shape = [
                helper.make_node(
                    "Constant",
                    [],
                    [f"{name}_shape"],
                    value=helper.make_tensor(f"{name}_dims", TensorProto.INT64, [len(dims)], dims),
                )
            ]
        zero = helper.make_tensor(f"{name}_zero_value", TensorProto.INT64, [1], [0])
        scale = helper.make_tensor(f"{name}_scale_value", TensorProto.FLOAT, [], [attributes.get("scale", 1.0)])
        mean = helper.make_tensor(f"{name}_mean_value", TensorProto.FLOAT, [], [attributes.get("mean", 0.0)])
        nodes = shape + [
            helper.make_node("ReduceProd", [f"{name}_shape"], [f"{name}_count"], keepdims=1),
            helper.make_node("Constant", [], [f"{name}_zero"], value=zero),
            helper.make_node("Slice", [name, f"{name}_zero", f"{name}_count", f"{name}_zero"], [f"{name}_flat"]),
            helper.make_node("Reshape", [f"{name}_flat", f"{name}_shape"], [f"{name}_unit"]),
            helper.make_node("Constant", [], [f"{name}_scale"], value=scale),
            helper.make_node("Constant", [], [f"{name}_mean"], value=mean),
            helper.make_node("Mul", [f"{name}_unit", f"{name}_scale"], [f"{name}_scaled"]),
            helper.make_node("Add", [f"{name}_scaled", f"{name}_mean"], [node.output[0]]),
        ]
        position = list(graph.node).index(node)
        graph.node.remove(node)
        for offset, new in enumerate(nodes):
            graph.node.insert(position + offset, new)
    return names


class _SeededSession:
    """An onnxruntime session whose noise inputs are drawn from the sentence's own seed."""

    def __init__(self, session, noise_inputs: list[str]):
        self.session = session
        self.noise_inputs = noise_inputs
        self.size = NOISE_START

    def run(self, output_names, feeds):
        import numpy as np

        if not self.noise_inputs:
            return self.session.run(output_names, feeds)
        digest = hashlib.sha256(np.ascontiguousarray(feeds["input"]).tobytes()).digest()
        seed = int.from_bytes(digest[:8], "little")
        while True:
            for index, name in enumerate(self.noise_inputs):
                # A fresh generator per input: a longer draw starts with the same numbers.
                rng = np.random.default_rng([NOISE_SEED, index, seed])
                feeds[name] = rng.standard_normal(self.size, dtype=np.float32)
            try:
                return self.session.run(output_names, feeds)
            except Exception:  # noqa: BLE001 - onnxruntime raises its own types; too little noise is one cause
                if self.size >= NOISE_MAX:
                    raise
                self.size *= 2


def load_voice(model_path: str, config_path: str, threads: int, optimized: str | None = None):
    """A PiperVoice with phoneme alignments and repeatable noise.

    With ``optimized`` (a file path), the voice's graph as patched and optimized is kept there on first use and
    loaded from there afterwards: a quarter of the time, the same samples.
    """
    import onnxruntime
    from piper.config import PiperConfig
    from piper.voice import PiperVoice

    with open(config_path, encoding="utf-8") as handle:
        config = PiperConfig.from_dict(json.load(handle))
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = None
    if optimized and os.path.isfile(optimized):
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
        with contextlib.suppress(Exception):  # unreadable: made again below
            session = onnxruntime.InferenceSession(optimized, sess_options=options, providers=["CPUExecutionProvider"])
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    if session is None:
        session = _patched_session(model_path, options, optimized)
    noise_inputs = sorted((i.name for i in session.get_inputs() if i.name.startswith(NOISE_INPUT)),
                          key=lambda name: int(name.removeprefix(NOISE_INPUT)))
    return PiperVoice(config=config, session=_SeededSession(session, noise_inputs))


def _patched_session(model_path: str, options, optimized: str | None):
    """The voice's session, its graph patched (alignments, noise as inputs); optimized into ``optimized`` if given."""
    import onnx
    import onnxruntime
    from piper.patch_voice_with_alignment import add_alignment_output

    model = onnx.load(model_path)
    with contextlib.suppress(ValueError):  # already patched, or no alignment tensor: words get spread instead
        add_alignment_output(model)
    _replace_random_nodes(model)
    part = f"{optimized}.{os.getpid()}.part" if optimized else None
    if part:
        options.optimized_model_filepath = part
    try:
        session = onnxruntime.InferenceSession(
            model.SerializeToString(), sess_options=options, providers=["CPUExecutionProvider"]
        )
        if part:
            os.replace(part, optimized)  # whole or not at all
    finally:
        if part:
            with contextlib.suppress(OSError):
                os.remove(part)
    return session


def speak_line(voice, syn_config, line: dict) -> dict:
    """Synthesise one line into line["out"]; return its reply (without writing it)."""
    import numpy as np

    sentences, chunks = [], []
    for chunk in voice.synthesize(line["text"], syn_config, include_alignments=True):
        audio = np.asarray(chunk.audio_float_array, dtype="<f4").reshape(-1)
        chunks.append(audio)
        phonemes = None
        if chunk.phoneme_alignments:
            phonemes = [[a.phoneme, int(a.num_samples)] for a in chunk.phoneme_alignments]
        sentences.append({"samples": len(audio), "phonemes": phonemes})
    audio = np.concatenate(chunks) if chunks else np.zeros(0, dtype="<f4")
    with open(line["out"], "wb") as handle:
        handle.write(audio.tobytes())
    word_phonemes = None
    if line.get("words") is not None:
        word_phonemes = [
            "".join("".join(sentence) for sentence in voice.phonemize(word)) for word in line["words"]
        ]
    return {
        "key": line["key"],
        "sample_rate": voice.config.sample_rate,
        "sentences": sentences,
        "word_phonemes": word_phonemes,
    }


def main() -> int:
    """Read the request from stdin, write one reply line per line of speech to stdout."""
    # Only our JSON goes to the real stdout: anything a library prints goes to stderr.
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def reply(message: dict) -> None:
        replies.write(json.dumps(message, ensure_ascii=False) + "\n")
        replies.flush()

    try:
        request = json.load(sys.stdin)
        started = time.perf_counter()
        from importlib.metadata import version

        from piper.config import SynthesisConfig

        threads, optimized = int(request.get("threads", 2)), request.get("optimized")
        voice = load_voice(request["model"], request["config"], threads, optimized)
        syn_config = SynthesisConfig(
            length_scale=voice.config.length_scale / float(request.get("rate", 1.0)),
            noise_scale=request.get("noise_scale"),
            noise_w_scale=request.get("noise_w_scale"),
            normalize_audio=False,  # keep the voice's own level; riskvid normalises the whole mix
        )
        loaded = time.perf_counter()
        for line in request["lines"]:
            reply(speak_line(voice, syn_config, line))
        reply(
            {
                "done": True,
                "piper": version("piper-tts"),
                "load_seconds": round(loaded - started, 3),
                "synth_seconds": round(time.perf_counter() - loaded, 3),
            }
        )
    except Exception as error:  # noqa: BLE001 - reported to the parent as one line
        message = " ".join(f"{type(error).__name__}: {error}".split())
        reply({"error": message[:500]})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

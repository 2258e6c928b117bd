"""The timeline: beats as long as their animations or their lines need, captions that follow the voice."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from riskvid.pipeline.captions import cue_text, to_srt, to_vtt
from riskvid.pipeline.plan import SegmentPlan
from riskvid.pipeline.timeline import (
    CUE_LINE_CHARS,
    MAX_CPS,
    MAX_STRETCH,
    Cue,
    Pauses,
    beat_cues,
    build_timeline,
    caption_chunks,
    two_lines,
)
from riskvid.pipeline.timing import NaturalBeat

FPS = 30


@dataclass(frozen=True)
class Said:
    """A line as the config gives it."""

    text: str
    spoken: str = ""

    def __post_init__(self):
        object.__setattr__(self, "spoken", self.spoken or self.text)


@dataclass(frozen=True)
class Speech:
    """A measured line: its length and its words' times from its start."""

    seconds: float
    words: tuple
    audio: Path | None = None


def spoken(text, seconds):
    """A Speech spreading ``text``'s words evenly over ``seconds``."""
    words = text.split()
    step = seconds / len(words)
    return Speech(seconds, tuple((word, i * step, (i + 1) * step) for i, word in enumerate(words)))


def plan(segment_id="s", index=1):
    return SegmentPlan(index, segment_id, "S", "title", "{}", 0, "paper", None)


def test_a_beat_lasts_as_long_as_its_lines_need_and_never_shorter_than_its_animations():
    naturals = {"s": [NaturalBeat("quiet", (2.0,)), NaturalBeat("talky", (1.0, 1.0)), NaturalBeat("short", (3.0,))]}
    narration = {"s": {"talky": [Said("One line."), Said("Another line.")], "short": [Said("Hi.")]}}
    speeches = {"s.talky.1": spoken("One line.", 4.0), "s.talky.2": spoken("Another line.", 3.0),
                "s.short.1": spoken("Hi.", 0.5)}
    pauses = Pauses(before=0.3, between=0.4, after=0.5)
    timeline = build_timeline([plan()], naturals, narration, speeches, pauses, FPS)
    quiet, talky, short = timeline.segments[0].beats
    assert (quiet.end - quiet.start) == 60 and quiet.stretch == 1.0 and quiet.lines == ()  # keeps its length
    assert (talky.end - talky.start) == round((0.3 + 4.0 + 0.4 + 3.0 + 0.5) * FPS)  # the voice sets it
    assert talky.stretch == MAX_STRETCH  # 2 s of animation in 8.2 s: slowed as far as allowed, then held
    assert (short.end - short.start) == 90  # the animation is longer than its line
    first, second = talky.lines
    assert first.start == pytest.approx(talky.start / FPS + 0.3)
    assert second.start == pytest.approx(first.end + 0.4)
    assert second.end + 0.5 <= talky.end / FPS + 1e-9  # a line never runs into the next beat
    assert [w.text for w in first.words] == ["One", "line."] and first.words[0].start == first.start


def test_stretch_is_the_slowest_pace_that_still_fits():
    naturals = {"s": [NaturalBeat("b", (1.0, 1.0, 1.0))]}
    narration = {"s": {"b": [Said("x " * 20)]}}
    speeches = {"s.b.1": spoken("x " * 20, 3.3)}
    timeline = build_timeline([plan()], naturals, narration, speeches, Pauses(0.1, 0.1, 0.1), FPS)
    beat = timeline.segments[0].beats[0]
    frames = beat.end - beat.start
    natural = naturals["s"][0]
    assert 1.0 < beat.stretch < MAX_STRETCH
    assert natural.frames(FPS, beat.stretch) <= frames < natural.frames(FPS, beat.stretch + 0.01)


def test_a_caption_is_never_faster_than_readable_even_when_the_voice_is():
    text = "A rather long line that a quick voice says far faster than anyone could read it."
    naturals = {"s": [NaturalBeat("b", (0.5,))]}
    timeline = build_timeline([plan()], naturals, {"s": {"b": [Said(text)]}}, {"s.b.1": spoken(text, 1.0)},
                              Pauses(), FPS)
    cues = timeline.segments[0].cues()
    assert sum(len(c.text.replace("\n", " ")) for c in cues) >= len(text) - len(cues)
    for cue in cues:
        assert len(cue.text.replace("\n", " ")) <= MAX_CPS * (cue.end - cue.start) + 1e-6, cue


def test_cues_are_cut_at_sentences_and_clauses_in_two_short_lines():
    text = ("Square every error, add them all up, and divide by the number of pixels and by 255 squared. "
            "That is L.")
    chunks = caption_chunks(text)
    assert chunks[-1] == "That is L."
    assert all(chunk.endswith((",", ".", "?", "!", ";", ":")) for chunk in chunks)
    for chunk in chunks:
        lines = two_lines(chunk).split("\n")
        assert len(lines) <= 2 and all(len(line) <= CUE_LINE_CHARS for line in lines)


def test_each_cue_is_on_screen_while_its_words_are_spoken():
    text = "First we guess. Then we check how wrong we were, and we nudge."
    naturals = {"s": [NaturalBeat("b", (0.5,))]}
    timeline = build_timeline([plan()], naturals, {"s": {"b": [Said(text)]}}, {"s.b.1": spoken(text, 5.0)},
                              Pauses(), FPS)
    line = timeline.segments[0].beats[0].lines[0]
    cues = timeline.segments[0].cues()
    texts = [c.text.replace("\n", " ") for c in cues]
    assert texts == ["First we guess.", "Then we check how wrong we were, and we nudge."]
    second_word_times = [w for w in line.words if w.text == "Then"][0]
    assert cues[1].start == pytest.approx(second_word_times.start, abs=1e-3)
    assert cues[0].start == pytest.approx(line.start, abs=1e-3)
    assert all(a.end <= b.start + 1e-9 for a, b in zip(cues, cues[1:]))


def test_segments_follow_each_other_on_the_full_timeline():
    naturals = {"a": [NaturalBeat("b", (1.0,))], "c": [NaturalBeat("b", (2.0,))]}
    narration = {"c": {"b": [Said("Hello there.")]}}
    speeches = {"c.b.1": spoken("Hello there.", 1.0)}
    timeline = build_timeline([plan("a", 1), plan("c", 2)], naturals, narration, speeches, Pauses(), FPS)
    assert timeline.offsets() == [0.0, 1.0]
    assert timeline.seconds == pytest.approx(3.0)
    [cue] = timeline.cues()
    assert cue.start == pytest.approx(1.0 + 0.3)


def test_caption_files_escape_the_same_way_and_cannot_be_forged():
    forged = "Hi\n\n2\n00:00:09,000 --> 00:00:10,000\n<b>owned</b> & more"
    srt, vtt = to_srt([Cue(0, 1, forged)]), to_vtt([Cue(0, 1, forged)])
    assert srt.count("-->") == 1 + 0 and "-->" not in cue_text(forged).replace("--&gt;", "")
    assert "<b>" not in srt and "<b>" not in vtt and "&lt;b&gt;owned&lt;/b&gt; &amp; more" in srt
    assert "\n\n" not in srt.strip() and "\n\n" not in vtt.split("\n\n", 1)[1].strip()
    assert cue_text(forged) in srt and cue_text(forged) in vtt


def test_a_line_with_unknown_word_times_spreads_its_captions_by_length():
    from riskvid.pipeline.timeline import Line

    line = Line("s.b.1", "One. Two three four.", "one, two three four", 10.0, 14.0, (), None)
    cues = beat_cues([line], 20.0)
    assert cues[0].start == 10.0 and 10.0 < cues[1].start < 14.0


def test_a_cue_appears_when_its_first_word_is_heard_not_where_spread_words_put_it(tmp_path):
    """Words spread by letters (a spoken form, a take) put the second sentence where its letters fall; its
    caption appears where the speech resumes after the pause between the sentences, and not before."""
    import numpy as np

    from riskvid.pipeline.voice.samples import write_wav

    rate = 48_000
    tone = (0.3 * np.sin(np.arange(rate) / 4)).astype(np.float32)  # 1 s of "speech"
    audio = tmp_path / "line.wav"
    write_wav(audio, np.concatenate([np.zeros(rate // 50, np.float32), tone[: rate // 2],  # 0.02-0.52 s
                                     np.zeros(rate * 2 // 5, np.float32), tone]))  # silent until 0.92 s
    text = "Short one. And then a much longer second sentence."
    speech = Speech(1.92, spoken(text, 1.92).words, audio)  # by letters the second starts at 0.38 s
    timeline = build_timeline([plan()], {"s": [NaturalBeat("b", (1.0,))]}, {"s": {"b": [Said(text)]}},
                              {"s.b.1": speech}, Pauses(before=0.3), FPS)
    line = timeline.segments[0].beats[0].lines[0]
    starts = [round(cue.start - line.start, 2) for cue in timeline.segments[0].cues()]
    assert starts == [0.02, 0.92]

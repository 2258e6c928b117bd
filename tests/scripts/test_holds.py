"""Settled posters, picked as the frames go by: the picture a beat holds longest, never a fade or an empty page."""

import numpy as np

from riskvid.pipeline.holds import Hold, HoldTap, holds_record, read_holds, segment_poster

PAGE = (250, 245, 235)


def frame(drawn: float, shade: int = 0, size: int = 64) -> np.ndarray:
    """A square page with its left ``drawn`` share inked (a fade: a lighter ink)."""
    pixels = np.empty((size, size, 4), np.uint8)
    pixels[...] = (*PAGE, 255)
    pixels[:, : int(size * drawn), :3] = shade
    return pixels


def test_the_longest_hold_wins_over_the_fade_into_it_and_ties_go_to_the_later():
    tap = HoldTap(PAGE)
    tap.begin_beat("reveal", 0)
    index = 0
    for shade in range(200, 0, -40):  # a fade: every frame differs
        tap.frame(index, frame(0.5, shade), 1)
        index += 1
    tap.frame(index, frame(0.5), 4)  # held 4 frames (one frame shown 4 times)
    index += 4
    tap.frame(index, frame(0.8), 1)  # a second picture, held 4 frames one by one: the later wins the tie
    for k in range(1, 4):
        tap.frame(index + k, frame(0.8), 1)
    holds = tap.holds()
    assert holds["reveal"] == Hold(12, 4, holds["reveal"].ink)  # the hold's last frame is kept
    assert (tap.posters["reveal"][:, :51, :3] == 0).all()


def test_an_empty_page_held_long_loses_to_a_drawn_picture_held_briefly():
    tap = HoldTap(PAGE)
    tap.begin_beat("clear", 0)
    tap.frame(0, frame(0.4), 2)
    tap.frame(2, frame(0.0), 30)  # everything faded out, the page held
    assert tap.holds()["clear"].frame == 1


def test_a_segment_poster_is_the_longest_hold_or_the_beat_named_and_survives_its_record():
    holds = {"a": Hold(0, 12, 0.3), "b": Hold(20, 12, 0.2), "c": Hold(40, 3, 0.4)}
    assert segment_poster(holds, ["a", "b", "c"]) == "b"
    assert segment_poster(holds, ["a", "b", "c"], "a") == "a"
    assert read_holds(holds_record(holds)) == holds
    assert read_holds({"a": 0.5, "b": {"frame": 1}}) == {}  # an older record (scores) is no hold


def test_a_hold_whose_last_glyph_is_still_finishing_keeps_its_finished_picture():
    tap = HoldTap(PAGE)
    tap.begin_beat("write", 0)
    faint = frame(0.5, size=256)
    faint[0, 0, :3] = 200  # one of the sampled grid's 1,024 pixels still fading in: the same picture
    tap.frame(0, faint, 1)
    tap.frame(1, frame(0.5, size=256), 5)
    assert tap.holds()["write"] == Hold(5, 6, tap.holds()["write"].ink)
    assert (tap.posters["write"][0, 0, :3] == 0).all()

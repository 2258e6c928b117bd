"""The loss-bars figures must equal the article's, rounding included."""

from itertools import pairwise

import pytest

from riskmath import Level, clip_losses, epoch_risk, first_learned_epoch, risk_level

BASE = [0.84, 0.67, 0.78, 0.59, 0.71]

# Q per epoch as the article's JavaScript prints it (Math.round(x * 100) / 100 at both steps).
ARTICLE_Q = {1: 0.72, 2: 0.51, 3: 0.37, 4: 0.27, 5: 0.19, 6: 0.14, 7: 0.10, 8: 0.07, 9: 0.05, 10: 0.04}


@pytest.mark.parametrize("epoch, q", ARTICLE_Q.items())
def test_q_per_epoch_matches_article(epoch, q):
    assert epoch_risk(BASE, epoch) == q


def test_clip_losses_at_epoch_4():
    assert clip_losses(BASE, 4).tolist() == [0.31, 0.25, 0.29, 0.22, 0.27]


def test_rounding_is_half_away_from_zero_not_bankers():
    # 0.5 × 0.25 = 0.125: Python's round gives 0.12, the article's Math.round gives 0.13.
    assert clip_losses([0.5], 1, decay=0.5).tolist() == [0.5]
    assert clip_losses([0.5], 3, decay=0.5).tolist() == [0.13]


def test_first_learned_epoch_and_levels():
    assert first_learned_epoch(BASE) == 8
    assert risk_level(epoch_risk(BASE, 7)) is Level.FAIR
    assert risk_level(epoch_risk(BASE, 1)) is Level.POOR


def test_q_never_rises_across_epochs():
    qs = [epoch_risk(BASE, e) for e in range(1, 31)]
    assert all(a >= b for a, b in pairwise(qs))


def test_duplicated_dataset_has_same_q():
    for epoch in range(1, 12):
        assert epoch_risk(BASE * 2, epoch) == epoch_risk(BASE, epoch)


@pytest.mark.parametrize("epoch", [0, -1, 1.5])
def test_bad_epoch_is_rejected(epoch):
    with pytest.raises(ValueError, match="epoch"):
        clip_losses(BASE, epoch)

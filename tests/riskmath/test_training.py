"""The tiny model really learns, deterministically."""

from riskmath import descent_on_landscape, empirical_risk, make_dataset, train


def test_q_falls_every_step_and_matches_losses():
    history = train(*make_dataset(), steps=15)
    qs = [s.q for s in history]
    assert all(a > b for a, b in zip(qs, qs[1:]))
    assert qs[-1] < qs[0] / 10
    for s in history:
        assert s.q == empirical_risk(s.losses)


def test_training_is_deterministic():
    assert train(*make_dataset(seed=3)) == train(*make_dataset(seed=3))


def test_descent_path_goes_downhill_on_the_landscape():
    xs, ys = make_dataset()
    ws, qs, path = descent_on_landscape(xs, ys, b=0.5, w0=-0.5)
    path_qs = [q for _, q in path]
    assert all(a > b for a, b in zip(path_qs, path_qs[1:]))
    assert min(qs) <= path_qs[-1]


def test_duplicated_dataset_gives_same_q():
    xs, ys = make_dataset()
    once = train(xs, ys, steps=3)
    twice = train(list(xs) * 2, list(ys) * 2, steps=3)
    assert [round(s.q, 12) for s in once] == [round(s.q, 12) for s in twice]

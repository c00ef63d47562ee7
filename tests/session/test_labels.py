"""Run names and settings texts (trainlab/session/labels.py)."""

from trainlab.session.labels import run_label, settings_brief, settings_summary


def preset(**changes):
    d = {"data": {"source": "spirals"}, "model": {"hidden": [16, 16], "activation": "tanh"},
         "optimizer": {"name": "adam", "lr": 0.01}, "schedule": {"name": "constant"},
         "training": {"batch_size": 32}, "regularization": {"l2": 0.0}}
    for section, values in changes.items():
        d[section] = dict(d.get(section, {}), **values)
    return d


def test_run_label_names_the_number_optimizer_rate_and_layers():
    assert run_label(3, preset()) == "#3 adam η=0.01 16-16"
    assert run_label(1, preset(model={"hidden": []})) == "#1 adam η=0.01 linear"


def test_settings_summary_and_brief():
    assert settings_summary(preset()) == "spirals · 16-16 tanh · adam η=0.01 · B=32"
    cosine = preset(schedule={"name": "cosine"}, model={"activation": ["tanh", "relu"],
                                                        "dropout": 0.2, "batch_norm": True},
                    regularization={"l2": 0.001})
    assert settings_summary(cosine) == "spirals · 16-16 tanh/relu · adam η=0.01 · cosine · B=32"
    assert settings_brief(cosine) == (
        "spirals · tanh/relu · B=32 · cosine · L2 0.001 · dropout 0.2 · batch norm")


def test_distinct_label_names_what_differs_from_the_runs_beside_it():
    from trainlab.session.labels import differences, distinct_label

    a = preset(optimizer={"name": "momentum", "lr": 0.05, "momentum": 0.9})
    b = preset(optimizer={"name": "momentum", "lr": 0.05, "momentum": 0.0})
    assert distinct_label(1, a, [b]) == "#1 momentum η=0.05 16-16 · μ=0.9"
    assert distinct_label(2, b, [a]) == "#2 momentum η=0.05 16-16 · μ=0"
    assert distinct_label(3, a, []) == run_label(3, a)  # alone: nothing to tell apart
    # A key that does not apply (β₁ under momentum) is not named; the name is never named.
    c = dict(preset(optimizer={"name": "momentum", "lr": 0.05, "momentum": 0.9,
                                        "beta1": 0.5}), name="other")
    assert differences(c, [a]) == []

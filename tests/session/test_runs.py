"""The runs of a session (trainlab/session/runs.py): current, visible, pinned, colours."""

import pytest

from trainlab.presets import default_preset, preset_to_dict
from trainlab.session.runs import MAX_AUTO_VISIBLE, RunsModel


@pytest.fixture
def preset():
    return preset_to_dict(default_preset())


def events_of(runs):
    calls = []
    for name in ("added", "removed", "changed", "visibility_changed", "selected",
                 "state_changed"):
        getattr(runs.events, name).connect(lambda *a, n=name: calls.append((n, *a)))
    return calls


def test_a_started_run_is_current_visible_selected_and_labelled(preset):
    runs = RunsModel()
    calls = events_of(runs)
    entry = runs.start(preset, "classification")
    assert entry.run_id == 1 and runs.current == 1 and runs.selected == 1
    assert entry.name == f"#1 {preset['optimizer']['name']} η={preset['optimizer']['lr']:g} " \
        + "-".join(str(w) for w in preset["model"]["hidden"])
    assert entry.visible and not entry.pinned and entry.history is None
    assert calls == [("added", entry)]


def test_starting_a_run_hides_the_oldest_so_that_four_are_overlaid(preset):
    runs = RunsModel()
    for _ in range(MAX_AUTO_VISIBLE):
        runs.start(preset, "classification")
    assert runs.visible_ids() == [1, 2, 3, 4]
    calls = events_of(runs)
    runs.start(preset, "classification")
    assert runs.visible_ids() == [2, 3, 4, 5]
    assert calls[0] == ("visibility_changed", [2, 3, 4])  # hidden before the new one comes
    runs.start(preset, "classification")
    assert runs.visible_ids() == [3, 4, 5, 6]


def test_runs_the_user_ticked_are_never_hidden(preset):
    runs = RunsModel()
    for _ in range(3):
        runs.start(preset, "classification")
    runs.show_only([1, 2])  # the user's ticks: these two are pinned
    assert runs.visible_ids() == [1, 2]
    assert [e.pinned for e in runs.entries.values()] == [True, True, False]
    for _ in range(MAX_AUTO_VISIBLE):
        runs.start(preset, "classification")
    # The cap counts the runs shown automatically; the ticked ones come on top of it.
    assert runs.visible_ids() == [1, 2, 4, 5, 6, 7]
    runs.start(preset, "classification")
    assert runs.visible_ids() == [1, 2, 5, 6, 7, 8]


def test_hiding_a_run_automatically_pins_nothing(preset):
    runs = RunsModel()
    for _ in range(MAX_AUTO_VISIBLE + 1):
        runs.start(preset, "classification")
    assert not any(e.pinned for e in runs.entries.values())


def test_an_opened_run_is_pinned_and_drawn_from_its_history(preset):
    runs = RunsModel()
    history = {"epoch": [0, 1], "train_loss": [1.0, 0.5]}
    entry = runs.open("spirals-run", preset, history, "classification", status="finished")
    assert entry.name == "#1 spirals-run" and entry.pinned and entry.visible
    assert entry.history is history and entry.status == "finished"
    assert runs.current is None  # the trainer reports about started runs only


def test_colours_are_the_first_free_ones(preset):
    runs = RunsModel()
    a, b, c = (runs.start(preset, "classification") for _ in range(3))
    assert [a.color, b.color, c.color] == [0, 1, 2]
    runs.remove(b.run_id)
    d = runs.start(preset, "classification")
    assert d.color == 1


def test_the_run_that_is_going_cannot_be_removed(preset):
    runs = RunsModel()
    first = runs.start(preset, "classification")
    second = runs.start(preset, "classification")
    runs.set_state("running")
    assert runs.active and not runs.can_remove(second.run_id) and runs.can_remove(1)
    with pytest.raises(ValueError, match="stop it first"):
        runs.remove(second.run_id)
    calls = events_of(runs)
    runs.remove(first.run_id)
    assert calls == [("removed", 1)] and list(runs.entries) == [2]
    runs.set_state("idle")
    runs.remove(second.run_id)
    assert not runs.entries and runs.selected is None


def test_selection_falls_back_to_the_newest_run(preset):
    runs = RunsModel()
    for _ in range(3):
        runs.start(preset, "classification")
    calls = events_of(runs)
    runs.select(1)
    assert runs.selected == 1 and calls == [("selected", 1)]
    runs.select(99)  # not a run: ignored
    assert runs.selected == 1
    runs.remove(1)
    assert runs.selected == 3


def test_states_are_checked_and_reported_once(preset):
    runs = RunsModel()
    calls = events_of(runs)
    runs.set_state("running")
    runs.set_state("running")
    runs.set_state("idle")
    assert calls == [("state_changed", "running"), ("state_changed", "idle")]
    with pytest.raises(ValueError, match="run state"):
        runs.set_state("flying")


def test_changed_tells_the_views_about_known_runs_only(preset):
    runs = RunsModel()
    runs.start(preset, "classification")
    calls = events_of(runs)
    runs.changed(1)
    runs.changed(5)
    assert calls == [("changed", 1)]


def test_a_label_given_on_purpose_is_kept_when_runs_beside_it_differ(preset):
    runs = RunsModel()
    first = runs.start(preset, "classification")
    runs.set_label(first.run_id, "η = 0.01")
    second_preset = {**preset, "optimizer": {**preset["optimizer"], "beta1": 0.5}}
    second = runs.start(second_preset, "classification")
    assert first.name == "#1 η = 0.01" and first.fixed_label == "η = 0.01"
    # the run without a given label is still named by what sets it apart
    assert second.name.endswith("β₁=0.5")

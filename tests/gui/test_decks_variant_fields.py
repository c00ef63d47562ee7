"""The settings form's fields for the decks' variants: schedule.per and model.dropout_mode."""

from __future__ import annotations

from .test_config_panel import choose, panel  # noqa: F401  (the panel fixture)


def test_both_fields_show_and_set_the_preset(panel):  # noqa: F811
    per, mode = panel.field("schedule.per"), panel.field("model.dropout_mode")
    assert per.isVisibleTo(panel) and mode.isVisibleTo(panel)
    assert [per.editor.itemData(i) for i in range(per.editor.count())] == ["epoch", "step"]
    choose(per, "step")
    choose(mode, "scale_at_test")
    assert panel.model.get("schedule.per") == "step"
    assert panel.model.get("model.dropout_mode") == "scale_at_test"
    assert panel.model.valid


def test_per_step_with_plateau_is_a_problem_of_the_per_field(panel):  # noqa: F811
    choose(panel.field("schedule.name"), "plateau")
    choose(panel.field("schedule.per"), "step")
    assert "plateau" in panel.model.problems.get("schedule.per", "")
    choose(panel.field("schedule.per"), "epoch")
    assert "schedule.per" not in panel.model.problems

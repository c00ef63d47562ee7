"""The Qt adapter of the preset draft (trainlab/gui/model.py)."""

from trainlab.gui.model import PresetModel
from trainlab.presets import default_preset, preset_to_dict
from trainlab.session.draft import PresetDraft


def test_the_drafts_events_arrive_as_qt_signals(qtbot):
    draft = PresetDraft(preset_to_dict(default_preset()))
    model = PresetModel(draft)
    seen = []
    model.dirtyChanged.connect(lambda dirty: seen.append(("dirtyChanged", dirty)))
    model.validated.connect(lambda: seen.append(("validated",)))
    model.valueChanged.connect(lambda path: seen.append(("valueChanged", path)))
    draft.set("optimizer.lr", 0.5)
    assert seen == [("dirtyChanged", True), ("validated",), ("valueChanged", "optimizer.lr")]
    with qtbot.waitSignal(model.reset):
        model.load(preset_to_dict(default_preset()))
    assert not draft.dirty


def test_reading_and_writing_go_to_the_draft(qtbot):
    model = PresetModel(preset_to_dict(default_preset()))  # a dict makes its own draft
    model.set("seed", 4)
    assert model.draft.get("seed") == model.get("seed") == 4 and model.dirty
    model.set_local_problem("seed", "not a number")
    assert model.local_problems == {"seed": "not a number"} and not model.valid
    assert model.all_problems() == model.draft.all_problems()

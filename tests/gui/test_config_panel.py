"""The settings panel: fields make the preset, a preset fills the fields, knobs show as needed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from trainlab.gui.config_panel import ConfigPanel, applies
from trainlab.gui.model import PresetModel
from trainlab.presets import default_preset, preset_to_dict, validate_preset

from .conftest import tiny_preset


def leaf_paths(d: dict, prefix: str = "") -> list[str]:
    out = []
    for key, value in d.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out += leaf_paths(value, path + ".")
        else:
            out.append(path)
    return out


@pytest.fixture
def panel(qtbot):
    model = PresetModel(preset_to_dict(default_preset()))
    p = ConfigPanel(model)
    qtbot.addWidget(p)
    p.resize(450, 900)
    p.show()
    return p


def set_text(qtbot, field, text):
    field.editor.setFocus()
    field.editor.selectAll()
    qtbot.keyClicks(field.editor, text)
    field.editor.clearFocus()


def choose(field, value):
    combo = field.editor
    combo.setCurrentIndex(combo.findData(value))


#: Keys that are no knob of the form: the file's identity, and what the window records or
#: opens elsewhere (live changes, a lesson's text and its variants).
NOT_KNOBS = ("format", "version", "changes", "lesson", "variants")


def test_every_preset_key_has_a_field_with_a_tooltip(panel):
    for path in leaf_paths(preset_to_dict(default_preset())):
        if path.split(".")[0] in NOT_KNOBS:
            continue
        field = panel.field(path)
        assert field.toolTip(), path


def test_tooltips_show_spec_formulas(panel):
    assert "η₀·γ^⌊e/s⌋" in panel.field("schedule.step_size").toolTip()
    assert "m ← β₁m + (1−β₁)g" in panel.field("optimizer.beta1").toolTip()
    assert "min(1, c/(‖g‖₂ + 1e-6))" in panel.field("regularization.clip_norm").toolTip()
    combo = panel.field("optimizer.name").editor
    tip = combo.itemData(combo.findData("adam"), Qt.ItemDataRole.ToolTipRole)
    assert "√(v/(1−β₂ᵗ))" in tip


def test_fields_produce_the_preset(qtbot, panel):
    model = panel.model
    choose(panel.field("optimizer.name"), "momentum")
    set_text(qtbot, panel.field("optimizer.lr"), "0.05")
    panel.field("optimizer.nesterov").editor.setChecked(True)
    choose(panel.field("schedule.name"), "step")
    set_text(qtbot, panel.field("schedule.gamma"), "0.25")
    panel.field("schedule.step_size").editor.setValue(7)
    panel.field("training.epochs").editor.setValue(42)
    panel.field("data.kfold").editor.setValue(5)
    set_text(qtbot, panel.field("regularization.clip_norm"), "1e-2")
    layers = panel.field("model.hidden")
    layers.add_layer()
    layers.width_spins[2].setValue(8)
    choose(panel.field("data.source"), "moons")

    expected = preset_to_dict(default_preset())
    expected["optimizer"].update(name="momentum", lr=0.05, nesterov=True)
    expected["schedule"].update(name="step", gamma=0.25, step_size=7)
    expected["training"]["epochs"] = 42
    expected["data"]["kfold"] = 5
    expected["data"]["source"] = "moons"
    expected["regularization"]["clip_norm"] = 0.01
    expected["model"]["hidden"] = [16, 16, 8]
    assert model.data == expected
    assert preset_to_dict(validate_preset(model.data)) == expected
    assert model.dirty and model.valid


def test_loading_a_preset_sets_every_field(panel):
    d = tiny_preset(optimizer__name="rmsprop", optimizer__lr=0.003, optimizer__momentum=0.5,
                    schedule__name="cosine", schedule__T=33, model__activation=["relu"],
                    regularization__clip_norm=2.5, training__batch_size=7, seed=11)
    panel.model.load(d)
    assert panel.field("optimizer.name").editor.currentData() == "rmsprop"
    assert panel.field("optimizer.lr").editor.text() == "0.003"
    assert panel.field("optimizer.momentum").editor.text() == "0.5"
    assert panel.field("schedule.T").editor.value() == 33
    assert panel.field("regularization.clip_norm").editor.text() == "2.5"
    assert panel.field("training.batch_size").editor.value() == 7
    assert panel.field("seed").editor.value() == 11
    layers = panel.field("model.hidden")
    assert layers.widths() == [4]
    from PySide6.QtWidgets import QSpinBox

    shown = [w for w in layers.findChildren(QSpinBox) if w.isVisibleTo(layers)]
    assert len(shown) == 1  # the second layer of the previous preset is gone from the screen
    assert layers.per_layer.isChecked() and layers.activation_value() == ["relu"]
    assert panel.field("data.kfold").editor.text() == "off"
    assert not panel.model.dirty


def test_only_applicable_knobs_are_shown(panel):
    def shown(path):
        return panel.field(path).isVisibleTo(panel)

    assert shown("optimizer.beta1") and not shown("optimizer.nesterov")
    choose(panel.field("optimizer.name"), "momentum")
    assert shown("optimizer.nesterov") and shown("optimizer.momentum")
    assert not shown("optimizer.beta1")
    assert not shown("schedule.gamma")
    choose(panel.field("schedule.name"), "step")
    assert shown("schedule.gamma") and shown("schedule.step_size")
    assert not shown("data.path")
    choose(panel.field("data.source"), "csv")
    assert shown("data.path") and not shown("data.noise")


def test_applies_rules_without_a_window():
    d = preset_to_dict(default_preset())
    assert applies("optimizer.beta2", d) and not applies("optimizer.rho", d)
    d["optimizer"]["name"] = "rmsprop"
    assert applies("optimizer.rho", d) and applies("optimizer.momentum", d)
    d["model"]["activation"] = ["tanh", "maxout"]
    assert applies("model.maxout_pieces", d)
    d["training"]["early_stopping"]["enabled"] = False
    assert not applies("training.early_stopping.patience", d)


def test_invalid_value_is_marked_where_it_is(qtbot, panel):
    lr = panel.field("optimizer.lr")
    set_text(qtbot, lr, "-0.1")
    assert not panel.model.valid
    assert "must be > 0" in lr.error
    assert lr.editor.property("invalid") is True
    set_text(qtbot, lr, "abc")
    assert "type a number" in lr.error
    set_text(qtbot, lr, "0.1")
    assert panel.model.valid and lr.error == ""
    assert lr.editor.property("invalid") is False


def test_regression_data_switches_to_a_regression_loss(panel):
    notices = []
    panel.notice.connect(notices.append)
    choose(panel.field("data.source"), "sine")
    assert panel.model.get("loss.name") == "mse"
    assert notices and "mse" in notices[0]
    assert panel.model.valid


def test_layers_editor_adds_removes_and_sets_per_layer_activations(panel):
    layers = panel.field("model.hidden")
    layers.remove_layer()
    layers.remove_layer()
    assert panel.model.get("model.hidden") == []
    assert "linear" in layers.summary.text()
    layers.add_layer()
    layers.add_layer()
    assert panel.model.get("model.hidden") == [8, 8]
    layers.per_layer.setChecked(True)
    layers.act_combos[1].setCurrentIndex(layers.act_combos[1].findData("relu"))
    assert panel.model.get("model.activation") == ["tanh", "relu"]
    layers.add_layer()
    assert panel.model.get("model.activation") == ["tanh", "relu", "relu"]
    assert panel.model.valid
    layers.per_layer.setChecked(False)
    assert panel.model.get("model.activation") == "tanh"


def test_locked_while_training(panel):
    """While a run goes only the live-changeable fields stay editable; the others say why."""
    panel.set_locked(True)
    assert panel.field("optimizer.lr").isEnabled()
    assert panel.field("training.batch_size").isEnabled()
    assert not panel.field("optimizer.name").isEnabled()
    assert not panel.field("data.n_samples").isEnabled()
    assert "Locked while a run exists" in panel.field("data.n_samples").toolTip()
    assert not panel.field("model.hidden").isEnabled()
    assert panel.lock_label.isVisibleTo(panel)
    panel.set_locked(False)
    assert panel.field("optimizer.name").isEnabled()
    assert panel.field("data.n_samples").isEnabled()
    assert "Locked" not in panel.field("data.n_samples").toolTip()


def test_optimizer_defaults_follow_the_optimizer_unless_changed(panel):
    choose(panel.field("optimizer.name"), "rmsprop")
    assert panel.model.get("optimizer.momentum") == 0.0  # PyTorch's RMSprop default
    assert panel.field("optimizer.momentum").editor.text() == "0.0"
    choose(panel.field("optimizer.name"), "adagrad")
    assert panel.model.get("optimizer.eps") == 1e-10
    assert panel.model.get("optimizer.momentum") == 0.9
    panel.field("optimizer.eps").editor.setText("0.001")
    panel.field("optimizer.eps").editor.textEdited.emit("0.001")
    choose(panel.field("optimizer.name"), "adam")
    assert panel.model.get("optimizer.eps") == 0.001  # the user's value stays


def fields_show(panel) -> dict:
    """Every key the panel shows → the value its widget displays."""
    shown = {}
    for path, field in panel.fields.items():
        value = field.shown()
        if path == "model.hidden":  # the layers editor shows the widths and the activation
            shown.update(value)
        else:
            shown[path] = value
    return shown


def test_every_field_shows_the_loaded_preset(panel):
    from trainlab.presets import load_preset, shipped_presets

    presets = [preset_to_dict(load_preset(path)) for _, path in shipped_presets()]
    presets.append(tiny_preset(data__source="csv", data__path="/tmp/x.csv", data__target="y",
                               data__kfold=4, regularization__clip_norm=0.5,
                               model__activation=["relu"], training__early_stopping__enabled=True))
    for d in presets:
        panel.model.load(d)
        for path, value in fields_show(panel).items():
            expected = panel.model.get(path)
            assert value == expected, (d["name"], path, value, expected)


def test_a_panel_deleted_before_its_deferred_refit_is_left_alone(qtbot):
    """The panel refits its width on the event loop's next turn after a layout change; a
    panel deleted meanwhile (its window closed) must not be called then."""
    from PySide6.QtCore import QCoreApplication, QEvent

    p = ConfigPanel(PresetModel(preset_to_dict(default_preset())))
    p.resize(450, 900)
    p.show()
    qtbot.waitExposed(p)
    p.widget().updateGeometry()
    p.widget().layout().invalidate()  # posts a layout request to the panel's contents
    QCoreApplication.sendPostedEvents(p.widget(), QEvent.Type.LayoutRequest)  # refit queued
    p.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    with qtbot.captureExceptions() as raised:
        for _ in range(3):
            QCoreApplication.processEvents()
    assert raised == []

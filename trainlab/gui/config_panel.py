"""The settings panel: one section per part of a preset, a field per key.

Only the knobs that apply are shown (β₁/β₂ for Adam, γ and step size for the step schedule,
…): the catalog's :func:`~trainlab.catalog.knobs.applies` decides from the preset alone (the
same rules write the schema's "Only used when …"). Labels, tooltips and spin-box ranges come
from the catalog too.
Problems found by the preset validator appear under their field; those that belong to no
visible field are listed at the top of the panel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from trainlab.catalog.data import SCALINGS, SOURCE_INPUTS, SOURCE_TABLE, TASKS, data_task
from trainlab.catalog.knobs import CHOICES, applies, defaults_that_follow
from trainlab.catalog.names import DTYPES, INITS, LOSSES, OPTIMIZERS, SCHEDULES
from trainlab.catalog.rules import DEFAULT_LOSS, losses_for
from trainlab.gui import tooltips
from trainlab.gui.fields import (
    BoolField,
    ChoiceField,
    FeaturesField,
    Field,
    FloatField,
    IntField,
    PathField,
    TextAreaField,
    TextField,
)
from trainlab.gui.layers_editor import LayersEditor
from trainlab.gui.model import PresetModel

__all__ = ["ConfigPanel", "applies", "source_task"]


def source_task(d: dict) -> str | None:
    """'classification' or 'regression' when the data settings tell, else None."""
    data = d.get("data") or {}
    return data_task(data.get("source"), data.get("task"))


def _belongs(problem_key: str, path: str) -> bool:
    """A validator key such as 'model.hidden[1]' or 'data.split' belongs to field 'path'."""
    key = problem_key.replace("[", ".").rstrip("]")
    return key == path or key.startswith(path + ".") or path.startswith(key + ".")


def _strip_key(message: str, path: str) -> str:
    """'data.noise: must be ≥ 0' under the noise field reads 'must be ≥ 0'."""
    for prefix in (f"{path}: ", f"{path} "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


class ConfigPanel(QScrollArea):
    """All preset fields in sections; scrolls when the window is short."""

    notice = Signal(str)  # a short message for the status line (e.g. "loss set to mse")

    def __init__(self, model: PresetModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.fields: dict[str, Field | LayersEditor] = {}
        self._forms: dict[str, QFormLayout] = {}
        self.sections: dict[str, QGroupBox] = {}
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QScrollArea.Shape.NoFrame)

        host = QWidget()
        host.setObjectName("configHost")
        self.column = QVBoxLayout(host)
        self.column.setContentsMargins(8, 6, 8, 8)
        self.column.setSpacing(8)

        self.problems_label = QLabel()
        self.problems_label.setObjectName("problemsBox")
        self.problems_label.setWordWrap(True)
        self.problems_label.hide()
        self.column.addWidget(self.problems_label)

        self.lock_label = QLabel(
            "While a run goes, only the settings it can take at its next epoch stay "
            "editable (learning rate, momentum, regularization, batch size, schedule…); "
            "stop it to change the others.")
        self.lock_label.setObjectName("lockBox")
        self.lock_label.setWordWrap(True)
        self.lock_label.hide()
        self.column.addWidget(self.lock_label)

        m = model
        s = self._section("Preset")
        self._add(s, TextField(m, "name", placeholder="a short name"))
        self._add(s, TextAreaField(m, "description", placeholder="what this preset shows"))

        s = self._section("Data")
        labels = {source.name: source.label for source in SOURCE_TABLE}
        self._add(s, ChoiceField(m, "data.source", list(labels), labels))
        self._add(s, PathField(m, "data.path"))
        self._add(s, TextField(m, "data.target", optional=True, placeholder="last column"))
        self._add(s, ChoiceField(m, "data.task", TASKS))
        self._add(s, IntField(m, "data.n_samples"))
        self._add(s, FloatField(m, "data.noise"))
        self._add(s, IntField(m, "data.classes"))
        self._add(s, FloatField(m, "data.split.train"), "Train share")
        self._add(s, FloatField(m, "data.split.val"), "Validation share")
        self._add(s, FloatField(m, "data.split.test"), "Test share")
        self._add(s, ChoiceField(m, "data.scaling", SCALINGS))
        self._add(s, IntField(m, "data.kfold", off_text="off"), "k-fold")
        self._add(s, IntField(m, "data.seed", off_text="as Seed"), "Data seed")
        self.features_field = FeaturesField(m)
        self._add(s, self.features_field, "Features")
        self.data_info = QLabel()
        self.data_info.setObjectName("hint")
        self.data_info.setWordWrap(True)
        self.data_info.setMinimumWidth(120)
        self.data_info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._forms["Data"].addRow(self.data_info)

        s = self._section("Model")
        layers = LayersEditor(m)
        self.fields["model.hidden"] = layers
        self._forms[s].addRow(layers)
        self._add(s, ChoiceField(m, "model.init", INITS))
        self._add(s, FloatField(m, "model.init_scale"))
        self._add(s, FloatField(m, "model.dropout"))
        self._add(s, ChoiceField(m, "model.dropout_mode", CHOICES["model.dropout_mode"]))
        self._add(s, BoolField(m, "model.batch_norm", "normalize hidden layers"), "Batch norm")
        self._add(s, IntField(m, "model.maxout_pieces"))

        s = self._section("Loss")
        self.loss_field = ChoiceField(m, "loss.name", LOSSES)
        self._add(s, self.loss_field)
        self._add(s, FloatField(m, "loss.label_smoothing"))

        s = self._section("Optimizer")
        self._add(s, ChoiceField(m, "optimizer.name", OPTIMIZERS))
        self._add(s, FloatField(m, "optimizer.lr"), "Learning rate")
        self._add(s, FloatField(m, "optimizer.momentum"))
        self._add(s, BoolField(m, "optimizer.nesterov", "look ahead"))
        self._add(s, FloatField(m, "optimizer.beta1"))
        self._add(s, FloatField(m, "optimizer.beta2"))
        self._add(s, FloatField(m, "optimizer.eps"))
        self._add(s, FloatField(m, "optimizer.rho"))
        self._add(s, FloatField(m, "optimizer.weight_decay"), "Weight decay")

        s = self._section("Schedule")
        self._add(s, ChoiceField(m, "schedule.name", SCHEDULES))
        self._add(s, ChoiceField(m, "schedule.per", CHOICES["schedule.per"]))
        self._add(s, IntField(m, "schedule.warmup_epochs"), "Warm-up epochs")
        self._add(s, FloatField(m, "schedule.gamma"))
        self._add(s, IntField(m, "schedule.step_size", suffix=" epochs"), "Step size")
        self._add(s, FloatField(m, "schedule.decay"))
        self._add(s, FloatField(m, "schedule.power"))
        self._add(s, IntField(m, "schedule.T", suffix=" epochs"), "Length T")
        self._add(s, FloatField(m, "schedule.min_lr"), "Minimum η")
        self._add(s, FloatField(m, "schedule.factor"))
        self._add(s, IntField(m, "schedule.patience", suffix=" epochs"))
        self._add(s, IntField(m, "schedule.cooldown", suffix=" epochs"))

        s = self._section("Regularization")
        self._add(s, FloatField(m, "regularization.l1"))
        self._add(s, FloatField(m, "regularization.l2"))
        self._add(s, FloatField(m, "regularization.clip_norm", optional=True), "Clip gradient")

        s = self._section("Training")
        self._add(s, IntField(m, "training.epochs"))
        self._add(s, IntField(m, "training.batch_size"))
        self._add(s, BoolField(m, "training.shuffle", "every epoch"))
        self._add(s, BoolField(m, "training.record_batch_loss", "loss of every update"),
                  "Mini-batch losses")
        self._add(s, ChoiceField(m, "training.dtype", DTYPES))
        self._add(s, IntField(m, "seed"))
        self._add(s, BoolField(m, "training.early_stopping.enabled", "stop when val loss stalls"))
        self._add(s, IntField(m, "training.early_stopping.patience"), "  patience")
        self._add(s, FloatField(m, "training.early_stopping.min_delta"), "  min delta")
        self._add(s, BoolField(m, "training.early_stopping.restore_best", "keep best weights"),
                  "  restore best")
        self.column.addStretch(1)
        self.setWidget(host)
        self._fit_width()
        host.installEventFilter(self)  # a row that grows later (fonts, hints) widens the panel

        model.valueChanged.connect(self._value_changed)
        model.reset.connect(self.refresh)
        model.validated.connect(self.show_problems)
        self.refresh()

    # ---- building ---------------------------------------------------------------------------
    def _section(self, title: str) -> str:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(6)
        self.column.addWidget(box)
        self.sections[title] = box
        self._forms[title] = form
        return title

    def _add(self, section: str, field: Field, label: str | None = None) -> None:
        text = label if label is not None else tooltips.title(field.path)
        lab = QLabel(text)
        lab.setToolTip(tooltips.tooltip(field.path))
        lab.setBuddy(field.editor)
        self._forms[section].addRow(lab, field)
        self.fields[field.path] = field

    def field(self, path: str) -> Field | LayersEditor:
        """The widget bound to `path` ('model.activation' gives the layers editor)."""
        return self.fields["model.hidden" if path == "model.activation" else path]

    # ---- model -> view ----------------------------------------------------------------------
    def refresh(self) -> None:
        self._optimizer = self.model.get("optimizer.name")
        for field in self.fields.values():
            field.update_from_model()
        self._update_visibility()
        self.show_problems()

    def _value_changed(self, path: str) -> None:
        if path in ("data.source", "data.task"):
            self._match_loss_to_task()
        if path == "optimizer.name":
            self._follow_optimizer_defaults()
        for key, field in self.fields.items():
            if key == path or (key == "model.hidden" and path == "model.activation"):
                field.update_from_model()  # fields keep text being typed that means the same
        self._update_visibility()

    def _follow_optimizer_defaults(self) -> None:
        """Switching adam → rmsprop moves momentum from 0.9 to rmsprop's 0, unless the user
        had changed it: a value still at the old optimizer's default follows the new one."""
        new = self.model.get("optimizer.name")
        old_defaults = defaults_that_follow("optimizer.name", self._optimizer)
        for key, value in defaults_that_follow("optimizer.name", new).items():
            if self.model.get(key) == old_defaults[key] and value != old_defaults[key]:
                self.model.set(key, value)
                self.fields[key].update_from_model()
        self._optimizer = new

    def _match_loss_to_task(self) -> None:
        """Picking regression data with a classification loss (or back) fixes the loss."""
        task = source_task(self.model.data)
        loss = self.model.get("loss.name")
        if task and loss not in losses_for(task):
            new = DEFAULT_LOSS[task]
            self.model.set("loss.name", new)
            self.fields["loss.name"].update_from_model()
            self.notice.emit(f"Loss set to {new}, which suits {task} data.")

    def _update_visibility(self) -> None:
        d = self.model.data
        # Computed features exist for sources of one or two raw inputs (check boxes or a degree).
        n_inputs = SOURCE_INPUTS.get((d.get("data") or {}).get("source"))
        self.features_field.set_inputs(n_inputs or 2)
        for path, field in self.fields.items():
            if isinstance(field, LayersEditor):
                continue
            form = self._form_of(field)
            if form is not None:
                shown = applies(path, d) and (field is not self.features_field
                                              or n_inputs in (1, 2))
                form.setRowVisible(field, shown)
        self._fit_width()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        if obj is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            QTimer.singleShot(0, self, self._fit_width)  # not after the panel is gone
        return super().eventFilter(obj, event)

    def _fit_width(self) -> None:
        """The panel is never narrower than its widest row (a row shown later, such as the
        linear model's note, would be cut off on the right: there is no horizontal bar)."""
        host = self.widget()
        if host is None:
            return
        width = host.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() + 4
        if width != self.minimumWidth():
            self.setMinimumWidth(width)

    def _form_of(self, field: QWidget) -> QFormLayout | None:
        for form in self._forms.values():
            if form.indexOf(field) >= 0:
                return form
        return None

    def show_problems(self) -> None:
        problems = self.model.all_problems()
        d = self.model.data
        claimed: set[str] = set()
        for path, field in self.fields.items():
            paths = field.paths if isinstance(field, LayersEditor) else (path,)
            messages = []
            for key, message in problems.items():
                if any(_belongs(key, p) for p in paths) and (
                    isinstance(field, LayersEditor) or applies(path, d)
                ):
                    messages.append(_strip_key(message, key))
                    claimed.add(key)
            field.set_error("\n".join(dict.fromkeys(messages)) or None)
        rest = [
            f"• {tooltips.title(k) if k in tooltips.FIELDS else k or 'settings'}: "
            f"{_strip_key(v, k)}"
            for k, v in problems.items() if k not in claimed
        ]
        self.problems_label.setText("Fix before training:\n" + "\n".join(rest) if rest else "")
        self.problems_label.setVisible(bool(rest))

    def set_locked(self, locked: bool) -> None:
        """While a run is going only the live-changeable settings stay editable (a change
        reaches the run at its next epoch); the structural ones say why they are locked."""
        from trainlab.gui.live_changes import lock_fields

        lock_fields(self.fields, locked)
        self.lock_label.setVisible(locked)

    def set_data_info(self, text: str) -> None:
        self.data_info.setText(text)

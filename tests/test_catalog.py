"""The knob catalog is the one home of names, codes, defaults and rules: everything else agrees."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest
from pydantic import BaseModel

from trainlab.catalog import choices, data, knobs, names, rules
from trainlab.catalog.knob import REQUIRED, When
from trainlab.presets import json_schema
from trainlab.presets.model import Preset


def schema_leaves(model: type[BaseModel] = Preset, prefix: str = "") -> dict[str, object]:
    """Every leaf key of the preset models, by dotted path → its pydantic field."""
    out: dict[str, object] = {}
    for name, field in model.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            out.update(schema_leaves(kind, f"{prefix}{name}."))
        else:
            out[f"{prefix}{name}"] = field
    return out


def json_schema_leaves(schema: dict, node: dict | None = None, prefix: str = "") -> set[str]:
    """The same walk over the published JSON Schema (sections are $refs into $defs)."""
    node = schema if node is None else node
    out: set[str] = set()
    for key, prop in node["properties"].items():
        ref = prop.get("$ref")
        if ref:
            out |= json_schema_leaves(schema, schema["$defs"][ref.rsplit("/", 1)[1]],
                                      f"{prefix}{key}.")
        else:
            out.add(f"{prefix}{key}")
    return out


# ---- the schema and the catalog name the same keys ---------------------------------------------


def test_every_schema_key_has_a_catalog_entry_and_back():
    assert set(schema_leaves()) == set(knobs.KNOBS)
    assert json_schema_leaves(json_schema()) == set(knobs.KNOBS)


def test_schema_fields_take_default_range_and_description_from_the_catalog():
    for path, field in schema_leaves().items():
        knob = knobs.KNOBS[path]
        assert field.description == knob.description, path
        if knob.default is REQUIRED:
            assert field.is_required(), path
        elif isinstance(knob.default, tuple):
            assert field.default_factory() == list(knob.default), path
        else:
            assert field.default == knob.default, path
        found = {name: getattr(m, name) for m in field.metadata
                 for name in ("ge", "gt", "le", "lt") if hasattr(m, name)}
        assert found == knob.bounds, path


def test_name_valued_keys_are_enums_of_the_catalog_lists():
    defs = json_schema()["$defs"]
    for path, allowed in knobs.CHOICES.items():
        section, key = path.rsplit(".", 1)
        definition = {"data": "DataConfig", "model": "ModelConfig", "loss": "LossConfig",
                      "optimizer": "OptimizerConfig", "schedule": "ScheduleConfig",
                      "training": "TrainingConfig"}[section]
        prop = defs[definition]["properties"][key]
        enum = prop.get("enum") or prop["oneOf"][0]["enum"]
        assert enum == list(allowed), path


def test_every_rule_names_a_real_key_and_real_values():
    for knob in knobs.KNOBS.values():
        if knob.when is None:
            continue
        selector = knobs.KNOBS[knob.when.key]
        allowed = selector.choices or (True, False)
        assert set(knob.when.values) <= set(allowed), knob.path
        assert all(v in allowed for v in knob.default_by), knob.path


def test_the_schema_says_when_a_knob_applies():
    props = json_schema()["$defs"]["OptimizerConfig"]["properties"]
    assert "Only used when optimizer.name is adam, adamw or lamb." in props["beta1"]["description"]
    assert "1e-10 for adagrad" in props["eps"]["description"]


# ---- kernel codes ------------------------------------------------------------------------------


@pytest.mark.parametrize("codes, listed, by_name", [
    (names.ActivationCode, names.ACTIVATIONS, names.ACTIVATION_CODE),
    (names.LossCode, names.LOSSES, names.LOSS_CODE),
    (names.OptimizerCode, names.OPTIMIZERS, names.OPTIMIZER_CODE),
])
def test_code_enums_match_the_name_tuples(codes, listed, by_name):
    assert [int(c) for c in codes] == list(range(len(listed)))  # 0..n-1: the kernels' tables
    for name in listed:
        assert int(codes[name.upper()]) == listed.index(name) == by_name[name]
        assert type(by_name[name]) is int  # an enum member would compile a second kernel


def test_kernel_modules_declare_no_codes_of_their_own():
    from trainlab.engine import activations, losses, optimizers_kernel

    for module in (activations, losses, optimizers_kernel):
        source = inspect.getsource(module)
        assert "= range(" not in source, module.__name__


def test_the_kernel_cache_stamp_covers_the_codes():
    from trainlab.engine import _jit

    assert _jit._KERNEL_CODES.resolve() == __import__("pathlib").Path(names.__file__).resolve()


def test_hyper_slots_are_what_the_optimizer_writes():
    from trainlab.engine import Optimizer

    opt = Optimizer("adamw", lr=0.05, momentum=0.3, nesterov=True, beta1=0.8, beta2=0.95,
                    eps=1e-7, rho=0.7, weight_decay=0.02)
    expected = {"LR": 0.05, "MU": 0.3, "NESTEROV": 1.0, "BETA1": 0.8, "BETA2": 0.95,
                "EPS": 1e-7, "RHO": 0.7, "WD": 0.02}
    assert opt.hyper.size == len(names.Hyper)
    for slot in names.Hyper:
        assert opt.hyper[slot] == expected[slot.name], slot.name


# ---- engine defaults are the catalog's ---------------------------------------------------------


def test_engine_defaults_equal_catalog_defaults():
    from trainlab.engine import Optimizer, Schedule

    opt = inspect.signature(Optimizer).parameters
    for key in ("lr", "nesterov", "beta1", "beta2", "rho", "weight_decay"):
        assert opt[key].default == knobs.default(f"optimizer.{key}"), key
    assert opt["clip_norm"].default == knobs.default("regularization.clip_norm")
    schedule = inspect.signature(Schedule).parameters
    for key, param in schedule.items():
        if key != "lr":
            assert param.default == knobs.default(f"schedule.{key}"), key
    assert schedule["lr"].default == knobs.default("optimizer.lr")


@pytest.mark.parametrize("name", names.OPTIMIZERS)
def test_optimizer_dependent_defaults(name):
    from trainlab.engine import Optimizer

    opt = Optimizer(name)
    assert opt.hyper[names.Hyper.MU] == knobs.default("optimizer.momentum", name)
    assert opt.hyper[names.Hyper.EPS] == knobs.default("optimizer.eps", name)
    # PyTorch's: RMSprop has no momentum, Adagrad's ε is 1e-10
    assert opt.hyper[names.Hyper.MU] == (0.0 if name == "rmsprop" else 0.9)
    assert opt.hyper[names.Hyper.EPS] == (1e-10 if name == "adagrad" else 1e-8)


def test_preset_defaults_follow_the_optimizer():
    from trainlab.presets import validate_preset

    p = validate_preset({"format": "trainlab-preset", "optimizer": {"name": "rmsprop"}})
    assert p.optimizer.momentum == 0.0 and p.optimizer.eps == 1e-8
    p = validate_preset({"format": "trainlab-preset", "optimizer": {"name": "adagrad",
                                                                    "momentum": 0.5}})
    assert p.optimizer.momentum == 0.5 and p.optimizer.eps == 1e-10


# ---- data vocabulary ---------------------------------------------------------------------------


def test_data_layer_generates_and_loads_exactly_the_catalog_sources():
    from trainlab.data import BUNDLED, GENERATORS, SCALINGS, SOURCES

    assert set(GENERATORS) == set(data.GENERATOR_NAMES)
    assert tuple(BUNDLED) == data.BUNDLED_NAMES
    assert tuple(SOURCES) == data.DATA_SOURCES
    assert SCALINGS == data.SCALINGS


def test_every_source_has_one_task_and_a_label():
    for source in data.SOURCE_TABLE:
        assert source.label
        fixed = source.task is not None
        assert fixed == (source.kind != "csv"), source.name
        if source.task == data.CLASSIFICATION:
            assert source.uses_classes != (source.classes is not None), source.name
    assert set(data.CLASSIFICATION_SOURCES).isdisjoint(data.REGRESSION_SOURCES)


def test_data_task():
    assert data.data_task("moons", "auto") == "classification"
    assert data.data_task("diabetes", "auto") == "regression"
    assert data.data_task("csv", "auto") is None
    assert data.data_task("csv", "regression") == "regression"
    assert data.data_task("not a source", "auto") is None


def test_titles_and_class_names():
    assert data.SOURCE_INFO["gaussians"].display_title(3) == "three Gaussian blobs"
    assert data.SOURCE_INFO["spirals"].display_title(12) == "12 spirals"
    assert data.class_names("circles") == ["outer", "inner"]
    assert data.class_names("spirals", 3) == ["class 0", "class 1", "class 2"]
    assert data.class_names("sine") == []


# ---- rules -------------------------------------------------------------------------------------


def test_applies_reads_the_when_rules():
    d = {"optimizer": {"name": "rmsprop"}, "model": {"activation": ["tanh", "maxout"]},
         "training": {"early_stopping": {"enabled": False}}}
    assert knobs.applies("optimizer.rho", d) and knobs.applies("optimizer.momentum", d)
    assert not knobs.applies("optimizer.beta1", d)
    assert knobs.applies("model.maxout_pieces", d)
    assert not knobs.applies("training.early_stopping.patience", d)
    assert knobs.applies("optimizer.lr", d) and knobs.applies("no.such.key", d)


def test_when_sentence():
    rule = When("optimizer.name", ("adam", "adamw", "lamb"))
    assert rule.sentence() == "Only used when optimizer.name is adam, adamw or lamb."
    assert When("a.b", (True,)).sentence() == "Only used when a.b is true."


@pytest.mark.parametrize("loss, classes, columns, width", [
    ("cross_entropy", 3, 1, 3), ("cross_entropy", 2, 1, 2), ("bce", 2, 1, 1),
    ("mse", 0, 1, 1), ("huber", 0, 4, 4), ("mae", 0, 2, 2),
])
def test_output_width(loss, classes, columns, width):
    assert rules.output_width(loss, classes, columns) == width


def test_batch_norm_rows():
    assert rules.BATCH_NORM_MIN_ROWS == 2
    assert not rules.batch_norm_fits(True, 1) and rules.batch_norm_fits(True, 2)
    assert rules.batch_norm_fits(False, 1)


def test_loss_mismatch():
    assert rules.loss_mismatch("cross_entropy", "classification", 3, "'iris'") == ""
    assert "regression" in rules.loss_mismatch("mse", "classification", 3, "'iris'")
    assert "exactly 2 classes" in rules.loss_mismatch("bce", "classification", 3, "'iris'")
    assert rules.loss_mismatch("bce", "classification", None, "the CSV data") == ""
    assert "use one of mse, mae, huber" in rules.loss_mismatch("bce", "regression", None, "x")


def test_losses_for_and_default_loss_agree():
    for task, loss in rules.DEFAULT_LOSS.items():
        assert loss in rules.losses_for(task)


# ---- names helpers -----------------------------------------------------------------------------


def test_did_you_mean_and_check_name():
    assert names.did_you_mean("rellu", names.ACTIVATIONS) == " did you mean 'relu'?"
    assert names.did_you_mean("zzzz", names.ACTIVATIONS) == ""
    with pytest.raises(ValueError, match="optimizer: 'adma' is not one of .*did you mean 'adam'"):
        names.check_name("optimizer", "adma", names.OPTIMIZERS)


def test_slug():
    assert names.slug("Two spirals, Adam") == "two-spirals-adam"
    assert names.slug("  ***  ") == "run"


def test_every_listed_name_has_help():
    lists = {"model.activation": names.ACTIVATIONS, "model.init": names.INITS,
             "loss.name": names.LOSSES, "optimizer.name": names.OPTIMIZERS,
             "schedule.name": names.SCHEDULES, "data.scaling": data.SCALINGS,
             "training.dtype": names.DTYPES}
    for path, listed in lists.items():
        assert tuple(choices.CHOICE_HELP[path]) == listed, path


# ---- the catalog stays at the bottom -----------------------------------------------------------


def test_catalog_imports_neither_qt_nor_numba_nor_pydantic():
    code = ("import sys, trainlab.catalog, trainlab.catalog.choices, trainlab.catalog.rules; "
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('numba', 'PySide6', 'pyqtgraph', 'pydantic', 'numpy')]; "
            "other = [m for m in sys.modules if m.startswith('trainlab.') "
            "and not m.startswith('trainlab.catalog')]; print(bad, other)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[] []"

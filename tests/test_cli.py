"""The `trainlab` command line end to end: run directories, listing, validation, error lines.

Runs go through both the real process (``python -m trainlab``) and :func:`trainlab.cli.main`
in-process. Printed text is never compared verbatim; the tests check exit codes, that an error
is one line without a traceback that names what is wrong, and the files a run leaves.
"""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import trainlab
from tests.processes import wait_for_rows
from tests.runs.helpers import expected_header, load_npz
from trainlab import cli
from trainlab.presets import load_preset, preset_to_dict, shipped_presets

pytestmark = pytest.mark.usefixtures("compiled_engine")

SHIPPED = [file for _, file in shipped_presets()]
IDS = [file.stem for file in SHIPPED]
EPOCHS = 2


def run_process(args, cwd, timeout=120):
    """`python -m trainlab ARGS` with its user data folder inside the test's tmp folder."""
    env = dict(os.environ, XDG_DATA_HOME=str(Path(cwd) / "xdg-data"), PYTHONUNBUFFERED="1")
    return subprocess.run([sys.executable, "-m", "trainlab", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=timeout)


def run_inline(args, capsys):
    """`cli.main(ARGS)` in this process: (exit code, stdout, stderr)."""
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# --- the run directory -----------------------------------------------------------------------


def metrics_of(run_dir: Path):
    with open(run_dir / "metrics.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def check_run_dir(run_dir: Path, preset_file: Path, epochs: int, save_data: bool = False):
    """Everything SPEC and the records module promise about a finished run directory."""
    p = load_preset(preset_file)
    L = len(p.model.hidden) + 1
    task = "regression" if p.loss.name in ("mse", "mae", "huber") else "classification"

    # preset.json: the fully resolved preset, with the epochs override applied
    expected = preset_to_dict(p)
    expected["training"]["epochs"] = epochs
    written = json.loads((run_dir / "preset.json").read_text(encoding="utf-8"))
    assert written == expected

    # metrics.csv: header, then rows 0..epochs, every cell a number
    header, rows = metrics_of(run_dir)
    assert header == expected_header(L, task)
    assert [r[0] for r in rows] == [str(e) for e in range(epochs + 1)]
    for r in rows:
        assert len(r) == len(header)
        values = [float(x) for x in r]
        row = dict(zip(header, values, strict=True))
        assert math.isfinite(row["train_loss"]) and row["lr"] > 0 and row["seconds"] >= 0
    g0 = [float(rows[0][header.index(f"g_norm_{l}")]) for l in range(1, L + 1)]
    assert all(math.isnan(g) for g in g0)  # no step before row 0

    # weights: plain arrays under the SPEC names
    names = {f"{k}{l}" for l in range(1, L + 1) for k in ("W", "b")}
    if p.model.batch_norm:
        names |= {f"bn{l}_{s}" for l in range(1, L) for s in ("gamma", "beta", "mean", "var")}
    for which in ("initial", "final"):
        params = load_npz(run_dir / f"weights_{which}.npz")
        assert set(params) == names
        for l in range(1, L + 1):
            W, b = params[f"W{l}"], params[f"b{l}"]
            assert W.ndim == 2 and b.shape == (W.shape[1],)
            if l < L:
                assert W.shape[1] == p.model.hidden[l - 1]
        assert all(v.dtype == np.float64 for v in params.values())

    # summary.json
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert {"status", "message", "epochs", "best_epoch", "test_metrics", "seconds"} <= set(summary)
    assert summary["status"] == "finished"
    assert summary["epochs"] == epochs
    assert 1 <= summary["best_epoch"] <= epochs
    assert isinstance(summary["message"], str) and summary["message"]
    metric = "acc" if task == "classification" else "r2"
    assert set(summary["test_metrics"]) == {"test_loss", f"test_{metric}"}
    assert summary["seconds"] >= 0

    if save_data:
        data = load_npz(run_dir / "data.npz")
        assert set(data) == {"X_train", "y_train", "X_val", "y_val", "X_test", "y_test",
                             "feature_names"}
        assert data["feature_names"].size == data["X_train"].shape[1]
        assert data["X_train"].shape[1] == load_npz(run_dir / "weights_final.npz")["W1"].shape[0]
    else:
        assert not (run_dir / "data.npz").exists()


@pytest.mark.slow
@pytest.mark.parametrize("file", SHIPPED, ids=IDS)
def test_run_every_shipped_preset_in_a_process(file, tmp_path):
    out = tmp_path / "run"
    done = run_process(["run", file, "--epochs", EPOCHS, "--out", out], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    check_run_dir(out, file, EPOCHS)


@pytest.mark.parametrize("file", SHIPPED, ids=IDS)
def test_run_every_shipped_preset_in_process(file, tmp_path, capsys):
    out = tmp_path / "run"
    code, _, err = run_inline(["run", file, "--epochs", EPOCHS, "--out", out, "--quiet",
                               "--save-data"], capsys)
    assert code == 0, err
    check_run_dir(out, file, EPOCHS, save_data=True)


def test_run_a_shipped_preset_by_name(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no file called "xor" here: the shipped one is meant
    code, out, err = run_inline(["run", "xor", "--epochs", 1, "--out", tmp_path / "r"], capsys)
    assert code == 0, err
    check_run_dir(tmp_path / "r", dict((f.stem, f) for f in SHIPPED)["xor"], 1)
    assert str(tmp_path / "r") in out  # the run directory is named for the user


def test_progress_goes_to_stderr_unless_quiet(tmp_path, capsys):
    code, out, err = run_inline(["run", "xor", "--epochs", 2, "--out", tmp_path / "a"], capsys)
    assert code == 0 and err.strip()  # some progress was reported
    code, out, err = run_inline(["run", "xor", "--epochs", 2, "--out", tmp_path / "b",
                                 "--quiet"], capsys)
    assert code == 0 and not err.strip()
    assert out.strip()  # the final summary


def test_run_without_out_makes_a_folder_in_the_user_data_dir(tmp_path, capsys, monkeypatch):
    import trainlab.runs.records as records

    monkeypatch.setattr(records, "default_runs_dir", lambda: tmp_path / "runs")
    code, _, err = run_inline(["run", "xor", "--epochs", 1, "--quiet"], capsys)
    assert code == 0, err
    (run_dir,) = list((tmp_path / "runs").iterdir())
    assert (run_dir / "metrics.csv").is_file() and (run_dir / "summary.json").is_file()


def test_save_data_with_shuffle_off_keeps_the_training_row_order(tmp_path, capsys):
    """data.npz's X_train is the row order the loop trains on: replaying the epoch by hand
    with plain SGD on consecutive batches of X_train reproduces weights_final exactly."""
    from trainlab.engine import Network

    preset = {"format": "trainlab-preset", "name": "order", "seed": 3,
              "data": {"source": "moons", "n_samples": 40},
              "model": {"hidden": [5], "activation": "tanh"},
              "optimizer": {"name": "sgd", "lr": 0.5},
              "training": {"epochs": 1, "batch_size": 7, "shuffle": False}}
    file = tmp_path / "order.json"
    file.write_text(json.dumps(preset), encoding="utf-8")
    out = tmp_path / "run"
    code, _, err = run_inline(["run", file, "--out", out, "--save-data", "--quiet"], capsys)
    assert code == 0, err
    data = load_npz(out / "data.npz")
    X, y = data["X_train"], data["y_train"]
    net = Network([2, 5, 2], activation="tanh", seed=3)
    net.set_params(load_npz(out / "weights_initial.npz"))
    for start in range(0, len(X), 7):
        _, grads = net.loss_and_gradients(X[start:start + 7], y[start:start + 7])
        params = net.params
        net.set_params({k: params[k] - 0.5 * grads[k] for k in grads})
    final = load_npz(out / "weights_final.npz")
    for k, v in final.items():
        np.testing.assert_allclose(net.params[k], v, rtol=1e-12, atol=1e-14)
    # ...and any other order gives other weights (the check above can fail)
    net.set_params(load_npz(out / "weights_initial.npz"))
    for start in reversed(range(0, len(X), 7)):
        _, grads = net.loss_and_gradients(X[start:start + 7], y[start:start + 7])
        params = net.params
        net.set_params({k: params[k] - 0.5 * grads[k] for k in grads})
    assert not np.allclose(net.params["W1"], final["W1"], rtol=1e-9, atol=0)


def test_save_history_writes_every_epochs_weights(tmp_path, capsys):
    """weights_history.npz: one array per parameter stacked over epochs 0..E, the first and
    last equal to weights_initial/final, and an `epochs` array saying which."""
    out = tmp_path / "run"
    code, _, err = run_inline(["run", "xor", "--epochs", "4", "--out", out, "--save-history",
                               "--quiet"], capsys)
    assert code == 0, err
    history = load_npz(out / "weights_history.npz")
    np.testing.assert_array_equal(history["epochs"], np.arange(5))
    initial, final = load_npz(out / "weights_initial.npz"), load_npz(out / "weights_final.npz")
    for name, value in final.items():
        assert history[name].shape == (5, *value.shape)
        np.testing.assert_array_equal(history[name][0], initial[name])
        np.testing.assert_array_equal(history[name][-1], value)
    assert not np.array_equal(history["W1"][1], history["W1"][0])
    code, _, err = run_inline(["run", "xor", "--epochs", "2", "--out", tmp_path / "plain",
                               "--quiet"], capsys)
    assert code == 0, err
    assert not (tmp_path / "plain" / "weights_history.npz").exists()


def test_a_diverging_run_exits_with_code_1(tmp_path, capsys):
    line_fit = dict((f.stem, f) for f in SHIPPED)["line_fit"]
    data = preset_to_dict(load_preset(line_fit))
    data["optimizer"]["lr"] = 1e6
    file = tmp_path / "boom.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run_inline(["run", file, "--epochs", 300, "--out", tmp_path / "r",
                               "--quiet"], capsys)
    assert code == 1
    assert "Traceback" not in err
    summary = json.loads((tmp_path / "r" / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "diverged"


# --- presets, validate, version --------------------------------------------------------------


def test_presets_lists_every_shipped_preset(capsys):
    code, out, _ = run_inline(["presets"], capsys)
    assert code == 0
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == len(SHIPPED)
    for (name, file), line in zip(shipped_presets(), lines, strict=True):
        assert file.stem in line.split() and name in line


@pytest.mark.slow
def test_presets_and_version_in_a_process(tmp_path):
    done = run_process(["presets"], cwd=tmp_path)
    assert done.returncode == 0
    assert {f.stem for f in SHIPPED} <= set(done.stdout.split())
    done = run_process(["--version"], cwd=tmp_path)
    assert done.returncode == 0
    assert trainlab.__version__ in done.stdout.split()[-1]


def test_version_in_process(capsys):
    code, out, _ = run_inline(["--version"], capsys)
    assert code == 0 and trainlab.__version__ in out


@pytest.mark.parametrize("file", SHIPPED, ids=IDS)
def test_validate_accepts_the_shipped_presets(file, capsys):
    code, out, err = run_inline(["validate", file], capsys)
    assert code == 0 and not err
    assert load_preset(file).name in out


def test_validate_rejects_a_bad_preset_in_one_line(tmp_path, capsys):
    file = tmp_path / "bad.json"
    file.write_text(json.dumps({"format": "trainlab-preset", "optimizer": {"lr": -1}}))
    code, out, err = run_inline(["validate", file], capsys)
    assert code == 2
    assert_one_clear_line(err, "optimizer.lr")


@pytest.mark.parametrize("args", [["run"], ["run", "x.json", "--epochs", "many"], ["bogus"],
                                  ["run", "x.json", "--epochs", "0"]])
def test_usage_errors_are_one_line_with_code_2(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        code = cli.main(args)
        raise SystemExit(code)
    assert exit_info.value.code == 2
    _, err = capsys.readouterr()
    assert len([line for line in err.splitlines() if line.strip()]) == 1


# --- bad input: one clear line on stderr, exit code 2 ----------------------------------------


def assert_one_clear_line(err: str, *fragments: str):
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got:\n{err}"
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"


def write_preset(folder: Path, name: str, changes: dict) -> Path:
    data = {"format": "trainlab-preset", "name": name, "seed": 0,
            "data": {"source": "xor", "n_samples": 40}, "model": {"hidden": [4]},
            "training": {"epochs": 1}}
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / f"{name}.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    return file


def csv_case(text: str, changes: dict | None = None):
    """A CSV next to the preset (a relative data.path), so it only loads if the path is
    resolved against the preset's folder."""

    def make(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "table.csv").write_text(text, encoding="utf-8")
        data = {"source": "csv", "path": "table.csv"}
        return write_preset(folder, "tabular", {"data": data, **(changes or {})})

    return make


def raw_case(text: str):
    def make(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        file = folder / "raw.json"
        file.write_text(text, encoding="utf-8")
        return file

    return make


def preset_case(changes: dict):
    return lambda folder: write_preset(folder, "case", changes)


GOOD_ROWS = "".join(f"{i % 5},{(i * 7) % 11},{'ab'[i % 2]}\n" for i in range(30))
THREE_CLASSES = "".join(f"{i % 5},{(i * 7) % 11},{'abc'[i % 3]}\n" for i in range(30))

#: name -> (make the preset in a folder, fragments the one error line must contain)
BAD_INPUT = {
    "bad_json": (raw_case('{"format": "trainlab-preset",, }'), ["raw.json", "JSON", "line 1"]),
    "empty_preset": (raw_case(""), ["raw.json"]),
    "unknown_key": (preset_case({"optimizr": {"lr": 0.1}}), ["optimizr", "did you mean",
                                                             "optimizer"]),
    "unknown_nested_key": (preset_case({"optimizer": {"lerning_rate": 0.1}}),
                           ["optimizer.lerning_rate"]),
    "lr_zero": (preset_case({"optimizer": {"lr": 0}}), ["optimizer.lr"]),
    "lr_negative": (preset_case({"optimizer": {"lr": -0.5}}), ["optimizer.lr"]),
    "activation_typo": (preset_case({"model": {"hidden": [4], "activation": "rleu"}}),
                        ["model.activation", "relu"]),
    "future_version": (preset_case({"version": 2}), ["version", "2"]),
    "missing_preset_file": (lambda folder: folder / "nowhere.json", ["nowhere.json"]),
    "bce_three_classes": (preset_case({"data": {"source": "spirals", "classes": 3,
                                                "n_samples": 30}, "loss": {"name": "bce"}}),
                          ["loss.name", "bce"]),
    "bce_on_iris": (preset_case({"data": {"source": "iris"}, "loss": {"name": "bce"}}),
                    ["loss.name"]),
    "regression_loss_on_classes": (preset_case({"loss": {"name": "mse"}}), ["loss.name",
                                                                            "mse"]),
    "csv_missing_value": (csv_case("a,b,y\n1,2,x\n3,,y\n" + GOOD_ROWS),
                          ["table.csv", "line 3", "'b'"]),
    "csv_non_numeric_feature": (csv_case("a,b,y\n1,2,x\n3,four,y\n" + GOOD_ROWS),
                                ["table.csv", "line 3", "'b'", "four"]),
    "csv_empty_file": (csv_case(""), ["table.csv"]),
    "csv_header_only": (csv_case("a,b,y\n"), ["table.csv"]),
    "csv_single_class": (csv_case("a,b,y\n" + "".join(f"{i},{i * 2},cat\n" for i in range(20))),
                         ["table.csv", "cat"]),
    "csv_wrong_delimiter": (csv_case("a;b;y\n1;2;x\n3;4;y\n"), ["table.csv", "';'"]),
    "csv_missing_file": (lambda folder: write_preset(
        folder, "nofile", {"data": {"source": "csv", "path": "absent.csv"}}), ["absent.csv"]),
    "csv_bce_three_classes": (csv_case("a,b,y\n" + THREE_CLASSES, {"loss": {"name": "bce"}}),
                              ["loss.name", "bce", "3"]),
    "csv_regression_loss_on_labels": (csv_case("a,b,y\n" + GOOD_ROWS,
                                               {"loss": {"name": "mae"}}), ["loss.name", "mae"]),
    "batch_norm_one_training_row": (preset_case({
        "data": {"source": "line", "n_samples": 8,
                 "split": {"train": 0.1, "val": 0.45, "test": 0.45}},
        "model": {"hidden": [3], "batch_norm": True}, "loss": {"name": "mse"},
        "training": {"epochs": 1, "batch_size": 4}}), ["batch norm", "data.split.train"]),
    "kfold_more_folds_than_rows": (preset_case({
        "data": {"source": "xor", "n_samples": 8, "kfold": 9}}), ["data.kfold"]),
    "csv_unknown_target": (csv_case("a,b,y\n" + GOOD_ROWS, {"data": {
        "source": "csv", "path": "table.csv", "target": "yy"}}), ["yy", "did you mean"]),
}


@pytest.mark.parametrize("case", list(BAD_INPUT), ids=list(BAD_INPUT))
def test_bad_input_is_one_line_and_exit_code_2_in_process(case, tmp_path, capsys, monkeypatch):
    make, fragments = BAD_INPUT[case]
    file = make(tmp_path / "lab")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out, err = run_inline(["run", file, "--out", tmp_path / "run", "--quiet"], capsys)
    assert code == 2
    assert_one_clear_line(err, *fragments)
    assert not (tmp_path / "run" / "metrics.csv").exists()  # nothing trained


@pytest.mark.slow
@pytest.mark.parametrize("case", ["bad_json", "unknown_key", "csv_missing_value",
                                  "csv_bce_three_classes", "missing_preset_file"])
def test_bad_input_is_one_line_and_exit_code_2_in_a_process(case, tmp_path):
    make, fragments = BAD_INPUT[case]
    file = make(tmp_path / "lab")
    done = run_process(["run", file, "--out", tmp_path / "run"], cwd=tmp_path)
    assert done.returncode == 2
    assert_one_clear_line(done.stderr, *fragments)


def test_a_relative_csv_path_is_resolved_against_the_preset_folder(tmp_path, capsys,
                                                                   monkeypatch):
    lab = tmp_path / "lab"
    (lab / "tables").mkdir(parents=True)
    (lab / "tables" / "good.csv").write_text("a,b,y\n" + GOOD_ROWS, encoding="utf-8")
    file = write_preset(lab, "good", {"data": {"source": "csv", "path": "tables/good.csv"}})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, _, err = run_inline(["run", file, "--out", tmp_path / "run", "--quiet"], capsys)
    assert code == 0, err
    summary = json.loads((tmp_path / "run" / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "finished" and summary["task"] == "classification"
    # the same path relative to the working folder does not exist, and is not used
    (elsewhere / "tables").mkdir()
    (elsewhere / "tables" / "good.csv").write_text("a;b;y\n", encoding="utf-8")
    code, _, err = run_inline(["run", file, "--out", tmp_path / "run2", "--quiet"], capsys)
    assert code == 0, err


def test_an_out_path_that_is_a_file_is_one_line_and_exit_code_2(tmp_path, capsys):
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    code, _, err = run_inline(["run", "xor", "--epochs", 1, "--out", blocker, "--quiet"],
                              capsys)
    assert code == 2
    assert_one_clear_line(err, "taken")


def test_validate_a_missing_file(tmp_path, capsys):
    code, _, err = run_inline(["validate", tmp_path / "gone.json"], capsys)
    assert code == 2
    assert_one_clear_line(err, "gone.json")


@pytest.mark.slow
def test_ctrl_c_stops_a_run_cleanly_with_code_1_and_keeps_its_rows(tmp_path):
    import signal

    file = write_preset(tmp_path, "long", {"training": {"epochs": 1_000_000, "batch_size": 4},
                                           "data": {"source": "xor", "n_samples": 200}})
    out = tmp_path / "run"
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "xdg-data"))
    proc = subprocess.Popen([sys.executable, "-m", "trainlab", "run", str(file), "--out",
                             str(out)], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_for_rows(proc, out / "metrics.csv", 3)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == 1
    assert "Traceback" not in err
    assert "stopping after the current step" in err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "stopped"
    header, rows = metrics_of(out)
    assert len(rows) >= 3
    for e, r in enumerate(rows):
        assert int(r[0]) == e and len(r) == len(header)


# --- what a name means, first start, limits (issue 11) ---------------------------------------


def test_a_name_that_is_also_a_folder_here_runs_the_shipped_preset(tmp_path, capsys,
                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "xor").mkdir()  # e.g. an earlier `--out xor` without a preset in it
    code, _, err = run_inline(["run", "xor", "--epochs", 1, "--out", tmp_path / "r", "--quiet"],
                              capsys)
    assert code == 0, err
    assert json.loads((tmp_path / "r" / "preset.json").read_text())["name"] == "XOR needs a " \
        "hidden layer"


def test_a_run_directory_given_as_the_preset_reruns_its_preset(tmp_path, capsys):
    file = write_preset(tmp_path, "mine", {"data": {"source": "moons", "n_samples": 40}})
    code, _, err = run_inline(["run", file, "--out", tmp_path / "a", "--quiet"], capsys)
    assert code == 0, err
    code, _, err = run_inline(["run", tmp_path / "a", "--out", tmp_path / "b", "--quiet"], capsys)
    assert code == 0, err
    first, again = (json.loads((tmp_path / d / "preset.json").read_text()) for d in "ab")
    assert again == first and again["data"]["source"] == "moons"


def test_a_folder_that_is_neither_says_both_candidates(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nothing_here").mkdir()
    code, _, err = run_inline(["validate", "nothing_here"], capsys)
    assert code == 2
    assert_one_clear_line(err, "nothing_here", "preset.json", "no shipped preset")
    code, _, err = run_inline(["validate", "absent_name"], capsys)
    assert code == 2
    assert_one_clear_line(err, "absent_name", "no such file", "no shipped preset")


def test_the_first_start_says_it_is_compiling_before_the_first_epoch(tmp_path, capsys,
                                                                     monkeypatch):
    from trainlab.engine import jit_warmup
    from trainlab.runs import first_start, loop

    order = []
    real_warmup, real_train = jit_warmup.warmup, loop.train
    monkeypatch.setattr(first_start, "engine_is_cached", lambda dtype="float64": False)
    monkeypatch.setattr("trainlab.engine.warmup",
                        lambda **kw: order.append(("warmup", kw)) or real_warmup(**kw))
    monkeypatch.setattr(loop, "train", lambda *a, **kw: order.append(("train",)) or
                        real_train(*a, **kw))
    code, _, err = run_inline(["run", "xor", "--epochs", 1, "--out", tmp_path / "r"], capsys)
    assert code == 0, err
    assert first_start.COMPILING_MESSAGE in err
    assert err.index(first_start.COMPILING_MESSAGE) < err.index("epoch 1/1")
    assert order == [("warmup", {"dtypes": ("float64",)}), ("train",)]


def test_a_warm_start_says_nothing_about_compiling(tmp_path, capsys, monkeypatch):
    from trainlab.runs import first_start

    monkeypatch.setattr(first_start, "engine_is_cached", lambda dtype="float64": True)
    code, _, err = run_inline(["run", "xor", "--epochs", 1, "--out", tmp_path / "r"], capsys)
    assert code == 0, err
    assert "compiling" not in err


@pytest.mark.slow
def test_engine_is_cached_is_false_on_a_fresh_cache_and_true_after_a_warmup(tmp_path):
    # a cache folder of its own (NUMBA_CACHE_DIR comes first): a fresh install's first start
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "numba-cache"))
    ask = "from trainlab.runs.first_start import engine_is_cached as c; print(c('float64'))"
    warm = ask + "; from trainlab.engine import warmup; warmup(); print(c('float64'))"
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, timeout=600) for code in (warm, ask)]
    assert [r.stdout.split() for r in runs] == [["False", "True"], ["True"]], runs[0].stderr


def test_validate_reports_the_memory_a_run_needs(capsys):
    from trainlab.paths import presets_dir
    from trainlab.runs.budget import estimate_bytes, size_text

    code, out, _ = run_inline(["validate", "xor"], capsys)
    assert code == 0
    need = size_text(estimate_bytes(load_preset(presets_dir() / "xor.json")))
    assert "ok" in out and f"about {need} of memory" in out


def test_a_net_of_tens_of_gigabytes_is_refused_in_one_line(tmp_path, capsys):
    # 100 hidden layers of 10 000: schema-valid, ~1 TB; it used to end in a MemoryError
    file = write_preset(tmp_path, "huge", {"model": {"hidden": [10_000] * 100}})
    for command in (["validate", file], ["run", file, "--out", tmp_path / "r", "--quiet"]):
        code, _, err = run_inline(command, capsys)
        assert code == 2
        assert_one_clear_line(err, "model.hidden", "memory", "GB", "TRAINLAB_MAX_MEMORY")
    assert not (tmp_path / "r" / "metrics.csv").exists()


@pytest.mark.slow
@pytest.mark.parametrize("make", ["fifo_preset", "fifo_csv", "dev_zero_csv"])
def test_pipes_and_devices_are_refused_in_a_process_without_hanging(make, tmp_path):
    # before: the open() of a FIFO waited for a writer forever, /dev/zero read without end
    if make == "fifo_preset":
        file = tmp_path / "p.json"
        os.mkfifo(file)
    else:
        if make == "fifo_csv":
            os.mkfifo(tmp_path / "t.csv")
        path = "t.csv" if make == "fifo_csv" else "/dev/zero"
        file = write_preset(tmp_path, "c", {"data": {"source": "csv", "path": path}})
    done = run_process(["run", file, "--out", tmp_path / "r"], cwd=tmp_path, timeout=120)
    assert done.returncode == 2
    assert_one_clear_line(done.stderr, "not a regular file")


def test_a_symbolic_link_loop_is_not_called_missing(tmp_path, capsys):
    (tmp_path / "a.json").symlink_to(tmp_path / "b.json")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    code, _, err = run_inline(["validate", tmp_path / "a.json"], capsys)
    assert code == 2
    assert_one_clear_line(err, "a.json", "loop")
    assert "not found" not in err


@pytest.mark.parametrize(("changes", "fragments"), [
    ({"version": True}, ["version", "true"]),
    ({"model": {"hidden": [4], "init": "uniform", "init_scale": 1e308}}, ["model.init_scale"]),
    ({"data": {"source": "xor", "split": {"train": 0.7, "val": 0.15, "test": 0.1500001}}},
     ["data.split"]),
])
def test_values_that_passed_validate_and_then_failed_are_refused(changes, fragments, tmp_path,
                                                                 capsys):
    file = write_preset(tmp_path, "case", changes)
    for command in (["validate", file], ["run", file, "--out", tmp_path / "r", "--quiet"]):
        code, _, err = run_inline(command, capsys)
        assert code == 2, err
        assert_one_clear_line(err, *fragments)


def test_error_lines_cap_and_escape_what_they_quote(tmp_path, capsys):
    folder = tmp_path / ("dir\x1b]0;title\x07\nname" + "d" * 200) / ("e" * 200)
    folder.mkdir(parents=True)
    file = folder / "p.json"
    key = "k\x1b[31m" + "x" * 10_000
    file.write_text(json.dumps({"format": "trainlab-preset", key: 1, "model": {"a\nb": 2}}))
    code, _, err = run_inline(["validate", file], capsys)
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 2  # one per problem; neither the path's nor the key's newline splits
    assert all(len(line) <= cli.MAX_ERROR_LINE for line in lines)
    assert "\x1b" not in err and "\x07" not in err
    assert "\\x1b" in err and "a\\nb" in err

"""The shipped lessons: every file validates and is listed, each one trains (or races, or runs
one trial), and each lesson's claim holds where a number can check it."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from trainlab import train
from trainlab.lessons import catalog, run_variants
from trainlab.lessons.files import load_lesson
from trainlab.lessons.index import lessons_dir
from trainlab.playground import race

FILES = sorted(lessons_dir().glob("*.json"))
KIND_OF = {p.stem: load_lesson(p).kind for p in FILES}
PRESETS = [s for s, k in KIND_OF.items() if k == "preset"]
PLAYGROUNDS = [s for s, k in KIND_OF.items() if k == "playground"]
SWEEPS = [s for s, k in KIND_OF.items() if k == "sweep"]


def path(stem):
    return lessons_dir() / f"{stem}.json"


def variants(stem, **options):
    return run_variants(path(stem), write_files=False, **options)


def last(result, column):
    return float(result.history[column][len(result.history) - 1])


def column(result, name):
    return np.asarray(result.history[name], dtype=float)


# ------------------------------------------------------------------ every file

def test_at_least_forty_lessons_of_all_three_kinds_are_listed():
    entries = catalog()
    assert len(entries) >= 40 and len(entries) == len(FILES)
    assert {e.path for e in entries} == set(FILES)
    kinds = {e.path.stem: e.kind for e in entries}
    assert kinds == KIND_OF
    assert {"preset", "playground", "sweep"} <= set(kinds.values())


@pytest.mark.parametrize("stem", sorted(KIND_OF))
def test_lesson_is_complete(stem):
    lesson = load_lesson(path(stem)).lesson
    assert 1 <= len(lesson.try_next) <= 2 or KIND_OF[stem] == "sweep"
    assert lesson.formulas, "a lesson names the formulas it is about"


def test_lesson_files_are_tidy_json():
    for p in FILES:
        text = p.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n", p.name


@pytest.mark.parametrize("stem", PRESETS)
def test_preset_lesson_trains_a_few_epochs(stem):
    item = load_lesson(path(stem)).item
    if item.variants:
        results = variants(stem, epochs=2)
        assert list(results) == [v.label for v in item.variants]
    else:
        results = {"": train(path(stem), write_files=False, epochs=2)}
    for r in results.values():
        assert len(r.history) >= 2 and r.status in ("finished", "early_stopped", "diverged")


@pytest.mark.parametrize("stem", PLAYGROUNDS)
def test_playground_lesson_races(stem):
    item = load_lesson(path(stem)).item
    results = race(item)
    assert len(results) == len(item.racers)
    for r in results.values():
        assert r.points.shape[0] == item.steps + 1 and math.isfinite(r.losses[0])


@pytest.mark.parametrize("stem", SWEEPS)
def test_sweep_lesson_runs_its_first_trial(stem):
    definition = load_lesson(path(stem)).item
    trials = definition.trials()
    assert trials
    r = train(definition.trial_preset(0, trials[0]), write_files=False, epochs=2)
    assert len(r.history) == 3


def test_try_next_of_a_playground_is_checked(tmp_path):
    data = json.loads(path("ravine_momentum").read_text(encoding="utf-8"))
    data["lesson"]["try_next"] = [{"label": "bad", "set": {"steps": 0}}]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=r"try_next\[0\] \(bad\).*steps"):
        load_lesson(bad)


# ------------------------------------------------------------------ gradient descent

def test_lr_bound_converges_below_one_and_diverges_above():
    r = variants("lr_bound")
    for label in ("lr 0.25", "lr 0.9"):
        assert last(r[label], "train_loss") < 1e-2 * column(r[label], "train_loss")[0]
    assert last(r["lr 1.05"], "train_loss") > 10 * column(r["lr 1.05"], "train_loss")[0]


def test_lr_too_big_grows_by_a_constant_factor():
    loss = column(train(path("lr_too_big"), write_files=False, epochs=40), "train_loss")
    ratios = loss[11:] / loss[10:-1]
    assert ratios.min() > 1 and np.allclose(ratios, ratios[-1], rtol=1e-3)


def test_binary_step_leaves_the_hidden_weights_where_they_start():
    r = train(path("binary_step"), write_files=False, epochs=5)
    assert np.array_equal(r.params_final["W1"], r.params_initial["W1"])
    assert not np.array_equal(r.params_final["W2"], r.params_initial["W2"])


def test_full_batch_descent_never_raises_the_loss():
    loss = column(train(path("gd_contours"), write_files=False), "train_loss")
    assert np.all(np.diff(loss) <= 0)


def test_playground_claims_of_the_gradient_descent_chapter():
    bound = race(path("lr_past_2_over_l"))
    assert bound["lr 0.5"].losses[-1] < 1e-6 * bound["lr 0.5"].losses[0]
    too_big = bound["lr 2.1"]
    assert too_big.diverged_at is not None or too_big.losses[-1] > too_big.losses[0]
    ends = [r.points[-1] for r in race(path("local_minima")).values()]
    assert min(np.linalg.norm(a - b) for i, a in enumerate(ends) for b in ends[i + 1:]) > 1
    walk = race(path("random_perturbation"))["random perturbation"].losses
    assert np.all(np.diff(walk) <= 0)
    for stem, slow, fast in (("plateau_surface", "GD", "Adam"), ("saddle_point", "GD", "Adam")):
        r = race(path(stem))
        assert r[fast].losses[-1] < r[slow].losses[-1], stem
    fd = race(path("finite_differences"))
    analytic, close, coarse = (r.points for r in fd.values())
    assert np.allclose(close, analytic, atol=1e-5)
    assert np.abs(coarse - analytic).max() > 1e-3


# ------------------------------------------------------------------ mini-batches

def test_smaller_batches_give_noisier_update_losses():
    r = variants("gradient_noise", epochs=5)
    spread = {k: np.std(np.diff(np.asarray(v.batch_loss, dtype=float))) for k, v in r.items()}
    assert spread["batch 4"] > 2 * spread["batch 128"]


# ------------------------------------------------------------------ momentum, adaptive

def test_momentum_runs_along_the_ravine():
    r = race(path("ravine_momentum"))
    assert r["momentum"].losses[-1] < 1e-3 * r["GD"].losses[-1]


def test_adaptive_methods_beat_sgd_on_the_rosenbrock_valley_and_spirals():
    r = race(path("rosenbrock_race"))
    assert r["Adam"].losses[-1] < r["SGD"].losses[-1]
    runs = variants("optimizers_compared")
    final = {k: last(v, "train_loss") for k, v in runs.items()}
    assert max(final, key=final.get) == "sgd"


def test_nesterov_oscillates_less():
    r = variants("nesterov")
    rises = {k: np.clip(np.diff(column(v, "train_loss")), 0, None).sum() for k, v in r.items()}
    assert rises["Nesterov"] < rises["classical"]


def test_rmsprop_keeps_moving_where_adagrad_slows():
    r = variants("adagrad_vs_rmsprop")
    assert last(r["rmsprop"], "train_loss") < last(r["adagrad"], "train_loss")


def test_adam_l2_zeroes_weights_adamw_decays_them_uniformly():
    r = variants("adamw_vs_adam_l2")
    assert last(r["adam + l2 0.05"], "zero_w_2") > 10 * last(r["adamw 0.05"], "zero_w_2")
    assert last(r["adamw 0.05"], "w_norm_1") < last(r["adam"], "w_norm_1")


def test_lamb_moves_each_layer_by_the_fraction_lr_of_its_norm():
    r = variants("lamb_large_batch", epochs=1)["lamb"]  # full batch: one update
    lr = r.preset["optimizer"]["lr"]
    for name, w0 in r.params_initial.items():
        step = np.linalg.norm(r.params_final[name] - w0)
        if np.linalg.norm(w0) > 0:
            assert math.isclose(step, lr * np.linalg.norm(w0), rel_tol=1e-9), name


# ------------------------------------------------------------------ schedules

def lrs(stem, **options):
    return column(train(path(stem), write_files=False, **options), "lr")


def test_step_exponential_and_polynomial_rates_follow_their_formulas():
    e = np.arange(60)
    assert np.allclose(lrs("step_decay")[1:], 0.3 * 0.5 ** (e // 15), rtol=1e-12)
    assert np.allclose(lrs("exponential_decay")[1:], 0.3 * 0.95 ** e, rtol=1e-12)
    r = variants("polynomial_decay")
    for label, p in (("power 0.5", 0.5), ("power 1", 1.0), ("power 2", 2.0)):
        expected = 0.3 * np.clip(1 - e / 40, 0, None) ** p
        assert np.allclose(column(r[label], "lr")[1:], expected, rtol=1e-12, atol=1e-15)
    # from epoch T = 40 on η is 0: the weights no longer change
    at_t = train(path("polynomial_decay"), write_files=False, epochs=40).params_final["W1"]
    assert np.array_equal(at_t, r["power 1"].params_final["W1"])


def test_inverse_decays_and_warmup_cosine():
    r = variants("inverse_decays")
    e = np.arange(60)
    assert np.allclose(column(r["inverse sqrt"], "lr")[1:], 0.3 / np.sqrt(1 + e), rtol=1e-12)
    assert np.allclose(column(r["inverse time"], "lr")[1:], 0.3 / (1 + e), rtol=1e-12)
    lr = lrs("warmup_cosine")[1:]
    assert np.all(np.diff(lr[:10]) > 0) and np.all(np.diff(lr[10:]) <= 0)
    assert math.isclose(lr.max(), 0.02) and 0.0005 <= lr[-1] < 0.0006


def test_reduce_on_plateau_halves_the_rate_down_to_its_floor():
    lr = lrs("reduce_on_plateau")[1:]
    drops = lr[1:][np.diff(lr) < 0] / lr[:-1][np.diff(lr) < 0]
    assert len(drops) >= 2 and np.all(np.diff(lr) <= 0) and lr.min() >= 0.0005
    assert np.allclose(drops[lr[1:][np.diff(lr) < 0] > 0.0005], 0.5)


# ------------------------------------------------------------------ activations, init

def test_gradients_vanish_toward_the_input_of_a_deep_sigmoid_net():
    r = train(path("vanishing_gradients"), write_files=False, epochs=5)
    assert np.nanmean(column(r, "g_norm_1")) < 1e-3 * np.nanmean(column(r, "g_norm_9"))
    relu = variants("deep_sigmoid_vs_relu", epochs=10)["relu"]
    assert np.nanmean(column(relu, "g_norm_1")) > 0.1 * np.nanmean(column(relu, "g_norm_9"))


def test_tanh_trains_faster_than_sigmoid():
    r = variants("sigmoid_vs_tanh")
    assert last(r["tanh"], "train_loss") < last(r["sigmoid"], "train_loss")


def test_every_modern_activation_learns_the_spirals():
    for label, r in variants("activations_compared", epochs=60).items():
        assert last(r, "val_acc") > 0.9, label


def test_maxout_solves_circles():
    assert last(train(path("maxout"), write_files=False), "val_acc") > 0.95


def test_zero_init_keeps_every_hidden_unit_identical():
    r = train(path("zero_init"), write_files=False)
    w = r.params_final["W1"]
    assert np.all(w == w[:, :1]) and math.isclose(last(r, "val_acc"), 0.5, abs_tol=0.1)


def test_weights_set_by_hand_break_the_symmetry_of_the_units_they_touch():
    r = train(path("break_symmetry_by_hand"), write_files=False)
    assert r.preset["changes"][0]["epoch"] == 21
    acc = column(r, "val_acc")
    assert np.all(np.abs(acc[:21] - 0.5) <= 0.1) and acc[-1] > 0.95  # chance until the edit
    W1, W2 = r.params_final["W1"], r.params_final["W2"]
    assert np.all(W1[:, :3] != 0) and np.all(W1[:, 3] == 0) and np.all(W2[3] == 0)
    data = json.loads(path("break_symmetry_by_hand").read_text(encoding="utf-8"))
    data["model"]["hidden"] = [4, 4]  # its first try-next: W2 = 0 still blocks every path
    assert math.isclose(last(train(data, write_files=False), "val_acc"), 0.5, abs_tol=0.1)


def test_large_init_saturates_and_he_beats_xavier_beats_tiny():
    r = train(path("init_too_large"), write_files=False, epochs=1)
    assert column(r, "saturated_1")[0] > 0.5
    runs = variants("he_vs_xavier")
    loss = {k: last(v, "train_loss") for k, v in runs.items()}
    assert loss["he"] < loss["xavier"] < loss["normal 0.01"]
    assert math.isclose(loss["normal 0.01"], math.log(2), rel_tol=1e-3)


def test_dying_relu_leaves_a_dead_layer_and_clipping_tames_large_gradients():
    r = train(path("dying_relu"), write_files=False)
    assert last(r, "dead_2") == 1.0
    runs = variants("exploding_gradients")
    assert last(runs["clip 1"], "train_loss") < last(runs["no clipping"], "train_loss")
    assert last(runs["no clipping"], "saturated_1") > last(runs["clip 1"], "saturated_1")


# ------------------------------------------------------------------ regularization

def test_early_stopping_stops_early_and_restores_the_best_epoch():
    r = train(path("early_stopping"), write_files=False)
    patience = r.preset["training"]["early_stopping"]["patience"]
    assert r.status == "early_stopped" and r.epochs < r.preset["training"]["epochs"]
    assert r.epochs == r.best_epoch + patience


def test_l1_zeroes_more_weights_than_l2():
    r = variants("l1_vs_l2")
    assert last(r["l1 0.01"], "zero_w_1") > 0.5 > 10 * last(r["l2 0.01"], "zero_w_1")


def test_penalty_regions_put_the_l1_minimum_on_an_axis():
    l1 = race(path("l1_region"))["GD"].points[-1]
    l2 = race(path("l2_region"))["GD"].points[-1]
    assert np.abs(l1).min() < 0.05 and np.abs(l2).min() > 0.2


def test_dropout_and_label_smoothing():
    r = variants("dropout")
    gap = {k: last(v, "val_loss") - last(v, "train_loss") for k, v in r.items()}
    assert gap["dropout 0.5"] < gap["dropout 0"]
    s = variants("label_smoothing", epochs=15)
    assert last(s["alpha 0.1"], "train_loss") > 20 * last(s["alpha 0"], "train_loss")
    assert abs(last(s["alpha 0.1"], "val_acc") - last(s["alpha 0"], "val_acc")) < 0.05


# ------------------------------------------------------------------ normalization

def test_batch_norm_lifts_the_first_layers_gradients_and_allows_lr_one():
    r = variants("batch_norm_deep", epochs=10)
    assert (np.nanmean(column(r["batch norm"], "g_norm_1"))
            > 1e3 * np.nanmean(column(r["no batch norm"], "g_norm_1")))
    lr = variants("batch_norm_lr")
    assert last(lr["batch norm"], "train_loss") < last(lr["no batch norm"], "train_loss")


def test_feature_scaling():
    r = variants("feature_scaling")
    assert last(r["standardized, lr 0.01"], "val_acc") > 0.9 > last(r["raw, lr 1e-5"],
                                                                     "val_acc")
    raw = race(path("scaling_contours_standardized"))
    assert raw["GD lr 0.9"].losses[-1] < raw["GD lr 0.012"].losses[-1]


# ------------------------------------------------------------------ validation

def test_kfold_reports_every_fold():
    kfold = train(path("kfold_iris"), write_files=False, epochs=5).extra["kfold"]
    assert kfold["k"] == 5 and len(kfold["values"]) == 5
    assert math.isclose(kfold["mean"], float(np.mean(kfold["values"])))


def test_capacity_lessons():
    xor = variants("underfitting_xor")
    assert last(xor["linear"], "val_acc") < 0.65 < 0.85 < last(xor["4 hidden"], "val_acc")
    sq = variants("squared_features")
    assert last(sq["x1, x2, x1², x2²"], "val_acc") > 0.95 > 0.6 > last(sq["x1, x2"], "val_acc")
    poly = {k: last(v, "train_loss") for k, v in variants("polynomial_degree").items()}
    assert poly["degree 1"] > poly["degree 3"] > poly["degree 9"]


def test_bias_variance_and_more_data():
    r = variants("bias_variance")
    assert last(r["256-256"], "train_loss") < 0.1 * last(r["1 unit"], "train_loss")
    assert last(r["256-256"], "val_loss") > 2 * last(r["8 units"], "val_loss")
    more = variants("more_data", epochs=60)
    gaps = [last(v, "val_loss") - last(v, "train_loss") for v in more.values()]
    assert gaps[0] > gaps[1] > gaps[2]

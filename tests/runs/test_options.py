"""How a run uses the machine: RunOptions from the environment, the BLAS thread rule."""

from __future__ import annotations

import pytest

from trainlab.runs.options import AUTO, BLAS_THREADED_SIZE, RunOptions, blas_threads
from trainlab.runs.prepared import prepare

from .helpers import preset


@pytest.mark.parametrize("env, compiled, pipeline", [
    ({}, True, True),
    ({"TRAINLAB_COMPILED_EPOCHS": "0"}, False, True),
    ({"TRAINLAB_PIPELINE": "0"}, True, False),
    ({"TRAINLAB_COMPILED_EPOCHS": "1", "TRAINLAB_PIPELINE": "0"}, True, False),
])
def test_from_env_reads_the_documented_switches(env, compiled, pipeline, monkeypatch):
    for key in ("TRAINLAB_COMPILED_EPOCHS", "TRAINLAB_PIPELINE", "TRAINLAB_BLAS_THREADS"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    options = RunOptions.from_env()
    assert (options.compiled_epochs, options.pipeline) == (compiled, pipeline)
    assert options.blas_threads == AUTO


def net(hidden, **model):
    # xor: 2 inputs, 2 classes (cross-entropy)
    return prepare(preset(model={"hidden": hidden, **model}))


def test_every_net_runs_blas_on_one_thread_whatever_its_size():
    # large matrices too: threaded BLAS would make their sums depend on the core count
    assert BLAS_THREADED_SIZE == 256 * 256
    assert blas_threads(net([255, 256])) == 1
    assert blas_threads(net([256, 256])) == 1       # 256·256 = 65 536
    assert blas_threads(net([16, 4096])) == 1
    assert blas_threads(net([128, 128], activation="maxout", maxout_pieces=4)) == 1


@pytest.mark.parametrize("value, threads", [("default", None), ("3", 3), ("", AUTO),
                                            ("zero", AUTO), ("0", AUTO)])
def test_trainlab_blas_threads_asks_for_other_threads_by_name(value, threads, monkeypatch):
    monkeypatch.setenv("TRAINLAB_BLAS_THREADS", value)
    assert RunOptions.from_env().blas_threads == threads


def test_an_explicit_thread_count_overrides_the_rule():
    small = net([4])
    assert RunOptions().threads_for(small) == 1
    assert RunOptions(blas_threads=2).threads_for(small) == 2
    assert RunOptions(blas_threads=None).threads_for(small) is None

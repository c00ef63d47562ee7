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
    for key in ("TRAINLAB_COMPILED_EPOCHS", "TRAINLAB_PIPELINE"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    options = RunOptions.from_env()
    assert (options.compiled_epochs, options.pipeline) == (compiled, pipeline)
    assert options.blas_threads == AUTO


def net(hidden, **model):
    # xor: 2 inputs, 2 classes (cross-entropy)
    return prepare(preset(model={"hidden": hidden, **model}))


def test_small_nets_run_blas_on_one_thread_large_ones_as_the_process_has_it():
    assert BLAS_THREADED_SIZE == 256 * 256
    assert blas_threads(net([255, 256])) == 1       # 255·256 < 65 536
    assert blas_threads(net([256, 256])) is None    # 256·256 = 65 536
    assert blas_threads(net([16, 4096])) is None    # 16·4096 = 65 536


def test_maxout_pieces_count_in_the_size():
    assert blas_threads(net([128, 128])) == 1
    assert blas_threads(net([128, 128], activation="maxout", maxout_pieces=4)) is None


def test_an_explicit_thread_count_overrides_the_rule():
    small = net([4])
    assert RunOptions().threads_for(small) == 1
    assert RunOptions(blas_threads=2).threads_for(small) == 2
    assert RunOptions(blas_threads=None).threads_for(small) is None

"""Garbage is collected in the window's thread only (trainlab.gui.collector): a cycle holding
a Qt object destroyed in the training thread can stop both threads for good."""

from __future__ import annotations

import gc
import threading

from .helpers import tiny_preset, train_to_end


class _Cycle:
    def __init__(self):
        self.me = self


def test_collections_run_in_the_window_thread_while_a_run_allocates_cycles(qtbot, window):
    threads: list[str] = []

    def note(phase, info):
        if phase == "start":
            threads.append(threading.current_thread().name)

    def litter(report):  # the training thread makes garbage only a collection frees
        for _ in range(3 * gc.get_threshold()[0]):  # a collection's worth in every report
            _Cycle()

    window.controller.progress_hooks.append(litter)
    gc.callbacks.append(note)
    try:
        train_to_end(qtbot, window, tiny_preset(training__epochs=60))
        # the window's timer collects what the run left (thousands of cycles)
        qtbot.waitUntil(lambda: gc.get_count()[0] <= gc.get_threshold()[0], timeout=10_000)
    finally:
        gc.callbacks.remove(note)
    assert threads, "the litter was collected"
    assert set(threads) == {threading.main_thread().name}


def test_collection_is_pythons_again_after_the_test(qtbot, window):
    from trainlab.gui import collector

    assert not gc.isenabled() and collector.running()
    collector.stop()
    assert gc.isenabled() and not collector.running()
    collector.collect_in_gui_thread()
    assert not gc.isenabled()

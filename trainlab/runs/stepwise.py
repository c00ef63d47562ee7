"""Epochs one at a time, with progress reports from within long ones (README, "How a run
uses the machine"). Where it helps, an epoch's row is measured in the second thread while the
next epoch trains; as soon as an epoch proves short, the rest of the run goes to
:class:`~trainlab.runs.compiled.CompiledRun`."""

from __future__ import annotations

import time

from trainlab.runs import compiled
from trainlab.runs.evaluation import EpochEnd, copy_weights
from trainlab.runs.judge import diverged_in_steps
from trainlab.runs.progress import CHUNK_SECONDS


class OneAtATime:
    """Trains the epochs of ``fit`` (a :class:`~trainlab.runs.fit.Fit`) one by one."""

    def __init__(self, fit):
        self.fit = fit

    def run(self) -> None:
        fit = self.fit
        control, runner, opt, tr = fit.control, fit.runner, fit.opt, fit.tr
        pipeline = fit.pipeline
        chunk = runner.steps_per_epoch if fit.callback is None else 16
        while fit.status == "finished" and fit.epoch < tr.epochs:
            if not fit.apply_changes(fit.conclude_pending):
                return
            eta = opt.lr = float(fit.epoch_lrs(fit.epoch, 1)[0])
            runner.start_epoch()
            t_epoch = fit.t_train
            while not runner.epoch_done:
                # show the last epoch while paused
                if control.paused and not fit.conclude_pending():
                    return
                if control.paused and not control.wait_while_paused():
                    break
                if control.stopped:
                    break
                if runner.next_batch == 0:  # a paused run applies changes before its step
                    if not fit.apply_changes(fit.conclude_pending):
                        return
                    eta = opt.lr = float(fit.epoch_lrs(fit.epoch, 1)[0])
                granted = control.updates_granted()
                t0 = time.perf_counter()
                done = runner.run(chunk if granted is None else min(chunk, granted))
                dt = time.perf_counter() - t0
                fit.t_train += dt
                fit.total_steps += done
                control.updates_done(done)
                if runner.diverged:
                    break
                if fit.callback is not None and done:
                    # aim each compiled call at ~CHUNK_SECONDS of work
                    rate = done / max(dt, 1e-9)
                    chunk = int(min(max(rate * CHUNK_SECONDS, 1), 1_000_000))
                    if not runner.epoch_done:
                        fit.report("chunk", fit.epoch)
            if not fit.conclude_pending() or control.stopped:
                return
            if runner.diverged:
                fit.end(diverged_in_steps(fit.epoch + 1, eta))
                return
            fit.epoch += 1
            pipeline.train_seconds = fit.t_train - t_epoch
            end = EpochEnd(fit.epoch, eta, runner.gnorm_acc / max(runner.steps_per_epoch, 1),
                           copy_weights(fit.net), fit.t_train, fit.total_steps)
            control.epoch_done()  # a granted single step ends with this epoch's steps
            if fit.options.compiled_epochs \
                    and pipeline.train_seconds < compiled.COMPILED_EPOCH_SECONDS:
                if fit.conclude(end):
                    compiled.CompiledRun(fit).run()  # short epochs: the rest, many to a call
                return
            if fit.epoch < tr.epochs and not control.paused and pipeline.worth_it():
                pipeline.submit(fit.measure, end)
                fit.pending = end
            elif not fit.conclude(end):
                return

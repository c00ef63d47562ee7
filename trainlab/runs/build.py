"""The engine's parts a prepared run trains with: network, optimizer, schedule."""

from __future__ import annotations

from trainlab.engine import Network, Optimizer, Schedule
from trainlab.presets import Preset
from trainlab.runs.prepared import PreparedRun


def build_network(run: PreparedRun) -> Network:
    p, m = run.preset, run.preset.model
    return Network([run.splits.n_features, *m.hidden, run.output_width],
                   activation=m.activation, init=m.init, batch_norm=m.batch_norm,
                   dropout=m.dropout, seed=p.seed, dtype=p.training.dtype,
                   maxout_pieces=m.maxout_pieces, init_scale=m.init_scale,
                   dropout_mode=m.dropout_mode)


def build_optimizer(p: Preset) -> Optimizer:
    o = p.optimizer
    return Optimizer(o.name, o.lr, momentum=o.momentum, nesterov=o.nesterov, beta1=o.beta1,
                     beta2=o.beta2, eps=o.eps, rho=o.rho, weight_decay=o.weight_decay,
                     clip_norm=p.regularization.clip_norm)


def build_schedule(p: Preset) -> Schedule:
    s = p.schedule
    return Schedule(s.name, p.optimizer.lr, warmup_epochs=s.warmup_epochs, gamma=s.gamma,
                    step_size=s.step_size, decay=s.decay, power=s.power, T=s.T,
                    min_lr=s.min_lr, factor=s.factor, patience=s.patience, cooldown=s.cooldown,
                    per=s.per)

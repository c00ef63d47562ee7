"""The Optuna study behind a sweep: where it is stored, how trials are queued and claimed.

Every trial is queued up front as a *waiting* trial carrying its index (and, for grid and
random search, its fixed values). A worker claims a waiting trial by moving it to *running*
through the storage, which lets exactly one worker win (a row lock in a database, the
journal's ordered log in a file). So each grid point runs once even under concurrent workers,
which Optuna's own ``GridSampler`` does not promise, and a Bayesian search runs exactly
``n_trials`` trials however many workers join.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import optuna
from optuna.exceptions import UpdateFinishedTrialError
from optuna.samplers import BaseSampler, RandomSampler, TPESampler
from optuna.trial import TrialState

from .definition import SweepDefinition, load_sweep
from .errors import SweepError

#: The study's user attribute holding the whole sweep definition (workers need nothing else).
SWEEP_ATTR = "trainlab_sweep"
JOURNAL_FILE = "study.journal"

# Optuna logs a line per trial at INFO; a sweep reports its own progress line instead.
optuna.logging.set_verbosity(logging.WARNING)


def open_storage(url: str | None, folder: Path | None = None):
    """The study's storage: an Optuna RDB URL, or (``url`` None) the embedded journal file
    ``folder/study.journal``.

    Why a journal file and not SQLite for several worker processes on one machine: SQLite
    lets one writer at a time hold the whole database, and a writer that waits past its
    timeout fails with "database is locked" (SQLAlchemy's SQLite notes); Optuna's RDB storage
    says it never recommends SQLite for parallel optimization. The journal backend appends
    each operation as one line under a file lock and replays the log, which is what several
    processes appending a few records per trial need (Optuna documents it for that use, and
    for NFS where SQLite's fcntl locks break). Its limit, modest write concurrency, does not
    bite here: a worker writes a handful of records per trial (one per epoch with pruning).
    """
    if url is None:
        from optuna.storages import JournalStorage
        from optuna.storages.journal import JournalFileBackend, JournalFileOpenLock

        path = str(Path(folder) / JOURNAL_FILE)
        return JournalStorage(JournalFileBackend(path, lock_obj=JournalFileOpenLock(path)))
    return _rdb_storage(url)


def _rdb_storage(url: str):
    from optuna.storages import RDBStorage
    from sqlalchemy.engine import make_url

    try:
        dialect = make_url(url).get_dialect()
    except Exception:
        raise SweepError([("--storage", f"{url!r} is not a database URL; expected e.g. "
                                        "postgresql://user:password@host/dbname")]) from None
    try:
        dialect.import_dbapi()
    except ImportError as error:
        hint = "pip install 'trainlab[postgres]'" if dialect.name == "postgresql" \
            else "install it with pip"
        raise SweepError([("--storage", f"no database driver '{error.name}' for this URL; "
                                        f"{hint}")]) from None
    try:
        return RDBStorage(url, engine_kwargs={"pool_pre_ping": True})
    except Exception as error:  # connection refused, bad password, unknown database, ...
        raise SweepError([("--storage", f"cannot open {_safe(url)}: {_first_line(error)}")]
                         ) from None


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


class TrialSeededTPE(BaseSampler):
    """Optuna's TPE sampler, seeded afresh for each trial from (seed, trial index).

    TPE's model is rebuilt from the shared history at every draw; only its random numbers
    are its own. Seeding them per trial keeps two workers from drawing the same numbers and a
    resumed search from replaying the draws of its first start.
    """

    def __init__(self, seed: int, n_startup_trials: int):
        self.seed = seed
        self.n_startup_trials = n_startup_trials
        self._samplers: dict[int, TPESampler] = {}

    def _for(self, trial) -> TPESampler:
        index = int(trial.user_attrs.get("index", trial.number))
        if index not in self._samplers:
            seed = int(np.random.SeedSequence([self.seed, index]).generate_state(1)[0])
            self._samplers[index] = TPESampler(seed=seed, n_startup_trials=self.n_startup_trials)
        return self._samplers[index]

    def infer_relative_search_space(self, study, trial):
        return {}

    def sample_relative(self, study, trial, search_space):
        return {}

    def sample_independent(self, study, trial, param_name, param_distribution):
        return self._for(trial).sample_independent(study, trial, param_name, param_distribution)

    def before_trial(self, study, trial):
        self._for(trial).before_trial(study, trial)

    def after_trial(self, study, trial, state, values):
        self._for(trial).after_trial(study, trial, state, values)
        self._samplers.pop(int(trial.user_attrs.get("index", trial.number)), None)


def _sampler_and_pruner(definition: SweepDefinition):
    method, pruning = definition.file.method, definition.file.pruning
    if method.name == "bayesian":
        sampler: BaseSampler = TrialSeededTPE(method.seed, method.n_startup_trials)
    else:
        sampler = RandomSampler(seed=0)  # never asked: every value is fixed up front
    if pruning.enabled:
        pruner = optuna.pruners.MedianPruner(n_startup_trials=pruning.n_startup_trials,
                                             n_warmup_steps=pruning.n_warmup_epochs)
    else:
        pruner = optuna.pruners.NopPruner()
    return sampler, pruner


def create_study(storage, name: str, definition: SweepDefinition) -> tuple[optuna.Study, bool]:
    """Create the study with every trial queued, or open it if it holds this very sweep.
    Returns (study, created)."""
    stored = _stored_definition(storage, name)
    if stored is not None:
        if stored != definition.to_dict():
            raise SweepError([("", f"study '{name}' already holds a different sweep "
                                   f"('{stored.get('name')}'); use another --out or --study")])
        return open_study(storage, name)[0], False
    sampler, pruner = _sampler_and_pruner(definition)
    study = optuna.create_study(storage=storage, study_name=name, sampler=sampler, pruner=pruner,
                                direction=definition.direction)
    study.set_user_attr(SWEEP_ATTR, definition.to_dict())
    for index, values in enumerate(definition.trials()):
        fixed = {p.key: p.encode(values[p.key]) for p in definition.parameters if values}
        study.enqueue_trial(fixed, user_attrs={"index": index})
    return study, True


def _stored_definition(storage, name: str) -> dict | None:
    for summary in storage.get_all_studies():
        if summary.study_name == name:
            attrs = summary.user_attrs
            if SWEEP_ATTR not in attrs:
                raise SweepError([("--study", f"study '{name}' exists but is not a TrainLab "
                                              "sweep")])
            return attrs[SWEEP_ATTR]
    return None


def open_study(storage, name: str) -> tuple[optuna.Study, SweepDefinition]:
    """An existing sweep's study and its definition (what ``sweep-worker`` joins)."""
    stored = _stored_definition(storage, name)
    if stored is None:
        names = ", ".join(s.study_name for s in storage.get_all_studies()) or "none"
        raise SweepError([("--study", f"no study named '{name}' in this storage "
                                      f"(studies: {names})")])
    definition = load_sweep(stored, source=f"study '{name}'")
    sampler, pruner = _sampler_and_pruner(definition)
    return optuna.load_study(study_name=name, storage=storage, sampler=sampler,
                             pruner=pruner), definition


def claim(study: optuna.Study, storage) -> optuna.trial.Trial | None:
    """Take the first waiting trial that no other worker takes first; None when none is left."""
    study_id = storage.get_study_id_from_name(study.study_name)
    for frozen in study.get_trials(deepcopy=False, states=(TrialState.WAITING,)):
        trial_id = storage.get_trial_id_from_study_id_trial_number(study_id, frozen.number)
        try:
            if storage.set_trial_state_values(trial_id, TrialState.RUNNING):
                return optuna.trial.Trial(study, trial_id)
        except UpdateFinishedTrialError:
            continue
    return None


def requeue(study: optuna.Study, index: int, fixed: dict) -> None:
    """Queue a trial that did not end (interrupted, or its worker died) to run again anew."""
    study.enqueue_trial(fixed, user_attrs={"index": index})


def requeue_stale(study: optuna.Study, storage) -> int:
    """Fail and queue again every trial left running by a worker that is gone (only safe when
    no worker can be running: the embedded store before local workers start)."""
    stale = study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))
    for frozen in stale:
        trial_id = storage.get_trial_id_from_study_id_trial_number(
            storage.get_study_id_from_name(study.study_name), frozen.number)
        storage.set_trial_user_attr(trial_id, "interrupted", True)
        storage.set_trial_state_values(trial_id, TrialState.FAIL)
        requeue(study, frozen.user_attrs["index"], frozen.system_attrs.get("fixed_params", {}))
    return len(stale)

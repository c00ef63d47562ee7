"""How fast is the engine?  `python benchmarks/engine.py [--quick] [--json PATH] [--no-torch]`

Measures optimizer steps per second, in one process run, for

* nets 2-16-16-2 (batch 32), 64-128-64-10 (batch 64) and 784-256-128-10 (batch 128),
* float32 and float64, SGD with momentum (μ = 0.9) and Adam, cross-entropy,

with the *full training loop* on: every epoch shuffles, runs its optimizer steps, evaluates loss
and accuracy over the whole training set and a validation set, and takes the weight norms (and,
for TrainLab, the per-layer gradient norms of every step, which its kernels always record).
The same loop runs for the peers, on the same synthetic data (Gaussian X, random labels):

* TrainLab: the real training loop (``trainlab.runs.loop.train``, which runs BLAS on one
  thread), and the same epoch written on the engine API, which splits steps from evaluation
  (``--blas-default`` adds it with BLAS at its default thread count; ``--batch-loss both``
  adds the real loop with ``training.record_batch_loss: false`` and prints the on/off ratio);
* PyTorch CPU eager (nn.Sequential + torch.optim, a randperm per epoch, manual batching,
  evaluation under no_grad), at its default thread count and with one thread;
* scikit-learn's MLPClassifier (partial_fit = one epoch; steps/s = batches/s).

A peer that is not installed is skipped and the table says so (``--no-torch`` /
``--no-sklearn`` or ``TRAINLAB_BENCH_NO_TORCH=1`` simulate that). It also prints the JIT compile
time of the whole engine cold (empty ``NUMBA_CACHE_DIR``) and warm, the import time, and GFLOP/s
against the machine's large-matmul peak measured in the same run.

Not a test: it prints tables (and writes JSON with ``--json``). Targets (README): TrainLab
≥ 50× PyTorch on the tiny net, ≥ 5× on 64-128-64-10, ≥ 1.2× on 784-256-128-10; cold compile
< 30 s; warm start < 1 s.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
try:  # the installed (editable) package, or whichever PYTHONPATH names
    import trainlab  # noqa: F401
except ImportError:  # a bare checkout
    sys.path.insert(0, str(ROOT))

#: (name, layer sizes, batch size, hidden activation, training rows). Validation = rows // 4.
#: Rows are chosen so an epoch is 64-128 optimizer steps.
CASES = (
    ("tiny", [2, 16, 16, 2], 32, "tanh", 4096),
    ("mid", [64, 128, 64, 10], 64, "relu", 4096),
    ("mnist", [784, 256, 128, 10], 128, "relu", 8192),
)
TARGETS = {"tiny": 50.0, "mid": 5.0, "mnist": 1.2}
DTYPES = ("float32", "float64")
OPTIMIZERS = ("momentum", "adam")
LR = {"momentum": 0.01, "adam": 1e-3}
COMPILE_TARGETS = {"cold_warmup": 30.0, "warm_warmup": 1.0}
TORCH_DEFAULT_THREADS = [1]  # torch.get_num_threads() at start-up, before any peer changes it


# ---- helpers -------------------------------------------------------------------------------
def case_label(sizes, batch) -> str:
    return "-".join(map(str, sizes)) + f" b{batch}"


def flops_per_step(sizes, batch) -> float:
    """2·fan_in·fan_out per row per layer forward, ×3 for forward + backward."""
    return 3.0 * 2.0 * batch * sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=False))


def load_avg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas_info() -> list[dict]:
    try:
        import scipy.linalg  # noqa: F401  (Numba's np.dot calls SciPy's BLAS: load it too)
        from threadpoolctl import threadpool_info

        return [{k: d.get(k) for k in ("internal_api", "prefix", "version", "architecture",
                                       "num_threads", "filepath")}
                for d in threadpool_info()]
    except Exception as exc:  # noqa: BLE001
        return [{"error": repr(exc)}]


class blas_threads:
    """Context: limit every BLAS (NumPy's, SciPy's = Numba's) to n threads; None = as is."""

    def __init__(self, n):
        self.n = n
        self._ctl = None

    def __enter__(self):
        if self.n is not None:
            from threadpoolctl import threadpool_limits

            self._ctl = threadpool_limits(limits=self.n, user_api="blas")
        return self

    def __exit__(self, *exc):
        if self._ctl is not None:
            self._ctl.restore_original_limits()


# ---- machine peak --------------------------------------------------------------------------
def matmul_peak(n: int, seconds: float) -> dict:
    """GFLOP/s of an n×n @ n×n np.dot (best of repeats), per dtype, all BLAS threads and one."""
    out = {}
    rng = np.random.default_rng(1)
    for dtype in DTYPES:
        a = rng.standard_normal((n, n)).astype(dtype)
        b = rng.standard_normal((n, n)).astype(dtype)
        c = np.empty((n, n), dtype)
        for label, threads in (("all", None), ("1", 1)):
            with blas_threads(threads):
                np.dot(a, b, out=c)
                best = math.inf
                t_end = time.perf_counter() + seconds
                reps = 0
                while reps < 3 or time.perf_counter() < t_end:
                    t0 = time.perf_counter()
                    np.dot(a, b, out=c)
                    best = min(best, time.perf_counter() - t0)
                    reps += 1
            out[f"{dtype}_threads_{label}"] = 2.0 * n ** 3 / best / 1e9
    return out


# ---- compile time --------------------------------------------------------------------------
def _timed_subprocess(code: str, env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, cwd=tempfile.gettempdir())
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"subprocess failed ({code!r}):\n{proc.stderr[-2000:]}")
    return elapsed, proc.stdout.strip()


def compile_times(cold: bool) -> dict:
    """Wall clock of fresh interpreters: bare start, the imports, the whole engine compiled
    cold (``warmup(api=True)``, empty NUMBA_CACHE_DIR) then loaded warm (same dir), the
    kernels a run needs loaded warm (``warmup()``), from that dir and from the default cache;
    best of a few for the warm ones. ``cold=False`` (--quick): only the default-cache warm
    start, once."""
    env = dict(os.environ)
    import trainlab

    pkg_parent = str(Path(trainlab.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (pkg_parent, env.get("PYTHONPATH")) if p)
    res = {}
    k = 3 if cold else 1
    res["python_start"] = min(_timed_subprocess("pass", env)[0] for _ in range(k))
    res["import_engine"] = min(_timed_subprocess("import trainlab.engine", env)[0]
                               for _ in range(k))
    res["import_kernels"] = min(_timed_subprocess("import trainlab.engine.kernels", env)[0]
                                for _ in range(k))
    code = "from trainlab.engine import warmup; warmup()"  # what a run needs
    code_all = "from trainlab.engine import warmup; warmup(api=True)"  # the whole engine
    # the same, timing its parts inside the interpreter
    split = ("import time; t0 = time.perf_counter(); import numba; t1 = time.perf_counter(); "
             "from trainlab.engine import warmup; import trainlab.engine.kernels; "
             "t2 = time.perf_counter(); warmup(); t3 = time.perf_counter(); "
             "print(t1 - t0, t2 - t1, t3 - t2)")
    with tempfile.TemporaryDirectory(prefix="trainlab-numba-cache-") as cache:
        env_c = dict(env, NUMBA_CACHE_DIR=cache)
        if cold:
            res["cold_warmup"] = _timed_subprocess(code_all, env_c)[0]
            res["warm_warmup_all"] = min(_timed_subprocess(code_all, env_c)[0]
                                         for _ in range(3))
            res["warm_warmup"] = min(_timed_subprocess(code, env_c)[0] for _ in range(3))
    # the user's case: the cache next to the sources (or the user cache), as installed
    res["warm_warmup_default_cache"] = min(_timed_subprocess(code, env)[0]
                                           for _ in range(3 if cold else 1))
    parts = min((tuple(map(float, _timed_subprocess(split, env)[1].split()))
                 for _ in range(3 if cold else 1)), key=sum)
    res["warm_parts"] = dict(zip(("import_numba", "import_engine_kernels", "warmup_call"),
                                 parts, strict=True))
    return res


# ---- the peers -----------------------------------------------------------------------------
@dataclass
class Data:
    X: np.ndarray
    y: np.ndarray
    Xv: np.ndarray
    yv: np.ndarray
    splits: object = None  # trainlab.data.Splits of the same rows (for the real loop)


def make_data(sizes, n_rows, dtype, seed=0) -> Data:
    """Gaussian X, uniform random labels; a validation set of n_rows // 4 more rows. Split by
    TrainLab's own ``make_splits`` (stratified, no scaling) when it is there."""
    rng = np.random.default_rng(seed)
    n_val = max(n_rows // 4, 1)
    n = n_rows + n_val
    K = sizes[-1]
    X = rng.standard_normal((n, sizes[0]))
    y = rng.integers(0, K, n).astype(np.int64)
    try:
        from trainlab.data import Dataset, make_splits

        ds = Dataset(X, y, "classification", K, [f"x{i}" for i in range(sizes[0])], "y",
                     name="synthetic")
        sp = make_splits(ds, {"train": n_rows / n, "val": n_val / n, "test": 0.0}, "none",
                         seed=seed)
        return Data(sp.X_train.astype(dtype), sp.y_train.copy(), sp.X_val.astype(dtype),
                    sp.y_val.copy(), sp)
    except ImportError:
        return Data(X[:n_rows].astype(dtype), y[:n_rows].copy(), X[n_rows:].astype(dtype),
                    y[n_rows:].copy())


def loop_train():
    """``trainlab.runs.loop.train`` if the real training loop is there, else None."""
    try:
        from trainlab.runs.loop import train
    except ImportError:
        return None
    return train


class TrainLabLoopPeer:
    """The real training loop (``trainlab.runs.loop.train``, headless, no files) on a preset
    prepared on the synthetic splits (``prepare(preset, splits=...)``).

    A progress callback (as the CLI and the GUI pass) stamps the end of every epoch; the rate
    is the steps of epochs 2…E over the time from the end of epoch 1 to the end of epoch E,
    so set-up, the row-0 evaluation and the first epoch stay out, and everything an epoch
    does (steps, evaluation of both splits, norms, history row, callback) is in.
    ``result.seconds`` (time inside the compiled steps) gives the loop's steps-only rate.
    """

    name = "trainlab"

    def __init__(self, sizes, batch, act, dtype, opt_name, data: Data, batch_loss=True):
        import trainlab.runs.loop as loop
        from trainlab.presets import default_preset, preset_to_dict
        from trainlab.runs.prepared import prepare

        self.loop = loop
        self.splits = data.splits
        d = preset_to_dict(default_preset())
        d["name"] = "benchmark"
        d["model"].update(hidden=list(sizes[1:-1]), activation=act, init="auto",
                          batch_norm=False, dropout=0.0)
        d["loss"].update(name="cross_entropy", label_smoothing=0.0)
        d["optimizer"].update(name=opt_name, lr=LR[opt_name], momentum=0.9, nesterov=False)
        d["schedule"]["name"] = "constant"
        d["regularization"].update(l1=0.0, l2=0.0, clip_norm=None)
        d["training"].update(batch_size=batch, shuffle=True, dtype=dtype,
                             record_batch_loss=batch_loss)
        if not batch_loss:
            self.name = "trainlab_bl_off"
        d["training"]["early_stopping"]["enabled"] = False
        d["data"].update(scaling="none", kfold=None)
        self.preset = d
        self.prepared = prepare(d, splits=data.splits)
        self.steps_per_epoch = -(-data.X.shape[0] // batch)
        self.epoch_s = None

    def _run(self, epochs: int) -> tuple[float, float, float]:
        """(seconds for epochs 2…E, seconds inside the steps of all E, whole call)."""
        loop = self.loop
        stamps = {}

        def callback(progress):
            if progress.event == "epoch":
                stamps[progress.epoch] = time.perf_counter()

        t0 = time.perf_counter()
        result = loop.train(self.prepared, epochs=epochs, write_files=False, callback=callback)
        whole = time.perf_counter() - t0
        if result.status != "finished" or result.epochs != epochs:
            raise RuntimeError(f"trainlab loop: {result.status}: {result.message}")
        return stamps[epochs] - stamps[1], result.seconds, whole

    def warm(self) -> None:
        self._run(2)
        self.epoch_s = max(self._run(3)[0] / 2, 1e-6)

    def measure(self, seconds: float) -> tuple[int, float, float, float]:
        epochs = int(min(max(seconds / self.epoch_s, 2), 1_000_000)) + 1
        elapsed, train_s, _ = self._run(epochs)
        self.epoch_s = elapsed / (epochs - 1)
        steps = (epochs - 1) * self.steps_per_epoch
        # steps-only time of epochs 2…E, pro rata (result.seconds covers all E)
        train_s *= (epochs - 1) / epochs
        return steps, elapsed, train_s, elapsed - train_s


class EpochPeer:
    """A peer measured epoch by epoch: ``epoch()`` → (steps, train seconds, eval seconds)."""

    def warm(self) -> None:
        with blas_threads(self.blas):
            self.epoch()  # compile, allocate, caches warm

    blas = None  # BLAS threads while measuring (None: as is)

    def measure(self, seconds: float) -> tuple[int, float, float, float]:
        """Whole epochs until ``seconds`` have passed (at least one)."""
        steps = 0
        train_s = eval_s = 0.0
        with blas_threads(self.blas):  # once: threadpoolctl itself takes milliseconds
            t0 = time.perf_counter()
            t_end = t0 + seconds
            while True:
                s, a, b = self.epoch()
                steps += s
                train_s += a
                eval_s += b
                if time.perf_counter() >= t_end:
                    return steps, time.perf_counter() - t0, train_s, eval_s


class TrainLabEnginePeer(EpochPeer):
    """SPEC §10's epoch written against the engine API (what the loop does, minus presets and
    records), timed in parts: shuffle + steps in compiled chunks | evaluation over train and
    validation, weight norms, mean gradient norms, divergence check, a history row.
    BLAS at one thread, as the loop and the GUI run it; ``blas=None`` leaves BLAS as is."""

    CHUNK = 1 << 20  # steps per compiled call: the whole epoch (the headless loop does too)

    def __init__(self, sizes, batch, act, dtype, opt_name, data: Data, blas=1):
        from trainlab.engine import Network, Optimizer, kernels
        from trainlab.engine.names import LOSS_CODE
        from trainlab.engine.trainer import StepRunner

        self.name = "trainlab_engine" if blas == 1 else "trainlab_engine_blas_default"
        self.blas = blas
        self.kernels = kernels
        self.net = Network(sizes, activation=act, dtype=dtype, seed=0)
        self.opt = Optimizer(opt_name, lr=LR[opt_name])
        self.loss_code = LOSS_CODE["cross_entropy"]
        self.X = self.net.check_inputs(data.X)
        self.Xv = self.net.check_inputs(data.Xv)
        self.Y = self.net.check_targets(data.y, data.X.shape[0], "cross_entropy")
        self.Yv = self.net.check_targets(data.yv, data.Xv.shape[0], "cross_entropy")
        self.runner = StepRunner(self.net, self.opt, self.X, self.Y, "cross_entropy", batch,
                                 shuffle_seed=0)
        self.metric = np.zeros(self.Y.shape[1] + 1)
        self.norms = np.zeros(self.net.n_layers)
        self.history: list[list[float]] = []

    def epoch(self) -> tuple[int, float, float]:
        t0 = time.perf_counter()
        r = self.runner
        r.start_epoch()
        steps = 0
        while not r.epoch_done and not r.diverged:
            steps += r.run(self.CHUNK)
        t1 = time.perf_counter()
        net = self.net
        train_loss = net.evaluate(self.X, self.Y, self.loss_code, 0.0, self.metric)
        train_acc = self.metric[0] / self.X.shape[0]
        val_loss = net.evaluate(self.Xv, self.Yv, self.loss_code, 0.0, self.metric)
        val_acc = self.metric[0] / self.Xv.shape[0]
        penalty = self.kernels.weight_stats(net.theta, net.lt, 0.0, 0.0, self.norms)
        gmean = r.gnorm_acc / max(steps, 1)
        if not (math.isfinite(train_loss) and math.isfinite(val_loss)) or r.diverged:
            raise RuntimeError(f"{self.name}: diverged")
        self.history.append([len(self.history) + 1, self.opt.lr, train_loss, val_loss,
                             train_acc, val_acc, penalty, *self.norms, *gmean,
                             time.perf_counter() - t0])
        return steps, t1 - t0, time.perf_counter() - t1


class TorchPeer(EpochPeer):
    """A standard PyTorch CPU eager loop (same epoch structure as above)."""

    def __init__(self, sizes, batch, act, dtype, opt_name, data: Data, threads=None):
        import torch
        from torch import nn

        self.torch = torch
        self.threads = threads if threads is not None else TORCH_DEFAULT_THREADS[0]
        self.name = "torch" if threads is None else f"torch_{threads}t"
        torch.manual_seed(0)
        tdt = getattr(torch, dtype)
        layers = []
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=False)):
            layers.append(nn.Linear(a, b))
            if i < len(sizes) - 2:
                layers.append(nn.Tanh() if act == "tanh" else nn.ReLU())
        self.model = nn.Sequential(*layers).to(tdt)
        self.linears = [m for m in self.model if isinstance(m, nn.Linear)]
        if opt_name == "momentum":
            self.opt = torch.optim.SGD(self.model.parameters(), lr=LR[opt_name], momentum=0.9)
        else:
            self.opt = torch.optim.Adam(self.model.parameters(), lr=LR[opt_name])
        self.loss_fn = nn.CrossEntropyLoss()
        self.X = torch.from_numpy(data.X)
        self.y = torch.from_numpy(data.y)
        self.Xv = torch.from_numpy(data.Xv)
        self.yv = torch.from_numpy(data.yv)
        self.batch = batch
        self.gen = torch.Generator().manual_seed(0)
        self.history: list[list[float]] = []

    def _eval(self, X, y):
        logits = self.model(X)
        loss = self.torch.nn.functional.cross_entropy(logits, y).item()
        acc = (logits.argmax(1) == y).double().mean().item()
        return loss, acc

    def epoch(self) -> tuple[int, float, float]:
        torch = self.torch
        torch.set_num_threads(self.threads)
        t0 = time.perf_counter()
        n = self.X.shape[0]
        perm = torch.randperm(n, generator=self.gen)
        model, opt, loss_fn, B = self.model, self.opt, self.loss_fn, self.batch
        model.train()
        steps = 0
        for s in range(0, n, B):
            idx = perm[s:s + B]
            xb, yb = self.X[idx], self.y[idx]
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            steps += 1
        t1 = time.perf_counter()
        model.eval()
        with torch.no_grad():
            train_loss, train_acc = self._eval(self.X, self.y)
            val_loss, val_acc = self._eval(self.Xv, self.yv)
            norms = [torch.linalg.vector_norm(m.weight).item() for m in self.linears]
        if not (math.isfinite(train_loss) and math.isfinite(val_loss)):
            raise RuntimeError(f"{self.name}: diverged")
        self.history.append([len(self.history) + 1, train_loss, val_loss, train_acc, val_acc,
                             *norms, time.perf_counter() - t0])
        t2 = time.perf_counter()
        return steps, t1 - t0, t2 - t1


class SklearnPeer(EpochPeer):
    """MLPClassifier.partial_fit = one epoch of mini-batches; then the same evaluation."""

    def __init__(self, sizes, batch, act, dtype, opt_name, data: Data):
        from sklearn.neural_network import MLPClassifier

        self.name = "sklearn"
        kw = dict(hidden_layer_sizes=tuple(sizes[1:-1]), activation=act, batch_size=batch,
                  alpha=0.0, learning_rate_init=LR[opt_name], shuffle=True, random_state=0)
        if opt_name == "momentum":
            kw.update(solver="sgd", momentum=0.9, nesterovs_momentum=False)
        else:
            kw.update(solver="adam")
        self.clf = MLPClassifier(**kw)
        self.data = data
        self.classes = np.arange(sizes[-1])
        self.steps = -(-data.X.shape[0] // batch)
        self.history: list[list[float]] = []

    def _eval(self, X, y):
        P = self.clf.predict_proba(X)
        p = np.clip(P[np.arange(len(y)), y], 1e-300, None)
        return float(-np.log(p).mean()), float((P.argmax(1) == y).mean())

    def epoch(self) -> tuple[int, float, float]:
        d = self.data
        t0 = time.perf_counter()
        self.clf.partial_fit(d.X, d.y, classes=self.classes)
        t1 = time.perf_counter()
        train_loss, train_acc = self._eval(d.X, d.y)
        val_loss, val_acc = self._eval(d.Xv, d.yv)
        norms = [float(np.linalg.norm(W)) for W in self.clf.coefs_]
        self.history.append([len(self.history) + 1, train_loss, val_loss, train_acc, val_acc,
                             *norms, time.perf_counter() - t0])
        t2 = time.perf_counter()
        return self.steps, t1 - t0, t2 - t1


@dataclass
class Tally:
    steps: int = 0
    seconds: float = 0.0
    train_s: float = 0.0
    eval_s: float = 0.0
    rates: list = field(default_factory=list)  # full-loop steps/s of each repeat
    cpu_rates: list = field(default_factory=list)  # the same per CPU-second of the process


# ---- main ----------------------------------------------------------------------------------
def available_peers(args) -> dict[str, str]:
    """peer → "" if usable, else why it is skipped."""
    import importlib.util

    # peer: (turned off?, why when off, module, why when missing)
    peers = {
        "torch": (args.no_torch or os.environ.get("TRAINLAB_BENCH_NO_TORCH"),
                  "--no-torch / TRAINLAB_BENCH_NO_TORCH", "torch",
                  "PyTorch is not installed: pip install torch"),
        "sklearn": (args.no_sklearn, "--no-sklearn", "sklearn",
                    "scikit-learn is not installed"),
    }
    out = {}
    for peer, (off, why_off, module, why_missing) in peers.items():
        if off:
            out[peer] = f"skipped ({why_off})"
        elif importlib.util.find_spec(module) is None:
            out[peer] = f"skipped ({why_missing})"
        else:
            out[peer] = ""
    return out


PEER_LABELS = (
    ("trainlab", "TrainLab", "the real training loop, trainlab.runs.loop.train (BLAS 1 thread)"),
    ("trainlab_bl_off", "TL bl off",
     "the real training loop with training.record_batch_loss: false (BLAS 1 thread)"),
    ("trainlab_engine", "TL engine", "the same epoch written on the engine API (BLAS 1 thread)"),
    ("torch", "torch", "PyTorch eager, default threads"),
    ("torch_1t", "torch 1t", "PyTorch eager, torch.set_num_threads(1)"),
    ("sklearn", "sklearn", "scikit-learn MLPClassifier.partial_fit"),
)


def run_case(name, sizes, batch, act, n_rows, dtype, opt_name, args, peers_ok) -> dict:
    data = make_data(sizes, n_rows, dtype)
    spec = (sizes, batch, act, dtype, opt_name, data)
    builders = []
    if loop_train() is not None and data.splits is not None:
        if args.batch_loss in ("on", "both"):
            builders.append(lambda: TrainLabLoopPeer(*spec))
        if args.batch_loss in ("off", "both"):
            builders.append(lambda: TrainLabLoopPeer(*spec, batch_loss=False))
    builders.append(lambda: TrainLabEnginePeer(*spec))
    if args.blas_default:
        builders.append(lambda: TrainLabEnginePeer(*spec, blas=None))
    if not peers_ok["torch"]:
        builders += [lambda: TorchPeer(*spec), lambda: TorchPeer(*spec, threads=1)]
    if not peers_ok["sklearn"]:
        builders.append(lambda: SklearnPeer(*spec))
    peers = [b() for b in builders]
    for p in peers:
        p.warm()
    tallies = {p.name: Tally() for p in peers}
    for _ in range(args.repeats):  # interleaved, so a load change hits every peer alike
        for p in peers:
            # let the previous peer's idle BLAS/OpenMP threads stop spinning: their CPU time
            # would otherwise count against this peer's process CPU time
            time.sleep(0.25)
            c0 = time.process_time()
            steps, seconds, train_s, eval_s = p.measure(args.seconds)
            cpu = time.process_time() - c0
            t = tallies[p.name]
            t.steps += steps
            t.seconds += seconds
            t.train_s += train_s
            t.eval_s += eval_s
            t.rates.append(steps / seconds)
            t.cpu_rates.append(steps / max(cpu, 1e-9))
    fl = flops_per_step(sizes, batch)
    res = {"case": name, "sizes": sizes, "batch": batch, "activation": act,
           "rows": int(data.X.shape[0]), "val_rows": int(data.Xv.shape[0]),
           "steps_per_epoch": -(-int(data.X.shape[0]) // batch), "dtype": dtype,
           "optimizer": opt_name, "flops_per_step": fl, "peers": {}}
    for pname, t in tallies.items():
        best = max(t.rates)
        res["peers"][pname] = {
            # best repeat: on a shared machine the least disturbed one is the truest
            "steps_per_s": best,
            "steps_per_s_median": float(np.median(t.rates)),
            "steps_per_s_train_only": (t.steps / t.train_s if t.train_s == t.train_s
                                       and t.train_s > 0 else None),
            "eval_fraction": (t.eval_s / (t.train_s + t.eval_s) if t.eval_s == t.eval_s
                              and t.train_s + t.eval_s > 0 else None),
            "gflops": best * fl / 1e9,
            "repeat_rates": t.rates,
            # steps per CPU-second of the whole process (all its threads): what a quiet
            # machine would give a single-threaded peer; spin-waiting threads count against
            "steps_per_cpu_s": max(t.cpu_rates),
        }
    res["trainlab_peer"] = next(k for k in ("trainlab", "trainlab_bl_off", "trainlab_engine")
                                if k in tallies)
    res["ratios"] = ratios(res)
    return res


def ratios(res: dict) -> dict:
    """TrainLab's full-loop steps/s over each peer's (PyTorch: its faster thread setting)."""
    p = res["peers"]
    tl = p[res["trainlab_peer"]]["steps_per_s"]
    out = {}
    torch_rates = [p[k]["steps_per_s"] for k in ("torch", "torch_1t") if k in p]
    if torch_rates:
        out["vs_torch"] = tl / max(torch_rates)
        out["vs_torch_default"] = tl / p["torch"]["steps_per_s"]
        out["vs_torch_1t"] = tl / p["torch_1t"]["steps_per_s"]
        out["target"] = TARGETS[res["case"]]
        out["met"] = out["vs_torch"] >= out["target"]
    if "sklearn" in p:
        out["vs_sklearn"] = tl / p["sklearn"]["steps_per_s"]
    if "trainlab" in p and "trainlab_bl_off" in p:  # what recording batch losses costs
        on, off = p["trainlab"], p["trainlab_bl_off"]
        out["batch_loss_on_off"] = on["steps_per_s"] / off["steps_per_s"]
        out["batch_loss_on_off_median"] = (on["steps_per_s_median"]
                                           / off["steps_per_s_median"])
        out["batch_loss_on_off_cpu"] = on["steps_per_cpu_s"] / off["steps_per_cpu_s"]
    if torch_rates:
        tl_cpu = p[res["trainlab_peer"]]["steps_per_cpu_s"]
        out["vs_torch_cpu"] = tl_cpu / max(p[k]["steps_per_cpu_s"] for k in ("torch", "torch_1t"))
    return out


def fmt_rate(x) -> str:
    if x is None or x != x:
        return "—"
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def print_report(report: dict) -> None:
    m = report["machine"]
    print(f"machine: {m['cpu']} · {m['cores']} cores · {m['platform']}")
    print(f"  Python {m['python']} · numpy {m['numpy']} · numba {m['numba']} · torch "
          f"{m['torch'] or '—'} · scikit-learn {m['sklearn'] or '—'}")
    for b in m["blas"]:
        if "error" not in b and b.get("internal_api") != "openmp":
            print(f"  BLAS: {b['internal_api']} {b['version']}, kernel {b['architecture']}, "
                  f"{b['num_threads']} threads ({Path(b['filepath']).name})")
    env = ", ".join(f"{k}={v}" for k, v in m["env"].items() if v) or "none set"
    print(f"  BLAS/thread env: {env} · trainlab from {m['trainlab']}")
    print(f"  load average (1, 5, 15 min): start {report['load_start']}, end "
          f"{report['load_end']}  (2 cores: above ~0.5 the numbers are disturbed)")
    for k, why in report["skipped"].items():
        if why:
            print(f"  {k}: {why}")
    if report.get("loop") != "real":
        print("  trainlab.runs.loop.train not available: TrainLab = the engine-level loop")
    pk = report["peak"]
    n = report["peak_n"]
    print(f"\npeak: {n}×{n} np.dot, GFLOP/s: " + " · ".join(
        f"{d} {pk[d + '_threads_all']:.1f} ({pk[d + '_threads_1']:.1f} on 1 thread)"
        for d in DTYPES))
    c = report.get("compile")
    if c:
        print(f"\n{'start-up, wall clock of a fresh interpreter':<58} seconds  target")
        rows = [("python -c pass", "python_start", ""),
                ("import trainlab.engine (lazy: no Numba yet)", "import_engine", ""),
                ("import trainlab.engine.kernels (Numba, no compile)", "import_kernels", ""),
                ("warmup(api=True), cold: the whole engine, empty cache", "cold_warmup",
                 "< 30"),
                ("warmup(api=True), warm: the whole engine, same cache", "warm_warmup_all",
                 ""),
                ("warmup(), warm: what a run needs, same cache", "warm_warmup", "< 1"),
                ("warmup(), warm: default cache (next to the sources)",
                 "warm_warmup_default_cache", "< 1")]
        wp = c.get("warm_parts")
        if wp:
            rows.append(("  of which, inside: import numba | engine | warmup()", None, ""))
        for label, key, target in rows:
            if key is None:
                print(f"  {label:<56} {wp['import_numba']:.2f} | "
                      f"{wp['import_engine_kernels']:.2f} | {wp['warmup_call']:.2f}")
            elif key in c:
                ok = ""
                if key in COMPILE_TARGETS:
                    ok = "  yes" if c[key] < COMPILE_TARGETS[key] else "  NO"
                print(f"  {label:<56} {c[key]:7.2f}  {target}{ok}")
    present = [(k, h) for k, h, _ in PEER_LABELS
               if any(k in r["peers"] for r in report["cases"])]
    if any("trainlab_engine_blas_default" in r["peers"] for r in report["cases"]):
        present.insert(2, ("trainlab_engine_blas_default", "TL blasN"))
    print("\nfull-loop optimizer steps/s (best of repeats; per-epoch evaluation included)")
    head = f"{'net':<21}{'dtype':<8}{'opt':<9}" + "".join(f"{h:>10}" for _, h in present)
    head += f"{'×torch':>8}{'target':>7}{'×sklrn':>8}  met"
    print(head)
    for r in report["cases"]:
        p = r["peers"]
        q = r["ratios"]
        line = f"{case_label(r['sizes'], r['batch']):<21}{r['dtype']:<8}{r['optimizer']:<9}"
        line += "".join(f"{fmt_rate(p[k]['steps_per_s'] if k in p else None):>10}"
                        for k, _ in present)
        vt, vs = q.get("vs_torch"), q.get("vs_sklearn")
        line += f"{(f'{vt:.1f}' if vt is not None else '—'):>8}"
        line += f"{'≥' + format(TARGETS[r['case']], 'g'):>7}"
        line += f"{(f'{vs:.1f}' if vs is not None else '—'):>8}"
        line += "  " + ("—" if vt is None else ("yes" if q["met"] else "NO"))
        print(line)
    for k, h, what in PEER_LABELS:
        if any(k == kk for kk, _ in present):
            print(f"  {h:<9} {what}")
    if any(k == "trainlab_engine_blas_default" for k, _ in present):
        print("  TL blasN  the engine loop with BLAS at its default thread count")
    print("  ×torch    TrainLab / the faster of torch and torch 1t;  ×sklrn  TrainLab / sklearn")
    print("\nwhere TrainLab's time goes, and GFLOP/s = 6·Σ fan_in·fan_out · batch "
          "· steps/s (full loop)")
    print(f"{'net':<21}{'dtype':<8}{'opt':<9}{'steps only':>11}{'eval share':>11}"
          f"{'TL GFLOP/s':>11}{'% peak':>7}{'% 1-core':>9}{'torch GFLOP/s':>14}{'% peak':>7}"
          f"{'×torch CPU':>11}")
    for r in report["cases"]:
        p = r["peers"]
        peak = report["peak"][f"{r['dtype']}_threads_all"]
        peak1 = report["peak"][f"{r['dtype']}_threads_1"]
        tl = p[r["trainlab_peer"]]
        line = f"{case_label(r['sizes'], r['batch']):<21}{r['dtype']:<8}{r['optimizer']:<9}"
        line += f"{fmt_rate(tl['steps_per_s_train_only']):>11}"
        line += f"{100 * tl['eval_fraction']:>10.0f}%"
        line += f"{tl['gflops']:>11.2f}{100 * tl['gflops'] / peak:>6.1f}%"
        line += f"{100 * tl['gflops'] / peak1:>8.1f}%"
        tb = max((p[k] for k in ("torch", "torch_1t") if k in p),
                 key=lambda d: d["steps_per_s"], default=None)
        if tb is not None:
            line += f"{tb['gflops']:>14.2f}{100 * tb['gflops'] / peak:>6.1f}%"
            line += f"{r['ratios']['vs_torch_cpu']:>11.1f}"
        print(line)
    print("  steps only = inside the compiled training calls alone; eval share = the rest of "
          "the loop's time "
          "(per-epoch evaluation, norms, history, set-up)")
    print("  ×torch CPU = the same ratio per CPU-second of the process (all threads): less "
          "sensitive to other load")
    print_batch_loss_cost(report)


def print_batch_loss_cost(report: dict) -> None:
    """The on/off table of ``--batch-loss both``: the share of the loop's throughput kept with
    every mini-batch loss recorded (issue 12: ≥ 90 %)."""
    rows = [r for r in report["cases"] if "batch_loss_on_off" in r["ratios"]]
    if not rows:
        return
    print("\nbatch-loss recording: full-loop steps/s with it on / off (target ≥ 90 %)")
    print(f"{'net':<21}{'dtype':<8}{'opt':<9}{'on':>10}{'off':>10}{'best':>7}{'median':>8}"
          f"{'per CPU-s':>10}  met")
    for r in rows:
        p, q = r["peers"], r["ratios"]
        line = f"{case_label(r['sizes'], r['batch']):<21}{r['dtype']:<8}{r['optimizer']:<9}"
        line += f"{fmt_rate(p['trainlab']['steps_per_s']):>10}"
        line += f"{fmt_rate(p['trainlab_bl_off']['steps_per_s']):>10}"
        line += f"{100 * q['batch_loss_on_off']:>6.0f}%{100 * q['batch_loss_on_off_median']:>7.0f}%"
        line += f"{100 * q['batch_loss_on_off_cpu']:>9.0f}%"
        line += "  " + ("yes" if q["batch_loss_on_off"] >= 0.9 else "NO")
        print(line)
    if report["cases"]:
        met = [r["ratios"]["met"] for r in report["cases"] if "met" in r["ratios"]]
        if met:
            print(f"\nthroughput targets met in {sum(met)} of {len(met)} cases")


def versions(peers_ok: dict) -> dict:
    """Versions of what is measured; a skipped peer is not even imported."""
    import numba

    out = {"numpy": np.__version__, "numba": numba.__version__, "torch": None, "sklearn": None}
    if not peers_ok["torch"]:
        import torch

        out["torch"] = torch.__version__
        out["torch_threads"] = TORCH_DEFAULT_THREADS[0] = torch.get_num_threads()
    if not peers_ok["sklearn"]:
        import sklearn

        out["sklearn"] = sklearn.__version__
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: few rows, one short repeat per peer, no cold compile")
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    ap.add_argument("--no-torch", action="store_true", help="skip PyTorch (as if not installed)")
    ap.add_argument("--no-sklearn", action="store_true", help="skip scikit-learn")
    ap.add_argument("--no-compile", action="store_true", help="skip the start-up timings")
    ap.add_argument("--blas-default", action="store_true",
                    help="also run the engine loop with BLAS at its default thread count")
    ap.add_argument("--batch-loss", choices=("on", "off", "both"), default="on",
                    help="the real loop with training.record_batch_loss on (the default), off, "
                         "or both side by side with their ratio")
    ap.add_argument("--cases", default=",".join(c[0] for c in CASES),
                    help="comma list of: " + ", ".join(c[0] for c in CASES))
    ap.add_argument("--dtypes", default=",".join(DTYPES))
    ap.add_argument("--optimizers", default=",".join(OPTIMIZERS))
    ap.add_argument("--activation", help="override every case's hidden activation")
    ap.add_argument("--seconds", type=float,
                    help="per peer per repeat (default 1.0; --quick 0.05)")
    ap.add_argument("--repeats", type=int, help="interleaved repeats (default 3; --quick 1)")
    args = ap.parse_args(argv)
    if args.seconds is None:
        args.seconds = 0.05 if args.quick else 1.0
    if args.repeats is None:
        args.repeats = 1 if args.quick else 3
    wanted = args.cases.split(",")
    unknown = set(wanted) - {c[0] for c in CASES}
    if unknown:
        ap.error(f"--cases: unknown {sorted(unknown)}")

    report = {"load_start": load_avg(), "quick": args.quick, "seconds": args.seconds,
              "repeats": args.repeats, "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    peers_ok = available_peers(args)
    report["skipped"] = peers_ok
    report["machine"] = {
        "cpu": cpu_model(), "cores": os.cpu_count(), "platform": platform.platform(),
        "python": platform.python_version(), **versions(peers_ok), "blas": blas_info(),
        "trainlab": str(Path(sys.modules["trainlab"].__file__).resolve().parent)
        if "trainlab" in sys.modules else None,
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                              "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                              "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")},
    }
    report["loop"] = "real" if loop_train() is not None else "emulated"
    if not args.no_compile:
        print("timing start-up (cold compile in a subprocess) …", file=sys.stderr, flush=True)
        report["compile"] = compile_times(cold=not args.quick)
    report["peak_n"] = 1024 if args.quick else 2048
    report["peak"] = matmul_peak(report["peak_n"], 0.2 if args.quick else 2.0)

    from trainlab.engine import warmup

    warmup()
    cases = []
    for name, sizes, batch, act, n_rows in CASES:
        if name not in wanted:
            continue
        if args.quick:
            n_rows = 4 * batch
        for dtype in args.dtypes.split(","):
            for opt_name in args.optimizers.split(","):
                r = run_case(name, sizes, batch, args.activation or act, n_rows, dtype,
                             opt_name, args, peers_ok)
                cases.append(r)
                q = r["ratios"]
                print(f"  … {case_label(sizes, batch)} {dtype} {opt_name}: TrainLab "
                      f"{fmt_rate(r['peers'][r['trainlab_peer']]['steps_per_s'])} steps/s"
                      + (f", ×{q['vs_torch']:.1f} torch" if "vs_torch" in q else ""),
                      file=sys.stderr, flush=True)
    report["cases"] = cases
    report["load_end"] = load_avg()
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, default=float) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The text of an exported PyTorch script (see :mod:`.torch_script`)."""

from __future__ import annotations

from pathlib import Path

HEADER = '''"""{name}: the TrainLab run {run} as a PyTorch script.

Trains the same network from the run's initial weights on the run's data (data.npz,
weights_initial.npz), visiting the mini-batches in TrainLab's order (batches.npy beside this
script: the row order of every epoch), prints the final losses and writes the final weights to
weights_torch.npz beside this script, under TrainLab's parameter names (W1, b1, bn1_gamma, ...).
In float64 they equal the run's weights_final.npz to rounding.{notes}
"""
'''

BODY = '''
import math
from pathlib import Path

import numpy as np
import torch
from torch import nn

torch.set_default_dtype(torch.{dtype})
RUN = Path({run!r})
HERE = Path(__file__).resolve().parent
data = np.load(RUN / "data.npz", allow_pickle=False)
init = np.load(RUN / "weights_initial.npz", allow_pickle=False)
batches = np.load(HERE / "batches.npy")  # epochs x rows: the row order of each epoch

EPOCHS = {epochs}
BOUNDS = {bounds}  # batch j is rows order[BOUNDS[j]:BOUNDS[j + 1]]
HIDDEN = {hidden}
ACTIVATIONS = {activations}
BATCH_NORM, DROPOUT, PIECES = {batch_norm}, {dropout}, {pieces}
L1, L2, CLIP = {l1}, {l2}, {clip}
LR0 = {lr}
s = {schedule}


class Softplus(nn.Module):  # log(1 + e^x) exactly (nn.Softplus turns linear above 20)
    def forward(self, x):
        return torch.clamp(x, min=0) + torch.log1p(torch.exp(-x.abs()))


class Step(nn.Module):  # the binary threshold: no gradient flows through it
    def forward(self, x):
        return (x > 0).to(x.dtype)


class Maxout(nn.Module):  # unit j: the largest of columns j*k ... j*k + k - 1
    def __init__(self, k):
        super().__init__()
        self.k = k

    def forward(self, x):
        return x.view(x.shape[0], -1, self.k).amax(-1)


def activation(name):
    return {activation_table}[name]


def tensor(a, dtype=None):
    return torch.tensor(np.asarray(a), dtype=dtype or torch.get_default_dtype())


n_in, n_out = init["W1"].shape[0], init[f"W{{len(HIDDEN) + 1}}"].shape[1]
layers, linears, norms = [], [], []
width = n_in
for l, (w, act) in enumerate(zip(HIDDEN, ACTIVATIONS), start=1):
    k = PIECES if act == "maxout" else 1
    linears.append(nn.Linear(width, k * w))
    layers.append(linears[-1])
    if BATCH_NORM:
        norms.append(nn.BatchNorm1d(k * w, eps=1e-5, momentum=0.1))
        layers.append(norms[-1])
    layers.append(Maxout(k) if act == "maxout" else activation(act))
    if DROPOUT > 0:
        layers.append(nn.Dropout(DROPOUT))
    width = w
linears.append(nn.Linear(width, n_out))
model = nn.Sequential(*layers, linears[-1])

with torch.no_grad():  # TrainLab's W is (inputs x outputs): nn.Linear keeps its transpose
    for l, lin in enumerate(linears, start=1):
        lin.weight.copy_(tensor(init[f"W{{l}}"]).T)
        lin.bias.copy_(tensor(init[f"b{{l}}"]))
    for l, bn in enumerate(norms, start=1):
        bn.weight.copy_(tensor(init[f"bn{{l}}_gamma"]))
        bn.bias.copy_(tensor(init[f"bn{{l}}_beta"]))
        bn.running_mean.copy_(tensor(init[f"bn{{l}}_mean"]))
        bn.running_var.copy_(tensor(init[f"bn{{l}}_var"]))


def split(name):
    X = tensor(data[f"X_{{name}}"])
    y = data[f"y_{{name}}"]
    {target}
    return X, Y


X, Y = split("train")
criterion = {loss}
weights = [lin.weight for lin in linears]
others = [q for q in model.parameters() if all(q is not w for w in weights)]


def objective(out, target):
    """The data loss plus the penalties on the weight matrices (not biases)."""
    loss = criterion(out, target)
    if L1:
        loss = loss + L1 * sum(w.abs().sum() for w in weights)
    if L2:
        loss = loss + L2 / 2 * sum((w * w).sum() for w in weights)
    return loss

{optimizer}
{scheduler}

def evaluate(name):
    Xs, Ys = split(name)
    if Xs.shape[0] == 0:
        return float("nan")
    model.eval()  # running batch-norm statistics, no dropout
    with torch.no_grad():
        return float(criterion(model(Xs), Ys))


for e in range(EPOCHS):
    {before_epoch}
    model.train()
    order = torch.from_numpy(batches[e])
    for j in range(len(BOUNDS) - 1):
        rows = order[BOUNDS[j]:BOUNDS[j + 1]]
        optimizer.zero_grad()
        objective(model(X[rows]), Y[rows]).backward()
        if CLIP is not None:
            nn.utils.clip_grad_norm_(model.parameters(), max_norm=CLIP)
        optimizer.step()
    {after_epoch}

print(f"after {{EPOCHS}} epochs: train loss {{evaluate('train'):.6g}}, "
      f"val loss {{evaluate('val'):.6g}}, test loss {{evaluate('test'):.6g}}")
final = {{}}
for l, lin in enumerate(linears, start=1):
    final[f"W{{l}}"] = lin.weight.detach().T.numpy()
    final[f"b{{l}}"] = lin.bias.detach().numpy()
for l, bn in enumerate(norms, start=1):
    final[f"bn{{l}}_gamma"] = bn.weight.detach().numpy()
    final[f"bn{{l}}_beta"] = bn.bias.detach().numpy()
    final[f"bn{{l}}_mean"] = bn.running_mean.numpy()
    final[f"bn{{l}}_var"] = bn.running_var.numpy()
np.savez(HERE / "weights_torch.npz", **final)
print(f"wrote {{HERE / 'weights_torch.npz'}}")
'''

LAMB = '''

class Lamb(torch.optim.Optimizer):
    """LAMB (PyTorch has no class): Adam's bias-corrected direction plus decoupled decay on
    the weight matrices, scaled per tensor by the trust ratio ||theta|| / ||r||."""

    def __init__(self, groups, lr, betas, eps):
        super().__init__(groups, dict(lr=lr, betas=betas, eps=eps, weight_decay=0.0))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for q in group["params"]:
                st = self.state[q]
                if not st:
                    st["t"], st["m"], st["v"] = 0, torch.zeros_like(q), torch.zeros_like(q)
                st["t"] += 1
                st["m"].mul_(b1).add_(q.grad, alpha=1 - b1)
                st["v"].mul_(b2).addcmul_(q.grad, q.grad, value=1 - b2)
                m_hat = st["m"] / (1 - b1 ** st["t"])
                v_hat = st["v"] / (1 - b2 ** st["t"])
                r = m_hat / (v_hat.sqrt() + group["eps"]) + group["weight_decay"] * q
                wn, rn = q.norm(), r.norm()
                trust = float(wn / rn) if wn > 0 and rn > 0 else 1.0
                q.add_(r, alpha=-group["lr"] * trust)
'''


def _optimizer(o: dict) -> str:
    name, lr = o["name"], "LR0"
    betas = f"betas=({o['beta1']!r}, {o['beta2']!r}), eps={o['eps']!r}"
    groups = (f"[{{'params': weights, 'weight_decay': {o['weight_decay']!r}}}, "
              "{'params': others, 'weight_decay': 0.0}]")
    line = {
        "sgd": f"torch.optim.SGD(model.parameters(), lr={lr})",
        "momentum": f"torch.optim.SGD(model.parameters(), lr={lr}, momentum={o['momentum']!r}, "
                    f"nesterov={o['nesterov']!r})",
        "adagrad": f"torch.optim.Adagrad(model.parameters(), lr={lr}, eps={o['eps']!r})",
        "rmsprop": f"torch.optim.RMSprop(model.parameters(), lr={lr}, alpha={o['rho']!r}, "
                   f"eps={o['eps']!r}, momentum={o['momentum']!r})",
        "adam": f"torch.optim.Adam(model.parameters(), lr={lr}, {betas})",
        "adamw": f"torch.optim.AdamW({groups}, lr={lr}, {betas})",
        "lamb": f"Lamb({groups}, lr={lr}, {betas})",
    }[name]
    return (LAMB if name == "lamb" else "") + f"\noptimizer = {line}\n"


def _schedule(s: dict) -> tuple[str, str, str]:
    """(scheduler lines, start of an epoch, end of an epoch)."""
    from .torch_script import FACTOR

    W = s["warmup_epochs"]
    if s["name"] == "plateau":
        text = ("# ReduceLROnPlateau: TrainLab's plateau rule (relative threshold 1e-4, mode "
                "min),\n# fed the validation loss (the training loss without a validation "
                "split).\nscheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(\n"
                "    optimizer, mode='min', factor=s['factor'], patience=s['patience'],\n"
                "    threshold=1e-4, cooldown=s['cooldown'], min_lr=s['min_lr'])\n")
        before = (f"if e < {W}:  # linear warm-up before the plateau rule\n"
                  f"        optimizer.param_groups[0]['lr'] = LR0 * (e + 1) / {W}\n"
                  f"    elif e == {W}:\n        optimizer.param_groups[0]['lr'] = LR0"
                  if W else "pass")
        after = ("monitored = evaluate('val') if len(data['X_val']) else evaluate('train')\n"
                 f"    if e >= {W}:\n        scheduler.step(monitored)")
        return text, before, after
    text = ("\n\ndef factor(e):\n    \"\"\"eta(e) / eta0: TrainLab's schedule"
            + (", after a linear warm-up (PyTorch composes\n    LinearLR and the schedule "
               "with SequentialLR; one LambdaLR says it at once)" if W else "")
            + ".\"\"\"\n"
            + (f"    if e < {W}:\n        return (e + 1) / {W}\n    e -= {W}\n" if W else "")
            + f"    return {FACTOR[s['name']]}\n\n\n"
            "scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)\n")
    return text, "pass", "scheduler.step()"


def _target(loss: str) -> str:
    if loss == "cross_entropy":
        return "Y = torch.tensor(y, dtype=torch.long)"
    if loss == "bce":
        return "Y = tensor(y).reshape(-1, 1)"
    return "Y = tensor(y).reshape(len(y), -1)"


def render(p: dict, run: Path, epochs: int, bounds: list[int]) -> str:
    from .torch_script import ACTIVATION, LOSS

    m, o, t = p["model"], p["optimizer"], p["training"]
    acts = m["activation"] if isinstance(m["activation"], list) else \
        [m["activation"]] * len(m["hidden"])
    notes = ""
    if m["dropout"] > 0:
        notes += ("\n\nDropout masks come from PyTorch's generator, not TrainLab's: this run "
                  "reproduces only in\ndistribution (the same kind of curves, not the same "
                  "numbers).")
    if t["early_stopping"]["enabled"]:
        notes += ("\n\nEarly stopping: this script trains the epochs the run trained; "
                  "the run's restore of the\nbest epoch's weights is not repeated.")
    loss = LOSS.get(p["loss"]["name"]) or \
        f"nn.CrossEntropyLoss(label_smoothing={p['loss']['label_smoothing']!r})"
    table = "{" + ", ".join(f"{k!r}: {v}" for k, v in ACTIVATION.items()) + "}"
    sched, before, after = _schedule(p["schedule"])
    return HEADER.format(name=p["name"], run=run, notes=notes) + BODY.format(
        dtype=t["dtype"], run=str(run), epochs=epochs, bounds=bounds, hidden=m["hidden"],
        activations=acts, batch_norm=m["batch_norm"], dropout=m["dropout"],
        pieces=m["maxout_pieces"], l1=p["regularization"]["l1"],
        l2=p["regularization"]["l2"], clip=p["regularization"]["clip_norm"],
        lr=o["lr"], schedule=p["schedule"], activation_table=table,
        target=_target(p["loss"]["name"]), loss=loss, optimizer=_optimizer(o),
        scheduler=sched, before_epoch=before, after_epoch=after)

"""Backprop step by step on one sample (the chain rule of the lectures' worked example, D2):
the forward pass unit by unit (z, a), then the backward pass layer by layer (δ = ∂L/∂z per
unit, ∂L/∂W, ∂L/∂b), each step with its formula written out with the numbers.

Every number is the engine's: one :func:`~trainlab.engine.trace.backward_trace` of the sample
(evaluation mode), whose gradients are ``loss_and_gradients`` on that sample; f′ comes from
the engine's activation kernels (:mod:`.activation_curves`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from trainlab.session.activation_curves import slope

#: The largest network the step-through shows: weight layers, and units per layer drawn.
MAX_LAYERS = 4
MAX_UNITS = 8
#: Terms of a sum written out before "…".
TERMS = 4

_LOSS_DELTA = {
    "cross_entropy": "softmax(z) − onehot(y)",
    "bce": "σ(z) − y",
    "mse": "2·(z − y)/outputs",
}


def num(v: float) -> str:
    return f"{v:.3g}"


@dataclass
class Step:
    """One step: which diagram column it is about, its title and formula, and the values
    written on the diagram once it is shown (``(column, unit) → text``)."""

    phase: str   # "forward" or "backward"
    column: int  # 0 = inputs, l + 1 = layer l
    title: str
    formula: str
    labels: dict = field(default_factory=dict)


def _sum(ws, xs, b: float) -> str:
    terms = [f"({num(w)})·({num(x)})" for w, x in zip(ws, xs, strict=True)]
    if len(terms) > TERMS:
        terms = terms[:TERMS] + [f"… {len(terms) - TERMS} more"]
    return " + ".join(terms) + f" + ({num(b)})"


class BackpropSteps:
    """The steps of one sample ``x`` (network inputs, one row) with target ``y`` through
    ``net`` (a copy of the run's network)."""

    def __init__(self, net, x, y, loss: str = "cross_entropy"):
        if net.n_layers > MAX_LAYERS:
            raise ValueError(f"backprop step by step: shows networks of up to {MAX_LAYERS} "
                             f"layers, this one has {net.n_layers}")
        self.net, self.loss = net, loss
        self.x = np.asarray(x, dtype=net.dtype).reshape(1, -1)
        self.y = np.asarray(y).reshape(1, *np.shape(y)[1:]) if np.ndim(y) else np.array([y])
        self.trace = net.backward_trace(self.x, self.y, loss=loss)
        self.loss_value = float(net.loss_and_gradients(self.x, self.y, loss=loss,
                                                       training=False)[0])
        self.steps: list[Step] = []
        self._forward()
        self._backward()

    def _input_of(self, l: int) -> np.ndarray:
        return self.x[0] if l == 0 else self.trace[l - 1]["a"][0]

    def _act(self, l: int) -> str:
        return "identity" if l == self.net.n_layers - 1 else self.net.activations[l]

    def _forward(self) -> None:
        params = self.net.params
        labels: dict = {(0, i): f"x={num(v)}" for i, v in enumerate(self.x[0][:MAX_UNITS])}
        self.steps.append(Step("forward", 0, "Inputs", "The sample's inputs x (scaled).",
                               dict(labels)))
        for l, layer in enumerate(self.trace):
            W, b = params[f"W{l + 1}"], params[f"b{l + 1}"]
            a_prev, act = self._input_of(l), self._act(l)
            for j in range(min(layer["a"].shape[1], MAX_UNITS)):
                col = j * self.net.maxout_pieces if act == "maxout" else j
                z = layer["z"][0, col]
                text = f"z{l + 1}.{j + 1} = Σᵢ wᵢ·aᵢ + b = {_sum(W[:, col], a_prev, b[col])}"
                text += f" = {num(z)}"
                if "z_bn" in layer:
                    text += f"\nbatch norm: γ(z − μ)/√(σ² + ε) + β = {num(layer['z_bn'][0, col])}"
                a = layer["a"][0, j]
                if l < self.net.n_layers - 1:
                    text += f"\na = {act}(z) = {num(a)}"
                labels[(l + 1, j)] = f"z={num(z)}\na={num(a)}"
                title = (f"Forward: layer {l + 1}, unit {j + 1}" if l < self.net.n_layers - 1
                         else f"Forward: output {j + 1} (logit)")
                self.steps.append(Step("forward", l + 1, title, text, dict(labels)))
        self.steps[-1].formula += f"\nloss L = {self.loss}(z, y) = {num(self.loss_value)}"

    def _backward(self) -> None:
        labels = dict(self.steps[-1].labels)
        params = self.net.params
        L = self.net.n_layers
        for l in range(L - 1, -1, -1):
            layer = self.trace[l]
            delta = layer["delta"][0]
            shown = range(min(delta.size, MAX_UNITS))
            if l == L - 1:
                text = (f"δ{l + 1} = ∂L/∂z = {_LOSS_DELTA.get(self.loss, '∂L/∂z')} = "
                        f"[{', '.join(num(delta[j]) for j in shown)}]")
            else:
                W_next, d_next = params[f"W{l + 2}"], self.trace[l + 1]["delta"][0]
                lines = []
                for j in shown:
                    back = float(W_next[j] @ d_next)
                    if self._act(l) == "maxout":
                        lines.append(f"δ{l + 1}.{j + 1}: Σₖ wₖ·δₖ = {num(back)}, routed to "
                                     f"the winning piece")
                        continue
                    z = layer["z_bn"][0, j] if "z_bn" in layer else layer["z"][0, j]
                    bn = " · γ/√(σ²+ε)" if "z_bn" in layer else ""
                    lines.append(f"δ{l + 1}.{j + 1} = f′({num(z)}){bn} · Σₖ wₖ·δₖ = "
                                 f"{num(slope(self._act(l), z))}{bn} · {num(back)} = "
                                 f"{num(delta[j])}")
                text = "\n".join(lines)
            for j in shown:
                old = labels.get((l + 1, j), "")
                labels[(l + 1, j)] = f"{old}\nδ={num(delta[j])}".strip()
            a_prev = self._input_of(l)
            dW, db = layer["dW"], layer["db"]
            text += (f"\n∂L/∂W{l + 1} = a{l}ᵀ·δ{l + 1}: e.g. ∂L/∂w[1,1] = "
                     f"({num(a_prev[0])})·({num(delta[0])}) = {num(dW[0, 0])}"
                     f"\n∂L/∂b{l + 1} = δ{l + 1} = [{', '.join(num(db[j]) for j in shown)}]")
            self.steps.append(Step("backward", l + 1, f"Backward: layer {l + 1}", text,
                                   dict(labels)))

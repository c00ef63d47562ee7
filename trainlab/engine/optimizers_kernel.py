"""Compiled optimizer updates over the flat parameter vector (SPEC §5 and §6).

``hyper`` = [η, μ, nesterov, β₁, β₂, ε, ρ, λ_wd] (slots named by the catalog's ``Hyper``);
``tensors`` rows = (offset, size, is_weight);
``s1, s2, s3`` are the optimizer's state vectors (zeros at the start), used as:
momentum b | adagrad s | rmsprop v, b | adam/adamw m, v | lamb m, v and the update r.
``t`` is the step count, from 1.
"""

import math

from trainlab.catalog.names import Hyper
from trainlab.catalog.names import OptimizerCode as Opt
from trainlab.engine._jit import jit, jit_reassoc
from trainlab.engine.views import vector


@jit_reassoc
def sumsq(x, o, n):
    """Σ x[o:o+n]² in float64 (a reassociated sum: the loop vectorizes)."""
    v = vector(x, o, n)  # indices from 0: no negative-index wrap-around, plain vector loads
    acc = 0.0
    for i in range(n):
        e = float(v[i])
        acc += e * e
    return acc


@jit
def clip_by_norm(grad, max_norm, norm):
    """g ← g·min(1, c/(‖g‖₂ + 1e-6)) when c > 0 (PyTorch clip_grad_norm_), ‖g‖₂ given."""
    if max_norm > 0.0:
        coef = max_norm / (norm + 1e-6)
        if coef < 1.0:
            for i in range(grad.size):
                grad[i] *= coef


@jit
def clip_global_norm(grad, max_norm):
    """g ← g·min(1, c/(‖g‖₂ + 1e-6)) when c > 0 (PyTorch clip_grad_norm_); return ‖g‖₂."""
    norm = math.sqrt(sumsq(grad, 0, grad.size))
    clip_by_norm(grad, max_norm, norm)
    return norm


@jit
def optimizer_update(code, theta, g, s1, s2, s3, hyper, t, tensors):
    lr = hyper[Hyper.LR]
    n = theta.size
    if code == Opt.SGD:                               # θ ← θ − η·g
        for i in range(n):
            theta[i] -= lr * g[i]
    elif code == Opt.MOMENTUM:                        # b ← μb + g; d = g + μb | b
        mu = hyper[Hyper.MU]
        nesterov = hyper[Hyper.NESTEROV] != 0.0
        for i in range(n):
            b = mu * s1[i] + g[i]
            s1[i] = b
            d = g[i] + mu * b if nesterov else b
            theta[i] -= lr * d
    elif code == Opt.ADAGRAD:                         # s ← s + g²; θ ← θ − η·g/(√s + ε)
        eps = hyper[Hyper.EPS]
        for i in range(n):
            s1[i] += g[i] * g[i]
            theta[i] -= lr * g[i] / (math.sqrt(s1[i]) + eps)
    elif code == Opt.RMSPROP:                         # v ← ρv + (1−ρ)g²
        rho = hyper[Hyper.RHO]
        eps = hyper[Hyper.EPS]
        mu = hyper[Hyper.MU]
        for i in range(n):
            v = rho * s1[i] + (1.0 - rho) * g[i] * g[i]
            s1[i] = v
            step = g[i] / (math.sqrt(v) + eps)
            if mu > 0.0:                              # b ← μb + g/(√v + ε); θ ← θ − η·b
                s2[i] = mu * s2[i] + step
                step = s2[i]
            theta[i] -= lr * step
    else:
        b1 = hyper[Hyper.BETA1]
        b2 = hyper[Hyper.BETA2]
        eps = hyper[Hyper.EPS]
        wd = hyper[Hyper.WD]
        bc1 = 1.0 - b1 ** t
        bc2 = 1.0 - b2 ** t
        if code == Opt.ADAMW:                         # W ← W·(1 − η·λ_wd), weights only
            for k in range(tensors.shape[0]):
                if tensors[k, 2] != 0:
                    w = vector(theta, tensors[k, 0], tensors[k, 1])
                    for i in range(w.size):
                        w[i] *= 1.0 - lr * wd
        if code == Opt.ADAM or code == Opt.ADAMW:
            step_size = lr / bc1
            inv_bc2_sqrt = 1.0 / math.sqrt(bc2)
            for i in range(n):
                m = b1 * s1[i] + (1.0 - b1) * g[i]
                v = b2 * s2[i] + (1.0 - b2) * g[i] * g[i]
                s1[i] = m
                s2[i] = v
                theta[i] -= step_size * m / (math.sqrt(v) * inv_bc2_sqrt + eps)
        else:                                         # Opt.LAMB, per tensor
            for k in range(tensors.shape[0]):
                o = tensors[k, 0]
                decay = wd if tensors[k, 2] != 0 else 0.0
                sq_theta = 0.0
                sq_r = 0.0
                for i in range(o, o + tensors[k, 1]):
                    m = b1 * s1[i] + (1.0 - b1) * g[i]
                    v = b2 * s2[i] + (1.0 - b2) * g[i] * g[i]
                    s1[i] = m
                    s2[i] = v
                    r = (m / bc1) / (math.sqrt(v / bc2) + eps) + decay * theta[i]
                    s3[i] = r
                    sq_theta += theta[i] * theta[i]
                    sq_r += r * r
                norm_theta = math.sqrt(sq_theta)
                norm_r = math.sqrt(sq_r)
                trust = norm_theta / norm_r if norm_theta > 0.0 and norm_r > 0.0 else 1.0
                for i in range(o, o + tensors[k, 1]):
                    theta[i] -= lr * trust * s3[i]

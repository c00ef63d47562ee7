"""Hidden-layer activations (SPEC §2), forward beside backward, in stable forms.

``H`` is the pre-activation (after dense and batch norm), ``A`` the activation. For maxout,
``H`` has ``k`` columns per unit and ``arg`` records the winning piece (the first on ties).
Every formula stays finite for |x| up to 1e4: sigmoid and softplus branch on the sign of x,
ELU uses expm1, GELU uses erf.
"""

import math

import numpy as np

from trainlab.engine._jit import jit

IDENTITY, SIGMOID, TANH, RELU, LEAKY_RELU, ELU, SWISH, GELU, SOFTPLUS, MAXOUT = range(10)
LEAKY_SLOPE = 0.01  # a in leaky_relu
ELU_ALPHA = 1.0     # α in elu
_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_INV_SQRT2PI = 1.0 / math.sqrt(2.0 * math.pi)


@jit
def sigmoid(x):
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@jit
def activation_forward(code, H, A, arg, k):
    """A = f(H) element-wise; maxout: A[:, j] = max of H[:, j*k:(j+1)*k]."""
    n, m = A.shape
    if code == MAXOUT:
        for i in range(n):
            for j in range(m):
                best = H[i, j * k]
                which = 0
                for p in range(1, k):
                    v = H[i, j * k + p]
                    if v > best:
                        best = v
                        which = p
                A[i, j] = best
                arg[i, j] = which
        return
    for i in range(n):
        for j in range(m):
            x = H[i, j]
            if code == IDENTITY:
                y = x
            elif code == SIGMOID:
                y = sigmoid(x)
            elif code == TANH:
                y = math.tanh(x)
            elif code == RELU:
                y = x if x > 0.0 else 0.0
            elif code == LEAKY_RELU:
                y = x if x > 0.0 else LEAKY_SLOPE * x
            elif code == ELU:
                y = x if x > 0.0 else ELU_ALPHA * math.expm1(x)
            elif code == SWISH:
                y = x * sigmoid(x)
            elif code == GELU:
                y = x * 0.5 * (1.0 + math.erf(x * _INV_SQRT2))
            else:  # SOFTPLUS
                y = max(x, 0.0) + math.log1p(math.exp(-abs(x)))
            A[i, j] = y


@jit
def activation_backward(code, H, dA, dH, arg, k):
    """dH = dA · f'(H); maxout routes dA to the winning piece and 0 to the others."""
    n, m = dA.shape
    if code == MAXOUT:
        for i in range(n):
            for j in range(m):
                for p in range(k):
                    dH[i, j * k + p] = 0.0
                dH[i, j * k + arg[i, j]] = dA[i, j]
        return
    for i in range(n):
        for j in range(m):
            x = H[i, j]
            if code == IDENTITY:
                d = 1.0
            elif code == SIGMOID:
                s = sigmoid(x)
                d = s * (1.0 - s)
            elif code == TANH:
                t = math.tanh(x)
                d = 1.0 - t * t
            elif code == RELU:
                d = 1.0 if x > 0.0 else 0.0
            elif code == LEAKY_RELU:
                d = 1.0 if x > 0.0 else LEAKY_SLOPE
            elif code == ELU:
                d = 1.0 if x > 0.0 else ELU_ALPHA * math.expm1(x) + ELU_ALPHA
            elif code == SWISH:
                s = sigmoid(x)
                d = s * (1.0 + x * (1.0 - s))
            elif code == GELU:
                d = 0.5 * (1.0 + math.erf(x * _INV_SQRT2)) + x * _INV_SQRT2PI * math.exp(-0.5 * x * x)
            else:  # SOFTPLUS
                d = sigmoid(x)
            dH[i, j] = dA[i, j] * d


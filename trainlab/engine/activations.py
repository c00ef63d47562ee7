"""Hidden-layer activations (SPEC §2), forward beside backward, in stable forms.

``H`` is the pre-activation (after dense and batch norm), ``A`` the activation f(H). For
maxout, ``H`` has ``k`` columns per unit and ``arg`` records the winning piece (the first on
ties). Every formula stays finite for |x| up to 1e4: sigmoid, tanh and softplus branch on the
sign of x, ELU uses expm1, GELU uses erf. The branch on the activation sits outside the
element loops, and the backward pass reads f(H) back from ``A`` where the derivative is a
function of f (tanh: 1−f², sigmoid: f(1−f), relu family: the sign), which keeps a step cheap.
"""

import math

from trainlab.catalog.names import ActivationCode as Act
from trainlab.engine._jit import jit, jit_contract
from trainlab.engine.fastexp import expm1_nonpos

LEAKY_SLOPE = 0.01  # a in leaky_relu
ELU_ALPHA = 1.0     # α in elu
_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_INV_SQRT2PI = 1.0 / math.sqrt(2.0 * math.pi)


@jit
def sigmoid(x):
    """1/(1+e^-x) without overflow."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@jit_contract
def fast_tanh(x):
    """tanh x = sign(x)·(−m/(2 + m)), m = e^{−2|x|} − 1, accurate near 0 and free of overflow.

    With e^y − 1 evaluated inline (:mod:`trainlab.engine.fastexp`) there is no call and no
    data-dependent branch, so the element loops that call it vectorize: within 3 ulp of libm
    tanh, and several times faster. |x| ≥ 20 gives ±1 exactly, as libm does.
    """
    m = expm1_nonpos(-2.0 * min(abs(x), 20.0))
    return math.copysign(-m / (2.0 + m), x)


@jit
def activation_forward(code, H, A, arg, k):
    """A = f(H) element-wise; maxout: A[:, j] = max of H[:, j*k:(j+1)*k]."""
    n, m = A.shape
    if code == Act.MAXOUT:
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
    elif code == Act.IDENTITY:
        for i in range(n):
            for j in range(m):
                A[i, j] = H[i, j]
    elif code == Act.SIGMOID:
        for i in range(n):
            for j in range(m):
                A[i, j] = sigmoid(H[i, j])
    elif code == Act.TANH:
        for i in range(n):
            for j in range(m):
                A[i, j] = fast_tanh(H[i, j])
    elif code == Act.RELU:
        for i in range(n):
            for j in range(m):
                A[i, j] = max(H[i, j], 0.0)
    elif code == Act.LEAKY_RELU:
        for i in range(n):
            for j in range(m):
                x = H[i, j]
                A[i, j] = x if x > 0.0 else LEAKY_SLOPE * x
    elif code == Act.ELU:
        for i in range(n):
            for j in range(m):
                x = H[i, j]
                A[i, j] = x if x > 0.0 else ELU_ALPHA * math.expm1(x)
    elif code == Act.SWISH:
        for i in range(n):
            for j in range(m):
                x = H[i, j]
                A[i, j] = x * sigmoid(x)
    elif code == Act.GELU:
        for i in range(n):
            for j in range(m):
                x = H[i, j]
                A[i, j] = x * 0.5 * (1.0 + math.erf(x * _INV_SQRT2))
    elif code == Act.STEP:  # the binary threshold: 1 if x > 0 else 0
        for i in range(n):
            for j in range(m):
                A[i, j] = 1.0 if H[i, j] > 0.0 else 0.0
    else:  # Act.SOFTPLUS: log(1+e^x) = max(x,0) + log1p(e^-|x|)
        for i in range(n):
            for j in range(m):
                x = H[i, j]
                A[i, j] = max(x, 0.0) + math.log1p(math.exp(-abs(x)))


@jit
def activation_backward(code, H, F, dA, dH, arg, k):
    """dH = dA · f'(H), with F = f(H) from the forward pass; maxout routes dA to the winner."""
    n, m = dA.shape
    if code == Act.MAXOUT:
        for i in range(n):
            for j in range(m):
                for p in range(k):
                    dH[i, j * k + p] = 0.0
                dH[i, j * k + arg[i, j]] = dA[i, j]
    elif code == Act.IDENTITY:
        for i in range(n):
            for j in range(m):
                dH[i, j] = dA[i, j]
    elif code == Act.SIGMOID:                   # f(1 − f)
        for i in range(n):
            for j in range(m):
                f = F[i, j]
                dH[i, j] = dA[i, j] * f * (1.0 - f)
    elif code == Act.TANH:                      # 1 − f²
        for i in range(n):
            for j in range(m):
                f = F[i, j]
                dH[i, j] = dA[i, j] * (1.0 - f * f)
    elif code == Act.RELU:                      # 1 if x > 0 else 0
        for i in range(n):
            for j in range(m):
                dH[i, j] = dA[i, j] if H[i, j] > 0.0 else 0.0
    elif code == Act.LEAKY_RELU:                # 1 or a
        for i in range(n):
            for j in range(m):
                dH[i, j] = dA[i, j] if H[i, j] > 0.0 else LEAKY_SLOPE * dA[i, j]
    elif code == Act.ELU:                       # 1 or f + α
        for i in range(n):
            for j in range(m):
                dH[i, j] = dA[i, j] if H[i, j] > 0.0 else dA[i, j] * (F[i, j] + ELU_ALPHA)
    elif code == Act.SWISH:                     # σ(x)(1 + x(1 − σ(x)))
        for i in range(n):
            for j in range(m):
                x = H[i, j]
                s = sigmoid(x)
                dH[i, j] = dA[i, j] * s * (1.0 + x * (1.0 - s))
    elif code == Act.GELU:                      # Φ(x) + x·φ(x)
        for i in range(n):
            for j in range(m):
                x = H[i, j]
                phi = _INV_SQRT2PI * math.exp(-0.5 * x * x)
                dH[i, j] = dA[i, j] * (0.5 * (1.0 + math.erf(x * _INV_SQRT2)) + x * phi)
    elif code == Act.STEP:                      # 0 everywhere (nothing flows back)
        for i in range(n):
            for j in range(m):
                dH[i, j] = 0.0
    else:  # Act.SOFTPLUS: σ(x)
        for i in range(n):
            for j in range(m):
                dH[i, j] = dA[i, j] * sigmoid(H[i, j])

"""e^y and e^y − 1 for y ≤ 0, branch-free, so that element loops calling them vectorize.

The C library's ``exp`` is a function call per element; these are inlined arithmetic: the
usual reduction y = k·ln2 + r with |r| ≤ ln2/2 (ln2 split in two parts so k·ln2 is exact),
the degree-13 Taylor polynomial of e^r − 1 (its remainder is below 2⁻⁵³ on that interval),
and 2^k assembled from its IEEE-754 bits. Both stay within a few ulp of libm. NaN stays NaN.
"""

import math

from llvmlite import ir as llvm_ir
from numba.core import types
from numba.extending import intrinsic

from trainlab.engine._jit import jit_contract

LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
INV_LN2 = 1.4426950408889634
#: Below this, e^y is under the smallest normal float64 and is returned as 0.
EXP_FLOOR = -708.0
# Taylor coefficients 1/n! of (e^r − 1)/r = 1 + r/2! + r²/3! + ..., as products, not divisions
C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13 = (
    1.0 / math.factorial(n) for n in range(2, 14))


@intrinsic
def pow2(typingctx, k):
    """2.0**k for an integer k in [-1022, 1023], built from its bits."""
    if not isinstance(k, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        i64 = llvm_ir.IntType(64)
        k64 = context.cast(builder, args[0], signature.args[0], types.int64)
        bits = builder.shl(builder.add(k64, llvm_ir.Constant(i64, 1023)),
                           llvm_ir.Constant(i64, 52))
        return builder.bitcast(bits, llvm_ir.DoubleType())

    return types.float64(k), codegen


@jit_contract
def _reduced(y):
    """(2^k, e^r − 1) with y = k·ln2 + r, for EXP_FLOOR ≤ y ≤ 0."""
    kf = math.floor(y * INV_LN2 + 0.5)
    r = (y - kf * LN2_HI) - kf * LN2_LO
    p = r * (1.0 + r * (C2 + r * (C3 + r * (C4 + r * (C5 + r * (C6 + r * (C7 + r * (
        C8 + r * (C9 + r * (C10 + r * (C11 + r * (C12 + r * C13))))))))))))
    return pow2(int(kf)), p


@jit_contract
def expm1_nonpos(y):
    """e^y − 1 for y ≤ 0, accurate near 0 (relative), for y ≥ EXP_FLOOR."""
    s, p = _reduced(max(y, EXP_FLOOR))
    return s * p + (s - 1.0)


@jit_contract
def exp_nonpos(y):
    """e^y for y ≤ 0; 0 below EXP_FLOOR; NaN for NaN."""
    s, p = _reduced(max(y, EXP_FLOOR))
    e = s * p + s
    return e if y >= EXP_FLOOR or y != y else 0.0

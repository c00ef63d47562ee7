"""Borrowed views into the engine's flat buffers, for compiled code only.

A layer's weights, a batch's activations and every workspace block are pieces of a few flat
arrays (:mod:`trainlab.engine.layout`). ``buf[a:b].reshape((m, n))`` gives such a piece as a
matrix, but in Numba each of those costs a call into a C helper (the reshape) and two atomic
reference-count updates (the slice keeps its parent alive), and a tiny net's training step
makes about a hundred of them: a tenth of its time.

:func:`matrix` and :func:`vector` build the same C-contiguous view directly and *borrow* the
buffer: the view holds no reference to it. So a view must not outlive the call that made it
from a buffer the caller holds, and must never be returned to Python. Indices are not
checked (neither are Numba's by default); callers pass offsets from the layout table.
"""

from numba import types
from numba.extending import intrinsic
from numba.np.arrayobj import make_array, populate_array


def _borrowed(context, builder, bufty, buf, start, dims, retty):
    """A C-contiguous array of ``retty`` at ``buf.data + start`` with shape ``dims``."""
    src = make_array(bufty)(context, builder, buf)
    itemsize = context.get_abi_sizeof(context.get_data_type(bufty.dtype))
    intp = context.get_value_type(types.intp)
    strides = []
    stride = intp(itemsize)
    for d in reversed(dims):
        strides.insert(0, stride)
        stride = builder.mul(stride, d)
    out = make_array(retty)(context, builder)
    populate_array(out, data=builder.gep(src.data, [start]), shape=list(dims),
                   strides=strides, itemsize=itemsize, meminfo=None)
    return out._getvalue()


def _as_intp(context, builder, value, ty):
    return context.cast(builder, value, ty, types.intp)


@intrinsic
def matrix(typingctx, buf, start, rows, cols):
    """``buf[start:start + rows*cols].reshape((rows, cols))``, borrowed (see the module)."""
    if not (isinstance(buf, types.Array) and buf.ndim == 1 and buf.layout == "C"):
        return None
    retty = types.Array(buf.dtype, 2, "C")

    def codegen(context, builder, sig, args):
        s, r, c = (_as_intp(context, builder, v, t)
                   for v, t in zip(args[1:], sig.args[1:], strict=True))
        return _borrowed(context, builder, sig.args[0], args[0], s, (r, c), retty)

    return retty(buf, start, rows, cols), codegen


@intrinsic
def vector(typingctx, buf, start, n):
    """``buf[start:start + n]``, borrowed (see the module); a C-contiguous ``buf`` of more
    dimensions is read as its flat sequence of elements."""
    if not (isinstance(buf, types.Array) and buf.layout == "C"):
        return None
    retty = types.Array(buf.dtype, 1, "C")

    def codegen(context, builder, sig, args):
        s, k = (_as_intp(context, builder, v, t)
                for v, t in zip(args[1:], sig.args[1:], strict=True))
        return _borrowed(context, builder, sig.args[0], args[0], s, (k,), retty)

    return retty(buf, start, n), codegen


@intrinsic
def borrow(typingctx, arr):
    """``arr`` itself, borrowed (see the module): for the arrays a kernel's hot loop passes
    around, so that handing them on costs no reference counting."""
    if not isinstance(arr, types.Array):
        return None

    def codegen(context, builder, sig, args):
        src = make_array(sig.args[0])(context, builder, args[0])
        out = make_array(sig.return_type)(context, builder)
        populate_array(out, data=src.data, shape=src.shape, strides=src.strides,
                       itemsize=src.itemsize, meminfo=None)
        return out._getvalue()

    return arr(arr), codegen

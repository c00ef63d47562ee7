"""Custom surfaces typed as an expression in x and y (or in w alone: a 1-D surface).

The text is parsed by SymPy — never by Python's ``eval`` on the raw text: it is first cut into
tokens, and only numbers, the operators ``+ - * / ** ^ ( ) ,``, the variables and the functions
of :data:`FUNCTIONS` may appear (so no attribute, no import, no other name can reach the
parser). ``^`` means power and ``2x`` means ``2*x``. SymPy differentiates the expression, and
both are compiled to NumPy functions (``lambdify``), so a 400 × 400 grid is one call.

Every problem is one plain sentence (:class:`~.surfaces.SurfaceError`): an unknown name, a
syntax error, a mix of w with x and y, a value that is not real or not finite in the view.
"""

from __future__ import annotations

import io
import tokenize
from typing import ClassVar, Literal

import numpy as np
from pydantic import Field, PrivateAttr

from trainlab.engine.names import did_you_mean
from trainlab.playground.surfaces import Surface, SurfaceError

MAX_LENGTH = 500
VARIABLES_2D = ("x", "y")
VARIABLES_1D = ("w",)
FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sinh", "cosh",
             "atan", "asinh", "pi", "E")
_OPERATORS = {"+", "-", "*", "/", "**", "^", "(", ")", ","}
#: The SymPy classes the parser's generated code calls (numbers and unevaluated operations).
_SYMPY_NODES = ("Integer", "Float", "Rational", "Add", "Mul", "Pow")
_SKIPPED = {tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT,
            tokenize.DEDENT}


def _check_tokens(text: str) -> None:
    if len(text) > MAX_LENGTH:
        raise SurfaceError(f"the expression is longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise SurfaceError("the expression is empty")
    allowed = VARIABLES_2D + VARIABLES_1D + FUNCTIONS
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        raise SurfaceError("syntax error: unbalanced parentheses or an unfinished "
                           "expression") from None
    for tok in tokens:
        if tok.type in _SKIPPED:
            continue
        if tok.type == tokenize.NAME:
            if tok.string not in allowed:
                raise SurfaceError(
                    f"unknown name {tok.string!r}; use x and y (or w alone) and the functions "
                    f"{', '.join(FUNCTIONS)};{did_you_mean(tok.string, allowed)}".rstrip(";"))
        elif tok.type == tokenize.NUMBER:
            if tok.string[-1:] in "jJ":
                raise SurfaceError(f"{tok.string!r}: imaginary numbers are not allowed")
        elif tok.type != tokenize.OP or tok.string not in _OPERATORS:
            raise SurfaceError(f"syntax error: {tok.string!r} is not allowed (column "
                               f"{tok.start[1] + 1})")


def parse(text: str):
    """The SymPy expression of ``text`` and its variables (("x", "y") or ("w",))."""
    import sympy
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication,
        parse_expr,
        standard_transformations,
    )

    _check_tokens(text)
    names = {v: sympy.Symbol(v, real=True) for v in VARIABLES_2D + VARIABLES_1D}
    names.update({f: getattr(sympy, f) for f in FUNCTIONS if f not in ("abs",)})
    names["abs"] = sympy.Abs
    # only SymPy's number classes besides the names above; no builtins for the parser's eval
    globals_ = {"__builtins__": {}, **{k: getattr(sympy, k) for k in _SYMPY_NODES}}
    transformations = standard_transformations + (convert_xor, implicit_multiplication)
    try:
        expr = parse_expr(text, local_dict=names, global_dict=globals_,
                          transformations=transformations, evaluate=False)
    except (SyntaxError, TypeError, tokenize.TokenError) as error:
        raise SurfaceError(f"syntax error: {_reason(error)}") from None
    except Exception as error:  # SymPy raises many kinds on odd input
        raise SurfaceError(f"cannot read the expression: {_reason(error)}") from None
    if not isinstance(expr, sympy.Expr):
        raise SurfaceError("the expression must be one number-valued formula")
    if expr.has(sympy.I, sympy.zoo, sympy.nan, sympy.oo):
        raise SurfaceError("the expression is not real")
    used = {s.name for s in expr.free_symbols}
    if "w" in used and used & set(VARIABLES_2D):
        raise SurfaceError("use x and y (a surface) or w alone (a curve), not both")
    variables = VARIABLES_1D if used == {"w"} else VARIABLES_2D
    # integers as floats: 2**1000 is then a float overflow, not a giant integer
    with sympy.evaluate(False):  # (evaluating 2**2**2**2**2**2 would never end)
        expr = expr.xreplace({n: sympy.Float(n) for n in expr.atoms(sympy.Integer)})
    return expr, tuple(names[v] for v in variables)


def _reason(error: Exception) -> str:
    if isinstance(error, SyntaxError) and error.msg:
        return error.msg
    text = str(error).strip().splitlines()
    return text[-1] if text else type(error).__name__


def compile_expression(text: str):
    """(value function, gradient functions, number of variables) of ``text``."""
    import sympy

    expr, symbols = parse(text)
    try:
        value = sympy.lambdify(symbols, expr, modules="numpy")
        grads = [sympy.lambdify(symbols, sympy.diff(expr, s), modules="numpy") for s in symbols]
    except Exception as error:
        raise SurfaceError(f"cannot compile the expression: {_reason(error)}") from None
    return value, grads, len(symbols)


class Expression(Surface):
    """Custom expression: f(x, y) typed by the user (or f(w) with w alone)

    Operators + − * / ** (or ^), numbers, x, y (or w), and the functions sin, cos, tan, exp,
    log, sqrt, abs, tanh, sinh, cosh, atan, asinh and the constants pi, E. The gradient is the
    symbolic derivative; the minima shown are those found on a grid over the view.
    """

    name: Literal["expression"] = "expression"
    expression: str = Field("x**2 + 3*y**2", description="The formula, e.g. 'x^2 + 3*y^2'.")
    range: list[float] | None = Field(
        None, min_length=2, max_length=4,
        description="The default view: [xmin, xmax, ymin, ymax], or [wmin, wmax] for f(w) "
        "(null = [-3, 3] on each axis).")

    default_start: ClassVar = (-2.5, 2.5)

    _value = PrivateAttr()
    _grads = PrivateAttr()
    _dims: int = PrivateAttr(2)

    def model_post_init(self, context) -> None:
        self._value, self._grads, self._dims = compile_expression(self.expression)
        view = self.view()
        if len(view) != 2 * self._dims:
            raise SurfaceError(f"range: needs {2 * self._dims} numbers for a function of "
                               f"{self._dims} variable{'s' if self._dims > 1 else ''}")
        if any(view[2 * k] >= view[2 * k + 1] for k in range(self._dims)):
            raise SurfaceError("range: each minimum must be below its maximum")
        self._check_real()

    @property
    def dims(self) -> int:  # type: ignore[override]  # decided by the expression
        return self._dims

    def _call(self, fn, p):
        with np.errstate(all="ignore"):
            try:
                out = fn(*p)
            except (ArithmeticError, ValueError, TypeError) as error:
                raise SurfaceError(f"cannot evaluate the expression: {_reason(error)}") from None
        shape = np.broadcast(*[np.asarray(c) for c in p]).shape
        out = np.asarray(out)
        if np.iscomplexobj(out):
            raise SurfaceError("the expression is not real in the view")
        return np.broadcast_to(out.astype(np.float64), shape) if shape else float(out)

    def value(self, *p):
        return self._call(self._value, p)

    def gradient(self, *p):
        return tuple(self._call(g, p) for g in self._grads)

    def _check_real(self) -> None:
        """Finite values on a 64-point grid per axis (even: a symmetric view's centre is
        not on it, so log(x² + y²) is accepted)."""
        axes = self.grid(64)
        values = axes[-1]
        bad = ~np.isfinite(values)
        if bad.any():
            index = np.unravel_index(np.argmax(bad), values.shape)
            where = (f"w = {axes[0][index[0]]:.3g}" if self._dims == 1 else
                     f"x = {axes[0][index[1]]:.3g}, y = {axes[1][index[0]]:.3g}")
            raise SurfaceError(f"the expression is not real or not finite at {where} "
                               f"in the view")

    def view(self):
        if self.range is not None:
            return tuple(float(v) for v in self.range)
        return (-3.0, 3.0) * self._dims

    def start(self):
        v = self.view()
        return tuple(v[2 * k] + 0.1 * (v[2 * k + 1] - v[2 * k]) for k in range(self._dims))

    def minimum_guesses(self):
        return None

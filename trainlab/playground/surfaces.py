"""Loss surfaces for the optimizer playground: formula, closed-form gradient, minima, view.

Each surface is a small pydantic model (its parameters, with defaults, are the keys a
playground file's ``surface`` object may hold) that also knows its mathematics:

* ``value(*p)`` and ``gradient(*p)`` work element-wise on arrays (a 400 × 400 grid in one
  call) or on scalars; ``p`` is ``(x, y)`` for a surface of two variables and ``(w,)`` for the
  1-D ones (``dims == 1``);
* ``minima()`` (rows of coordinates, global minima first), ``saddles()``, ``view()`` (the
  default range ``(xmin, xmax, ymin, ymax)`` or ``(wmin, wmax)``) and ``start()``;
* the first line of the class docstring is ``"Title: formula"`` (:meth:`Surface.title`,
  :meth:`Surface.formula`); the JSON Schema shows the whole docstring.

The data surfaces (line fit, logistic regression) live in :mod:`.data_surfaces` and the
custom expressions in :mod:`.expressions`; :data:`~.catalog.SURFACES` lists them all by name.
"""

from __future__ import annotations

import math
from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import Field, PrivateAttr

from trainlab.presets.model import Section


class SurfaceError(ValueError):
    """A surface that cannot be built (a bad expression, data that make no loss)."""


class Surface(Section):
    """Base of every surface (not a surface itself)."""

    dims: ClassVar[int] = 2
    default_view: ClassVar[tuple[float, ...]] = (-3.0, 3.0, -3.0, 3.0)
    default_start: ClassVar[tuple[float, ...]] = (-2.5, 2.5)

    _minima: np.ndarray | None = PrivateAttr(default=None)

    # --- what each surface says -----------------------------------------------------------

    def value(self, *p):
        raise NotImplementedError

    def gradient(self, *p) -> tuple:
        raise NotImplementedError

    def minimum_guesses(self) -> list[tuple[float, ...]]:
        """Approximate minima, refined by Newton's method in :meth:`minima` (None: search
        the view's grid for them)."""
        return []

    def saddles(self) -> np.ndarray:
        return np.zeros((0, self.dims))

    def view(self) -> tuple[float, ...]:
        return tuple(float(v) for v in self.default_view)

    def start(self) -> tuple[float, ...]:
        return tuple(float(v) for v in self.default_start)

    # --- derived ---------------------------------------------------------------------------

    @classmethod
    def title(cls) -> str:
        return _doc_line(cls).split(":", 1)[0].strip()

    @classmethod
    def formula(cls) -> str:
        return _doc_line(cls).split(":", 1)[1].strip()

    def minima(self) -> np.ndarray:
        """Minima as rows (global first, then the others by value), refined to ~1e-10."""
        if self._minima is None:
            guesses = self.minimum_guesses()
            if guesses is None:
                guesses = grid_minima(self)
            found = [refine_minimum(self, g) for g in guesses]
            found = [m for m in found if m is not None]
            found.sort(key=lambda m: float(self.value(*m)))
            self._minima = np.array(found, dtype=np.float64).reshape(-1, self.dims)
        return self._minima.copy()

    def loss(self, point) -> float:
        return float(self.value(*np.asarray(point, dtype=np.float64)))

    def grad(self, point) -> np.ndarray:
        return np.array(self.gradient(*np.asarray(point, dtype=np.float64)), dtype=np.float64)

    def grid(self, n: int = 400, view: tuple[float, ...] | None = None):
        """Values on an n-point grid per axis over ``view``: ``(xs, ys, Z)`` with
        ``Z[i, j] = f(xs[j], ys[i])`` for two variables, ``(ws, values)`` for one."""
        view = self.view() if view is None else view
        axes = [np.linspace(view[2 * k], view[2 * k + 1], n) for k in range(self.dims)]
        if self.dims == 1:
            return axes[0], np.asarray(self.value(axes[0]), dtype=np.float64)
        X, Y = np.meshgrid(axes[0], axes[1])
        return axes[0], axes[1], np.broadcast_to(self.value(X, Y), X.shape).astype(np.float64)


def _doc_line(cls) -> str:
    return (cls.__doc__ or "").strip().splitlines()[0]


def refine_minimum(surface: Surface, guess, iterations: int = 50) -> np.ndarray | None:
    """Newton's method on the gradient (Hessian by central differences of the analytic
    gradient) from ``guess``; None when it does not settle at a point with a positive
    definite Hessian."""
    p = np.array(guess, dtype=np.float64)
    h = 1e-6
    for _ in range(iterations):
        g = surface.grad(p)
        H = np.empty((p.size, p.size))
        for k in range(p.size):
            e = np.zeros(p.size)
            e[k] = h
            H[:, k] = (surface.grad(p + e) - surface.grad(p - e)) / (2 * h)
        H = (H + H.T) / 2
        try:
            delta = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            return None
        p = p - delta
        if not np.all(np.isfinite(p)):
            return None
        if np.linalg.norm(delta) < 1e-12 * (1 + np.linalg.norm(p)):
            break
    if np.linalg.norm(surface.grad(p)) > 1e-6 or np.any(np.linalg.eigvalsh(H) <= 0):
        return None
    return p


def grid_minima(surface: Surface, n: int = 201, most: int = 16) -> list[tuple[float, ...]]:
    """Grid points of the view lower than all their neighbours (the lowest ``most``)."""
    with np.errstate(all="ignore"):
        grid = surface.grid(n)
    Z = np.where(np.isfinite(grid[-1]), grid[-1], np.inf)
    if surface.dims == 1:
        ws = grid[0]
        inner = (Z[1:-1] < Z[:-2]) & (Z[1:-1] < Z[2:])
        idx = np.nonzero(inner)[0] + 1
        idx = idx[np.argsort(Z[idx])][:most]
        return [(float(ws[i]),) for i in idx]
    xs, ys = grid[0], grid[1]
    centre = Z[1:-1, 1:-1]
    lower = np.ones_like(centre, dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                lower &= centre < Z[1 + di:n - 1 + di, 1 + dj:n - 1 + dj]
    rows, cols = np.nonzero(lower)
    order = np.argsort(centre[rows, cols])[:most]
    return [(float(xs[c + 1]), float(ys[r + 1])) for r, c in zip(rows[order], cols[order],
                                                                    strict=True)]


# --- surfaces of two variables ------------------------------------------------------------------


class Bowl(Surface):
    """Quadratic bowl: f(x, y) = L/2·(u²/κ + v²), (u, v) = (x − cx, y − cy) rotated by −angle

    u = dx·cos θ + dy·sin θ, v = −dx·sin θ + dy·cos θ. The curvatures (Hessian eigenvalues) are
    L/κ along u and L along v: κ is the condition number (κ = 1: circular contours; large κ:
    a ravine along u), and gradient descent converges exactly when lr < 2/L. Minimum at the
    center (cx, cy).
    """

    name: Literal["bowl"] = "bowl"
    kappa: float = Field(10.0, ge=1, le=1e6, description="Condition number κ = L_max / L_min.")
    angle: float = Field(0.0, ge=-360, le=360, description="Rotation θ of the ravine, degrees.")
    curvature: float = Field(1.0, gt=0, le=1e6, description="The largest curvature L.")
    center: Annotated[list[float], Field(min_length=2, max_length=2)] = Field(
        default_factory=lambda: [0.0, 0.0], description="The minimum [cx, cy].")

    default_view: ClassVar = (-5.0, 5.0, -5.0, 5.0)
    default_start: ClassVar = (-4.5, 2.0)

    def _uv(self, x, y):
        c, s = math.cos(math.radians(self.angle)), math.sin(math.radians(self.angle))
        dx, dy = x - self.center[0], y - self.center[1]
        return c, s, c * dx + s * dy, -s * dx + c * dy

    def value(self, x, y):
        _, _, u, v = self._uv(x, y)
        return 0.5 * self.curvature * (u * u / self.kappa + v * v)

    def gradient(self, x, y):
        c, s, u, v = self._uv(x, y)
        fu, fv = self.curvature * u / self.kappa, self.curvature * v
        return c * fu - s * fv, s * fu + c * fv

    def minimum_guesses(self):
        return [tuple(self.center)]


class Rosenbrock(Surface):
    """Rosenbrock: f(x, y) = (a − x)² + b·(y − x²)²

    A curved, flat-bottomed valley; the minimum (a, a²) is easy to reach and hard to walk to.
    """

    name: Literal["rosenbrock"] = "rosenbrock"
    a: float = Field(1.0, ge=-10, le=10, description="a: the minimum is at (a, a²).")
    b: float = Field(100.0, gt=0, le=1e4, description="b: the steepness of the valley walls.")

    default_view: ClassVar = (-2.0, 2.0, -1.0, 3.0)
    default_start: ClassVar = (-1.5, 2.5)

    def value(self, x, y):
        return (self.a - x) ** 2 + self.b * (y - x * x) ** 2

    def gradient(self, x, y):
        r = y - x * x
        return -2.0 * (self.a - x) - 4.0 * self.b * x * r, 2.0 * self.b * r

    def minimum_guesses(self):
        return [(self.a, self.a * self.a)]

    def view(self):
        a = self.a
        return (min(-2.0, a - 1), max(2.0, a + 1), min(-1.0, a * a - 1), max(3.0, a * a + 1))


class Beale(Surface):
    """Beale: f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²

    Flat regions and sharp ridges; the minimum is (3, 0.5).
    """

    name: Literal["beale"] = "beale"
    default_view: ClassVar = (-4.5, 4.5, -4.5, 4.5)
    default_start: ClassVar = (1.0, 1.5)

    def value(self, x, y):
        return ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2
                + (2.625 - x + x * y ** 3) ** 2)

    def gradient(self, x, y):
        t1, t2, t3 = 1.5 - x + x * y, 2.25 - x + x * y ** 2, 2.625 - x + x * y ** 3
        gx = 2 * t1 * (y - 1) + 2 * t2 * (y ** 2 - 1) + 2 * t3 * (y ** 3 - 1)
        gy = 2 * t1 * x + 4 * t2 * x * y + 6 * t3 * x * y ** 2
        return gx, gy

    def minimum_guesses(self):
        return [(3.0, 0.5)]


class Himmelblau(Surface):
    """Himmelblau: f(x, y) = (x² + y − 11)² + (x + y² − 7)²

    Four minima, all with f = 0: (3, 2), (−2.805, 3.131), (−3.779, −3.283), (3.584, −1.848).
    """

    name: Literal["himmelblau"] = "himmelblau"
    default_view: ClassVar = (-5.0, 5.0, -5.0, 5.0)
    default_start: ClassVar = (0.0, 0.0)

    def value(self, x, y):
        return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2

    def gradient(self, x, y):
        A, B = x * x + y - 11, x + y * y - 7
        return 4 * x * A + 2 * B, 2 * A + 4 * y * B

    def minimum_guesses(self):
        return [(3.0, 2.0), (-2.805, 3.131), (-3.779, -3.283), (3.584, -1.848)]


class SixHumpCamel(Surface):
    """Six-hump camel: f(x, y) = (4 − 2.1x² + x⁴/3)·x² + xy + (4y² − 4)·y²

    Six minima: two global ones, f ≈ −1.0316 at ±(0.0898, −0.7126), and four local ones.
    """

    name: Literal["six_hump_camel"] = "six_hump_camel"
    default_view: ClassVar = (-2.2, 2.2, -1.2, 1.2)
    default_start: ClassVar = (-1.5, 1.0)

    def value(self, x, y):
        x2 = x * x
        return (4 - 2.1 * x2 + x2 * x2 / 3) * x2 + x * y + (4 * y * y - 4) * y * y

    def gradient(self, x, y):
        return 8 * x - 8.4 * x ** 3 + 2 * x ** 5 + y, x - 8 * y + 16 * y ** 3

    def minimum_guesses(self):
        return None  # six of them: found on the grid, then refined


class Saddle(Surface):
    """Saddle: f(x, y) = x² − y²

    A minimum along x, a maximum along y: the gradient vanishes at the origin, which is no
    minimum; f is unbounded below along y.
    """

    name: Literal["saddle"] = "saddle"
    default_view: ClassVar = (-2.0, 2.0, -2.0, 2.0)
    default_start: ClassVar = (-1.8, 1e-3)

    def value(self, x, y):
        return x * x - y * y

    def gradient(self, x, y):
        return 2 * x, -2 * y

    def saddles(self):
        return np.zeros((1, 2))


class MonkeySaddle(Surface):
    """Monkey saddle: f(x, y) = x³ − 3xy²

    Three valleys and three ridges meet at the origin, where the gradient and the Hessian both
    vanish; f is unbounded below.
    """

    name: Literal["monkey_saddle"] = "monkey_saddle"
    default_view: ClassVar = (-1.5, 1.5, -1.5, 1.5)
    default_start: ClassVar = (1.2, 0.05)

    def value(self, x, y):
        return x ** 3 - 3 * x * y * y

    def gradient(self, x, y):
        return 3 * x * x - 3 * y * y, -6 * x * y

    def saddles(self):
        return np.zeros((1, 2))


class Rastrigin(Surface):
    """Rastrigin: f(x, y) = 2A + x² − A·cos 2πx + y² − A·cos 2πy

    A bowl covered in bumps: a local minimum near every integer point; the global one is 0.
    """

    name: Literal["rastrigin"] = "rastrigin"
    A: float = Field(10.0, ge=0, le=100, description="Height A of the bumps.")
    default_view: ClassVar = (-5.12, 5.12, -5.12, 5.12)
    default_start: ClassVar = (-4.5, 4.0)

    def value(self, x, y):
        A, tau = self.A, 2 * math.pi
        return 2 * A + x * x - A * np.cos(tau * x) + y * y - A * np.cos(tau * y)

    def gradient(self, x, y):
        A, tau = self.A, 2 * math.pi
        return 2 * x + tau * A * np.sin(tau * x), 2 * y + tau * A * np.sin(tau * y)

    def minimum_guesses(self):
        return [(0.0, 0.0)]


class Plateau(Surface):
    """Plateau with a cliff: f(x, y) = 1 − exp(−(x² + y²)/(2w²))

    Far from the origin f is flat (the gradient all but vanishes); at r ≈ w a steep wall drops
    into the minimum at 0.
    """

    name: Literal["plateau"] = "plateau"
    width: float = Field(1.0, gt=0, le=100, description="Width w of the well.")
    default_view: ClassVar = (-4.0, 4.0, -4.0, 4.0)
    default_start: ClassVar = (3.5, 2.5)

    def value(self, x, y):
        return 1.0 - np.exp(-(x * x + y * y) / (2 * self.width ** 2))

    def gradient(self, x, y):
        w2 = self.width ** 2
        e = np.exp(-(x * x + y * y) / (2 * w2))
        return x / w2 * e, y / w2 * e

    def minimum_guesses(self):
        return [(0.0, 0.0)]


# --- surfaces of one variable ---------------------------------------------------------------


class Parabola(Surface):
    """Parabola: f(w) = a/2·(w − c)²

    The first picture of gradient descent: f′(w) = a·(w − c) says which way is down.
    """

    name: Literal["parabola"] = "parabola"
    a: float = Field(1.0, gt=0, le=1e6, description="Curvature a.")
    c: float = Field(0.0, ge=-100, le=100, description="The minimum c.")
    dims: ClassVar[int] = 1
    default_view: ClassVar = (-4.0, 4.0)
    default_start: ClassVar = (3.5,)

    def value(self, w):
        return 0.5 * self.a * (w - self.c) ** 2

    def gradient(self, w):
        return (self.a * (w - self.c),)

    def minimum_guesses(self):
        return [(self.c,)]

    def view(self):
        return (self.c - 4.0, self.c + 4.0)


class DoubleWell(Surface):
    """Double well: f(w) = (w² − 1)² + s·w

    Two valleys; with the tilt s > 0 the left one (w ≈ −1) is the global minimum and the right
    one a local minimum.
    """

    name: Literal["double_well"] = "double_well"
    tilt: float = Field(0.3, ge=-1, le=1, description="Tilt s.")
    dims: ClassVar[int] = 1
    default_view: ClassVar = (-2.0, 2.0)
    default_start: ClassVar = (1.8,)

    def value(self, w):
        return (w * w - 1) ** 2 + self.tilt * w

    def gradient(self, w):
        return (4 * w * (w * w - 1) + self.tilt,)

    def minimum_guesses(self):
        return [(-1.0,), (1.0,)]


#: The analytic surfaces by name (:data:`.catalog.SURFACES` adds the others).
ANALYTIC_SURFACES: dict[str, type[Surface]] = {
    cls.model_fields["name"].default: cls
    for cls in (Bowl, Rosenbrock, Beale, Himmelblau, SixHumpCamel, Saddle, MonkeySaddle,
                Rastrigin, Plateau, Parabola, DoubleWell)
}

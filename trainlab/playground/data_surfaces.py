"""Surfaces made from data: the loss of a model as a function of its two parameters.

* ``line_fit``: L(a, b) = ½·mean (y − a·x − b)² over a 1-D regression set; a quadratic bowl
  whose minimum is the least-squares line (closed form). With ``x_scale``/``x_shift`` the
  feature is badly scaled (a long, tilted ravine); ``standardize`` undoes it (circles).
* ``logistic``: L(w₁, w₂) = mean softplus(z) − y·z with z = w₁x₁ + w₂x₂ over a two-class
  2-D set (SPEC §4 ``bce``; no bias, so that the two weights are the whole model); convex, its
  minimum found by Newton's method (none when the classes are separable).

The data come from the data layer's generators (``trainlab.data``), seeded by ``data_seed``.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field, PrivateAttr
from scipy.special import expit

from trainlab.playground.surfaces import Surface, SurfaceError

_CHUNK = 2048  # grid points per block in the logistic loss (a block is _CHUNK × n floats)


def _dataset(source: str, n_samples: int, noise: float, seed: int):
    from trainlab.data import DataError, load_dataset

    try:
        ds = load_dataset({"source": source, "n_samples": n_samples, "noise": noise,
                           "classes": 2}, seed=seed)
    except DataError as error:
        raise SurfaceError(str(error)) from None
    return ds.X, ds.y


class LineFit(Surface):
    """Line-fit loss: L(a, b) = ½·mean (y − a·x − b)²

    The mean squared error (halved) of the line y = a·x + b on a 1-D data set, as a function of
    slope a and intercept b. A quadratic bowl; its minimum is the least-squares line.
    """

    name: Literal["line_fit"] = "line_fit"
    source: Literal["line", "sine"] = Field("line", description="The 1-D regression generator.")
    n_samples: int = Field(40, ge=2, le=100_000, description="Number of points.")
    noise: float = Field(0.5, ge=0, le=100, description="Noise σ of the generator.")
    data_seed: int = Field(0, ge=0, le=2**63 - 1, description="Seed of the data.")
    x_scale: float = Field(1.0, gt=0, le=1e6, description="Scale s: the feature is s·x + shift.")
    x_shift: float = Field(0.0, ge=-1e6, le=1e6, description="Shift added to the scaled x.")
    standardize: bool = Field(False, description="Standardize x (mean 0, std 1) after that.")

    default_view: ClassVar = (-2.0, 6.0, -3.0, 5.0)
    default_start: ClassVar = (-1.0, -2.0)

    _moments: tuple[float, ...] = PrivateAttr()
    _data: tuple[np.ndarray, np.ndarray] = PrivateAttr()

    def model_post_init(self, context) -> None:
        X, y = _dataset(self.source, self.n_samples, self.noise, self.data_seed)
        x = X[:, 0] * self.x_scale + self.x_shift
        if self.standardize:
            std = x.std()
            if not std > 0:
                raise SurfaceError("standardize: the x values are all equal")
            x = (x - x.mean()) / std
        y = y[:, 0]
        self._data = (x, y)
        self._moments = tuple(float(np.mean(v)) for v in (x, x * x, y, x * y, y * y))

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """The points (x, y) the loss is measured on (after scaling)."""
        return self._data[0].copy(), self._data[1].copy()

    def value(self, a, b):
        # ½·mean (y − ax − b)² expanded in the data's moments: one pass over a whole grid
        mx, mxx, my, mxy, myy = self._moments
        return 0.5 * (myy - 2 * a * mxy - 2 * b * my + a * a * mxx + 2 * a * b * mx + b * b)

    def gradient(self, a, b):
        mx, mxx, my, mxy, _ = self._moments
        return a * mxx + b * mx - mxy, a * mx + b - my

    def closed_form_minimum(self) -> np.ndarray:
        """Least squares: [[E x², E x], [E x, 1]]·(a, b) = (E xy, E y)."""
        mx, mxx, my, mxy, _ = self._moments
        return np.linalg.solve(np.array([[mxx, mx], [mx, 1.0]]), np.array([mxy, my]))

    def minimum_guesses(self):
        return [tuple(self.closed_form_minimum())]

    def view(self):
        a, b = self.closed_form_minimum()
        r = max(4.0, abs(a) + 2, abs(b) + 2)
        return (a - r, a + r, b - r, b + r)

    def start(self):
        lo_a, hi_a, lo_b, hi_b = self.view()
        return (lo_a + 0.1 * (hi_a - lo_a), lo_b + 0.1 * (hi_b - lo_b))


class Logistic(Surface):
    """Logistic-regression loss: L(w₁, w₂) = mean log(1 + e^z) − y·z, z = w₁x₁ + w₂x₂

    The binary cross-entropy of a logistic model without bias on a two-class 2-D data set (the
    features standardized), as a function of its two weights. Convex; the minimum is finite
    when the classes overlap.
    """

    name: Literal["logistic"] = "logistic"
    source: Literal["gaussians", "moons", "circles", "xor"] = Field(
        "gaussians", description="The two-class generator.")
    n_samples: int = Field(100, ge=4, le=100_000, description="Number of points.")
    noise: float = Field(1.0, ge=0, le=100, description="Noise σ of the generator.")
    data_seed: int = Field(0, ge=0, le=2**63 - 1, description="Seed of the data.")

    default_view: ClassVar = (-6.0, 6.0, -6.0, 6.0)
    default_start: ClassVar = (-5.0, 4.0)

    _data: tuple[np.ndarray, np.ndarray] = PrivateAttr()

    def model_post_init(self, context) -> None:
        X, y = _dataset(self.source, self.n_samples, self.noise, self.data_seed)
        std = X.std(axis=0)
        if not np.all(std > 0):
            raise SurfaceError("the data have a constant feature")
        self._data = ((X - X.mean(axis=0)) / std, y.astype(np.float64))

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        return self._data[0].copy(), self._data[1].copy()

    def _blocks(self, w1, w2):
        """(shape, flat w1, flat w2, slices) for evaluating many points in blocks."""
        w1, w2 = np.broadcast_arrays(np.asarray(w1, np.float64), np.asarray(w2, np.float64))
        flat1, flat2 = w1.ravel(), w2.ravel()
        slices = [slice(i, i + _CHUNK) for i in range(0, flat1.size, _CHUNK)]
        return w1.shape, flat1, flat2, slices

    def value(self, w1, w2):
        X, y = self._data
        shape, f1, f2, slices = self._blocks(w1, w2)
        out = np.empty(f1.size)
        for s in slices:
            z = f1[s, None] * X[:, 0] + f2[s, None] * X[:, 1]
            out[s] = np.mean(np.logaddexp(0.0, z) - y * z, axis=1)
        return out.reshape(shape) if shape else out[0]

    def gradient(self, w1, w2):
        X, y = self._data
        shape, f1, f2, slices = self._blocks(w1, w2)
        g1, g2 = np.empty(f1.size), np.empty(f1.size)
        for s in slices:
            r = expit(f1[s, None] * X[:, 0] + f2[s, None] * X[:, 1]) - y  # σ(z) − y
            g1[s] = r @ X[:, 0] / len(y)
            g2[s] = r @ X[:, 1] / len(y)
        if not shape:
            return g1[0], g2[0]
        return g1.reshape(shape), g2.reshape(shape)

    def minimum_guesses(self):
        return [(0.0, 0.0)]


DATA_SURFACES: dict[str, type[Surface]] = {"line_fit": LineFit, "logistic": Logistic}

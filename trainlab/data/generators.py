"""Synthetic data sets drawn from a seeded generator, shaped to look good on a 2-D plot.

Every generator has the signature ``f(n_samples, noise, classes, rng) -> (X, y)`` with
``rng = numpy.random.default_rng(seed)``. Classification generators return ``X`` of shape
``(n, 2)`` and int64 labels ``y`` of shape ``(n,)`` with classes as balanced as possible (sizes
differ by at most one) and rows shuffled; regression generators return float64 ``y`` of shape
``(n, 1)``.

``noise`` is the standard deviation σ of Gaussian noise: added to each coordinate of a point
(classification) or to the target (regression). At the default σ = 0.1 every classification
shape is clearly separable; raising it makes the classes overlap.

``classes`` (K) is used by ``gaussians`` and ``spirals`` only; the other classification
generators always make two classes, and the regression ones ignore it.
"""

from __future__ import annotations

import numpy as np

from trainlab.catalog.data import SOURCE_INFO, USES_CLASSES  # noqa: F401  (re-exported)
from trainlab.catalog.data import class_names as generator_class_names  # noqa: F401
from trainlab.data.errors import DataError, check_float, check_int

#: Regression ``line``: y = LINE_SLOPE·x + LINE_INTERCEPT + noise, x uniform in LINE_RANGE.
LINE_SLOPE, LINE_INTERCEPT, LINE_RANGE = 2.0, 1.0, (-3.0, 3.0)
#: Regression ``plane``: y = w₁x₁ + w₂x₂ + c + noise, x uniform in PLANE_RANGE².
PLANE_WEIGHTS, PLANE_INTERCEPT, PLANE_RANGE = (1.5, -2.0), 0.5, (-3.0, 3.0)
#: Regression ``sine``: y = sin(x) + noise with x uniform in SINE_RANGE (two periods).
SINE_RANGE = (-2.0 * np.pi, 2.0 * np.pi)

MIN_SAMPLES = 4


def _check(n_samples, noise, classes=None) -> tuple[int, float, int]:
    """Validate the common arguments; `classes` only for generators that use it."""
    n = check_int("data.n_samples", n_samples, MIN_SAMPLES)
    sigma = check_float("data.noise", noise, 0.0)
    k = 2
    if classes is not None:
        k = check_int("data.classes", classes, 2)
        if n < 2 * k:
            raise DataError(
                f"data.n_samples: {k} classes need at least {2 * k} samples (2 per class), got {n}"
            )
    return n, sigma, k


def class_sizes(n: int, k: int) -> np.ndarray:
    """Sizes of `k` classes sharing `n` rows as evenly as possible (first n mod k get one more)."""
    sizes = np.full(k, n // k, dtype=np.int64)
    sizes[: n % k] += 1
    return sizes


def _labels_and_shuffle(parts: list[np.ndarray], rng) -> tuple[np.ndarray, np.ndarray]:
    """Stack per-class point arrays, label them 0..K-1 and shuffle the rows."""
    X = np.concatenate(parts, axis=0)
    y = np.concatenate([np.full(len(p), k, dtype=np.int64) for k, p in enumerate(parts)])
    order = rng.permutation(len(y))
    return X[order], y[order]


def circles(n_samples, noise, classes, rng):
    """Two concentric circles: class 0 on radius 1, class 1 on radius 0.5.

    Point = r·(cos φ, sin φ) + σ·ε, φ ~ U(0, 2π), ε ~ N(0, I).
    """
    n, sigma, _ = _check(n_samples, noise)
    parts = []
    for radius, size in zip((1.0, 0.5), class_sizes(n, 2), strict=True):
        phi = rng.uniform(0.0, 2.0 * np.pi, size)
        ring = radius * np.column_stack([np.cos(phi), np.sin(phi)])
        parts.append(ring + sigma * rng.standard_normal((size, 2)))
    return _labels_and_shuffle(parts, rng)


def xor(n_samples, noise, classes, rng):
    """The XOR pattern: class 0 where x₁ and x₂ have the same sign, class 1 where they differ.

    |x₁|, |x₂| ~ U(0.1, 1) (a small margin keeps the clean classes apart), random quadrant
    within the class, then + σ·ε.
    """
    n, sigma, _ = _check(n_samples, noise)
    parts = []
    for label, size in enumerate(class_sizes(n, 2)):
        magnitude = rng.uniform(0.1, 1.0, (size, 2))
        s1 = rng.choice([-1.0, 1.0], size)
        s2 = s1 if label == 0 else -s1
        points = magnitude * np.column_stack([s1, s2])
        parts.append(points + sigma * rng.standard_normal((size, 2)))
    return _labels_and_shuffle(parts, rng)


def gaussians(n_samples, noise, classes, rng):
    """K Gaussian blobs with centres evenly spaced on a circle.

    Centre k = R·(cos(2πk/K + π/4), sin(2πk/K + π/4)) with R = max(2, 1/sin(π/K)), so that
    neighbouring centres are at least 2 apart. Each point = centre + 0.5·ε₁ + σ·ε₂, i.e. a blob
    with standard deviation √(0.25 + σ²) per coordinate.
    """
    n, sigma, k = _check(n_samples, noise, classes)
    radius = max(2.0, 1.0 / np.sin(np.pi / k))
    parts = []
    for label, size in enumerate(class_sizes(n, k)):
        angle = 2.0 * np.pi * label / k + np.pi / 4.0
        centre = radius * np.array([np.cos(angle), np.sin(angle)])
        blob = centre + 0.5 * rng.standard_normal((size, 2))
        parts.append(blob + sigma * rng.standard_normal((size, 2)))
    return _labels_and_shuffle(parts, rng)


def spirals(n_samples, noise, classes, rng):
    """K interleaved Archimedean spiral arms, 1.25 turns each.

    Arm k: r = a·θ for θ in [π/2, 3π], rotated by 2πk/K, with a = K/(2π) so that adjacent arms
    are 1.0 apart along any ray. θ is drawn so that points spread evenly along the arc
    (θ = √(θ₀² + u·(θ₁² − θ₀²)), u ~ U(0, 1)); point = r·(cos(θ + 2πk/K), sin(θ + 2πk/K)) + σ·ε.
    """
    n, sigma, k = _check(n_samples, noise, classes)
    a = k / (2.0 * np.pi)
    theta0, theta1 = 0.5 * np.pi, 3.0 * np.pi
    parts = []
    for label, size in enumerate(class_sizes(n, k)):
        u = rng.uniform(0.0, 1.0, size)
        theta = np.sqrt(theta0**2 + u * (theta1**2 - theta0**2))
        angle = theta + 2.0 * np.pi * label / k
        arm = (a * theta)[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
        parts.append(arm + sigma * rng.standard_normal((size, 2)))
    return _labels_and_shuffle(parts, rng)


def moons(n_samples, noise, classes, rng):
    """Two interleaving half circles.

    Class 0: (cos φ, sin φ); class 1: (1 − cos φ, 0.5 − sin φ); φ ~ U(0, π); then + σ·ε.
    """
    n, sigma, _ = _check(n_samples, noise)
    n0, n1 = class_sizes(n, 2)
    phi0 = rng.uniform(0.0, np.pi, n0)
    phi1 = rng.uniform(0.0, np.pi, n1)
    upper = np.column_stack([np.cos(phi0), np.sin(phi0)])
    lower = np.column_stack([1.0 - np.cos(phi1), 0.5 - np.sin(phi1)])
    parts = [p + sigma * rng.standard_normal(p.shape) for p in (upper, lower)]
    return _labels_and_shuffle(parts, rng)


def line(n_samples, noise, classes, rng):
    """y = 2·x + 1 + σ·ε with x ~ U(−3, 3) (one feature)."""
    n, sigma, _ = _check(n_samples, noise)
    x = rng.uniform(*LINE_RANGE, n)
    y = LINE_SLOPE * x + LINE_INTERCEPT + sigma * rng.standard_normal(n)
    return x.reshape(-1, 1), y.reshape(-1, 1)


def sine(n_samples, noise, classes, rng):
    """y = sin(x) + σ·ε with x ~ U(−2π, 2π), two full periods (one feature)."""
    n, sigma, _ = _check(n_samples, noise)
    x = rng.uniform(*SINE_RANGE, n)
    y = np.sin(x) + sigma * rng.standard_normal(n)
    return x.reshape(-1, 1), y.reshape(-1, 1)


def plane(n_samples, noise, classes, rng):
    """y = 1.5·x₁ − 2·x₂ + 0.5 + σ·ε with x₁, x₂ ~ U(−3, 3) (two features)."""
    n, sigma, _ = _check(n_samples, noise)
    X = rng.uniform(*PLANE_RANGE, (n, 2))
    y = X @ np.asarray(PLANE_WEIGHTS) + PLANE_INTERCEPT + sigma * rng.standard_normal(n)
    return X, y.reshape(-1, 1)


GENERATORS = {
    "circles": circles,
    "xor": xor,
    "gaussians": gaussians,
    "spirals": spirals,
    "moons": moons,
    "line": line,
    "sine": sine,
    "plane": plane,
}
#: name -> "classification" or "regression" (from the catalog, trainlab.catalog.data).
GENERATOR_TASKS = {name: SOURCE_INFO[name].task for name in GENERATORS}


def generator_title(name: str, classes: int = 2) -> str:
    """Human-readable title, e.g. ``"two spirals"`` or ``"three Gaussian blobs"``."""
    return SOURCE_INFO[name].display_title(classes)

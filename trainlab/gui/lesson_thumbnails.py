"""Thumbnails of the lessons: each lesson trained briefly (every variant of a comparison), then
drawn small with QPainter: its loss curves beside the decision boundary or the fit; a
playground's racers' paths. ``python -m trainlab.lessons.thumbnails`` calls :func:`make_all`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

from trainlab.lessons.index import LessonEntry, thumbnail_path

SIZE = (432, 240)
MAX_EPOCHS = 80
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]
CLASS_TINTS = ["#c6dbef", "#fdd0a2", "#c7e9c0", "#fcbba1", "#dadaeb", "#d9d9d9"]


def _runs(path: Path, data: dict) -> list:
    """(prepared run, result) per variant (or the one run), trained briefly in memory."""
    from trainlab.runs.loop import train
    from trainlab.runs.prepared import prepare

    epochs = min(int((data.get("training") or {}).get("epochs", MAX_EPOCHS)), MAX_EPOCHS)
    presets = [data]
    if data.get("variants"):
        from trainlab.lessons.variants import variant_preset
        from trainlab.presets import preset_to_dict, validate_preset

        resolved = preset_to_dict(validate_preset(data))
        presets = [variant_preset(resolved, v["set"], v["label"]) for v in data["variants"]]
    found = []
    for preset in presets:
        run = prepare(preset, epochs=epochs, folder=path.parent)
        found.append((run, train(run, write_files=False)))
    return found


def _plot_box(painter: QPainter, box: QRectF) -> None:
    painter.setPen(QPen(QColor("#b0b8c0"), 1))
    painter.setBrush(QColor("white"))
    painter.drawRect(box)


def _curve(painter, box, xs, ys, lo, hi, color) -> None:
    path = QPainterPath()
    started = False
    n = max(len(xs) - 1, 1)
    for x, y in zip(xs, ys, strict=True):
        if not math.isfinite(y):
            break
        y = min(max(y, lo), hi)
        point = QPointF(box.left() + box.width() * x / n,
                        box.bottom() - box.height() * (y - lo) / ((hi - lo) or 1.0))
        path.lineTo(point) if started else path.moveTo(point)
        started = True
    painter.setPen(QPen(QColor(color), 2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)


def draw_losses(painter: QPainter, box: QRectF, curves: list[np.ndarray]) -> None:
    """Training-loss curves on a log scale (a diverging one is cut at the top)."""
    _plot_box(painter, box)
    logs = [np.log10(np.clip(np.asarray(c, float), 1e-12, None)) for c in curves]
    finite = np.concatenate([c[np.isfinite(c)] for c in logs] or [np.zeros(1)])
    lo, hi = float(finite.min()), float(min(finite.max(), finite.min() + 6))
    inner = box.adjusted(4, 4, -4, -4)
    for i, c in enumerate(logs):
        _curve(painter, inner, np.arange(len(c)), c, lo, hi, PALETTE[i % len(PALETTE)])


def draw_fit(painter: QPainter, box: QRectF, run, result) -> bool:
    """The decision regions (two raw inputs) or the fitted curve (one input); False when the
    data has neither shape."""
    from trainlab.runs.build import build_network

    splits = run.splits
    raw = splits.raw_names or splits.feature_names
    if len(raw) not in (1, 2):
        return False
    net = build_network(run)
    net.set_params(result.params_final)
    X = np.asarray(splits.X_train, float)
    raw_X = getattr(splits, "raw_X_train", None)
    shown = X if len(raw) == X.shape[1] else None
    if shown is None and raw_X is None:
        return False
    shown = shown if shown is not None else np.asarray(raw_X, float)
    to_inputs = (lambda g: g) if shown is X else splits.inputs_from_raw
    _plot_box(painter, box)
    inner = box.adjusted(2, 2, -2, -2)
    y = np.asarray(splits.y_train)
    if len(raw) == 2:
        (x0, y0), (x1, y1) = shown.min(0), shown.max(0)
        n = 60
        gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y1, y0, n))
        grid = np.column_stack([gx.ravel(), gy.ravel()])
        out = np.asarray(net.predict(to_inputs(grid)))
        label = out.argmax(1) if out.ndim == 2 and out.shape[1] > 1 else (out.ravel() > 0.5)
        image = QImage(n, n, QImage.Format.Format_RGB32)
        for k, c in enumerate(label.astype(int)):
            image.setPixelColor(k % n, k // n, QColor(CLASS_TINTS[c % len(CLASS_TINTS)]))
        painter.drawImage(inner, image)
        sx = (shown[:, 0] - x0) / ((x1 - x0) or 1) * inner.width() + inner.left()
        sy = inner.bottom() - (shown[:, 1] - y0) / ((y1 - y0) or 1) * inner.height()
        painter.setPen(Qt.PenStyle.NoPen)
        for px, py, c in zip(sx, sy, y.astype(int).ravel(), strict=True):
            painter.setBrush(QColor(PALETTE[c % len(PALETTE)]))
            painter.drawEllipse(QPointF(px, py), 2.2, 2.2)
        return True
    xs = shown[:, 0]
    order = np.argsort(xs)
    line = np.linspace(xs.min(), xs.max(), 80).reshape(-1, 1)
    fit = np.asarray(net.predict(to_inputs(line))).ravel()
    lo = float(min(y.min(), np.nanmin(fit) if np.isfinite(fit).any() else y.min()))
    hi = float(max(y.max(), np.nanmax(fit) if np.isfinite(fit).any() else y.max()))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#9aa5b1"))
    for xv, yv in zip(xs[order], y.ravel()[order], strict=True):
        px = inner.left() + (xv - xs.min()) / ((xs.max() - xs.min()) or 1) * inner.width()
        py = inner.bottom() - (yv - lo) / ((hi - lo) or 1) * inner.height()
        painter.drawEllipse(QPointF(px, py), 1.8, 1.8)
    _curve(painter, inner, np.arange(len(fit)) * (len(fit) - 1) / max(len(fit) - 1, 1),
           fit, lo, hi, PALETTE[0])
    return True


def draw_race(painter: QPainter, box: QRectF, path: Path) -> None:
    """Every racer's path over the playground's view, start to end."""
    from trainlab.playground.racing import Race

    race = Race(path)
    results = race.run()
    _plot_box(painter, box)
    inner = box.adjusted(4, 4, -4, -4)
    if len(race.view) == 2:  # 1-D: the curve f(w), the racers as points on it
        w = np.linspace(*race.view, 200)
        f = np.asarray(race.surface.value(w), float)
        x0, x1 = race.view
        y0, y1 = float(np.nanmin(f)), float(np.nanmax(f))
        curve = np.column_stack([w, f])
        _draw_path(painter, inner, curve, (x0, x1, y0, y1), QColor("#7f8c8d"), dot=False)
        for i, r in enumerate(results.values()):
            pts = np.column_stack([np.asarray(r.points, float)[:, 0], r.losses])
            _draw_path(painter, inner, pts, (x0, x1, y0, y1), QColor(PALETTE[i % len(PALETTE)]))
        return
    for i, r in enumerate(results.values()):
        _draw_path(painter, inner, np.asarray(r.points, float), race.view[:4],
                   QColor(PALETTE[i % len(PALETTE)]))


def _draw_path(painter: QPainter, inner: QRectF, pts: np.ndarray, view, color: QColor,
               dot: bool = True) -> None:
    """A polyline of points (x, y) in ``view`` = (x0, x1, y0, y1), its start marked."""
    x0, x1, y0, y1 = view
    xs = inner.left() + (pts[:, 0] - x0) / ((x1 - x0) or 1) * inner.width()
    ys = inner.bottom() - (pts[:, 1] - y0) / ((y1 - y0) or 1) * inner.height()
    line = QPainterPath()
    ok = np.isfinite(xs) & np.isfinite(ys)
    for k, (px, py) in enumerate(zip(xs[ok], ys[ok], strict=True)):
        line.lineTo(px, py) if k else line.moveTo(px, py)
    painter.setPen(QPen(color, 2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(line)
    painter.setBrush(color)
    if dot and ok.any():
        painter.drawEllipse(QPointF(xs[ok][0], ys[ok][0]), 3, 3)


def to_palette(image: QImage) -> QImage:
    """The image with its 256 most frequent colours (the drawing colours are among them, kept
    exact; antialiased edges take the nearest): a thumbnail full of points stays small."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(rgb.constBits(), np.uint32, rgb.width() * rgb.height())
    colours, counts = np.unique(pixels, return_counts=True)
    table = [int(c) for c in colours[np.argsort(counts)[::-1][:256]]]
    return rgb.convertToFormat(QImage.Format.Format_Indexed8, table,
                               Qt.ImageConversionFlag.AvoidDither)


def render(entry: LessonEntry) -> QImage:
    """The thumbnail of one lesson (trains it briefly)."""
    import json

    image = QImage(*SIZE, QImage.Format.Format_RGB32)
    image.fill(QColor("#f4f6f8"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    w, h = SIZE
    try:
        data = json.loads(entry.path.read_text(encoding="utf-8"))
        if entry.kind == "playground":
            draw_race(painter, QRectF(8, 8, w - 16, h - 16), entry.path)
            return image
        if entry.kind == "sweep":
            from trainlab.sweep.definition import load_sweep

            data = load_sweep(entry.path).base
        runs = _runs(entry.path, data)
        half = QRectF(8, 8, w / 2 - 12, h - 16)
        right = QRectF(w / 2 + 4, 8, w / 2 - 12, h - 16)
        shown = next((x for x in reversed(runs) if x[1].status != "diverged"), runs[-1])
        if not draw_fit(painter, right, *shown):
            half = QRectF(8, 8, w - 16, h - 16)
        draw_losses(painter, half, [r.history["train_loss"] for _, r in runs])
    finally:
        painter.end()
    return image


def make_all(entries: list[LessonEntry], report=print) -> list[Path]:
    """Render and save every entry's thumbnail; returns the files written."""
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.instance() or QGuiApplication([])
    written = []
    for entry in entries:
        out = thumbnail_path(entry.path)
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            image = render(entry)
        except Exception as error:  # noqa: BLE001 - one broken lesson must not stop the rest
            report(f"{entry.path.name}: skipped ({error})")
            continue
        to_palette(image).save(str(out), "PNG", 0)  # 0: the strongest compression
        written.append(out)
        report(f"{out.name}: {out.stat().st_size // 1024} KB")
    return written

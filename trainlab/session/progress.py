"""What the window says about a run in progress: its training time and a one-line status."""

from __future__ import annotations

import time
from typing import Any


class RunClock:
    """Wall-clock seconds of the current run, pauses left out (what the status line shows)."""

    def __init__(self, now=time.perf_counter):
        self._now = now
        self.start = now()
        self.paused_total = 0.0
        self.paused_at: float | None = None

    def state(self, state: str) -> None:
        """Follow the trainer's state: time stands still while it is ``paused``."""
        now = self._now()
        if state == "paused" and self.paused_at is None:
            self.paused_at = now
        elif state != "paused" and self.paused_at is not None:
            self.paused_total += now - self.paused_at
            self.paused_at = None

    def seconds(self) -> float:
        now = self.paused_at if self.paused_at is not None else self._now()
        return now - self.start - self.paused_total


def short_time(seconds: float) -> str:
    """'4.2 s' under a minute, else 'm:ss'."""
    seconds = max(0.0, float(seconds))
    if seconds < 60:
        return f"{seconds:.1f} s"
    m, s = divmod(int(seconds), 60)
    return f"{m}:{s:02d}"


def rate(steps_per_second: float) -> str:
    """'950', '12k', '1.5M'."""
    if steps_per_second >= 1e6:
        return f"{steps_per_second / 1e6:.1f}M"
    if steps_per_second >= 1e3:
        return f"{steps_per_second / 1e3:.0f}k"
    return f"{steps_per_second:.0f}"


def progress_words(epoch: int, epochs: int, step: int = 0, steps_per_epoch: int = 0) -> str:
    """'epoch 41 of 300', and '· update 12 of 14' while an epoch of several updates is under
    way (``step`` of its ``steps_per_epoch`` optimizer steps done)."""
    text = f"epoch {epoch:,} of {epochs:,}"
    if steps_per_epoch > 1 and 0 < step < steps_per_epoch:
        text += f" · update {step} of {steps_per_epoch}"
    return text


def lr_words(history: Any, rows: int) -> str:
    """'η = 0.001': the learning rate of the last recorded epoch ('' before the first row)."""
    if rows < 1 or "lr" not in history:
        return ""
    lr = float(history["lr"][rows - 1])
    return f"η = {lr:.3g}" if lr == lr else ""


def status_text(history: Any, rows: int, task: str, steps_per_second: float,
                elapsed: float) -> str:
    """'η = 0.01 · train loss 0.31 · val loss 0.35 · acc 91.0% · 12k steps/s · 4.2 s' from
    the first ``rows`` rows of ``history`` (the epoch is on the progress bar beside it)."""
    h, n = history, rows
    parts = [lr_words(h, n)] if lr_words(h, n) else []
    if n:
        def last(name):
            return float(h[name][n - 1]) if name in h else float("nan")

        parts.append(f"train loss {last('train_loss'):.4g}")
        val = last("val_loss")
        if val == val:
            parts.append(f"val loss {val:.4g}")
        if task == "classification":
            acc = last("val_acc")
            acc = acc if acc == acc else last("train_acc")
            if acc == acc:
                parts.append(f"acc {100 * acc:.1f}%")
        else:
            r2 = last("val_r2")
            r2 = r2 if r2 == r2 else last("train_r2")
            if r2 == r2:
                parts.append(f"R² {r2:.3f}")
    parts.append(f"{rate(steps_per_second)} steps/s")
    parts.append(short_time(elapsed))
    return " · ".join(parts)

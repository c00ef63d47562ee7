"""What the window remembers between sessions: geometry, dock layout, recent files, last preset."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class Settings:
    """A thin, typed layer over QSettings. Tests pass `path` to use a throwaway INI file."""

    def __init__(self, path: str | Path | None = None):
        if path is None:
            self.qs = QSettings("TrainLab", "TrainLab")
        else:
            self.qs = QSettings(str(path), QSettings.Format.IniFormat)

    # ---- window -----------------------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        value = self.qs.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def window_state(self) -> QByteArray | None:
        value = self.qs.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self.qs.setValue("window/geometry", geometry)
        self.qs.setValue("window/state", state)

    # ---- look -------------------------------------------------------------------------------
    def zoom(self) -> float:
        try:
            return float(self.qs.value("view/zoom") or 1.0)
        except (TypeError, ValueError):
            return 1.0

    def set_zoom(self, zoom: float) -> None:
        self.qs.setValue("view/zoom", float(zoom))

    def theme(self) -> str:
        return str(self.qs.value("view/theme") or "standard")

    def set_theme(self, theme: str) -> None:
        self.qs.setValue("view/theme", theme)

    def speed(self) -> str:
        """The run speed chosen last (a label of trainlab.runs.pacing.SPEEDS)."""
        return str(self.qs.value("run/speed") or "")

    def set_speed(self, label: str) -> None:
        self.qs.setValue("run/speed", label)

    def replay_memory_mb(self, default: int) -> int:
        """Megabytes of weight copies a run keeps for its replay (``default`` if unset or
        unreadable)."""
        try:
            value = int(self.qs.value("run/replay_memory_mb") or default)
        except (TypeError, ValueError):
            return default
        return value if value > 0 else default

    def set_replay_memory_mb(self, mb: int) -> None:
        self.qs.setValue("run/replay_memory_mb", int(mb))

    # ---- files ------------------------------------------------------------------------------
    def recent_files(self) -> list[Path]:
        value = self.qs.value("files/recent") or []
        if isinstance(value, str):
            value = [value]
        return [Path(v) for v in value if v]

    def add_recent(self, path: Path) -> list[Path]:
        path = Path(path).resolve()
        recent = [p for p in self.recent_files() if p != path]
        recent.insert(0, path)
        recent = recent[:MAX_RECENT]
        self.qs.setValue("files/recent", [str(p) for p in recent])
        return recent

    def clear_recent(self) -> None:
        self.qs.setValue("files/recent", [])

    def last_preset(self) -> Path | None:
        value = self.qs.value("files/last_preset")
        return Path(value) if value else None

    def set_last_preset(self, path: Path | None) -> None:
        self.qs.setValue("files/last_preset", str(path) if path else "")

    def last_dir(self) -> str:
        return str(self.qs.value("files/last_dir") or "")

    def set_last_dir(self, path: Path) -> None:
        self.qs.setValue("files/last_dir", str(Path(path).parent))

    def sync(self) -> None:
        self.qs.sync()

"""What the lessons do in the window: Help ▸ Lessons (the browser page, also the start page of
a first start), Help ▸ Formulas and the settings' "?" buttons, opening a lesson by its kind,
training it (a comparison: every variant, one run each, overlaid) and the open lesson's
banner above the plots."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

from trainlab.gui.formulas_view import FormulasView, add_help_buttons
from trainlab.gui.lessons.banner import LessonBanner
from trainlab.gui.lessons.browser import LessonsBrowser
from trainlab.gui.menus import make_action
from trainlab.lessons.index import catalog
from trainlab.lessons.variants import variant_preset
from trainlab.session.lesson import LessonState, VariantQueue, read_lesson

SEEN_KEY = "lessons/seen"  # the browser was shown once: later starts open on the plots
#: The status line of a window ready to train (F5 works everywhere, Space outside text fields).
BROWSING = ("Pick a lesson: Open shows its settings, Train runs it; Close lessons goes to "
            "the settings and plots.")
READY = "Ready. Press Train or F5 to start (Space too, when no text field has the focus)."


class Lessons(QObject):
    """The lessons part of ``window``; shows the browser at once when ``first_start`` and
    the settings say it was never shown."""

    def __init__(self, window: QMainWindow, first_start: bool = False):
        super().__init__(window)
        self.window = window
        #: What the browser hid to take the whole window (docks, the central area's other
        #: parts), shown again when it goes.
        self._stepped_aside: list[QWidget] = []
        self.state = LessonState()
        self.queue = VariantQueue()
        self._base: tuple[dict, Path | None] | None = None
        self.formulas: FormulasView | None = None
        try:
            entries = catalog()
        except (OSError, ValueError):  # a broken lessons folder still leaves a window
            entries = []
        self.browser = LessonsBrowser(entries)
        self.browser.hide()
        self.banner = LessonBanner()
        column = window.centralWidget().layout()
        column.insertWidget(1, self.banner)
        column.addWidget(self.browser, 1)
        self.browser.openRequested.connect(lambda entry: self.open(entry.path))
        self.browser.trainRequested.connect(lambda entry: self.open(entry.path, train=True))
        self.browser.closeRequested.connect(lambda: self.show_browser(False))
        self.banner.tryNext.connect(self.try_next)
        self.banner.trainVariants.connect(self.train_variants)
        self.banner.formulaRequested.connect(self.open_formula)
        self.banner.closeRequested.connect(self.state.close)
        self.state.events.closed.connect(self.banner.hide)
        window.session.runs.events.state_changed.connect(self._state_changed)
        self.help_buttons = add_help_buttons(window.config_panel, self.open_key)
        self.browser_action = make_action(window, "&Lessons", lambda: self.show_browser(True),
                                          "Ctrl+L", "Every lesson of the course, by chapter")
        self.formulas_action = make_action(window, "&Formulas", self.show_formulas, "F1",
                                           "What every setting computes, formula by formula")
        for menu in window.menuBar().findChildren(QMenu):
            if menu.title() == "&Help":
                first = menu.actions()[0] if menu.actions() else None
                menu.insertActions(first, [self.browser_action, self.formulas_action])
                menu.insertSeparator(first)
        window.installEventFilter(self)
        if first_start and not window.settings.qs.value(SEEN_KEY, False, type=bool):
            self.show_browser(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if watched is self.window and event.type() == QEvent.Type.Close and self.browsing:
            self.show_browser(False)  # the window's saved layout keeps its docks
        return False

    # ---- the browser ---------------------------------------------------------------------
    @property
    def browsing(self) -> bool:
        return not self.browser.isHidden()

    def show_browser(self, on: bool = True) -> None:
        """The browser in the window's whole client area (on): the docks and the plots step
        aside; or (off) they come back as they were and the open lesson's banner with them."""
        w = self.window
        if on:
            playground = getattr(w, "playground", None)
            if playground is not None and playground.active:
                playground.set_active(False)
            fresh = not self.browsing
            self.browser.show()
            if fresh:
                self._stepped_aside = []
                self._step_aside()
                # parts a starting window adds (or restores) after this still step aside
                QTimer.singleShot(0, self, self._step_aside)
            self.browser.search.setFocus()
            self.browser.apply_filter()
            w.settings.qs.setValue(SEEN_KEY, True)
            w.notices.status(BROWSING)
        elif self.browsing:
            self.browser.hide()
            for widget in self._stepped_aside:
                widget.show()
            self._stepped_aside = []
            self.banner.setVisible(self.state.current is not None)
            w.notices.status(READY)

    def ready_text(self) -> str:
        """What the status line says on a window's start: how to pick a lesson while the
        browser shows, else how to train."""
        return BROWSING if self.browsing else READY

    def _step_aside(self) -> None:
        """While the browser shows, hide what is shown besides it: the window's docks and
        the other parts of the central area; remember them."""
        if not self.browsing:
            return
        w = self.window
        column = w.centralWidget().layout()
        parts = [column.itemAt(i).widget() for i in range(column.count())]
        docks = [d for d in w.findChildren(QDockWidget) if d.parent() is w]
        shown = [p for p in parts + docks if p is not None and p is not self.browser
                 and p is not self.banner and not p.isHidden()]
        self.banner.hide()
        for widget in shown:
            widget.hide()
        self._stepped_aside += [p for p in shown if p not in self._stepped_aside]

    # ---- opening and training ------------------------------------------------------------
    def open(self, path: Path, train: bool = False) -> bool:
        """Open the lesson file at `path` the way its kind asks (True when it opened); with
        `train`, start training it too."""
        w = self.window
        try:
            lesson = read_lesson(path)
        except (OSError, ValueError) as error:
            w.notices.error(f"Cannot open the lesson {Path(path).name}: {error}")
            return False
        if lesson.kind == "sweep":
            search = getattr(w, "search", None)
            if search is None or not hasattr(search, "open_file"):
                w.notices.error(f"{lesson.title} is a sweep; run it with "
                                f"`trainlab sweep {path}` (this window has no Search view).")
                return False
            opened = search.open_file(Path(path))
        elif hasattr(w, "playground"):
            opened = w.playground.open_file(Path(path), ask=True)
        elif lesson.kind == "preset":
            opened = w.files.open_preset(Path(path))
        else:
            w.notices.error(f"{lesson.title} is a playground file; this window has no "
                            "playground mode to open it in.")
            return False
        if not opened:
            return False
        self.queue.cancel()
        self.show_browser(False)
        self.state.open(lesson)
        self.banner.show_lesson(lesson)
        if lesson.kind == "preset" and train:
            if lesson.variants:
                self.train_variants()
            else:
                w.start_run()
        return True

    def try_next(self, label: str, overrides: dict) -> None:
        draft = self.window.session.draft
        for key, value in overrides.items():
            draft.set(key, value)
        self.window.notices.status(f"{label}: " + ", ".join(
            f"{k} = {v!r}" for k, v in overrides.items()) + ". Press Train to see it.")

    def train_variants(self) -> None:
        """Train every variant of the open comparison on the same data and seed, one run
        after the other, each labelled by its variant; the settings come back at the end."""
        lesson = self.state.current
        if lesson is None or not lesson.variants or self.window.session.runs.active:
            return
        draft = self.window.session.draft
        self._base = (draft.data, draft.path)
        self.queue = VariantQueue(lesson.variants)
        self._next_variant()

    def _next_variant(self) -> None:
        item = self.queue.next()
        if item is None or self._base is None:
            self._restore()
            return
        label, overrides = item
        base, path = self._base
        w = self.window
        w.session.draft.load(variant_preset(base, overrides, label), path)
        if not w.start_run():
            self.queue.cancel()
            self._restore()
            return
        runs = w.session.runs
        runs.set_label(runs.current, label)
        w.notices.status(f"Variant {self.queue.done} of {self.queue.total}: {label}")

    def _restore(self) -> None:
        if self._base is not None:
            base, path = self._base
            self._base = None
            self.window.session.draft.load(base, path)

    def _state_changed(self, state: str) -> None:
        if state != "idle" or self._base is None:
            return
        runs = self.window.session.runs
        entry = runs.entries.get(runs.current) if runs.current is not None else None
        if entry is not None and entry.status == "stopped":
            self.queue.cancel()  # Stop ends the whole comparison
        QTimer.singleShot(0, self, self._next_variant)

    # ---- formulas ------------------------------------------------------------------------
    def formulas_view(self) -> FormulasView:
        if self.formulas is None:
            self.formulas = FormulasView(self.window)
        return self.formulas

    def show_formulas(self) -> None:
        self.formulas_view().show_window()

    def open_key(self, key: str) -> bool:
        """The formulas window at the section of settings key `key` (a choice's own section
        for the value the settings hold)."""
        return self.formulas_view().open_key(key, self.window.session.draft.get(key))

    def open_formula(self, anchor: str) -> bool:
        view = self.formulas_view()
        view.show_window()
        return view.open_section(anchor)

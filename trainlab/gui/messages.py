"""Errors turned into sentences a student understands (the window never shows a traceback)."""

from __future__ import annotations

import traceback


def friendly_error(exc: BaseException) -> str:
    """One or two sentences for `exc`; the technical detail goes last, short."""
    from trainlab.data.errors import DataError
    from trainlab.presets import PresetError

    if isinstance(exc, PresetError):
        problems = getattr(exc, "problems", None) or []
        if problems:
            lines = "; ".join(f"{k}: {m}" if k else m for k, m in problems[:5])
            more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            return f"The settings have a problem: {lines}{more}."
        return f"The settings have a problem: {exc}"
    if isinstance(exc, DataError):
        return f"The data could not be loaded: {exc}"
    if isinstance(exc, MemoryError):
        return ("The computer ran out of memory. Try fewer samples, smaller layers or a "
                "smaller batch.")
    if isinstance(exc, FileNotFoundError):
        return f"File not found: {exc.filename or exc}"
    if isinstance(exc, PermissionError):
        return f"TrainLab may not read or write {exc.filename or 'that file'}: permission denied."
    if isinstance(exc, OSError):
        return f"A file could not be read or written: {exc.strerror or exc}"
    if isinstance(exc, ValueError):
        return f"That did not work: {exc}"
    return f"Something went wrong inside TrainLab ({type(exc).__name__}: {exc})."


def technical_details(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))

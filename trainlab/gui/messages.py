"""Errors turned into sentences a student understands (the window never shows a traceback)."""

from __future__ import annotations

import traceback

MAX_QUOTED = 200  # characters of a key, path or message quoted in one message


def friendly_error(exc: BaseException) -> str:
    """One or two sentences for `exc`; the technical detail goes last, short."""
    from trainlab.data.errors import DataError
    from trainlab.paths import one_line
    from trainlab.presets import PresetError
    from trainlab.runs.runfolder import DiskFull, RunFolderError

    if isinstance(exc, PresetError):
        problems = getattr(exc, "problems", None) or []
        if problems:  # keys and messages may quote a file's text: one escaped line each
            lines = "; ".join(one_line(f"{k}: {m}" if k else m, MAX_QUOTED)
                              for k, m in problems[:5])
            more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            return f"The settings have a problem: {lines}{more}."
        return f"The settings have a problem: {one_line(exc, MAX_QUOTED)}"
    # The first type that ``exc`` is an instance of says it (order: the specific first).
    sentences = (
        (DiskFull, lambda e: f"The disk is full: {one_line(e.path, MAX_QUOTED)} could not be "
         "written. Free some space and train again (the files finished so far are whole)."),
        (RunFolderError, lambda e: f"The run cannot use its folder: {one_line(e, MAX_QUOTED)}"),
        (DataError, lambda e: f"The data could not be loaded: {e}"),
        (MemoryError, lambda e: "The computer ran out of memory. Try fewer samples, smaller "
         "layers or a smaller batch."),
        (FileNotFoundError, lambda e: f"File not found: {e.filename or e}"),
        (PermissionError, lambda e: f"TrainLab may not read or write "
         f"{e.filename or 'that file'}: permission denied."),
        (OSError, lambda e: f"A file could not be read or written: {e.strerror or e}"),
        (ValueError, lambda e: f"That did not work: {e}"),
    )
    for kind, sentence in sentences:
        if isinstance(exc, kind):
            return sentence(exc)
    return f"Something went wrong inside TrainLab ({type(exc).__name__}: {exc})."


def technical_details(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))

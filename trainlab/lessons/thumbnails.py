"""``python -m trainlab.lessons.thumbnails [STEM ...]``: train each shipped lesson briefly and
save a small picture of it to ``resources/lessons/thumbnails/<stem>.png`` for the Lessons
browser. The drawing is Qt's (:mod:`trainlab.gui.lesson_thumbnails`, imported only here)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    from trainlab.lessons.index import catalog

    names = set(sys.argv[1:] if argv is None else argv)
    entries = [e for e in catalog() if not names or e.path.stem in names]
    if names and not entries:
        print(f"no lesson named {', '.join(sorted(names))}", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from trainlab.gui.lesson_thumbnails import make_all

    written = make_all(entries)
    return 0 if len(written) == len(entries) else 1


if __name__ == "__main__":
    sys.exit(main())

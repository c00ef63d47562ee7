"""``python -m trainlab.lessons``: the same as ``python -m trainlab.lessons.thumbnails``."""

import sys

from trainlab.lessons.thumbnails import main

sys.exit(main())

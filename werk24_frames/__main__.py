"""``python -m werk24_frames``: the ``werk24-frames`` command; see :mod:`werk24_frames.cli`."""

import sys

from .cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(prog="python -m werk24_frames"))

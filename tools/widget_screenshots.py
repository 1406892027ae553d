"""Render docs/images/widgets_*.png and report.png: the browser tests' own screenshots of the
gallery, an opened drawing, the static thumbnails and crops, and the top of the HTML report,
taken in headless Chromium.

Run: ``python tools/widget_screenshots.py`` (needs chromium and ``npm ci --prefix tests/browser``,
as ``.ci/run`` installs them).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    env = {**os.environ, "W24_SCREENSHOTS": str(ROOT / "docs" / "images")}
    sys.exit(subprocess.call([sys.executable, "-m", "pytest", "-q", str(ROOT / "tests" / "test_browser.py")], env=env))

"""``python -m werk24_frames.docs``: write the generated reference pages under ``docs/``.

Examples
--------
>>> from werk24_frames.docs import generated_pages
>>> sorted(generated_pages())
['tables.md']
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import schema

__all__ = ["generated_pages", "write"]


def generated_pages() -> dict[str, str]:
    """The pages generated from code, by file name under ``docs/``."""
    return {"tables.md": schema.to_markdown()}


def write(folder: Path) -> list[Path]:
    """Write every generated page into ``folder``; returns the files written."""
    out = []
    for name, text in generated_pages().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "docs"
    for p in write(target):
        print(f"wrote {p}")

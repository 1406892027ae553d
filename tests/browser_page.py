"""Rendering werk24_frames' HTML and widgets in a real browser: Debian's headless Chromium,
driven by Playwright, loading pages from a loopback HTTP server.

Widgets are exported with ipywidgets' embedding (``embed_minimal_html``) and rendered by the
JavaScript of the npm package ``@jupyter-widgets/html-manager`` (installed in
``tests/browser/node_modules`` by ``npm ci``), served from the same server, so nothing is
fetched from the internet. Used by ``tests/test_browser.py`` and
``tools/widget_screenshots.py``.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

MANAGER_DIST = Path(__file__).parent / "browser" / "node_modules" / "@jupyter-widgets" / "html-manager" / "dist"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str | None:
    """The Chromium executable (Debian's package), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing() -> list[str]:
    """What a browser test needs and this machine lacks."""
    out = []
    if chromium() is None:
        out.append("chromium (apt-get install chromium)")
    if not (MANAGER_DIST / "embed.js").is_file():
        out.append("@jupyter-widgets/html-manager (npm ci --prefix tests/browser)")
    return out


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` (and the HTML manager under ``/dist``) on 127.0.0.1; yields the base URL."""
    dist = root / "dist"
    if not dist.exists():
        os.symlink(MANAGER_DIST, dist)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium, started by Playwright from Debian's executable."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def export_widget(widget: Any, path: Path, base_url: str, title: str = "werk24_frames") -> Path:
    """A standalone HTML page of ``widget`` and its state, rendered by the served HTML manager."""
    from ipywidgets.embed import dependency_state, embed_minimal_html

    embed_minimal_html(
        str(path),
        views=[widget],
        title=title,
        state=dependency_state([widget], drop_defaults=True),
        requirejs=False,
        embed_url=f"{base_url}/dist/embed.js",
    )
    return path


def export_html(html: str, path: Path, title: str = "werk24_frames") -> Path:
    """A page holding ``html`` as a notebook output cell would."""
    path.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body style="margin:16px;background:#fff">{html}</body></html>',
        encoding="utf-8",
    )
    return path


def image_widths(page: Any, selector: str = "img") -> list[int]:
    """``naturalWidth`` of every image matching ``selector``, once all have loaded or failed."""
    page.wait_for_function(
        f"Array.from(document.querySelectorAll({selector!r})).every(i => i.complete)", timeout=15_000
    )
    return page.eval_on_selector_all(selector, "els => els.map(i => i.naturalWidth)")

"""The interactive gallery: browse, filter and open the drawings of a corpus in a notebook.

Needs ipywidgets and Pillow (``pip install werk24_frames[widgets]``); this module imports
ipywidgets, the rest of the package does not.

A page of the gallery is one HTML widget holding its tiles, not one widget per thumbnail, so
the number of widget models stays the same however many drawings there are (50 ``Image``
widgets would cost hundreds). Only the visible page's thumbnails are made, each downscaled
with Pillow and cached by (drawing, size), so paging back costs nothing. A drawing is opened
by clicking its tile, or with the ``open_buttons`` under the grid, one per tile in the same
order, labelled with the tile's drawing number. A click on a tile clicks its button (a line of
JavaScript in the tile's ``onclick``), so the kernel sees one widget's value change either way.

Examples
--------
>>> import werk24_frames as wf
>>> gallery = wf.sample_corpus().gallery(page_size=8)
>>> gallery.status.value
'drawings 1–8 of 44 · page 1 of 6'
>>> gallery.next.click()
>>> gallery.status.value
'drawings 9–16 of 44 · page 2 of 6'
>>> gallery.open_buttons.value = gallery.open_buttons.options[0][1]  # as a click on the first tile's button
>>> gallery.detail_box.layout.display is None  # the detail view is shown
True
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pandas as pd

from . import views
from ._extras import require

require("widgets", "the gallery", "ipywidgets")
import ipywidgets as w  # noqa: E402

__all__ = ["Gallery"]

_ALL = "(all)"


def _options(values: pd.Series) -> list[tuple[str, Any]]:
    """Dropdown options: every value with its count, most frequent first, after 'all'."""
    counts = values.dropna().astype(str).value_counts()
    pairs = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(_ALL, None)] + [(f"{v} ({n})", v) for v, n in pairs]


def _clickable(tile: str, i: int) -> str:
    """A tile that, when clicked, clicks the ``i``-th open button of its gallery."""
    js = f"var g=this.closest('.w24-gallery');var b=g&&g.querySelectorAll('.w24-open button')[{i}];if(b)b.click();"
    return f'<div class="w24-tile" data-w24-tile="{i}" style="cursor:pointer" title="open" onclick="{js}">{tile}</div>'


class Gallery(w.VBox):  # type: ignore[misc]
    """A paged grid of drawing thumbnails with filters, and a detail view of one drawing.

    Parameters
    ----------
    corpus
        A :class:`~werk24_frames.Corpus`, or None for an empty gallery filled with
        :meth:`add` (``read_drawings(..., show=True)`` does that as reads finish).
    page_size
        Tiles per page.
    size
        Width of a tile's image in pixels.
    kind
        The image a tile shows: ``"sheet"`` (default), ``"view"``, a legacy thumbnail kind
        (``"page"``, ``"canvas"``, ``"sectional"``), or a list of them, the first one a
        drawing has being shown. A drawing without one gets a placeholder tile.

    Attributes
    ----------
    search, material, family, it_grade
        The filters: a text matched (case-insensitively) against drawing number, part
        number, designation and file name; the material as written; its material family
        (steel, aluminium, ..., as ``metadata.material_family``; also named ``category``); the
        coarsest "finest IT grade" a drawing may have (``it_grade.value = 7`` keeps drawings
        with a feature of IT7 or finer). ``None`` is "(all)".
    prev, next, status
        Paging buttons, and where the page is.
    grid
        The page's tiles (one HTML widget).
    open_buttons
        One toggle button per tile, in tile order: choosing one, or clicking its tile, opens
        that drawing.
    detail, close_button, detail_box
        The opened drawing (:func:`werk24_frames.views.show`: its sheet with the features
        boxed, metadata and features), the button that closes it, and the box holding both
        (hidden while no drawing is open).
    """

    def __init__(
        self, corpus: Any = None, *, page_size: int = 12, size: int = 200, kind: str | Sequence[str] = "sheet"
    ) -> None:
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, not {page_size}")
        self.page_size = page_size
        self.size = size
        self.kinds = views.image_kinds(kind)
        self.page = 0
        self._lock = threading.RLock()
        self._cards = views.empty_cards()
        self._corpora: dict[str, Any] = {}
        self._keys: dict[str, Any] = {}
        self._matches: pd.Index = self._cards.index
        self._quiet = False

        self.search = w.Text(
            placeholder="drawing number, designation, file", description="search", continuous_update=False
        )
        # index=0, not the default None: a Dropdown without an index shows an empty box
        self.material = w.Dropdown(options=[(_ALL, None)], index=0, description="material")
        self.family = w.Dropdown(options=[(_ALL, None)], index=0, description="family")
        self.category = self.family  # the name of this filter before it offered material families
        self.it_grade = w.Dropdown(options=[("any", None)], index=0, description="finest IT ≤")
        self.prev = w.Button(description="◀ previous", layout=w.Layout(width="110px"))
        self.next = w.Button(description="next ▶", layout=w.Layout(width="110px"))
        self.status = w.HTML()
        self.grid = w.HTML()
        self.open_buttons = w.ToggleButtons(options=[], description="open", style={"button_width": "auto"})
        self.open_buttons.add_class("w24-open")  # what a tile's onclick looks for
        self.detail = w.HTML()
        self.close_button = w.Button(description="close ✕", layout=w.Layout(width="90px"))
        self.detail_box = w.VBox([self.close_button, self.detail], layout=w.Layout(display="none"))

        for f in (self.search, self.material, self.family, self.it_grade):
            f.observe(self._filtered, names="value")
        self.prev.on_click(lambda _: self.go(self.page - 1))
        self.next.on_click(lambda _: self.go(self.page + 1))
        self.open_buttons.observe(self._opened, names="value")
        self.close_button.on_click(lambda _: self.select(None))

        filters = w.HBox(
            [self.search, self.material, self.family, self.it_grade], layout=w.Layout(flex_flow="row wrap")
        )
        paging = w.HBox([self.prev, self.next, self.status], layout=w.Layout(align_items="center"))
        super().__init__([filters, paging, self.grid, self.open_buttons, self.detail_box])
        self.add_class("w24-gallery")
        if corpus is not None:
            self.add(corpus)
        else:
            self._refresh()

    # -- data --------------------------------------------------------------------------

    def add(self, corpus: Any) -> None:
        """Add the drawings of ``corpus`` (a drawing already shown is replaced by its new
        answers); the filters' choices grow, the page and filters stay."""
        cards = views.drawing_cards(corpus)
        keys = views.image_keys(corpus, list(cards.index), self.kinds)
        with self._lock:
            for d in cards.index:
                self._corpora[d] = corpus
                self._keys[d] = keys[d][0] if keys[d] else None
            old = self._cards[~self._cards.index.isin(cards.index)]
            self._cards = pd.concat([old, cards]) if len(old) else cards
            self._quiet = True
            try:
                self._set_options(self.material, _options(self._cards["material"]))
                self._set_options(self.family, _options(self._cards["material_family"]))
                grades = sorted(int(g) for g in self._cards["finest_it_grade"].dropna().unique())
                self._set_options(self.it_grade, [("any", None)] + [(f"IT{g}", g) for g in grades])
            finally:
                self._quiet = False
            self._refresh()

    @staticmethod
    def _set_options(dropdown: w.Dropdown, options: list[tuple[str, Any]]) -> None:
        value = dropdown.value
        values = [v for _, v in options]
        dropdown.options = options  # resets the index to None: an empty box in the browser
        dropdown.index = values.index(value) if value in values else 0

    def __len__(self) -> int:
        """The number of drawings in the gallery (before filtering)."""
        return len(self._cards)

    def __bool__(self) -> bool:  # an empty gallery is still a widget to show, not a false value
        return True

    @property
    def matches(self) -> list[str]:
        """The ``drawing_id`` of every drawing the filters let through, in order."""
        return list(self._matches)

    # -- paging, filtering, opening ----------------------------------------------------

    @property
    def n_pages(self) -> int:
        return max(1, -(-len(self._matches) // self.page_size))

    def go(self, page: int) -> None:
        """Show page ``page`` (0-based; clipped to the pages there are)."""
        with self._lock:
            self.page = min(max(page, 0), self.n_pages - 1)
            self._refresh(refilter=False)

    def _filtered(self, _change: Any = None) -> None:
        if not self._quiet:
            with self._lock:
                self.page = 0
                self._refresh()

    def _mask(self) -> pd.Series:
        c = self._cards
        keep = pd.Series(True, index=c.index)
        if self.material.value is not None:
            keep &= (c["material"] == self.material.value).fillna(False)
        if self.family.value is not None:
            keep &= (c["material_family"] == self.family.value).fillna(False)
        if self.it_grade.value is not None:
            keep &= (c["finest_it_grade"] <= self.it_grade.value).fillna(False)
        text = self.search.value.strip().casefold()
        if text:
            hay = c[["title", "part_number", "designation", "source"]].astype("string").fillna("")
            found = pd.Series(False, index=c.index)
            for col in hay.columns:
                found |= hay[col].str.casefold().str.contains(text, regex=False).astype(bool)
            keep &= found
        return keep.astype(bool)

    def _refresh(self, refilter: bool = True) -> None:
        if refilter:
            self._matches = self._cards.index[self._mask().to_numpy()]
            self.page = min(self.page, self.n_pages - 1)
        n = len(self._matches)
        start = self.page * self.page_size
        ids = list(self._matches[start : start + self.page_size])
        page = self._cards.loc[ids]
        tiles = [
            _clickable(views.tile(self._corpora[d], card, self._keys[d], self.size, self.kinds[0]), i)
            for i, (d, card) in enumerate(zip(ids, page.itertuples(), strict=True))
        ]
        if tiles:
            self.grid.value = views.grid(tiles)
            self.status.value = (
                f"drawings {start + 1}–{start + len(ids)} of {n:,} · page {self.page + 1} of {self.n_pages}"
            )
        else:
            empty = "no drawings yet" if not len(self._cards) else "no drawing matches the filters"
            self.grid.value = f'<div style="color:#888;padding:12px">{empty}</div>'
            self.status.value = f"0 of {len(self._cards):,} drawings"
        self.prev.disabled = self.page == 0
        self.next.disabled = self.page >= self.n_pages - 1
        self._quiet = True
        try:
            self.open_buttons.options = [(str(t), d) for d, t in zip(ids, page["title"], strict=True)]
            self.open_buttons.value = None
        finally:
            self._quiet = False

    def _opened(self, change: Any) -> None:
        if not self._quiet and change["new"] is not None:
            self.select(change["new"])

    def select(self, drawing_id: str | None) -> None:
        """Open the detail view of a drawing, named by its ``drawing_id`` or ``drawing_number``
        (None closes it)."""
        with self._lock:
            if drawing_id is None:
                self.detail.value = ""
                self.detail_box.layout.display = "none"
                self._quiet = True
                try:
                    self.open_buttons.value = None
                finally:
                    self._quiet = False
                return
            if drawing_id not in self._corpora:  # a drawing number: as its corpus resolves it
                found = {
                    c.resolve(drawing_id)
                    for c in {id(c): c for c in self._corpora.values()}.values()
                    if drawing_id in c
                }
                if len(found) != 1:
                    how = "names several drawings" if found else "neither a drawing_id nor a drawing_number"
                    raise KeyError(f"no drawing {drawing_id!r} in this gallery: {how}")
                drawing_id = found.pop()
            self.detail.value = views.show(self._corpora[drawing_id], drawing_id).html
            self.detail_box.layout.display = None

    def __repr__(self) -> str:
        return f"<Gallery: {len(self._cards)} drawings, {len(self._matches)} shown in {self.n_pages} pages>"

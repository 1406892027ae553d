"""One drawing of a corpus: what ``for drawing in corpus`` and ``corpus["WF-1012"]`` give.

A :class:`Drawing` holds its corpus and its ``drawing_id``, nothing else: its tables are the
corpus's rows of that drawing, found through an index of row positions the corpus builds once
per table, so iterating over 100,000 drawings stays linear. This module imports only the
schema; the corpus is passed in (and typed only under ``TYPE_CHECKING``).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import schema

if TYPE_CHECKING:
    from ._corpus import Corpus
    from .views import DrawingView

__all__ = ["Drawing"]


class Drawing:
    """One drawing of a corpus: its metadata, its rows of every table, its sheet.

    Made by iterating a corpus or indexing it (``corpus[0]``, ``corpus["WF-1012"]``); shown
    in notebooks as a thumbnail with its caption and counts.

    Attributes
    ----------
    drawing_id
        The drawing's id in its corpus.
    corpus
        The corpus it belongs to.

    Every table of the corpus is an attribute (``drawing.dimensions``, ``drawing.threads``,
    ..., ``drawing.problems``) holding this drawing's rows, and ``drawing.table(name)`` the same.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> corpus = wf.sample_corpus()
    >>> drawing = corpus["WF-1012"]
    >>> drawing.drawing_number, drawing.material_family, len(drawing.dimensions)
    ('WF-1012', 'steel', 20)
    >>> sum(len(d.dimensions) for d in corpus) == len(corpus.dimensions)
    True
    """

    __slots__ = ("corpus", "drawing_id")

    def __init__(self, corpus: Corpus, drawing_id: str) -> None:
        self.corpus = corpus
        self.drawing_id = drawing_id

    # -- metadata --------------------------------------------------------------------

    @property
    def metadata(self) -> pd.Series:
        """The drawing's row of ``corpus.metadata`` (its first, when several pages answered)."""
        rows = self.corpus._rows_of("metadata", self.drawing_id)
        if len(rows):
            return rows.iloc[0]
        return schema.empty_frame("metadata").reindex([0]).iloc[0]

    def _meta(self, column: str) -> Any:
        value = self.metadata[column]
        return None if pd.isna(value) else value

    @property
    def drawing_number(self) -> str | None:
        """The drawing number of the title block, None when it states none."""
        return self._meta("drawing_number")

    @property
    def designation(self) -> str | None:
        """The designation (title) of the part."""
        return self._meta("designation")

    @property
    def material(self) -> str | None:
        """The first material as written on the drawing."""
        return self._meta("material")

    @property
    def material_family(self) -> str | None:
        """The family of its first material (steel, aluminium, ...)."""
        return self._meta("material_family")

    @property
    def source(self) -> str | None:
        """The file its answers came from."""
        return self._meta("source")

    @property
    def title(self) -> str:
        """What captions call it: the drawing number, else the id."""
        return self.drawing_number or self.drawing_id

    # -- tables ------------------------------------------------------------------------

    def table(self, name: str) -> pd.DataFrame:
        """This drawing's rows of the corpus's table ``name`` (a copy; ``problems``: every
        severity, as ``corpus.table("problems")``)."""
        if name not in schema.TABLES:
            raise KeyError(f"no table named {name!r}; the tables are: {', '.join(schema.TABLES)}")
        return self.corpus._rows_of(name, self.drawing_id)

    @property
    def problems(self) -> pd.DataFrame:
        """This drawing's problems of severity error and warning (as ``corpus.problems``)."""
        rows = self.table("problems")
        return rows[(rows["severity"] != "info").to_numpy(dtype=bool, na_value=True)]

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name in schema.TABLES:
            return self.table(name)
        raise AttributeError(f"a Drawing has no {name!r}; its tables are: {', '.join(schema.TABLES)}")

    def __dir__(self) -> list[str]:
        return sorted({*object.__dir__(self), *schema.TABLES})

    # -- raw answers and the sheet ----------------------------------------------------

    def raw_responses(self) -> list[Any]:
        """The untouched answers of this drawing; see :meth:`Corpus.raw_responses`."""
        return self.corpus.raw_responses(self.drawing_id)

    def image(self, kind: str = "sheet", page: int = 0, index: int = 0) -> bytes:
        """The bytes of one of its images; see :meth:`Corpus.image`."""
        return self.corpus.image(self.drawing_id, kind, page, index)

    def show(self, page: int = 0, color_by: str = "table", labels: bool = False, width: int = 900) -> DrawingView:
        """Its sheet with the located features boxed; see :func:`werk24_frames.views.show`."""
        return self.corpus.show(self.drawing_id, page=page, color_by=color_by, labels=labels, width=width)

    # -- display ---------------------------------------------------------------------

    def _counts(self) -> str:
        n_feat = len(self.corpus._rows_of("features", self.drawing_id))
        n_img = len(self.corpus._rows_of("images", self.drawing_id))
        return f"{n_feat} feature{'' if n_feat == 1 else 's'}, {n_img} image{'' if n_img == 1 else 's'}"

    def __repr__(self) -> str:
        name = f"{self.drawing_number} ({self.drawing_id})" if self.drawing_number else self.drawing_id
        return f"<Drawing {name}: {self._counts()}, {self.source}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Drawing) and other.corpus is self.corpus and other.drawing_id == self.drawing_id

    def __hash__(self) -> int:
        return hash((id(self.corpus), self.drawing_id))

    def _repr_html_(self) -> str:
        from . import views

        card = views.drawing_cards(self.corpus, [self.drawing_id]).iloc[0]
        keys = views.image_keys(self.corpus, [self.drawing_id], ("sheet",))[self.drawing_id]
        try:
            tile = views.tile(self.corpus, _Card(card), keys[0] if keys else None, 240)
        except ImportError:  # no Pillow: the caption without the picture
            tile = f"<div style='font-weight:600'>{escape(self.title)}</div>"
        facts = [f"drawing_id {self.drawing_id}", self._counts(), f"source {self.source}"]
        n_problems = len(self.problems)
        if n_problems:
            facts.append(f"{n_problems} problem{'' if n_problems == 1 else 's'}")
        lines = "".join(f"<div>{escape(str(f))}</div>" for f in facts)
        return (
            '<div class="w24-drawing-item" style="display:flex;gap:12px;align-items:flex-start;'
            f'font-family:system-ui,sans-serif;font-size:12px">{tile}<div style="color:#555">{lines}'
            "<div style='color:#888'>drawing.show() boxes its features; drawing.dimensions, "
            "drawing.threads, ... hold its rows</div></div></div>"
        )


class _Card:
    """A row of ``views.drawing_cards`` with attribute access, as ``itertuples`` gives."""

    def __init__(self, row: pd.Series) -> None:
        self.__dict__.update({str(k): v for k, v in row.items()})
        self.Index = row.name

"""Comparing drawings: what changed between revisions (:func:`compare`), and which drawings are
most like one another (:func:`similar`).

- ``_revisions``: a drawing's revision from its answers (``CUSTOMER_INDEX``, a drawing-number
  suffix), the drawings of one number in order (``corpus.revisions()``).
- ``_match``: features of two revisions matched on what they are, and the change rows.
- ``_similar``: a documented feature vector from the cost-driver matrix and a nearest-neighbour
  search (scikit-learn when installed, else chunked numpy).

May import the core (``schema``, ``stats``, ``_corpus`` under ``TYPE_CHECKING``); never views,
plots or widgets (``wf.views.compare`` draws what this finds). See docs/compare.md.

Examples
--------
>>> import werk24_frames as wf
>>> revs = wf.sample_corpus("revisions")
>>> changes = revs.revisions().compare()
>>> changes[changes.tighter.fillna(False)][["drawing_number", "old_label", "new_label", "what"]]
   drawing_number old_label new_label    what
35        WF-2001   15 ±0.1  15 ±0.02  limits
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._match import (
    MAX_MOVE,
    MIN_MOVE,
    TIE,
    Changes,
    Pair,
    changes_frame,
    check_min_move,
    diff_pair,
    match_features,
    moved_by,
)
from ._revisions import Revisions, drawing_revisions, opt_text, order_group, revision_key, revisions, split_revision
from ._similar import DEFAULT_WEIGHTS, similar, similarity_vectors

if TYPE_CHECKING:
    from .._corpus import Corpus

__all__ = [
    "DEFAULT_WEIGHTS",
    "MAX_MOVE",
    "MIN_MOVE",
    "TIE",
    "Changes",
    "Revisions",
    "compare",
    "drawing_revisions",
    "find_pair",
    "match_features",
    "moved_by",
    "opt_text",
    "revision_key",
    "revisions",
    "similar",
    "similarity_vectors",
    "split_revision",
]


def _latest(revs: pd.DataFrame) -> tuple[str, str | None, str | None]:
    """The newest drawing of one number's drawings in one corpus, its revision and the source."""
    ids, sources = order_group(revs, None)
    did = ids[-1]
    return did, opt_text(revs.at[did, "revision"]), sources[-1]


def compare(
    old: Corpus, new: Corpus, mapping: Mapping[str, str] | None = None, *, min_move: float = MIN_MOVE
) -> Changes:
    """What changed from the drawings of ``old`` to those of ``new``: one row per change.

    Drawings are paired by drawing number without its revision suffix (``WF-1015-B`` pairs
    with ``WF-1015``; see :func:`split_revision`), or by ``mapping``; a number with several
    drawings in one corpus is represented by its newest revision there. A new drawing whose
    number is not in ``old`` but that says it replaces one (``REPLACEMENT_FOR``, or a
    ``DRAWING_NUMBER`` of ``period`` ``PREVIOUS``) is paired with it. Features are matched on
    what they are, never on ``reference_id`` (see docs/compare.md). A matched feature whose box
    moved on the sheet farther than ``min_move`` is a ``position`` change.

    Parameters
    ----------
    old, new
        The two corpora, older first.
    mapping
        Pairs to use instead: old drawing (id or number) to new drawing (id or number). Only
        these are compared.
    min_move
        How far a matched feature must move to be a ``position`` change, as a share of the sheet
        (its width and height each counted as 1; see :func:`moved_by`). The default,
        :data:`MIN_MOVE` (0.02), is about 6 mm across an A4 sheet; ``float("inf")`` reports no moves.

    Returns
    -------
    Changes
        A DataFrame (``wf.schema.describe("changes")``) with ``.summary()``; drawings only in
        ``old`` are one ``removed`` row of table ``drawings``, those only in ``new`` one
        ``added`` row.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> revs = wf.sample_corpus("revisions")
    >>> old = revs.select(lambda m: m.drawing_number.isin(["WF-2002 Rev A", "WF-3001"]))
    >>> new = revs.select(lambda m: m.drawing_number.isin(["WF-2002 Rev. B"]))
    >>> changes = wf.compare(old, new)
    >>> changes[["drawing_number", "change", "table", "what", "new_value"]]
      drawing_number   change     table            what         new_value
    0        WF-3001  removed  drawings         drawing              <NA>
    1        WF-2002  changed  metadata  drawing number    WF-2002 Rev. B
    2        WF-2002    added     notes            note  Deburr all holes
    3        WF-2002  removed     bores         feature              <NA>
    """
    min_move = check_min_move(min_move)
    rows: list[tuple[Any, ...]] = []
    if mapping is not None:
        ro, rn = drawing_revisions(old), drawing_revisions(new)
        for a, b in mapping.items():
            oid, nid = old.resolve(a), new.resolve(b)
            pair = Pair(
                opt_text(ro.at[oid, "base_number"]),
                oid,
                nid,
                opt_text(ro.at[oid, "revision"]),
                opt_text(rn.at[nid, "revision"]),
                "argument order",
            )
            rows += diff_pair(old, new, pair, min_move)
        return changes_frame(rows)
    ro, rn = drawing_revisions(old), drawing_revisions(new)
    key_o = ro["base_number"].fillna(pd.Series(ro.index, index=ro.index))
    key_n = rn["base_number"].fillna(pd.Series(rn.index, index=rn.index))
    groups_o = {str(k): g for k, g in ro.groupby(key_o, sort=False)}
    groups_n = {str(k): g for k, g in rn.groupby(key_n, sort=False)}
    # a new number that replaces an old one (and is not itself in old) takes its place
    renamed: dict[str, str] = {}
    for number, g in groups_n.items():
        if number in groups_o:
            continue
        for rep in g["replaces"].dropna():
            target = next((r for r in str(rep).split("|") if r in groups_o and r not in groups_n), None)
            if target is not None:
                renamed[target] = number
                break
    for number, g in groups_o.items():
        for rep in g["replaced_by"].dropna():
            target = next((r for r in str(rep).split("|") if r in groups_n and r not in groups_o), None)
            if target is not None and number not in groups_n:
                renamed.setdefault(number, target)
    numbers = list(dict.fromkeys([*groups_o, *(n for n in groups_n if n not in renamed.values())]))
    for number in numbers:
        g_old = groups_o.get(number)
        new_number = renamed.get(number, number)
        g_new = groups_n.get(new_number)
        o = _latest(g_old) if g_old is not None else (None, None, None)
        n = _latest(g_new) if g_new is not None else (None, None, None)
        if o[0] is not None and n[0] is not None:
            if number != new_number:
                source = "replacement"
            elif o[2] == n[2] and o[2] in ("identifier", "drawing_number"):
                source = str(o[2])
            elif o[1] is not None and n[1] is not None:
                source = f"{o[2]}/{n[2]}"
            else:
                source = "argument order"
        else:
            source = None
        rows += diff_pair(old, new, Pair(number, o[0], n[0], o[1], n[1], source), min_move)
    return changes_frame(rows)


def find_pair(old: Corpus, new: Corpus, name: str) -> tuple[str, str]:
    """The drawing ``name`` names in each corpus: a ``drawing_id`` or ``drawing_number`` as
    ``Corpus.resolve`` takes them, else the newest revision of that base number there.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> from werk24_frames.comparison import find_pair
    >>> revs = wf.sample_corpus("revisions")
    >>> old = revs.select(lambda m: m.source == "WF-2002 plate.pdf")
    >>> find_pair(old, revs, "WF-2002")  # the newest revision of WF-2002 in the second corpus
    ('f6feae20f5b5d9b7', '3009662935fc6000')
    """
    return _find(old, name), _find(new, name)


def _find(corpus: Corpus, name: str) -> str:
    from .._corpus import AmbiguousDrawingError, DrawingNotFoundError

    try:
        return corpus.resolve(name)
    except (DrawingNotFoundError, AmbiguousDrawingError):
        revs = drawing_revisions(corpus)
        base = split_revision(name)[0]
        group = revs[revs["base_number"] == base]
        if group.empty:
            raise
        return _latest(group)[0]

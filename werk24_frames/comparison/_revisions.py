"""Which revision a drawing is, where that came from, and which drawings are revisions of one part.

The werk24 SDK 2.8.0's v2 answers have no revision field. What they do give is read here, in
this order (the first that answers wins, and ``revision_source`` names it):

1. ``identifier``: an identifier of type ``CUSTOMER_INDEX`` (the "Index" of German title blocks).
2. ``drawing_number``: a suffix of the drawing number: ``WF-1015 Rev C``, ``WF-1015 REV. C``,
   ``WF-1015 Index 2``, ``WF-1015_rev_b``, or a dash and one or two capital letters after a
   digit, ``WF-1015-B`` (letters ASME Y14.35 allows: not I, O, Q, S, X, Z). The part before it is the ``base_number`` that pairs revisions.

A drawing where neither answers has no revision (NA). Where revisions cannot put a part's
drawings in order, the order the user gives is used (``order=``; ``argument order`` for
:func:`werk24_frames.compare` of two corpora), else the order the corpus lists them
(``corpus order``). Identifiers of type ``REPLACEMENT_FOR`` / ``REPLACED_BY``, and a
``DRAWING_NUMBER`` with ``period`` ``PREVIOUS``, name another drawing number this one replaces
(or is replaced by): :func:`werk24_frames.compare` pairs by them when the numbers differ.

Imports only pandas and the core; never views or plots.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from .._corpus import Corpus

__all__ = ["drawing_revisions", "revision_key", "split_revision"]

_WORD = re.compile(
    r"^(?P<base>.*?[^\s_\-/.])[\s_\-/.]*(?:rev(?:ision)?|idx|index|ind)\.?[\s_\-:.]*(?P<rev>[A-Za-z0-9]{1,3})$",
    re.IGNORECASE,
)
# ASME Y14.35 leaves out I, O, Q, S, X and Z (they read as digits or other marks), so a suffix
# with them (``-XL``) is part of the number, not a revision.
_LETTER = re.compile(r"^(?P<base>.*\d)-(?P<rev>[A-HJ-NPRTUVWY]{1,2})$")


def opt_text(value: Any) -> str | None:
    """``value`` as text, ``None`` when it is missing (NA, NaN, None)."""
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    return str(value)


def split_revision(number: Any) -> tuple[str | None, str | None]:
    """A drawing number split into its base and its revision suffix (``None`` when it has none).

    Examples
    --------
    >>> from werk24_frames.comparison import split_revision
    >>> split_revision("WF-1015-B"), split_revision("WF-1015 Rev C"), split_revision("WF-1015")
    (('WF-1015', 'B'), ('WF-1015', 'C'), ('WF-1015', None))
    >>> split_revision("A-100 index 2"), split_revision("ABC-12-XL"), split_revision("ABC-12-AB")
    (('A-100', '2'), ('ABC-12-XL', None), ('ABC-12', 'AB'))
    """
    if number is None or (not isinstance(number, str) and pd.isna(number)):
        return None, None
    text = str(number).strip()
    for pattern in (_WORD, _LETTER):
        m = pattern.match(text)
        if m:
            return m.group("base").strip(), m.group("rev").upper()
    return text, None


def revision_key(revision: Any) -> tuple[int, int, str] | None:
    """A sort key for a revision: numbers by value, letters as drawings count them
    (A < B < … < Z < AA); ``None`` for NA. Numbers sort before letters.

    Examples
    --------
    >>> from werk24_frames.comparison import revision_key
    >>> sorted(["B", "AA", "C", "2", "10"], key=revision_key)
    ['2', '10', 'B', 'C', 'AA']
    """
    if revision is None or (not isinstance(revision, str) and pd.isna(revision)):
        return None
    text = str(revision).strip().upper()
    if text.isdigit():
        return (0, int(text), "")
    return (1, len(text), text)


def _identifier_values(corpus: Corpus, types: tuple[str, ...], period: str | None = None) -> dict[str, list[str]]:
    ids = corpus._frame("identifiers")
    mask = ids["identifier_type"].isin(types).to_numpy(dtype=bool, na_value=False)
    if period is not None:
        mask = mask & (ids["period"] == period).to_numpy(dtype=bool, na_value=False)
    out: dict[str, list[str]] = {}
    for did, value in ids.loc[mask, ["drawing_id", "value"]].itertuples(index=False):
        if pd.notna(value) and str(value).strip():
            out.setdefault(str(did), []).append(str(value).strip())
    return out


def drawing_revisions(corpus: Corpus) -> pd.DataFrame:
    """One row per drawing: its number, base number, revision and where the revision came from.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``drawing_id``, in corpus order: ``drawing_number``, ``base_number`` (the
        number without a revision suffix; pairs revisions), ``revision`` (NA when the answers
        give none), ``revision_source`` (``identifier``, ``drawing_number`` or NA),
        ``replaces`` (base numbers this drawing says it replaces, ``|``-joined, or NA) and
        ``replaced_by`` (likewise), and ``source``.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> from werk24_frames.comparison import drawing_revisions
    >>> revs = drawing_revisions(wf.sample_corpus("revisions"))
    >>> revs[revs.base_number == "WF-2002"][["drawing_number", "revision", "revision_source"]].values.tolist()
    [['WF-2002 Rev. B', 'B', 'drawing_number'], ['WF-2002 Rev A', 'A', 'drawing_number']]
    """
    meta = corpus._frame("metadata").drop_duplicates("drawing_id")
    ids = [str(d) for d in meta["drawing_id"]]
    index = dict(zip(ids, meta["drawing_number"], strict=True))
    sources = dict(zip(ids, meta["source"], strict=True))
    index_ids = _identifier_values(corpus, ("CUSTOMER_INDEX",))
    replaces = _identifier_values(corpus, ("REPLACEMENT_FOR",))
    for did, values in _identifier_values(corpus, ("DRAWING_NUMBER",), period="PREVIOUS").items():
        replaces.setdefault(did, []).extend(values)
    replaced_by = _identifier_values(corpus, ("REPLACED_BY",))
    rows = []
    for did in ids:
        number = index[did]
        number = None if pd.isna(number) else str(number)
        base, suffix = split_revision(number)
        revision, source = None, None
        if did in index_ids:
            revision, source = index_ids[did][0].upper(), "identifier"
        elif suffix is not None:
            revision, source = suffix, "drawing_number"
        rep = [b for b in (split_revision(v)[0] for v in replaces.get(did, [])) if b and b != base]
        rby = [b for b in (split_revision(v)[0] for v in replaced_by.get(did, [])) if b and b != base]
        rows.append(
            (
                did,
                number,
                base,
                revision,
                source,
                "|".join(dict.fromkeys(rep)) or None,
                "|".join(dict.fromkeys(rby)) or None,
                sources[did],
            )
        )
    cols = ["drawing_id", "drawing_number", "base_number", "revision", "revision_source", "replaces", "replaced_by"]
    out = pd.DataFrame(rows, columns=[*cols, "source"]).astype("string")
    return out.set_index("drawing_id")


def order_group(revs: pd.DataFrame, order: list[str] | None) -> tuple[list[str], list[str]]:
    """The drawing ids of one part's drawings (``revs``: rows of :func:`drawing_revisions`),
    oldest first, and for each the source of its place in that order.

    The revisions decide when every drawing has one, all of one kind (numbers or letters) and
    no two equal; a drawing without one among lettered ones is taken as the first issue (the
    common unlettered initial release). Otherwise ``order`` (drawing ids or source names,
    oldest first) decides, else the corpus order.
    """
    ids = list(revs.index)
    if order is not None:
        place = {name: k for k, name in enumerate(order)}
        ranks = [place.get(d, place.get(str(revs.at[d, "source"]))) for d in ids]
        if all(r is not None for r in ranks):
            ranked = sorted(zip(ranks, ids, strict=True), key=lambda t: t[0])  # type: ignore[arg-type,return-value]
            return [d for _, d in ranked], ["order"] * len(ids)
    keys = [revision_key(revs.at[d, "revision"]) for d in ids]
    known = [k for k in keys if k is not None]
    kinds = {k[0] for k in known}
    if len(known) == len(set(known)) and len(kinds) <= 1 and len(known) >= len(ids) - 1 and known:
        if len(known) == len(ids):
            ranked_ids = [d for _, d in sorted(zip(keys, ids, strict=True), key=lambda t: t[0])]  # type: ignore[arg-type,return-value]
            return ranked_ids, [str(revs.at[d, "revision_source"]) for d in ranked_ids]
        first = ids[keys.index(None)]
        rest = sorted(((k, d) for k, d in zip(keys, ids, strict=True) if k is not None), key=lambda t: t[0])
        ranked_ids = [first, *(d for _, d in rest)]
        return ranked_ids, ["unlettered first", *(str(revs.at[d, "revision_source"]) for d in ranked_ids[1:])]
    return ids, ["corpus order"] * len(ids)


class Revisions:
    """The drawings of a corpus that share a drawing number, in revision order. Made by
    ``corpus.revisions()``; :meth:`compare` gives what changed from each revision to the next.

    ``table`` has one row per drawing of a number with more than one drawing: ``drawing_number``
    (the base number), ``drawing_id``, ``revision``, ``position`` (0 for the oldest) and
    ``revision_source`` (what put it in that place).
    """

    def __init__(self, corpus: Corpus, table: pd.DataFrame) -> None:
        self.corpus = corpus
        self.table = table

    def __len__(self) -> int:
        return int(self.table["drawing_number"].nunique())

    def __repr__(self) -> str:
        return f"<Revisions: {len(self)} drawing numbers, {len(self.table)} drawings>"

    def _repr_html_(self) -> str:
        return f"<div>{len(self)} drawing numbers with several revisions</div>" + self.table.to_html(escape=True)

    def compare(self, *, min_move: float | None = None) -> Any:
        """What changed from each revision to the next: one :class:`~werk24_frames.comparison.Changes`
        frame for every consecutive pair. ``min_move`` is :func:`werk24_frames.compare`'s (a matched
        feature that moved farther is a ``position`` change; default ``MIN_MOVE``, 0.02 of the sheet).

        Examples
        --------
        >>> import werk24_frames as wf
        >>> changes = wf.sample_corpus("revisions").revisions().compare()
        >>> sorted(changes["drawing_number"].unique())
        ['WF-2001', 'WF-2002', 'WF-2003']
        """
        from ._match import MIN_MOVE, Pair, changes_frame, check_min_move, diff_pair

        move = check_min_move(MIN_MOVE if min_move is None else min_move)

        rows: list[tuple[Any, ...]] = []
        for number, group in self.table.groupby("drawing_number", sort=False):
            g = group.sort_values("position")
            recs = g.to_dict("records")
            for a, b in itertools.pairwise(recs):
                first = a["revision_source"] in ("unlettered first", "order", "corpus order")
                source = a["revision_source"] if first else b["revision_source"]
                pair = Pair(str(number), a["drawing_id"], b["drawing_id"], a["revision"], b["revision"], source)
                rows += diff_pair(self.corpus, self.corpus, pair, move)
        return changes_frame(rows)


def revisions(corpus: Corpus, order: Any = None) -> Revisions:
    """The drawings that share a (base) drawing number, oldest first; see :class:`Revisions`.

    Parameters
    ----------
    corpus
        The corpus.
    order
        Drawing ids or source file names, oldest first: decides the order of each number's
        drawings it names all of (``revision_source`` ``order``). Without it the revisions the
        answers give decide, else the corpus order.
    """
    revs = drawing_revisions(corpus)
    if order is not None:
        order = [corpus.resolve(o) if o in corpus and o not in set(revs["source"].dropna()) else str(o) for o in order]
    rows = []
    for base, group in revs.groupby("base_number", sort=False):
        if len(group) < 2:
            continue
        ids, sources = order_group(group, order)
        for k, (did, src) in enumerate(zip(ids, sources, strict=True)):
            rows.append((base, did, group.at[did, "revision"], k, src))
    table = pd.DataFrame(rows, columns=["drawing_number", "drawing_id", "revision", "position", "revision_source"])
    table = table.astype(
        {"drawing_number": "string", "drawing_id": "string", "revision": "string", "revision_source": "string"}
    )
    return Revisions(corpus, table)

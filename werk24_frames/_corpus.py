"""The Corpus: every drawing's answers as typed tables, plus the problems met on the way."""

from __future__ import annotations

import difflib
import os
import ssl
import uuid
import weakref
from collections import ChainMap
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from . import schema
from ._accessor import CORPUS_PLOTS, CORPUS_STATS, Bound
from ._drawing import Drawing
from ._flatten import Flattener
from ._imageinfo import read_head, sniff
from ._materials import add_material_columns
from ._sources import Drawing as _Record
from ._sources import (
    ProblemRow,
    SourceError,
    drawings_from_messages,
    drawings_from_paths,
    drawings_from_responses,
    shown,
)
from ._units import LENGTH_TO_MM, MASS_TO_KG, VOLUME_TO_CM3, factors
from .tolerances import add_limits, parse_general_tolerance

if TYPE_CHECKING:
    from .comparison import Revisions
    from .io._plan import ReadyTables
    from .report import Report
    from .views import DrawingView, Thumbnails
    from .widgets import Gallery

__all__ = ["AmbiguousDrawingError", "Corpus", "DrawingNotFoundError", "from_messages", "from_responses", "load"]

PathLike = str | os.PathLike[str]

#: The ``DataFrame.attrs`` entry naming the corpus a table was built by (see :func:`corpus_of`).
ATTRS_KEY = "werk24_frames.corpus"
_CORPORA: weakref.WeakValueDictionary[str, Corpus] = weakref.WeakValueDictionary()


def corpus_of(df: pd.DataFrame) -> Corpus | None:
    """The corpus whose table ``df`` is, or a slice of (through ``df.attrs``); None when it is
    not known: a table of another session, a concat of several corpora's tables."""
    key = df.attrs.get(ATTRS_KEY)
    return _CORPORA.get(key) if isinstance(key, str) else None


if int(pd.__version__.split(".")[0]) < 3:  # pragma: no cover - pandas 3 always copies on write
    # The tables a corpus hands out are shallow copies, which are independent of the corpus's
    # own only under copy-on-write: pandas 3's behaviour, switched on here for pandas 2.2.
    pd.set_option("mode.copy_on_write", True)


class DrawingNotFoundError(KeyError):
    """No drawing of the corpus has this ``drawing_id`` or ``drawing_number``."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


class AmbiguousDrawingError(KeyError):
    """A drawing number names several drawings (revisions, duplicates) where one is needed.

    ``candidates`` holds their ``drawing_id``, ``drawing_number`` and ``source``; pass one of the
    ids instead, or ``corpus.select(number)`` to take them all.
    """

    def __init__(self, message: str, candidates: pd.DataFrame) -> None:
        super().__init__(message)
        self.candidates = candidates

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# Shown (and pickled) as the names users import: wf.DrawingNotFoundError, wf.AmbiguousDrawingError.
DrawingNotFoundError.__module__ = AmbiguousDrawingError.__module__ = "werk24_frames"


class _Slice:
    """What a corpus made by :meth:`Corpus.select` keeps of its parent's reading (the part of
    a :class:`~werk24_frames._flatten.Flattener` a corpus uses after its tables are built)."""

    def __init__(self, drawing_ids: list[str], problems: list[ProblemRow], image_bytes: dict[Any, bytes]) -> None:
        self.drawing_ids = drawing_ids
        self.problems = problems
        self.image_bytes = image_bytes


class Corpus:
    """The answers of Werk24 about many drawings, as tidy pandas tables.

    Build one with :func:`werk24_frames.load`, :func:`werk24_frames.from_responses` or
    :func:`werk24_frames.from_messages`. Every table is a property that is built on first use
    and then kept; each has the columns and dtypes documented in :mod:`werk24_frames.schema`
    (``wf.schema.describe(name)``), also when it is empty.

    Each access hands out a copy of the table (a cheap one: pandas' copy-on-write shares the
    data until either side changes it), so adding a column or editing a value never changes
    the corpus, its statistics or its exports.

    A drawing is named by its ``drawing_id`` or its ``drawing_number`` wherever one drawing is
    asked for (``corpus.show("WF-1012")``, ``corpus["WF-1012"]``); ``corpus.select(...)`` makes a
    corpus of some drawings, and iterating gives one :class:`~werk24_frames.Drawing` each.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> corpus = wf.from_responses([{"ask_version": "v2", "ask_type": "FEATURES",
    ...     "dimensions": [{"reference_id": 0, "label": "12 ±0.1", "quantity": 1,
    ...         "confidence": {"score": "0.96"},
    ...         "size": {"value": "12", "unit": "mm", "size_type": "LINEAR",
    ...                  "tolerance": {"deviation_lower": "-0.1", "deviation_upper": "0.1"}}}]}],
    ...     drawing_id="adapter")
    >>> corpus.dimensions[["drawing_id", "label", "nominal", "deviation_upper"]]
      drawing_id    label  nominal  deviation_upper
    0    adapter  12 ±0.1     12.0              0.1
    >>> steel = wf.sample_corpus().select(lambda m: m.material_family == "steel")
    >>> len(steel), steel.metadata["material_family"].unique().tolist()
    (29, ['steel'])
    """

    _flat: Flattener | _Slice

    def __init__(
        self, drawings: Iterable[_Record] = (), problems: Iterable[ProblemRow] = (), *, ready: ReadyTables | None = None
    ) -> None:
        flat = Flattener()
        self._raw: MutableMapping[str, Any] = {}
        # Tables built elsewhere (the table cache, chunks, a dataset): taken as they are.
        self._ready = ready
        if ready is not None:
            flat.drawing_ids.extend(ready.drawing_ids)
            flat.image_bytes.update(ready.image_bytes)
            self._raw = ChainMap({}, cast(Any, ready.raw))  # looked up, not copied: rereaders made when asked for
        for d in drawings:
            flat.add(d)
            self._raw[d.drawing_id] = d.raw
            d.entries = []  # the answers are in the tables now; raw_responses() re-reads them
        flat.problems.extend(problems)
        self._flat = flat
        self._setup()

    def _setup(self) -> None:
        self._frames: dict[str, pd.DataFrame] = {}
        self._groups: dict[str, dict[Any, Any]] = {}  # table -> drawing_id -> row positions
        self._numbers: dict[str, list[str]] | None = None  # drawing_number -> drawing ids
        self._image_paths: dict[tuple[str, str, int, int], str] = {}
        # Tables carry this key in ``attrs`` (pandas keeps it through slicing), so that
        # ``df.w24.crops()`` finds the corpus a slice came from.
        self._key = uuid.uuid4().hex
        _CORPORA[self._key] = self

    # -- generic access ----------------------------------------------------------------

    @property
    def drawing_ids(self) -> list[str]:
        """The ids of the drawings, in the order they were read.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> wf.sample_corpus().drawing_ids[:2]
        ['01c674c49562d9de', '0665e459e58f4bd4']
        """
        return list(self._flat.drawing_ids)

    def __len__(self) -> int:
        return len(self._flat.drawing_ids)

    def _n_rows(self, name: str) -> int:
        """Rows of a table, without building it."""
        if name in self._frames:
            return len(self._frames[name])
        if self._ready is not None:
            if name == "features":
                return sum(self._ready.n_rows(t) for t in schema.FEATURE_TABLES)
            return self._ready.n_rows(name)
        if isinstance(self._flat, Flattener):
            if name == "features":
                return sum(len(self._flat.rows[t]) for t in schema.FEATURE_TABLES)
            return len(self._flat.rows[name])
        return len(self._frame(name))

    def _severities(self) -> dict[str, int]:
        """Problems found so far, by severity (without building the tables)."""
        counts = {"error": 0, "warning": 0, "info": 0}
        if self._ready is not None:  # read from the cache: the table is there already
            for severity, n in self._frame("problems")["severity"].value_counts().items():
                counts[str(severity)] = int(n)
            return counts
        for p in self._flat.problems:
            counts[p[5]] = counts.get(p[5], 0) + 1
        return counts

    def _problem_summary(self) -> str:
        """``3 warnings, 0 errors (+9,000 info)``."""
        n = self._severities()
        text = f"{n['error']:,} error{'' if n['error'] == 1 else 's'}, {n['warning']:,} warning{'' if n['warning'] == 1 else 's'}"
        return text + (f" (+{n['info']:,} info)" if n["info"] else "")

    def __repr__(self) -> str:
        n_feat = sum(self._n_rows(t) for t in schema.FEATURE_TABLES)
        return (
            f"<Corpus: {len(self)} drawings, {self._n_rows('dimensions')} dimensions, "
            f"{n_feat} features, {self._n_rows('images')} images; "
            f"problems so far: {self._problem_summary()}>"
        )

    def _repr_html_(self) -> str:
        """A summary for notebooks: table sizes, problems, the first drawings."""
        cell = "padding:2px 8px;text-align:left"
        sizes = [(t, self._n_rows(t)) for t in schema.TABLES if t != "problems"]
        sizes = [(t, n) for t, n in sizes if n]
        size_rows = "".join(
            f'<tr><td style="{cell}">{t}</td><td style="{cell};text-align:right">{n:,}</td></tr>' for t, n in sizes
        )
        meta = self._frame("metadata").drop_duplicates("drawing_id")
        cols = [c for c in ("drawing_number", "designation", "material", "material_family", "source") if c in meta]
        head = meta.head(8)
        th = "".join(f'<th style="{cell}">{c}</th>' for c in ["drawing_id", *cols])
        body = "".join(
            "<tr>" + "".join(f'<td style="{cell}">{"" if pd.isna(v) else escape(str(v))}</td>' for v in r) + "</tr>"
            for r in head[["drawing_id", *cols]].itertuples(index=False)
        )
        more = (
            f'<div style="color:#888">… and {len(meta) - len(head):,} more drawings</div>'
            if len(meta) > len(head)
            else ""
        )
        families = meta["material_family"].astype("string").fillna("(none)").value_counts()
        fam = ", ".join(f"{escape(str(k))} {v:,}" for k, v in families.items())
        return (
            '<div class="w24-corpus" style="font-family:system-ui,sans-serif;font-size:13px">'
            f'<div style="font-weight:600;font-size:15px">Corpus: {len(self):,} drawings</div>'
            f"<div>problems so far: {escape(self._problem_summary())}"
            ' <span style="color:#888">(<code>corpus.problems</code>; every row with info: '
            '<code>corpus.table("problems")</code>)</span></div>'
            f"<div>material families: {fam}</div>"
            '<div style="display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap;margin-top:6px">'
            f'<table style="border-collapse:collapse"><thead><tr><th style="{cell}">table</th>'
            f'<th style="{cell}">rows</th></tr></thead><tbody>{size_rows}</tbody></table>'
            f'<div><table style="border-collapse:collapse"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>{more}</div>'
            "</div></div>"
        )

    # -- naming drawings ---------------------------------------------------------------

    def _number_index(self) -> dict[str, list[str]]:
        if self._numbers is None:
            m = self._frame("metadata")[["drawing_id", "drawing_number"]].dropna().drop_duplicates()
            numbers: dict[str, list[str]] = {}
            for did, number in m.itertuples(index=False):
                numbers.setdefault(str(number), []).append(str(did))
            self._numbers = numbers
        return self._numbers

    def _ids_named(self, name: Any) -> list[str]:
        """The drawings ``name`` names: itself when it is a ``drawing_id`` (ids come first),
        else every drawing with that ``drawing_number``; none when it is neither."""
        if isinstance(name, Drawing):
            name = name.drawing_id
        if not isinstance(name, str):
            raise TypeError(
                f"a drawing is named by its drawing_id or drawing_number (a str), not {type(name).__name__}"
            )
        if name in self._raw:
            return [name]
        return list(self._number_index().get(name, ()))

    def _not_found(self, names: list[str]) -> DrawingNotFoundError:
        known = [*self._raw, *self._number_index()]
        close: list[str] = []
        if len(known) <= 20_000:  # difflib is quadratic-ish; not worth it on huge corpora
            for n in names[:3]:
                close += difflib.get_close_matches(n, known, n=3, cutoff=0.75)
        hint = f"; did you mean {', '.join(map(repr, dict.fromkeys(close)))}?" if close else ""
        what = ", ".join(map(repr, names[:5])) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        return DrawingNotFoundError(
            f"no drawing {what} in this corpus: neither a drawing_id nor a drawing_number of its "
            f"{len(self):,} drawings{hint}"
        )

    def resolve(self, name: str | Drawing) -> str:
        """The ``drawing_id`` of the one drawing ``name`` names: a ``drawing_id``, or a
        ``drawing_number`` (ids win where a text is both).

        Every method that takes one drawing (``show``, ``image``, ``raw_responses``, ``corpus[...]``)
        names it this way.

        Raises
        ------
        DrawingNotFoundError
            (a ``KeyError``) No drawing has this id or number.
        AmbiguousDrawingError
            (a ``KeyError``) The number names several drawings; the message and
            ``candidates`` list their ids and sources. ``corpus.select(number)`` takes them all.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.resolve("WF-1012")
        '01c674c49562d9de'
        >>> corpus.resolve("01c674c49562d9de")
        '01c674c49562d9de'
        >>> corpus.resolve("WF-9999")
        Traceback (most recent call last):
        ...
        werk24_frames.DrawingNotFoundError: no drawing 'WF-9999' in this corpus: neither a drawing_id nor a drawing_number of its 44 drawings
        """
        ids = self._ids_named(name)
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise self._not_found([str(name)])
        m = self._frame("metadata").drop_duplicates("drawing_id").set_index("drawing_id")
        cand = m.loc[ids, ["drawing_number", "source"]].reset_index()
        listing = "; ".join(f"{d} ({s})" for d, s in zip(cand["drawing_id"], cand["source"], strict=True))
        raise AmbiguousDrawingError(
            f"drawing number {name!r} names {len(ids)} drawings: {listing}. Pass one drawing_id, "
            f"or corpus.select({name!r}) to take them all",
            cand,
        )

    def _select_ids(self, which: Any) -> list[str]:
        if callable(which) and not isinstance(which, pd.Series | pd.DataFrame):
            which = which(self._frame("metadata"))
        if isinstance(which, str | Drawing):
            wanted = set(self._ids_named(which))
            if not wanted:
                raise self._not_found([str(getattr(which, "drawing_id", which))])
        elif isinstance(which, pd.DataFrame):
            if "drawing_id" not in which.columns:
                raise KeyError("select takes rows of a werk24_frames table (with a drawing_id column); these have none")
            wanted = set(which["drawing_id"].dropna().astype(str))
        else:
            values = pd.Series(which) if not isinstance(which, pd.Series) else which
            if pd.api.types.is_bool_dtype(values.dtype):
                meta = self._frame("metadata")
                if len(values) != len(meta) or (isinstance(which, pd.Series) and not which.index.equals(meta.index)):
                    raise ValueError(
                        f"a boolean mask selects rows of corpus.metadata ({len(meta)} rows), not {len(values)} rows; "
                        "for another table pass the rows themselves: corpus.select(dims[dims.it_grade <= 7])"
                    )
                wanted = set(meta.loc[values.fillna(False).to_numpy(dtype=bool), "drawing_id"].astype(str))
            else:
                wanted, missing = set(), []
                for name in values.dropna().tolist():
                    ids = self._ids_named(name)
                    if not ids:
                        missing.append(str(name))
                    wanted.update(ids)
                if missing:
                    raise self._not_found(missing)
        return [d for d in self._flat.drawing_ids if d in wanted]

    def select(self, which: Any) -> Corpus:
        """A corpus of some of the drawings: their rows of every table, their problems.

        Parameters
        ----------
        which
            - a boolean mask over ``corpus.metadata`` (``corpus.metadata.material_family == "steel"``),
              or a function of ``metadata`` returning one;
            - rows of any table (a DataFrame with ``drawing_id``): the drawings they belong to;
            - a ``drawing_id`` or ``drawing_number``, or a list of them (a number takes every
              drawing that has it).

        Returns
        -------
        Corpus
            The drawings in the order of this corpus. The tables are this corpus's rows of those
            drawings (renumbered from 0); problems not tied to a drawing (a stray file) are left
            out. Cheap: the tables are filtered, not read again.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> steel = corpus.select(corpus.metadata.material_family == "steel")
        >>> len(steel), len(steel.dimensions) < len(corpus.dimensions)
        (29, True)
        >>> dims = corpus.dimensions
        >>> len(corpus.select(dims[dims.it_grade <= 6]))  # the drawings with a dimension of IT6 or finer
        8
        >>> corpus.select(["WF-1012", "WF-1007"]).metadata["drawing_number"].tolist()
        ['WF-1012', 'WF-1007']
        """
        ids = self._select_ids(which)
        frames = {name: self._frame(name) for name in schema.TABLES if name != "problems"}
        keep = set(ids)
        flat = self._flat
        new = Corpus.__new__(Corpus)
        new._flat = _Slice(
            list(ids),
            [p for p in flat.problems if p[0] in keep],
            {k: v for k, v in flat.image_bytes.items() if k[0] in keep},
        )
        new._raw = {d: self._raw[d] for d in ids}
        new._ready = None  # the tables are taken from this corpus below
        new._setup()
        new._image_paths = {k: v for k, v in self._image_paths.items() if k[0] in keep}  # filled with `images`
        for name, df in frames.items():
            sub = df[df["drawing_id"].isin(ids).to_numpy(dtype=bool, na_value=False)].reset_index(drop=True)
            sub.attrs[ATTRS_KEY] = new._key
            new._frames[name] = sub
        return new

    def __iter__(self) -> Iterator[Drawing]:
        """One :class:`~werk24_frames.Drawing` per drawing, in corpus order."""
        return (Drawing(self, d) for d in self._flat.drawing_ids)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str | Drawing) and bool(self._ids_named(name))

    def __getitem__(self, key: Any) -> Any:
        """``corpus[0]``, ``corpus["WF-1012"]``: one :class:`~werk24_frames.Drawing` (by position,
        id or drawing number); ``corpus[2:5]``, ``corpus[mask]``, ``corpus[["WF-1012", ...]]``: a
        corpus, as :meth:`select`.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus["WF-1012"]
        <Drawing WF-1012 (01c674c49562d9de): 27 features, 1 image, WF-1012 plate.pdf>
        >>> corpus[0].drawing_id == corpus.drawing_ids[0]
        True
        >>> len(corpus[:5])
        5
        """
        if isinstance(key, int | np.integer):
            ids = self._flat.drawing_ids
            try:
                return Drawing(self, ids[int(key)])
            except IndexError:
                raise IndexError(f"drawing {int(key)} of a corpus of {len(ids)}") from None
        if isinstance(key, str | Drawing):
            return Drawing(self, self.resolve(key))
        if isinstance(key, slice):
            return self.select(list(self._flat.drawing_ids[key]))
        return self.select(key)

    def _frame(self, name: str) -> pd.DataFrame:
        """The corpus's own table (not a copy): for the corpus's own use only."""
        if name not in schema.TABLES:
            raise KeyError(f"no table named {name!r}; the tables are: {', '.join(schema.TABLES)}")
        if name not in self._frames:
            from .io._plan import paused_gc

            with paused_gc():
                df = self._build(name)
            df.attrs[ATTRS_KEY] = self._key
            self._frames[name] = df
        return self._frames[name]

    def table(self, name: str) -> pd.DataFrame:
        """A table by name, e.g. ``corpus.table("dimensions")``; see ``wf.schema.table_names()``.

        Each call returns a copy that is yours to change (cheap: copy-on-write). ``table("problems")``
        is the whole problems table, ``info`` rows included (``corpus.problems`` leaves them out).

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> dims = corpus.table("dimensions")
        >>> dims["nominal"] = 0.0  # changes this copy only
        >>> bool((corpus.dimensions["nominal"] == 0).all())
        False
        """
        return self._frame(name).copy(deep=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table, by name (``problems`` last and whole, so it holds what building the
        others found).

        Examples
        --------
        >>> import werk24_frames as wf
        >>> list(wf.sample_corpus().tables())[:3]
        ['metadata', 'identifiers', 'designations']
        """
        out = {name: self.table(name) for name in schema.TABLES if name != "problems"}
        out["problems"] = self.table("problems")
        return out

    def _rows_of(self, name: str, drawing_id: str) -> pd.DataFrame:
        """The rows of table ``name`` of one drawing (a copy), found through an index of row
        positions built once per table, so iterating a corpus stays linear."""
        df = self._frame(name)
        groups = self._groups.get(name)
        if groups is None:
            groups = self._groups[name] = df.groupby("drawing_id", sort=False, observed=True).indices
        pos = groups.get(drawing_id)
        return df.iloc[pos] if pos is not None else df.iloc[:0]

    def _build(self, name: str) -> pd.DataFrame:
        if self._ready is not None and name != "features":
            df = self._ready.table(name)
            if name == "problems" and self._flat.problems:  # found since: a cache entry rebuilt, an image
                df = pd.concat([df, self._problems()], ignore_index=True)
            if name == "images":
                # Read from files a cold load checked to lie inside their drawing's folder;
                # _image_file checks again, when one is read, that it is still a plain file there.
                cols = [df[c].tolist() for c in ("drawing_id", "kind", "page", "image_index", "path")]
                for did, kind, page, index, path in zip(*cols, strict=True):
                    if isinstance(path, str):
                        self._image_paths[(str(did), str(kind), int(page), int(index))] = path
            return df
        if name == "features":
            return self._stack_features()
        if name == "problems":
            for other in schema.TABLES:
                if other not in ("problems", "features"):  # features are stacked, and find nothing
                    self._frame(other)
            return self._problems()
        assert isinstance(self._flat, Flattener), "a selected corpus gets every table from its parent"
        df = self._flat.frame(name)
        if name == "metadata":
            self._convert(df, "weight", "weight_kg", MASS_TO_KG, "META_DATA.weight.unit", "mass")
            self._general_tolerances(df)
            self._metadata_materials(df)
            self._document_profile(df)
        elif name == "materials":
            add_material_columns(df)
        elif name == "insights":
            self._convert(df, "volume", "volume_cm3", VOLUME_TO_CM3, "INSIGHTS.volume_estimate.unit", "volume")
            t = schema.TABLES["insights"]
            for mm in t.computed:
                if mm.endswith("_mm"):
                    size = mm.removesuffix("_mm")
                    where = "INSIGHTS." + t.column(f"{size}_unit").json_path
                    self._convert(df, size, mm, LENGTH_TO_MM, where, "length")
        elif name == "images":
            self._image_info(df)
        elif schema.TABLES[name].has_size:
            add_limits(df, name, self._general(), self._flat.problems)
        return df[schema.TABLES[name].column_names]

    def _general(self) -> pd.DataFrame:
        """Each drawing's general tolerance: standard and linear class (for the size tables)."""
        m = self._frame("metadata")
        return pd.DataFrame(
            {
                "drawing_id": m["drawing_id"],
                "standard": m["general_tolerance_standard"],
                "linear_class": m["general_tolerance_linear_class"],
            }
        )

    def _general_tolerances(self, df: pd.DataFrame) -> None:
        pairs = list(
            zip(df["general_tolerance_standard"].tolist(), df["general_tolerance_class"].tolist(), strict=True)
        )
        parsed = {p: parse_general_tolerance(*(None if pd.isna(v) else str(v) for v in p)) for p in set(pairs)}
        string = schema.pandas_dtype("string")
        df["general_tolerance_linear_class"] = pd.array([parsed[p][1] for p in pairs], dtype=string)
        df["general_tolerance_geometric_class"] = pd.array([parsed[p][2] for p in pairs], dtype=string)

    def _stack_features(self) -> pd.DataFrame:
        cols = schema.TABLES["features"].column_names
        empty = schema.empty_frame("features")
        string = schema.pandas_dtype("string")
        parts = []
        for name in schema.FEATURE_TABLES:
            df = self._frame(name)
            if not len(df):
                continue
            part = {}
            for c in cols:
                if c == "table":
                    part[c] = pd.array([name] * len(df), dtype=string)
                elif c in df.columns:
                    part[c] = df[c].astype(empty[c].dtype).array
                else:  # a kind without this column (GD&T has no size): NA of the column's dtype
                    part[c] = empty[c].reindex(range(len(df))).array
            parts.append(pd.DataFrame(part))
        if not parts:
            return empty
        return pd.concat(parts, ignore_index=True)

    def _problems(self) -> pd.DataFrame:
        rows = self._flat.problems
        if not rows:
            return schema.empty_frame("problems")
        cols = list(zip(*rows, strict=True))
        t = schema.TABLES["problems"]
        data = {
            c.name: pd.array(list(v), dtype=schema.pandas_dtype(c.dtype)) for c, v in zip(t.columns, cols, strict=True)
        }
        return pd.DataFrame(data)

    def _convert(
        self, df: pd.DataFrame, column: str, out: str, table: dict[str, float], location: str, what: str
    ) -> None:
        """``out`` = ``column`` in the target unit of ``table``; an unknown unit is a problem row."""
        f, unknown = factors(df[f"{column}_unit"], table)
        df[out] = df[column].to_numpy() * f
        bad = pd.DataFrame({"d": df["drawing_id"], "s": df["source"], "p": df["page"], "u": df[f"{column}_unit"]})
        for drawing_id, source, pg, unit in bad[unknown.to_numpy()].itertuples(index=False):
            self._flat.problems.append(
                (
                    str(drawing_id),
                    str(source),
                    None if pd.isna(pg) else int(pg),
                    location,
                    f"unknown {what} unit {unit!r}; `{out}` left NA",
                    "warning",
                )
            )

    def _metadata_materials(self, df: pd.DataFrame) -> None:
        """The grade, family and density of each drawing's first material (from ``materials``)."""
        m = self._frame("materials")
        first = m[(m["option"] == 0) & (m["component"] == 0) & m["bom_row"].isna()]
        # The same META_DATA answer as the row's `material`: match on drawing and page (the
        # first such material; NA pages match NA pages, as in a merge).
        at: dict[tuple[Any, Any], int] = {}
        for i, k in enumerate(zip(first["drawing_id"].tolist(), first["page"].tolist(), strict=True)):
            at.setdefault(k, i)
        rows = np.array(
            [at.get(k, -1) for k in zip(df["drawing_id"].tolist(), df["page"].tolist(), strict=True)], dtype=np.intp
        )
        for col, src in (
            ("material_grade", "grade"),
            ("material_number", "material_number"),
            ("material_family", "family"),
            ("density_g_cm3", "density_g_cm3"),
        ):
            df[col] = first[src].array.take(rows, allow_fill=True)

    def _document_profile(self, df: pd.DataFrame) -> None:
        """Page count and paper size of each drawing's first DOCUMENT_PROFILE answer."""
        dp = self._frame("document_profiles").drop_duplicates("drawing_id")
        at = dict(zip(dp["drawing_id"].tolist(), range(len(dp)), strict=True))
        rows = np.array([at.get(d, -1) for d in df["drawing_id"].tolist()], dtype=np.intp)
        df["document_page_count"] = dp["page_count"].array.take(rows, allow_fill=True)
        df["paper_size"] = dp["paper_size"].array.take(rows, allow_fill=True)

    def _image_info(self, df: pd.DataFrame) -> None:
        """Fill ``format``, ``width`` and ``height`` from the images' first bytes."""
        fmt: list[str | None] = []
        width: list[int | None] = []
        height: list[int | None] = []
        shown_paths: list[str | None] = []
        cols = ["drawing_id", "source", "kind", "page", "image_index", "path"]
        for drawing_id, source, kind, page, index, path in df[cols].itertuples(index=False):
            key = (str(drawing_id), str(kind), int(page), int(index))
            files = getattr(self._flat, "image_files", {})
            path = files.get(key, path if isinstance(path, str) else None)
            if path:  # checked by the source to lie inside the drawing's folder
                self._image_paths[key] = path
            shown_paths.append(shown(path) if path else None)
            head = self._image_head(key, str(source), path)
            f, w, h = sniff(head) if head else (None, None, None)
            if f is None and path:
                ext = os.path.splitext(path)[1].lstrip(".").lower()
                f = {"jpg": "jpeg", "tif": "tiff"}.get(ext, ext) or None
            fmt.append(f)
            width.append(w)
            height.append(h)
        df["path"] = pd.array(shown_paths, dtype=schema.pandas_dtype("string"))
        df["format"] = pd.array(fmt, dtype=schema.pandas_dtype("string"))
        df["width"] = pd.array(width, dtype="Int64")
        df["height"] = pd.array(height, dtype="Int64")

    def _image_head(self, key: tuple[str, str, int, int], source: str, path: str | None) -> bytes | None:
        data = self._flat.image_bytes.get(key)
        if data is not None:
            return data[:65536]
        if path:
            try:
                if not os.path.isfile(path):
                    raise OSError(0, "not a plain file")
                return read_head(path)
            except OSError as exc:
                self._flat.problems.append(
                    (key[0], source, key[2], shown(path), f"cannot read the image: {exc.strerror or exc}", "warning")
                )
        return None

    def _report(self, drawing_id: str, page: int | None, location: str, message: str) -> None:
        """Add a problem found after loading (an image that cannot be decoded) to ``problems``."""
        m = self._frame("metadata")
        src = m.loc[m["drawing_id"] == drawing_id, "source"]
        source = str(src.iloc[0]) if len(src) else None
        self._flat.problems.append((drawing_id, source, page, location, message, "warning"))
        self._frames.pop("problems", None)
        self._groups.pop("problems", None)

    # -- statistics and plots ----------------------------------------------------------

    @property
    def stats(self) -> Bound:
        """The functions of :mod:`werk24_frames.stats` on this corpus:
        ``corpus.stats.tolerance_stats(by="material_family")``, ``corpus.stats.cost_drivers()``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.stats.tolerance_stats(by="material_family")["n_features"].head(2).to_dict()
        {'aluminium': 113, 'copper alloy': 15}
        """
        return Bound(self, "werk24_frames.stats", CORPUS_STATS, "corpus.stats")

    @property
    def plot(self) -> Bound:
        """The plots of :mod:`werk24_frames.plots` on this corpus: ``corpus.plot.it_grades()``
        (each returns its matplotlib ``Axes``).

        Examples
        --------
        >>> import werk24_frames as wf
        >>> ax = wf.sample_corpus().plot.it_grades()
        >>> ax.get_xlabel()
        'IT grade (ISO 286)'
        """
        return Bound(self, "werk24_frames.plots", CORPUS_PLOTS, "corpus.plot")

    def revisions(self, order: Sequence[str] | None = None) -> Revisions:
        """The drawings that share a drawing number (its revision suffix removed), oldest first;
        ``.compare()`` says what changed from each to the next. See docs/compare.md.

        Parameters
        ----------
        order
            Drawing ids or source file names, oldest first, for drawings whose answers give no
            revision (else the revisions decide, and without them the corpus order).

        Examples
        --------
        >>> import werk24_frames as wf
        >>> revs = wf.sample_corpus("revisions").revisions()
        >>> revs
        <Revisions: 3 drawing numbers, 7 drawings>
        >>> revs.table.groupby("drawing_number").revision_source.first().to_dict()
        {'WF-2001': 'identifier', 'WF-2002': 'drawing_number', 'WF-2003': 'corpus order'}
        """
        from .comparison import revisions

        return revisions(self, order)

    # -- seeing the drawings ------------------------------------------------------------

    def thumbnails(
        self, by: str | None = None, max_images: int = 30, size: int = 240, kind: str | Sequence[str] = "sheet"
    ) -> Thumbnails:
        """A grid of thumbnails with captions, shown as HTML in notebooks; see
        :func:`werk24_frames.views.thumbnails` (with ``by``, ``max_images`` caps each group).

        Examples
        --------
        >>> import werk24_frames as wf
        >>> wf.sample_corpus().thumbnails(by="material_family", max_images=2)
        <Thumbnails: 9 of 44 drawings, sheet images, 240 px>
        """
        from .views import thumbnails

        return thumbnails(self, by=by, max_images=max_images, size=size, kind=kind)

    def show(
        self, drawing: str | Drawing, page: int = 0, color_by: str = "table", labels: bool = False, width: int = 900
    ) -> DrawingView:
        """One drawing's sheet with its located features boxed, its metadata and features, as
        HTML; see :func:`werk24_frames.views.show`.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> wf.sample_corpus().show("WF-1012")
        <DrawingView: WF-1012 (01c674c49562d9de), page 0, 27 features boxed>
        """
        from .views import show

        return show(self, drawing, page=page, color_by=color_by, labels=labels, width=width)

    def gallery(self, page_size: int = 12, size: int = 200, kind: str = "sheet") -> Gallery:
        """An interactive gallery (ipywidgets) with paging, filters and a detail view; see
        :class:`werk24_frames.widgets.Gallery`.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> wf.sample_corpus().gallery(page_size=8)
        <Gallery: 44 drawings, 44 shown in 6 pages>
        """
        from .widgets import Gallery

        return Gallery(self, page_size=page_size, size=size, kind=kind)

    # -- exports -----------------------------------------------------------------------

    def to_parquet(self, folder: PathLike, tables: Iterable[str] | None = None) -> list[Path]:
        """Write each table to ``<folder>/<table>.parquet``; see :mod:`werk24_frames.export`.

        Examples
        --------
        >>> import tempfile, werk24_frames as wf
        >>> paths = wf.sample_corpus().to_parquet(tempfile.mkdtemp(), ["metadata", "dimensions"])
        >>> [p.name for p in paths]
        ['metadata.parquet', 'dimensions.parquet']
        """
        from .export import to_parquet

        return to_parquet(self, folder, tables)

    def to_csv(self, folder: PathLike, tables: Iterable[str] | None = None) -> list[Path]:
        """Write each table to ``<folder>/<table>.csv``; see :mod:`werk24_frames.export`.

        Examples
        --------
        >>> import tempfile, werk24_frames as wf
        >>> [p.name for p in wf.sample_corpus().to_csv(tempfile.mkdtemp(), ["metadata"])]
        ['metadata.csv']
        """
        from .export import to_csv

        return to_csv(self, folder, tables)

    def report(
        self,
        title: str | None = None,
        max_thumbnails: int = 24,
        n_tightest: int = 12,
        max_rows: int = 200,
        source: str | None = None,
    ) -> Report:
        """Summary, statistics with plots, audit, tightest features and thumbnails as one
        self-contained HTML page (``.save("report.html")``); see :func:`werk24_frames.report`.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> wf.sample_corpus().report(max_thumbnails=2, n_tightest=2)
        <Report 'werk24_frames report': 44 drawings, 7 sections>
        """
        from .report import report

        return report(self, title, max_thumbnails, n_tightest, max_rows, source)

    def to_excel(self, path: PathLike, tables: Iterable[str] | None = None) -> Path:
        """Write one workbook: a README sheet of column meanings, then one sheet per table;
        see :mod:`werk24_frames.export`.

        Examples
        --------
        >>> import tempfile, pathlib, werk24_frames as wf
        >>> book = wf.sample_corpus().to_excel(pathlib.Path(tempfile.mkdtemp()) / "corpus.xlsx", ["metadata"])
        >>> book.name
        'corpus.xlsx'
        """
        from .export import to_excel

        return to_excel(self, path, tables)

    # -- raw answers and images --------------------------------------------------------

    def raw_responses(self, drawing: str | Drawing) -> list[Any]:
        """The untouched answers of one drawing, as read: response dicts, or the message dicts
        of a JSON Lines file (whose ``payload_dict`` is the response).

        Files are read again, so the corpus itself stays small.

        Parameters
        ----------
        drawing
            Its ``drawing_id`` or ``drawing_number`` (see :meth:`resolve`).

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.from_responses([{"ask_type": "META_DATA", "weight": None}], drawing_id="d1")
        >>> corpus.raw_responses("d1")
        [{'ask_type': 'META_DATA', 'weight': None}]
        >>> [m["message_subtype"] for m in wf.sample_corpus().raw_responses("WF-1012")]  # a drawing number works too
        ['BALLOONS', 'DOCUMENT_PROFILE', 'FEATURES', 'INSIGHTS', 'META_DATA', 'PAGE_ASSESSMENT', 'REFERENCE_POSITIONS', 'SHEET_IMAGES']
        """
        return list(self._raw[self.resolve(drawing)]())

    def _image_row(self, key: tuple[str, str, int, int]) -> pd.DataFrame:
        """The row of ``images`` for (drawing_id, kind, page, image_index); empty if none."""
        drawing_id, kind, page, index = key
        imgs = self._frame("images")
        return imgs[
            (imgs["drawing_id"] == drawing_id)
            & (imgs["kind"] == kind)
            & (imgs["page"] == page)
            & (imgs["image_index"] == index)
        ]

    def image(self, drawing: str | Drawing, kind: str = "sheet", page: int = 0, index: int = 0) -> bytes:
        """The bytes of one image of a drawing (see ``corpus.images``).

        Parameters
        ----------
        drawing
            Its ``drawing_id`` or ``drawing_number`` (see :meth:`resolve`).
        kind, page, index
            Which image: a row of ``corpus.images`` (``page`` and ``index`` count from 0).

        Raises
        ------
        KeyError
            No drawing has that id or number (:class:`DrawingNotFoundError`), or the number
            names several (:class:`AmbiguousDrawingError`).
        LookupError
            The drawing has no such image, or its bytes are not at hand (only a ``payload_url``).

        Examples
        --------
        >>> import werk24_frames as wf
        >>> png = wf.sample_corpus().image("WF-1012")
        >>> png[:4]
        b'\\x89PNG'
        """
        drawing_id = self.resolve(drawing)
        key = (drawing_id, kind, page, index)
        data = self._flat.image_bytes.get(key)
        if data is not None:
            return data
        sel = self._image_row(key)
        imgs = self._frame("images")
        if sel.empty:
            have = imgs.loc[imgs["drawing_id"] == drawing_id, ["kind", "page", "image_index"]]
            listing = ", ".join(f"{k} page {p} #{n}" for k, p, n in have.itertuples(index=False)) or "none"
            raise LookupError(
                f"drawing {drawing_id!r} has no {kind} image on page {page} (#{index}); it has: {listing}"
            )
        path = self._image_file(key)
        if path is not None:
            with open(path, "rb") as fh:
                return fh.read()
        url = sel["url"].iloc[0]
        if not isinstance(url, str):
            raise LookupError(
                f"the {kind} image of {drawing_id!r} (page {page}) is not at hand: no bytes, no file that "
                "could be read, no link (corpus.problems says why)"
            )
        raise LookupError(
            f"the {kind} image of {drawing_id!r} (page {page}) is not stored, only linked: {url} "
            "(presigned links expire; download them when you save the CLI output)"
        )

    def _image_file(self, key: tuple[str, str, int, int]) -> str | None:
        """The file image ``key`` is stored in, or None (its bytes are in memory, or it is only
        linked). The path is real and was checked, when it was read, to lie inside the drawing's
        folder; a link put in its place since, or something that is not a plain file (a pipe, a
        device), is refused with a LookupError."""
        self.images  # noqa: B018 - building the table fills _image_paths
        path = self._image_paths.get(key)
        if path is None:
            return None
        if os.path.realpath(path) != path or not os.path.isfile(path):
            raise LookupError(
                f"the {key[1]} image file of {key[0]!r} (page {key[2]}) is no longer a plain file in its folder; not read"
            )
        return path

    # -- the tables --------------------------------------------------------------------

    @property
    def metadata(self) -> pd.DataFrame:
        """One row per drawing: drawing number, designation, material, weight, general tolerances.

        Columns and meanings: ``wf.schema.describe("metadata")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> m = corpus.metadata
        >>> m.loc[m.drawing_number == "WF-1012", ["drawing_number", "designation", "material_family", "weight_kg"]]
          drawing_number     designation material_family  weight_kg
        0        WF-1012  MOUNTING PLATE           steel      3.859
        """
        return self.table("metadata")

    @property
    def identifiers(self) -> pd.DataFrame:
        """One row per identifier of the title block.

        Columns and meanings: ``wf.schema.describe("identifiers")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> ids = corpus.identifiers
        >>> ids["identifier_type"].value_counts().to_dict()
        {'DRAWING_NUMBER': 44}
        """
        return self.table("identifiers")

    @property
    def designations(self) -> pd.DataFrame:
        """One row per designation entry (per language).

        Columns and meanings: ``wf.schema.describe("designations")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.designations[["value", "language"]].head(2)
                    value language
        0  MOUNTING PLATE      ENG
        1  MOUNTING PLATE      ENG
        """
        return self.table("designations")

    @property
    def materials(self) -> pd.DataFrame:
        """One row per material of each material option.

        Columns and meanings: ``wf.schema.describe("materials")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.materials[["designation", "grade", "family", "density_g_cm3"]].head(2)
          designation    grade family  density_g_cm3
        0     42CrMo4  42CrMo4  steel           7.84
        1     42CrMo4  42CrMo4  steel           7.84
        """
        return self.table("materials")

    @property
    def notes(self) -> pd.DataFrame:
        """One row per note on the drawing.

        Columns and meanings: ``wf.schema.describe("notes")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.notes[["label", "note_type"]].head(2)
                           label    note_type
        0  Break all sharp edges  CANVAS_NOTE
        1  Break all sharp edges  CANVAS_NOTE
        """
        return self.table("notes")

    @property
    def certifications(self) -> pd.DataFrame:
        """One row per certification requirement.

        Columns and meanings: ``wf.schema.describe("certifications")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.certifications.columns[4:].tolist()  # none in the sample
        ['certification_type', 'raw_ocr']
        """
        return self.table("certifications")

    @property
    def bill_of_material(self) -> pd.DataFrame:
        """One row per bill-of-material row.

        Columns and meanings: ``wf.schema.describe("bill_of_material")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.bill_of_material.columns[4:9].tolist()  # none in the sample
        ['position', 'part_number', 'designation', 'quantity', 'quantity_unit']
        """
        return self.table("bill_of_material")

    @property
    def dimensions(self) -> pd.DataFrame:
        """One row per dimension, with the size columns.

        Columns and meanings: ``wf.schema.describe("dimensions")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> dims = corpus.dimensions
        >>> dims[["label", "nominal_mm", "lower_limit_mm", "upper_limit_mm", "it_grade"]].head(3)
          label  nominal_mm  lower_limit_mm  upper_limit_mm  it_grade
        0   200       200.0          199.80          200.20        11
        1   100       100.0           99.85          100.15        11
        2    25        25.0           24.90           25.10        11
        """
        return self.table("dimensions")

    @property
    def threads(self) -> pd.DataFrame:
        """One row per thread callout; size columns describe the diameter.

        Columns and meanings: ``wf.schema.describe("threads")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.threads[["label", "size_designation", "pitch_mm", "tolerance_class"]].head(2)
                label size_designation  pitch_mm tolerance_class
        0       M6-6H               M6       1.0              6H
        1  M10-6H ↧10              M10       1.5              6H
        """
        return self.table("threads")

    @property
    def bores(self) -> pd.DataFrame:
        """One row per bore; size columns describe the diameter.

        Columns and meanings: ``wf.schema.describe("bores")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.bores[["label", "nominal_mm", "depth", "tolerance_source"]].head(2)
                       label  nominal_mm  depth tolerance_source
        0  4x Ø6.6 ⌴Ø11 ↧6.8         6.6    NaN          general
        1         Ø16 H7 ↧25        16.0   25.0         explicit
        """
        return self.table("bores")

    @property
    def chamfers(self) -> pd.DataFrame:
        """One row per chamfer; size columns describe its size, `angle` beside it.

        Columns and meanings: ``wf.schema.describe("chamfers")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.chamfers[["label", "nominal_mm", "angle", "tolerance_source"]].head(2)
           label  nominal_mm  angle tolerance_source
        0  1x45°         1.0   45.0          general
        1  1x45°         1.0   45.0          general
        """
        return self.table("chamfers")

    @property
    def radii(self) -> pd.DataFrame:
        """One row per radius, with the size columns.

        Columns and meanings: ``wf.schema.describe("radii")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.radii[["label", "nominal_mm", "tolerance_source"]].head(2)
          label  nominal_mm tolerance_source
        0    R5         5.0          general
        1    R6         6.0          general
        """
        return self.table("radii")

    @property
    def gdnts(self) -> pd.DataFrame:
        """One row per GD&T feature control frame.

        Columns and meanings: ``wf.schema.describe("gdnts")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.gdnts[["label", "characteristic_name", "zone_value"]].head(2)
                     label characteristic_name  zone_value
        0  [⌖|Ø0.2Ⓜ|A|B|C]            position         0.2
        1          [⏥|0.1]            flatness         0.1
        """
        return self.table("gdnts")

    @property
    def roughnesses(self) -> pd.DataFrame:
        """One row per roughness symbol, with its main parameter and value.

        Columns and meanings: ``wf.schema.describe("roughnesses")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.roughnesses[["label", "parameter", "value"]].head(2)
            label parameter  value
        0  Ra 3.2        Ra    3.2
        1  Ra 0.8        Ra    0.8
        """
        return self.table("roughnesses")

    @property
    def roughness_conditions(self) -> pd.DataFrame:
        """One row per condition of a roughness symbol (all of them).

        Columns and meanings: ``wf.schema.describe("roughness_conditions")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.roughness_conditions[["condition_index", "parameter", "value"]].head(2)
           condition_index parameter  value
        0                0        Ra    3.2
        1                0        Ra    0.8
        """
        return self.table("roughness_conditions")

    @property
    def undercuts(self) -> pd.DataFrame:
        """One row per undercut.

        Columns and meanings: ``wf.schema.describe("undercuts")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.undercuts[["label", "standard", "form"]].head(2)
                      label standard form
        0  DIN 509-E0.6x0.3  DIN 509    E
        1  DIN 509-E0.6x0.3  DIN 509    E
        """
        return self.table("undercuts")

    @property
    def key_slots(self) -> pd.DataFrame:
        """One row per key slot.

        Columns and meanings: ``wf.schema.describe("key_slots")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.key_slots[["label", "standard", "key_width"]].head(2)
                       label  standard  key_width
        0  DIN 6885-A 8x7x10  DIN 6885      8.000
        1  DIN 6885-A 8x7x10  DIN 6885      0.315
        """
        return self.table("key_slots")

    @property
    def center_holes(self) -> pd.DataFrame:
        """One row per centre hole.

        Columns and meanings: ``wf.schema.describe("center_holes")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.center_holes[["label", "standard", "form"]].head(2)
                       label  standard form
        0  ISO 6411-A2.5/5.3  ISO 6411    A
        1  ISO 6411-A2.5/5.3  ISO 6411    A
        """
        return self.table("center_holes")

    @property
    def fasteners(self) -> pd.DataFrame:
        """One row per fastener callout.

        Columns and meanings: ``wf.schema.describe("fasteners")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.fasteners.columns[8:12].tolist()  # none in the sample
        ['fastener_type', 'designation', 'standard', 'manufacturer']
        """
        return self.table("fasteners")

    @property
    def sizes(self) -> pd.DataFrame:
        """One row per size or tolerance of an item besides its main size, with limits: a
        counterbore's diameter, a bore's depth, a thread's ISO 965 tolerances, a GD&T zone, an
        envelope size. ``role`` says which; ``table``, ``item_index`` and ``reference_id`` join
        it to its item.

        Columns and meanings: ``wf.schema.describe("sizes")``; the roles of each item:
        ``wf.schema.SIZE_ROLES``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> s = wf.sample_corpus().sizes
        >>> s.loc[s["role"] == "counterbore.diameter", ["table", "nominal", "lower_limit", "upper_limit"]].head(2)
            table  nominal  lower_limit  upper_limit
        1   bores     11.0         10.9         11.1
        16  bores     11.0         10.9         11.1
        """
        return self.table("sizes")

    @property
    def other_features(self) -> pd.DataFrame:
        """Items of response lists werk24_frames does not know yet, kept generically.

        Columns and meanings: ``wf.schema.describe("other_features")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.other_features.columns[4:8].tolist()  # nothing unknown in the sample
        ['ask_type', 'list_name', 'reference_id', 'label']
        """
        return self.table("other_features")

    @property
    def features(self) -> pd.DataFrame:
        """Every feature table stacked on the common columns, with a ``table`` column.

        Columns and meanings: ``wf.schema.describe("features")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.features["table"].value_counts().head(3).to_dict()
        {'dimensions': 796, 'gdnts': 66, 'bores': 53}
        """
        return self.table("features")

    @property
    def insights(self) -> pd.DataFrame:
        """One row per INSIGHTS answer: processes, volume, envelope.

        Columns and meanings: ``wf.schema.describe("insights")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.insights[["primary_process", "volume_cm3"]].head(2)
          primary_process  volume_cm3
        0         MILLING     491.552
        1         MILLING     186.588
        """
        return self.table("insights")

    @property
    def process_options(self) -> pd.DataFrame:
        """One row per primary process option of an INSIGHTS answer (turning, milling, cutting),
        in Werk24's order of preference (``item_index`` 0 first).

        Examples
        --------
        >>> import werk24_frames as wf
        >>> wf.sample_corpus().process_options[["primary_process", "axis_count"]].head(2)
          primary_process  axis_count
        0         MILLING           3
        1         MILLING           5
        """
        return self.table("process_options")

    @property
    def processes(self) -> pd.DataFrame:
        """One row per secondary process.

        Columns and meanings: ``wf.schema.describe("processes")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.processes[["process", "process_category"]].head(2)
                    process                                   process_category
        0  GALVANIC_COATING                         COATING > GALVANIC_COATING
        1    CASE_HARDENING  CHANGING_MATERIAL_PROPERTIES > HEAT_TREATMENT ...
        """
        return self.table("processes")

    @property
    def positions(self) -> pd.DataFrame:
        """Where each ``reference_id`` sits on a page (REFERENCE_POSITIONS).

        Columns and meanings: ``wf.schema.describe("positions")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.positions[["reference_id", "coordinate_space", "x_min", "y_min"]].head(2)
           reference_id coordinate_space  x_min  y_min
        0             2      PIXEL_SPACE  313.0  632.0
        1             3      PIXEL_SPACE   48.0  486.0
        """
        return self.table("positions")

    @property
    def balloons(self) -> pd.DataFrame:
        """One row per balloon (BALLOONS): the item it numbers and its centre on the sheet image,
        in pixels.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> wf.sample_corpus().balloons[["reference_id", "center_x", "center_y"]].head(2)
           reference_id  center_x  center_y
        0             2     301.0     620.0
        1             3      36.0     474.0
        """
        return self.table("balloons")

    @property
    def redactions(self) -> pd.DataFrame:
        """One row per zone to redact (REDACTION): its type and polygon.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> c = wf.from_responses([{"ask_type": "REDACTION", "redaction_zones": [{"redaction_zone_type": "LOGO",
        ...     "polygon": {"coordinate_space": "PIXEL_SPACE", "coordinates": [[0, 0], [80, 0], [80, 30]]}}]}])
        >>> c.redactions[["redaction_zone_type", "x_max", "y_max"]]
          redaction_zone_type  x_max  y_max
        0                LOGO   80.0   30.0
        """
        return self.table("redactions")

    @property
    def page_assessments(self) -> pd.DataFrame:
        """One row per page Werk24 assessed (PAGE_ASSESSMENT): what the page really is.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> wf.sample_corpus().page_assessments[["assessed_page", "page_type", "has_welding_symbols"]].head(1)
           assessed_page          page_type  has_welding_symbols
        0              0  COMPONENT_DRAWING                False
        """
        return self.table("page_assessments")

    @property
    def document_profiles(self) -> pd.DataFrame:
        """One row per DOCUMENT_PROFILE answer: page count, paper size, processing time
        (``metadata`` carries the page count and paper size too).

        Examples
        --------
        >>> import werk24_frames as wf
        >>> wf.sample_corpus().document_profiles[["page_count", "paper_size", "processing_seconds_p50"]].head(1)
           page_count paper_size  processing_seconds_p50
        0           1         A3                    36.5
        """
        return self.table("document_profiles")

    @property
    def customs(self) -> pd.DataFrame:
        """One row per CUSTOM answer: the custom ask's id and its output as JSON text.

        Examples
        --------
        >>> import json
        >>> import werk24_frames as wf
        >>> c = wf.from_responses([{"ask_type": "CUSTOM", "custom_id": "price", "output": {"eur": 12.5}}])
        >>> json.loads(c.customs.loc[0, "output"])
        {'eur': 12.5}
        """
        return self.table("customs")

    @property
    def images(self) -> pd.DataFrame:
        """One row per image: sheets, views, legacy thumbnails.

        Columns and meanings: ``wf.schema.describe("images")``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> corpus.images[["kind", "page", "format", "width", "height"]].head(2)
            kind  page format  width  height
        0  sheet     0    png   1286     909
        1  sheet     0    png   1286     909
        """
        return self.table("images")

    @property
    def problems(self) -> pd.DataFrame:
        """What could not be read, or was read with a caveat, and where: the rows of severity
        ``error`` and ``warning``, the ones to act on.

        The ``info`` rows (harmless notes: a stray file skipped, a docs-shaped value read) are
        one step away, in ``corpus.table("problems")``, the whole table, which exports,
        ``tables()``, the report and the command line use.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.from_responses([{"ask_type": "META_DATA", "weight": {"value": "2", "unit": "stone"}}])
        >>> corpus.problems[["location", "severity"]]
                        location severity
        0  META_DATA.weight.unit  warning
        >>> corpus.problems.loc[0, "message"]
        "unknown mass unit 'stone'; `weight_kg` left NA"
        >>> len(corpus.table("problems")) >= len(corpus.problems)
        True
        """
        every = self._frame("problems")
        return every[(every["severity"] != "info").to_numpy(dtype=bool, na_value=True)].reset_index(drop=True)


def _corpus_from(drawings: Iterator[_Record] | list[_Record], problems: list[ProblemRow], where: str) -> Corpus:
    corpus = Corpus(drawings, problems)
    if not len(corpus):
        raise nothing_readable(where, corpus._flat.problems)
    return corpus


def nothing_readable(where: str, problems: Iterable[ProblemRow]) -> SourceError:
    """The error of a load that found no drawing, naming the first errors met."""
    found = [f"{p[1]}{' ' + p[3] if p[3] else ''}: {p[4]}" for p in problems if p[5] == "error"]
    why = "; ".join(found[:3]) + (f"; and {len(found) - 3} more" if len(found) > 3 else "")
    return SourceError(
        f"nothing readable in {where}: " + (why or "no .json or .jsonl responses and no drawing folders were found")
    )


def load(
    source: PathLike | Iterable[PathLike],
    *,
    download_images: bool = False,
    store: PathLike | None = None,
    verify: ssl.SSLContext | str | bool = True,
    cache: bool | PathLike = True,
) -> Corpus:
    """Load saved Werk24 answers: response JSON, ``werk24 techread`` JSON Lines, or folders.

    Parameters
    ----------
    source
        A file, a folder, or a list of them.

        - A ``.json`` file holds one response, a list of responses, or a list of messages: one
          drawing, whose ``drawing_id`` is the file stem.
        - A ``.jsonl`` file holds the messages ``werk24 techread`` prints, one per line (also
          ``--pretty`` output); they are grouped by ``request_id``. One request is one drawing
          named after the file stem; several are named ``stem:request_id``.
        - A folder: each response file in it is one drawing, and each sub-folder is one
          drawing whose files are its responses (one per ask), with images beside them
          (``sheet_0.png``) or in ``images/``.
    download_images
        Fetch the images that are only linked (``payload_url``, as in saved ``werk24
        techread`` output) before the links expire, and keep them in ``store``; also the
        answers Werk24 sent as a link instead of inline (large JSON answers), which are then
        read. Whatever an earlier load fetched is reused; links that cannot be fetched become
        problem rows.
        Downloads are https only, concurrent, bounded in size and time, and retried a few
        times on connection errors (needs ``httpx``, in the ``live`` extra).
    store
        Where downloaded images are kept (default: the per-user store of
        :func:`werk24_frames.live.default_store`), under ``.downloads/``.
    verify
        How downloads check certificates (httpx's ``verify``: True, a CA bundle path, or an
        ``ssl.SSLContext``), e.g. for a company proxy's CA.
    cache
        The table cache (:mod:`werk24_frames.io.cache`): True keeps the typed tables in the
        per-user cache folder (or ``$WERK24_FRAMES_CACHE``) and reads them back while the files
        are unchanged; a folder keeps them there; False neither reads nor writes a cache. A
        load with ``download_images=True`` is not cached.

    Returns
    -------
    Corpus
        Whatever could not be read is in ``corpus.problems``, naming the file and the place.

    Raises
    ------
    SourceError
        A path does not exist, or nothing readable is in it.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> import werk24_frames as wf
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "WK2401.json").write_text(json.dumps(
    ...     {"ask_type": "META_DATA", "weight": {"value": "1.025", "unit": "kilogram"}}))
    >>> wf.load(folder).metadata[["drawing_id", "weight", "weight_kg"]]
      drawing_id  weight  weight_kg
    0     WK2401   1.025      1.025
    """
    where = repr(str(source)) if isinstance(source, (str, os.PathLike)) else "the given paths"
    if not download_images:
        from .io._load import load_files

        return load_files(source, cache, where)
    problems: list[ProblemRow] = []
    drawings = list(drawings_from_paths(source, problems))
    from ._download import download_images as fetch
    from .live import default_store

    fetch(drawings, Path(store).expanduser() if store is not None else default_store(), problems, verify=verify)
    return _corpus_from(drawings, problems, where)


def from_responses(responses: Any, drawing_id: str | None = None, source: str = "<memory>") -> Corpus:
    """A corpus from response dicts or werk24 SDK response models already in memory.

    Parameters
    ----------
    responses
        The responses of one drawing (a list of dicts or models), or a mapping from drawing id
        to such a list.
    drawing_id
        Id of the single drawing (default ``"drawing"``).
    source
        What the ``source`` column says.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> c = wf.from_responses({"a": [{"ask_type": "META_DATA"}], "b": [{"ask_type": "META_DATA"}]})
    >>> c.drawing_ids
    ['a', 'b']
    """
    return Corpus(drawings_from_responses(responses, drawing_id, source))


def from_messages(messages: Iterable[Any], drawing_id: str | None = None, source: str = "<memory>") -> Corpus:
    """A corpus from SDK ``TechreadMessage`` objects (or their dicts), grouped by ``request_id``.

    The drawing id is the ``request_id`` unless ``drawing_id`` is given. Images the SDK
    downloaded (``payload_bytes``) are kept: ``corpus.image(...)`` returns them.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> msgs = [{"request_id": "5b354d9e-3ace-4103-9e8d-b3685ca5bec5", "message_type": "ASK",
    ...          "message_subtype": "META_DATA", "page_number": 0, "exceptions": [],
    ...          "payload_dict": {"ask_type": "META_DATA", "designation": [{"value": "ADAPTER"}]}}]
    >>> wf.from_messages(msgs).metadata[["drawing_id", "designation"]]
                                 drawing_id designation
    0  5b354d9e-3ace-4103-9e8d-b3685ca5bec5     ADAPTER
    """
    return Corpus(drawings_from_messages(messages, drawing_id, source))

"""The Corpus: every drawing's answers as typed tables, plus the problems met on the way."""

from __future__ import annotations

import os
import ssl
import uuid
import weakref
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import schema
from ._accessor import CORPUS_PLOTS, CORPUS_STATS, Bound
from ._flatten import Flattener
from ._imageinfo import read_head, sniff
from ._materials import add_material_columns
from ._sources import (
    Drawing,
    ProblemRow,
    SourceError,
    drawings_from_messages,
    drawings_from_paths,
    drawings_from_responses,
)
from ._units import MASS_TO_KG, VOLUME_TO_CM3, factors
from .tolerances import add_limits, parse_general_tolerance

if TYPE_CHECKING:
    from .io._plan import ReadyTables
    from .report import Report
    from .views import DrawingView, Thumbnails
    from .widgets import Gallery

__all__ = ["Corpus", "from_messages", "from_responses", "load"]

PathLike = str | os.PathLike[str]

#: The ``DataFrame.attrs`` entry naming the corpus a table was built by (see :func:`corpus_of`).
ATTRS_KEY = "werk24_frames.corpus"
_CORPORA: weakref.WeakValueDictionary[str, Corpus] = weakref.WeakValueDictionary()


def corpus_of(df: pd.DataFrame) -> Corpus | None:
    """The corpus whose table ``df`` is, or a slice of (through ``df.attrs``); None when it is
    not known: a table of another session, a concat of several corpora's tables."""
    key = df.attrs.get(ATTRS_KEY)
    return _CORPORA.get(key) if isinstance(key, str) else None


class Corpus:
    """The answers of Werk24 about many drawings, as tidy pandas tables.

    Build one with :func:`werk24_frames.load`, :func:`werk24_frames.from_responses` or
    :func:`werk24_frames.from_messages`. Every table is a property that is built on first use
    and then kept; each has the columns and dtypes documented in :mod:`werk24_frames.schema`
    (``wf.schema.describe(name)``), also when it is empty.

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
    """

    def __init__(
        self, drawings: Iterable[Drawing] = (), problems: Iterable[ProblemRow] = (), *, ready: ReadyTables | None = None
    ) -> None:
        flat = Flattener()
        self._raw: dict[str, Any] = {}
        # Tables built elsewhere (the table cache, chunks, a dataset): taken as they are.
        self._ready = ready
        if ready is not None:
            flat.drawing_ids.extend(ready.drawing_ids)
            flat.image_bytes.update(ready.image_bytes)
            self._raw.update(ready.raw)
        for d in drawings:
            flat.add(d)
            self._raw[d.drawing_id] = d.raw
            d.entries = []  # the answers are in the tables now; raw_responses() re-reads them
        flat.problems.extend(problems)
        self._flat = flat
        self._frames: dict[str, pd.DataFrame] = {}
        # Tables carry this key in ``attrs`` (pandas keeps it through slicing), so that
        # ``df.w24.crops()`` finds the corpus a slice came from.
        self._key = uuid.uuid4().hex
        _CORPORA[self._key] = self

    # -- generic access ----------------------------------------------------------------

    @property
    def drawing_ids(self) -> list[str]:
        """The ids of the drawings, in the order they were read."""
        return list(self._flat.drawing_ids)

    def __len__(self) -> int:
        return len(self._flat.drawing_ids)

    def __repr__(self) -> str:
        rows = self._ready.n_rows if self._ready is not None else (lambda t: len(self._flat.rows[t]))
        n_feat = sum(rows(t) for t in schema.FEATURE_TABLES)
        return (
            f"<Corpus: {len(self)} drawings, {rows('dimensions')} dimensions, "
            f"{n_feat} features, {rows('images')} images, "
            f"{(self._ready.n_rows('problems') if self._ready is not None else 0) + len(self._flat.problems)} problems so far>"
        )

    def table(self, name: str) -> pd.DataFrame:
        """A table by name, e.g. ``corpus.table("dimensions")``; see ``wf.schema.table_names()``."""
        if name not in schema.TABLES:
            raise KeyError(f"no table named {name!r}; the tables are: {', '.join(schema.TABLES)}")
        if name not in self._frames:
            from .io._plan import paused_gc

            with paused_gc():
                df = self._build(name)
            df.attrs[ATTRS_KEY] = self._key
            self._frames[name] = df
        return self._frames[name]

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table, by name (``problems`` last, so it holds what building the others found)."""
        out = {name: self.table(name) for name in schema.TABLES if name != "problems"}
        out["problems"] = self.table("problems")
        return out

    def _build(self, name: str) -> pd.DataFrame:
        if self._ready is not None and name != "features":
            df = self._ready.table(name)
            if name == "problems" and self._flat.problems:  # found since: a cache entry rebuilt, an image
                df = pd.concat([df, self._problems()], ignore_index=True)
            return df
        if name == "features":
            return self._stack_features()
        if name == "problems":
            for other in schema.TABLES:
                if other != "problems":
                    self.table(other)
            return self._problems()
        df = self._flat.frame(name)
        if name == "metadata":
            self._convert(df, "weight", "weight_kg", MASS_TO_KG, "META_DATA.weight.unit", "mass")
            self._general_tolerances(df)
            self._metadata_materials(df)
        elif name == "materials":
            add_material_columns(df)
        elif name == "insights":
            self._convert(df, "volume", "volume_cm3", VOLUME_TO_CM3, "INSIGHTS.volume_estimate.unit", "volume")
        elif name == "images":
            self._image_info(df)
        elif name in schema.SIZE_TABLES:
            add_limits(df, name, self._general(), self._flat.problems)
        return df[schema.TABLES[name].column_names]

    def _general(self) -> pd.DataFrame:
        """Each drawing's general tolerance: standard and linear class (for the size tables)."""
        m = self.table("metadata")
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
        parts = []
        for name in schema.FEATURE_TABLES:
            df = self.table(name)
            if len(df):
                part = df.reindex(columns=[c for c in cols if c != "table" and c in df.columns])
                part.insert(4, "table", name)
                parts.append(part)
        if not parts:
            return schema.empty_frame("features")
        out = pd.concat(parts, ignore_index=True)
        empty = schema.empty_frame("features")
        for c in cols:
            if c not in out.columns:
                out[c] = pd.Series(pd.NA, index=out.index).astype(empty[c].dtype)
            elif out[c].dtype != empty[c].dtype:
                out[c] = out[c].astype(empty[c].dtype)
        return out[cols]

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
        m = self.table("materials")
        first = m[(m["option"] == 0) & (m["component"] == 0)]
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

    def _image_info(self, df: pd.DataFrame) -> None:
        """Fill ``format``, ``width`` and ``height`` from the images' first bytes."""
        fmt: list[str | None] = []
        width: list[int | None] = []
        height: list[int | None] = []
        cols = ["drawing_id", "source", "kind", "page", "image_index", "path"]
        for drawing_id, source, kind, page, index, path in df[cols].itertuples(index=False):
            path = path if isinstance(path, str) else None
            head = self._image_head((str(drawing_id), str(kind), int(page), int(index)), str(source), path)
            f, w, h = sniff(head) if head else (None, None, None)
            if f is None and path:
                ext = os.path.splitext(path)[1].lstrip(".").lower()
                f = {"jpg": "jpeg", "tif": "tiff"}.get(ext, ext) or None
            fmt.append(f)
            width.append(w)
            height.append(h)
        df["format"] = pd.array(fmt, dtype=schema.pandas_dtype("string"))
        df["width"] = pd.array(width, dtype="Int64")
        df["height"] = pd.array(height, dtype="Int64")

    def _image_head(self, key: tuple[str, str, int, int], source: str, path: str | None) -> bytes | None:
        data = self._flat.image_bytes.get(key)
        if data is not None:
            return data[:65536]
        if path:
            try:
                return read_head(path)
            except OSError as exc:
                self._flat.problems.append((key[0], source, key[2], path, f"cannot read the image: {exc}", "warning"))
        return None

    def _report(self, drawing_id: str, page: int | None, location: str, message: str) -> None:
        """Add a problem found after loading (an image that cannot be decoded) to ``problems``."""
        m = self.table("metadata")
        src = m.loc[m["drawing_id"] == drawing_id, "source"]
        source = str(src.iloc[0]) if len(src) else None
        self._flat.problems.append((drawing_id, source, page, location, message, "warning"))
        self._frames.pop("problems", None)

    # -- statistics and plots ----------------------------------------------------------

    @property
    def stats(self) -> Bound:
        """The functions of :mod:`werk24_frames.stats` on this corpus:
        ``corpus.stats.tolerance_stats(by="material_family")``, ``corpus.stats.cost_drivers()``."""
        return Bound(self, "werk24_frames.stats", CORPUS_STATS, "corpus.stats")

    @property
    def plot(self) -> Bound:
        """The plots of :mod:`werk24_frames.plots` on this corpus: ``corpus.plot.it_grades()``."""
        return Bound(self, "werk24_frames.plots", CORPUS_PLOTS, "corpus.plot")

    # -- seeing the drawings ------------------------------------------------------------

    def thumbnails(
        self, by: str | None = None, max_images: int = 30, size: int = 240, kind: str | Sequence[str] = "sheet"
    ) -> Thumbnails:
        """A grid of thumbnails with captions, shown as HTML in notebooks; see
        :func:`werk24_frames.views.thumbnails`."""
        from .views import thumbnails

        return thumbnails(self, by=by, max_images=max_images, size=size, kind=kind)

    def show(
        self, drawing_id: str, page: int = 0, color_by: str = "table", labels: bool = False, width: int = 900
    ) -> DrawingView:
        """One drawing's sheet with its located features boxed, its metadata and features, as
        HTML; see :func:`werk24_frames.views.show`."""
        from .views import show

        return show(self, drawing_id, page=page, color_by=color_by, labels=labels, width=width)

    def gallery(self, page_size: int = 12, size: int = 200, kind: str = "sheet") -> Gallery:
        """An interactive gallery (ipywidgets) with paging, filters and a detail view; see
        :class:`werk24_frames.widgets.Gallery`."""
        from .widgets import Gallery

        return Gallery(self, page_size=page_size, size=size, kind=kind)

    # -- exports -----------------------------------------------------------------------

    def to_parquet(self, folder: PathLike, tables: Iterable[str] | None = None) -> list[Path]:
        """Write each table to ``<folder>/<table>.parquet``; see :mod:`werk24_frames.export`."""
        from .export import to_parquet

        return to_parquet(self, folder, tables)

    def to_csv(self, folder: PathLike, tables: Iterable[str] | None = None) -> list[Path]:
        """Write each table to ``<folder>/<table>.csv``; see :mod:`werk24_frames.export`."""
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
        self-contained HTML page (``.save("report.html")``); see :func:`werk24_frames.report`."""
        from .report import report

        return report(self, title, max_thumbnails, n_tightest, max_rows, source)

    def to_excel(self, path: PathLike, tables: Iterable[str] | None = None) -> Path:
        """Write one workbook: a README sheet of column meanings, then one sheet per table;
        see :mod:`werk24_frames.export`."""
        from .export import to_excel

        return to_excel(self, path, tables)

    # -- raw answers and images --------------------------------------------------------

    def raw_responses(self, drawing_id: str) -> list[Any]:
        """The untouched answers of one drawing, as read: response dicts, or the message dicts
        of a JSON Lines file (whose ``payload_dict`` is the response).

        Files are read again, so the corpus itself stays small.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.from_responses([{"ask_type": "META_DATA", "weight": None}], drawing_id="d1")
        >>> corpus.raw_responses("d1")
        [{'ask_type': 'META_DATA', 'weight': None}]
        """
        try:
            raw = self._raw[drawing_id]
        except KeyError:
            raise KeyError(f"no drawing {drawing_id!r} in this corpus") from None
        return list(raw())

    def _image_row(self, key: tuple[str, str, int, int]) -> pd.DataFrame:
        """The row of ``images`` for (drawing_id, kind, page, image_index); empty if none."""
        drawing_id, kind, page, index = key
        imgs = self.images
        return imgs[
            (imgs["drawing_id"] == drawing_id)
            & (imgs["kind"] == kind)
            & (imgs["page"] == page)
            & (imgs["image_index"] == index)
        ]

    def image(self, drawing_id: str, kind: str = "sheet", page: int = 0, index: int = 0) -> bytes:
        """The bytes of one image of a drawing (see ``corpus.images``).

        Raises
        ------
        LookupError
            The drawing has no such image, or its bytes are not at hand (only a ``payload_url``).
        """
        key = (drawing_id, kind, page, index)
        data = self._flat.image_bytes.get(key)
        if data is not None:
            return data
        sel = self._image_row(key)
        imgs = self.images
        if sel.empty:
            have = imgs.loc[imgs["drawing_id"] == drawing_id, ["kind", "page", "image_index"]]
            listing = ", ".join(f"{k} page {p} #{n}" for k, p, n in have.itertuples(index=False)) or "none"
            raise LookupError(
                f"drawing {drawing_id!r} has no {kind} image on page {page} (#{index}); it has: {listing}"
            )
        path = sel["path"].iloc[0]
        if isinstance(path, str):
            with open(path, "rb") as fh:
                return fh.read()
        url = sel["url"].iloc[0]
        raise LookupError(
            f"the {kind} image of {drawing_id!r} (page {page}) is not stored, only linked: {url} "
            "(presigned links expire; download them when you save the CLI output)"
        )

    # -- the tables --------------------------------------------------------------------

    @property
    def metadata(self) -> pd.DataFrame:
        """One row per drawing: drawing number, designation, material, weight, general tolerances."""
        return self.table("metadata")

    @property
    def identifiers(self) -> pd.DataFrame:
        """One row per identifier of the title block."""
        return self.table("identifiers")

    @property
    def designations(self) -> pd.DataFrame:
        """One row per designation entry (per language)."""
        return self.table("designations")

    @property
    def materials(self) -> pd.DataFrame:
        """One row per material of each material option."""
        return self.table("materials")

    @property
    def notes(self) -> pd.DataFrame:
        """One row per note on the drawing."""
        return self.table("notes")

    @property
    def certifications(self) -> pd.DataFrame:
        """One row per certification requirement."""
        return self.table("certifications")

    @property
    def bill_of_material(self) -> pd.DataFrame:
        """One row per bill-of-material row."""
        return self.table("bill_of_material")

    @property
    def dimensions(self) -> pd.DataFrame:
        """One row per dimension, with the size columns."""
        return self.table("dimensions")

    @property
    def threads(self) -> pd.DataFrame:
        """One row per thread callout; size columns describe the diameter."""
        return self.table("threads")

    @property
    def bores(self) -> pd.DataFrame:
        """One row per bore; size columns describe the diameter."""
        return self.table("bores")

    @property
    def chamfers(self) -> pd.DataFrame:
        """One row per chamfer; size columns describe its size, `angle` beside it."""
        return self.table("chamfers")

    @property
    def radii(self) -> pd.DataFrame:
        """One row per radius, with the size columns."""
        return self.table("radii")

    @property
    def gdnts(self) -> pd.DataFrame:
        """One row per GD&T feature control frame."""
        return self.table("gdnts")

    @property
    def roughnesses(self) -> pd.DataFrame:
        """One row per roughness symbol, with its main parameter and value."""
        return self.table("roughnesses")

    @property
    def roughness_conditions(self) -> pd.DataFrame:
        """One row per condition of a roughness symbol (all of them)."""
        return self.table("roughness_conditions")

    @property
    def undercuts(self) -> pd.DataFrame:
        """One row per undercut."""
        return self.table("undercuts")

    @property
    def key_slots(self) -> pd.DataFrame:
        """One row per key slot."""
        return self.table("key_slots")

    @property
    def center_holes(self) -> pd.DataFrame:
        """One row per centre hole."""
        return self.table("center_holes")

    @property
    def fasteners(self) -> pd.DataFrame:
        """One row per fastener callout."""
        return self.table("fasteners")

    @property
    def other_features(self) -> pd.DataFrame:
        """Items of response lists werk24_frames does not know yet, kept generically."""
        return self.table("other_features")

    @property
    def features(self) -> pd.DataFrame:
        """Every feature table stacked on the common columns, with a ``table`` column."""
        return self.table("features")

    @property
    def insights(self) -> pd.DataFrame:
        """One row per INSIGHTS answer: processes, volume, envelope."""
        return self.table("insights")

    @property
    def processes(self) -> pd.DataFrame:
        """One row per secondary process."""
        return self.table("processes")

    @property
    def positions(self) -> pd.DataFrame:
        """Where each ``reference_id`` sits on a page (REFERENCE_POSITIONS)."""
        return self.table("positions")

    @property
    def images(self) -> pd.DataFrame:
        """One row per image: sheets, views, legacy thumbnails."""
        return self.table("images")

    @property
    def problems(self) -> pd.DataFrame:
        """Everything that could not be read, or was read with a caveat, and where."""
        return self.table("problems")


def _corpus_from(drawings: Iterator[Drawing] | list[Drawing], problems: list[ProblemRow], where: str) -> Corpus:
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
        techread`` output) before the links expire, and keep them in ``store``. Images fetched
        by an earlier load are reused; links that cannot be fetched become problem rows.
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

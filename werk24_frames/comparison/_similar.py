"""Similar parts: the drawings nearest to a drawing in a documented feature vector.

The vector (:func:`similarity_vectors`) is built from the cost-driver matrix
(:func:`werk24_frames.cost_drivers`) plus a count per feature table, in groups:

=================  ==================================================================  =========
group              columns                                                             transform
=================  ==================================================================  =========
``feature_kinds``  ``n_<table>`` for every feature table (dimensions, threads, …)     log1p
``tolerances``     ``n_toleranced``, ``n_tight``, ``n_fits``, ``n_datums``,            log1p / log
                   ``finest_it_grade``, ``tightest_width_mm``
``size``           ``envelope_max_mm`` (largest envelope size), ``envelope_volume_cm3``,  log
                   ``volume_cm3``
``weight``         ``weight_kg``                                                       log
``material``       ``material_family``                                                 one-hot
``process``        ``primary_process``                                                 one-hot
=================  ==================================================================  =========

Numbers are robustly scaled on the reference drawings (minus the median, divided by the
interquartile range; a range of 0 counts as 1), so no unit dominates; a missing number is the
median (0 after scaling). Each numeric column is multiplied by its group's weight divided by the
square root of the group's size, so a group weighs the same however many columns it has; a
categorical group adds its weight to the distance when the two differ. ``weights={...}``
changes the groups' weights (0 leaves a group out).

The search is exact Euclidean nearest neighbours: scikit-learn's ``NearestNeighbors`` when it
is installed (``pip install 'werk24_frames[similar]'``), else chunked brute force in numpy;
both give the same neighbours (ties broken by the reference's order).

Imports numpy, pandas and the core; scikit-learn only when a search runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import schema
from ._revisions import opt_text

if TYPE_CHECKING:
    from .._corpus import Corpus

__all__ = ["DEFAULT_WEIGHTS", "GROUPS", "nearest", "similar", "similarity_vectors"]

GROUPS: dict[str, tuple[str, ...]] = {
    "feature_kinds": tuple(f"n_{t}" for t in schema.FEATURE_TABLES),
    "tolerances": ("n_toleranced", "n_tight", "n_fits", "n_datums", "finest_it_grade", "tightest_width_mm"),
    "size": ("envelope_max_mm", "envelope_volume_cm3", "volume_cm3"),
    "weight": ("weight_kg",),
    "material": ("material_family",),
    "process": ("primary_process",),
}
CATEGORICAL = ("material", "process")
_LOG1P = {*GROUPS["feature_kinds"], "n_toleranced", "n_tight", "n_fits", "n_datums"}
_LOG = {"tightest_width_mm", "envelope_max_mm", "envelope_volume_cm3", "volume_cm3", "weight_kg"}

#: The weight of each group; pass ``weights={"material": 3}`` to change some of them.
DEFAULT_WEIGHTS: dict[str, float] = {
    "feature_kinds": 1.0,
    "tolerances": 1.0,
    "size": 1.0,
    "weight": 0.5,
    "material": 1.0,
    "process": 1.0,
}

_CHUNK = 2048  # query rows per block of the numpy search: about 2048 x N floats of scratch


def similarity_vectors(corpus: Corpus) -> pd.DataFrame:
    """The raw (unscaled) columns :func:`similar` compares, one row per drawing.

    The cost-driver matrix's columns the groups name, ``n_<table>`` (rows of each feature table)
    and ``envelope_max_mm`` (the largest of the envelope's sizes); indexed by ``drawing_id``,
    with ``drawing_number``. A frame of these columns (for instance built from a spreadsheet of
    past parts) can be passed to :func:`similar` instead of a corpus.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> from werk24_frames.comparison import similarity_vectors
    >>> v = similarity_vectors(wf.sample_corpus())
    >>> v.loc[v.drawing_number == "WF-1012", ["n_dimensions", "n_bores", "material_family"]].to_numpy().tolist()
    [[20.0, 2.0, 'steel']]
    """
    from ..stats import cost_drivers

    cd = cost_drivers(corpus)
    feats = corpus._frame("features")
    counts = feats.groupby(["drawing_id", "table"], observed=True).size().unstack("table")
    has = cd["n_dimensions"].notna()  # a drawing with a FEATURES answer: 0, not NA, where it has none
    out = pd.DataFrame(index=cd.index)
    out["drawing_number"] = cd["drawing_number"]
    for t in schema.FEATURE_TABLES:
        col = counts[t] if t in counts.columns else pd.Series(dtype="float64")
        n = col.reindex(cd.index).astype("float64")
        n[has.to_numpy(dtype=bool, na_value=False) & n.isna().to_numpy()] = 0.0
        out[f"n_{t}"] = n
    env = cd[["envelope_width_mm", "envelope_height_mm", "envelope_depth_mm", "envelope_diameter_mm"]]
    for c in GROUPS["tolerances"] + (
        "envelope_volume_cm3",
        "volume_cm3",
        "weight_kg",
        "material_family",
        "primary_process",
    ):
        out[c] = cd[c]
    out["envelope_max_mm"] = env.astype("float64").max(axis=1, skipna=True)
    return out


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    w = dict(DEFAULT_WEIGHTS)
    for k, v in (weights or {}).items():
        if k not in w:
            raise KeyError(f"no similarity group {k!r}; the groups are: {', '.join(w)}")
        if not np.isfinite(v) or v < 0:
            raise ValueError(f"the weight of {k!r} must be a number >= 0, not {v!r}")
        w[k] = float(v)
    return w


def _numeric(frame: pd.DataFrame, col: str) -> np.ndarray:
    x = pd.to_numeric(frame[col], errors="coerce").astype("float64").to_numpy(na_value=np.nan)
    if col in _LOG1P:
        return np.log1p(np.clip(x, 0, None))
    if col in _LOG:
        return np.log(np.where(x > 0, x, np.nan))
    return x


def encode(
    reference: pd.DataFrame, queries: pd.DataFrame, weights: Mapping[str, float] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Both frames of :func:`similarity_vectors` as weighted, scaled matrices (scaled on ``reference``)."""
    w = _weights(weights)
    ref_cols: list[np.ndarray] = []
    q_cols: list[np.ndarray] = []
    for group, cols in GROUPS.items():
        if w[group] == 0:
            continue
        if group in CATEGORICAL:
            col = cols[0]
            r = reference[col].astype("string").fillna("(none)")
            q = queries[col].astype("string").fillna("(none)")
            for value in sorted(set(r) | set(q)):
                ref_cols.append((r == value).to_numpy(dtype="float64") * w[group] / np.sqrt(2))
                q_cols.append((q == value).to_numpy(dtype="float64") * w[group] / np.sqrt(2))
            continue
        factor = w[group] / np.sqrt(len(cols))
        for col in cols:
            rx = _numeric(reference, col)
            qx = _numeric(queries, col)
            if np.isnan(rx).all():
                med, iqr = 0.0, 1.0
            else:
                med = float(np.nanmedian(rx))
                q75, q25 = np.nanpercentile(rx, [75, 25])
                iqr = float(q75 - q25) or 1.0
            ref_cols.append(np.nan_to_num((rx - med) / iqr, nan=0.0) * factor)
            q_cols.append(np.nan_to_num((qx - med) / iqr, nan=0.0) * factor)
    if not ref_cols:
        raise ValueError("every weight is 0: nothing to compare")
    return np.column_stack(ref_cols), np.column_stack(q_cols)


def _have_sklearn() -> bool:
    try:
        import sklearn.neighbors  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return False
    return True


def nearest(reference: np.ndarray, queries: np.ndarray, k: int, backend: str = "auto") -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest rows of ``reference`` to each row of ``queries``: distances and
    indices, nearest first (ties by index). ``backend``: ``auto``, ``sklearn`` or ``numpy``."""
    if backend not in ("auto", "sklearn", "numpy"):
        raise ValueError(f"backend must be 'auto', 'sklearn' or 'numpy', not {backend!r}")
    k = min(k, len(reference))
    if backend == "sklearn" or (backend == "auto" and _have_sklearn()):
        if backend == "sklearn" and not _have_sklearn():
            from .._extras import require

            require("similar", "the scikit-learn nearest-neighbour search", "sklearn")
        from sklearn.neighbors import NearestNeighbors

        nn = NearestNeighbors(n_neighbors=k).fit(reference)
        dist, idx = nn.kneighbors(queries, n_neighbors=k)
    else:
        dist, idx = _brute(reference, queries, k)
    # the candidates' distances again, exactly (both searches expand |q - r|² and lose digits
    # near 0), then one order for both backends: by distance, ties by index
    dist = np.sqrt(((reference[idx] - queries[:, None, :]) ** 2).sum(axis=2))
    order = np.lexsort((idx, dist), axis=1)
    return np.take_along_axis(dist, order, axis=1), np.take_along_axis(idx, order, axis=1)


def _brute(reference: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact k nearest neighbours by chunks of queries: ``|q|² + |r|² - 2 q·r``."""
    r2 = np.einsum("ij,ij->i", reference, reference)
    dist = np.empty((len(queries), k))
    idx = np.empty((len(queries), k), dtype=np.int64)
    for start in range(0, len(queries), _CHUNK):
        q = queries[start : start + _CHUNK]
        d2 = np.einsum("ij,ij->i", q, q)[:, None] + r2[None, :] - 2.0 * (q @ reference.T)
        np.maximum(d2, 0, out=d2)
        if k < reference.shape[0]:
            part = np.argpartition(d2, k - 1, axis=1)[:, :k]
        else:
            part = np.broadcast_to(np.arange(reference.shape[0]), (len(q), reference.shape[0])).copy()
        pd2 = np.take_along_axis(d2, part, axis=1)
        o = np.lexsort((part, pd2), axis=1)
        dist[start : start + len(q)] = np.sqrt(np.take_along_axis(pd2, o, axis=1))
        idx[start : start + len(q)] = np.take_along_axis(part, o, axis=1)
    return dist, idx


def _vectors(data: Any) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        missing = [c for cols in GROUPS.values() for c in cols if c not in data.columns]
        if missing:
            raise KeyError(
                f"a frame for similar() needs the columns of wf.compare.similarity_vectors(); missing: {', '.join(missing)}"
            )
        return data
    return similarity_vectors(data)


_WHY_COLUMNS = ("material_family", "envelope_max_mm", "primary_process", "finest_it_grade", *GROUPS["feature_kinds"])


class _Rows:
    """The columns ``_why`` reads, as plain Python values by row position: a dict per row on
    demand, without a pandas lookup per match."""

    def __init__(self, v: pd.DataFrame) -> None:
        self._cols = {c: v[c].astype(object).where(v[c].notna(), None).to_numpy() for c in _WHY_COLUMNS}
        names = v["drawing_number"] if "drawing_number" in v.columns else pd.Series(pd.NA, index=v.index)
        self._names = [opt_text(n) or str(i) for n, i in zip(names, v.index, strict=True)]

    def __getitem__(self, j: int) -> dict[str, Any]:
        return {"name": self._names[j], **{c: a[j] for c, a in self._cols.items()}}


def _positive(v: Any) -> bool:
    return v is not None and bool(pd.notna(v)) and bool(v > 0)


def _why(q: Mapping[str, Any], m: Mapping[str, Any]) -> str:
    """Why two drawings are alike (or not), in words."""
    reasons = []
    qf, mf = q.get("material_family"), m.get("material_family")
    if pd.notna(qf) and pd.notna(mf):
        reasons.append(f"same material family ({qf})" if qf == mf else f"material family {qf} vs {mf}")
    qe, me = q.get("envelope_max_mm"), m.get("envelope_max_mm")
    if pd.notna(qe) and pd.notna(me) and max(qe, me) > 0:
        pct = abs(qe - me) / max(qe, me) * 100
        reasons.append(f"envelope within {pct:.0f} %" if pct < 15 else f"envelope {qe:.4g} vs {me:.4g} mm")
    qp, mp = q.get("primary_process"), m.get("primary_process")
    if pd.notna(qp) and pd.notna(mp):
        reasons.append(f"same primary process ({qp})" if qp == mp else f"process {qp} vs {mp}")
    kinds = GROUPS["feature_kinds"]
    qk = {c for c in kinds if _positive(q.get(c))}
    mk = {c for c in kinds if _positive(m.get(c))}
    if qk or mk:
        reasons.append(f"{len(qk & mk)} of {len(qk | mk)} feature kinds shared")
    qg, mg = q.get("finest_it_grade"), m.get("finest_it_grade")
    if pd.notna(qg) and pd.notna(mg):
        reasons.append(f"same tightest IT {int(qg)}" if qg == mg else f"tightest IT {int(qg)} vs {int(mg)}")
    return "; ".join(reasons)


def similar(
    corpus: Any,
    drawing: Any = None,
    *,
    history: Any = None,
    k: int = 5,
    weights: Mapping[str, float] | None = None,
    backend: str = "auto",
) -> pd.DataFrame:
    """The ``k`` drawings most like each query drawing.

    Parameters
    ----------
    corpus
        A corpus (or a frame of :func:`similarity_vectors`).
    drawing
        One drawing of ``corpus`` (id or number), or a list of them, to query; default: every
        drawing of ``corpus``.
    history
        Where to look (a corpus or a frame of :func:`similarity_vectors`); default ``corpus``
        itself. A query is never its own match (a drawing with the same ``drawing_id``).
    k
        Matches per query.
    weights
        The weight of each group (``DEFAULT_WEIGHTS``); e.g. ``{"material": 3, "weight": 0}``.
    backend
        ``auto`` (scikit-learn when installed), ``sklearn`` or ``numpy``.

    Returns
    -------
    pandas.DataFrame
        ``wf.schema.describe("similar")``: ``query``, ``query_id``, ``rank``, ``match``,
        ``match_id``, ``distance``, ``why``, nearest first for each query.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> from werk24_frames.samples import sample_path
    >>> both = wf.load([sample_path(), sample_path("revisions")])  # the family WF-3001…3 among 57 drawings
    >>> near = wf.similar(both, "WF-3001", k=3)
    >>> near[["query", "rank", "match", "distance"]].round(3)
         query  rank    match  distance
    0  WF-3001     1  WF-3002     0.326
    1  WF-3001     2  WF-3003     0.622
    2  WF-3001     3  WF-1014     0.644
    >>> print(near.loc[0, "why"])
    same material family (steel); envelope 70 vs 83 mm; same primary process (TURNING); 6 of 6 feature kinds shared; same tightest IT 6
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    qv = _vectors(corpus)
    ref = qv if history is None else _vectors(history)
    if drawing is not None:
        names = [drawing] if isinstance(drawing, str) or not hasattr(drawing, "__iter__") else list(drawing)
        if isinstance(corpus, pd.DataFrame):
            ids = []
            for n in names:
                hits = (
                    [n]
                    if n in qv.index
                    else list(qv.index[(qv["drawing_number"] == n).to_numpy(dtype=bool, na_value=False)])
                )
                if len(hits) != 1:
                    raise KeyError(
                        f"{n!r} names {len(hits)} rows of the frame (by drawing_id or drawing_number), not one"
                    )
                ids.append(hits[0])
        else:
            ids = [corpus.resolve(n) for n in names]
        qv = qv.loc[ids]
    t = schema.RESULTS["similar"]
    if len(qv) == 0 or len(ref) == 0:
        return schema.empty_frame("similar")
    rmat, qmat = encode(ref, qv, weights)
    ref_ids = np.asarray(ref.index, dtype=object)
    q_ids = list(qv.index)
    # one extra, for the query itself when it is in the reference
    dist, idx = nearest(rmat, qmat, k + 1, backend)
    q_rows, r_rows = _Rows(qv), _Rows(ref)
    rows = []
    for qi, qid in enumerate(q_ids):
        rank = 0
        q = q_rows[qi]
        for d, j in zip(dist[qi], idx[qi], strict=True):
            mid = ref_ids[j]
            if mid == qid:
                continue
            rank += 1
            if rank > k:
                break
            m = r_rows[int(j)]
            rows.append((q["name"], qid, rank, m["name"], mid, float(d), _why(q, m)))
    df = pd.DataFrame(rows, columns=t.column_names)
    return pd.DataFrame({c.name: pd.array(df[c.name].tolist(), dtype=schema.pandas_dtype(c.dtype)) for c in t.columns})

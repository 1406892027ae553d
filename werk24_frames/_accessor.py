"""``corpus.stats``, ``corpus.plot`` and the ``df.w24`` accessor: the functions of
:mod:`werk24_frames.stats` and :mod:`werk24_frames.plots` with the data filled in.

One mechanism serves all three: a :class:`Bound` namespace hands out each function of a
module with its first argument bound: a real function with the module function's name and
docstring, whose signature (``help()``, ``inspect.signature``, an editor's hints) lacks the
argument already given. ``df.w24.with_metadata(...)`` joins metadata columns onto any table.

Examples
--------
>>> import werk24_frames as wf
>>> corpus = wf.sample_corpus()
>>> small = corpus.dimensions.nsmallest(5, "tolerance_width_mm")
>>> int(small.w24.tolerance_stats(by=None).loc["all", "n_features"])
5
>>> corpus.stats.tolerance_stats(by=None).equals(wf.stats.tolerance_stats(corpus, by=None))
True
>>> import inspect
>>> list(inspect.signature(corpus.plot.it_grades).parameters)  # no `data`: it is bound
['ax', 'by', 'tight']
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any

import pandas as pd

from . import plots as _plots
from . import stats as _stats

__all__ = ["Bound", "W24Accessor"]

# What works on a bare feature table; the others need the corpus's metadata or materials.
FRAME_STATS = (
    "datums_used",
    "fits_in_use",
    "gdnt_stats",
    "it_grade_counts",
    "roughness_stats",
    "thread_family",
    "thread_stats",
    "tightest",
    "tolerance_stats",
)
# Everything in wf.stats that takes the data first (thread_family takes a threads table only).
CORPUS_STATS = tuple(n for n in _stats.__all__ if n.islower() and n != "thread_family")
# Every plot of a corpus (plots.capability takes a capability table, not a corpus).
CORPUS_PLOTS = tuple(n for n in _plots.__all__ if n != "capability")
FRAME_PLOTS = ("fingerprint", "gdnt_characteristics", "it_grades", "tolerance_sources", "tolerance_vs_size")


def _bind(func: Callable[..., Any], data: Any, what: str, module: str) -> Callable[..., Any]:
    """``func`` with ``data`` as its first argument: a function that ``help()`` shows with
    ``func``'s docstring and a signature without that argument."""

    @functools.wraps(func)
    def bound(*args: Any, **kwargs: Any) -> Any:
        if args and (args[0] is data or _is_data(args[0])):
            raise TypeError(
                f"{what}() already has its data: call {what}(...) without it, "
                f"or {module.replace('werk24_frames', 'wf')}.{func.__name__}(data, ...)"
            )
        return func(data, *args, **kwargs)

    sig = inspect.signature(func)
    params = list(sig.parameters.values())
    bound.__signature__ = sig.replace(parameters=params[1:])  # type: ignore[attr-defined]
    return bound


def _is_data(value: Any) -> bool:
    """A corpus or a table: what a bound function's first argument already is."""
    from ._corpus import Corpus

    return isinstance(value, Corpus | pd.DataFrame)


class Bound:
    """The functions ``names`` of ``module`` with ``data`` as their first argument."""

    def __init__(self, data: Any, module: str, names: Sequence[str], what: str) -> None:
        self._data = data
        self._module = module
        self._names = tuple(names)
        self._what = what

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_") or name not in self._names:
            raise AttributeError(f"{self._what} has no {name!r}; it has: {', '.join(self._names)}")
        return _bind(getattr(import_module(self._module), name), self._data, f"{self._what}.{name}", self._module)

    def __dir__(self) -> list[str]:
        return list(self._names)

    def __repr__(self) -> str:
        return f"<{self._what}: {', '.join(self._names)}>"


@pd.api.extensions.register_dataframe_accessor("w24")
class W24Accessor(Bound):
    """werk24_frames on a feature table or a slice of one: ``df.w24.tolerance_stats()``,
    ``df.w24.tightest(10)``, ``df.w24.plot.it_grades()``, ``df.w24.with_metadata("drawing_number")``.

    Grouping by metadata columns (material, drawing number) needs the corpus:
    ``corpus.stats.tolerance_stats(by="material_family")``.
    """

    def __init__(self, df: pd.DataFrame) -> None:
        if "drawing_id" not in df.columns:
            raise AttributeError(
                "df.w24 works on werk24_frames tables (they have a `drawing_id` column); this DataFrame has none"
            )
        super().__init__(df, "werk24_frames.stats", FRAME_STATS, "df.w24")
        self.plot = Bound(df, "werk24_frames.plots", FRAME_PLOTS, "df.w24.plot")

    def crops(self, corpus: Any = None, max_rows: int = 50, width: int = 320, height: int = 120) -> Any:
        """Each row beside its crop of the drawing; see :func:`werk24_frames.views.crops`."""
        from .views import crops

        return crops(self._data, corpus, max_rows=max_rows, width=width, height=height)

    def with_metadata(self, *columns: str, corpus: Any = None) -> pd.DataFrame:
        """The table with columns of each row's drawing from ``corpus.metadata`` beside its
        ``drawing_id``: one step instead of a merge.

        Parameters
        ----------
        *columns
            Columns of ``corpus.metadata`` (default ``drawing_number``); one the table already
            has is left as it is.
        corpus
            The corpus the rows come from; found by itself for a corpus's tables and their slices.

        Returns
        -------
        pandas.DataFrame
            A new frame: the same rows, index and order, the columns added after ``drawing_id``.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> corpus = wf.sample_corpus()
        >>> dims = corpus.dimensions
        >>> tight = dims[dims.it_grade <= 6].w24.with_metadata("drawing_number", "material_family")
        >>> tight[["drawing_number", "material_family", "label", "it_grade"]].head(3)
            drawing_number material_family        label  it_grade
        96         WF-1015           steel       Ø28 p6         6
        97         WF-1015           steel  Ø22 0/-0.02         6
        230        WF-1041           steel       Ø12 k6         6
        """
        from ._corpus import corpus_of

        df = self._data
        corpus = corpus if corpus is not None else corpus_of(df)
        if corpus is None:
            raise ValueError(
                "which corpus do these rows come from? pass it: df.w24.with_metadata(..., corpus=corpus) "
                "(it is found by itself only for a corpus's own tables and their slices)"
            )
        meta = corpus._frame("metadata").drop_duplicates("drawing_id").set_index("drawing_id")
        wanted = list(dict.fromkeys(columns or ("drawing_number",)))
        unknown = [c for c in wanted if c not in meta.columns]
        if unknown:
            raise KeyError(
                f"not a column of corpus.metadata: {', '.join(map(repr, unknown))}; "
                f"its columns are: {', '.join(meta.columns)}"
            )
        out = df.copy(deep=False)
        at = out.columns.get_loc("drawing_id") + 1
        for c in (c for c in wanted if c not in out.columns):
            out.insert(at, c, meta[c].reindex(out["drawing_id"]).array)
            at += 1
        return out

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), "crops", "plot", "with_metadata"]

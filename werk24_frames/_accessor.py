"""``corpus.stats``, ``corpus.plot`` and the ``df.w24`` accessor: the functions of
:mod:`werk24_frames.stats` and :mod:`werk24_frames.plots` with the data filled in.

One mechanism serves all three: a :class:`Bound` namespace hands out each function of a
module with its first argument bound, keeping the function's name and docstring for
``help()`` and tab completion.

Examples
--------
>>> import werk24_frames as wf
>>> corpus = wf.sample_corpus()
>>> small = corpus.dimensions.nsmallest(5, "tolerance_width_mm")
>>> int(small.w24.tolerance_stats(by=None).loc["all", "n_features"])
5
>>> corpus.stats.tolerance_stats(by=None).equals(wf.stats.tolerance_stats(corpus, by=None))
True
"""

from __future__ import annotations

import functools
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
CORPUS_PLOTS = tuple(_plots.__all__)
FRAME_PLOTS = ("fingerprint", "gdnt_characteristics", "it_grades", "tolerance_sources", "tolerance_vs_size")


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
        func = getattr(import_module(self._module), name)
        return functools.update_wrapper(functools.partial(func, self._data), func)

    def __dir__(self) -> list[str]:
        return list(self._names)

    def __repr__(self) -> str:
        return f"<{self._what}: {', '.join(self._names)}>"


@pd.api.extensions.register_dataframe_accessor("w24")
class W24Accessor(Bound):
    """werk24_frames on a feature table or a slice of one: ``df.w24.tolerance_stats()``,
    ``df.w24.tightest(10)``, ``df.w24.plot.it_grades()``.

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

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), "crops", "plot"]

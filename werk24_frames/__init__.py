"""werk24_frames: Werk24's answers about technical drawings as tidy pandas tables.

Examples
--------
>>> import werk24_frames as wf
>>> corpus = wf.from_responses([{"ask_type": "META_DATA",
...     "identifiers": [{"identifier_type": "DRAWING_NUMBER", "value": "WK2401"}]}])
>>> corpus.metadata.loc[0, "drawing_number"]
'WK2401'
>>> "version" in dir(wf), "Corpus" in dir(wf)  # tab completion offers the public names
(False, True)
"""

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from . import inspection, plots, schema, stats, tolerances, views
from ._corpus import AmbiguousDrawingError, Corpus, DrawingNotFoundError, from_messages, from_responses, load
from ._drawing import Drawing
from ._sources import SourceError
from .audit import audit, audit_summary
from .comparison import compare, similar
from .export import read_tables
from .io.cache import cache_clear, cache_info
from .io.dataset import open_dataset, to_dataset
from .live import aread_drawings, read_drawings
from .report import report
from .samples import sample_corpus
from .stats import cost_drivers
from .views import crops


def inspection_plan(corpus, **options):  # type: ignore[no-untyped-def]
    """One row per characteristic of every drawing; see :func:`werk24_frames.inspection.inspection_plan`."""
    return inspection.inspection_plan(corpus, **options)


def to_dask(source, table, *, files_per_partition=1000):  # type: ignore[no-untyped-def]
    """One table as a ``dask.dataframe``; see :func:`werk24_frames.io.dask.to_dask` (dask loads on first use)."""
    from .io.dask import to_dask as _to_dask

    return _to_dask(source, table, files_per_partition=files_per_partition)


try:
    __version__ = _version("werk24_frames")
except _PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "AmbiguousDrawingError",
    "Corpus",
    "Drawing",
    "DrawingNotFoundError",
    "SourceError",
    "__version__",
    "aread_drawings",
    "audit",
    "audit_summary",
    "cache_clear",
    "cache_info",
    "compare",
    "cost_drivers",
    "crops",
    "from_messages",
    "from_responses",
    "inspection",
    "inspection_plan",
    "load",
    "open_dataset",
    "plots",
    "read_drawings",
    "read_tables",
    "report",
    "sample_corpus",
    "schema",
    "similar",
    "stats",
    "to_dask",
    "to_dataset",
    "tolerances",
    "views",
]


def __dir__() -> list[str]:
    """The public names only (what ``wf.<TAB>`` offers), plus the public modules."""
    return sorted({*__all__, "export", "live"})

"""Loading at every size: the table cache, Parquet datasets and Dask.

Everything here reads saved answers through the same path: the inputs are listed as *units*
(a response file, a drawing's folder, a stray file) without parsing them, the units are cut
into chunks, and each chunk is one :class:`~werk24_frames.Corpus` built by the ordinary
sources and flatteners. The cache keeps each chunk's typed tables; a dataset writes them to
Parquet chunk by chunk; Dask builds one chunk per partition. So every path gives the same ids
and the same tables as :func:`werk24_frames.load`.

- :mod:`._plan`: units, chunks and building one chunk (imports ``_sources`` and ``_corpus``);
- :mod:`._arrow`: tables to Arrow and back in the schema's dtypes (pyarrow);
- :mod:`.cache`: the table cache behind ``wf.load`` (filelock, platformdirs);
- :mod:`.dataset`: ``wf.to_dataset`` and ``wf.open_dataset`` (Parquet, tqdm if installed);
- :mod:`.dask`: ``wf.to_dask`` and the ``engine="dask"`` writer (dask, imported on first use).

Modules here may import the core (``schema``, ``_sources``, ``_corpus``), never the views,
plots or widgets; the core imports them only inside functions.
"""

from __future__ import annotations

__all__: list[str] = []

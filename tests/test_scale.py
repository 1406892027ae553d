"""Loading at every size: the table cache, Parquet datasets and Dask give the tables of a cold load.

Every comparison runs over ``schema.TABLES``, so tables added to the schema are checked too.
The cache lives in each test's own folder (``cache=``), never in the user's cache.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import builders
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import werk24_frames as wf
from werk24_frames import schema
from werk24_frames.io import _plan, cache, dataset
from werk24_frames.samples import sample_path

EXAMPLES = Path(__file__).parent / "data" / "examples"


def mixed_folder(root: Path) -> Path:
    """Every shape ``wf.load`` reads, and what goes wrong: drawing folders with images, response
    files, docs-shaped answers, CLI JSON Lines with two requests, a repeated name, a broken file
    and a stray file."""
    folder = root / "responses"
    folder.mkdir(parents=True)
    for name in sorted(os.listdir(sample_path()))[:4]:
        shutil.copytree(sample_path() / name, folder / name)
    builders.write_json(folder / "full.json", builders.all_responses())
    for f in ("docs_features.json", "docs_meta_data.json", "docs_insights.json"):
        shutil.copy(EXAMPLES / f, folder / f)
    shutil.copy(EXAMPLES / "cli_techread_output.jsonl", folder / "cli.jsonl")
    builders.write_jsonl(
        folder / "two.jsonl",
        builders.messages(request_id="11111111-1111-1111-1111-111111111111")
        + builders.messages([builders.meta_data()], request_id="22222222-2222-2222-2222-222222222222"),
    )
    builders.write_json(folder / "dup.json", [builders.meta_data()])
    builders.write_json(folder / "dup" / "META_DATA.json", builders.meta_data())
    (folder / "broken.json").write_text('{"ask_type": "FEATURES", "dimensions": [', encoding="utf-8")
    (folder / "notes.csv").write_text("a,b\n", encoding="utf-8")
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return mixed_folder(tmp_path)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of about four units, so that every corpus here is made of several (five)."""
    monkeypatch.setattr(_plan, "CHUNK_UNITS", 4)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the chunks the cache builds from files (rather than reads back)."""
    calls: list[int] = []
    real = cache.build_chunk

    def counting(units):  # type: ignore[no-untyped-def]
        calls.append(len(units))
        return real(units)

    monkeypatch.setattr(cache, "build_chunk", counting)
    return calls


def assert_same_tables(got: wf.Corpus, want: wf.Corpus, skip_problems: bool = False) -> None:
    for name in schema.TABLES:
        if skip_problems and name == "problems":
            continue
        pd.testing.assert_frame_equal(got.table(name), want.table(name), check_exact=True, obj=name)


def sorted_rows(df: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in df.columns if c != "polygon"]
    return df.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)


def assert_same_rows(got: pd.DataFrame, want: pd.DataFrame, name: str) -> None:
    """Equal up to row order, dtypes included."""
    assert [str(t) for t in got.dtypes] == [str(t) for t in want.dtypes], name
    pd.testing.assert_frame_equal(sorted_rows(got), sorted_rows(want), check_exact=True, obj=name)


# --------------------------------------------------------------------------------------
# The table cache
# --------------------------------------------------------------------------------------


def test_mixed_folder_has_what_the_tests_need(folder, tmp_path):
    c = wf.load(folder, cache=False)
    ids = set(c.drawing_ids)
    assert {"dup", "dup~2", "full", "two:11111111-1111-1111-1111-111111111111"} <= ids
    sev = c.table("problems").groupby("severity").size()
    assert sev["error"] >= 1 and sev["info"] >= 1
    assert len(c.positions) and c.positions["polygon"].notna().any()
    assert c.images["path"].notna().any()


@pytest.mark.usefixtures("small_chunks")
def test_warm_load_reads_every_table_back_unchanged(folder, tmp_path, builds):
    cold = wf.load(folder, cache=False)
    first = wf.load(folder, cache=tmp_path / "cache")
    n_chunks = len(builds)
    assert n_chunks > 2  # several chunks, so the chunks are put together too
    warm = wf.load(folder, cache=tmp_path / "cache")
    assert len(builds) == n_chunks  # nothing built again
    assert_same_tables(first, cold)
    assert_same_tables(warm, cold)
    assert warm.drawing_ids == cold.drawing_ids
    assert repr(warm) == repr(cold.tables() and cold)
    for did in cold.drawing_ids:
        assert warm.raw_responses(did) == cold.raw_responses(did)
    for kind, did, page, index in cold.images[["kind", "drawing_id", "page", "image_index"]].itertuples(index=False):
        if warm.images.loc[(warm.images.drawing_id == did) & (warm.images.kind == kind), "path"].notna().all():
            assert warm.image(did, kind, page, index) == cold.image(did, kind, page, index)


@pytest.mark.usefixtures("small_chunks")
def test_a_whole_entry_is_read_without_taking_its_lock(folder, tmp_path, monkeypatch):
    import filelock

    store = tmp_path / "cache"
    cold = wf.load(folder, cache=store)

    class Refused(filelock.FileLock):
        def acquire(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise AssertionError("a warm load of whole entries took a lock")

    monkeypatch.setattr(filelock, "FileLock", Refused)
    warm = wf.load(folder, cache=store)
    assert_same_tables(warm, cold)
    # a missing entry still takes the lock (here refused: the chunk is built, and said so)
    shutil.rmtree(sorted(p for p in store.iterdir() if p.is_dir() and not p.name.startswith("."))[0])
    with pytest.raises(AssertionError, match="took a lock"):
        wf.load(folder, cache=store)


def test_one_chunk_corpus_is_the_same_with_and_without_cache(folder, tmp_path):
    warm = [wf.load(folder, cache=tmp_path / "c") for _ in range(2)][1]
    assert_same_tables(warm, wf.load(folder, cache=False))


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("change", ["add", "remove", "rewrite", "touch", "add_image", "rename"])
def test_a_changed_file_is_read_again_and_nothing_stale_is_kept(folder, tmp_path, builds, change):
    store = tmp_path / "cache"
    wf.load(folder, cache=store)
    n_chunks = len(builds)
    builds.clear()
    if change == "add":
        builders.write_json(folder / "added.json", builders.all_responses())
    elif change == "remove":
        (folder / "full.json").unlink()
    elif change == "rewrite":  # same size, other value, other mtime
        p = folder / "dup.json"
        p.write_text(p.read_text(encoding="utf-8").replace("P-100", "Q-100"), encoding="utf-8")
    elif change == "touch":
        p = folder / "docs_insights.json"
        st = p.stat()
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    elif change == "add_image":
        drawing = next(p for p in sorted(folder.iterdir()) if (p / "sheet_0.png").exists())
        (drawing / "view_0_1.png").write_bytes(builders.png(7, 5))
    else:
        (folder / "dup.json").rename(folder / "dup2.json")
    warm = wf.load(folder, cache=store)
    assert 1 <= len(builds) < n_chunks  # what changed, not everything
    assert_same_tables(warm, wf.load(folder, cache=False))
    if change == "rewrite":
        assert "Q-100" in set(warm.bill_of_material["part_number"])


_ANSWERS = [
    [builders.meta_data()],
    [builders.features()],
    builders.all_responses(),
    [builders.insights(), builders.reference_positions()],
]


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["write", "remove", "touch"]), st.integers(0, 7), st.integers(0, len(_ANSWERS) - 1)),
        min_size=1,
        max_size=3,
    ),
    average=st.integers(1, 3),
)
def test_any_sequence_of_changes_gives_the_tables_of_a_cold_load(tmp_path_factory, monkeypatch, steps, average):
    """Files written, removed and touched in any order, the cache cut into chunks of any size:
    every load from the cache equals a cold load of the files as they are then."""
    monkeypatch.setattr(_plan, "CHUNK_UNITS", average)
    root = tmp_path_factory.mktemp("prop")
    folder, store = root / "in", root / "cache"
    for i in range(3):
        builders.write_json(folder / f"d{i}.json", _ANSWERS[i])
    wf.load(folder, cache=store)
    for what, i, answers in steps:
        path = folder / f"d{i}.json"
        if what == "write":
            builders.write_json(path, _ANSWERS[answers])
        elif what == "remove" and path.exists() and len(list(folder.iterdir())) > 1:
            path.unlink()
        elif what == "touch" and path.exists():
            st_ = path.stat()
            os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns + 1000))
        assert_same_tables(wf.load(folder, cache=store), wf.load(folder, cache=False))


def test_an_image_a_message_names_that_changes_is_read_again(tmp_path):
    """A message may name an image file beside it (never outside its folder, which is refused);
    its size and mtime are part of the entry."""
    img = tmp_path / "in" / "sheet.png"
    img.parent.mkdir()
    img.write_bytes(builders.png(10, 10))
    msg = builders.messages([builders.meta_data()])
    msg.append({**msg[0], "message_subtype": "SHEET_IMAGES", "payload_dict": None, "payload_file": "sheet.png"})
    src = builders.write_jsonl(tmp_path / "in" / "d.jsonl", msg)
    store = tmp_path / "cache"
    assert wf.load(src, cache=store).images["width"].tolist() == [10]
    img.write_bytes(builders.png(20, 10))
    assert wf.load(src, cache=store).images["width"].tolist() == [20]


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("damage", ["garbage_table", "truncated_table", "no_manifest", "foreign_manifest"])
def test_a_corrupt_or_foreign_entry_is_ignored_with_an_info_row_and_rebuilt(folder, tmp_path, damage):
    store = tmp_path / "cache"
    cold = wf.load(folder, cache=False)
    wf.load(folder, cache=store)
    entry = sorted(p for p in store.iterdir() if p.is_dir() and not p.name.startswith("."))[0]
    if damage == "garbage_table":  # the dimensions' bytes overwritten, the file's size kept
        manifest = json.loads((entry / "manifest.json").read_text())  # a table with rows: one that is read
        offset, length = manifest["tables"][next(t for t, n in manifest["rows"].items() if n)]
        data = bytearray((entry / "tables.arrow").read_bytes())
        data[offset : offset + length] = (b"not arrow at all" * length)[:length]
        (entry / "tables.arrow").write_bytes(bytes(data))
    elif damage == "truncated_table":
        data = (entry / "tables.arrow").read_bytes()
        (entry / "tables.arrow").write_bytes(data[: len(data) // 2])
    elif damage == "no_manifest":
        (entry / "manifest.json").unlink()
    else:
        manifest = json.loads((entry / "manifest.json").read_text())
        manifest["key"] = "0" * 40
        (entry / "manifest.json").write_text(json.dumps(manifest))
    warm = wf.load(folder, cache=store)
    assert_same_tables(warm, cold, skip_problems=True)
    p = warm.table("problems")
    extra = p[p["message"].str.contains("table cache entry was ignored")]
    assert len(extra) == 1 and extra["severity"].tolist() == ["info"] and extra["source"].tolist() == [str(entry)]
    pd.testing.assert_frame_equal(p.drop(extra.index).reset_index(drop=True), cold.table("problems"))
    again = wf.load(folder, cache=store)  # rebuilt: clean again
    assert_same_tables(again, cold)


_WRITER = """
import sys, werk24_frames as wf
from werk24_frames.io import _plan
_plan.CHUNK_UNITS = 4
corpus = wf.load(sys.argv[1], cache=sys.argv[2])
corpus.to_parquet(sys.argv[3])
"""


@pytest.mark.usefixtures("small_chunks")
def test_two_processes_filling_one_cache_at_once(folder, tmp_path, builds):
    store = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(wf.__file__).parents[1]), *sys.path])}
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(folder), str(store), str(tmp_path / f"out{i}")], env=env)
        for i in range(2)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    cold = wf.load(folder, cache=False)
    for i in range(2):
        back = wf.read_tables(tmp_path / f"out{i}")
        for name in schema.TABLES:
            pd.testing.assert_frame_equal(back[name], cold.table(name), check_exact=True, obj=name)
    warm = wf.load(folder, cache=store)
    assert builds == []  # every entry the two wrote is whole and readable
    assert_same_tables(warm, cold)
    assert not list(store.glob(".tmp-*"))


def test_cache_false_writes_nothing_and_the_variable_relocates_the_cache(folder, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "from_env"))
    wf.load(folder, cache=False)
    assert not (tmp_path / "from_env").exists()
    wf.load(folder)
    info = wf.cache_info()
    assert info["path"] == str(tmp_path / "from_env") and info["entries"] >= 1 and info["bytes"] > 0
    assert wf.cache_clear()["entries"] == info["entries"]
    assert wf.cache_info()["entries"] == 0
    monkeypatch.setenv(cache.ENV_VAR, "off")
    assert wf.cache_info()["path"] is None
    wf.load(folder)
    assert wf.cache_info(tmp_path / "from_env")["entries"] == 0


def test_a_relative_path_from_another_folder_is_another_entry(tmp_path, monkeypatch):
    for name in ("a", "b"):
        builders.write_json(tmp_path / name / "responses" / "d.json", [{**builders.meta_data()}])
    (tmp_path / "b" / "responses" / "d.json").write_text(
        (tmp_path / "a" / "responses" / "d.json").read_text().replace("P-100", "Q-100")
    )
    st = os.stat(tmp_path / "a" / "responses" / "d.json")  # the same name, size and mtime: only the folder differs
    os.utime(tmp_path / "b" / "responses" / "d.json", ns=(st.st_atime_ns, st.st_mtime_ns))
    got = {}
    for name in ("a", "b"):
        monkeypatch.chdir(tmp_path / name)
        got[name] = wf.load("responses", cache=tmp_path / "cache").bill_of_material["part_number"].iloc[0]
    assert (got["a"], got["b"]) == ("P-100", "Q-100")


def test_nothing_readable_still_raises_with_a_cache(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "broken.json").write_text("{", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(wf.SourceError, match="nothing readable"):
            wf.load(tmp_path / "in", cache=tmp_path / "cache")


def test_import_loads_no_cache_dataset_or_dask_library():
    code = (
        "import sys, werk24_frames; "
        "print(sorted({'dask', 'distributed', 'filelock', 'platformdirs', 'tqdm'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------------------
# Chunks keep the ids
# --------------------------------------------------------------------------------------


def test_repeated_names_in_several_roots_keep_their_suffixes_in_any_chunking(tmp_path):
    roots = []
    for r in range(3):
        root = tmp_path / f"r{r}"
        for i in range(4):
            builders.write_json(root / f"d{i}.json", [builders.meta_data()])
        roots.append(root)
    want = wf.load(roots, cache=False).drawing_ids
    assert want.count("d0") == 1 and "d0~3" in want
    units = wf._sources.list_units(roots)
    for size in (1, 2, 5):
        got = []
        for chunk in _plan.chunks_by_count(units, size):
            got += _plan.build_chunk([units[i] for i in chunk]).drawing_ids
        assert sorted(got) == sorted(want)
        ids_by_chunk = [
            _plan.build_chunk([units[i] for i in c]).drawing_ids for c in _plan.chunks_by_content(units, size)
        ]
        assert sorted(d for ids in ids_by_chunk for d in ids) == sorted(want)


# --------------------------------------------------------------------------------------
# Datasets
# --------------------------------------------------------------------------------------


def test_dataset_holds_every_table_of_a_load(folder, tmp_path):
    out = wf.to_dataset(folder, tmp_path / "ds", chunk_size=3, progress=False)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(("_", "."))) == sorted(
        [*schema.TABLES, "dataset.json"]
    )
    want = wf.load(folder, cache=False)
    got = wf.open_dataset(out)
    assert sorted(got.drawing_ids) == sorted(want.drawing_ids)
    for name in schema.TABLES:
        assert_same_rows(got.table(name), want.table(name), name)
    for did in want.drawing_ids:
        assert got.raw_responses(did) == want.raw_responses(did)
    pd.testing.assert_frame_equal(
        sorted_rows(got.stats.tolerance_stats(by="drawing_id")),
        sorted_rows(want.stats.tolerance_stats(by="drawing_id")),
    )
    pytest.importorskip("matplotlib")
    assert got.plot.it_grades().has_data()


def test_dataset_selection_reads_only_those_drawings(folder, tmp_path):
    out = wf.to_dataset(folder, tmp_path / "ds", chunk_size=3, progress=False)
    want = wf.load(folder, cache=False)
    pick = ["full", "dup~2", sorted(want.drawing_ids)[0]]
    got = wf.open_dataset(out, drawing_ids=pick)
    assert sorted(got.drawing_ids) == sorted(pick)
    for name in schema.TABLES:
        w = want.table(name)
        assert_same_rows(got.table(name), w[w["drawing_id"].isin(pick)], name)
    assert_same_rows(wf.audit(got), wf.audit(want).query("drawing_id in @pick"), "audit")
    pytest.importorskip("PIL")
    with_sheet = sorted(want.images["drawing_id"].unique())[0]
    one = wf.open_dataset(out, drawing_ids=[with_sheet])
    assert one.show(with_sheet)._repr_html_() == want.show(with_sheet)._repr_html_()


def _parts(root: Path) -> dict[str, object]:
    """Every Parquet part of a dataset read back, and every chunk record, by relative path."""
    import pyarrow.parquet as pq

    out: dict[str, object] = {}
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root).as_posix()
        if f.suffix == ".parquet":
            out[rel] = pq.read_table(f).to_pandas()
        elif f.parent.name == "_chunks" or f.name == "dataset.json":
            out[rel] = json.loads(f.read_text())
    return out


def test_a_dataset_written_by_two_processes_is_the_one_written_by_one(folder, tmp_path):
    one = _parts(wf.to_dataset(folder, tmp_path / "one", chunk_size=2, progress=False))
    two_root = wf.to_dataset(folder, tmp_path / "two", chunk_size=2, progress=False, workers=2)
    two = _parts(two_root)
    assert list(two) == list(one) and len([k for k in one if k.startswith("_chunks/")]) > 3
    for rel, want in one.items():
        if isinstance(want, pd.DataFrame):
            pd.testing.assert_frame_equal(two[rel], want, check_exact=True, obj=rel)  # type: ignore[arg-type]
        else:
            assert two[rel] == want, rel
    # Started again with nothing changed, nothing is written; with one file changed, its chunk.
    stamps = {f: f.stat().st_mtime_ns for f in two_root.rglob("*.parquet")}
    wf.to_dataset(folder, two_root, chunk_size=2, progress=False, workers=2)
    assert {f: f.stat().st_mtime_ns for f in two_root.rglob("*.parquet")} == stamps
    builders.write_json(folder / "full.json", [builders.meta_data()])
    wf.to_dataset(folder, two_root, chunk_size=2, progress=False, workers=2)
    changed = {f.parent.name + "/" + f.name for f, t in stamps.items() if f.stat().st_mtime_ns != t}
    assert len({c.split("/")[1] for c in changed}) == 1  # one part index, in every table's folder
    for name in schema.TABLES:
        assert_same_rows(wf.open_dataset(two_root).table(name), wf.load(folder, cache=False).table(name), name)


def test_workers_must_be_at_least_one(folder, tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        wf.to_dataset(folder, tmp_path / "ds", workers=0)


def test_an_interrupted_dataset_resumes_where_it_stopped(folder, tmp_path, monkeypatch):
    real = dataset.write_chunk
    written: list[int] = []

    def dies_at_third(root, index, key, units):  # type: ignore[no-untyped-def]
        if len(written) == 2:
            raise KeyboardInterrupt
        written.append(index)
        return real(root, index, key, units)

    monkeypatch.setattr(dataset, "write_chunk", dies_at_third)
    with pytest.raises(KeyboardInterrupt):
        wf.to_dataset(folder, tmp_path / "ds", chunk_size=2, progress=False)
    assert not (tmp_path / "ds" / "dataset.json").exists()
    with pytest.raises(FileNotFoundError, match="no finished dataset"):
        wf.open_dataset(tmp_path / "ds")
    # A part left half-written by a killed process: its chunk has no record, so it is written again.
    (tmp_path / "ds" / "dimensions" / "part-00002.parquet").write_bytes(b"half a file")
    resumed: list[int] = []

    def counting(root, index, key, units):  # type: ignore[no-untyped-def]
        resumed.append(index)
        return real(root, index, key, units)

    monkeypatch.setattr(dataset, "write_chunk", counting)
    wf.to_dataset(folder, tmp_path / "ds", chunk_size=2, progress=False)
    assert resumed and not set(resumed) & {0, 1}
    want = wf.load(folder, cache=False)
    got = wf.open_dataset(tmp_path / "ds")
    for name in schema.TABLES:
        assert_same_rows(got.table(name), want.table(name), name)
    # Run again after a file changed: only its chunk is written.
    resumed.clear()
    builders.write_json(folder / "full.json", [builders.meta_data()])
    wf.to_dataset(folder, tmp_path / "ds", chunk_size=2, progress=False)
    assert len(resumed) == 1
    assert_same_rows(wf.open_dataset(tmp_path / "ds").dimensions, wf.load(folder, cache=False).dimensions, "dims")


# --------------------------------------------------------------------------------------
# Dask
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dask_client():
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_to_dask_equals_load_for_every_table(folder, dask_client):
    want = wf.load(folder, cache=False)
    for name in schema.TABLES:
        ddf = wf.to_dask(folder, name, files_per_partition=4)
        assert ddf.npartitions > 1
        assert [str(t) for t in ddf.dtypes] == [str(t) for t in schema.empty_frame(name).dtypes], name
        assert_same_rows(ddf.compute().reset_index(drop=True), want.table(name), name)


def test_to_dataset_on_a_dask_cluster_equals_the_local_one(folder, tmp_path, dask_client):
    a = wf.to_dataset(folder, tmp_path / "local", chunk_size=3, progress=False)
    b = wf.to_dataset(folder, tmp_path / "dask", chunk_size=3, engine="dask")
    ca, cb = wf.open_dataset(a), wf.open_dataset(b)
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(cb.table(name), ca.table(name), check_exact=True, obj=name)


def test_to_dask_names_unknown_tables():
    with pytest.raises(KeyError, match="no table named 'dims'"):
        wf.to_dask(".", "dims")

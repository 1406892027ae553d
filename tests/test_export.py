"""Exports: every table to Parquet, CSV and Excel, and back with the schema's dtypes."""

from __future__ import annotations

import openpyxl
import pandas as pd
import picture_corpus as pc
import pyarrow.parquet as pq
import pytest

import werk24_frames as wf
from werk24_frames import export, schema


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The sample drawings and the picture corpus together: polygons, hostile text, Ø, and a
    problems row (the corrupt sheet, found by making thumbnails)."""
    c = pc.build(tmp_path_factory.mktemp("pictures") / "responses")
    c.thumbnails()
    assert len(c.table("problems")) == 1
    return c


def assert_same(back: dict[str, pd.DataFrame], corpus, exact: bool = True) -> None:
    assert list(back) == list(corpus.tables())
    for name, df in corpus.tables().items():
        got = back[name]
        assert list(got.columns) == list(schema.empty_frame(name).columns)
        assert [str(t) for t in got.dtypes] == [str(t) for t in schema.empty_frame(name).dtypes], name
        if exact:
            pd.testing.assert_frame_equal(got, df, check_exact=True)
        else:  # Excel keeps about 16 significant digits
            pd.testing.assert_frame_equal(got, df, check_exact=False, rtol=1e-15, atol=0)


@pytest.mark.parametrize("corpus_name", ["sample", "pictures"])
def test_parquet_round_trip_keeps_values_and_dtypes(corpus_name, corpus, tmp_path):
    c = wf.sample_corpus() if corpus_name == "sample" else corpus
    paths = c.to_parquet(tmp_path / "out")
    assert sorted(p.name for p in paths) == sorted(f"{n}.parquet" for n in schema.TABLES)
    assert_same(wf.read_tables(tmp_path / "out"), c)
    # Parquet keeps the nullable dtypes by itself (strings come back as pandas strings).
    plain = pd.read_parquet(tmp_path / "out" / "dimensions.parquet")
    for col in ("quantity", "it_grade"):
        assert str(plain[col].dtype) == "Int64"
    assert str(plain["is_reference"].dtype) == "boolean"
    assert isinstance(plain["label"].dtype, pd.StringDtype)


def test_positions_written_and_read_by_pandas_alone_keep_their_polygons(corpus, tmp_path):
    # the polygons are flat float arrays, which pyarrow writes as list<double> and pandas reads
    # back as the same arrays, without werk24_frames on either side
    pos = corpus.positions
    pos.to_parquet(tmp_path / "positions.parquet", index=False)
    back = pd.read_parquet(tmp_path / "positions.parquet")
    assert str(pq.read_schema(tmp_path / "positions.parquet").field("polygon").type) == "list<element: double>"
    assert back["polygon"].notna().sum() == pos["polygon"].notna().sum() > 0
    pd.testing.assert_series_equal(back["polygon"], pos["polygon"], check_exact=True)


def test_the_corpus_key_is_not_written(corpus, tmp_path):
    corpus.to_parquet(tmp_path, tables=["dimensions"])
    meta = pq.read_metadata(tmp_path / "dimensions.parquet").metadata
    assert corpus._key.encode() not in b"".join(meta.values())
    assert pd.read_parquet(tmp_path / "dimensions.parquet").attrs == {}
    assert corpus.dimensions.attrs  # the corpus's own table keeps it


def test_csv_round_trip(corpus, tmp_path):
    corpus.to_csv(tmp_path)
    assert_same(wf.read_tables(tmp_path), corpus)
    text = (tmp_path / "positions.csv").read_text(encoding="utf-8")
    assert "[[10.0, 20.0], [60.0, 20.0], [60.0, 35.0], [10.0, 35.0]]" in text  # polygons as JSON
    assert pc.HOSTILE in (tmp_path / "metadata.csv").read_text(encoding="utf-8")


def test_excel_has_a_readme_sheet_and_one_sheet_per_table(corpus, tmp_path):
    path = corpus.to_excel(tmp_path / "corpus.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["README", *corpus.tables()]
    readme = pd.read_excel(path, sheet_name="README")
    assert list(readme.columns) == ["table", "rows", "column", "dtype", "description", "json_path"]
    for name, df in corpus.tables().items():
        mine = readme[readme["table"] == name]
        want = schema.describe(name)
        assert list(mine["column"]) == list(want["column"])
        assert list(mine["description"]) == list(want["description"])
        assert set(mine["rows"]) == {len(df)}
    assert_same(wf.read_tables(path), corpus, exact=False)


def test_a_subset_of_tables(corpus, tmp_path):
    paths = corpus.to_csv(tmp_path, tables=["problems", "dimensions"])
    assert [p.name for p in paths] == ["dimensions.csv", "problems.csv"]  # problems last
    assert list(wf.read_tables(tmp_path)) == ["dimensions", "problems"]
    with pytest.raises(KeyError, match="no table named 'dims'"):
        corpus.to_csv(tmp_path, tables=["dims"])


def test_clear_errors(corpus, tmp_path, monkeypatch):
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(NotADirectoryError, match="is a file"):
        corpus.to_parquet(tmp_path / "file.txt")
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        wf.read_tables(tmp_path / "nothing")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "dimensions.csv").write_text("drawing_id,label\nA,12\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"dimensions\.csv: not a 'dimensions' table .* lacks source"):
        wf.read_tables(tmp_path / "bad")
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 5)
    with pytest.raises(ValueError, match=r"the table .metadata. has 5 rows, more than an Excel sheet holds \(4\)"):
        corpus.to_excel(tmp_path / "big.xlsx")
    assert not (tmp_path / "big.xlsx").exists()

"""The ``werk24-frames`` command: every subcommand as a user runs it.

Most tests call ``cli.main(argv)`` in the process (fast, and the emulator's CA can be trusted);
the installed console script itself is run once per kind of use, as the README runs it.
"""

from __future__ import annotations

import copy
import io
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import builders
import pandas as pd
import pytest
from test_live import SAMPLES, TOKEN, sheets

import werk24_frames as wf
from werk24_frames import cli
from werk24_frames._store import content_id
from werk24_frames.samples import sample_path
from werk24_frames.testing import Behaviour, Werk24Emulator, trust_emulator

SCRIPT = shutil.which("werk24-frames", path=str(Path(sys.executable).parent))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def drawing_folder(root: Path, name: str, responses: list[dict]) -> Path:
    for r in responses:
        builders.write_json(root / name / f"{r['ask_type'].lower()}.json", r)
    return root / name


@pytest.fixture
def answers_with_an_error(tmp_path) -> Path:
    """Two drawings; one has a dimension whose lower limit lies above its upper limit."""
    root = tmp_path / "answers"
    drawing_folder(root, "good", [builders.meta_data(), builders.features()])
    feats = builders.features()
    feats["dimensions"][0]["size"] = builders.size("12", lower="0.1", upper="-0.1")
    drawing_folder(root, "inverted", [builders.meta_data(), feats])
    return root


# --------------------------------------------------------------------------------------
# The console script and --help
# --------------------------------------------------------------------------------------


def readme_main_command() -> list[str]:
    """The command after the install in the README's first line of shell."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```bash\n", 1)[1].split("```", 1)[0]
    first = next(ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#"))
    install, command = first.split(" && ")
    assert install.startswith("python -m pip install -e ")
    return shlex.split(command)


@pytest.mark.slow
def test_the_readme_main_command_writes_the_report_with_the_installed_script(tmp_path):
    command = readme_main_command()
    assert command == ["werk24-frames", "report", "--sample"]
    assert SCRIPT, "werk24-frames is not installed next to this Python (pip install -e .)"
    done = subprocess.run([SCRIPT, *command[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "werk24_frames_report.html"
    html = path.read_text(encoding="utf-8")
    assert "<h2>Tightest features</h2>" in html and html.count("<img ") > 40
    assert f"wrote {path.name}" in done.stdout and "44 drawings" in done.stdout
    assert done.stderr == ""


def test_python_dash_m_is_the_same_command(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "werk24_frames", "--help"], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0
    assert done.stdout.startswith("usage: python -m werk24_frames [-h] [--version] COMMAND")
    for command in ("report", "tables", "audit", "summary", "read"):
        assert f"    {command} " in done.stdout


def test_help_says_what_each_command_does_with_examples(capsys):
    for command in ("report", "tables", "audit", "summary", "read"):
        with pytest.raises(SystemExit) as exit_:
            cli.main([command, "--help"])
        assert exit_.value.code == 0
        out = capsys.readouterr().out
        assert f"usage: werk24-frames {command}" in out
        assert f"examples:\n  werk24-frames {command}" in out or "examples:\n  export W24TECHREAD" in out
    with pytest.raises(SystemExit):
        cli.main(["read", "--help"])
    assert "never taken on the command line" in capsys.readouterr().out


def test_no_command_prints_the_help_and_fails(capsys):
    code, _, err = run(capsys)
    assert code == 2 and "commands:" in err


def test_help_does_not_import_the_heavy_modules():
    code = "import sys\nfrom werk24_frames import cli\ntry:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
    code += "print(sorted(m for m in ('matplotlib', 'PIL', 'werk24', 'openpyxl', 'httpx') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]"


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["report", "tables", "audit", "summary"])
def test_a_missing_path_is_a_one_line_error(capsys, tmp_path, command):
    extra = ["--out", str(tmp_path / "t")] if command == "tables" else []
    code, out, err = run(capsys, command, str(tmp_path / "nowhere"), *extra)
    assert code == 2
    assert err.strip() == f"werk24-frames {command}: error: no such file or folder: {str(tmp_path / 'nowhere')!r}"
    assert "Traceback" not in err and out == ""


def test_no_source_and_both_sources_are_usage_errors(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["audit"])
    assert exit_.value.code == 2
    assert "give files or folders of saved answers (SOURCE), or --sample" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["audit", "--sample", str(tmp_path)])
    assert "not both" in capsys.readouterr().err


def test_unreadable_files_are_named_and_the_rest_is_reported(capsys, tmp_path, answers_with_an_error):
    (answers_with_an_error / "broken.json").write_text('{"ask_type": "META_DATA", "identifiers": [', encoding="utf-8")
    out_file = tmp_path / "r.html"
    code, out, err = run(capsys, "report", str(answers_with_an_error), "-o", str(out_file))
    assert code == 0
    # the cut file is read as far as it goes: a drawing whose META_DATA answer has two errors
    assert "broken.json" in err and "2 problems while reading" in err and "never closed" in err
    assert out_file.is_file() and "broken.json" in out_file.read_text(encoding="utf-8")
    assert "3 drawings" in out


def test_a_folder_as_the_report_file_is_an_error(capsys, tmp_path):
    code, _, err = run(capsys, "report", "--sample", "-o", str(tmp_path), "--thumbnails", "1", "--tightest", "1")
    assert code == 2 and "is a folder" in err


def test_counts_must_be_whole_and_positive(capsys):
    with pytest.raises(SystemExit):
        cli.main(["report", "--sample", "--thumbnails", "0"])
    assert "must be at least 1, not 0" in capsys.readouterr().err


# --------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------


def test_tables_parquet_round_trips_every_table(capsys, tmp_path):
    code, out, _ = run(capsys, "tables", "--sample", "--out", str(tmp_path / "t"), "--format", "parquet")
    assert code == 0
    corpus = wf.sample_corpus()
    back = wf.read_tables(tmp_path / "t")
    assert list(back) == list(corpus.tables()) and list(back)[-1] == "problems"
    assert f"wrote {len(back)} files for 44 drawings" in out
    for name in ("dimensions", "metadata", "bores"):
        want = corpus.table(name).copy()
        want.attrs = {}
        pd.testing.assert_frame_equal(back[name], want)


def test_tables_xlsx_and_csv_with_a_choice_of_tables(capsys, tmp_path):
    code, _, _ = run(
        capsys,
        "tables",
        "--sample",
        "--out",
        str(tmp_path / "x.xlsx"),
        "--format",
        "xlsx",
        "--only",
        "dimensions,bores",
    )
    assert code == 0
    assert pd.ExcelFile(tmp_path / "x.xlsx").sheet_names == ["README", "dimensions", "bores"]
    code, _, _ = run(capsys, "tables", "--sample", "--out", str(tmp_path / "c"), "--only", "threads")
    assert code == 0
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["threads.csv"]
    assert len(pd.read_csv(tmp_path / "c" / "threads.csv")) == len(wf.sample_corpus().threads)


def test_a_table_too_long_for_excel_is_a_one_line_error(capsys, tmp_path, monkeypatch):
    from werk24_frames import export

    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 100)  # the sample's 796 dimensions stand for a million
    code, out, err = run(capsys, "tables", "--sample", "--out", str(tmp_path), "--format", "xlsx")
    assert code == 2 and out == ""
    assert err.startswith("werk24-frames tables: error: the table 'dimensions' has 796 rows")
    assert "--format parquet" in err and len(err.strip().splitlines()) == 1


def test_tables_names_the_tables_when_one_is_unknown(capsys, tmp_path):
    code, _, err = run(capsys, "tables", "--sample", "--out", str(tmp_path), "--only", "dimension")
    assert code == 2
    assert "no table named 'dimension'; the tables are" in err and "dimensions" in err


# --------------------------------------------------------------------------------------
# audit
# --------------------------------------------------------------------------------------


def test_audit_exits_1_on_errors_and_lists_them_first(capsys, answers_with_an_error):
    code, out, _ = run(capsys, "audit", str(answers_with_an_error))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].split() == [
        "severity",
        "drawing_number",
        "drawing_id",
        "table",
        "reference_id",
        "label",
        "check",
        "message",
    ]
    assert lines[1].startswith("error") and "limits_inverted" in lines[1]
    findings = wf.audit(wf.load(answers_with_an_error))
    assert len(findings) == 1
    assert "1 finding on 2 drawings: 1 error, 0 warnings, 0 info" in out


def test_audit_exits_0_without_errors_and_filters_by_severity(capsys):
    code, out, _ = run(capsys, "audit", "--sample", "--severity", "warning")
    findings = wf.audit(wf.sample_corpus())
    assert code == 0
    n_warn = int((findings["severity"] == "warning").sum())
    body = [ln for ln in out.splitlines()[1:] if ln.strip()][:-1]
    assert len(body) == n_warn and all(ln.startswith("warning") for ln in body)
    assert f"({n_warn} shown: --severity warning)" in out


def test_audit_csv_is_the_findings_table_for_scripts(capsys):
    code, out, err = run(capsys, "audit", "--sample", "--format", "csv")
    assert code == 0
    got = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    findings = wf.audit(wf.sample_corpus())
    assert len(got) == len(findings)
    assert set(got["check"]) == set(findings["check"])
    assert "findings on 44 drawings" in err  # the summary stays out of the data


def test_audit_json(capsys, answers_with_an_error):
    code, out, _ = run(capsys, "audit", str(answers_with_an_error), "--format", "json", "--severity", "error")
    assert code == 1
    records = json.loads(out)
    assert [r["check"] for r in records] == ["limits_inverted"]


def test_audit_strict_exits_1_when_input_could_not_be_read(capsys, tmp_path):
    drawing_folder(tmp_path / "a", "good", [builders.meta_data()])
    (tmp_path / "a" / "bad.json").write_text("not json", encoding="utf-8")
    code, _, err = run(capsys, "audit", str(tmp_path / "a"))
    assert code == 0  # no finding is an error; the problem is said on stderr
    assert "1 problem of severity error while reading: the audit is incomplete" in err and "bad.json" in err
    code, _, _ = run(capsys, "audit", str(tmp_path / "a"), "--strict")
    assert code == 1


def test_min_confidence_must_be_a_share(capsys):
    for bad in ("nan", "2", "-0.1", "high"):
        with pytest.raises(SystemExit):
            cli.main(["audit", "--sample", "--min-confidence", bad])
        assert "--min-confidence" in capsys.readouterr().err


# --------------------------------------------------------------------------------------
# summary and read (against the loopback emulator)
# --------------------------------------------------------------------------------------


def test_no_cache_neither_reads_nor_writes_the_cache(capsys, tmp_path, monkeypatch):
    from werk24_frames.io.cache import ENV_VAR

    answers = tmp_path / "answers"
    answers.mkdir()
    (answers / "a.json").write_text(json.dumps(builders.meta_data()), encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "cache"))
    code, out, _ = run(capsys, "summary", str(answers), "--no-cache")
    assert code == 0 and "DWG-0815" in out
    assert not (tmp_path / "cache").exists()
    code, out, _ = run(capsys, "summary", str(answers))
    assert code == 0 and "DWG-0815" in out
    assert wf.cache_info(tmp_path / "cache")["entries"] == 1  # without the flag, the load is cached


def test_summary_prints_every_table(capsys):
    code, out, _ = run(capsys, "summary", "--sample")
    assert code == 0
    corpus = wf.sample_corpus()
    for name, df in corpus.tables().items():
        assert f"  {name:<22}{len(df):>8} rows" in out


def test_summary_lists_at_most_max_rows_problems_errors_first_and_says_how_many_more(capsys, tmp_path):
    good = builders.all_responses()
    builders.write_json(tmp_path / "ok.json", good)
    for i in range(6):  # six drawings, each with a dimension whose value is no number: warnings
        bad = copy.deepcopy(good)
        next(r for r in bad if r["ask_type"] == "FEATURES")["dimensions"][0]["size"]["value"] = "twelve"
        builders.write_json(tmp_path / f"warn{i}.json", bad)
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")  # an error
    corpus = wf.load(tmp_path)
    n_problems, n_drawings = len(corpus.table("problems")), len(corpus)
    assert n_problems >= 7 and n_drawings == 7

    code, out, _ = run(capsys, "summary", str(tmp_path), "--max-rows", "2")
    assert code == 0
    listed = [line for line in out.splitlines() if line.startswith("  [")]
    assert len(listed) == 2 and listed[0].startswith("  [error]") and "broken.json" in listed[0]
    assert f"  ... and {n_problems - 2} more problems (--max-rows 0 lists all)" in out
    assert f"  ... and {n_drawings - 2} more drawings (--max-rows 0 lists all)" in out

    code, out, _ = run(capsys, "summary", str(tmp_path), "--max-rows", "0")
    assert len([line for line in out.splitlines() if line.startswith("  [")]) == n_problems
    assert "more (--max-rows 0" not in out
    assert all(d in out for d in corpus.drawing_ids)

    # the other commands' note on stderr names the first five, errors first too
    code, _, err = run(capsys, "tables", str(tmp_path), "--out", str(tmp_path / "tables"))
    noted = [line for line in err.splitlines() if line.startswith("  [")]
    assert code == 0 and len(noted) == 5 and noted[0].startswith("  [error]") and "broken.json" in noted[0]
    assert f"  ... and {n_problems - 5} more problems" in err


@pytest.mark.slow
def test_read_stores_the_answers_and_the_report_reads_the_store(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("W24TECHREAD_AUTH_TOKEN", TOKEN)
    paths = sheets(3, tmp_path)
    store = tmp_path / "store"
    with Werk24Emulator(store=sample_path()) as emu, trust_emulator(emu):
        argv = ["read", *map(str, paths), "--store", str(store), "--no-progress"]
        argv += ["--wss-server", emu.wss_url, "--https-server", emu.https_url]
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert out.startswith("3 drawings") and f"the answers are in {store}" in out
        assert sum(emu.reads.values()) == 3
        # Run again: nothing is sent, the store answers.
        code, out2, err2 = run(capsys, *argv)
        assert code == 0 and sum(emu.reads.values()) == 3
    assert TOKEN not in out + err + out2 + err2
    code, _, _ = run(capsys, "report", str(store), "-o", str(tmp_path / "r.html"))
    assert code == 0
    assert len(wf.load(store)) == 3 == len(SAMPLES[:3])


def test_read_with_a_refused_token_is_a_one_line_error_without_the_token(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("W24TECHREAD_AUTH_TOKEN", "w24-not-this-one-7d1e")
    paths = sheets(1, tmp_path)
    with Werk24Emulator(store=sample_path(), tokens={TOKEN}) as emu, trust_emulator(emu):
        code, out, err = run(
            capsys,
            "read",
            str(paths[0]),
            "--store",
            str(tmp_path / "s"),
            "--no-progress",
            "--wss-server",
            emu.wss_url,
            "--https-server",
            emu.https_url,
        )
    assert code == 2
    assert err.startswith("werk24-frames read: error: ") and "rejected the API token" in err
    assert "W24TECHREAD_AUTH_TOKEN" in err and "token=" not in err  # token=... is Python's, not an option
    assert err.count("\n") == 1
    assert "w24-not-this-one-7d1e" not in out + err


def test_read_without_any_token_says_how_to_give_one_to_the_command(capsys, tmp_path, monkeypatch, no_token_files):
    monkeypatch.delenv("W24TECHREAD_AUTH_TOKEN", raising=False)
    paths = sheets(1, tmp_path)
    nowhere = [
        "--wss-server",
        "wss://127.0.0.1:9/v2",
        "--https-server",
        "https://127.0.0.1:9",
    ]  # never Werk24's servers
    code, _, err = run(capsys, "read", str(paths[0]), "--store", str(tmp_path / "s"), "--no-progress", *nowhere)
    assert code == 2
    assert err.startswith("werk24-frames read: error: No Werk24 API token found. ")
    assert "W24TECHREAD_AUTH_TOKEN" in err and "werk24 init" in err and "token=" not in err
    assert not (tmp_path / "s").exists()


def test_read_names_a_missing_drawing_and_an_unknown_ask(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("W24TECHREAD_AUTH_TOKEN", TOKEN)
    code, _, err = run(capsys, "read", str(tmp_path / "nope.pdf"), "--store", str(tmp_path / "s"))
    assert code == 2 and "no such file or folder" in err and "nope.pdf" in err
    paths = sheets(1, tmp_path)
    code, _, err = run(capsys, "read", str(paths[0]), "--store", str(tmp_path / "s"), "--ask", "FEATURS")
    assert code == 2 and "unknown ask 'FEATURS'; known asks:" in err


def test_read_lists_a_failed_drawing_keeps_the_others_and_exits_1(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("W24TECHREAD_AUTH_TOKEN", TOKEN)
    paths = sheets(2, tmp_path)
    failing = content_id(paths[0].read_bytes())
    behaviour = lambda cid: Behaviour(close_after=0) if cid == failing else Behaviour()  # noqa: E731
    with Werk24Emulator(store=sample_path(), behaviour=behaviour) as emu, trust_emulator(emu):
        argv = ["read", *map(str, paths), "--store", str(tmp_path / "s"), "--no-progress", "--retries", "0"]
        code, out, err = run(capsys, *argv, "--wss-server", emu.wss_url, "--https-server", emu.https_url)
    assert code == 1
    assert out.startswith("1 drawing\n")
    assert "problems (1 error, 0 warnings, 0 info):" in out and f"[error] {paths[0]}" in out
    assert "run the same command again to retry" in err
    assert wf.load(tmp_path / "s").drawing_ids == [content_id(paths[1].read_bytes())]


def test_an_error_answer_is_kept_and_is_not_a_failed_read(capsys, tmp_path, monkeypatch):
    """Werk24 answering an ask with an ERROR is an answer: stored, not retried, exit status 0."""
    monkeypatch.setenv("W24TECHREAD_AUTH_TOKEN", TOKEN)
    paths = sheets(1, tmp_path)
    with (
        Werk24Emulator(store=sample_path(), behaviour=Behaviour(error_asks={"INSIGHTS"})) as emu,
        trust_emulator(emu),
    ):
        argv = ["read", str(paths[0]), "--store", str(tmp_path / "s"), "--no-progress"]
        argv += ["--wss-server", emu.wss_url, "--https-server", emu.https_url]
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert "[error]" in out and "INSIGHTS" in out  # the ERROR answer is listed under problems
        assert "could not be read" not in err
        code, _, _ = run(capsys, *argv)
        assert code == 0 and sum(emu.reads.values()) == 1


# --------------------------------------------------------------------------------------
# report --measurements / --plan: the inspection section of wf.report
# --------------------------------------------------------------------------------------


def _capability_rows(html: str) -> dict[tuple[str, int], dict[str, str]]:
    """The report's capability table: (drawing number, balloon) → {column: cell text}."""
    import re

    from test_report import section_html

    part = section_html(html, "inspection").split("<h3>Capability (", 1)[1].split("</table>", 1)[0]
    head = re.findall(r"<th>(.*?)</th>", part)
    rows = {}
    for body in re.findall(r"<tr>(.*?)</tr>", part.split("<tbody>", 1)[1], re.S):
        cells = dict(zip(head, re.findall(r"<td[^>]*>(.*?)</td>", body), strict=True))
        rows[(cells["drawing_number"], int(cells["characteristic"]))] = cells
    return rows


def _within_capability(values, lower: float, upper: float) -> tuple[float, float, float]:
    """Mean, Cp and Cpk the textbook way: sigma within = mean moving range / d2, d2 = 2/√π for
    ranges of two (the expected range of two standard normal values; 1.128 in the published tables)."""
    import math

    import numpy as np

    x = np.asarray(values, dtype=float)
    sigma = np.abs(np.diff(x)).mean() / (2 / math.sqrt(math.pi))
    mean = x.mean()
    return mean, (upper - lower) / (6 * sigma), min(upper - mean, mean - lower) / (3 * sigma)


def test_report_with_measurement_files(capsys, tmp_path):
    import numpy as np
    from test_report import Page

    pytest.importorskip("openpyxl")
    plan = wf.inspection_plan(wf.sample_corpus())
    row = plan[(plan["drawing_number"] == "WF-1015") & (plan["characteristic"] == 1)].iloc[0]
    assert row["requirement"].startswith("10 ±0.02")  # limits 9.98 and 10.02, read off the drawing
    rng = np.random.default_rng(7)
    values = list(np.round(10.003 + rng.normal(0, 0.004, 30), 4))
    # the production run in two files: 20 parts in a CSV, 10 in a workbook
    first = tmp_path / "cmm batch 1.csv"
    lines = ["drawing,balloon,serial,value"] + [f"WF-1015,1,S{i:02d},{v}" for i, v in enumerate(values[:20])]
    lines += ["WF-1015,1,S99,n/a", "WF-1015,999,S01,1.0"]  # rows 22 and 23: the problems of the API
    first.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = tmp_path / "cmm batch 2.xlsx"
    pd.DataFrame(
        {"drawing": "WF-1015", "balloon": 1, "serial": [f"S{i:02d}" for i in range(20, 30)], "value": values[20:]}
    ).to_excel(second, index=False)
    headless = tmp_path / "no values.csv"
    headless.write_text("balloon;reading\n1;10,001\n", encoding="utf-8")
    out_file = tmp_path / "r.html"
    code, out, err = run(
        capsys, "report", "--sample", "-o", str(out_file), "--thumbnails", "1", "--tightest", "1",
        "--measurements", str(first), "--measurements", str(second), "--measurements", str(headless),
    )  # fmt: skip
    assert code == 0, err
    assert "Traceback" not in err
    assert "inspection" in out
    html = out_file.read_text(encoding="utf-8")
    cells = _capability_rows(html)[("WF-1015", 1)]
    mean, cp, cpk = _within_capability(values, 9.98, 10.02)  # all 30 in file order: the files run on
    assert int(cells["n"]) == 30
    assert float(cells["mean"]) == pytest.approx(mean, rel=5e-4)
    assert float(cells["cp"]) == pytest.approx(cp, rel=5e-4)
    assert float(cells["cpk"]) == pytest.approx(cpk, rel=5e-4)
    assert cells["verdict"] == ("capable" if cpk >= 1.33 else "not capable")
    # the problems are the API's rows, in the report and named on stderr
    api = [wf.inspection.read_measurements(p, warn=False) for p in (first, second, headless)]
    expected = pd.concat([wf.inspection.problems(wf.inspection.results(plan, m, warn=False)) for m in api])
    assert len(expected) == 3
    text = Page(html).section("inspection")
    assert f"{len(expected)} measurement problems" in text
    for p in expected.itertuples(index=False):
        assert p.message in text and p.location in text
        assert p.message.splitlines()[0] in err
    assert "value 'n/a' is not a number" in err and "row 22" in err
    assert "the plan has no characteristic 999" in err
    assert "no column for value" in err and "no values.csv" in err
    assert "note: 3 problems with the measurements (1 error, 2 warnings, 0 info)" in err


def test_report_with_the_plan_only_and_european_numbers(capsys, tmp_path):
    out_file = tmp_path / "r.html"
    code, _, err = run(
        capsys, "report", "--sample", "-o", str(out_file), "--thumbnails", "1", "--tightest", "1", "--plan"
    )
    assert code == 0, err
    from test_report import Page

    text = Page(out_file.read_text(encoding="utf-8")).section("inspection")
    plan = wf.inspection_plan(wf.sample_corpus())
    assert f"Inspection plan ({len(plan):,} characteristics on 44 drawings)" in text
    assert "Capability" not in text
    # a semicolon CSV with decimal commas, as a German spreadsheet writes it
    eu = tmp_path / "messwerte.csv"
    eu.write_text(
        "Zeichnung;balloon;value\n" + "".join(f"WF-1015;1;10,0{d}\n" for d in (0, 1, 3, 2, 1)), encoding="utf-8"
    )
    code, _, err = run(capsys, "report", "--sample", "-o", str(out_file), "--thumbnails", "1", "--tightest", "1",
                       "--measurements", str(eu), "--decimal", ",")  # fmt: skip
    assert code == 0, err
    cells = _capability_rows(out_file.read_text(encoding="utf-8"))
    # "Zeichnung" is no drawing column: the plan has many drawings, so the values cannot be placed
    assert ("WF-1015", 1) not in cells and "note: 5 problems with the measurements" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no measurements file"),
        (b"PK\x03\x04 not really a workbook", "cannot read measurements from"),
    ],
)
def test_a_bad_measurements_file_is_a_one_line_error(capsys, tmp_path, content, message):
    path = tmp_path / "m.xlsx"
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capsys, "report", "--sample", "-o", str(tmp_path / "r.html"), "--measurements", str(path))
    assert code == 2, err
    assert err.startswith(f"werk24-frames report: error: {message}") and str(path) in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert out == "" and not (tmp_path / "r.html").exists()


def test_capability_threshold_must_be_positive(capsys):
    for bad in ("0", "-1", "nan", "x"):
        with pytest.raises(SystemExit) as exit_:
            cli.main(["report", "--sample", "--capability-threshold", bad])
        assert exit_.value.code == 2
    assert "--capability-threshold" in capsys.readouterr().err

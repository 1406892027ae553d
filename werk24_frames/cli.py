"""The ``werk24-frames`` command (also ``python -m werk24_frames``).

Built on :mod:`argparse`: the standard library's parser gives subcommands, ``--help`` with
examples and exit status 2 on bad usage, and keeps the command free of dependencies beyond the
package's own (pandas, numpy, orjson); heavier modules load only in the subcommand that needs
them, so ``werk24-frames --help`` answers at once.

Exit status: 0 done; 1 ``audit`` found errors (with ``--strict`` also: some input could not be
read), or ``read`` failed to read a drawing; 2 bad usage,
a path that does not exist, input with nothing readable, a missing extra or a refused token;
130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from ._corpus import Corpus

__all__ = ["main"]

PROG = "werk24-frames"
MAX_ROWS = 20
"""Problems and drawings ``summary`` and ``read`` list by default."""

_SOURCES = """\
SOURCE: saved Werk24 answers: a .json file, the JSON Lines of `werk24 techread`, a folder of
them, or a store written by `werk24-frames read`; several may be given. --sample uses the
built-in synthetic sample drawings (44 invented parts) instead.
"""

_EPILOG = f"""\
{_SOURCES}
examples:
  {PROG} report --sample                  # writes werk24_frames_report.html
  {PROG} report responses/ -o report.html
  {PROG} tables responses/ --out tables/ --format parquet
  {PROG} audit responses/ --severity warning
  {PROG} read drawings/ --store w24_store   # needs a Werk24 token: see `read --help`

Run `{PROG} COMMAND --help` for a command's options.
"""


_TOKEN_HELP = (
    "Werk24 needs an API token (create one in your Werk24 account, https://werk24.io): set the "
    "environment variable W24TECHREAD_AUTH_TOKEN, or save it with `werk24 init` (it writes "
    "~/.werk24). It is never taken on the command line."
)


class _Error(Exception):
    """A failure the user can fix; printed as ``error: ...`` without a traceback."""


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def _parser(prog: str) -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog=prog,
        description="Werk24's answers about technical drawings as tidy tables, statistics, an audit "
        "and an HTML report.",
        epilog=_EPILOG,
        formatter_class=_formatter,
    )
    parser.add_argument("--version", action="version", version=f"werk24_frames {__version__}")
    sub = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")

    def command(name: str, summary: str, details: str, examples: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=summary,
            description=f"{summary[0].upper()}{summary[1:]}.\n\n{textwrap.dedent(details).strip()}",
            epilog=f"{_SOURCES if name != 'read' else ''}\nexamples:\n"
            + textwrap.indent(textwrap.dedent(examples).strip("\n"), "  "),
            formatter_class=_formatter,
        )

    def max_rows(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--max-rows",
            type=_whole_or_zero,
            default=MAX_ROWS,
            metavar="N",
            help="problems and drawings listed, errors first; 0 lists all (default: %(default)s)",
        )

    def sources(p: argparse.ArgumentParser) -> None:
        p.add_argument("source", nargs="*", metavar="SOURCE", help="files or folders of saved answers")
        p.add_argument("--sample", action="store_true", help="use the built-in synthetic sample drawings")
        p.add_argument("--no-cache", action="store_true", help="neither read nor write the table cache (a cold load)")

    p = command(
        "report",
        "write a self-contained HTML report",
        """
        One HTML file that opens in any browser without a network: a summary, tolerance and
        material statistics with their plots, the audit's findings, the tightest features beside
        their crops of the drawing, thumbnails of the drawings and the problems met. Needs the
        'report' extra: pip install 'werk24_frames[report]'.

        With --measurements (CSV or Excel files of measured values, one row per value: columns
        characteristic/balloon, value, and drawing, part, unit, subgroup as needed) or --plan, an
        Inspection section too: the inspection plan of every drawing (wf.inspection_plan) and,
        with measurements, the capability of every measured characteristic and the measurement
        problems (cells that cannot be read, values placed on no characteristic of the plan).
        Excel files need the 'inspection' extra.
        """,
        f"""
          {PROG} report --sample
          {PROG} report responses/ -o report.html --open
          {PROG} report responses/ --measurements cmm_batch1.csv --measurements cmm_batch2.xlsx
          {PROG} report responses/ --plan            # the inspection plan, nothing measured yet
        """,
    )
    sources(p)
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("werk24_frames_report.html"),
        metavar="FILE",
        help="where to write it (default: %(default)s)",
    )
    p.add_argument("--title", help="the report's heading")
    p.add_argument("--thumbnails", type=_count, default=24, metavar="N", help="drawings shown (default: %(default)s)")
    p.add_argument(
        "--tightest", type=_count, default=12, metavar="N", help="tightest features shown (default: %(default)s)"
    )
    p.add_argument("--open", action="store_true", help="open the report in the web browser when written")
    inspection = p.add_argument_group("inspection")
    inspection.add_argument(
        "--measurements",
        action="append",
        type=Path,
        metavar="FILE",
        help="measured values, .csv or .xlsx, repeatable (files in production order): adds their capability",
    )
    inspection.add_argument("--plan", action="store_true", help="add the inspection plan (implied by --measurements)")
    inspection.add_argument(
        "--decimal", default=".", metavar="MARK", help="the measurements' decimal mark, e.g. ',' (default: %(default)s)"
    )
    inspection.add_argument("--sheet", default=0, metavar="NAME", help="the Excel sheet to read (default: the first)")
    inspection.add_argument(
        "--capability-threshold",
        type=_positive,
        default=1.33,
        metavar="CPK",
        help="the Cpk a characteristic needs to be capable (default: %(default)s)",
    )

    p = command(
        "tables",
        "export every table, and the problems, to files",
        """
        One file per table (metadata, dimensions, threads, bores, gdnts, materials, ...) and
        problems last. Parquet keeps every column's dtype (read back with
        werk24_frames.read_tables); CSV opens anywhere; xlsx is one workbook with a README sheet
        of every column's meaning. Parquet and xlsx need the 'export' extra:
        pip install 'werk24_frames[export]'.
        """,
        f"""
          {PROG} tables --sample --out tables/
          {PROG} tables responses/ --out tables/ --format parquet
          {PROG} tables responses/ --out drawings.xlsx --format xlsx --only dimensions,bores
        """,
    )
    sources(p)
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder to write into (xlsx: the workbook DIR/werk24_frames.xlsx, or a file name ending in .xlsx)",
    )
    p.add_argument("--format", choices=("csv", "parquet", "xlsx"), default="csv", help="file format (default: csv)")
    p.add_argument("--only", metavar="TABLES", help="comma-separated tables to write (default: all)")

    p = command(
        "audit",
        "print the audit's findings",
        """
        The tolerance audit (werk24_frames.audit): fits that disagree with their deviations,
        inverted or zero-width limits, dimensions without any tolerance, unknown units, low
        confidence, weights far from volume x density. Errors first.

        Exit status 1 when a finding is an error (so a script can stop), else 0; with --strict
        also when some input could not be read (error rows of the problems table).
        """,
        f"""
          {PROG} audit --sample
          {PROG} audit responses/ --severity error || echo "drawings need a look"
          {PROG} audit responses/ --format csv > findings.csv
          {PROG} audit w24_store --strict          # unreadable input fails it too
        """,
    )
    sources(p)
    p.add_argument(
        "--severity",
        choices=("error", "warning", "info"),
        default="info",
        help="show findings of this severity or worse (default: info, all)",
    )
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format (default: table)")
    p.add_argument(
        "--min-confidence",
        type=_share,
        default=0.5,
        metavar="X",
        help="report features Werk24 is less sure of, 0 to 1 (default: %(default)s)",
    )
    p.add_argument(
        "--strict", action="store_true", help="exit status 1 also when some input could not be read (incomplete audit)"
    )

    p = command(
        "summary",
        "print the size of every table, the problems and the statistics",
        "What the answers hold: every table's rows, the problems met, each drawing's metadata and "
        "the tolerance statistics by material family.",
        f"""
          {PROG} summary --sample
          {PROG} summary responses/ w24_store/
          {PROG} summary w24_store/ --max-rows 0   # every problem and every drawing
        """,
    )
    sources(p)
    max_rows(p)

    p = command(
        "read",
        "read drawings with Werk24 and keep the answers in a store",
        """
        Sends each drawing to the Werk24 API through the official SDK, several at once, and
        keeps every answer in the store folder: a drawing already there is not sent (nor paid
        for) again, and an interrupted run picks up where it stopped. Then prints what was read,
        as `summary` does. Exit status 1 when a drawing's read failed (lost connection,
        timeout): it is listed under problems and is read again next time. An ERROR answer from
        Werk24 (e.g. a drawing it does not understand) is an answer: it is kept, and not sent
        again. Needs the 'live' extra: pip install 'werk24_frames[live]'.

        The API token is never taken on the command line (it would end up in the shell's
        history): set the environment variable W24TECHREAD_AUTH_TOKEN, or save it with
        `werk24 init`.
        """,
        f"""
          export W24TECHREAD_AUTH_TOKEN=...      # your token, from your Werk24 account
          {PROG} read drawings/ --store w24_store
          {PROG} read "drawings/**/*.pdf" --store w24_store --ask META_DATA --ask FEATURES
          {PROG} report w24_store -o report.html
        """,
    )
    p.add_argument(
        "drawings",
        nargs="+",
        metavar="DRAWING",
        help="drawing files (.pdf .png .jpg .tif .dxf), folders of them, or quoted globs",
    )
    p.add_argument("--store", type=Path, required=True, metavar="DIR", help="folder the answers are kept in")
    p.add_argument(
        "--ask",
        action="append",
        metavar="ASK",
        help="what to ask, repeatable (default: META_DATA FEATURES INSIGHTS REFERENCE_POSITIONS SHEET_IMAGES)",
    )
    p.add_argument("--concurrency", type=_count, default=4, metavar="N", help="reads at once (default: %(default)s)")
    max_rows(p)
    p.add_argument("--force", action="store_true", help="read again even when the store has the answers")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="give up on a drawing after this long")
    p.add_argument("--max-pages", type=_count, metavar="N", help="read at most N pages of each drawing")
    p.add_argument(
        "--retries",
        type=_whole_or_zero,
        default=3,
        metavar="N",
        help="tries again after a lost connection, up to N times (default: %(default)s)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--wss-server", metavar="URL", help=argparse.SUPPRESS)
    p.add_argument("--https-server", metavar="URL", help=argparse.SUPPRESS)
    return parser


def _whole(text: str, minimum: int = 1) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < minimum:
        raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {n}")
    return n


def _count(text: str) -> int:
    return _whole(text, 1)


def _whole_or_zero(text: str) -> int:
    return _whole(text, 0)


def _positive(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < x < float("inf"):  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be a number above 0, not {text}")
    return x


def _share(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= x <= 1:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {text}")
    return x


def _n(count: int, word: str) -> str:
    """``1 drawing``, ``2 drawings``."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _sources(paths: Sequence[str]) -> str:
    """The sources for the report's subtitle: all of a few, else the first two and a count."""
    return ", ".join(paths) if len(paths) <= 3 else f"{paths[0]}, {paths[1]} and {len(paths) - 2:,} more"


def _corpus(args: argparse.Namespace, parser: argparse.ArgumentParser) -> tuple[Corpus, str]:
    """The corpus the arguments name, and a description of where it came from."""
    from . import load, sample_corpus

    if args.sample and args.source:
        parser.error("give SOURCE or --sample, not both")
    if args.sample:
        return sample_corpus(), "the built-in sample"
    if not args.source:
        parser.error("give files or folders of saved answers (SOURCE), or --sample for the built-in sample")
    corpus = load(args.source, cache=not args.no_cache)
    return corpus, _sources(args.source)


def _problems_note(corpus: Corpus) -> None:
    """A line on stderr about what could not be read, naming the first few places, errors first."""
    _note(corpus.table("problems"), "while reading", "they are in the problems table")


def _note(problems: pd.DataFrame, during: str, where: str) -> None:
    """``note: N problems <during> (by severity); <where>:`` on stderr, then the first five, errors first."""
    from .audit import by_severity

    if problems.empty:
        return
    print(f"note: {_n(len(problems), 'problem')} {during} ({_severities(problems)}); {where}:", file=sys.stderr)
    for row in by_severity(problems).head(5).itertuples(index=False):
        print(_problem_line(row), file=sys.stderr)
    if len(problems) > 5:
        print(f"  ... and {_n(len(problems) - 5, 'more problem')}", file=sys.stderr)


def _severities(problems: pd.DataFrame) -> str:
    """``1 error, 2 warnings, 9,000 info``."""
    counts = problems["severity"].value_counts()
    n_info = int(counts.get("info", 0))
    return (
        f"{_n(int(counts.get('error', 0)), 'error')}, {_n(int(counts.get('warning', 0)), 'warning')}, {n_info:,} info"
    )


def _problem_line(row: Any) -> str:
    """One problem on one line (the SDK's messages span several: their first line)."""
    first = (str(row.message).strip().splitlines() or [""])[0]
    where = " ".join(str(v) for v in (row.source, row.location) if isinstance(v, str) and v)
    return f"  [{row.severity}] {where}: {first}" if where else f"  [{row.severity}] {first}"


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} kB"


def _read_measurements(paths: Sequence[Path], decimal: str, sheet: str | int) -> pd.DataFrame:
    """The ``measurements`` table of the files, one after the other: ``sequence`` runs on across
    them (the production order is the files' order, then each file's), and the problems of every
    file go with it (``wf.inspection.problems``). A file that cannot be read at all is an error."""
    import pandas as pd

    from .inspection import read_measurements

    frames = []
    found: list[Any] = []
    offset = 0
    for path in paths:
        try:
            frame = read_measurements(path, sheet_name=sheet, decimal=decimal, warn=False)
        except (ValueError, TypeError) as exc:  # FileNotFoundError and ImportError: main's one-line errors
            raise _Error(str(exc)) from None
        found += frame.attrs.get("problems", ())
        frames.append(frame.assign(sequence=frame["sequence"] + offset))
        offset += len(frame)
    out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    out.attrs = {"problems": tuple(found)}
    return out


def _measurement_note(results: pd.DataFrame) -> None:
    """A line on stderr about the measurements' problems (as the report lists them), the first few named."""
    from .inspection import problems as problems_of

    _note(problems_of(results), "with the measurements", "the report lists them under Measurement problems")


def _report(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .report import report

    sheet = int(args.sheet) if isinstance(args.sheet, str) and args.sheet.isdigit() else args.sheet
    measurements = _read_measurements(args.measurements, args.decimal, sheet) if args.measurements else None
    corpus, source = _corpus(args, parser)
    plan = None
    if measurements is not None or args.plan:  # as wf.report: the plan of the corpus
        from .inspection import inspection_plan

        plan = inspection_plan(corpus)
    rep = report(
        corpus,
        title=args.title,
        max_thumbnails=args.thumbnails,
        n_tightest=args.tightest,
        source=source,
        plan=plan,
        measurements=measurements,
        capability_threshold=args.capability_threshold,
    )
    path = rep.save(args.output)
    _problems_note(corpus)
    if measurements is not None and plan is not None:
        from .inspection import results

        _measurement_note(results(plan, measurements, warn=False))
    print(f"wrote {path} ({_size(path)}): {_n(len(corpus), 'drawing')}, {', '.join(rep.sections).lower()}")
    if args.open:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())
    return 0


def _tables(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    corpus, _ = _corpus(args, parser)
    only = [t.strip() for t in args.only.split(",") if t.strip()] if args.only else None
    if only:
        known = set(corpus.tables()) | {"problems"}
        unknown = [t for t in only if t not in known]
        if unknown:
            raise _Error(f"no table named {', '.join(map(repr, unknown))}; the tables are {', '.join(sorted(known))}")
    out: Path = args.out
    if args.format == "xlsx":
        book = out if out.suffix.lower() == ".xlsx" else out / "werk24_frames.xlsx"
        book.parent.mkdir(parents=True, exist_ok=True)
        try:
            written = [corpus.to_excel(book, only)]
        except ValueError as exc:  # a table longer than an Excel sheet
            raise _Error(f"{exc}; or: --format parquet, --format csv, --only") from None
    elif args.format == "parquet":
        written = corpus.to_parquet(out, only)
    else:
        written = corpus.to_csv(out, only)
    _problems_note(corpus)
    print(f"wrote {_n(len(written), 'file')} for {_n(len(corpus), 'drawing')}:")
    for path in written:
        print(f"  {path} ({_size(path)})")
    return 0


def _audit(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .audit import audit, worst_first

    corpus, _ = _corpus(args, parser)
    findings = audit(corpus, min_confidence=args.min_confidence)
    shown = worst_first(findings, corpus, args.severity)
    counts = findings["severity"].value_counts()
    n_errors = int(counts.get("error", 0))
    unreadable = int((corpus.table("problems")["severity"] == "error").sum())
    if args.format == "csv":
        shown.to_csv(sys.stdout, index=False)
    elif args.format == "json":
        sys.stdout.write(shown.to_json(orient="records", force_ascii=False) + "\n")
    else:
        _print_findings(shown)
    _problems_note(corpus)
    summary = (
        f"{_n(len(findings), 'finding')} on {_n(len(corpus), 'drawing')}: {_n(n_errors, 'error')}, "
        f"{_n(int(counts.get('warning', 0)), 'warning')}, {int(counts.get('info', 0))} info"
    )
    if len(shown) < len(findings):
        summary += f" ({len(shown)} shown: --severity {args.severity})"
    # The table format is for people: the summary goes with it. CSV and JSON stay pure data.
    print(summary, file=sys.stdout if args.format == "table" else sys.stderr)
    if unreadable:
        print(f"{_n(unreadable, 'problem')} of severity error while reading: the audit is incomplete", file=sys.stderr)
    return 1 if n_errors or (args.strict and unreadable) else 0


def _print_findings(shown: pd.DataFrame, max_width: int = 70) -> None:
    """The findings as left-aligned columns, a cell cut at ``max_width`` characters."""
    from .audit import SHOWN as cols

    if shown.empty:
        return
    text = shown[cols].astype("string").fillna("")
    cells = [[v if len(v) <= max_width else v[: max_width - 1] + "…" for v in text[c]] for c in cols]
    widths = [max([len(c), *map(len, col)]) for c, col in zip(cols, cells, strict=True)]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip())
    for row in zip(*cells, strict=True):
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    print()


def _summary(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    corpus, _ = _corpus(args, parser)
    _print_summary(corpus, args.max_rows)
    return 0


def _print_summary(corpus: Corpus, max_rows: int) -> None:
    from .audit import by_severity

    print(_n(len(corpus), "drawing"))
    for name, df in corpus.tables().items():
        print(f"  {name:<22}{len(df):>8} rows")
    problems = corpus.table("problems")
    if len(problems):
        print(f"\nproblems ({_severities(problems)}):")
        for row in _first(by_severity(problems), max_rows).itertuples(index=False):
            print(_problem_line(row))
        _more(len(problems), max_rows, "problem")
    meta = corpus.metadata[["drawing_id", "drawing_number", "designation", "material_grade", "weight_kg"]]
    print("\nmetadata:")
    print(_first(meta, max_rows).to_string(index=False) if len(meta) else "  (no META_DATA answers)")
    _more(len(meta), max_rows, "drawing")
    cols = ["n_features", "n_explicit", "n_fit", "n_general", "n_none", "n_tight", "finest_it_grade"]
    print("\ntolerances by material family (n_tight: IT7 or finer):")
    tol = corpus.stats.tolerance_stats(by="material_family")[cols]
    print(tol.to_string() if len(tol) else "  (no dimensions, bores, chamfers or radii)")


def _first(df: pd.DataFrame, max_rows: int) -> pd.DataFrame:
    return df if max_rows == 0 else df.head(max_rows)


def _more(n: int, max_rows: int, what: str) -> None:
    if 0 < max_rows < n:
        print(f"  ... and {_n(n - max_rows, 'more ' + what)} (--max-rows 0 lists all)")


def _read(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from . import live

    kwargs: dict[str, Any] = {
        "store": args.store,
        "concurrency": args.concurrency,
        "force": args.force,
        "progress": not args.no_progress,
        "timeout": args.timeout,
        "max_pages": args.max_pages,
        "retries": args.retries,
        "wss_server": args.wss_server,
        "https_server": args.https_server,
    }
    if args.ask:
        kwargs["asks"] = [a for item in args.ask for a in item.replace(",", " ").split()]
    missing = [d for d in args.drawings if not any(ch in d for ch in "*?[") and not os.path.exists(d)]
    if missing:
        raise _Error(f"no such file or folder: {', '.join(map(repr, missing))}")
    try:
        corpus = live.read_drawings(args.drawings, **kwargs)
    except live.TokenError as exc:  # the Python API's hint names token=..., which is no option here
        raise _Error(f"{exc.reason} {_TOKEN_HELP}") from None
    except (live.LiveReadError, ValueError) as exc:  # ValueError: an unknown ask
        raise _Error(str(exc)) from None
    _print_summary(corpus, args.max_rows)
    print(f"\nthe answers are in {args.store}: `{PROG} report {args.store}` makes the report")
    problems = corpus.table("problems")
    failed = int(((problems["location"] == "read") & (problems["severity"] == "error")).sum())
    if failed:
        print(f"{_n(failed, 'drawing')} could not be read: run the same command again to retry", file=sys.stderr)
    return 1 if failed else 0


def _subparser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    """The parser of ``command``."""
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        if isinstance(action, argparse._SubParsersAction):
            return action.choices[command]
    return parser  # pragma: no cover - every command has its parser


_COMMANDS = {"report": _report, "tables": _tables, "audit": _audit, "summary": _summary, "read": _read}


def main(argv: Sequence[str] | None = None, prog: str = PROG) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    parser = _parser(prog)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    from ._sources import SourceError

    # Usage errors found after parsing (no SOURCE given) show the command's usage, not the top level's.
    sub = _subparser(parser, args.command)
    try:
        return _COMMANDS[args.command](args, sub)
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (_Error, SourceError, ImportError, OSError) as exc:
        print(f"{prog} {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{prog} {args.command}: interrupted", file=sys.stderr)
        return 130

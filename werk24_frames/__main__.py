"""``python -m werk24_frames SOURCE...`` (or ``--sample``): load saved answers and print what
is in them."""

from __future__ import annotations

import argparse
import sys

from . import SourceError, load, sample_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m werk24_frames",
        description="Load saved Werk24 answers (JSON, `werk24 techread` JSON Lines, folders) "
        "and print the size of every table and the problems met.",
    )
    parser.add_argument("source", nargs="*", help="files or folders of saved answers")
    parser.add_argument("--sample", action="store_true", help="use the built-in synthetic sample drawings")
    args = parser.parse_args(argv)
    if not args.source and not args.sample:
        parser.error("give files or folders of saved answers, or --sample")
    try:
        corpus = sample_corpus() if args.sample else load(args.source)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(corpus)} drawings")
    for name, df in corpus.tables().items():
        print(f"  {name:<22}{len(df):>8} rows")
    problems = corpus.problems
    if len(problems):
        print("\nproblems:")
        for row in problems.itertuples(index=False):
            print(f"  [{row.severity}] {row.source} {row.location}: {row.message}")
    meta = corpus.metadata[["drawing_id", "drawing_number", "designation", "material_grade", "weight_kg"]]
    print("\nmetadata:")
    print(meta.to_string(index=False))
    cols = ["n_features", "n_explicit", "n_fit", "n_general", "n_none", "n_tight", "finest_it_grade"]
    print("\ntolerances by material family (n_tight: IT7 or finer):")
    print(corpus.stats.tolerance_stats(by="material_family")[cols].to_string())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

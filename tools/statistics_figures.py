"""Render the figures of docs/statistics.md from the sample corpus.

python tools/statistics_figures.py      # writes docs/images/stats_*.png
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import werk24_frames as wf

OUT = Path(__file__).resolve().parent.parent / "docs" / "images"


def main() -> None:
    corpus = wf.sample_corpus()
    first = corpus.metadata.set_index("drawing_number").loc["WF-1007", "drawing_id"]
    shaft = corpus.metadata.set_index("drawing_number").loc["WF-1015", "drawing_id"]
    figures = {
        "it_grades": lambda: corpus.plot.it_grades(by="material_family"),
        "tolerance_vs_size": lambda: corpus.plot.tolerance_vs_size(),
        "tolerance_sources": lambda: corpus.plot.tolerance_sources(max_drawings=20),
        "materials": lambda: corpus.plot.materials(),
        "weight_by_family": lambda: corpus.plot.weight_by_family(),
        "gdnt_characteristics": lambda: corpus.plot.gdnt_characteristics(),
        "fingerprint": lambda: corpus.plot.fingerprint(first),
        "drawing": lambda: corpus.plot.drawing(shaft, labels=True),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw in figures.items():
        ax = draw()
        path = OUT / f"stats_{name}.png"
        ax.figure.savefig(path, dpi=80, metadata={"Software": None})
        matplotlib.pyplot.close(ax.figure)
        print(f"wrote {path.relative_to(OUT.parent.parent)}")


if __name__ == "__main__":
    main()

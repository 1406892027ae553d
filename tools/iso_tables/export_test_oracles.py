"""Write the per-grade ISO 286 values of the Spanish teacher's tables (source ES in
werk24_frames/_data/iso/SOURCES.md) to tests/data/iso/ as CSV, for the tests to use as an
independent published oracle. Run once: ``python tools/iso_tables/export_test_oracles.py``."""

import csv
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "sources"))
import source_data as sd  # noqa: E402

out = HERE.parent.parent / "tests" / "data" / "iso"
with open(out / "iso286_hole_ES_by_grade_um.csv", "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["letter", "grade", "above_mm", "upto_mm", "ES_um"])
    for (letter, grade), ranges in sd.ES_HOLE_BY_GRADE.items():
        for (lo, hi), v in sorted(ranges.items()):
            w.writerow([letter, grade, lo, hi, v])
with open(out / "iso286_shaft_fundamental_um.csv", "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["letter", "above_mm", "upto_mm", "deviation_kind", "value_um"])
    for letter, ranges in sd.ES_SHAFT.items():
        kind = "upper" if letter in ("a", "b", "c", "cd", "d", "e", "ef", "f", "fg", "g", "h") else "lower"
        for (lo, hi), v in sorted(ranges.items()):
            w.writerow([letter, lo, hi, kind, v])
print("written to", out)

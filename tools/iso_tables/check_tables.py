#!/usr/bin/env python3
"""Sanity checks for the ISO 286 / ISO 2768-1 / DIN 7168 CSV tables (stdlib only).

Run:  python3 check_tables.py        (exit code 0 = all checks passed)
"""
import csv
import math
import os
import sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "werk24_frames", "_data", "iso")
FITS_CSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fits_H7_check_um.csv")
FAILS = []
COUNT = {"ok": 0}


def check(cond, msg):
    if cond:
        COUNT["ok"] += 1
    else:
        FAILS.append(msg)
        print("FAIL:", msg)


def load(name):
    with open(os.path.join(HERE, name), newline="") as fh:
        return list(csv.DictReader(fh))


def f(x):
    return None if x in ("", None) else float(x)


IT_ROWS = load("iso286_it_um.csv")
SHAFT = load("iso286_shaft_fundamental_deviations_um.csv")
HOLE = load("iso286_hole_fundamental_deviations_um.csv")
DELTA = load("iso286_delta_um.csv")
GRADES = ["01", "0"] + [str(g) for g in range(1, 19)]


# ---------------------------------------------------------------- lookups
def in_range(row, size):
    lo, hi = f(row["above_mm"]), f(row["upto_mm"])
    return (lo < size or (lo == 0 and size > 0)) and (hi is None or size <= hi)


def it(size, grade):
    for r in IT_ROWS:
        if in_range(r, size):
            return f(r["IT" + str(grade)])
    return None


def delta(size, grade):
    for r in DELTA:
        if in_range(r, size):
            return f(r["IT%d" % grade])
    return None


def fd(table, letter, size, grade):
    hits = [r for r in table if r["letter"] == letter and in_range(r, size)
            and int(r["grade_min"]) <= grade <= int(r["grade_max"])]
    if len(hits) > 1:
        raise ValueError("ambiguous rows for %s %s IT%s" % (letter, size, grade))
    return hits[0] if hits else None


def limits(size, cls):
    """(upper, lower) limit deviation in um for e.g. 'H7', 'g6', 'K7', 'js6'."""
    letter = cls.rstrip("0123456789")
    grade = int(cls[len(letter):])
    T = it(size, grade)
    hole = letter[0].isupper()
    row = fd(HOLE if hole else SHAFT, letter, size, grade)
    if row is None or T is None:
        return None
    kind, v = row["deviation_kind"], f(row["value_um"])
    if kind == "symmetric":
        return (T / 2, -T / 2)
    if hole and row["plus_delta"] == "true":
        v += delta(size, grade)
    if kind == "upper":
        return (v, v - T)
    return (v + T, v)


# ---------------------------------------------------------------- 1. IT table
print("1. IT table: monotonic in grade and size; IT12..IT18 = 10 x IT7..IT13 (<= 500 mm, and also checked above)")
check(len(IT_ROWS) == 21, "IT table has 21 main ranges")
for r in IT_ROWS:
    vals = [f(r["IT" + g]) for g in GRADES if f(r["IT" + g]) is not None]
    check(all(a < b for a, b in zip(vals, vals[1:])),
          "IT strictly increasing with grade in %s-%s" % (r["above_mm"], r["upto_mm"]))
for g in GRADES:
    col = [f(r["IT" + g]) for r in IT_ROWS if f(r["IT" + g]) is not None]
    check(all(a <= b for a, b in zip(col, col[1:])), "IT%s non-decreasing with size" % g)
    check(all(a < b for a, b in zip(col, col[1:])) or g in ("01", "0", "1", "2", "3", "4"),
          "IT%s strictly increasing with size" % g)
for r in IT_ROWS:
    # required for sizes <= 500 mm; the same regularity also holds in the tabulated
    # values above 500 mm, so it is checked there too (extra guard against typos)
    for n in range(7, 14):
        check(math.isclose(f(r["IT%d" % (n + 5)]), 10 * f(r["IT%d" % n])),
              "IT%d = 10*IT%d in %s-%s" % (n + 5, n, r["above_mm"], r["upto_mm"]))
    if f(r["upto_mm"]) > 500:
        check(r["IT01"] == "" and r["IT0"] == "", "IT01/IT0 empty above 500 mm")

# ---------------------------------------------------------------- 2. Delta table
print("2. Delta(n) = IT(n) - IT(n-1) for every range above 3 mm; Delta = 0 up to 3 mm")
for r in DELTA:
    for n in range(3, 9):
        d = f(r["IT%d" % n])
        if f(r["upto_mm"]) <= 3:
            check(d == 0, "delta IT%d <= 3 mm is 0" % n)
        else:
            mid = (f(r["above_mm"]) + f(r["upto_mm"])) / 2
            check(math.isclose(d, it(mid, n) - it(mid, n - 1)),
                  "delta IT%d %s-%s = IT%d-IT%d" % (n, r["above_mm"], r["upto_mm"], n, n - 1))

# ---------------------------------------------------------------- 3. row structure
print("3. Row structure: no overlapping grade groups, ranges contiguous per letter")
for name, table in (("shaft", SHAFT), ("hole", HOLE)):
    letters = sorted({r["letter"] for r in table})
    for L in letters:
        rows = [r for r in table if r["letter"] == L]
        for g in range(1, 19):
            rs = sorted((f(r["above_mm"]), f(r["upto_mm"])) for r in rows
                        if int(r["grade_min"]) <= g <= int(r["grade_max"]))
            check(all(a[1] == b[0] for a, b in zip(rs, rs[1:])),
                  "%s %s IT%d ranges contiguous and non-overlapping" % (name, L, g))
        kinds = {r["deviation_kind"] for r in rows}
        check(len(kinds) == 1, "%s %s single deviation_kind %s" % (name, L, kinds))

# ---------------------------------------------------------------- 4. general rules
print("4. Hole A..H: EI = -es of the shaft letter (same ranges); J..ZC base ES = -ei except documented specials")
for r in HOLE:
    L = r["letter"]
    if L in ("A", "B", "C", "CD", "D", "E", "EF", "F", "FG", "G", "H"):
        s = [x for x in SHAFT if x["letter"] == L.lower() and x["above_mm"] == r["above_mm"]
             and x["upto_mm"] == r["upto_mm"]]
        check(len(s) == 1 and f(s[0]["value_um"]) == -f(r["value_um"]),
              "EI(%s) = -es(%s) over %s-%s" % (L, L.lower(), r["above_mm"], r["upto_mm"]))
    elif L in ("JS", "J"):
        continue
    else:
        lo, hi = f(r["above_mm"]), f(r["upto_mm"])
        mid = (lo + hi) / 2
        g = int(r["grade_max"])
        special = ((L == "N" and g > 8 and lo >= 3) or (L == "M" and r["grade_min"] == "6" and lo == 250))
        if special:
            continue
        sg = 5 if L == "K" else 9
        s = fd(SHAFT, L.lower(), mid, sg)
        check(s is not None and f(s["value_um"]) == -f(r["value_um"]),
              "ES(%s) base = -ei(%s) over %s-%s grades %s-%s" % (L, L.lower(), lo, hi, r["grade_min"], g))
# hole and shaft letters cover the same size ranges
for L in ("A", "B", "C", "CD", "D", "EF", "T", "V", "Y", "ZC"):
    hs = {(r["above_mm"], r["upto_mm"]) for r in HOLE if r["letter"] == L}
    ss = {(r["above_mm"], r["upto_mm"]) for r in SHAFT if r["letter"] == L.lower()}
    check(hs == ss, "hole %s and shaft %s cover the same ranges" % (L, L.lower()))

# ---------------------------------------------------------------- 5. H7 fit check file
print("5. H7 fits in", FITS_CSV)
with open(FITS_CSV) as fh:
    for row in csv.DictReader(fh):
        size = float(row["size_mm"])
        hcls, scls = row["fit"].split("/")
        H, S = limits(size, hcls), limits(size, scls)
        exp = [float(row[k]) for k in ("hole_ES", "hole_EI", "shaft_es", "shaft_ei")]
        check(H is not None and S is not None and list(H) + list(S) == exp,
              "%s %s: got %s %s expected %s" % (size, row["fit"], H, S, exp))
        cmin, cmax = H[1] - S[0], H[0] - S[1]
        check((cmin, cmax) == (float(row["clearance_min"]), float(row["clearance_max"])),
              "%s %s clearance %s..%s" % (size, row["fit"], cmin, cmax))
        kind = "clearance" if cmin >= 0 else ("interference" if cmax <= 0 else "transition")
        check(kind == row["kind"], "%s %s kind %s" % (size, row["fit"], kind))

# ---------------------------------------------------------------- 6. spot values
print("6. Spot values from ISO 286-2 corrigendum and from independent calculators")
SPOT = [  # (size, class, upper, lower, where the expected value comes from)
    (100, "E8", 126, 72, "ISO 286-2:1988/Cor.1:2006 (E8 80-120 ES +126, not +125)"),
    (300, "f9", -56, -186, "ISO 286-2:1988/Cor.1:2006 (f9 250-315 ei -186, not -185)"),
    (340, "A13", 2090, 1200, "ISO 286-2:1988/Cor.1:2006 (A13 315-355 ES +2090, not +2000)"),
    (25, "R10", -28, -112, "ISO 286-2:1988/Cor.1:2006 (R10 18-30 ES -28, not -10)"),
    (25, "c11", -110, -240, "pressfit acceptance test / domain notes"),
    (160, "s6", 125, 100, "pressfit acceptance test / domain notes"),
    (80, "u6", 121, 102, "pressfit acceptance test / domain notes"),
    (20, "K7", 6, -15, "TolISO test list; Kryova docstring"),
    (20, "P7", -14, -35, "TolISO test list"),
    (280, "M6", -9, -41, "TolISO test list (footnote M6 250-315)"),
    (5, "N9", 0, -30, "TolISO test list; Kryova docstring"),
    (25, "k6", 15, 2, "TolISO test list"),
    (47, "p6", 42, 26, "TolISO test list"),
    (30, "f7", -20, -41, "TolISO test list"),
    (26, "a11", -300, -430, "TolISO test list"),
    (40, "s6", 59, 43, "TolISO test list"),
    (28, "t6", 54, 41, "TolISO test list"),
    (25, "j5", 5, -4, "TolISO test list"),
    (25, "j6", 9, -4, "TolISO test list"),
    (25, "j7", 13, -8, "TolISO test list"),
    (170, "J6", 18, -7, "TolISO test list"),
    (170, "J7", 26, -14, "TolISO test list"),
    (170, "J8", 41, -22, "TolISO test list"),
    (80, "h11", 0, -190, "TolISO test list"),
    (90, "F7", 71, 36, "Kryova docstring (90 F7 = +0.036/+0.071)"),
    (50, "F7", 50, 25, "DT-ProfiPassung comment (@50 F7 +50/+25)"),
    (50, "G7", 34, 9, "DT-ProfiPassung comment"),
    (50, "K7", 7, -18, "DT-ProfiPassung comment"),
    (50, "N7", -8, -33, "DT-ProfiPassung comment"),
    (50, "P7", -17, -42, "DT-ProfiPassung comment"),
]
for size, cls, up, lo, src in SPOT:
    got = limits(size, cls)
    check(got == (up, lo), "%s %s: got %s, expected (%s, %s) [%s]" % (size, cls, got, up, lo, src))

# ---------------------------------------------------------------- 7. general tolerances
print("7. ISO 2768-1 / DIN 7168 tables: values grow with size and with coarser class")
for name, classes in (("iso2768_1_linear_mm.csv", "fmcv"), ("iso2768_1_broken_edges_mm.csv", "fmcv"),
                      ("iso2768_1_angular.csv", "fmcv"), ("din7168_linear_mm.csv", ["f", "m", "g", "sg"]),
                      ("din7168_broken_edges_mm.csv", ["f", "m", "g", "sg"]), ("din7168_angular.csv", ["f", "m", "g", "sg"])):
    rows = load(name)
    angular = "angular" in name
    for c in classes:
        col = [f(r[c]) for r in rows if f(r[c]) is not None]
        ok = all(a >= b for a, b in zip(col, col[1:])) if angular else all(a <= b for a, b in zip(col, col[1:]))
        check(ok, "%s class %s monotonic with size" % (name, c))
    for r in rows:
        vals = [f(r[c]) for c in classes if f(r[c]) is not None]
        check(all(a <= b for a, b in zip(vals, vals[1:])), "%s %s-%s coarser class >= finer" % (name, r["above_mm"], r["upto_mm"]))
    check(all(f(a["upto_mm"]) == f(b["above_mm"]) for a, b in zip(rows, rows[1:])), "%s ranges contiguous" % name)

print()
print("%d checks passed, %d failed" % (COUNT["ok"], len(FAILS)))
sys.exit(1 if FAILS else 0)

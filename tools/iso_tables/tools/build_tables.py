"""Write the CSV tables in /work/iso_work from primary_data.py (stdlib only)."""
import csv, os, sys
sys.path.insert(0, os.path.dirname(__file__))
from primary_data import (MAIN, FINE, FINE_BIG, IT, DELTA, SHAFT_FINE, SHAFT_MAIN,
                          K_4_7, J_SHAFT, J_HOLE)

OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LETTERS = ["a", "b", "c", "cd", "d", "e", "ef", "f", "fg", "g", "h", "js", "j", "k", "m",
           "n", "p", "r", "s", "t", "u", "v", "x", "y", "z", "za", "zb", "zc"]
UPPER_LETTERS = {"a", "b", "c", "cd", "d", "e", "ef", "f", "fg", "g", "h"}


def fmt(v):
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if v == int(v):
            return str(int(v))
        return repr(round(v, 10))
    return str(v)


def main_index(lo, hi):
    for i, (a, b) in enumerate(MAIN):
        if a <= lo and hi <= b:
            return i
    raise ValueError((lo, hi))


def merged_fine(values):
    """(lo, hi, value) rows from a FINE(+FINE_BIG) list; equal neighbours inside one
    main range are merged; None = not defined (skipped)."""
    ranges = FINE + FINE_BIG
    rows = []
    for (lo, hi), v in zip(ranges, values):
        if v is None:
            continue
        if rows and rows[-1][2] == v and rows[-1][1] == lo and \
                main_index(rows[-1][0], rows[-1][1]) == main_index(lo, hi):
            rows[-1] = (rows[-1][0], hi, v)
        else:
            rows.append((lo, hi, v))
    return rows


def main_rows(values):
    return [(MAIN[i][0], MAIN[i][1], v) for i, v in enumerate(values) if v is not None]


def shaft_base_rows(letter):
    """(lo, hi, value) rows for a letter given for all grades (not j, k, js)."""
    if letter in SHAFT_FINE:
        return merged_fine(SHAFT_FINE[letter])
    return main_rows(SHAFT_MAIN[letter])


def shaft_rows():
    rows = []
    for L in LETTERS:
        if L == "js":
            for lo, hi in MAIN:
                rows.append([L, lo, hi, 1, 18, "symmetric", None])
        elif L == "j":
            for i, (lo, hi) in enumerate(MAIN[:13]):
                for (g1, g2), vals in J_SHAFT.items():
                    if vals[i] is not None:
                        rows.append([L, lo, hi, g1, g2, "lower", vals[i]])
        elif L == "k":
            for i, (lo, hi) in enumerate(MAIN[:13]):
                rows.append([L, lo, hi, 1, 3, "lower", 0])
                rows.append([L, lo, hi, 4, 7, "lower", K_4_7[i]])
                rows.append([L, lo, hi, 8, 18, "lower", 0])
            for lo, hi in MAIN[13:]:
                rows.append([L, lo, hi, 1, 18, "lower", 0])
        else:
            kind = "upper" if L in UPPER_LETTERS else "lower"
            for lo, hi, v in shaft_base_rows(L):
                rows.append([L, lo, hi, 1, 18, kind, v])
    return rows


def hole_rows():
    rows = []
    for L in LETTERS:
        U = L.upper()
        if L in UPPER_LETTERS:                       # A..H: EI = -es
            for lo, hi, v in shaft_base_rows(L):
                rows.append([U, lo, hi, 1, 18, "lower", -v, False])
        elif L == "js":
            for lo, hi in MAIN:
                rows.append([U, lo, hi, 1, 18, "symmetric", None, False])
        elif L == "j":
            for i, (lo, hi) in enumerate(MAIN[:13]):
                for g in (6, 7, 8):
                    rows.append([U, lo, hi, g, g, "upper", J_HOLE[g][i], False])
        elif L in ("k", "m", "n"):
            base = K_4_7 if L == "k" else SHAFT_MAIN[L]
            for i, (lo, hi) in enumerate(MAIN):
                x = -base[i] if i < 13 else (0 if L == "k" else -base[i])
                if x == 0:
                    x = 0  # avoid -0
                if i == 0:                                   # <= 3 mm: plain values
                    rows.append([U, lo, hi, 3, 8, "upper", x, False])
                    rows.append([U, lo, hi, 9, 18, "upper", x, False])
                elif i < 13:                                 # 3..500 mm
                    if L == "m" and (lo, hi) == (250, 315):  # footnote: M6 = -9
                        rows.append([U, lo, hi, 3, 5, "upper", x, True])
                        rows.append([U, lo, hi, 6, 6, "upper", -9, False])
                        rows.append([U, lo, hi, 7, 8, "upper", x, True])
                    else:
                        rows.append([U, lo, hi, 3, 8, "upper", x, True])
                    if L == "m":
                        rows.append([U, lo, hi, 9, 18, "upper", x, False])
                    elif L == "n":
                        rows.append([U, lo, hi, 9, 18, "upper", 0, False])
                    # K above IT8 is blank in the table for sizes > 3 mm: no row
                else:                                        # > 500 mm: no delta
                    if L == "m":
                        rows.append([U, lo, hi, 1, 18, "upper", x, False])
                    else:   # K and N: only the <=IT8 column is confirmed by 2 sources
                        rows.append([U, lo, hi, 1, 8, "upper", x, False])
        else:                                               # P..ZC
            for lo, hi, v in shaft_base_rows(L):
                if hi <= 500:
                    rows.append([U, lo, hi, 3, 7, "upper", -v, True])
                    rows.append([U, lo, hi, 8, 18, "upper", -v, False])
                else:
                    rows.append([U, lo, hi, 1, 18, "upper", -v, False])
    return rows


def write(name, header, rows):
    with open(os.path.join(OUT, name), "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([fmt(c) for c in r])
    print(f"{name}: {len(rows)} rows")


def main():
    grades = ["01", "0"] + [str(g) for g in range(1, 19)]
    write("iso286_it_um.csv", ["above_mm", "upto_mm"] + ["IT" + g for g in grades],
          [[lo, hi] + [IT[g][i] for g in grades] for i, (lo, hi) in enumerate(MAIN)])
    write("iso286_shaft_fundamental_deviations_um.csv",
          ["letter", "above_mm", "upto_mm", "grade_min", "grade_max", "deviation_kind", "value_um"],
          shaft_rows())
    write("iso286_hole_fundamental_deviations_um.csv",
          ["letter", "above_mm", "upto_mm", "grade_min", "grade_max", "deviation_kind", "value_um",
           "plus_delta"], hole_rows())
    write("iso286_delta_um.csv", ["above_mm", "upto_mm"] + [f"IT{g}" for g in range(3, 9)],
          [[lo, hi] + [DELTA[g][i] for g in range(3, 9)] for i, (lo, hi) in enumerate(MAIN[:13])])

    # ---- ISO 2768-1:1989 ------------------------------------------------
    write("iso2768_1_linear_mm.csv", ["above_mm", "upto_mm", "f", "m", "c", "v"], [
        [0.5, 3, 0.05, 0.1, 0.2, None],
        [3, 6, 0.05, 0.1, 0.3, 0.5],
        [6, 30, 0.1, 0.2, 0.5, 1],
        [30, 120, 0.15, 0.3, 0.8, 1.5],
        [120, 400, 0.2, 0.5, 1.2, 2.5],
        [400, 1000, 0.3, 0.8, 2, 4],
        [1000, 2000, 0.5, 1.2, 3, 6],
        [2000, 4000, None, 2, 4, 8]])
    write("iso2768_1_broken_edges_mm.csv", ["above_mm", "upto_mm", "f", "m", "c", "v"], [
        [0.5, 3, 0.2, 0.2, 0.4, 0.4],
        [3, 6, 0.5, 0.5, 1, 1],
        [6, None, 1, 1, 2, 2]])
    M = 1 / 60.0
    write("iso2768_1_angular.csv", ["above_mm", "upto_mm", "f", "m", "c", "v"], [
        [0, 10, 1.0, 1.0, 1.5, 3.0],
        [10, 50, 30 * M, 30 * M, 1.0, 2.0],
        [50, 120, 20 * M, 20 * M, 30 * M, 1.0],
        [120, 400, 10 * M, 10 * M, 15 * M, 30 * M],
        [400, None, 5 * M, 5 * M, 10 * M, 20 * M]])

    # ---- DIN 7168:1991-04 (not for new designs) ---------------------------
    R = [(0.5, 3), (3, 6), (6, 30), (30, 120), (120, 400), (400, 1000), (1000, 2000),
         (2000, 4000), (4000, 8000), (8000, 12000), (12000, 16000), (16000, 20000)]
    f = [0.05, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.8, None, None, None, None]
    m = [0.1, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2, 2, 3, 4, 5, 6]
    g = [0.15, 0.2, 0.5, 0.8, 1.2, 2, 3, 4, 5, 6, None, 8]   # 12000-16000 unresolved
    sg = [None, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 10, 12, 12]
    write("din7168_linear_mm.csv", ["above_mm", "upto_mm", "f", "m", "g", "sg"],
          [[lo, hi, f[i], m[i], g[i], sg[i]] for i, (lo, hi) in enumerate(R)])
    write("din7168_broken_edges_mm.csv", ["above_mm", "upto_mm", "f", "m", "g", "sg"], [
        [0.5, 3, 0.2, 0.2, 0.2, 0.2],
        [3, 6, 0.5, 0.5, 1, 1],
        [6, 30, 1, 1, 2, 2],
        [30, 120, 2, 2, 4, 4],
        [120, 400, 4, 4, 8, 8]])
    write("din7168_angular.csv", ["above_mm", "upto_mm", "f", "m", "g", "sg"], [
        [0, 10, 1.0, 1.0, 1.5, 3.0],
        [10, 50, 30 * M, 30 * M, 50 * M, 2.0],
        [50, 120, 20 * M, 20 * M, 25 * M, 1.0],
        [120, 400, 10 * M, 10 * M, 15 * M, 30 * M],
        [400, None, 5 * M, 5 * M, 10 * M, 20 * M]])


if __name__ == "__main__":
    main()

"""Compare the generated CSV tables with every source snapshot; write
../crosscheck_report.txt (mismatches + per-cell confirmation counts)."""
import csv, os, sys, runpy
from collections import defaultdict
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "sources"))
import source_data as S

def num(x):
    return None if x == "" else float(x)

def load(name):
    with open(os.path.join(ROOT, name)) as fh:
        return list(csv.DictReader(fh))

it_rows = load("iso286_it_um.csv")
IT = {}
for r in it_rows:
    rng = (num(r["above_mm"]), num(r["upto_mm"]))
    for k, v in r.items():
        if k.startswith("IT") and v != "":
            IT[(k[2:], rng)] = float(v)
DELTA = {}
for r in load("iso286_delta_um.csv"):
    rng = (num(r["above_mm"]), num(r["upto_mm"]))
    for g in range(3, 9):
        DELTA[(str(g), rng)] = float(r[f"IT{g}"])
SH = load("iso286_shaft_fundamental_deviations_um.csv")
HO = load("iso286_hole_fundamental_deviations_um.csv")

def rows_for(table, letter, grade):
    out = []
    for r in table:
        if r["letter"] == letter and int(r["grade_min"]) <= grade <= int(r["grade_max"]) and r["value_um"] != "":
            out.append(r)
    return out

def overlapping(rows, rng):
    lo, hi = rng
    return [r for r in rows if float(r["above_mm"]) < hi and lo < float(r["upto_mm"])]

mism = []
confirm = defaultdict(set)      # cell-id -> set(source names)
def key_row(kind, r):
    return (kind, r["letter"], float(r["above_mm"]), float(r["upto_mm"]), int(r["grade_min"]), int(r["grade_max"]))

def cmp_dev(src, kind, table, letter, grade, srcmap, transform=lambda v: v):
    for rng, v in sorted(srcmap.items()):
        rows = overlapping(rows_for(table, letter, grade), rng)
        if not rows:
            mism.append(f"[{src}] {kind} {letter} {rng} (grade {grade}): source has {v}, tables have no value")
            continue
        for r in rows:
            mine = float(r["value_um"])
            if abs(transform(mine) - v) > 1e-9:
                mism.append(f"[{src}] {kind} {letter} {rng} (grade {grade}): source {v} vs tables {transform(mine):g}")
            else:
                confirm[key_row(kind, r)].add(src)

for name, src in S.SOURCES.items():
    for g, m in src.get("it", {}).items():
        for rng, v in m.items():
            mine = IT.get((g, (float(rng[0]), float(rng[1]))))
            if mine is None or abs(mine - v) > 1e-9:
                mism.append(f"[{name}] IT{g} {rng}: source {v} vs tables {mine}")
            else:
                confirm[("IT", g, rng)].add(name)
    for g, m in src.get("delta", {}).items():
        for rng, v in m.items():
            mine = DELTA.get((g, (float(rng[0]), float(rng[1]))))
            if mine is None or abs(mine - v) > 1e-9:
                mism.append(f"[{name}] delta IT{g} {rng}: source {v} vs tables {mine}")
            else:
                confirm[("DELTA", g, rng)].add(name)
    for L, m in src.get("shaft", {}).items():
        cmp_dev(name, "shaft", SH, L, 5 if L == "k" else 9, m)
    for key, m in src.get("j_shaft", {}).items():
        cmp_dev(name, "shaft", SH, "j", int(key.split("-")[0]), m)
    for g, m in src.get("j_hole", {}).items():
        cmp_dev(name, "hole", HO, "J", g, m)
    for L, m in src.get("hole", {}).items():
        cmp_dev(name, "hole", HO, L, 8, m)        # base value (<=IT8 column for K, M, N)
        if name in ("rf-tolerance", "Kryova-backend") and L in ("K", "M", "N", "P", "R", "S", "T", "U",
                                                               "V", "X", "Y", "Z", "ZA", "ZB", "ZC"):
            # both sources store the base value and apply +delta for <=IT8 / <=IT7
            cmp_dev(name, "hole", HO, L, 4, m)
    if "m6_special" in src:
        cmp_dev(name, "hole", HO, "M", 6, src["m6_special"])
    for L, m in src.get("hole_hi", {}).items():
        cmp_dev(name, "hole", HO, L, 9, m)
    if "k_other" in src:
        cmp_dev(name, "shaft", SH, "k", 2, src["k_other"])
        cmp_dev(name, "shaft", SH, "k", 9, src["k_other"])
    for (L, g), m in src.get("hole_by_grade", {}).items():
        for rng, v in sorted(m.items()):
            rows = overlapping(rows_for(HO, L, g), rng)
            if not rows:
                mism.append(f"[{name}] hole {L}{g} {rng}: source {v}, tables none"); continue
            for r in rows:
                mine = float(r["value_um"])
                if r["plus_delta"] == "true":
                    mine += DELTA[(str(g), next(k for (gg, k) in DELTA if gg == str(g)
                                                and k[0] <= float(r["above_mm"]) and float(r["upto_mm"]) <= k[1]))]
                if abs(mine - v) > 1e-9:
                    mism.append(f"[{name}] hole {L}{g} {rng}: source ES {v} vs tables+delta {mine:g}")
                else:
                    confirm[key_row("hole", r)].add(name)

# pressfit 0.1.0 (read from the downloaded sdist)
pf = runpy.run_path(os.path.join(ROOT, "dl/pressfit-0.1.0/pressfit/tables.py"))
bands = [0] + pf["IT_BANDS"]
for g, vals in pf["IT"].items():
    for i, v in enumerate(vals):
        rng = (bands[i], bands[i + 1]); mine = IT.get((str(g), (float(rng[0]), float(rng[1]))))
        if mine != v: mism.append(f"[pressfit] IT{g} {rng}: {v} vs {mine}")
        else: confirm[("IT", str(g), rng)].add("pressfit 0.1.0")
for L, vals in pf["DEV_MAIN"].items():
    cmp_dev("pressfit 0.1.0", "shaft", SH, L, 5 if L == "k" else 9,
            {(bands[i], bands[i + 1]): v for i, v in enumerate(vals)})
for L, pairs in pf["DEV_SUBBAND"].items():
    cmp_dev("pressfit 0.1.0", "shaft", SH, L, 9, S.runs(pairs))

# shared reference CSVs (domain notes)
D = "/work/shared/reference/domain"
with open(os.path.join(D, "iso286_IT_upto500_um.csv")) as fh:
    for r in csv.DictReader(fh):
        rng = (float(r["over_mm"]), float(r["up_to_incl_mm"]))
        for k, v in r.items():
            if k.startswith("IT"):
                mine = IT.get((k[2:], rng))
                if mine != float(v): mism.append(f"[shared csv] {k} {rng}: {v} vs {mine}")
                else: confirm[("IT", k[2:], (int(rng[0]), int(rng[1])))].add("shared domain csv")
with open(os.path.join(D, "iso286_IT5-11_500-3150_um.csv")) as fh:
    for r in csv.DictReader(fh):
        rng = (float(r["over_mm"]), float(r["up_to_incl_mm"]))
        for k, v in r.items():
            if k.startswith("IT"):
                mine = IT.get((k[2:], rng))
                if mine != float(v): mism.append(f"[shared csv >500] {k} {rng}: {v} vs {mine}")
                else: confirm[("IT", k[2:], (int(rng[0]), int(rng[1])))].add("shared domain csv (mechguru)")

# ---------------- coverage ---------------------------------------------------
lines = ["# Cross-check report (generated by tools/crosscheck.py)", "", "## Mismatches (source value vs our table)", ""]
lines += mism or ["(none)"]
lines += ["", "## Cells confirmed by fewer than 2 independent sources", ""]
weak = []
for r in it_rows:
    rng = (int(float(r["above_mm"])), int(float(r["upto_mm"])))
    for k, v in r.items():
        if k.startswith("IT") and v != "":
            n = len(confirm[("IT", k[2:], rng)])
            if n < 2: weak.append(f"IT {k} {rng}: {n} source(s) {sorted(confirm[('IT', k[2:], rng)])}")
for rng in [tuple(int(float(x)) for x in (r["above_mm"], r["upto_mm"])) for r in load("iso286_delta_um.csv")]:
    for g in range(3, 9):
        n = len(confirm[("DELTA", str(g), rng)])
        if n < 2: weak.append(f"delta IT{g} {rng}: {n}")
for kind, table in (("shaft", SH), ("hole", HO)):
    for r in table:
        if r["value_um"] == "":
            continue
        s = confirm[key_row(kind, r)]
        if len(s) < 2:
            weak.append(f"{kind} {r['letter']} {r['above_mm']}-{r['upto_mm']} IT{r['grade_min']}..{r['grade_max']} "
                        f"= {r['value_um']} plus_delta={r.get('plus_delta','')}: {len(s)} source(s) {sorted(s)}")
lines += weak or ["(none)"]
lines += ["", "## Confirmation count histogram", ""]
hist = defaultdict(int)
for kind, table in (("shaft", SH), ("hole", HO)):
    for r in table:
        if r["value_um"] != "":
            hist[(kind, len(confirm[key_row(kind, r)]))] += 1
for k in sorted(hist): lines.append(f"{k[0]} rows confirmed by {k[1]} sources: {hist[k]}")
itn = defaultdict(int)
for r in it_rows:
    rng = (int(float(r["above_mm"])), int(float(r["upto_mm"])))
    for k, v in r.items():
        if k.startswith("IT") and v != "": itn[len(confirm[("IT", k[2:], rng)])] += 1
for k in sorted(itn): lines.append(f"IT cells confirmed by {k} sources: {itn[k]}")
open(os.path.join(ROOT, "crosscheck_report.txt"), "w").write("\n".join(lines) + "\n")
with open(os.path.join(ROOT, "crosscheck_coverage.csv"), "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["table", "letter_or_grade", "above_mm", "upto_mm", "grade_min", "grade_max", "value",
                "plus_delta", "n_sources", "sources"])
    for r in it_rows:
        rng = (int(float(r["above_mm"])), int(float(r["upto_mm"])))
        for k, v in r.items():
            if k.startswith("IT") and v != "":
                s = sorted(confirm[("IT", k[2:], rng)])
                w.writerow(["it", k, rng[0], rng[1], "", "", v, "", len(s), "; ".join(s)])
    for r in load("iso286_delta_um.csv"):
        rng = (int(float(r["above_mm"])), int(float(r["upto_mm"])))
        for g in range(3, 9):
            s = sorted(confirm[("DELTA", str(g), rng)])
            w.writerow(["delta", f"IT{g}", rng[0], rng[1], "", "", r[f"IT{g}"], "", len(s), "; ".join(s)])
    for kind, table in (("shaft", SH), ("hole", HO)):
        for r in table:
            if r["value_um"] == "":
                continue
            s = sorted(confirm[key_row(kind, r)])
            w.writerow([kind, r["letter"], r["above_mm"], r["upto_mm"], r["grade_min"], r["grade_max"],
                        r["value_um"], r.get("plus_delta", ""), len(s), "; ".join(s)])
print("\n".join(lines[:200]))
print(f"... {len(mism)} mismatches, {len(weak)} weak cells")

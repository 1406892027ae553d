"""Process capability (Cp, Cpk) and performance (Pp, Ppk) per characteristic.

Notation: USL and LSL the limits, x̄ the mean, s the overall sample standard deviation (n − 1),
σ̂ the within (short-term) estimate:

- individual values: σ̂ = MR̄ / d2(2), MR̄ the mean absolute difference of consecutive values
  **in the order of the measurements** (their ``sequence``: the file's order, taken as the
  production order; sort the file by production time before reading it);
- subgroups (a ``subgroup`` column): σ̂ = mean of Rᵢ / d2(nᵢ) (``range``, the default) or of
  sᵢ / c4(nᵢ) (``stddev``) over the subgroups of two or more values; for equal subgroup sizes
  these are R̄ / d2(n) and s̄ / c4(n).

Cp = (USL − LSL) / 6σ̂; CPU = (USL − x̄) / 3σ̂; CPL = (x̄ − LSL) / 3σ̂; Cpk = min(CPU, CPL) (with
one limit, Cpk is that one-sided index and Cp is NA). Pp, Ppk: the same with s. Expected PPM
= 10⁶ · (Φ((LSL − x̄)/σ̂) + Φ((x̄ − USL)/σ̂)) = 10⁶ · (Φ(−3·CPL) + Φ(−3·CPU)).

d2(n) is the expected range of n standard normal values, computed by integrating
1 − Φ(x)ⁿ − (1 − Φ(x))ⁿ; c4(n) = √(2/(n−1)) · Γ(n/2) / Γ((n−1)/2). Φ comes from ``math.erfc``.

May import: numpy, pandas, the schema and :mod:`._measurements`.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from ._measurements import PLAN_COLUMNS, _as_measurements, _check_plan, _typed, results, within

__all__ = ["c4", "capability", "d2", "normal_cdf"]

SigmaMethod = Literal["auto", "moving_range", "range", "stddev"]

DEFAULT_THRESHOLD = 1.33
"""Cpk ≥ 1.33: the common target (Q-DAS default; AIAG asks Ppk > 1.67 for initial studies)."""
DEFAULT_MIN_N = 25
"""Fewer values than this are flagged ``small_sample`` (Q-DAS asks for about 125)."""


def normal_cdf(z: float) -> float:
    """Φ(z), the standard normal distribution function (``math.erfc``; exact in the tails).

    Examples
    --------
    >>> round(normal_cdf(-3.0) * 1e6, 1)
    1349.9
    """
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


@cache
def _grid() -> tuple[np.ndarray, np.ndarray, float]:
    step = 1e-3
    x = np.arange(-12.0, 12.0 + step / 2, step)
    phi = np.array([normal_cdf(v) for v in x])
    return x, phi, step


@lru_cache(maxsize=256)
def d2(n: int) -> float:
    """The expected range of ``n`` independent standard normal values (the control-chart d2).

    Examples
    --------
    >>> [round(d2(n), 3) for n in (2, 3, 4, 5)]
    [1.128, 1.693, 2.059, 2.326]
    """
    if n < 2:
        raise ValueError(f"d2 needs a subgroup of at least 2 values, not {n}")
    _, phi, step = _grid()
    f = 1.0 - phi**n - (1.0 - phi) ** n
    return float(step * (f.sum() - (f[0] + f[-1]) / 2))


def c4(n: int) -> float:
    """E[s] / σ for ``n`` normal values: √(2/(n−1)) · Γ(n/2) / Γ((n−1)/2).

    Examples
    --------
    >>> [round(c4(n), 4) for n in (2, 3, 4, 5)]
    [0.7979, 0.8862, 0.9213, 0.94]
    """
    if n < 2:
        raise ValueError(f"c4 needs a subgroup of at least 2 values, not {n}")
    return math.sqrt(2.0 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


def _sigma_within(values: np.ndarray, groups: list[Any] | None, method: str) -> float:
    if method == "moving_range":
        if len(values) < 2:
            return math.nan
        return float(np.mean(np.abs(np.diff(values)))) / d2(2)
    assert groups is not None
    by: dict[Any, list[float]] = {}
    for g, v in zip(groups, values, strict=True):
        by.setdefault(g, []).append(float(v))
    parts = []
    for vs in by.values():
        if len(vs) < 2:
            continue
        if method == "range":
            parts.append((max(vs) - min(vs)) / d2(len(vs)))
        else:
            parts.append(float(np.std(vs, ddof=1)) / c4(len(vs)))
    return float(np.mean(parts)) if parts else math.nan


def _ratio(num: float, den: float) -> float:
    """num / den with IEEE rules for den = 0 (±inf, NaN for 0/0); NaN when either is NaN."""
    if math.isnan(num) or math.isnan(den):
        return math.nan
    if den == 0:
        return math.nan if num == 0 else math.copysign(math.inf, num)
    return num / den


def _expected_ppm(mean: float, sigma: float, lsl: float, usl: float) -> float:
    """10⁶ · (Φ((LSL − x̄)/σ) + Φ((x̄ − USL)/σ)), a missing limit adding nothing."""
    if math.isnan(sigma) or math.isnan(mean):
        return math.nan
    total = 0.0
    for limit, z in ((lsl, _ratio(lsl - mean, sigma)), (usl, _ratio(mean - usl, sigma))):
        if math.isnan(limit):
            continue
        if math.isnan(z):  # sigma 0 and the mean on the limit
            return math.nan
        total += normal_cdf(z)
    return 1e6 * total


def _indices(mean: float, sigma: float, lsl: float, usl: float) -> tuple[float, float, float, float]:
    """(Cp, Cpk, CPU, CPL) for one sigma; NA where a limit is missing."""
    cpu = _ratio(usl - mean, 3 * sigma) if not math.isnan(usl) else math.nan
    cpl = _ratio(mean - lsl, 3 * sigma) if not math.isnan(lsl) else math.nan
    cp = _ratio(usl - lsl, 6 * sigma) if not (math.isnan(usl) or math.isnan(lsl)) else math.nan
    sides = [v for v, limit in ((cpu, usl), (cpl, lsl)) if not math.isnan(limit)]
    cpk = math.nan if not sides or any(math.isnan(v) for v in sides) else min(sides)
    return cp, cpk, cpu, cpl


def capability(
    plan: pd.DataFrame,
    measurements: Any,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    index: Literal["cpk", "ppk"] = "cpk",
    min_n: int = DEFAULT_MIN_N,
    sigma: SigmaMethod = "auto",
    warn: bool = True,
) -> pd.DataFrame:
    """Capability (Cp, Cpk, CPU, CPL) and performance (Pp, Ppk) of every characteristic.

    Every characteristic of the drawings that have measurements gets one row; see the module
    documentation (``help(wf.inspection.capability)``, docs/inspection.md) for the formulas.
    The within sigma of individual values uses the moving range **in file order** (the
    ``sequence`` of the measurements, taken as the production order).

    Edge cases, never errors: one value (n = 1) gives a mean and NA sigmas and indices (verdict
    ``too few values``); all values equal (sigma 0) gives infinite indices (``inf`` when the
    mean lies within the limits, ``-inf`` beyond one, NA exactly on one) and an expected PPM of
    0 or 10⁶; a characteristic without limits gets ``no limits``; with one limit, Cp and Pp are
    NA and Cpk/Ppk are the one-sided index.

    Parameters
    ----------
    plan
        The inspection plan (``wf.inspection_plan(corpus)``).
    measurements
        The measurements (:func:`read_measurements`), a file to read, or :func:`results`.
    threshold
        The verdict is ``capable`` when ``index`` reaches it.
    index
        ``"cpk"`` (within sigma, the default) or ``"ppk"`` (overall sigma) for the verdict.
    min_n
        Fewer values are flagged ``small_sample`` with a note.
    sigma
        ``"auto"``: the moving range without subgroups, else ``"range"``; or ``"moving_range"``,
        ``"range"`` (R̄/d2) or ``"stddev"`` (s̄/c4) explicitly.
    warn
        Warn once when values could not be placed.

    Returns
    -------
    pandas.DataFrame
        The ``capability`` table (``wf.schema.describe("capability")``); problems in
        :func:`problems`.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> import werk24_frames as wf
    >>> plan = wf.inspection_plan(wf.sample_corpus().select("WF-1015"))
    >>> values = np.random.default_rng(0).normal(28.0285, 0.001, size=50)  # Ø28 p6: 28.022–28.035
    >>> m = pd.DataFrame({"characteristic": 17, "part": [f"S{i}" for i in range(50)], "value": values})
    >>> cap = wf.inspection.capability(plan, m).set_index("characteristic")
    >>> row = cap.loc[17]
    >>> int(row["n"]), row["verdict"], bool(row["cpk"] > 1.33), row["sigma_method"]
    (50, 'capable', True, 'moving_range')
    >>> cap.loc[1, "verdict"]
    'not measured'
    """
    if index not in ("cpk", "ppk"):
        raise ValueError(f"index must be 'cpk' or 'ppk', not {index!r}")
    if sigma not in ("auto", "moving_range", "range", "stddev"):
        raise ValueError(f"sigma must be 'auto', 'moving_range', 'range' or 'stddev', not {sigma!r}")
    _check_plan(plan)
    if isinstance(measurements, pd.DataFrame) and "within_limits" in measurements.columns:
        res = measurements
    else:
        res = results(plan, _as_measurements(measurements), warn=warn)
    measured = set(res["drawing_id"].dropna().astype(str))
    rows = plan[plan["drawing_id"].astype("string").isin(measured)].drop_duplicates(["drawing_id", "characteristic"])
    rows = rows.sort_values(["drawing_id", "characteristic"], kind="stable")

    groups: dict[tuple[str, int], pd.DataFrame] = {}
    measured_rows = res[res["value"].notna()].sort_values("sequence", kind="stable").reset_index(drop=True)
    positions: dict[tuple[str, int], list[int]] = {}
    for i, (d, c) in enumerate(zip(measured_rows["drawing_id"], measured_rows["characteristic"], strict=True)):
        positions.setdefault((str(d), int(c)), []).append(i)
    for key, where in positions.items():
        groups[key] = measured_rows.iloc[where]
    out: dict[str, list[Any]] = {c: rows[c].tolist() for c in PLAN_COLUMNS}
    stats: dict[str, list[Any]] = {
        k: []
        for k in (
            "n",
            "mean",
            "sigma_within",
            "sigma_method",
            "sigma_overall",
            "cp",
            "cpk",
            "cpu",
            "cpl",
            "pp",
            "ppk",
            "expected_ppm",
            "expected_ppm_overall",
            "observed_ppm",
            "n_outside",
            "small_sample",
            "threshold",
            "verdict",
            "note",
        )
    }
    for did, balloon, lsl_, usl_ in zip(
        rows["drawing_id"], rows["characteristic"], rows["lower_limit"], rows["upper_limit"], strict=True
    ):
        lsl = math.nan if pd.isna(lsl_) else float(lsl_)
        usl = math.nan if pd.isna(usl_) else float(usl_)
        g: pd.DataFrame | None = groups.get((str(did), int(balloon)))
        values = np.array([], dtype="float64") if g is None else g["value"].to_numpy(dtype="float64")
        n = len(values)
        notes: list[str] = []
        subgroups = None
        method = "moving_range" if sigma == "auto" else sigma
        if g is not None and "subgroup" in g and g["subgroup"].notna().any():
            subgroups = [s if pd.notna(s) else f"\x00row{i}" for i, s in zip(g["sequence"], g["subgroup"], strict=True)]
            if sigma == "auto":
                method = "range"
        if method in ("range", "stddev") and subgroups is None:
            subgroups = [f"\x00row{i}" for i in range(n)]
            notes.append("no subgroups given: the within sigma needs them")
        elif method in ("range", "stddev") and subgroups is not None and len(set(subgroups)) == n:
            notes.append("no subgroup has two values: the within sigma needs them")
        mean = float(np.mean(values)) if n else math.nan
        s_overall = float(np.std(values, ddof=1)) if n >= 2 else math.nan
        s_within = _sigma_within(values, subgroups, method) if n else math.nan
        cp, cpk, cpu, cpl = _indices(mean, s_within, lsl, usl)
        pp, ppk, _, _ = _indices(mean, s_overall, lsl, usl)
        no_limits = math.isnan(lsl) and math.isnan(usl)
        outside = 0
        if n and not no_limits:
            outside = int((~within(values, np.full(n, lsl), np.full(n, usl)).fillna(True)).sum())
        chosen = cpk if index == "cpk" else ppk
        if n == 0:
            verdict = "not measured"
        elif no_limits:
            verdict = "no limits"
        elif n < 2:
            verdict = "too few values"
        elif math.isnan(s_within if index == "cpk" else s_overall):
            # within sigma asked from subgroups where there are none (or none of two values)
            verdict = "undetermined"
        elif math.isnan(chosen):
            verdict = "undetermined"
        else:
            verdict = "capable" if chosen >= threshold else "not capable"
        if n and n < min_n:
            notes.append(f"n = {n} < {min_n}: the indices are uncertain (Q-DAS asks for about 125 values)")
        if n >= 2 and s_overall == 0:
            notes.append("all values equal (sigma 0): the indices are infinite")
        if not no_limits and (math.isnan(lsl) or math.isnan(usl)):
            notes.append("one-sided limit: Cp and Pp are undefined, Cpk and Ppk are the one-sided index")
        if verdict == "undetermined":
            notes.append("sigma 0 with the mean on a limit")
        stats["n"].append(n)
        stats["mean"].append(mean)
        stats["sigma_within"].append(s_within)
        stats["sigma_method"].append(method if n else None)
        stats["sigma_overall"].append(s_overall)
        for name, v in (("cp", cp), ("cpk", cpk), ("cpu", cpu), ("cpl", cpl), ("pp", pp), ("ppk", ppk)):
            stats[name].append(v)
        stats["expected_ppm"].append(_expected_ppm(mean, s_within, lsl, usl) if not no_limits else math.nan)
        stats["expected_ppm_overall"].append(_expected_ppm(mean, s_overall, lsl, usl) if not no_limits else math.nan)
        stats["observed_ppm"].append(1e6 * outside / n if n and not no_limits else math.nan)
        stats["n_outside"].append(outside if n and not no_limits else None)
        stats["small_sample"].append(bool(n) and n < min_n)
        stats["threshold"].append(float(threshold))
        stats["verdict"].append(verdict)
        stats["note"].append("; ".join(notes) or None)
    out.update(stats)
    frame = _typed("capability", out).reset_index(drop=True)
    frame.attrs["problems"] = tuple(res.attrs.get("problems", ()))
    return frame

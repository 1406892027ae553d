"""Generate the synthetic sample corpus: ``python -m werk24_frames.samples.generate``.

Deterministic (fixed seed). For each drawing it invents a part (turned, milled or sheet metal;
metric or inch), its material, tolerances and features, renders a sheet with matplotlib (views,
dimension lines, callouts, a title block), takes every label's position from the renderer's
text extents, and writes the answers of META_DATA, FEATURES, INSIGHTS, REFERENCE_POSITIONS,
BALLOONS, PAGE_ASSESSMENT, DOCUMENT_PROFILE and SHEET_IMAGES (VIEW_IMAGES for some) into a
store, as the live reader stores real reads.

Needs matplotlib and Pillow (the ``plot`` and ``widgets`` extras); loading the result needs
neither.
"""

from __future__ import annotations

import argparse
import io
import itertools
import math
import random
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import tolerances as tol
from .._store import content_id, write_drawing
from .._units import INCH_MM, MASS_TO_KG

SEED = 24
N_DRAWINGS = 44
SHEET_W, SHEET_H = 297.0, 210.0  # A4 landscape, mm
DPI = 110

# designation, standard, raw text, categories, density g/cm³, weight in the mix
MATERIALS: dict[str, list[tuple[str, str | None, str, list[str | None], float, int]]] = {
    "steel": [
        ("S235JR", "EN 10025-2", "S235JR", ["FERROUS_ALLOY", "STEEL", "STRUCTURAL_OR_CONSTRUCTIONAL_STEEL"], 7.85, 6),
        ("C45", "EN 10083-2", "C45+N", ["FERROUS_ALLOY", "STEEL", "STRUCTURAL_OR_CONSTRUCTIONAL_STEEL"], 7.85, 6),
        (
            "42CrMo4",
            "EN 10083-3",
            "42CrMo4+QT",
            ["FERROUS_ALLOY", "STEEL", "STRUCTURAL_OR_CONSTRUCTIONAL_STEEL"],
            7.85,
            4,
        ),
        ("20MnCr5", "EN 10084", "20MnCr5", ["FERROUS_ALLOY", "STEEL", "STRUCTURAL_OR_CONSTRUCTIONAL_STEEL"], 7.85, 3),
        ("16MnCr5", "EN 10084", "16MnCr5", ["FERROUS_ALLOY", "STEEL", "STRUCTURAL_OR_CONSTRUCTIONAL_STEEL"], 7.85, 2),
    ],
    "stainless": [
        ("X5CrNi18-10", "EN 10088-3", "1.4301", ["FERROUS_ALLOY", "STEEL", "STAINLESS_STEEL"], 7.9, 4),
        ("X2CrNiMo17-12-2", "EN 10088-3", "1.4404", ["FERROUS_ALLOY", "STEEL", "STAINLESS_STEEL"], 8.0, 2),
    ],
    "aluminium": [
        ("EN AW-6082 T6", "EN 573-3", "EN AW-6082 T6", ["NONFERROUS_ALLOY", "ALUMINUM", None], 2.7, 5),
        ("EN AW-7075", "EN 573-3", "EN AW-7075 T651", ["NONFERROUS_ALLOY", "ALUMINUM", None], 2.81, 2),
        ("6061-T6", "ASTM B221", "AL 6061-T6", ["NONFERROUS_ALLOY", "ALUMINUM", None], 2.7, 3),
    ],
    "brass": [("CuZn39Pb3", "EN 12164", "CW614N", ["NONFERROUS_ALLOY", "COPPER", None], 8.47, 2)],
    "plastic": [
        ("POM-C", None, "POM-C natural", ["POLYMER", "THERMOPLAST", "POM"], 1.41, 2),
        ("PA6", None, "PA 6", ["POLYMER", "THERMOPLAST", None], 1.14, 1),
    ],
}
FAMILIES = {  # family: (count, material groups)
    "shaft": (9, ("steel", "stainless")),
    "bushing": (5, ("brass", "plastic", "steel")),
    "pin": (4, ("steel", "stainless")),
    "plate": (8, ("aluminium", "steel")),
    "bracket": (6, ("aluminium", "steel", "stainless")),
    "housing": (6, ("aluminium", "steel")),
    "sheet": (6, ("steel", "stainless", "aluminium")),
}
INCH = INCH_MM
SHAFT_FITS = ("g6", "h6", "k6", "p6", "h7", "f7")


# --------------------------------------------------------------------------------------
# What a drawing holds
# --------------------------------------------------------------------------------------


@dataclass
class Label:
    """A text on the sheet: where it goes (sheet mm), how it is turned, and its reference id."""

    rid: int
    text: str
    x: float
    y: float
    rotation: float = 0.0
    boxed: bool = False
    ha: str = "center"
    va: str = "center"
    size: float = 6.5


@dataclass
class Drawing:
    number: str
    family: str
    inch: bool
    rng: random.Random
    scale: float = 1.0
    lines: list[tuple[list[float], list[float], str]] = field(default_factory=list)  # xs, ys, style
    circles: list[tuple[float, float, float, str]] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    features: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    insights: dict[str, Any] = field(default_factory=dict)
    volume_cm3: float = 0.0
    next_rid: int = 1
    seat_fit: str | None = None  # the class of a metric shaft's first seat

    def rid(self) -> int:
        self.next_rid += 1
        return self.next_rid

    def unit(self) -> str:
        return "inch" if self.inch else "mm"

    def fmt(self, value_mm: float) -> str:
        """A size as the drawing prints it: mm with up to 2 decimals, inch as ``.500``."""
        if self.inch:
            v = round(value_mm / INCH, 4)
            return f"{v:.3f}".lstrip("0") if v < 1 else f"{v:.3f}"
        return f"{value_mm:.2f}".rstrip("0").rstrip(".")

    def value(self, value_mm: float) -> str:
        """The size as Werk24 sends it (a decimal string in the drawing's unit)."""
        v = value_mm / INCH if self.inch else value_mm
        return f"{round(v, 4):g}"


def _signed(x: float) -> str:
    """A deviation as drawings print it: ``+0.1``, ``-0.02``, and a bare ``0``."""
    return "0" if x == 0 else f"{x:+g}"


def _size(d: Drawing, value_mm: float, size_type: str = "LINEAR", **t: Any) -> dict[str, Any]:
    tolerance = None
    if t:
        tolerance = {
            "tolerance_grade": t.get("grade"),
            "deviation_lower": t.get("lower"),
            "deviation_upper": t.get("upper"),
            "fit": t.get("fit"),
            "is_theoretically_exact": t.get("exact", False),
            "is_reference": t.get("reference", False),
            "is_general_tolerance": t.get("general", False),
            "is_approximation": False,
        }
    return {"value": d.value(value_mm), "unit": d.unit(), "size_type": size_type, "tolerance": tolerance}


def _angle(value: float) -> dict[str, Any]:
    return {"value": f"{value:g}", "unit": "degree", "size_type": "ANGULAR", "tolerance": None}


def _conf(d: Drawing) -> dict[str, str]:
    r = d.rng.random()
    score = d.rng.uniform(0.35, 0.6) if r < 0.05 else d.rng.uniform(0.82, 0.995)
    return {"score": f"{score:.2f}"}


def _grade(width_mm: float, nominal_mm: float) -> str | None:
    g = tol.it_grade(width_mm, nominal_mm)
    return None if g is None else str(g)


def _add(d: Drawing, kind: str, item: dict[str, Any]) -> None:
    d.features.setdefault(kind, []).append(item)


def _callout(d: Drawing, kind: str, label: Label, **fields: Any) -> None:
    """A feature of ``kind`` (its item in FEATURES) and its label on the sheet."""
    _add(d, kind, {"reference_id": label.rid, "label": label.text, "confidence": _conf(d), **fields})
    d.labels.append(label)


def dimension(
    d: Drawing,
    nominal_mm: float,
    x: float,
    y: float,
    *,
    diameter: bool = False,
    rotation: float = 0.0,
    kind: str = "general",
    fit: str | None = None,
    plus_minus: float | None = None,
    asym: tuple[float, float] | None = None,
    quantity: int = 1,
) -> None:
    """A dimension and its label. ``kind``: general, fit, pm (±), asym, exact or reference."""
    rid = d.rid()
    if d.inch:
        # ASME drawings: sizes on a 1/16" grid, and every size toleranced by its decimals
        # (.XXX ±.005), unless a fit or an exact/reference size is asked for.
        nominal_mm = max(1, round(nominal_mm / INCH * 16)) / 16 * INCH
        if kind in ("general", "fit"):
            kind, plus_minus = "pm", 0.005 * INCH
        elif kind == "pm":
            plus_minus = _pick(d.rng, [0.005, 0.002, 0.01], [0.6, 0.3, 0.1]) * INCH
        elif kind == "asym":
            asym = (-0.002 * INCH, 0.0)
    size_type = "DIAMETER" if diameter else "LINEAR"
    prefix = ("Ø" if diameter else "") + (f"{quantity}x " if quantity > 1 and not diameter else "")
    if quantity > 1 and diameter:
        prefix = f"{quantity}x Ø"
    text = f"{prefix}{d.fmt(nominal_mm)}"
    t: dict[str, Any] = {"general": True}
    if kind == "fit" and fit:
        lo, hi = tol.deviations(fit, nominal_mm)
        t = {"fit": fit, "grade": _grade(hi - lo, nominal_mm)}
        if d.rng.random() < 0.5:  # Werk24 often gives the deviations of the class as well
            t |= {"lower": f"{lo:g}", "upper": f"{hi:g}"}
        text += f" {fit}"
    elif kind == "pm" and plus_minus:
        dev = plus_minus / INCH if d.inch else plus_minus
        dev = round(dev, 4)
        t = {"lower": f"{-dev:g}", "upper": f"{dev:g}", "grade": _grade(2 * plus_minus, nominal_mm)}
        text += f" ±{f'{dev:.3f}'.lstrip('0') if d.inch else f'{plus_minus:g}'}"
    elif kind == "asym" and asym:
        lo, hi = (round(a / INCH, 4) for a in asym) if d.inch else asym
        t = {"lower": f"{lo:g}", "upper": f"{hi:g}", "grade": _grade(asym[1] - asym[0], nominal_mm)}
        text += f" {_signed(hi)}/{_signed(lo)}" if not d.inch else f" +{hi:.3f}/{lo:.3f}".replace("0.", ".")
    elif kind == "exact":
        t = {"exact": True}
        text = f"|{text}|"
    elif kind == "reference":
        t = {"reference": True}
        text = f"({text})"
    _callout(
        d,
        "dimensions",
        Label(rid, text, x, y, rotation, boxed=kind == "exact"),
        quantity=quantity,
        size=_size(d, nominal_mm, size_type, **t),
    )


# --------------------------------------------------------------------------------------
# Geometry and callouts per family
# --------------------------------------------------------------------------------------


def _hline(d: Drawing, x0: float, x1: float, y: float, style: str = "-") -> None:
    d.lines.append(([x0, x1], [y, y], style))


def _vline(d: Drawing, x: float, y0: float, y1: float, style: str = "-") -> None:
    d.lines.append(([x, x], [y0, y1], style))


def _dim_line(d: Drawing, x0: float, y0: float, x1: float, y1: float) -> None:
    d.lines.append(([x0, x1], [y0, y1], "dim"))


def _rect(d: Drawing, x0: float, y0: float, x1: float, y1: float, style: str = "-") -> None:
    d.lines.append(([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0], style))


def _pick(rng: random.Random, options: list[Any], weights: list[float] | None = None) -> Any:
    return rng.choices(options, weights=weights, k=1)[0]


def _fit_kind(rng: random.Random) -> str:
    return _pick(rng, ["general", "fit", "pm", "asym"], [0.55, 0.15, 0.2, 0.1])


def turned(d: Drawing) -> None:
    rng = d.rng
    fam = d.family
    n_steps = {"shaft": rng.randint(3, 5), "pin": rng.randint(2, 3), "bushing": rng.randint(2, 3)}[fam]
    base = rng.choice([12, 16, 20, 25, 30, 40, 50]) if fam != "pin" else rng.choice([6, 8, 10, 12])
    diameters = sorted({max(4, base - 4 * k - rng.choice([0, 2])) for k in range(n_steps)}, reverse=True)
    rng.shuffle(diameters)
    lengths = [rng.choice([8, 10, 12, 15, 20, 25, 30, 40]) for _ in diameters]
    if fam == "pin":
        lengths = [rng.choice([20, 30, 40, 50])] + lengths[1:]
    total = sum(lengths)
    d.scale = 2.0 if total < 45 else 1.0 if total < 150 else 0.5
    s = d.scale
    x0, cy = 25.0, 125.0
    bore = 0.0
    if fam == "bushing":
        bore = round(max(diameters) * rng.uniform(0.45, 0.65))
        bore = max(4, bore)
    # Outline, steps and centre line.
    x = x0
    for dia, length in zip(diameters, lengths, strict=True):
        r = dia / 2 * s
        _hline(d, x, x + length * s, cy + r)
        _hline(d, x, x + length * s, cy - r)
        _vline(d, x, cy - r, cy + r)
        x += length * s
    _vline(d, x, cy - diameters[-1] / 2 * s, cy + diameters[-1] / 2 * s)
    _hline(d, x0 - 5, x + 5, cy, "center")
    if bore:
        _hline(d, x0, x, cy + bore / 2 * s, "hidden")
        _hline(d, x0, x, cy - bore / 2 * s, "hidden")
    rmax = max(diameters) / 2 * s
    # End view.
    ex = min(max(x + 25 + rmax, 200), 250)
    for dia in sorted(set(diameters))[-2:]:
        d.circles.append((ex, cy, dia / 2 * s, "-"))
    if bore:
        d.circles.append((ex, cy, bore / 2 * s, "-"))
    _hline(d, ex - rmax - 4, ex + rmax + 4, cy, "center")
    _vline(d, ex, cy - rmax - 4, cy + rmax + 4, "center")
    # Lengths: chain below, overall further below.
    yb = cy - rmax - 9
    xa = x0
    for length in lengths:
        _dim_line(d, xa, yb, xa + length * s, yb)
        dimension(
            d, length, xa + length * s / 2, yb + 2.2, kind=_pick(rng, ["general", "pm"], [0.8, 0.2]), plus_minus=0.1
        )
        xa += length * s
    _dim_line(d, x0, yb - 9, x, yb - 9)
    dimension(
        d,
        total,
        (x0 + x) / 2,
        yb - 6.8,
        kind=_pick(rng, ["general", "pm", "reference"], [0.6, 0.3, 0.1]),
        plus_minus=0.2,
    )
    # Diameters: vertical dimension lines inside each step.
    xa = x0
    for i, (dia, length) in enumerate(zip(diameters, lengths, strict=True)):
        xm = xa + length * s / 2
        r = dia / 2 * s
        _dim_line(d, xm, cy - r, xm, cy + r)
        # A metric shaft's first seat carries the class the generator deals it (each common one
        # in turn, so the sample holds them all); the other seats vary.
        first_seat = i == 0 and d.seat_fit is not None
        kind = "fit" if first_seat else _fit_kind(rng)
        fit = d.seat_fit if first_seat else rng.choice(SHAFT_FITS)
        dimension(
            d,
            dia,
            xm - 2.2,
            cy + r / 2 + 1,
            diameter=True,
            rotation=90,
            kind=kind,
            fit=fit,
            plus_minus=0.05,
            asym=(-0.02, 0.0) if not d.inch else (-0.05, 0.0),
        )
        if i == 0 and fam != "pin" and rng.random() < 0.6:
            _add(d, "roughnesses", _roughness(d, "Ra 0.8", xm, cy + r + 4))
        xa += length * s
    # Distances from the left end, one row each, below the overall length.
    xa = x0
    for k, length in enumerate(lengths[:-1]):
        xa += length * s
        yk = yb - 9 - 7 * (k + 1)
        _dim_line(d, x0, yk, xa, yk)
        dimension(
            d,
            sum(lengths[: k + 1]),
            (x0 + xa) / 2,
            yk + 2.2,
            kind=_pick(rng, ["general", "pm", "exact"], [0.6, 0.3, 0.1]),
            plus_minus=0.05,
        )
    if fam in ("pin", "bushing"):  # a cross hole through the first step, and where it sits
        hole = rng.choice([3, 4, 5, 6])
        hx = x0 + lengths[0] * s / 2
        _vline(d, hx - hole / 2 * s, cy - diameters[0] / 2 * s, cy + diameters[0] / 2 * s, "hidden")
        _vline(d, hx + hole / 2 * s, cy - diameters[0] / 2 * s, cy + diameters[0] / 2 * s, "hidden")
        dimension(
            d,
            hole,
            hx,
            cy + diameters[0] / 2 * s + 12,
            diameter=True,
            kind=_pick(rng, ["general", "fit"], [0.5, 0.5]),
            fit="H8",
        )
        dimension(d, lengths[0] / 2, hx, cy + diameters[0] / 2 * s + 18, kind="pm", plus_minus=0.1)
    if bore:
        dimension(
            d,
            bore,
            ex,
            cy + bore / 2 * s + 3,
            diameter=True,
            kind=_pick(rng, ["fit", "general"], [0.7, 0.3]),
            fit=rng.choice(["H7", "H8", "F7"]),
        )
    # Callouts: chamfers, radii, thread, undercut, centre holes, runout.
    rid = d.rid()
    ch = rng.choice([0.5, 1.0, 1.5]) if not d.inch else 0.03 * INCH
    text = f"{d.fmt(ch)}x45°"
    _callout(
        d,
        "chamfers",
        Label(rid, text, x + 4, cy + diameters[-1] / 2 * s + 6, ha="left"),
        quantity=2,
        size=_size(d, ch),
        angle=_angle(45),
    )
    if n_steps > 1:
        rid = d.rid()
        rad = rng.choice([0.6, 0.8, 1.0, 2.0])
        text = f"R{d.fmt(rad)}"
        _callout(
            d,
            "radii",
            Label(rid, text, x0 + lengths[0] * s + 2, cy + rmax + 5, ha="left"),
            quantity=1,
            curvature_type="CONCAVE",
            size=_size(d, rad),
        )
    if fam == "shaft":
        thread_dia = diameters[-1]
        _thread(d, thread_dia, x - lengths[-1] * s / 2, cy - diameters[-1] / 2 * s - 4, male=True)
        if rng.random() < 0.6:
            rid = d.rid()
            text = "DIN 509-E0.6x0.3"
            _callout(
                d,
                "undercuts",
                Label(rid, text, x0 + lengths[0] * s, cy + rmax + 11, ha="left"),
                quantity=1,
                undercut_type="RELIEF_GROOVE",
                standard="DIN 509",
                form="E",
                radius=_size(d, 0.6),
                depth=_size(d, 0.3),
            )
        if rng.random() < 0.5:
            rid = d.rid()
            text = "ISO 6411-A2.5/5.3"
            _callout(
                d,
                "center_holes",
                Label(rid, text, x0 - 3, cy + 8, ha="right"),
                quantity=2,
                standard="ISO 6411",
                form="A",
                pilot_diameter=_size(d, 2.5, "DIAMETER"),
                outer_diameter=_size(d, 5.3, "DIAMETER"),
                requirement="PERMITTED",
            )
        _gdnt(d, "↗", 0.02, x + 8, cy - rmax - 4, datums=["A"], ha="left")
        if rng.random() < 0.6:
            rid = d.rid()
            kw = {12: 4, 16: 5, 20: 6, 25: 8, 30: 8, 40: 12, 50: 14}.get(base, 6)
            kl = max(10, min(lengths) - 4)
            text = f"DIN 6885-A {kw}x{kw - 1}x{kl}"
            _callout(
                d,
                "key_slots",
                Label(rid, text, ex, cy + rmax + 10),
                quantity=1,
                standard="DIN 6885",
                form="A",
                key_width=_size(d, kw),
                key_height=_size(d, kw - 1),
                key_length=_size(d, kl),
            )
            dimension(d, kw, ex, cy - rmax - 6, kind="fit", fit="P9")
    if fam == "bushing":
        _gdnt(d, "◎", 0.03, ex, cy - rmax - 8, datums=["A"], diameter=True)
    d.volume_cm3 = sum(math.pi * (dia / 2) ** 2 * length for dia, length in zip(diameters, lengths, strict=True)) / 1000
    if bore:
        d.volume_cm3 -= math.pi * (bore / 2) ** 2 * total / 1000
    d.insights = _turning_insights(d, max(diameters), total)


def milled(d: Drawing) -> None:
    rng = d.rng
    length = rng.choice([60, 80, 100, 120, 160, 200])
    width = rng.choice([40, 50, 60, 80, 100])
    height = rng.choice([10, 12, 15, 20, 25]) if d.family == "plate" else rng.choice([30, 40, 50, 60])
    d.scale = 1.0 if length <= 120 else 0.5
    s = d.scale
    x0, y0 = 25.0, 70.0
    x1, y1 = x0 + length * s, y0 + width * s
    _rect(d, x0, y0, x1, y1)
    # Side view to the right.
    sx0 = min(x1 + 20, 200)
    _rect(d, sx0, y0, sx0 + height * s, y1)
    dimension(d, length, (x0 + x1) / 2, y0 - 10 + 2.2, kind=_pick(rng, ["general", "pm"], [0.7, 0.3]), plus_minus=0.1)
    _dim_line(d, x0, y0 - 10, x1, y0 - 10)
    dimension(
        d,
        width,
        x0 - 10 - 2.2,
        (y0 + y1) / 2,
        rotation=90,
        kind=_pick(rng, ["general", "pm", "asym"], [0.6, 0.25, 0.15]),
        plus_minus=0.1,
        asym=(-0.1, 0.0),
    )
    _dim_line(d, x0 - 10, y0, x0 - 10, y1)
    dimension(
        d, height, sx0 + height * s / 2, y0 - 10 + 2.2, kind=_pick(rng, ["general", "pm"], [0.6, 0.4]), plus_minus=0.05
    )
    _dim_line(d, sx0, y0 - 10, sx0 + height * s, y0 - 10)
    # A hole pattern: four counterbored holes in the corners.
    inset = rng.choice([6, 8, 10])
    hx = [x0 + inset * s, x1 - inset * s]
    hy = [y0 + inset * s, y1 - inset * s]
    for cx in hx:
        for cy in hy:
            d.circles.append((cx, cy, 3.3 * s, "-"))
            d.circles.append((cx, cy, 5.5 * s, "hidden"))
    rid = d.rid()
    text = "4x Ø6.6 ⌴Ø11 ↧6.8" if not d.inch else "4x Ø.266 ⌴Ø.438 ↧.270"
    _bore(
        d,
        rid,
        text,
        quantity=4,
        diameter=_size(d, 6.6, "DIAMETER"),
        depth={"depth_type": "THROUGH_ALL", "size": None},
        counterbore={
            "diameter": _size(d, 11, "DIAMETER"),
            "depth": {"depth_type": "SIZE", "size": _size(d, 6.8)},
        },
    )
    d.labels.append(Label(rid, text, hx[1] + 6, hy[1] + 8, ha="left"))
    _gdnt(d, "⌖", 0.2, hx[1] + 6, hy[1] + 2.5, datums=["A", "B", "C"], diameter=True, mmc=True, ha="left")
    # Hole positions from the left edge (chain along the top).
    for k, cx in enumerate(hx):
        _dim_line(d, x0, y1 + 6 + 6 * k, cx, y1 + 6 + 6 * k)
        dimension(d, (cx - x0) / s, (x0 + cx) / 2, y1 + 8.2 + 6 * k, kind="exact" if rng.random() < 0.3 else "general")
    for k, cy_ in enumerate(hy):
        _dim_line(d, x1 + 6 + 6 * k, y0, x1 + 6 + 6 * k, cy_)
        dimension(d, (cy_ - y0) / s, x1 + 8.2 + 6 * k, (y0 + cy_) / 2, rotation=90, kind="general")
    # A fitted bore in the middle, sometimes a pocket and a thread.
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    bd: float = rng.choice([8, 10, 12, 16, 20])
    d.circles.append((cx, cy, bd / 2 * s, "-"))
    rid = d.rid()
    if d.inch:  # ASME: limits written out, +.001/-.000
        bd = round(bd / INCH * 16) / 16 * INCH
        diameter = _size(d, bd, "DIAMETER", lower="0", upper="0.001", grade=_grade(0.001 * INCH, bd))
        text = f"Ø{d.fmt(bd)} +.001/-.000"
    else:
        fit = rng.choice(["H7", "H7", "H8", "G7", "F8"])
        lo, hi = tol.deviations(fit, bd)
        if d.meta.get("_wrong_fit", False):  # a deliberate inconsistency for the audit to find
            hi += 0.003
        diameter = _size(d, bd, "DIAMETER", fit=fit, lower=f"{lo:g}", upper=f"{hi:g}", grade=_grade(hi - lo, bd))
        text = f"Ø{d.fmt(bd)} {fit} ↧{d.fmt(height)}"
    _bore(d, rid, text, quantity=1, diameter=diameter, depth={"depth_type": "SIZE", "size": _size(d, height)})
    d.labels.append(Label(rid, text, cx + bd / 2 * s + 3, cy + 3, ha="left"))
    dimension(d, length / 2, (x0 + cx) / 2, y0 + 3, kind=_pick(rng, ["pm", "exact"], [0.6, 0.4]), plus_minus=0.02)
    dimension(
        d,
        width / 2,
        cx - 3,
        (y0 + cy) / 2 + 6,
        rotation=90,
        kind=_pick(rng, ["pm", "exact"], [0.6, 0.4]),
        plus_minus=0.02,
    )
    if rng.random() < 0.7:
        tx, ty = (x0 + cx) / 2, cy - 8
        _thread(d, rng.choice([5, 6, 8, 10]) if not d.inch else 6.35, tx, ty, male=False)
        d.circles.append((tx, cy - 2, 3 * s, "-"))
    if d.family in ("bracket", "plate") and rng.random() < 0.7:  # countersunk holes along the bottom edge
        rid = d.rid()
        csx = [x0 + length * s * f for f in (0.35, 0.65)]
        for hx_ in csx:
            d.circles.append((hx_, y0 + 7 * s, 2.75 * s, "-"))
            d.circles.append((hx_, y0 + 7 * s, 5.5 * s, "-"))
        text = "2x Ø5.5 ⌵Ø11x90°" if not d.inch else "2x Ø.219 ⌵Ø.438x82°"
        _callout(
            d,
            "bores",
            Label(rid, text, csx[1] + 8, y0 + 3, ha="left"),
            quantity=2,
            counterbore=None,
            countersink={"diameter": _size(d, 11, "DIAMETER"), "angle": _angle(82 if d.inch else 90)},
            counterdrill=None,
            diameter=_size(d, 5.5, "DIAMETER"),
            depth={"depth_type": "THROUGH", "size": None},
            thread=None,
        )
    if d.family in ("housing", "bracket"):
        pw, ph = length * 0.3, width * 0.3
        _rect(d, cx - pw / 2 * s, y0 + 4 * s, cx + pw / 2 * s, y0 + (4 + ph) * s, "hidden")
        dimension(d, pw, cx, y0 + (4 + ph / 2) * s, kind=_pick(rng, ["general", "asym"], [0.6, 0.4]), asym=(0.0, 0.1))
        rid = d.rid()
        rad = rng.choice([3, 4, 5, 6])
        text = f"R{d.fmt(rad)}"
        _callout(
            d,
            "radii",
            Label(rid, text, cx + pw / 2 * s + 2, y0 + 6, ha="left"),
            quantity=4,
            curvature_type="CONCAVE",
            size=_size(d, rad),
        )
    _gdnt(d, "⏥", rng.choice([0.02, 0.05, 0.1]), sx0 + height * s + 4, y1 - 4, ha="left")
    if d.family != "plate":
        _gdnt(d, "⟂", 0.05, sx0 + height * s + 4, y0 + 6, datums=["A"], ha="left")
    rid = d.rid()
    text = f"{d.fmt(1.0)}x45°"
    _callout(
        d, "chamfers", Label(rid, text, x1 + 2, y0 - 3, ha="left"), quantity=4, size=_size(d, 1.0), angle=_angle(45)
    )
    _add(d, "roughnesses", _roughness(d, rng.choice(["Ra 1.6", "Ra 3.2", "Ra 0.8"]), (x0 + x1) / 2, y1 + 20))
    hole_volume = 4 * math.pi * 3.3**2 * height + math.pi * (bd / 2) ** 2 * height
    d.volume_cm3 = (length * width * height - hole_volume) / 1000
    d.insights = _milling_insights(d, length, width, height)


def sheet(d: Drawing) -> None:
    rng = d.rng
    length = rng.choice([80, 100, 120, 150])
    width = rng.choice([40, 50, 60])
    t = rng.choice([1.0, 1.5, 2.0, 3.0])
    flange = rng.choice([15, 20, 25])
    d.scale = 1.0
    x0, y0 = 25.0, 80.0
    _rect(d, x0, y0, x0 + length, y0 + width)
    _hline(d, x0, x0 + length, y0 + width - flange, "center")  # bend line
    dimension(d, length, x0 + length / 2, y0 - 8 + 2.2, kind="general")
    _dim_line(d, x0, y0 - 8, x0 + length, y0 - 8)
    dimension(d, width, x0 - 8 - 2.2, y0 + width / 2, rotation=90, kind="general")
    _dim_line(d, x0 - 8, y0, x0 - 8, y0 + width)
    dimension(
        d,
        flange,
        x0 + length + 8 + 2.2,
        y0 + width - flange / 2,
        rotation=90,
        kind=_pick(rng, ["general", "pm"], [0.6, 0.4]),
        plus_minus=0.2,
    )
    n_holes = rng.randint(3, 5)
    for k in range(n_holes):
        cx = x0 + (k + 1) * length / (n_holes + 1)
        d.circles.append((cx, y0 + 12, 2.75, "-"))
        dimension(d, (k + 1) * length / (n_holes + 1), cx, y0 + 4 + (k % 2) * 3, kind="general")
    dimension(d, 12, x0 + 4, y0 + 12, rotation=90, kind="general")
    rid = d.rid()
    text = "Ø5.5"
    _bore(d, rid, text, quantity=1, diameter=_size(d, 5.5, "DIAMETER"), depth={"depth_type": "THROUGH", "size": None})
    d.labels.append(Label(rid, text, x0 + length / (n_holes + 1), y0 + 19))
    # Side view: an L with the bend radius.
    sx = x0 + length + 30
    _hline(d, sx, sx + width - flange, y0)
    _vline(d, sx + width - flange, y0, y0 + flange)
    rid = d.rid()
    text = f"R{d.fmt(t)}"
    _callout(
        d,
        "radii",
        Label(rid, text, sx + width - flange + 3, y0 + 3, ha="left"),
        quantity=1,
        curvature_type="CONVEX",
        size=_size(d, t),
    )
    dimension(d, t, sx + 6, y0 - 5, kind="general")
    rid = d.rid()
    _add(
        d,
        "dimensions",
        {
            "reference_id": rid,
            "label": "90°",
            "confidence": _conf(d),
            "quantity": 1,
            "size": _angle(90) | {"tolerance": None},
        },
    )
    d.labels.append(Label(rid, "90°", sx + width - flange - 6, y0 + 6))
    d.volume_cm3 = length * width * t / 1000
    d.insights = {
        "primary_process_options": [{"primary_process": "CUTTING", "requires_bending": True}],
        "envelope": ("cuboid", length, width - flange + t, flange),
    }


def detail(d: Drawing, at_least: int = 12) -> None:
    """DETAIL A (2:1) in the upper band of the sheet: a stepped profile with its small sizes,
    so every drawing has a realistic number of dimensions."""
    rng = d.rng
    n = len(d.features.get("dimensions", []))
    k = max(3, at_least - n) + rng.randint(0, 8)
    x0, y0, w = 25.0, 168.0, 150.0
    step = w / k
    xs, ys = [x0], [y0]
    for j in range(k):
        h = rng.choice([0, 3, 6, 9])
        xs += [x0 + j * step, x0 + (j + 1) * step]
        ys += [y0 + h, y0 + h]
    d.lines.append((xs, ys, "-"))
    d.labels.append(Label(-1, "DETAIL A (2:1)", x0, y0 + 26, ha="left", size=7))
    for j in range(k):
        cx = x0 + (j + 0.5) * step
        row = y0 + 14 + (j % 2) * 6
        _dim_line(d, x0 + j * step + 1, row - 2, x0 + (j + 1) * step - 1, row - 2)
        value = rng.choice([0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12, 15, 20])
        dimension(
            d,
            value,
            cx,
            row,
            kind=_pick(rng, ["general", "pm", "asym", "reference"], [0.55, 0.25, 0.15, 0.05]),
            plus_minus=_pick(rng, [0.05, 0.1, 0.02, 0.01], [0.4, 0.4, 0.15, 0.05]),
            asym=(0.0, 0.1),
        )


def _bore(
    d: Drawing,
    rid: int,
    text: str,
    *,
    quantity: int,
    diameter: dict[str, Any],
    depth: dict[str, Any],
    counterbore: dict[str, Any] | None = None,
    countersink: dict[str, Any] | None = None,
) -> None:
    _add(
        d,
        "bores",
        {
            "reference_id": rid,
            "label": text,
            "confidence": _conf(d),
            "quantity": quantity,
            "counterbore": counterbore,
            "countersink": countersink,
            "counterdrill": None,
            "diameter": diameter,
            "depth": depth,
            "thread": None,
        },
    )


def _thread(d: Drawing, dia_mm: float, x: float, y: float, male: bool) -> None:
    rng = d.rng
    rid = d.rid()
    if d.inch:
        size, tpi, series = _pick(rng, [("1/4", 20, "UNC"), ("3/8", 16, "UNC"), ("1/4", 28, "UNF")])
        npt = not male and rng.random() < 0.5
        if npt:
            text = "1/8-27 NPT"
            item = {
                "thread_type": "NPT",
                "npt_size": "1/8",
                "npt_series": "NPT",
                "diameter": _size(d, 0.405 * INCH, "DIAMETER"),
                "spacing": {"pitch_in_mm": f"{INCH / 27:.3f}", "threads_per_inch": "27"},
            }
        else:
            cls = "2A" if male else "2B"
            text = f"{size}-{tpi} {series}-{cls}"
            dia = {"1/4": 0.25, "3/8": 0.375}[size] * INCH
            item = {
                "thread_type": "UTS",
                "uts_size": size,
                "uts_series": series,
                "uts_tolerance_class": cls,
                "diameter": _size(d, dia, "DIAMETER"),
                "spacing": {"pitch_in_mm": f"{INCH / tpi:.3f}", "threads_per_inch": str(tpi)},
            }
    else:
        coarse = {4: 0.7, 5: 0.8, 6: 1.0, 8: 1.25, 10: 1.5, 12: 1.75, 16: 2.0, 20: 2.5, 24: 3.0, 30: 3.5, 36: 4.0}
        dia = min(coarse, key=lambda k: abs(k - dia_mm))
        fine = rng.random() < 0.25 and dia >= 8
        pitch = {8: 1.0, 10: 1.25, 12: 1.5, 16: 1.5, 20: 1.5}.get(dia, coarse[dia]) if fine else coarse[dia]
        cls = "6g" if male else "6H"
        text = f"M{dia}x{pitch:g}-{cls}" if fine else f"M{dia}-{cls}"
        item = {
            "thread_type": "ISO_METRIC",
            "diameter": _size(d, dia, "DIAMETER"),
            "spacing": {"pitch_in_mm": f"{pitch:g}", "threads_per_inch": f"{INCH / pitch:.2f}"},
            f"{'male' if male else 'female'}_pitch_diameter_tolerance": {
                "tolerance_grade": None,
                "deviation_lower": None,
                "deviation_upper": None,
                "fit": cls,
                "is_theoretically_exact": False,
                "is_reference": False,
                "is_general_tolerance": False,
                "is_approximation": False,
            },
        }
    depth = None
    if not male and rng.random() < 0.6:
        dd = rng.choice([8, 10, 12, 16])
        depth = {"depth_type": "SIZE", "size": _size(d, dd)}
        text += f" ↧{d.fmt(dd)}"
    _add(
        d,
        "threads",
        {
            "reference_id": rid,
            "label": text,
            "confidence": _conf(d),
            "quantity": "1",
            "handedness": "RIGHT",
            "depth": depth,
            **item,
        },
    )
    d.labels.append(Label(rid, text, x, y))


def _gdnt(
    d: Drawing,
    symbol: str,
    zone: float,
    x: float,
    y: float,
    datums: list[str] | None = None,
    diameter: bool = False,
    mmc: bool = False,
    ha: str = "center",
) -> None:
    rid = d.rid()
    datums = datums or []
    z = d.fmt(zone) if d.inch else f"{zone:g}"
    text = "|".join([symbol, ("Ø" if diameter else "") + z + ("Ⓜ" if mmc else ""), *datums])
    _add(
        d,
        "gdnts",
        {
            "reference_id": rid,
            "label": f"[{text}]",
            "confidence": _conf(d),
            "characteristic": symbol,
            "zone": {
                "value": _size(d, zone, "DIAMETER" if diameter else "LINEAR"),
                "extend": None,
                "combination": None,
                "offset": None,
                "constraint": None,
            },
            "feature": None,
            "reference": None,
            "material_condition": "Ⓜ" if mmc else None,
            "state": None,
            "datums": [{"label": x} for x in datums],
        },
    )
    d.labels.append(Label(rid, text.replace("|", " | "), x, y, boxed=True, ha=ha))


def _roughness(d: Drawing, text: str, x: float, y: float) -> dict[str, Any]:
    rid = d.rid()
    param, value = text.split()
    d.labels.append(Label(rid, f"√{text}", x, y))
    return {
        "reference_id": rid,
        "label": text,
        "confidence": _conf(d),
        "standard": "ISO 1302:2002",
        "machining_allowance": None,
        "material_removal_type": "REQUIRED",
        "applies_all_around": False,
        "direction_of_lay": None,
        "manufacturing_process": None,
        "conditions": [
            {
                "condition_type": "UPPER",
                "filter_type": None,
                "lambda_s": None,
                "lambda_c": None,
                "parameter": param,
                "evaluation_length": None,
                "acceptance_criterion": "16%",
                "value": {"value": value, "unit": "µm", "size_type": "LINEAR", "tolerance": None},
                "roughness_grade": None,
            }
        ],
        "waviness": None,
    }


def _turning_insights(d: Drawing, dmax: float, total: float) -> dict[str, Any]:
    return {
        "primary_process_options": [{"primary_process": "TURNING", "requires_secondary_milling": d.rng.random() < 0.3}],
        "envelope": ("cylinder", dmax, total, None),
    }


def _milling_insights(d: Drawing, length: float, width: float, height: float) -> dict[str, Any]:
    return {
        "primary_process_options": [{"primary_process": "MILLING", "axis_count": 3 if d.rng.random() < 0.75 else 5}],
        "envelope": ("cuboid", length, width, height),
    }


# --------------------------------------------------------------------------------------
# Title block and the answers
# --------------------------------------------------------------------------------------


def _material(
    rng: random.Random, groups: tuple[str, ...], unused: set[str] | None = None
) -> tuple[str, str | None, str, list[str | None], float, int]:
    """A material of the family's groups, by frequency; one not used yet where ``unused`` has
    one, so the whole mix shows up in the sample."""
    pool = [m for g in groups for m in MATERIALS[g]]
    fresh = [m for m in pool if unused is not None and m[0] in unused]
    chosen = rng.choice(fresh) if fresh else rng.choices(pool, weights=[m[5] for m in pool], k=1)[0]
    if unused is not None:
        unused.discard(chosen[0])
    return chosen


def _material_json(m: tuple[str, str | None, str, list[str | None], float, int], rid: int) -> dict[str, Any]:
    return {
        "reference_id": rid,
        "material_combination": [
            {"raw_ocr": m[2], "standard": m[1], "designation": m[0], "material_category": m[3], "origin": "TITLE_BLOCK"}
        ],
    }


def build(
    i: int,
    rng: random.Random,
    family: str,
    inch: bool,
    general: tuple[str, str] | None,
    wrong_fit: bool,
    unused: set[str] | None = None,
    seat_fit: str | None = None,
) -> Drawing:
    number = f"WF-{1001 + i}"
    d = Drawing(number, family, inch, rng, seat_fit=seat_fit)
    d.meta["_wrong_fit"] = wrong_fit
    groups = FAMILIES[family][1]
    material = _material(rng, groups, unused)
    if family in ("shaft", "pin", "bushing"):
        turned(d)
    elif family == "sheet":
        sheet(d)
    else:
        milled(d)
    detail(d)
    designation = {
        "shaft": "DRIVE SHAFT",
        "pin": "LOCATING PIN",
        "bushing": "BUSHING",
        "plate": "MOUNTING PLATE",
        "bracket": "BRACKET",
        "housing": "BEARING HOUSING",
        "sheet": "COVER SHEET",
    }[family]
    weight_kg = d.volume_cm3 * material[4] / 1000
    weight_value, weight_unit = (weight_kg / MASS_TO_KG["lb"], "lb") if inch else (weight_kg, "kg")
    rids = [d.rid() for _ in range(8)]
    options = [_material_json(material, rids[2])]
    if rng.random() < 0.12:
        alt = _material(rng, groups)
        if alt[0] != material[0]:
            options.append(_material_json(alt, rids[7]))
    meta: dict[str, Any] = {
        "ask_version": "v2",
        "ask_type": "META_DATA",
        "page_type": "COMPONENT_DRAWING",
        "bill_of_material": None,
        "certifications": [],
        "designation": [{"reference_id": rids[0], "language": "ENG", "value": designation}],
        "identifiers": [
            {
                "reference_id": rids[1],
                "language": None,
                "value": number,
                "identifier_type": "DRAWING_NUMBER",
                "stakeholder": "OWNER",
                "period": "CURRENT",
            }
        ],
        "general_roughness": None,
        "general_tolerances": None,
        "languages": ["ENG"],
        "material_options": options,
        "notes": [
            {
                "reference_id": rids[3],
                "label": "Break all sharp edges",
                "confidence": {"score": "0.9"},
                "note_type": "CANVAS_NOTE",
            }
        ],
        "projection_method": {"reference_id": rids[4], "projection_method": "THIRD_ANGLE" if inch else "FIRST_ANGLE"},
        "unit_systems": [{"reference_id": rids[5], "unit_system_type": "IMPERIAL" if inch else "METRIC"}],
        "weight": {"reference_id": rids[6], "value": f"{weight_value:.3f}", "unit": weight_unit},
    }
    tol_text = "UNLESS OTHERWISE SPECIFIED: .XX ±.01 .XXX ±.005" if inch else "NO GENERAL TOLERANCE"
    if general is not None:
        meta["general_tolerances"] = {
            "reference_id": d.rid(),
            "tolerance_standard": general[0],
            "tolerance_class": general[1],
            "principle": "INDEPENDENCE",
        }
        tol_text = f"{general[0]}-{general[1]}"
    elif inch:
        meta["general_tolerances"] = {
            "reference_id": d.rid(),
            "tolerance_standard": "TOLERANCE_NOTE",
            "tolerance_class": None,
            "principle": None,
        }
    d.meta = meta
    # Title block labels (with the reference ids of META_DATA items, so crops find them).
    tx, bottom, row = 190.0, 5.0, 8.4
    _rect(d, tx - 3, bottom, SHEET_W - 5, bottom + 5 * row)
    for k in range(1, 5):
        _hline(d, tx - 3, SHEET_W - 5, bottom + k * row, "-")

    def mid(k: int) -> float:  # the middle of row k, counted from the bottom
        return bottom + (k + 0.5) * row

    d.labels += [
        Label(rids[1], number, tx, mid(4), ha="left", size=9),
        Label(rids[0], designation, tx + 50, mid(4), ha="left", size=7),
        Label(rids[2], f"Material: {material[2]}", tx, mid(3), ha="left"),
        Label(rids[6], f"Weight: {weight_value:.3f} {weight_unit}", tx + 55, mid(3), ha="left"),
        Label(rids[4], f"Scale {_scale_text(d.scale)}", tx, mid(2), ha="left"),
        Label(-1, tol_text, tx, mid(1), ha="left", size=5.5),
        Label(-1, "SYNTHETIC SAMPLE - werk24_frames", tx, mid(0), ha="left", size=4.5),
    ]
    if meta["general_tolerances"] is not None:
        d.labels[-2].rid = meta["general_tolerances"]["reference_id"]
    _projection_symbol(d, tx + 62, mid(2), third_angle=inch)
    return d


def _projection_symbol(d: Drawing, x: float, y: float, third_angle: bool) -> None:
    """ISO 128 projection symbol: a truncated cone's side view beside its end view (two circles);
    the end view sits right of the cone in first-angle projection, left of it in third-angle."""
    h, w = 3.0, 5.0
    cone_x = x if not third_angle else x + 8
    circ_x = x + 10 if not third_angle else x + 1.5
    d.lines.append(
        ([cone_x, cone_x + w, cone_x + w, cone_x, cone_x], [y - h / 2, y - h, y + h, y + h / 2, y - h / 2], "-")
    )
    d.circles.append((circ_x, y, h, "-"))
    d.circles.append((circ_x, y, h / 2, "-"))


def _scale_text(s: float) -> str:
    return "1:1" if s == 1 else f"{s:g}:1" if s > 1 else f"1:{1 / s:g}"


def _insights_json(d: Drawing) -> dict[str, Any]:
    kind, a, b, c = d.insights["envelope"]
    unit = d.unit()
    if kind == "cylinder":
        before = {
            "enclosing_cuboid": None,
            "enclosing_cylinder": {
                "geometry_type": "CYLINDER",
                "diameter": _size(d, a + 3, "DIAMETER"),
                "depth": _size(d, b + 5),
            },
        }
        after = {
            "enclosing_cuboid": None,
            "enclosing_cylinder": {
                "geometry_type": "CYLINDER",
                "diameter": _size(d, a, "DIAMETER"),
                "depth": _size(d, b),
            },
        }
    else:
        before = {
            "enclosing_cuboid": {
                "geometry_type": "CUBOID",
                "width": _size(d, a + 5),
                "height": _size(d, b + 5),
                "depth": _size(d, c + 3),
            },
            "enclosing_cylinder": None,
        }
        after = {
            "enclosing_cuboid": {
                "geometry_type": "CUBOID",
                "width": _size(d, a),
                "height": _size(d, b),
                "depth": _size(d, c),
            },
            "enclosing_cylinder": None,
        }
    secondary = []
    mat = d.meta["material_options"][0]["material_combination"][0]["designation"]
    rid = d.rid
    if mat.startswith("EN AW") or mat.startswith("6061"):
        secondary.append(
            {
                "reference_id": rid(),
                "label": "anodized, black",
                "confidence": {"score": "0.9"},
                "process_category": ["COATING", "ANODIZING"],
            }
        )
    if mat in ("20MnCr5", "16MnCr5"):
        secondary.append(
            {
                "reference_id": rid(),
                "label": "case hardened 58+2 HRC",
                "confidence": {"score": "0.88"},
                "process_category": ["CHANGING_MATERIAL_PROPERTIES", "HEAT_TREATMENT", "CASE_HARDENING"],
            }
        )
    if mat == "S235JR" and d.rng.random() < 0.6:
        secondary.append(
            {
                "reference_id": rid(),
                "label": "zinc plated",
                "confidence": {"score": "0.86"},
                "process_category": ["COATING", "GALVANIC_COATING"],
            }
        )
    volume = d.volume_cm3 / (INCH**3 / 1000) if d.inch else d.volume_cm3
    return {
        "ask_version": "v2",
        "ask_type": "INSIGHTS",
        "page_type": "COMPONENT_DRAWING",
        "dimensions_before_processing": {**before, "annotations_complete": True, "completeness_note": None},
        "dimensions_after_processing": {**after, "annotations_complete": True, "completeness_note": None},
        "primary_process_options": d.insights["primary_process_options"],
        "secondary_processes": secondary,
        "volume_estimate": {
            "value": f"{volume:.3f}",
            "unit": "in³" if unit == "inch" else "cm³",
            "volume_estimate_type": "UPPER_BOUND_IGNORING_CAVITIES",
        },
    }


# --------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------

_STYLES = {"-": ("-", 0.9), "hidden": ((0, (4, 2)), 0.6), "center": ((0, (8, 2, 1, 2)), 0.4), "dim": ("-", 0.4)}


def render(d: Drawing) -> tuple[bytes, dict[int, list[list[int]]], tuple[int, int]]:
    """The sheet as a grey PNG, and every label's polygon in its pixel space."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle, FancyArrowPatch, Rectangle
    from PIL import Image

    fig = plt.figure(figsize=(SHEET_W / INCH, SHEET_H / INCH), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, SHEET_W)
    ax.set_ylim(0, SHEET_H)
    ax.set_axis_off()
    ax.add_patch(Rectangle((5, 5), SHEET_W - 10, SHEET_H - 10, fill=False, lw=1.2, color="black"))
    for xs, ys, style in d.lines:
        ls, lw = _STYLES[style]
        if style == "dim" and len(xs) == 2:
            ax.add_patch(
                FancyArrowPatch(
                    (xs[0], ys[0]), (xs[1], ys[1]), arrowstyle="<|-|>", mutation_scale=5, lw=lw, color="black"
                )
            )
        else:
            ax.plot(xs, ys, color="black", lw=lw, linestyle=ls, solid_capstyle="butt")
    for cx, cy, r, style in d.circles:
        ls, lw = _STYLES[style]
        ax.add_patch(Circle((cx, cy), r, fill=False, lw=lw, linestyle=ls, color="black"))
    texts = []
    # Glyphs DejaVu Sans lacks, drawn as their look-alikes (the answers keep Werk24's symbols).
    glyphs = str.maketrans({"Ⓜ": "(M)", "⟂": "⊥", "⌖": "⊕", "⌴": "⊔", "⌵": "V"})
    for lab in d.labels:
        box = {"boxstyle": "square,pad=0.25", "fc": "white", "ec": "black", "lw": 0.6} if lab.boxed else None
        t = ax.text(
            lab.x,
            lab.y,
            lab.text.translate(glyphs),
            rotation=lab.rotation,
            ha=lab.ha,
            va=lab.va,
            fontsize=lab.size,
            family="DejaVu Sans",
            bbox=box,
            color="black",
        )
        texts.append((lab, t))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    width, height = fig.canvas.get_width_height()
    polygons: dict[int, list[list[int]]] = {}
    for lab, t in texts:
        if lab.rid < 0:
            continue
        bb = t.get_window_extent(renderer)
        patch = t.get_bbox_patch()
        if patch is not None:
            bb = patch.get_window_extent(renderer)
        # Pixel space is whole pixels (the SDK's polygon takes integers): round outwards.
        x0, x1 = max(0, math.floor(bb.x0) - 2), min(width, math.ceil(bb.x1) + 2)
        y0, y1 = max(0, height - math.ceil(bb.y1) - 2), min(height, height - math.floor(bb.y0) + 2)
        polygons[lab.rid] = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    plt.close(fig)
    img = Image.open(io.BytesIO(buf.getvalue())).convert("L").quantize(colors=8, dither=Image.Dither.NONE)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue(), polygons, (width, height)


def _view_image(sheet_png: bytes, box: tuple[int, int, int, int]) -> bytes:
    from PIL import Image

    img = Image.open(io.BytesIO(sheet_png)).crop(box)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


# --------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------


def _plan(rng: random.Random) -> list[tuple[str, bool, tuple[str, str] | None, bool]]:
    families = [f for f, (n, _) in FAMILIES.items() for _ in range(n)]
    rng.shuffle(families)
    inch_idx = set(rng.sample(range(len(families)), 7))
    plan = []
    metric_general = [
        ("ISO 2768", "m"),
        ("ISO 2768", "mK"),
        ("ISO 2768", "f"),
        ("ISO 2768", "fH"),
        ("ISO 2768", "c"),
        ("ISO 2768", "m-K"),
    ]
    for i, fam in enumerate(families):
        inch = i in inch_idx
        general: tuple[str, str] | None
        if inch:
            general = None
        else:
            r = rng.random()
            general = ("DIN 7168", "m") if r < 0.08 else None if r < 0.12 else rng.choice(metric_general)
        plan.append((fam, inch, general, False))
    # Deliberate problems for the audit: a fit whose deviations disagree with ISO 286, and a
    # metric drawing without a general tolerance.
    milled_metric = next(k for k, p in enumerate(plan) if p[0] in ("plate", "housing") and not p[1])
    plan[milled_metric] = (*plan[milled_metric][:3], True)
    no_general = next(k for k, p in enumerate(plan) if not p[1] and p[2] is not None and k != milled_metric)
    plan[no_general] = (plan[no_general][0], False, None, False)
    return plan


def generate(out: Path, n: int = N_DRAWINGS, seed: int = SEED) -> list[str]:
    """Write ``n`` synthetic drawings into the store at ``out`` (replacing it). Returns their ids."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    ids = []
    unused = {m[0] for group in MATERIALS.values() for m in group}
    seat_fits = itertools.cycle(SHAFT_FITS)
    for i, (family, inch, general, wrong_fit) in enumerate(_plan(rng)[:n]):
        seat_fit = next(seat_fits) if family == "shaft" and not inch else None
        d = build(i, rng, family, inch, general, wrong_fit, unused, seat_fit)
        ids.append(_write(out, d, rng, seed, f"{d.number} {family}.pdf", view=i % 6 == 0))
    return ids


def _write(
    out: Path, d: Drawing, rng: random.Random, seed: int, source: str, view: bool = False, shuffle: bool = False
) -> str:
    """Render ``d`` and write its answers into the store at ``out``; returns its drawing id.
    ``shuffle`` re-orders every feature list (as a re-exported drawing may list them)."""
    family = d.family
    png, polygons, (width, height) = render(d)
    drawing_id = content_id(png)
    request_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    features: dict[str, Any] = {"ask_version": "v2", "ask_type": "FEATURES", "page_type": "COMPONENT_DRAWING"}
    for name in (
        "dimensions",
        "threads",
        "bores",
        "chamfers",
        "radii",
        "gdnts",
        "roughnesses",
        "undercuts",
        "key_slots",
        "center_holes",
        "fasteners",
    ):
        features[name] = d.features.get(name, [])
    positions = {
        "ask_version": "v2",
        "ask_type": "REFERENCE_POSITIONS",
        "reference_positions": [
            {"reference_id": rid, "polygon": {"coordinate_space": "PIXEL_SPACE", "coordinates": poly}}
            for rid, poly in sorted(polygons.items())
        ],
    }
    answers = {
        "META_DATA": d.meta,
        "FEATURES": features,
        "INSIGHTS": _insights_json(d),
        "REFERENCE_POSITIONS": positions,
        "BALLOONS": _balloons_json(features, polygons, (width, height)),
        "PAGE_ASSESSMENT": {
            "ask_version": "v2",
            "ask_type": "PAGE_ASSESSMENT",
            "pages": [
                {
                    "page_type": "COMPONENT_DRAWING",
                    "has_welding_symbols": False,
                    "description": f"Component drawing of a {family} ({d.number}), one sheet.",
                }
            ],
        },
        "DOCUMENT_PROFILE": {
            "ask_version": "v2",
            "ask_type": "DOCUMENT_PROFILE",
            "page_count": 1,
            "paper_size": "A3",
            # Werk24's estimate grows with what is on the sheet; made up, like everything here.
            "processing_time": {
                "seconds_p50": round(20 + 0.5 * len(polygons), 1),
                "seconds_p95": round(45 + 1.2 * len(polygons), 1),
            },
        },
    }
    messages = {ask: [_message(request_id, ask, payload)] for ask, payload in answers.items()}
    files = {"sheet_0.png": png}
    messages["SHEET_IMAGES"] = [_message(request_id, "SHEET_IMAGES", None, "sheet_0.png")]
    if view:
        files["view_0.png"] = _view_image(png, (0, 0, width * 2 // 3, height * 3 // 4))
        messages["VIEW_IMAGES"] = [
            _message(request_id, "VIEW_IMAGES", {"ask_type": "VIEW_IMAGES", "view_id": "view-0"}, "view_0.png")
        ]
    manifest = {
        "source": source,
        "asks": sorted(messages),
        "sdk_version": None,
        "created": "2026-11-21T00:00:00Z",
        "exceptions": [],
        "synthetic": True,
        "generator": f"werk24_frames.samples.generate (seed {seed})",
        "sheet_size_px": [width, height],
    }
    write_drawing(out, drawing_id, messages, files, manifest)
    return drawing_id


def _balloons_json(
    features: dict[str, Any], polygons: dict[int, list[list[int]]], size: tuple[int, int]
) -> dict[str, Any]:
    """A balloon for every located feature, its centre just above and left of the feature's box
    (inside the sheet), as Werk24's BALLOONS answer places them."""
    width, height = size
    balloons = []
    for items in features.values():
        if not isinstance(items, list):
            continue
        for it in items:
            poly = polygons.get(it["reference_id"])
            if poly is None:
                continue
            x = min(p[0] for p in poly) - 12
            y = min(p[1] for p in poly) - 12
            balloons.append(
                {
                    "reference_id": it["reference_id"],
                    "center": [max(10, min(width - 10, x)), max(10, min(height - 10, y))],
                }
            )
    balloons.sort(key=lambda b: b["reference_id"])
    return {"ask_version": "v2", "ask_type": "BALLOONS", "balloons": balloons}


def _message(
    request_id: str, ask: str, payload: dict[str, Any] | None, payload_file: str | None = None
) -> dict[str, Any]:
    msg: dict[str, Any] = {
        "request_id": request_id,
        "message_type": "ASK",
        "message_subtype": ask,
        "page_number": 0,
        "payload_dict": payload,
        "payload_url": None,
        "exceptions": [],
    }
    if payload_file:
        msg["payload_file"] = payload_file
    return msg


# --------------------------------------------------------------------------------------
# Revisions and families of similar parts (werk24_frames.comparison's sample)
# --------------------------------------------------------------------------------------

REVISIONS_SEED = 2121


def _label_of(d: Drawing, rid: int) -> Label:
    return next(lab for lab in d.labels if lab.rid == rid)


def _item_of(d: Drawing, rid: int) -> tuple[str, dict[str, Any]]:
    return next((k, it) for k, items in d.features.items() for it in items if it["reference_id"] == rid)


def _set_number(d: Drawing, number: str) -> None:
    d.number = number
    ident = d.meta["identifiers"][0]
    ident["value"] = number
    _label_of(d, ident["reference_id"]).text = number


def _add_identifier(d: Drawing, kind: str, value: str, x: float, y: float) -> None:
    """An identifier of META_DATA (a CUSTOMER_INDEX, a REPLACEMENT_FOR…) and its text in the title block."""
    rid = d.rid()
    d.meta["identifiers"].append(
        {
            "reference_id": rid,
            "language": None,
            "value": value,
            "identifier_type": kind,
            "stakeholder": "OWNER",
            "period": "CURRENT",
        }
    )
    d.labels.append(Label(rid, f"Index {value}" if kind == "CUSTOMER_INDEX" else value, x, y, ha="left", size=7))


def _renumber(d: Drawing, offset: int) -> None:
    """Every reference_id shifted by ``offset``, as a re-read of a revised sheet numbers its items anew."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("reference_id", "thread_reference_id") and isinstance(v, int):
                    node[k] = v + offset
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(d.features)
    walk(d.meta)
    for lab in d.labels:
        if lab.rid > 0:
            lab.rid += offset
    d.next_rid += offset


def _retolerance(d: Drawing, rid: int, dev: float) -> None:
    """The dimension ``rid`` toleranced ``±dev`` (its label rewritten)."""
    _, item = _item_of(d, rid)
    size = item["size"]
    nominal = float(size["value"])
    size["tolerance"] = {
        "tolerance_grade": _grade(2 * dev, nominal),
        "deviation_lower": f"{-dev:g}",
        "deviation_upper": f"{dev:g}",
        "fit": None,
        "is_theoretically_exact": False,
        "is_reference": False,
        "is_general_tolerance": False,
        "is_approximation": False,
    }
    prefix = "Ø" if size["size_type"] == "DIAMETER" else ""
    item["label"] = _label_of(d, rid).text = f"{prefix}{d.fmt(nominal)} ±{dev:g}"


def _refit(d: Drawing, rid: int, fit: str) -> None:
    """The dimension ``rid`` given the ISO 286 class ``fit`` (its label rewritten)."""
    _, item = _item_of(d, rid)
    size = item["size"]
    nominal = float(size["value"])
    lo, hi = tol.deviations(fit, nominal)
    size["tolerance"] = {
        "tolerance_grade": _grade(hi - lo, nominal),
        "deviation_lower": f"{lo:g}",
        "deviation_upper": f"{hi:g}",
        "fit": fit,
        "is_theoretically_exact": False,
        "is_reference": False,
        "is_general_tolerance": False,
        "is_approximation": False,
    }
    item["label"] = _label_of(d, rid).text = f"Ø{d.fmt(nominal)} {fit}"


def _renominal(d: Drawing, rid: int, nominal: float) -> None:
    """The dimension ``rid`` with another nominal size (the number in its label replaced)."""
    import re

    _, item = _item_of(d, rid)
    item["size"]["value"] = d.value(nominal)
    text = re.sub(
        r"^(\d+x\s*)?(\(|\|)?(Ø?)\d+(?:\.\d+)?",
        lambda m: f"{m[1] or ''}{m[2] or ''}{m[3]}{d.fmt(nominal)}",
        item["label"],
    )
    item["label"] = _label_of(d, rid).text = text


def _set_material(d: Drawing, designation: str) -> None:
    m = next(m for group in MATERIALS.values() for m in group if m[0] == designation)
    rid = d.meta["material_options"][0]["reference_id"]
    d.meta["material_options"] = [_material_json(m, rid)]
    _label_of(d, rid).text = f"Material: {m[2]}"


def _set_general(d: Drawing, standard: str, cls: str) -> None:
    gt = d.meta["general_tolerances"]
    gt["tolerance_standard"], gt["tolerance_class"] = standard, cls
    _label_of(d, gt["reference_id"]).text = f"{standard}-{cls}"


def _add_note(d: Drawing, text: str, x: float, y: float) -> None:
    rid = d.rid()
    d.meta["notes"].append(
        {"reference_id": rid, "label": text, "confidence": {"score": "0.9"}, "note_type": "CANVAS_NOTE"}
    )
    d.labels.append(Label(rid, text, x, y, ha="left", size=6))


def _scale(d: Drawing, f: float) -> None:
    """A variant of the part ``f`` times the size: every dimension's nominal (fits recomputed),
    the envelope, volume and weight; threads, bores and the picture stay."""
    for item in d.features.get("dimensions", []):
        size = item["size"]
        t = size.get("tolerance") or {}
        if size["size_type"] not in ("LINEAR", "DIAMETER"):
            continue
        nominal = round(float(size["value"]) * f * 2) / 2
        _renominal(d, item["reference_id"], nominal)
        if t.get("fit"):
            lo, hi = tol.deviations(t["fit"], nominal)
            t["tolerance_grade"] = _grade(hi - lo, nominal)
            if t.get("deviation_lower") is not None:
                t["deviation_lower"], t["deviation_upper"] = f"{lo:g}", f"{hi:g}"
    kind, a, b, c = d.insights["envelope"]
    d.insights["envelope"] = (kind, a * f, b * f, None if c is None else c * f)
    d.volume_cm3 *= f**3
    w = d.meta["weight"]
    w["value"] = f"{float(w['value']) * f**3:.3f}"
    _label_of(d, w["reference_id"]).text = f"Weight: {w['value']} {w['unit']}"


def _first(d: Drawing, kind: str, test: Any) -> int:
    return next(it["reference_id"] for it in d.features.get(kind, []) if test(it))


def _tol(it: dict[str, Any]) -> dict[str, Any]:
    return it["size"].get("tolerance") or {}


def revision_plan() -> list[str]:
    """What the revisions sample holds, one line each (docs/samples.md repeats it)."""
    return [
        "WF-2001 (shaft, revision from a CUSTOMER_INDEX identifier A, B, C): B tightens a ±0.1 length to ±0.02, "
        "adds a thread M6-6H, moves a length's callout 20 mm, and renumbers every reference_id (+40); C changes "
        "the material C45 → 42CrMo4 and a seat's fit to g6.",
        "WF-2002 (plate, revision in the drawing number: 'WF-2002 Rev A', 'WF-2002 Rev. B'): B removes the bore "
        "with a fit, adds the note 'Deburr all holes', lists its features in another order and renumbers every "
        "reference_id (+25).",
        "WF-2003 (housing, no revision on the sheet: put in order with order=): B changes a length's nominal and "
        "the general tolerance ISO 2768-m → ISO 2768-f.",
        "WF-3001, WF-3002, WF-3003: one shaft in three sizes (1, 1.2, 1.45 times); WF-3011, WF-3012, WF-3013: one "
        "plate in three sizes (1, 0.8, 1.25 times).",
    ]


def generate_revisions(out: Path, seed: int = REVISIONS_SEED) -> list[str]:
    """Write the revisions and families sample into the store at ``out`` (replacing it): the
    drawings of :func:`revision_plan`. Returns their ids."""
    import copy

    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    ids: list[str] = []
    general = ("ISO 2768", "m")

    def fork(d: Drawing) -> Drawing:
        new = copy.deepcopy(d)
        new.rng = rng
        return new

    # WF-2001: a shaft in revisions A, B, C (CUSTOMER_INDEX)
    a = build(1000, rng, "shaft", False, general, False, None, "h6")
    _set_material(a, "C45")
    _add_identifier(a, "CUSTOMER_INDEX", "A", 245, 5 + 2.5 * 8.4)
    ids.append(_write(out, a, rng, seed, "WF-2001 shaft index A.pdf"))
    b = fork(a)
    b.meta["identifiers"][1]["value"] = "B"
    _label_of(b, b.meta["identifiers"][1]["reference_id"]).text = "Index B"
    pm = _first(
        b, "dimensions", lambda it: _tol(it).get("deviation_upper") == "0.1" and it["size"]["size_type"] == "LINEAR"
    )
    _retolerance(b, pm, 0.02)
    _thread(b, 6, 150, 170, male=False)
    moved = _first(b, "dimensions", lambda it: _tol(it).get("is_general_tolerance") and it["reference_id"] != pm)
    _label_of(b, moved).y -= 20
    _renumber(b, 40)
    ids.append(_write(out, b, rng, seed, "WF-2001 shaft index B.pdf"))
    c = fork(b)
    c.meta["identifiers"][1]["value"] = "C"
    _label_of(c, c.meta["identifiers"][1]["reference_id"]).text = "Index C"
    _set_material(c, "42CrMo4")
    seat = _first(c, "dimensions", lambda it: _tol(it).get("fit") == "h6")
    _refit(c, seat, "g6")
    ids.append(_write(out, c, rng, seed, "WF-2001 shaft index C.pdf"))

    # WF-2002: a plate, revision in the drawing number
    a = build(1001, rng, "plate", False, general, False, None)
    _set_number(a, "WF-2002 Rev A")
    ids.append(_write(out, a, rng, seed, "WF-2002 plate.pdf"))
    b = fork(a)
    _set_number(b, "WF-2002 Rev. B")
    bore = _first(b, "bores", lambda it: (it["diameter"].get("tolerance") or {}).get("fit") is not None)
    b.features["bores"] = [it for it in b.features["bores"] if it["reference_id"] != bore]
    b.labels = [lab for lab in b.labels if lab.rid != bore]
    _add_note(b, "Deburr all holes", 25, 40)
    _renumber(b, 25)
    ids.append(_write(out, b, rng, seed, "WF-2002 plate revised.pdf", shuffle=True))

    # WF-2003: a housing without a revision on the sheet
    a = build(1002, rng, "housing", False, general, False, None)
    ids.append(_write(out, a, rng, seed, "WF-2003 housing 2025-03.pdf"))
    b = fork(a)
    length = _first(b, "dimensions", lambda it: it["size"]["size_type"] == "LINEAR")
    _, item = _item_of(b, length)
    _renominal(b, length, float(item["size"]["value"]) + 10)
    _set_general(b, "ISO 2768", "f")
    ids.append(_write(out, b, rng, seed, "WF-2003 housing 2026-01.pdf"))

    # Families: one shaft and one plate, each in three sizes
    for i, family, factors in ((2000, "shaft", (1.0, 1.2, 1.45)), (2010, "plate", (1.0, 0.8, 1.25))):
        base = build(i, rng, family, False, general, False, None, "k6" if family == "shaft" else None)
        for k, f in enumerate(factors):
            v = fork(base)
            _set_number(v, f"WF-{3001 + i - 2000 + k}")
            if f != 1.0:
                _scale(v, f)
            ids.append(_write(out, v, rng, seed, f"{v.number} {family}.pdf"))
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the synthetic sample corpus.")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    parser.add_argument("-n", type=int, default=N_DRAWINGS)
    parser.add_argument("--revisions-out", type=Path, default=Path(__file__).parent / "revisions")
    args = parser.parse_args(argv)
    for out, ids in (
        (args.out, generate(args.out, args.n)),
        (args.revisions_out, generate_revisions(args.revisions_out)),
    ):
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        print(f"{len(ids)} drawings written to {out} ({size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

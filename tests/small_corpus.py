"""A small corpus of four drawings, built by hand for the statistics and plot tests.

Each value is chosen so its statistics can be worked out by hand; the comments say how,
from the published tables (ISO 286-1 Table 1, ISO 2768-1 Table 1, ISO 261).
"""

from __future__ import annotations

from typing import Any

from builders import size as _size

import werk24_frames as wf


def _dim(rid: int, label: str, size: dict[str, Any]) -> dict[str, Any]:
    return {"reference_id": rid, "label": label, "quantity": 1, "confidence": {"score": "0.9"}, "size": size}


def _thread(rid: int, label: str, nominal: str, pitch: str, kind: str = "ISO_METRIC", **extra: str) -> dict[str, Any]:
    unit = "mm" if kind == "ISO_METRIC" else "inch"
    return {
        "reference_id": rid,
        "label": label,
        "quantity": "1",
        "confidence": {"score": "0.9"},
        "diameter": _size(nominal, unit, "DIAMETER"),
        "spacing": {"pitch_in_mm": pitch},
        "handedness": "RIGHT",
        "depth": None,
        "thread_type": kind,
        **extra,
    }


def _gdnt(rid: int, char: str, zone: str, datums: list[str], mc: str | None = None) -> dict[str, Any]:
    return {
        "reference_id": rid,
        "label": f"[{char}|{zone}|{'|'.join(datums)}]",
        "confidence": {"score": "0.9"},
        "characteristic": char,
        "zone": {"value": _size(zone)},
        "material_condition": mc,
        "datums": [{"label": d} for d in datums],
    }


def _ra(rid: int, value: str, unit: str = "µm") -> dict[str, Any]:
    return {
        "reference_id": rid,
        "label": f"Ra {value}",
        "confidence": {"score": "0.9"},
        "standard": "ISO 21920-1:2021",
        "conditions": [{"parameter": "Ra", "value": {"value": value, "unit": unit}}],
    }


def _meta(
    number: str, materials: list[tuple[str, list[str | None]]], weight: tuple[str, str] | None, general: str | None
) -> dict[str, Any]:
    return {
        "ask_version": "v2",
        "ask_type": "META_DATA",
        "identifiers": [{"reference_id": 1, "value": number, "identifier_type": "DRAWING_NUMBER"}],
        "designation": [{"reference_id": 2, "value": f"PART {number}"}],
        "material_options": [
            {
                "reference_id": 10 + i,
                "material_combination": [{"designation": d, "raw_ocr": d, "material_category": cats}],
            }
            for i, (d, cats) in enumerate(materials)
        ],
        "weight": {"value": weight[0], "unit": weight[1]} if weight else None,
        "general_tolerances": {"tolerance_standard": "ISO 2768", "tolerance_class": general} if general else None,
    }


def _insights(volume: str, shape: str = "CYLINDER") -> dict[str, Any]:
    env = (
        {"enclosing_cylinder": {"diameter": _size("40"), "depth": _size("100")}}
        if shape == "CYLINDER"
        else {"enclosing_cuboid": {"width": _size("100"), "height": _size("50"), "depth": _size("20")}}
    )
    return {
        "ask_version": "v2",
        "ask_type": "INSIGHTS",
        "primary_process_options": [{"primary_process": "TURNING" if shape == "CYLINDER" else "MILLING"}],
        "dimensions_before_processing": env,
        "volume_estimate": {"value": volume, "unit": "cm³"},
    }


STEEL = ["FERROUS_ALLOY", "STEEL", None]
ALU = ["NONFERROUS_ALLOY", "ALUMINUM", None]
STAINLESS = ["FERROUS_ALLOY", "STEEL", "STAINLESS_STEEL"]


def small_corpus() -> wf.Corpus:
    a = [
        # C45 by its material number; 0.5 kg; 63.7 cm³ × 7.85 g/cm³ = 0.500 kg: plausible.
        _meta("A-1", [("1.0503", STEEL)], ("0.5", "kg"), "m"),
        {
            "ask_version": "v2",
            "ask_type": "FEATURES",
            "dimensions": [
                # 10 ±0.01: width 0.02 mm. ISO 286 at 10 mm (6-10): IT7 15 µm ≤ 20 < IT8 22 → IT7.
                _dim(1, "10 ±0.01", _size("10", lower="-0.01", upper="0.01")),
                # 50 ±0.1: width 0.2. At 50 mm (30-50): IT11 160 ≤ 200 < IT12 250 → IT11.
                _dim(2, "50 ±0.1", _size("50", lower="-0.1", upper="0.1")),
                # Ø20 h6: IT6 at 20 mm (18-30) is 13 µm → width 0.013, IT6.
                _dim(3, "Ø20 h6", _size("20", size_type="DIAMETER", fit="h6")),
                # 30 under ISO 2768 m: ±0.2 (6-30) → 0.4. At 30 (18-30): IT13 330 ≤ 400 < IT14 520 → IT13.
                _dim(4, "30", _size("30")),
                # [40] is a reference size: no tolerance.
                _dim(5, "[40]", _size("40", reference=True)),
            ],
            "bores": [
                # Ø8 H7: IT7 at 8 mm (6-10) 15 µm → width 0.015, IT7.
                {
                    "reference_id": 6,
                    "label": "Ø8 H7",
                    "quantity": 1,
                    "diameter": _size("8", "mm", "DIAMETER", fit="H7"),
                },
                {"reference_id": 7, "label": "Ø5.5", "quantity": 2, "diameter": _size("5.5", "mm", "DIAMETER")},
            ],
            "threads": [
                _thread(8, "M8", "8", "1.25"),  # ISO 261: M8 coarse pitch 1.25 → coarse
                _thread(9, "M8x1", "8", "1"),  # fine
                _thread(10, "1/4-20 UNC-2B", "0.25", "1.27", "UTS", uts_size="1/4", uts_series="UNC"),
            ],
            "gdnts": [_gdnt(11, "⌖", "0.2", ["A", "B", "C"], "Ⓜ"), _gdnt(12, "⏥", "0.05", [])],
            "roughnesses": [_ra(13, "1.6"), _ra(14, "0.8")],
        },
        _insights("63.7"),
    ]
    b = [
        # 6061-T6 as an aluminium; 2.2 lb = 0.998 kg against 100 cm³ × 2.70 = 0.27 kg: 3.7×, implausible.
        _meta("B-2", [("AL 6061-T6", ALU)], ("2.2", "lb"), None),
        {
            "ask_version": "v2",
            "ask_type": "FEATURES",
            "dimensions": [
                # 20 +0.1/0: width 0.1. At 20 (18-30): IT10 84 ≤ 100 < IT11 130 → IT10.
                _dim(20, "20 +0.1/0", _size("20", lower="0", upper="0.1")),
                # 5: no general tolerance on this drawing → source none, no grade.
                _dim(21, "5", _size("5")),
            ],
            "gdnts": [_gdnt(22, "⟂", "0.05", ["A"]), _gdnt(23, "⏥", "0.02", [])],
            # 32 µin = 32 × 0.0254 µm = 0.8128 µm
            "roughnesses": [_ra(24, "32", "µin")],
        },
        _insights("100", "CUBOID"),
    ]
    c = [
        # AISI 304 = 1.4301 = X5CrNi18-10; a second option 1.4404; weight but no INSIGHTS.
        _meta("C-3", [("AISI 304", STAINLESS), ("1.4404", STAINLESS)], ("1", "kg"), "f"),
        {
            "ask_version": "v2",
            "ask_type": "FEATURES",
            # 12 ±0.05: width 0.1. At 12 (10-18): IT10 70 ≤ 100 < IT11 110 → IT10.
            "dimensions": [_dim(30, "12 ±0.05", _size("12", lower="-0.05", upper="0.05"))],
        },
    ]
    # Only META_DATA: the same grade spelt differently, and nothing else known.
    d = [_meta("D-4", [("x5crni 18-10", STAINLESS)], None, None)]
    return wf.from_responses({"A": a, "B": b, "C": c, "D": d})

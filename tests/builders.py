"""Hand-built Werk24 answers in the SDK's schema, covering every list and field we tabulate.

Values are chosen so that each can be recognised in a table (no two alike where it matters).
Decimals are strings, as the SDK serialises them.
"""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any


def size(value: str, unit: str = "mm", size_type: str = "LINEAR", **tol: Any) -> dict[str, Any]:
    tolerance = None
    if tol:
        tolerance = {
            "tolerance_grade": tol.get("grade"),
            "deviation_lower": tol.get("lower"),
            "deviation_upper": tol.get("upper"),
            "fit": tol.get("fit"),
            "is_theoretically_exact": tol.get("exact", False),
            "is_reference": tol.get("reference", False),
            "is_general_tolerance": tol.get("general", False),
            "is_approximation": tol.get("approx", False),
        }
    return {"value": value, "unit": unit, "size_type": size_type, "tolerance": tolerance}


def conf(score: str) -> dict[str, str]:
    return {"score": score}


def meta_data() -> dict[str, Any]:
    return {
        "ask_version": "v2",
        "ask_type": "META_DATA",
        "page_type": "COMPONENT_DRAWING",
        "bill_of_material": {
            "reference_id": 40,
            "rows": [
                {
                    "position": "1",
                    "part_number": "P-100",
                    "designation": "Shaft",
                    "material_options": [
                        {
                            "reference_id": 41,
                            "material_combination": [
                                {
                                    "raw_ocr": "C45",
                                    "standard": "EN 10083-2",
                                    "designation": "C45",
                                    "material_category": ["FERROUS_ALLOY", "STEEL", None],
                                    "origin": "BILL_OF_MATERIAL",
                                }
                            ],
                        }
                    ],
                    "quantity": {"value": "2", "unit": "pcs"},
                    "unit_weight": {"value": "0.35", "unit": "kg"},
                    "fastener": None,
                },
                {
                    "position": "2",
                    "part_number": None,
                    "designation": "Screw",
                    "material_options": [],
                    "quantity": {"value": "4", "unit": "pcs"},
                    "unit_weight": None,
                    "fastener": {
                        "fastener_type": "SCREW",
                        "designation": "ISO 4762 M5x12",
                        "standard": "ISO 4762",
                        "manufacturer": None,
                        "thread": None,
                        "length": None,
                    },
                },
            ],
        },
        "certifications": [{"certification_type": "MATERIAL_CERT_STANDARD", "raw_ocr": "EN 10204-3.1"}],
        "designation": [
            {"reference_id": 1, "language": "DEU", "value": "FLANSCHWELLE"},
            {"reference_id": 2, "language": "ENG", "value": "FLANGE SHAFT"},
        ],
        "identifiers": [
            {
                "reference_id": 3,
                "language": None,
                "value": "P-4711",
                "identifier_type": "PART_NUMBER",
                "stakeholder": "OWNER",
                "period": "CURRENT",
            },
            {
                "reference_id": 4,
                "language": None,
                "value": "DWG-0815",
                "identifier_type": "DRAWING_NUMBER",
                "stakeholder": None,
                "period": None,
            },
        ],
        "general_roughness": {
            "reference_id": 5,
            "label": "Ra 3.2",
            "confidence": conf("0.9"),
            "standard": "ISO 1302:2002",
            "machining_allowance": None,
            "material_removal_type": "REQUIRED",
            "applies_all_around": False,
            "direction_of_lay": None,
            "manufacturing_process": None,
            "conditions": [],
            "waviness": None,
        },
        "general_tolerances": {
            "reference_id": 6,
            "tolerance_standard": "ISO 2768",
            "tolerance_class": "mK",
            "principle": "INDEPENDENCE",
        },
        "languages": ["DEU", "ENG"],
        "material_options": [
            {
                "reference_id": 7,
                "material_combination": [
                    {
                        "raw_ocr": "42CrMo4+QT",
                        "standard": "EN 10083-3",
                        "designation": "42CrMo4",
                        "material_category": ["FERROUS_ALLOY", "STEEL", "STRUCTURAL_OR_CONSTRUCTIONAL_STEEL"],
                        "origin": "TITLE_BLOCK",
                    }
                ],
            },
            {
                "reference_id": 8,
                "material_combination": [
                    {
                        "raw_ocr": "1.4301",
                        "standard": None,
                        "designation": "X5CrNi18-10",
                        "material_category": ["FERROUS_ALLOY", "STEEL", "STAINLESS_STEEL"],
                        "origin": "TITLE_BLOCK",
                    },
                    {
                        "raw_ocr": "PTFE coated",
                        "standard": None,
                        "designation": "PTFE",
                        "material_category": ["POLYMER", "THERMOPLAST", None],
                        "origin": "CANVAS_NOTE",
                    },
                ],
            },
        ],
        "notes": [
            {"reference_id": 9, "label": "Deburr all edges", "confidence": conf("0.88"), "note_type": "CANVAS_NOTE"}
        ],
        "projection_method": {"reference_id": 10, "projection_method": "FIRST_ANGLE"},
        "unit_systems": [{"reference_id": 11, "unit_system_type": "METRIC"}],
        "weight": {"reference_id": 12, "value": "2.5", "unit": "lb"},
    }


def features() -> dict[str, Any]:
    return {
        "ask_version": "v2",
        "ask_type": "FEATURES",
        "page_type": "COMPONENT_DRAWING",
        "dimensions": [
            {
                "reference_id": 100,
                "label": "12 ±0.1",
                "confidence": conf("0.96"),
                "quantity": 1,
                "size": size("12", lower="-0.1", upper="0.1", grade="12"),
            },
            {
                "reference_id": 101,
                "label": "Ø20 h6",
                "confidence": conf("0.91"),
                "quantity": 2,
                "size": size("20", size_type="DIAMETER", fit="h6", grade="6"),
            },
            {
                "reference_id": 102,
                "label": "[40]",
                "confidence": None,
                "quantity": 1,
                "size": size("40", reference=True),
            },
            {
                "reference_id": 103,
                "label": "|25|",
                "confidence": conf("0.5"),
                "quantity": 1,
                "size": size("25", exact=True),
            },
            {
                "reference_id": 104,
                "label": "30°",
                "confidence": conf("0.93"),
                "quantity": 1,
                "size": size("30", unit="degree", size_type="ANGULAR", general=True),
            },
            {
                "reference_id": 105,
                "label": "≈80",
                "confidence": conf("0.8"),
                "quantity": 1,
                "size": size("80", approx=True),
            },
            {
                "reference_id": 106,
                "label": "60",
                "confidence": conf("0.97"),
                "quantity": 1,
                "size": size("60"),
            },
        ],
        "threads": [
            {
                "reference_id": 200,
                "label": "M8×1-6g",
                "confidence": conf("0.95"),
                "quantity": "3",
                "diameter": size("8", size_type="DIAMETER"),
                "spacing": {"pitch_in_mm": "1", "threads_per_inch": "25.4"},
                "handedness": "RIGHT",
                "depth": {"depth_type": "SIZE", "size": size("16")},
                "thread_type": "ISO_METRIC",
                "female_major_diameter_tolerance": None,
                "female_pitch_diameter_tolerance": None,
                "male_major_diameter_tolerance": None,
                "male_pitch_diameter_tolerance": {
                    "tolerance_grade": None,
                    "deviation_lower": None,
                    "deviation_upper": None,
                    "fit": "6g",
                    "is_theoretically_exact": False,
                    "is_reference": False,
                    "is_general_tolerance": False,
                    "is_approximation": False,
                },
            },
            {
                "reference_id": 201,
                "label": "1/4-20 UNC-2B",
                "confidence": conf("0.9"),
                "quantity": "1",
                "diameter": size("0.25", unit="inch", size_type="DIAMETER"),
                "spacing": {"pitch_in_mm": "1.27", "threads_per_inch": "20"},
                "handedness": "LEFT",
                "depth": {"depth_type": "THROUGH", "size": None},
                "thread_type": "UTS",
                "uts_size": "1/4",
                "uts_series": "UNC",
                "uts_tolerance_class": "2B",
            },
            {
                "reference_id": 202,
                "label": "1/8-27 NPT",
                "confidence": conf("0.85"),
                "quantity": "1",
                "diameter": size("0.405", unit="inch", size_type="DIAMETER"),
                "spacing": {"pitch_in_mm": "0.941", "threads_per_inch": "27"},
                "handedness": "RIGHT",
                "depth": None,
                "thread_type": "NPT",
                "npt_size": "1/8",
                "npt_series": "NPT",
            },
        ],
        "bores": [
            {
                "reference_id": 300,
                "label": "4x Ø6.6 ⌴Ø11 ↧6.8",
                "confidence": conf("0.92"),
                "quantity": 4,
                "counterbore": {
                    "diameter": size("11", size_type="DIAMETER"),
                    "depth": {"depth_type": "SIZE", "size": size("6.8")},
                },
                "countersink": None,
                "counterdrill": None,
                "diameter": size("6.6", size_type="DIAMETER"),
                "depth": {"depth_type": "THROUGH_ALL", "size": None},
                "thread": None,
            },
            {
                "reference_id": 301,
                "label": "Ø10 H7 ↧15 ⌵Ø12x90°",
                "confidence": conf("0.94"),
                "quantity": 1,
                "counterbore": None,
                "countersink": {
                    "diameter": size("12", size_type="DIAMETER"),
                    "angle": size("90", unit="degree", size_type="ANGULAR"),
                },
                "counterdrill": {
                    "diameter": size("10.5", size_type="DIAMETER"),
                    "depth": {"depth_type": "SIZE", "size": size("3")},
                    "angle": size("118", unit="degree", size_type="ANGULAR"),
                },
                "diameter": size("10", size_type="DIAMETER", fit="H7", lower="0", upper="0.015"),
                "depth": {"depth_type": "SIZE", "size": size("15")},
                "thread": {"reference_id": 200},
            },
        ],
        "chamfers": [
            {
                "reference_id": 400,
                "label": "0.5x45°",
                "confidence": conf("0.89"),
                "quantity": 2,
                "size": size("0.5"),
                "angle": size("45", unit="degree", size_type="ANGULAR"),
            }
        ],
        "radii": [
            {
                "reference_id": 500,
                "label": "R2",
                "confidence": conf("0.87"),
                "quantity": 1,
                "curvature_type": "CONCAVE",
                "size": size("2"),
            }
        ],
        "gdnts": [
            {
                "reference_id": 600,
                "label": "[⌖|Ø0.1Ⓜ|A|B|C]",
                "confidence": conf("0.9"),
                "characteristic": "⌖",
                "zone": {
                    "value": size("0.1", size_type="DIAMETER"),
                    "extend": None,
                    "combination": None,
                    "offset": None,
                    "constraint": None,
                },
                "feature": None,
                "reference": None,
                "material_condition": "Ⓜ",
                "state": None,
                "datums": [{"label": "A"}, {"label": "B"}, {"label": "C"}],
            },
            {
                "reference_id": 601,
                "label": "[⏥|0.02/100]",
                "confidence": conf("0.86"),
                "characteristic": "⏥",
                "zone": {
                    "value": size("0.02"),
                    "extend": {"value": "100", "unit": "mm", "size_type": "LINEAR", "quantity": 1, "angle": None},
                    "combination": "CZ",
                    "offset": None,
                    "constraint": None,
                },
                "feature": {"filter": None, "associated_feature": "Ⓖ", "derived_feature": None},
                "reference": {"association": "G", "parameter": "P"},
                "material_condition": None,
                "state": "Ⓕ",
                "datums": [],
            },
        ],
        "roughnesses": [
            {
                "reference_id": 700,
                "label": "Ra 0.8 / Rz 4",
                "confidence": conf("0.93"),
                "standard": "ISO 21920-1:2021",
                "machining_allowance": {"value": "0.2", "unit": "mm", "size_type": "LINEAR", "tolerance": None},
                "material_removal_type": "REQUIRED",
                "applies_all_around": True,
                "direction_of_lay": "⟂",
                "manufacturing_process": "ground",
                "conditions": [
                    {
                        "condition_type": "UPPER",
                        "filter_type": None,
                        "lambda_s": None,
                        "lambda_c": {"value": "0.8", "unit": "mm", "size_type": "LINEAR", "tolerance": None},
                        "parameter": "Ra",
                        "evaluation_length": None,
                        "acceptance_criterion": "16%",
                        "value": {"value": "0.8", "unit": "µm", "size_type": "LINEAR", "tolerance": None},
                        "roughness_grade": "N6",
                    },
                    {
                        "condition_type": "UPPER",
                        "filter_type": None,
                        "lambda_s": None,
                        "lambda_c": None,
                        "parameter": "Rz",
                        "evaluation_length": None,
                        "acceptance_criterion": "max",
                        "value": {"value": "4", "unit": "µm", "size_type": "LINEAR", "tolerance": None},
                        "roughness_grade": None,
                    },
                ],
                "waviness": None,
            }
        ],
        "undercuts": [
            {
                "reference_id": 800,
                "label": "DIN 509-E0.6x0.3",
                "confidence": conf("0.8"),
                "quantity": 1,
                "undercut_type": "RELIEF_GROOVE",
                "standard": "DIN 509",
                "form": "E",
                "radius": size("0.6"),
                "depth": size("0.3"),
            }
        ],
        "key_slots": [
            {
                "reference_id": 900,
                "label": "DIN 6885-A 8x7x40",
                "confidence": conf("0.82"),
                "quantity": 1,
                "standard": "DIN 6885",
                "form": "A",
                "key_width": size("8"),
                "key_height": size("7"),
                "key_length": size("40"),
            }
        ],
        "center_holes": [
            {
                "reference_id": 1000,
                "label": "ISO 6411-A2.5/5.3",
                "confidence": conf("0.78"),
                "quantity": 2,
                "standard": "ISO 6411",
                "form": "A",
                "pilot_diameter": size("2.5", size_type="DIAMETER"),
                "outer_diameter": size("5.3", size_type="DIAMETER"),
                "requirement": "PERMITTED",
            }
        ],
        "fasteners": [
            {
                "reference_id": 1100,
                "label": "PEM S-M4-2",
                "confidence": conf("0.75"),
                "quantity": 4,
                "fastener_type": "PRESS_IN_NUT",
                "designation": "S-M4-2",
                "standard": None,
                "manufacturer": "PEM",
                "thread": {
                    "reference_id": 1101,
                    "label": "M4",
                    "confidence": None,
                    "quantity": "1",
                    "diameter": size("4", size_type="DIAMETER"),
                    "spacing": None,
                    "handedness": "RIGHT",
                    "depth": None,
                    "thread_type": "ISO_METRIC",
                },
                "length": None,
                "note": "from far side",
            }
        ],
    }


def insights() -> dict[str, Any]:
    return {
        "ask_version": "v2",
        "ask_type": "INSIGHTS",
        "page_type": "COMPONENT_DRAWING",
        "dimensions_before_processing": {
            "enclosing_cuboid": None,
            "enclosing_cylinder": {
                "geometry_type": "CYLINDER",
                "diameter": size("45", size_type="DIAMETER"),
                "depth": size("125"),
            },
            "annotations_complete": True,
            "completeness_note": None,
        },
        "dimensions_after_processing": {
            "enclosing_cuboid": {
                "geometry_type": "CUBOID",
                "width": size("40"),
                "height": size("40"),
                "depth": size("120"),
            },
            "enclosing_cylinder": None,
            "annotations_complete": False,
            "completeness_note": "one view missing",
        },
        "primary_process_options": [
            {"primary_process": "TURNING", "requires_secondary_milling": True},
            {"primary_process": "MILLING", "axis_count": 5},
        ],
        "secondary_processes": [
            {
                "reference_id": 1200,
                "label": "hardened and tempered",
                "confidence": conf("0.9"),
                "process_category": ["CHANGING_MATERIAL_PROPERTIES", "HEAT_TREATMENT", "QUENCHING_AND_TEMPERING"],
            },
            {
                "reference_id": 1201,
                "label": "zinc plated",
                "confidence": None,
                "process_category": ["COATING", "GALVANIC_COATING"],
            },
        ],
        "volume_estimate": {"value": "151.2", "unit": "cm³", "volume_estimate_type": "UPPER_BOUND_IGNORING_CAVITIES"},
    }


def reference_positions() -> dict[str, Any]:
    ids = [100, 101, 102, 103, 104, 105, 106, 200, 201, 202, 300, 301, 400, 500, 600, 601, 700, 800, 900, 1000, 1100]
    return {
        "ask_version": "v2",
        "ask_type": "REFERENCE_POSITIONS",
        "reference_positions": [
            {
                "reference_id": rid,
                "polygon": {
                    "coordinate_space": "PIXEL_SPACE",
                    "coordinates": [
                        [10 + k, 20 + 2 * k],
                        [60 + k, 20 + 2 * k],
                        [60 + k, 35 + 2 * k],
                        [10 + k, 35 + 2 * k],
                    ],
                },
            }
            for k, rid in enumerate(ids)
        ],
    }


def all_responses() -> list[dict[str, Any]]:
    return [meta_data(), features(), insights(), reference_positions()]


def messages(responses: list[dict[str, Any]] | None = None, request_id: str | None = None) -> list[dict[str, Any]]:
    """The answers wrapped as TechreadMessages, as `werk24 techread` prints them."""
    rid = request_id or str(uuid.UUID(int=0x5B354D9E3ACE41039E8DB3685CA5BEC5))
    out = []
    for r in copy.deepcopy(responses if responses is not None else all_responses()):
        out.append(
            {
                "exceptions": [],
                "request_id": rid,
                "message_type": "ASK",
                "message_subtype": r["ask_type"],
                "page_number": 0,
                "payload_dict": r,
                "payload_url": None,
            }
        )
    return out


def png(width: int, height: int) -> bytes:
    """A valid grey PNG of the given size (stdlib only)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes([200]) * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def write_json(path: Path, obj: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path


def write_jsonl(path: Path, objs: list[Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in objs) + "\n", encoding="utf-8")
    return path

"""Inspection plans built from the plan contract's columns (notes/plan_contract.md), for the tests
of measurements, results, capability, AS9102 and QIF that must not depend on how the plan is made."""

from __future__ import annotations

from typing import Any

import pandas as pd

# The contract's columns and dtypes, in its order.
CONTRACT: dict[str, str] = {
    "drawing_id": "string",
    "drawing_number": "string",
    "page": "Int64",
    "characteristic": "Int64",
    "table": "string",
    "reference_id": "Int64",
    "item_index": "Int64",
    "role": "string",
    "zone": "string",
    "located": "boolean",
    "balloon_x": "Float64",
    "balloon_y": "Float64",
    "label": "string",
    "requirement": "string",
    "kind": "string",
    "characteristic_type": "string",
    "nominal": "Float64",
    "lower_limit": "Float64",
    "upper_limit": "Float64",
    "unit": "string",
    "nominal_mm": "Float64",
    "lower_limit_mm": "Float64",
    "upper_limit_mm": "Float64",
    "tolerance_source": "string",
    "it_grade": "Int64",
    "quantity": "Int64",
    "classification": "string",
    "method": "string",
    "note": "string",
}

_MM = {"mm": 1.0, "in": 25.4, "inch": 25.4, "um": 1e-3, "µm": 1e-3}


def make_plan(rows: list[dict[str, Any]], drawing_id: str = "d1", drawing_number: str = "WF-1") -> pd.DataFrame:
    """A plan frame with the contract's dtypes; unspecified columns get plausible defaults."""
    full = []
    for i, r in enumerate(rows):
        row: dict[str, Any] = dict.fromkeys(CONTRACT)
        row.update(
            drawing_id=drawing_id,
            drawing_number=drawing_number,
            page=0,
            characteristic=i + 1,
            table="dimensions",
            reference_id=100 + i,
            item_index=i,
            role="size",
            zone="B2",
            located=True,
            balloon_x=10.0 * i,
            balloon_y=20.0,
            kind="size",
            characteristic_type="LINEAR",
            unit="mm",
            tolerance_source="explicit",
            quantity=1,
            classification="major",
            method="caliper",
        )
        row.update(r)
        f = _MM.get(str(row["unit"]))
        for c in ("nominal", "lower_limit", "upper_limit"):
            if row.get(f"{c}_mm") is None and row[c] is not None and f is not None:
                row[f"{c}_mm"] = row[c] * f
        if row["label"] is None and row["nominal"] is not None:
            row["label"] = f"{row['nominal']:g}"
        if row["requirement"] is None:
            row["requirement"] = f"{row['label']} ({row['lower_limit']}-{row['upper_limit']})"
        full.append(row)
    return pd.DataFrame({c: pd.array([r[c] for r in full], dtype=d) for c, d in CONTRACT.items()})


def two_drawing_plan() -> pd.DataFrame:
    """Two drawings: d1 (WF-1, mm, a two-sided, a one-sided and a GD&T characteristic) and d2 (WF-2, inch)."""
    a = make_plan(
        [
            {"nominal": 10.0, "lower_limit": 10.0, "upper_limit": 10.015, "label": "Ø10 H7", "kind": "diameter"},
            {
                "nominal": None,
                "lower_limit": None,
                "upper_limit": 0.05,
                "label": "⏥ 0.05",
                "kind": "gdt",
                "characteristic_type": "FLATNESS",
                "table": "gdnts",
            },
            {
                "nominal": 1.6,
                "lower_limit": None,
                "upper_limit": 1.6,
                "unit": "µm",
                "label": "Ra 1.6",
                "kind": "roughness",
                "characteristic_type": "Ra",
                "table": "roughnesses",
            },
            {"nominal": 45.0, "lower_limit": 44.5, "upper_limit": 45.5, "unit": "deg", "label": "45°", "kind": "angle"},
            {"nominal": None, "lower_limit": None, "upper_limit": None, "label": "NOTE 1", "kind": "note"},
        ]
    )
    b = make_plan(
        [{"nominal": 2.0, "lower_limit": 1.995, "upper_limit": 2.005, "unit": "in", "label": '2.000"'}],
        drawing_id="d2",
        drawing_number="WF-2",
    )
    return pd.concat([a, b], ignore_index=True)


def synthetic_measurements(plan: pd.DataFrame, parts: int = 20, seed: int = 0) -> pd.DataFrame:
    """Made-up measured values (a fixed seed) for every characteristic with limits: centred with a
    spread of a tenth of the tolerance, every fifth characteristic off-centre and wide (so some are
    not capable); one-sided limits measured below the upper / above the lower limit."""
    import numpy as np

    rng = np.random.default_rng(seed)
    rows = []
    for k, r in enumerate(plan.itertuples(index=False)):
        lo, hi = r.lower_limit, r.upper_limit
        if pd.isna(lo) and pd.isna(hi):
            continue
        if pd.isna(lo):
            centre, width = hi * 0.5, abs(hi) * 0.5
        elif pd.isna(hi):
            centre, width = lo * 1.1 + 0.1, abs(lo) * 0.1 + 0.1
        else:
            centre, width = (lo + hi) / 2, hi - lo
        sigma = width / 10
        if k % 5 == 0:
            centre, sigma = centre + width * 0.3, width / 4
        values = rng.normal(centre, sigma, size=parts)
        for i, v in enumerate(values):
            rows.append((r.drawing_number, int(r.characteristic), f"SN{i + 1:03d}", float(v)))
    out = pd.DataFrame(rows, columns=["drawing", "characteristic", "part", "value"])
    # production order: part by part
    return out.sort_values(["part", "drawing", "characteristic"], kind="stable").reset_index(drop=True)


_SCHEMA: list = []


def qif_schema():
    """The official QIF 3.0 schema (tests/data/qif3), compiled once per test session (~15 s)."""
    if not _SCHEMA:
        from pathlib import Path

        import xmlschema

        schemas = Path(__file__).parent / "data" / "qif3"
        dsig = "http://www.w3.org/TR/2002/REC-xmldsig-core-20020212/xmldsig-core-schema.xsd"
        local = {dsig: str(schemas / "QIFLibrary" / "xmldsig-core-schema.xsd")}
        _SCHEMA.append(
            xmlschema.XMLSchema(
                str(schemas / "QIFApplications" / "QIFDocument.xsd"), uri_mapper=lambda url: local.get(url, url)
            )
        )
    return _SCHEMA[0]

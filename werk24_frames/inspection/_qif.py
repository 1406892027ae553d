"""QIF 3.0 documents: the inspection plan (and measured results) of one drawing.

The document holds the product (the part with its number and name, and the printed drawing), and
per balloon a characteristic definition (the tolerance), a nominal (the target value) and an item
(the characteristic on this part: the balloon number as its ``Name`` and ``Designator``, the
requirement as its ``Description``, the sheet and zone as ``LocationOnDrawing``, the
classification as ``Criticality``). With results, ``Results`` holds one ``MeasurementResults``
per part serial number (an ``ActualComponent``), each with one characteristic measurement per
value, its status PASS / FAIL (INDETERMINATE without limits).

Units: lengths are written in millimetres (the plan's ``*_mm`` columns), angles in degrees
(``FileUnits``). Limits are written as limits (``DefinedAsLimit`` true), one-sided
requirements with only ``MaxValue`` or ``MinValue``.

Mapping of the plan's ``kind`` / ``characteristic_type`` / ``role`` to QIF characteristics
(:data:`GDT_TYPES` and :func:`qif_type`):

- GD&T frames: Flatness, Straightness, Circularity, Cylindricity, SurfaceProfile, Parallelism,
  Perpendicularity, Angularity, Position, Concentricity, Coaxiality, Symmetry, CircularRunout,
  TotalRunout (the tolerance zone as ``ToleranceValue``; the material condition from Ⓜ/Ⓛ in the
  label, else NONE; a diametral zone where the label has Ø). Profile of a line (QIF requires its
  direction vector, which a drawing callout does not give) and unknown frames become
  UserDefinedLinear with the zone as the upper limit and the requirement as ``WhatToMeasure``;
- roughness Ra: SurfaceTexture (``RoughnessAverage``); other roughness parameters (Rz...):
  UserDefinedLinear;
- thread callouts: Thread, with the callout as a ``TextThreadSpecification``; the thread's
  pitch, major and minor diameters: Diameter;
- diameters (kind or size type DIAMETER, and ``*diameter`` roles): Diameter; radii: Radius;
  depths: Depth; angles (or a unit of degrees): Angle; other sizes: Length;
- anything without limits (notes, basic dimensions): UserDefinedAttribute, the requirement as
  ``WhatToMeasure``.

All text is written through ``xml.etree`` (escaped); characters XML 1.0 cannot hold are
replaced by U+FFFD.

May import: the standard library (xml.etree, uuid), pandas, :mod:`._measurements`,
:mod:`._as9102` (metadata helpers), the corpus (for metadata only).
"""

from __future__ import annotations

import math
import os
import re
import uuid
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._units import ANGLE_TO_DEG, canonical_unit
from ._as9102 import _metadata, _one_drawing
from ._measurements import _check_plan

if TYPE_CHECKING:
    from .._corpus import Corpus

__all__ = ["GDT_TYPES", "QIF_NAMESPACE", "qif_type", "to_qif"]

#: Namespace of the QPIds this module derives (uuid5) from a document's content.
_QPID_NAMESPACE = uuid.UUID("6f1b0e2a-4c55-5d0e-9a57-77657266b24b")
QIF_NAMESPACE = "http://qifstandards.org/xsd/qif3"

#: GD&T characteristic (name or symbol, as Werk24 writes it) -> QIF characteristic.
GDT_TYPES: dict[str, str] = {
    "FLATNESS": "Flatness",
    "⏥": "Flatness",
    "STRAIGHTNESS": "Straightness",
    "⏤": "Straightness",
    "CIRCULARITY": "Circularity",
    "ROUNDNESS": "Circularity",
    "○": "Circularity",
    "CYLINDRICITY": "Cylindricity",
    "⌭": "Cylindricity",
    "PROFILE_OF_A_SURFACE": "SurfaceProfile",
    "SURFACE_PROFILE": "SurfaceProfile",
    "⌓": "SurfaceProfile",
    "PARALLELISM": "Parallelism",
    "∥": "Parallelism",
    "PERPENDICULARITY": "Perpendicularity",
    "⟂": "Perpendicularity",
    "ANGULARITY": "Angularity",
    "∠": "Angularity",
    "POSITION": "Position",
    "⌖": "Position",
    "CONCENTRICITY": "Concentricity",
    "◎": "Concentricity",
    "COAXIALITY": "Coaxiality",
    "SYMMETRY": "Symmetry",
    "⌯": "Symmetry",
    "CIRCULAR_RUNOUT": "CircularRunout",
    "RUNOUT": "CircularRunout",
    "↗": "CircularRunout",
    "TOTAL_RUNOUT": "TotalRunout",
    "⌰": "TotalRunout",
}
_ORIENTATION = {"Parallelism", "Perpendicularity", "Angularity"}
_ZONE_TYPES = {"Position", "Concentricity", "Coaxiality", "Straightness", *_ORIENTATION}
_ORGANISATIONS = {"AIAG", "ANSI", "ASME", "BSI", "DIN", "ISO", "JIS", "VDA"}
_CRITICALITY = {"critical": "CRITICAL", "major": "MAJOR", "minor": "MINOR", "key": "KEY"}
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return _ILLEGAL.sub("\ufffd", str(value))


def _num(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    v = float(value)
    return None if math.isnan(v) or math.isinf(v) else v


def _dec(value: float) -> str:
    """An ``xs:decimal`` (no exponent), exact to the float's shortest repr.

    >>> _dec(1e-7), _dec(2.5e16), _dec(10.015)
    ('0.0000001', '25000000000000000', '10.015')
    """
    return format(Decimal(repr(float(value))), "f")


def _is_angle(row: Any) -> bool:
    unit = canonical_unit(_text(row.unit))
    return (unit in ANGLE_TO_DEG) or str(row.kind) == "angle" or str(row.characteristic_type).upper() == "ANGULAR"


def _limits(row: Any) -> tuple[float | None, float | None, float | None]:
    """(nominal, lower, upper) in mm or degrees; None where missing or not convertible."""
    if _is_angle(row):
        f = ANGLE_TO_DEG.get(canonical_unit(_text(row.unit)) or "deg", 1.0)
        return tuple(None if (v := _num(x)) is None else v * f for x in (row.nominal, row.lower_limit, row.upper_limit))  # type: ignore[return-value]
    return _num(row.nominal_mm), _num(row.lower_limit_mm), _num(row.upper_limit_mm)


def qif_type(row: Any) -> str:
    """The QIF characteristic (``Diameter``, ``Flatness``, ``UserDefinedAttribute``...) of a plan row.

    Examples
    --------
    >>> from types import SimpleNamespace as Row
    >>> base = dict(unit="mm", nominal_mm=10.0, lower_limit_mm=9.9, upper_limit_mm=10.1, role="size")
    >>> qif_type(Row(kind="diameter", characteristic_type="DIAMETER", **base))
    'Diameter'
    >>> qif_type(Row(kind="gdt", characteristic_type="⌖", **base))
    'Position'
    """
    kind = (_text(row.kind) or "").lower()
    ctype = (_text(row.characteristic_type) or "").strip()
    role = (_text(row.role) or "").lower()
    _, lower, upper = _limits(row)
    if lower is None and upper is None:
        return "UserDefinedAttribute"
    if kind in ("gdt", "gdnt", "gd&t"):
        found = GDT_TYPES.get(ctype.upper()) or GDT_TYPES.get(ctype)
        if found is None and upper is not None:
            return "UserDefinedLinear"  # profile of a line (QIF needs its direction) and unknown frames
        return found if found and upper is not None else "UserDefinedAttribute"
    if kind == "roughness":
        return "SurfaceTexture" if ctype.lower() == "ra" and upper is not None else "UserDefinedLinear"
    if kind == "thread" and role in ("size", ""):
        return "Thread"
    if _is_angle(row):
        return "Angle"
    if role.endswith("diameter") or kind == "diameter" or ctype.upper() in ("DIAMETER", "SPHERICAL_DIAMETER"):
        return "Diameter"
    if kind == "radius" or ctype.upper() == "RADIUS":
        return "Radius"
    if role.endswith("depth") or kind == "depth":
        return "Depth"
    return "Length"


class _Doc:
    def __init__(self) -> None:
        self.next_id = 0

    def id(self) -> str:
        self.next_id += 1
        return str(self.next_id)


def _sub(parent: ET.Element, tag: str, text: Any = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{QIF_NAMESPACE}}}{tag}", attrs)
    if text is not None:
        el.text = _text(text)
    return el


def _tolerance(parent: ET.Element, tag: str, lower: float | None, upper: float | None) -> None:
    tol = _sub(parent, tag)
    if upper is not None:
        _sub(tol, "MaxValue", _dec(upper))
    if lower is not None:
        _sub(tol, "MinValue", _dec(lower))
    _sub(tol, "DefinedAsLimit", "true")


def _definition(defs: ET.Element, qtype: str, doc: _Doc, row: Any, thread_ids: dict[str, str]) -> str:
    did = doc.id()
    el = _sub(defs, f"{qtype}CharacteristicDefinition", id=did)
    nominal, lower, upper = _limits(row)
    label = _text(row.label) or ""
    if qtype == "UserDefinedAttribute":
        _sub(el, "WhatToMeasure", _text(row.requirement) or label or "see drawing")
    elif qtype == "Thread":
        _sub(el, "ThreadSpecificationId", thread_ids[str(row.characteristic)])
    elif qtype == "SurfaceTexture":
        _sub(el, "RoughnessAverage", _dec(upper))  # type: ignore[arg-type]
    elif qtype in set(GDT_TYPES.values()):
        _sub(el, "ToleranceValue", _dec(upper))  # type: ignore[arg-type]
        if qtype in _ORIENTATION or qtype == "Position":
            condition = (
                "MAXIMUM"
                if ("Ⓜ" in label or "(M)" in label)
                else "LEAST"
                if ("Ⓛ" in label or "(L)" in label)
                else "NONE"
            )
            _sub(el, "MaterialCondition", condition)
        if qtype in _ZONE_TYPES:
            diametral = "Ø" in label or "⌀" in label
            zone = _sub(el, "ZoneShape")
            if qtype in _ORIENTATION:
                _sub(zone, "DiametricalZone" if diametral else "PlanarZone")
            elif qtype == "Straightness":
                _sub(zone, "DiametricalZone" if diametral else "NonDiametricalZone")
            else:
                _sub(zone, "DiametricalZone" if diametral else "NonDiametricalZone")
    elif qtype == "Angle":
        _tolerance(el, "Tolerance", lower, upper)
    else:  # Length, Diameter, Radius, Depth, UserDefinedLinear
        _tolerance(el, "Tolerance", lower, upper)
        if qtype == "UserDefinedLinear":
            _sub(el, "WhatToMeasure", _text(row.requirement) or label or "see drawing")
    del nominal
    return did


def _nominal(noms: ET.Element, qtype: str, doc: _Doc, row: Any, definition_id: str) -> str:
    nid = doc.id()
    el = _sub(noms, f"{qtype}CharacteristicNominal", id=nid)
    _sub(el, "CharacteristicDefinitionId", definition_id)
    nominal, _, _ = _limits(row)
    if nominal is not None and qtype in ("Length", "Diameter", "Radius", "Depth", "Angle", "UserDefinedLinear"):
        _sub(el, "TargetValue", _dec(nominal))
    return nid


def _item(items: ET.Element, qtype: str, doc: _Doc, row: Any, nominal_id: str, drawing_ref: str) -> str:
    iid = doc.id()
    el = _sub(items, f"{qtype}CharacteristicItem", id=iid)
    if _text(row.requirement):
        _sub(el, "Description", row.requirement)
    balloon = str(int(row.characteristic))
    _sub(el, "Name", balloon)
    designator = _sub(el, "CharacteristicDesignator")
    _sub(designator, "Designator", balloon)
    level = _CRITICALITY.get((_text(row.classification) or "").lower())
    if level:
        _sub(_sub(designator, "Criticality"), "LevelEnum", level)
    _sub(el, "CharacteristicNominalId", nominal_id)
    location = _sub(el, "LocationOnDrawing")
    _sub(location, "DrawingId", drawing_ref)
    if _num(row.page) is not None:
        _sub(location, "SheetNumber", str(int(row.page) + 1))
    if _text(row.zone):
        _sub(location, "DrawingZone", row.zone)
    return iid


def _measurement(
    parent: ET.Element, qtype: str, doc: _Doc, item_id: str, value: float | None, ok: Any, component: str
) -> str:
    mid = doc.id()
    el = _sub(parent, f"{qtype}CharacteristicMeasurement", id=mid)
    status = _sub(el, "Status")
    state = "INDETERMINATE" if ok is None or pd.isna(ok) else ("PASS" if bool(ok) else "FAIL")
    if value is None:
        state = "NOT_ANALYZED"
    _sub(status, "CharacteristicStatusEnum", state)
    _sub(el, "CharacteristicItemId", item_id)
    _sub(el, "ActualComponentId", component)
    if value is not None:
        if qtype == "SurfaceTexture":
            _sub(el, "RoughnessAverageValue", _dec(value))
        elif qtype == "Thread":
            pass  # a thread gauge says pass or fail; the status holds it
        elif qtype == "UserDefinedAttribute":
            _sub(el, "Value", _dec(value))
        else:
            _sub(el, "Value", _dec(value))
    return state


def to_qif(
    plan: pd.DataFrame,
    path: str | os.PathLike[str],
    results: pd.DataFrame | None = None,
    *,
    drawing: str | None = None,
    corpus: Corpus | None = None,
    standard: str | None = None,
) -> str:
    """Write a QIF 3.0 document of one drawing's plan, with the measured results if given.

    Parameters
    ----------
    plan
        The inspection plan (``wf.inspection_plan(corpus)``).
    path
        The ``.qif`` file to write (replaced if it exists).
    results
        ``wf.inspection.results(plan, measurements)``: adds ``Results``, one
        ``MeasurementResults`` per part serial number.
    drawing
        The drawing (number or id) when the plan holds several.
    corpus
        Where the part name and number come from; by default the plan's own corpus when it is
        still loaded, else the plan's header columns (``part_number``, ``part_name``).
    standard
        The drawing's tolerancing standard, e.g. ``"ISO 1101"`` or ``"ASME Y14.5"`` (QIF requires
        one); by default it is written as not stated ("as on the drawing").

    Returns
    -------
    str
        The path written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import werk24_frames as wf
    >>> corpus = wf.sample_corpus()
    >>> plan = wf.inspection_plan(corpus.select("WF-1015"))
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "WF-1015.qif"
    >>> wf.inspection.to_qif(plan, out, corpus=corpus) == str(out)
    True
    """
    _check_plan(plan)
    for column in ("page", "zone", "classification", "label", "characteristic_type", "nominal_mm"):
        if column not in plan.columns:
            raise ValueError(f"the plan lacks the column {column}; make it with wf.inspection_plan(corpus)")
    drawing_id = _one_drawing(plan, drawing)
    rows = plan[plan["drawing_id"] == drawing_id].drop_duplicates("characteristic")
    rows = rows.sort_values("characteristic", kind="stable")
    meta = _metadata(plan, drawing_id, corpus)
    doc = _Doc()
    ET.register_namespace("", QIF_NAMESPACE)
    root = ET.Element(f"{{{QIF_NAMESPACE}}}QIFDocument", {"versionQIF": "3.0.0", "idMax": "0"})
    qpid = _sub(root, "QPId", "")  # set below, from the document's content
    header = _sub(root, "Header")
    application = _sub(header, "Application")
    _sub(application, "Name", "werk24_frames")
    _sub(header, "Scope", f"Inspection plan of drawing {meta['drawing_number'] or drawing_id}")
    standard_id = doc.id()
    standards = _sub(root, "StandardsDefinitions", n="1")
    std = _sub(standards, "Standard", id=standard_id)
    organisation, _, designator = (standard or "").strip().partition(" ")
    org = _sub(std, "Organization")
    if organisation.upper() in _ORGANISATIONS and designator:
        _sub(org, "StandardsOrganizationEnum", organisation.upper())
        _sub(std, "Designator", designator.strip())
    else:
        _sub(org, "OtherStandardsOrganization", "not stated")
        _sub(std, "Designator", (standard or "").strip() or "as on the drawing")

    units = _sub(_sub(root, "FileUnits"), "PrimaryUnits")
    angular = _sub(units, "AngularUnit")
    _sub(angular, "SIUnitName", "radian")
    _sub(angular, "UnitName", "degree")
    conversion = _sub(angular, "UnitConversion")
    _sub(conversion, "Factor", repr(math.pi / 180))
    linear = _sub(units, "LinearUnit")
    _sub(linear, "SIUnitName", "meter")
    _sub(linear, "UnitName", "mm")
    conversion = _sub(linear, "UnitConversion")
    _sub(conversion, "Factor", "0.001")

    r: Any
    types = [qif_type(r) for r in rows.itertuples(index=False)]
    thread_ids: dict[str, str] = {}
    if "Thread" in types:
        specs = _sub(root, "ThreadSpecifications", n=str(types.count("Thread")))
        for r, t in zip(rows.itertuples(index=False), types, strict=True):
            if t == "Thread":
                tid = doc.id()
                thread_ids[str(r.characteristic)] = tid
                text = _sub(_sub(specs, "ThreadSpecification"), "TextThreadSpecification", id=tid)
                _sub(text, "TextSpecification", _text(r.label) or _text(r.requirement) or "thread")

    product = _sub(root, "Product")
    part_set = _sub(product, "PartSet", n="1")
    part_id = doc.id()
    part = _sub(part_set, "Part", id=part_id)
    if meta["part_name"]:
        part.set("label", _text(meta["part_name"]) or "")
    part_header = _sub(part, "Header")
    _sub(part_header, "Name", meta["part_name"] or meta["drawing_number"] or drawing_id)
    if meta["part_number"] or meta["drawing_number"]:
        _sub(part, "ModelNumber", meta["part_number"] or meta["drawing_number"])
    external = _sub(part, "DefinitionExternal", id=doc.id(), n="1")
    drawing_ref = doc.id()
    printed = _sub(external, "PrintedDrawing", id=drawing_ref)
    _sub(printed, "Name", meta["part_name"] or meta["drawing_number"] or drawing_id)
    if meta["drawing_number"]:
        _sub(printed, "DrawingNumber", meta["drawing_number"])

    chars = _sub(root, "Characteristics")
    _sub(chars, "FormalStandardId", standard_id)
    n = str(len(rows))
    defs = _sub(chars, "CharacteristicDefinitions", n=n)
    noms = _sub(chars, "CharacteristicNominals", n=n)
    items = _sub(chars, "CharacteristicItems", n=n)
    item_of: dict[int, tuple[str, str]] = {}
    for r, t in zip(rows.itertuples(index=False), types, strict=True):
        d = _definition(defs, t, doc, r, thread_ids)
        nom = _nominal(noms, t, doc, r, d)
        item_of[int(r.characteristic)] = (_item(items, t, doc, r, nom, drawing_ref), t)
    if not len(rows):
        raise ValueError(f"the plan has no characteristic of drawing {drawing_id!r}")

    if results is not None:
        res = results[(results["drawing_id"] == drawing_id) & results["characteristic"].isin(list(item_of))]
        res = res.sort_values("sequence", kind="stable")
        parts = list(dict.fromkeys("" if pd.isna(p) else str(p) for p in res["part"]))
        if parts:
            results_el = _sub(root, "Results")
            result_set = _sub(results_el, "MeasurementResultsSet", n=str(len(parts)))
            components: list[tuple[str, str, str]] = []
            for serial in parts:
                mine = res[res["part"].fillna("") == serial] if serial else res[res["part"].isna()]
                mr = _sub(result_set, "MeasurementResults", id=doc.id())
                measured = _sub(mr, "MeasuredCharacteristics")
                cms = _sub(measured, "CharacteristicMeasurements", n=str(len(mine)))
                component = doc.id()
                states = []
                for balloon, value, value_mm, unit, ok in zip(
                    mine["characteristic"],
                    mine["value"],
                    mine["value_mm"],
                    mine["unit"],
                    mine["within_limits"],
                    strict=True,
                ):
                    item_id, t = item_of[int(balloon)]
                    if t == "Angle":
                        factor = ANGLE_TO_DEG.get(canonical_unit(_text(unit)) or "deg", math.nan)
                        written = None if _num(value) is None else float(value) * factor
                    elif t == "UserDefinedAttribute":
                        written = _num(value)
                    else:
                        written = _num(value_mm)
                    states.append(_measurement(cms, t, doc, item_id, _num(written), ok, component))
                status = (
                    "FAIL" if "FAIL" in states else "PASS" if states and all(s == "PASS" for s in states) else "UNKNOWN"
                )
                _sub(_sub(mr, "InspectionStatus"), "InspectionStatusEnum", status)
                _sub(_sub(mr, "ActualComponentIds", n="1"), "Id", component)
                components.append((component, serial, status))
            sets = _sub(_sub(results_el, "ActualComponentSets", n="1"), "ActualComponentSet", n=str(len(components)))
            for component, serial, status in components:
                ac = _sub(sets, "ActualComponent", id=component)
                if serial:
                    _sub(ac, "SerialNumber", serial)
                _sub(_sub(ac, "Status"), "InspectionStatusEnum", status)

    root.set("idMax", str(doc.next_id))
    # The document's id is derived from its content: the same plan and results give the same
    # file (byte for byte), and any change gives another id.
    qpid.text = str(uuid.uuid5(_QPID_NAMESPACE, ET.tostring(root, encoding="unicode")))
    tree = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    target = os.fspath(path)
    tree.write(target, encoding="UTF-8", xml_declaration=True)
    return str(target)

"""From drawing to inspection: characteristic lists, ballooned sheets, AS9102, QIF and capability.

The names below load their module on first use, so ``import werk24_frames`` stays light and the
heavy writers (openpyxl for AS9102 workbooks, lxml for QIF) load only when called.

=========================  =====================================================================
name                       what it does
=========================  =====================================================================
``inspection_plan``        one row per characteristic (balloon number, limits, kind, method…)
``balloon_sheet``          the drawing's sheet with numbered balloons and leaders
``read_measurements``      measured values from CSV, Excel or a DataFrame, as a long table
``results``                one row per part and characteristic: within limits, deviation
``problems``               what could not be read or placed, for measurements, results, capability
``capability``             Cp, Cpk, Pp, Ppk and PPM per characteristic
``to_as9102``              an AS9102 first-article inspection workbook (Forms 1, 2 and 3)
``to_qif``                 a QIF 3.0 plan (and results) document
=========================  =====================================================================
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Public name -> the module (in this package) that defines it.
_WHERE: dict[str, str] = {
    "inspection_plan": "._plan",
    "CLASSIFICATION_RULES": "._plan",
    "METHOD_RULES": "._plan",
    "balloon_sheet": "._sheet",
    "BalloonSheet": "._sheet",
    "read_measurements": "._measurements",
    "problems": "._measurements",
    "results": "._measurements",
    "capability": "._capability",
    "to_as9102": "._as9102",
    "to_qif": "._qif",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    try:
        module = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__

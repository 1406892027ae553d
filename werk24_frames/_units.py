"""Units as Werk24 writes them (free text: "kg", "kilogram", "lb"...) and their factors.

Werk24 gives units as free strings. Every conversion goes through :func:`factors`, which maps
a column of unit strings to a factor into the target unit, NaN where the unit is unknown; a
caller turns the unknown ones into ``problems`` rows. It never guesses.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["ANGLE_TO_DEG", "LENGTH_TO_MM", "MASS_TO_KG", "VOLUME_TO_CM3", "canonical_unit", "factors"]

# Exact by definition: 1 lb = 0.45359237 kg (international pound, 1959); 1 oz = 1/16 lb.
_LB = 0.45359237
MASS_TO_KG: dict[str, float] = {
    "kg": 1.0,
    "g": 1e-3,
    "mg": 1e-6,
    "t": 1e3,
    "lb": _LB,
    "oz": _LB / 16,
}

# Exact by definition: 1 in = 25.4 mm (international yard and pound agreement, 1959).
INCH_MM = 25.4
LENGTH_TO_MM: dict[str, float] = {
    "mm": 1.0,
    "cm": 10.0,
    "dm": 100.0,
    "m": 1000.0,
    "µm": 1e-3,
    "µin": INCH_MM * 1e-6,
    "in": INCH_MM,
    "ft": 12 * INCH_MM,
}
# Exact: 1 in³ = 2.54³ cm³.
VOLUME_TO_CM3: dict[str, float] = {
    "cm³": 1.0,
    "mm³": 1e-3,
    "dm³": 1e3,
    "m³": 1e6,
    "l": 1e3,
    "ml": 1.0,
    "in³": 2.54**3,
    "ft³": (12 * 2.54) ** 3,
}
ANGLE_TO_DEG: dict[str, float] = {
    "deg": 1.0,
    "rad": 180.0 / math.pi,
    "arcmin": 1 / 60,
    "arcsec": 1 / 3600,
}

_ALIASES: dict[str, str] = {
    # length
    "millimeter": "mm",
    "millimeters": "mm",
    "millimetre": "mm",
    "millimetres": "mm",
    "centimeter": "cm",
    "centimeters": "cm",
    "centimetre": "cm",
    "centimetres": "cm",
    "meter": "m",
    "meters": "m",
    "metre": "m",
    "metres": "m",
    "um": "µm",
    "μm": "µm",  # Greek small letter mu, not the micro sign
    "micron": "µm",
    "microns": "µm",
    "micrometer": "µm",
    "micrometers": "µm",
    "micrometre": "µm",
    "micrometres": "µm",
    "uin": "µin",
    "μin": "µin",  # Greek mu
    "microinch": "µin",
    "microinches": "µin",
    "inch": "in",
    "inches": "in",
    '"': "in",
    "″": "in",
    "foot": "ft",
    "feet": "ft",
    # volume
    "cm3": "cm³",
    "cm^3": "cm³",
    "ccm": "cm³",
    "cc": "cm³",
    "cubic centimeter": "cm³",
    "cubic centimeters": "cm³",
    "cubic centimetre": "cm³",
    "cubic centimetres": "cm³",
    "mm3": "mm³",
    "mm^3": "mm³",
    "cubic millimeter": "mm³",
    "cubic millimeters": "mm³",
    "cubic millimetre": "mm³",
    "cubic millimetres": "mm³",
    "dm3": "dm³",
    "dm^3": "dm³",
    "m3": "m³",
    "m^3": "m³",
    "liter": "l",
    "liters": "l",
    "litre": "l",
    "litres": "l",
    "milliliter": "ml",
    "millilitre": "ml",
    "in3": "in³",
    "in^3": "in³",
    "cu in": "in³",
    "cubic inch": "in³",
    "cubic inches": "in³",
    "ft3": "ft³",
    "ft^3": "ft³",
    "cu ft": "ft³",
    "cubic foot": "ft³",
    "cubic feet": "ft³",
    # angle
    "degree": "deg",
    "degrees": "deg",
    "°": "deg",
    "radian": "rad",
    "radians": "rad",
    "arcminute": "arcmin",
    "arcminutes": "arcmin",
    "′": "arcmin",
    "arcsecond": "arcsec",
    "arcseconds": "arcsec",
    # mass
    "kilogram": "kg",
    "kilograms": "kg",
    "kilo": "kg",
    "kgs": "kg",
    "gram": "g",
    "grams": "g",
    "gr": "g",
    "milligram": "mg",
    "milligrams": "mg",
    "tonne": "t",
    "tonnes": "t",
    "ton": "t",
    "metric ton": "t",
    "pound": "lb",
    "pounds": "lb",
    "lbs": "lb",
    "lbm": "lb",
    "ounce": "oz",
    "ounces": "oz",
}

_SPACES = re.compile(r"\s+")


def canonical_unit(text: object) -> str | None:
    """The canonical spelling of a unit as Werk24 writes it, or None when it is missing.

    Unknown units are returned lower-cased and trimmed, so the caller can name them.

    Examples
    --------
    >>> canonical_unit(" Kilogram ")
    'kg'
    >>> canonical_unit("lbs")
    'lb'
    """
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return None
    key = _SPACES.sub(" ", str(text).strip().lower()).rstrip(".")
    return _ALIASES.get(key, key)


def factors(units: pd.Series, table: Mapping[str, float]) -> tuple[np.ndarray, pd.Series]:
    """Factors into the target unit for a column of unit strings.

    Returns the factors (NaN where the unit is missing or unknown) and a boolean Series that is
    True where a unit was given but is not known.
    """
    uniques = pd.unique(units.dropna())
    lookup = {u: table.get(canonical_unit(u) or "", np.nan) for u in uniques}
    f = units.map(lookup).astype("float64").to_numpy()
    unknown = units.notna() & np.isnan(f)
    return f, unknown

"""Optional dependencies: one check, and one message that says which extra to install.

``import werk24_frames`` needs only pandas and numpy. Plots, drawing images, the gallery,
exports, the report and live reading each need an extra (see ``pyproject.toml``); each calls
:func:`require` when first used, so a missing package is an ``ImportError`` that names the
package and the ``pip install`` line, rather than a bare ``No module named ...`` raised from
deep inside.
"""

from __future__ import annotations

import importlib.util
import sys

__all__ = ["require"]

_DISTRIBUTION = {"PIL": "Pillow", "sklearn": "scikit-learn"}
"""Import names that differ from the name ``pip`` installs."""


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ValueError:  # in sys.modules without a __spec__ (a stub module): it imports
        return sys.modules.get(module) is not None
    except ImportError:  # its parent package is missing
        return False


def require(extra: str, purpose: str, *modules: str) -> None:
    """Raise an ``ImportError`` naming what is missing unless every module can be imported.

    Examples
    --------
    >>> require("plot", "plotting", "math")
    >>> require("plot", "plotting", "no_such_module_here")
    Traceback (most recent call last):
    ...
    ImportError: plotting needs no_such_module_here, which is not installed: pip install 'werk24_frames[plot]'
    """
    missing = [_DISTRIBUTION.get(m, m) for m in modules if not _installed(m)]
    if missing:
        names = " and ".join(missing)
        verb = "is" if len(missing) == 1 else "are"
        raise ImportError(f"{purpose} needs {names}, which {verb} not installed: pip install 'werk24_frames[{extra}]'")

"""Execute the notebooks in ``notebooks/`` in place and normalise them, so that they are committed
with their outputs (tables and figures visible on GitHub) and re-running gives the same files.

Run from anywhere (needs ``pip install -e ".[test]"``: nbclient, nbformat, ipykernel)::

    python tools/execute_notebooks.py                        # every notebook
    python tools/execute_notebooks.py notebooks/02_*.ipynb   # some of them
    python tools/execute_notebooks.py --no-execute           # normalise only

Each notebook runs in a fresh ``python3`` kernel of the current environment with ``notebooks/``
as its working folder, this source tree first on ``PYTHONPATH`` (so the outputs are those of
this checkout, whatever is installed) and ``WERK24_FRAMES_NOTEBOOK_EMULATOR=1``, so that
``06_reading_your_drawings`` reads from the loopback emulator even on a machine with a Werk24
token: executing the notebooks never reaches Werk24 and never costs anything.

Normalising means: kernelspec ``python3`` ("Python 3"), ``language_info`` without the Python
version, no widget state (``metadata.widgets``) and no widget views (their model ids are
random and their state is dropped): a widget's text fallback stays when it is a repr such as
``<Gallery: ...>``, and a progress bar, whose text is its state when first shown, is dropped;
no execution timestamps,
execution counts 1, 2, 3... in cell order, consecutive prints to one stream merged into one
output (how they are split into messages depends on timing). The script fails when
an output contains an absolute path of this machine (the checkout, the home or temp folder),
so such a leak is fixed in the notebook instead of being committed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def execute(nb: Any, timeout: int) -> None:
    """Run every cell of ``nb`` in a fresh kernel, with ``notebooks/`` as the working folder."""
    from nbclient import NotebookClient

    env = {
        "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "WERK24_FRAMES_NOTEBOOK_EMULATOR": "1",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the kernel inherits this process's environment
    try:
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOKS)}},
            record_timing=False,
        )
        client.execute()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def normalise(nb: Any) -> None:
    """Make ``nb`` reproducible: see the module docstring."""
    language = {k: v for k, v in nb.metadata.get("language_info", {"name": "python"}).items() if k != "version"}
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": language or {"name": "python"}}
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        outputs: list[Any] = []
        for out in cell.outputs:
            data = out.get("data")
            # Without its state a widget shows its text fallback: keep a repr such as
            # "<Gallery: 44 drawings ...>", drop a progress bar's (its state when first shown).
            is_widget = data is not None and data.pop(WIDGET_VIEW, None) is not None
            if is_widget and not str(data.get("text/plain", "")).startswith("<"):
                continue
            if "execution_count" in out:
                out["execution_count"] = count
            last = outputs[-1] if outputs else None
            if (
                out.output_type == "stream"
                and last is not None
                and last.output_type == "stream"
                and last.name == out.name
            ):
                last.text += out.text  # how a print is split into messages depends on timing
                continue
            outputs.append(out)
        cell.outputs = outputs


_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")


def leaks(nb: Any) -> list[str]:
    """Outputs that name an absolute path of this machine, as ``cell N: path``."""
    roots = {str(ROOT), str(Path.home()), tempfile.gettempdir(), "/tmp/", sys.prefix, sys.base_prefix}
    roots.discard("/")
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            texts = [out.get("text", ""), *out.get("traceback", [])]
            texts += [v for k, v in out.get("data", {}).items() if k.startswith("text/") or k.endswith("json")]
            # Base64 (images, data: URIs) may spell "/usr" by chance: it names no path.
            text = _DATA_URI.sub("", "\n".join(map(str, texts)))
            found += [f"cell {i}: {root}" for root in sorted(roots) if root in text]
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    ap.add_argument("--no-execute", action="store_true", help="only normalise")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = ap.parse_args()

    import nbformat

    paths = args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))
    failed = False
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        t0 = time.perf_counter()
        if not args.no_execute:
            execute(nb, args.timeout)
        normalise(nb)
        nbformat.validate(nb)
        problems = leaks(nb)
        if problems:
            failed = True
            print(f"{path.name}: outputs name local paths, not written: {', '.join(problems)}", file=sys.stderr)
            continue
        nbformat.write(nb, path)
        print(f"{path.name}: {time.perf_counter() - t0:.1f} s, {path.stat().st_size / 1e3:.0f} kB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

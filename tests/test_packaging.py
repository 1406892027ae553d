"""environment.yml stays in step with pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _extra(project: dict, name: str) -> list[str]:
    """The requirements of an extra, with ``werk24_frames[other]`` expanded."""
    out = []
    for req in project["optional-dependencies"][name]:
        m = re.fullmatch(r"werk24_frames\[([a-z,]+)\]", req)
        out += [r for other in m.group(1).split(",") for r in _extra(project, other)] if m else [req]
    return out


def test_environment_yml_lists_the_runtime_and_test_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"] + _extra(project, "test")}
    assert {"werk24", "httpx", "filelock"} <= wanted  # the live extra is part of the test extra
    listed = set()
    for line in (ROOT / "environment.yml").read_text().splitlines():
        m = re.match(r"\s*-\s+([A-Za-z0-9_.\-]+)", line)
        if m and m.group(1) not in ("pip", "conda-forge", "-e"):
            listed.add(_name(m.group(1)))
    assert wanted <= listed, f"missing from environment.yml: {sorted(wanted - listed)}"

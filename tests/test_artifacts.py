"""The ABIs and bytecode shipped in cli/iwo/artifacts match the contracts as compiled now."""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from export_artifacts import NAMES, exported  # noqa: E402


def test_shipped_artifacts_match_the_build(project):
    project.load_contracts()  # compiles if the sources changed
    build = json.loads((ROOT / ".build" / "__local__.json").read_text())
    fresh = exported(build)
    for name in NAMES:
        shipped = json.loads((ROOT / "cli" / "iwo" / "artifacts" / f"{name}.json").read_text())
        assert shipped == fresh[name], f"{name}: run `make compile` (tools/export_artifacts.py) and commit"


def test_artifacts_cover_every_contract_the_cli_loads():
    from iwo.contracts import abi, bytecode
    from iwo.registry import IMPLEMENTATIONS

    for name in (*IMPLEMENTATIONS, "IwoFactory"):
        assert name in NAMES
        assert abi(name) and bytecode(name), name

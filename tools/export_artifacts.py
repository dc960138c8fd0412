"""Copies the compiled contract types Ape wrote to .build/ into cli/iwo/artifacts/.

The `iwo` command line and the auditor's tools load ABIs and bytecode from
there, so they work from any directory and without Ape's project machinery.
Run by `make compile`; `tests/test_artifacts.py` checks they match the build.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("IwoCard", "IwoTreasury", "IwoGovernor", "IwoFactory", "IwoMutualAid", "IwoEscrow", "IwoRates")
KEEP = ("contractName", "sourceId", "abi", "deploymentBytecode", "runtimeBytecode", "methodIdentifiers")


def exported(build: dict) -> dict:
    out = {}
    for name in NAMES:
        ct = build["contractTypes"][name]
        out[name] = {k: ct[k] for k in KEEP if k in ct}
    return out


def main() -> int:
    build = json.loads((ROOT / ".build" / "__local__.json").read_text())
    target = ROOT / "cli" / "iwo" / "artifacts"
    target.mkdir(exist_ok=True)
    for name, data in exported(build).items():
        path = target / f"{name}.json"
        text = json.dumps(data, indent=1, sort_keys=True) + "\n"
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

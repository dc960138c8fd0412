"""Mutation check: delete each `assert` of the production contracts, one at a time, and
run the tests that cover that contract; every mutant must make some test fail.

    python tools/mutate_asserts.py [--contract IwoGovernor] [--workdir /tmp/iwo-mutants]

Works on a copy of the repository (the working tree is never touched) and prints one line
per assert: KILLED (a test failed) or SURVIVED (no test noticed). Exit 1 if any survived.
Slow (a compile and a test run per assert): not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = {
    "IwoGovernor": ["tests/test_governor_*.py", "tests/security", "tests/test_smoke_life.py"],
    "IwoTreasury": ["tests/test_treasury_*.py", "tests/security", "tests/test_factory.py"],
    "IwoCard": ["tests/test_card.py", "tests/security/test_soulbound.py", "tests/test_factory.py"],
    "IwoFactory": [
        "tests/test_factory.py",
        "tests/security/test_factory_abuse.py",
        "tests/security/test_initializers.py",
    ],
}


def asserts(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line indexes of each assert statement (multi-line aware)."""
    found = []
    i = 0
    while i < len(lines):
        if lines[i].lstrip().startswith("assert "):
            depth, j = 0, i
            while True:
                code = re.sub(r'"[^"]*"', '""', lines[j])
                depth += code.count("(") + code.count("[") - code.count(")") - code.count("]")
                if depth <= 0 and re.search(r'"\s*(#.*)?$', lines[j]):
                    break
                j += 1
            found.append((i, j))
            i = j + 1
        else:
            i += 1
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contract", choices=sorted(TESTS), action="append")
    parser.add_argument("--workdir", default="/tmp/iwo-mutants")
    args = parser.parse_args()
    work = Path(args.workdir)
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(
        ROOT,
        work,
        ignore=shutil.ignore_patterns(".venv", "tools/node_modules", ".build", ".iwo", ".hypothesis", "__pycache__"),
    )
    env = dict(
        os.environ,
        APE_DATA_FOLDER=str(work / ".ape"),
        IWO_FUZZ_EXAMPLES="60",
        PATH=f"{ROOT / '.venv/bin'}:{ROOT / 'tools/node_modules/@foundry-rs/anvil-linux-amd64/bin'}:"
        f"{os.environ['PATH']}",
    )
    survived = []
    for contract in args.contract or sorted(TESTS):
        path = work / "contracts" / f"{contract}.vy"
        original = path.read_text()
        lines = original.splitlines(keepends=True)
        for first, last in asserts(lines):
            indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
            mutant = lines[:first] + [indent + "pass  # mutant\n"] + lines[last + 1 :]
            path.write_text("".join(mutant))
            label = f"{contract}.vy:{first + 1} {lines[first].strip()[:70]}"
            started = time.time()
            tests = [str(p.relative_to(work)) for pattern in TESTS[contract] for p in sorted(work.glob(pattern))]
            # force: Ape's incremental build can miss an edit made within the same second
            subprocess.run(
                [str(ROOT / ".venv/bin/ape"), "compile", "--force"], cwd=work, env=env, capture_output=True, text=True
            )
            run = subprocess.run(
                [str(ROOT / ".venv/bin/ape"), "test", *tests, "-x", "-q", "-p", "no:cacheprovider"],
                cwd=work,
                env=env,
                capture_output=True,
                text=True,
            )
            verdict = "KILLED  " if run.returncode != 0 else "SURVIVED"
            if run.returncode != 0 and "passed" not in run.stdout + run.stderr and "failed" not in run.stdout:
                verdict = "KILLED* "  # did not compile or collect: the assert is structurally needed
            if run.returncode == 0:
                survived.append(label)
            print(f"{verdict} {time.time() - started:5.0f}s {label}", flush=True)
        path.write_text(original)
    print(f"\n{len(survived)} mutant(s) survived" + "".join(f"\n  {s}" for s in survived))
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())

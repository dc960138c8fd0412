"""Mutation check: delete each `assert` of the production contracts (and disable each
`if ...: raise` guard), one at a time, and run the tests that cover that file; every
mutant must make some test fail.

    python tools/mutate_asserts.py [--contract governor/proposals] [--limit N] [--line L] [--workdir DIR]

A contract is a file under contracts/ without .vy: the governor's modules
(governor/settings, governor/roll, governor/proposals, governor/ballots), IwoGovernor,
IwoTreasury, IwoCard, IwoFactory. Works on a copy of the repository (the working tree is
never touched) and prints one line per guard: KILLED (a test failed) or SURVIVED (no test
noticed). Exit 1 if any survived. The covering tests run on titanoboa, which compiles the
mutated sources itself (keyed by their content), so no Ape compile is needed.
Slow (a compile and a test run per guard): not part of `make test`.
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
GOVERNOR_TESTS = ["tests/contracts/test_*.py", "tests/security/test_*.py"]
ESCROW_TESTS = ["tests/contracts/escrow", "tests/security/escrow"]
TESTS = {
    "governor/settings": GOVERNOR_TESTS,
    "governor/roll": GOVERNOR_TESTS,
    "governor/proposals": GOVERNOR_TESTS,
    "governor/ballots": GOVERNOR_TESTS,
    "IwoGovernor": GOVERNOR_TESTS,
    "IwoTreasury": [
        "tests/contracts/test_treasury_*.py",
        "tests/security/test_*.py",
        "tests/contracts/test_factory.py",
        "tests/contracts/test_clone_guards.py",
        "tests/contracts/escrow/test_payouts.py",  # receive_fee, the escrow's entry
        "tests/contracts/aid",
        "tests/security/aid",
    ],
    "IwoCard": [
        "tests/contracts/test_card.py",
        "tests/security/test_soulbound.py",
        "tests/contracts/test_factory.py",
        "tests/contracts/test_clone_guards.py",
    ],
    "IwoFactory": [
        "tests/contracts/test_factory.py",
        "tests/contracts/test_clone_guards.py",
        "tests/security/test_factory_abuse.py",
        "tests/security/test_initializers.py",
    ],
    "IwoMutualAid": ["tests/contracts/aid", "tests/security/aid"],
    "IwoRates": ["tests/contracts/rates", "tests/security/rates"],
    "IwoEscrow": ESCROW_TESTS,
    "escrow/panel": ESCROW_TESTS,
    "escrow/payouts": ESCROW_TESTS,
    "escrow/randao": ESCROW_TESTS,
}


def guarded_raises(lines: list[str]) -> list[int]:
    """Line indexes of each one-line `if ...:` / `elif ...:` whose body starts with `raise` or with
    the escrow's `reverts._fail(` (its asserts, written once to fit the size limit)."""
    return [
        i
        for i in range(len(lines) - 1)
        if re.match(r"\s*(el)?if .*:\s*(#.*)?$", lines[i])
        and lines[i + 1].lstrip().startswith(("raise ", "reverts._fail("))
    ]


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
    parser.add_argument("--limit", type=int, default=0, help="only the first N guards of each contract")
    parser.add_argument("--line", type=int, action="append", help="only the guard starting on this line")
    parser.add_argument("--workdir", default="/tmp/iwo-mutants")
    args = parser.parse_args()
    work = Path(args.workdir)
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(
        ROOT,
        work,
        ignore=shutil.ignore_patterns(".venv", "node_modules", ".build", ".iwo", ".hypothesis", "__pycache__", ".git"),
    )
    env = dict(
        os.environ,
        PYTHONPATH=f"{work / 'cli'}:{os.environ.get('PYTHONPATH', '')}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    survived = []
    for contract in args.contract or sorted(TESTS):
        path = work / "contracts" / f"{contract}.vy"
        original = path.read_text()
        lines = original.splitlines(keepends=True)
        mutants = []
        for first, last in asserts(lines):
            indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
            mutants.append((first, lines[:first] + [indent + "pass  # mutant\n"] + lines[last + 1 :]))
        for first in guarded_raises(lines):
            indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
            keyword = lines[first].lstrip().split(" ", 1)[0]  # if / elif
            mutants.append((first, lines[:first] + [f"{indent}{keyword} False:  # mutant\n"] + lines[first + 1 :]))
        mutants.sort(key=lambda m: m[0])
        if args.line:
            mutants = [m for m in mutants if m[0] + 1 in args.line]
        if args.limit:
            mutants = mutants[: args.limit]
        tests = [str(p.relative_to(work)) for pattern in TESTS[contract] for p in sorted(work.glob(pattern))]
        for first, mutant in mutants:
            path.write_text("".join(mutant))
            label = f"{contract}.vy:{first + 1} {lines[first].strip()[:70]}"
            started = time.time()
            run = subprocess.run(
                [sys.executable, "-m", "pytest", "-p", "no:ape_test", "-p", "no:cacheprovider", *tests, "-x", "-q"],
                cwd=work,
                env=env,
                capture_output=True,
                text=True,
            )
            verdict = "KILLED  " if run.returncode != 0 else "SURVIVED"
            if run.returncode != 0 and "passed" not in run.stdout + run.stderr and "failed" not in run.stdout:
                verdict = "KILLED* "  # did not compile or collect: the guard is structurally needed
            if run.returncode == 0:
                survived.append(label)
            print(f"{verdict} {time.time() - started:5.0f}s {label}", flush=True)
        path.write_text(original)
    print(f"\n{len(survived)} mutant(s) survived" + "".join(f"\n  {s}" for s in survived))
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())

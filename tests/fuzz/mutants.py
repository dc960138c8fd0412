"""Mutation check of the state machine: can its properties fail?

Each mutant is an in-memory copy of one contract with one guard deleted (or
one line changed), compiled with boa.loads_partial; nothing on disk changes.
The state machine of test_collective_state_machine.py runs against each
mutant and must fail. Not collected by pytest (the name does not start with
test_); run it by hand:

    cd /work/main && .venv/bin/python tests/fuzz/mutants.py            # all
    .venv/bin/python tests/fuzz/mutants.py double-vote --shrink         # one, minimised

Each mutant compiles once (~10 s; then cached in .cache/titanoboa).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from hypothesis import HealthCheck, Phase, settings  # noqa: E402
from hypothesis.stateful import run_state_machine_as_test  # noqa: E402

# name, contract (a file under contracts/, without .vy), mutation, property
# expected to fail[, the fewest examples that find it]. A mutation is a revert
# message (the `assert` statement carrying it is deleted, however it is
# formatted) or an (old, new) pair of source text.
MUTANTS = [
    # a second vote by the same member needs the right draw: found within 200 examples most runs, not all
    ("double-vote", "governor/proposals", '"governor: already voted"', "(b) one vote per member", 600),
    (
        "arrears-vote",
        "governor/proposals",
        '"governor: dues in arrears at snapshot"',
        "(c) only eligible voters counted",
    ),
    ("stranger-vote", "governor/proposals", '"governor: not a member at snapshot"', "(c) only eligible voters counted"),
    (
        "vote-on-canceled",
        "governor/proposals",
        '"governor: proposal canceled"',
        "(c)/(d) a canceled proposal gains votes",
    ),
    (
        "late-cancel",
        "governor/proposals",
        ("    if state != ProposalState.PENDING:\n", "    if False:\n"),
        "(d) Active -> Canceled",
    ),
    ("queue-anything", "governor/proposals", '"governor: proposal not succeeded"', "(d) Defeated/Expired -> Queued"),
    ("no-timelock", "governor/proposals", '"governor: timelock not elapsed"', "execution before the eta"),
    ("propose-in-arrears", "governor/proposals", '"governor: dues in arrears"', "who may propose"),
    (
        "readmit-new-index",
        "governor/roll",
        (
            "        index = self._index(word)\n",
            "        index = self._next_index(roll)\n        self._roll = roll + (1 << NEXT_INDEX_OFFSET)\n",
        ),
        "(b) a re-admitted member votes twice on one proposal",
    ),
    (
        "count-on-leave",
        "governor/roll",
        ("count: uint256 = self._count(self._roll) - 1", "count: uint256 = self._count(self._roll)"),
        "(e) card count == admitted - revoked - resigned",
    ),
    (
        "share-off-by-one",
        "governor/settings",
        (
            "return part * BPS + whole // 2 >= share_bps * whole",
            "return part * BPS + whole // 2 > share_bps * whole",
        ),
        "(d) state == model (quorum and threshold boundary)",
    ),
    (
        "share-unrounded",
        "governor/settings",
        (
            "return part * BPS + whole // 2 >= share_bps * whole",
            "return part * BPS >= share_bps * whole",
        ),
        "(d) state == model (2 of 3 reach 6667)",
        1000,  # needs a constitutional or 6667-quorum vote decided 2 to 1
    ),
    (
        "spend-the-pool",
        "IwoTreasury",
        (
            'assert self._balance(asset) >= self.pool[asset] + amount, "treasury: insufficient funds"',
            "pass  # mutant: pay may spend the pool",
        ),
        "(a) the pool stays ring-fenced",
    ),
    (
        "dues-log-one-period",
        "IwoTreasury",
        (
            "        amount=amount,\n        periods=periods,",
            "        amount=self._aid_dues >> _OFF_AMOUNT,\n        periods=periods,",
        ),
        "(a) books rebuilt from events",
    ),
    (
        "dues-share-unlogged",
        "IwoTreasury",
        ("        to_pool=to_pool,\n        pool=pool,\n    )", "        to_pool=0,\n        pool=pool,\n    )"),
        "(a) the pool rebuilt from events",
    ),
]


# Mutants of IwoMutualAid, run against the mutual-aid machine (test_aid_state_machine.py).
AID_MUTANTS = [
    (
        "aid-no-pro-rata",
        "IwoMutualAid",
        (
            "its share with one\n            amount += monthly * ((record >> _OFF_R_ALLOWED) & _M112) // demand",
            "its share with one\n            amount += monthly",
        ),
        "(c) payouts of a month within its allowance",
    ),
    (
        "aid-no-throttle",
        "IwoMutualAid",
        ("allowed: uint256 = min(demand, pool // divisor)", "allowed: uint256 = demand"),
        "(c) allowed <= pool // divisor",
    ),
    (
        "aid-pay-twice",
        "IwoMutualAid",
        (
            "self._payouts[index] = (p & ~(_M8 << _OFF_P_SETTLED)) | (last + 1 - first) << _OFF_P_SETTLED",
            "pass  # mutant: months never settle",
        ),
        "(b) a claim paid more than monthly x months",
    ),
    ("aid-second-claim", "IwoMutualAid", '"aid: claim already open"', "one open claim (model)"),
    ("aid-member-cap", "IwoMutualAid", '"aid: over the member cap"', "(b) member cap"),
    (
        "aid-own-claim-vote",
        "IwoMutualAid",
        ('    assert voter != index, "aid: own claim"\n', ""),
        "ballots (model)",
    ),
    (
        "aid-ended-still-counts",
        "IwoMutualAid",
        ("        self._schedule[month + 1] += monthly << _OFF_S_ENDS\n", ""),
        "(c) demand == model after an end",
    ),
]


def mutate(source: str, mutation) -> str:
    if isinstance(mutation, tuple):
        old, new = mutation
        assert source.count(old) == 1, f"mutation site not unique: {old!r}"
        return source.replace(old, new)
    lines = source.split("\n")
    hits = [i for i, line in enumerate(lines) if mutation in line]
    assert len(hits) == 1, f"revert message {mutation} found {len(hits)} times"
    start = hits[0]
    while not lines[start].lstrip().startswith("assert"):  # multi-line statement
        start -= 1
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    return "\n".join(lines[:start] + [indent + "pass  # mutant: guard deleted"] + lines[hits[0] + 1 :])


def run(name, contract, mutation, expect, examples, shrink):
    source = (harness.CONTRACTS / f"{contract}.vy").read_text()
    label = f"mutant_{name.replace('-', '_')}"
    if contract == "IwoMutualAid":
        import boa
        import test_aid_state_machine as A

        fake = harness.CONTRACTS / f"{contract}_{label}.vy"  # never written: resolves imports
        deployer = boa.loads_partial(mutate(source, mutation), name=contract, filename=str(fake), dedent=False)
        aid_world = A._World(deployer, label=label)

        class Mutant(A.AidMachine):
            world = aid_world

    else:
        import test_collective_state_machine as T

        world = harness.build_world({contract: mutate(source, mutation)}, label=label)

        class Mutant(T.CollectiveMachine):
            world_factory = staticmethod(lambda: world)

    phases = [Phase.generate, Phase.shrink] if shrink else [Phase.generate]
    config = settings(
        max_examples=examples,
        stateful_step_count=int(os.environ.get("IWO_FUZZ_STEPS", "30")),
        deadline=None,
        database=None,
        phases=phases,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    start = time.time()
    try:
        run_state_machine_as_test(Mutant, settings=config)
    except BaseException as exc:  # noqa: BLE001 - any failure kills the mutant
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(
            f"KILLED   {name:22s} {time.time() - start:5.1f}s  [{expect}]\n         {type(exc).__name__}: {first[:160]}"
        )
        return True
    print(f"SURVIVED {name:22s} {time.time() - start:5.1f}s  [{expect}]")
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="mutants to run (default: all)")
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--shrink", action="store_true", help="minimise the failing sequence (slower)")
    args = parser.parse_args()
    harness.setup_boa()
    harness.default_world()
    chosen = [m for m in MUTANTS + AID_MUTANTS if not args.names or m[0] in args.names]
    killed = sum(run(*m[:4], examples=max([args.examples, *m[4:]]), shrink=args.shrink) for m in chosen)
    print(f"{killed}/{len(chosen)} mutants killed")
    return 0 if killed == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main())

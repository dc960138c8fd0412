"""Hostile or mistaken input to `iwo job` and `iwo panel`: each case is one clear line, a
non-zero exit, and nothing sent (the sender's nonce and the chain's head stay put).

Five founders; test1..test4 pay a year of dues, test5 never pays and has lapsed after eight
days. The client test7 funds job #1 (two milestones) for test1; job #2 is delivered.
"""

from __future__ import annotations

import pytest
from jobs_kit import CLIENT, FOUNDERS, OUTSIDER, WORKER, address

MISCHECKSUMMED = "0x70997970c51812dc3A010C7d01b50e0d17dc79C8"


@pytest.fixture(scope="module")
def founder_accounts():
    return FOUNDERS


@pytest.fixture(scope="module")
def jobs(iwo, collective):
    for name in FOUNDERS[:4]:
        iwo.ok("dues", "pay", "--periods", "12", "--account", name)
    iwo.ok("node", "advance", "8d")
    assert iwo.json("members", "show", "test5")["standing"] == "lapsed"
    first = iwo.json(
        "job", "create", "--worker", WORKER, "--milestone", "1@30d", "--milestone", "0.5@40d", "--account", CLIENT
    )
    second = iwo.json("job", "create", "--worker", WORKER, "--milestone", "1@30d", "--account", CLIENT)
    iwo.ok("job", "deliver", "2", "--account", WORKER)
    return first, second


def create(*args):
    return ("job", "create", "--worker", WORKER, *args, "--account", CLIENT)


# (arguments, sender, expected line, usage error?)
CREATE_CASES = [
    (create("--milestone", "1,5@30d"), "milestone 1 amount: not an amount: '1,5' (digits 0-9 and one '.', e.g. 0.5)"),
    (
        create("--milestone", "\u0661@30d"),
        "milestone 1 amount: not an amount: '\u0661' (digits 0-9 and one '.', e.g. 0.5)",
    ),
    (create("--milestone", "-1@30d"), "milestone 1 amount: amount must be a non-negative number: '-1'"),
    (create("--milestone", "0@30d"), "milestone 1 amount must be more than zero (got '0')"),
    (
        create("--milestone", "0.0000000000000000001@30d"),
        "milestone 1 amount: '0.0000000000000000001' has more than 18 decimals",
    ),
    (create("--milestone", "9" * 20 + "@30d"), f"milestone 1 amount '{'9' * 20}' is above what the escrow can hold"),
    (create("--milestone", "1"), "milestone 1: write AMOUNT@DUE, e.g. 0.5@30d or 0.5@2027-01-31 (got '1')"),
    (
        create("--milestone", "1@soon"),
        "not a due date: 'soon' (a duration from now like 30d, or a UTC date like 2027-01-31)",
    ),
    (create("--milestone", "1@2027-02-30"), "not a date: '2027-02-30'"),
    (create("--milestone", "1@800d"), None),  # too far: the exact date depends on the chain's time
    (create("--milestone", "1@2020-01-01"), None),  # in the past
    (create(), "give at least one milestone: --milestone AMOUNT@DUE (e.g. 0.5@30d)"),
    (create(*[a for _ in range(17) for a in ("--milestone", "0.1@30d")]), "at most 16 milestones per job; 17 given"),
    (
        create("--milestone", "1@30d", "--review-window", "12h"),
        "--review-window must be 1d to 60d (leave it out for the collective's default)",
    ),
    (
        create("--milestone", "1@30d", "--category", "x" * 33),
        "--category too long: 33 bytes, at most 32 bytes of UTF-8",
    ),
    (create("--milestone", "1@30d", "--quantity", "5"), "--quantity needs --unit (what is counted)"),
    (
        create("--milestone", "1@30d", "--unit", "hour", "--quantity", "1.0001"),
        "--quantity: '1.0001' has more than 3 decimals",
    ),
    (create("--milestone", "1@30d", "--terms-hash", "abc"), "--terms-hash takes 64 hex digits (a sha256), got 'abc'"),
    (create("--milestone", "1@30d", "--asset", "0x1234"), "not an address: '0x1234' (token)"),
]


@pytest.mark.parametrize("args, expected", CREATE_CASES, ids=[str(i) for i in range(len(CREATE_CASES))])
def test_create_refuses_bad_input(iwo, jobs, args, expected):
    message = iwo.refused(*args, sender=CLIENT)
    if expected is not None:
        assert message == expected
    elif "800d" in args[5]:
        assert message.startswith("milestone 1 is due ") and message.endswith(": at most 730 days ahead")
    else:
        assert message.startswith("milestone 1 is due 2020-01-01 23:59 UTC, which is not in the future (chain time ")


def test_create_refuses_bad_workers(iwo, jobs):
    def refused(worker, sender=CLIENT):
        return iwo.refused(
            "job", "create", "--worker", worker, "--milestone", "1@30d", "--account", sender, sender=sender
        )

    assert refused(OUTSIDER) == (
        f"{address(OUTSIDER)} is not a member of riders-collective: the worker must be a member in good standing"
    )
    assert refused("test5") == f"{address('test5')} is behind on dues: the worker must be a member in good standing"
    assert refused(WORKER, sender=WORKER) == f"the client cannot be the worker: {address(WORKER)} is the --account"
    assert refused(MISCHECKSUMMED) == f"bad checksum in address '{MISCHECKSUMMED}' (--worker); check for a typo"
    assert refused("alice") == "not an address or known account: 'alice' (--worker)"


def test_the_wrong_account_for_each_action(iwo, jobs):
    worker, client = address(WORKER), address(CLIENT)
    cases = [
        (
            ("job", "deliver", "1", "--milestone", "1"),
            CLIENT,
            f"only the worker of job #1 ({worker}) delivers; --account is {client}",
        ),
        (
            ("job", "refund", "1", "--milestone", "1"),
            CLIENT,
            f"only the worker of job #1 ({worker}) refunds; --account is {client}",
        ),
        (
            ("job", "add", "1", "--milestone", "1@9d"),
            WORKER,
            f"only the client of job #1 ({client}) adds milestones; --account is {worker}",
        ),
        (("job", "dispute", "2"), WORKER, f"only the client of job #2 ({client}) disputes; --account is {worker}"),
        (
            ("job", "release", "1", "--milestone", "1", "--amount", "0.1"),
            OUTSIDER,
            f"only the client of job #1 ({client}) releases part of a milestone",
        ),
        (
            ("job", "release", "1", "--milestone", "1"),
            OUTSIDER,
            f"milestone 1 of job #1 is not delivered: only its client ({client}) can release it now",
        ),
        (
            ("job", "review", "2", "--rating", "3"),
            OUTSIDER,
            f"only the client or the worker of job #2 can review it; --account is {address(OUTSIDER)}",
        ),
        (("panel", "appeal", "2"), CLIENT, "milestone 1 of job #2 is not disputed"),
    ]
    for args, sender, expected in cases:
        assert iwo.refused(*args, "--account", sender, sender=sender) == expected, args


def test_unknown_jobs_and_milestones(iwo, jobs):
    def refused(*args, usage=False):
        return iwo.refused(*args, "--account", CLIENT, sender=CLIENT, usage=usage)

    assert refused("job", "release", "99") == "no job #99 in riders-collective (ids run 1 to 2)"
    assert refused("job", "release", "1") == "job #1 has 2 milestones: name one with --milestone N (1 to 2)"
    assert refused("job", "release", "1", "--milestone", "3") == "job #1 has no milestone 3 (1 to 2)"
    assert (
        refused("job", "release", "1", "--milestone", "1", "--amount", "2") == "milestone 1 of job #1 holds only 1 ETH"
    )
    assert refused("job", "release", "0", usage=True).endswith("ids start at 1")
    assert refused("job", "release", "1", "--milestone", "1", "--amount", "-1", usage=True).endswith(
        "amount must be a non-negative number: '-1'"
    )
    assert refused("panel", "commit", "2", "--split", "101%", usage=True).endswith("percentage out of range: '101%'")


def test_state_refusals(iwo, jobs):
    assert iwo.refused("job", "deliver", "2", "--account", WORKER, sender=WORKER).startswith(
        "milestone 1 of job #2 was already delivered on "
    )
    assert iwo.refused("job", "reclaim", "2", "--account", CLIENT, sender=CLIENT) == (
        "milestone 1 of job #2 was delivered: it is released or disputed, not reclaimed"
    )
    assert iwo.refused("job", "dispute", "1", "--milestone", "1", "--account", CLIENT, sender=CLIENT) == (
        "milestone 1 of job #1 is not delivered: there is nothing to dispute yet"
    )
    assert iwo.refused("job", "review", "2", "--rating", "5", "--account", CLIENT, sender=CLIENT) == (
        "job #2 has not ended (milestone 1 of job #2 is delivered): reviews open once every milestone is settled"
    )
    assert iwo.refused("job", "withdraw", "--account", WORKER, sender=WORKER) == (
        f"nothing is credited to {address(WORKER)} in the escrow"
    )
    assert iwo.refused("panel", "draw", "1", "--milestone", "1", "--account", OUTSIDER, sender=OUTSIDER) == (
        "milestone 1 of job #1 is not disputed"
    )


def test_a_client_who_cannot_pay(iwo, jobs):
    """The client cannot pay for the milestone: refused before signing."""
    message = iwo.refused(
        "job", "create", "--worker", WORKER, "--milestone", "100000@30d", "--account", CLIENT, sender=CLIENT
    )
    assert message == f"{address(CLIENT)} holds less than 100000 ETH"


def test_a_dispute_after_the_review_window(iwo, jobs):
    iwo.ok("node", "advance", "14d1m")
    assert iwo.refused("job", "dispute", "2", "--account", CLIENT, sender=CLIENT).startswith(
        "the review window of milestone 1 of job #2 closed "
    )

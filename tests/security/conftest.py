"""Fixtures and helpers for the attack tests (one module per attack), on titanoboa.

The shared fixtures of ``utils/boa_fixtures.py`` (organizer, founders, member,
newcomer, outsider, factory, create, collective, token, gov_helpers, relay; one
block per transaction) are used as they are; this file only adds what the
attacks need on top:

* ``flow``: drives a proposal to exact timestamps read from ``proposal(id)``,
  so that a second proposal can still be open while the first executes
  (admissions, revocations and settings changes "under" a running vote);
* ``paid``: a collective whose founders prepaid a year, for long timelines;
* hostile helper contracts from ``contracts/test`` (re-entrancy probe and
  token, forced-ETH sender, action sink).

Constants and plain helpers live in ``attack_helpers.py``.
"""

from types import SimpleNamespace

import boa
import pytest
from attack_helpers import DAY, ETH, FOR, ONE, at, deploy, pending, prepay
from utils.boa_fixtures import *  # noqa: F403  (the shared fixtures, used by name)


@pytest.fixture
def paid(collective, founders):
    """The default collective with every founder's dues prepaid for a year,
    so timelines longer than the 7-day grace keep them in good standing."""
    prepay(collective, founders)
    return collective


@pytest.fixture
def funded(paid, outsider):
    """`paid` plus 1 ETH donated to the treasury."""
    paid.treasury.donate(ETH, ONE, "seed", sender=outsider, value=ONE)
    return paid


@pytest.fixture
def crowd(accounts):
    """Four funded test accounts that hold no card at first (admitted by vote in some attacks)."""
    return [accounts[5], accounts[6], accounts[7], accounts[8]]


@pytest.fixture
def probe(organizer):
    return deploy("ReentrantProbe", organizer)


@pytest.fixture
def sink(organizer):
    return deploy("ActionSink", organizer)


@pytest.fixture(scope="session")
def flow(gov_helpers):
    """Drives proposals by the exact times in `proposal(id)`.

    start(c, proposer, actions, voters): propose, jump to the vote start,
        cast the voters' votes; returns the id.
    midway(c, pid): jump half a day into pid's vote (a proposal made then is
        still open when pid executes at the earliest time).
    close(c, pid): jump to pid's vote end (if not already past it).
    queue(c, pid, sender): close and queue.
    finish(c, pid, actions, sender): close, queue, wait for the eta, execute
        (the events are then those of `c.governor`).
    """

    def start(c, proposer, actions=(), voters=(), support=FOR, description="attack"):
        pid = gov_helpers.propose(c, proposer, list(actions), description)
        at(c.governor.proposal(pid).vote_start)
        for v in voters:
            c.governor.cast_vote(pid, support, sender=v)
        return pid

    def midway(c, pid):
        at(c.governor.proposal(pid).vote_start + DAY // 2)

    def close(c, pid):
        end = c.governor.proposal(pid).vote_end
        if boa.env.timestamp < end:
            at(end)

    def queue(c, pid, sender):
        close(c, pid)
        c.governor.queue(pid, sender=sender)

    def finish(c, pid, actions, sender, value=None):
        queue(c, pid, sender)
        pending(max(c.governor.proposal(pid).eta, boa.env.timestamp + 1))
        if value is None:
            value = sum(a[1] for a in actions)
        c.governor.execute(pid, list(actions), sender=sender, value=value)

    def admit(c, who):
        return gov_helpers.action(c.governor, "admit_member", who if isinstance(who, str) else who.address)

    def revoke(c, who):
        return gov_helpers.action(c.governor, "revoke_member", who if isinstance(who, str) else who.address)

    return SimpleNamespace(
        start=start, midway=midway, close=close, queue=queue, finish=finish, admit=admit, revoke=revoke
    )

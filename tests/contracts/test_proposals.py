"""IwoGovernor.propose: who may propose, what is stored, which proposals are constitutional."""

import boa
import pytest
from eth_utils import to_checksum_address
from utils.boa_stack import at, events
from utils.constants import (
    ACTIVE,
    AGAINST,
    CANCELED,
    DEFEATED,
    ETH,
    EXECUTED,
    EXPIRED,
    FOR,
    PENDING,
    QUEUED,
    SETTINGS,
    SUCCEEDED,
    ZERO,
)


def _norm(actions):
    """Decoded event actions -> comparable (checksummed target, value, bytes data) tuples."""
    return [(to_checksum_address(str(t)), int(v), bytes(d)) for t, v, d in actions]


def _pay(h, c, to, amount=1):
    return h.action(c.treasury, "pay", ETH, to.address, amount)


# --- positive -------------------------------------------------------------


def test_propose_emits_proposal_created_with_actions_and_description(collective, member, outsider, gov_helpers):
    c, h = collective, gov_helpers
    actions = [_pay(h, c, outsider, 5), h.action(c.governor, "admit_member", outsider.address)]
    c.governor.propose(actions, "pay the lawyer, admit Ana", sender=member)
    (ev,) = events(c.governor, "ProposalCreated")
    assert ev["proposal_id"] == 1
    assert ev["proposer"] == member.address
    assert _norm(ev["actions"]) == [(to_checksum_address(a[0]), a[1], a[2]) for a in actions]
    assert ev["description"] == "pay the lawyer, admit Ana"


def test_propose_returns_sequential_ids_and_counts(collective, founders):
    gov = collective.governor
    assert gov.proposal_count() == 0
    assert gov.propose([], "first", sender=founders[0], simulate=True) == 1
    gov.propose([], "first", sender=founders[0])
    assert gov.proposal_count() == 1
    assert gov.propose([], "second", sender=founders[1], simulate=True) == 2
    assert gov.propose([], "second", sender=founders[1]) == 2
    assert events(gov, "ProposalCreated") == [
        dict(proposal_id=2, proposer=founders[1].address, actions=[], description="second")
    ]
    assert gov.proposal_count() == 2


def test_propose_stores_snapshot_window_and_proposer(collective, founders):
    gov = collective.governor
    gov.propose([], "window", sender=founders[2])
    created = boa.env.timestamp
    p = gov.proposal(1)
    assert p.proposer_index == 2  # third founder has roll index 2
    assert p.snapshot == created - 1
    assert p.vote_start == created + SETTINGS.voting_delay
    assert p.vote_end == p.vote_start + SETTINGS.voting_period
    assert (p.eta, p.votes_for, p.votes_against, p.votes_abstain) == (0, 0, 0, 0)
    assert p.constitutional is False
    assert p.settings_version == 0
    assert p.quorum_base == 3
    assert gov.state(1) == PENDING


def test_signal_proposal_with_no_actions_is_pending_and_ordinary(collective, member):
    gov = collective.governor
    gov.propose([], "adopt the rate guideline", sender=member)
    assert gov.state(1) == PENDING
    assert gov.proposal(1).constitutional is False


def test_propose_allowed_at_last_second_of_grace(collective, member):
    gov = collective.governor
    paid = gov.paid_through(member)
    at(paid + SETTINGS.dues_grace - 1)
    gov.propose([], "just in time", sender=member)
    assert boa.env.timestamp == paid + SETTINGS.dues_grace
    assert gov.proposal_count() == 1


def test_propose_after_paying_arrears(collective, member, gov_helpers):
    h, gov = gov_helpers, collective.governor
    h.travel(SETTINGS.dues_grace + 10)
    with boa.reverts("governor: dues in arrears"):
        gov.propose([], "late", sender=member)
    h.pay_dues(collective, member, member)
    gov.propose([], "paid up", sender=member)
    assert gov.state(1) == PENDING


def test_each_member_may_have_one_live_proposal(collective, founders):
    gov = collective.governor
    for f in founders:
        gov.propose([], "mine", sender=f)
    assert gov.proposal_count() == 3
    assert [gov.proposal(i).proposer_index for i in (1, 2, 3)] == [0, 1, 2]


def test_propose_again_after_cancel(collective, member):
    gov = collective.governor
    gov.propose([], "oops", sender=member)
    gov.cancel(1, sender=member)
    assert gov.state(1) == CANCELED
    gov.propose([], "again", sender=member)
    assert gov.state(2) == PENDING


def test_propose_again_after_defeat(collective, founders, gov_helpers):
    h, gov = gov_helpers, collective.governor
    h.propose(collective, founders[0], [], "unpopular")
    h.open_voting(collective)
    gov.cast_vote(1, AGAINST, sender=founders[1])
    h.close_voting(collective)
    assert gov.state(1) == DEFEATED
    h.propose(collective, founders[0], [], "better")
    assert gov.state(2) == PENDING


def test_propose_again_after_execution(collective, founders, gov_helpers):
    h, gov = gov_helpers, collective.governor
    pid = h.pass_proposal(collective, founders[0], founders[:2])
    assert gov.state(pid) == EXECUTED
    assert h.propose(collective, founders[0]) == pid + 1


def test_propose_again_after_expiry(collective, founders, gov_helpers):
    h, gov = gov_helpers, collective.governor
    h.propose(collective, founders[0])
    h.open_voting(collective)
    gov.cast_vote(1, FOR, sender=founders[0])
    h.close_voting(collective)
    assert gov.state(1) == SUCCEEDED
    with boa.reverts("governor: proposer has a live proposal"):
        gov.propose([], "too soon", sender=founders[0])
    h.pay_dues(collective, founders[0], founders[0])
    h.travel(SETTINGS.execution_window)
    assert gov.state(1) == EXPIRED
    gov.propose([], "now", sender=founders[0])
    assert gov.state(2) == PENDING


# --- constitutional classification ----------------------------------------


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda h, c, who: h.action(c.governor, "admit_member", who.address), False),
        (lambda h, c, who: h.action(c.governor, "revoke_member", who.address), True),
        (lambda h, c, who: h.action(c.governor, "update_settings", SETTINGS.as_tuple()), True),
        (lambda h, c, who: (c.governor.address, 0, b""), True),
        (lambda h, c, who: (c.governor.address, 0, b"\x01\x02\x03"), True),
        (lambda h, c, who: h.action(c.treasury, "pay", ETH, who.address, 1), False),
        (lambda h, c, who: h.action(c.treasury, "fund_pool", ETH, 1), False),
        (lambda h, c, who: h.action(c.aid, "set_terms", c.aid.terms()), False),
        (lambda h, c, who: h.action(c.treasury, "set_dues", ETH, 1, 86400), True),
        (lambda h, c, who: h.action(c.card, "set_base_uri", "ipfs://x/"), True),
        (lambda h, c, who: (who.address, 1, b""), False),
        # a look-alike selector elsewhere only raises the bar
        (lambda h, c, who: (who.address, 0, bytes(h.action(c.treasury, "set_dues", ETH, 1, 1)[2])), True),
    ],
    ids=[
        "admit",
        "revoke",
        "update_settings",
        "self-empty-data",
        "self-short-data",
        "treasury-pay",
        "treasury-fund_pool",
        "aid-set_terms",
        "treasury-set_dues",
        "card-set_base_uri",
        "eoa-transfer",
        "set_dues-lookalike",
    ],
)
def test_constitutional_flag_by_selector(collective, member, outsider, gov_helpers, make, expected):
    act = make(gov_helpers, collective, outsider)
    collective.governor.propose([act], "classify", sender=member)
    assert collective.governor.proposal(1).constitutional is expected


def test_one_constitutional_action_makes_the_whole_proposal_constitutional(collective, member, outsider, gov_helpers):
    h, c = gov_helpers, collective
    acts = [
        h.action(c.governor, "admit_member", outsider.address),
        _pay(h, c, outsider),
        h.action(c.governor, "revoke_member", outsider.address),
    ]
    c.governor.propose(acts, "mixed", sender=member)
    assert c.governor.proposal(1).constitutional is True


# --- negative -------------------------------------------------------------


def test_propose_by_outsider_reverts(collective, outsider):
    with boa.reverts("governor: not a member"):
        collective.governor.propose([], "hi", sender=outsider)


def test_propose_by_former_member_reverts(collective, founders):
    gov = collective.governor
    gov.resign(sender=founders[2])
    with boa.reverts("governor: not a member"):
        gov.propose([], "hi", sender=founders[2])


def test_propose_in_arrears_reverts_one_second_after_grace(collective, member):
    gov = collective.governor
    at(gov.paid_through(member) + SETTINGS.dues_grace)  # the next transaction runs one second later
    with boa.reverts("governor: dues in arrears"):
        gov.propose([], "late", sender=member)


def test_propose_with_live_pending_proposal_reverts(collective, member):
    gov = collective.governor
    gov.propose([], "one", sender=member)
    with boa.reverts("governor: proposer has a live proposal"):
        gov.propose([], "two", sender=member)


def test_propose_with_live_active_proposal_reverts(collective, member, gov_helpers):
    gov = collective.governor
    gov.propose([], "one", sender=member)
    gov_helpers.open_voting(collective)
    assert gov.state(1) == ACTIVE
    with boa.reverts("governor: proposer has a live proposal"):
        gov.propose([], "two", sender=member)


def test_propose_with_live_queued_proposal_reverts(collective, founders, gov_helpers):
    h, gov = gov_helpers, collective.governor
    pid = h.pass_proposal(collective, founders[0], founders[:2], execute=False)
    assert gov.state(pid) == QUEUED
    h.pay_dues(collective, founders[0], founders[0])
    with boa.reverts("governor: proposer has a live proposal"):
        gov.propose([], "two", sender=founders[0])


def test_propose_zero_target_reverts(collective, member, outsider, gov_helpers):
    acts = [_pay(gov_helpers, collective, outsider), (ZERO, 0, b"")]
    with boa.reverts("governor: zero target"):
        collective.governor.propose(acts, "burn it", sender=member)
    assert collective.governor.proposal_count() == 0


def test_propose_refuses_ether(collective, member):
    # a non-payable function reverts without a reason string
    with boa.reverts(compiler="bad calldatasize or callvalue"):
        collective.governor.propose([], "with a tip", sender=member, value=1)

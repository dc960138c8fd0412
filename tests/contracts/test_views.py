"""IwoGovernor views: EIP-712 / EIP-5267 domain, ERC-165, wiring, proposal facts, eligibility."""

import boa
import pytest
from eth_abi import encode
from eth_utils import keccak
from utils.boa_stack import at, events
from utils.constants import (
    ABSTAIN,
    ACTIVE,
    AGAINST,
    DAY,
    DUES_NOT_COVERING_SNAPSHOT,
    ELIGIBLE,
    ETH,
    EXECUTED,
    FOR,
    NO_CARD_AT_SNAPSHOT,
    PENDING,
    QUEUED,
    SETTINGS,
    SUCCEEDED,
)

from iwo.ballot import Ballot

ZERO32 = b"\x00" * 32


def _domain_separator(chain_id, verifying_contract):
    typehash = keccak(text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
    return keccak(
        encode(
            ["bytes32", "bytes32", "bytes32", "uint256", "address"],
            [typehash, keccak(text="iwo"), keccak(text="1"), chain_id, verifying_contract],
        )
    )


# --- EIP-712 / EIP-5267 ---------------------------------------------------


def test_eip712_domain_per_eip5267(collective, chain_id):
    gov = collective.governor
    fields, name, version, domain_chain_id, verifying, salt, extensions = gov.eip712Domain()
    assert bytes(fields) == b"\x0f"  # name, version, chainId, verifyingContract
    assert name == "iwo"
    assert version == "1"
    assert domain_chain_id == chain_id
    assert verifying == gov.address
    assert bytes(salt) == ZERO32
    assert list(extensions) == []


def test_domain_separator_matches_eip712(collective, create, chain_id):
    gov = collective.governor
    expected = _domain_separator(chain_id, str(gov.address))
    assert bytes(gov.DOMAIN_SEPARATOR()) == expected
    other = create(name="Other", symbol="OT").governor
    assert bytes(other.DOMAIN_SEPARATOR()) == _domain_separator(chain_id, str(other.address))
    assert bytes(other.DOMAIN_SEPARATOR()) != expected


def test_ballot_typehash(collective):
    expected = keccak(text="Ballot(uint256 proposalId,uint8 support,address voter,uint256 expiry,string reason)")
    assert bytes(collective.governor.BALLOT_TYPEHASH()) == expected


@pytest.mark.parametrize(
    "pid, support, expiry, reason",
    [
        (1, FOR, 1_900_000_000, ""),
        (7, AGAINST, 0, "too expensive"),
        (2**32, ABSTAIN, 2**256 - 1, "pasó la huelga — ✊"),
        (3, FOR, 12345, "x" * 512),
    ],
)
def test_ballot_digest_equals_cli_ballot(collective, founders, chain_id, pid, support, expiry, reason):
    gov = collective.governor
    ballot = Ballot(
        chain_id=chain_id,
        governor=str(gov.address),
        proposal_id=pid,
        support=support,
        voter=founders[1].address,
        expiry=expiry,
        reason=reason,
    )
    assert bytes(gov.ballot_digest(pid, support, founders[1], expiry, reason)) == ballot.digest()


def test_ballot_digest_depends_on_every_field(collective, create, founders):
    gov = collective.governor
    base = (1, FOR, founders[1].address, 1000, "r")
    digest = bytes(gov.ballot_digest(*base))
    variants = [
        (2, FOR, founders[1].address, 1000, "r"),
        (1, AGAINST, founders[1].address, 1000, "r"),
        (1, FOR, founders[2].address, 1000, "r"),
        (1, FOR, founders[1].address, 1001, "r"),
        (1, FOR, founders[1].address, 1000, "R"),
    ]
    digests = {bytes(gov.ballot_digest(*v)) for v in variants}
    assert digest not in digests and len(digests) == len(variants)
    other = create(name="Other", symbol="OT").governor
    assert bytes(other.ballot_digest(*base)) != digest


# --- ERC-165 and wiring ---------------------------------------------------


@pytest.mark.parametrize(
    "interface_id, expected",
    [("0x01ffc9a7", True), ("0xffffffff", False), ("0x00000000", False), ("0x80ac58cd", False)],
)
def test_supports_interface(collective, interface_id, expected):
    assert collective.governor.supportsInterface(bytes.fromhex(interface_id[2:])) is expected


def test_clone_is_wired_and_initialized(collective):
    c = collective
    assert c.governor.initialized()
    assert c.governor.card() == c.card.address
    assert c.governor.treasury() == c.treasury.address
    assert c.card.governor() == c.governor.address
    assert c.treasury.governor() == c.governor.address


def test_initialize_twice_reverts(collective, founders):
    c = collective
    with boa.reverts("governor: already initialized"):
        c.governor.initialize(c.card, c.treasury, [founders[0]], SETTINGS.as_tuple(), sender=founders[0])


def test_implementation_is_locked(implementations, founders, collective):
    impl = implementations.governor
    assert impl.initialized()
    assert impl.card() == impl.address
    with boa.reverts("governor: already initialized"):
        impl.initialize(collective.card, collective.treasury, [founders[0]], SETTINGS.as_tuple(), sender=founders[0])


def test_constants(collective):
    gov = collective.governor
    assert gov.MAX_ACTIONS() == 8
    assert gov.MAX_CALLDATA() == 512
    assert gov.MAX_DESCRIPTION() == 2048
    assert gov.MAX_REASON() == 512
    assert gov.MAX_FOUNDERS() == 64
    assert gov.MAX_MEMBERS() == 2**24 - 1
    assert gov.MAX_DURATION() == 365 * DAY
    assert gov.MAX_PREPAID() == 100 * 365 * DAY


# --- proposal() -----------------------------------------------------------


def test_proposal_view_through_its_life(collective, founders):
    c = collective
    gov = c.governor
    gov.propose([], "facts", sender=founders[1])
    t = boa.env.timestamp
    start = t + SETTINGS.voting_delay
    end = start + SETTINGS.voting_period
    facts = dict(
        state=PENDING,
        proposer_index=1,
        snapshot=t - 1,
        vote_start=start,
        vote_end=end,
        eta=0,
        execution_deadline=end + SETTINGS.execution_window,
        votes_for=0,
        votes_against=0,
        votes_abstain=0,
        constitutional=False,
        settings_version=0,
        quorum_base=3,
        quorum_votes=1,  # 25 % of 3 members, rounded up to a whole vote
    )
    assert gov.proposal(1)._asdict() == facts
    at(start - 1)
    gov.cast_vote(1, FOR, sender=founders[0])
    gov.cast_vote(1, FOR, sender=founders[1])
    gov.cast_vote(1, AGAINST, sender=founders[2])
    facts.update(state=ACTIVE, votes_for=2, votes_against=1)
    assert gov.proposal(1)._asdict() == facts
    at(end)
    facts.update(state=SUCCEEDED)
    assert gov.proposal(1)._asdict() == facts
    gov.queue(1, sender=founders[0])
    eta = boa.env.timestamp + SETTINGS.timelock_delay
    facts.update(state=QUEUED, eta=eta, execution_deadline=eta + SETTINGS.execution_window)
    assert gov.proposal(1)._asdict() == facts
    at(eta - 1)
    gov.execute(1, [], sender=founders[0])
    facts.update(state=EXECUTED)
    assert gov.proposal(1)._asdict() == facts


@pytest.mark.parametrize(
    "members, quorum_bps, needed",
    [(3, 2500, 1), (4, 2500, 1), (4, 5000, 2), (3, 6667, 2), (3, 3333, 1), (4, 10_000, 4), (8, 1, 1)],
)
def test_proposal_quorum_votes(create, accounts, members, quorum_bps, needed):
    people = accounts[1 : 1 + members]
    c = create(founders=people, settings=SETTINGS.replace(quorum_bps=quorum_bps))
    c.governor.propose([], "how many", sender=people[0])
    p = c.governor.proposal(1)
    assert (p.quorum_base, p.quorum_votes) == (members, needed)


def test_proposal_of_unknown_id_reverts(collective):
    with boa.reverts("governor: unknown proposal"):
        collective.governor.proposal(1)


def test_proposal_vote_start_after_queue_beyond_2106(create, founders, gov_helpers):
    at(2**32 + 1000)
    c = create()
    gov, h = c.governor, gov_helpers
    gov.propose([], "far future", sender=founders[0])
    start = boa.env.timestamp + SETTINGS.voting_delay
    assert gov.proposal(1).vote_start == start
    at(start - 1)
    gov.cast_vote(1, FOR, sender=founders[0])
    h.close_voting(c)
    gov.queue(1, sender=founders[0])
    assert gov.proposal(1).vote_start == start
    assert gov.proposal(1).eta == boa.env.timestamp + SETTINGS.timelock_delay


# --- has_voted / can_vote / eligibility -----------------------------------


def test_has_voted(collective, founders, outsider, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    pid = h.propose(c, founders[0])
    h.open_voting(c)
    assert not gov.has_voted(pid, founders[1])
    gov.cast_vote(pid, ABSTAIN, sender=founders[1])
    assert gov.has_voted(pid, founders[1])
    assert not gov.has_voted(pid, founders[0])
    assert not gov.has_voted(pid, outsider)


@pytest.mark.parametrize("view", ["has_voted", "can_vote", "eligibility"])
@pytest.mark.parametrize("pid", [0, 2])
def test_per_account_views_of_an_unknown_proposal_revert(collective, member, gov_helpers, view, pid):
    # one behaviour for every view of a proposal: state, proposal, has_voted, can_vote, eligibility
    gov_helpers.propose(collective, member)
    with boa.reverts("governor: unknown proposal"):
        getattr(collective.governor, view)(pid, member)
    with boa.reverts("governor: unknown proposal"):
        collective.governor.state(pid)


def test_can_vote_ignores_window_and_prior_vote(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    pid = h.propose(c, founders[0])
    assert all(gov.can_vote(pid, f) for f in founders)  # pending
    h.open_voting(c)
    gov.cast_vote(pid, FOR, sender=founders[0])
    assert gov.can_vote(pid, founders[0])
    h.close_voting(c)
    assert gov.can_vote(pid, founders[1])


def test_can_vote_false_for_outsider_and_arrears(collective, founders, outsider, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    h.pay_dues(c, founders[0], founders[0])
    h.travel(SETTINGS.dues_grace + 2)
    pid = h.propose(c, founders[0])
    assert not gov.can_vote(pid, outsider)
    assert not gov.can_vote(pid, founders[1])
    assert gov.can_vote(pid, founders[0])


def test_eligibility_names_the_outcome(collective, founders, outsider, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    h.pay_dues(c, founders[0], founders[0])
    h.travel(SETTINGS.dues_grace + 2)
    pid = h.propose(c, founders[0])
    assert gov.eligibility(pid, founders[0]) == ELIGIBLE
    assert gov.eligibility(pid, founders[1]) == DUES_NOT_COVERING_SNAPSHOT
    assert gov.eligibility(pid, outsider) == NO_CARD_AT_SNAPSHOT
    h.pay_dues(c, outsider, founders[1])  # arrears paid later restore the vote
    assert gov.eligibility(pid, founders[1]) == ELIGIBLE


def test_can_vote_unknown_proposal_reverts(collective, member):
    with boa.reverts("governor: unknown proposal"):
        collective.governor.can_vote(1, member)


# --- member() / in_good_standing ------------------------------------------


def test_member_view(collective, founders, outsider, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    t0 = c.created
    assert gov.member(founders[1])._asdict() == dict(
        is_member=True, index=1, joined=t0, left=0, paid_through=t0, past_terms=0, in_good_standing=True
    )
    assert gov.member(outsider)._asdict() == dict(
        is_member=False, index=0, joined=0, left=0, paid_through=0, past_terms=0, in_good_standing=False
    )
    gov.resign(sender=founders[1])
    left = boa.env.timestamp
    h.pass_proposal(c, founders[0], [founders[0], founders[2]], [h.action(gov, "admit_member", founders[1])])
    back = boa.env.timestamp
    assert gov.member(founders[1])._asdict() == dict(
        is_member=True, index=1, joined=back, left=0, paid_through=back, past_terms=1, in_good_standing=True
    )
    assert left < back


def test_in_good_standing_until_the_end_of_grace(collective, member):
    gov = collective.governor
    limit = gov.paid_through(member) + SETTINGS.dues_grace
    assert gov.in_good_standing(member)
    at(limit)
    assert gov.in_good_standing(member) and gov.member(member).in_good_standing
    at(limit + 1)
    assert not gov.in_good_standing(member) and not gov.member(member).in_good_standing


def test_in_good_standing_restored_by_payment(collective, member, gov_helpers):
    gov = collective.governor
    gov_helpers.travel(SETTINGS.dues_grace + 1)
    assert not gov.in_good_standing(member)
    gov_helpers.pay_dues(collective, member, member)
    assert gov.in_good_standing(member)


def test_not_in_good_standing_without_card(collective, founders, outsider, gov_helpers):
    gov = collective.governor
    gov_helpers.pay_dues(collective, founders[2], founders[2], periods=3)
    gov.resign(sender=founders[2])
    assert not gov.in_good_standing(founders[2])  # prepaid, but no card
    assert not gov.member(founders[2]).in_good_standing
    assert not gov.in_good_standing(outsider)


# --- executing_proposal ---------------------------------------------------


def test_executing_proposal_only_during_execution(collective, founders, outsider, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    c.treasury.donate(ETH, 10**16, "", sender=outsider, value=10**16)
    fund = h.action(c.treasury, "fund_pool", ETH, 10**15)
    assert gov.executing_proposal() == 0
    h.propose(c, founders[1])  # so that the passed proposal has id 2
    pid = h.pass_proposal(c, founders[0], founders, [fund], execute=False)
    assert pid == 2
    assert gov.executing_proposal() == 0
    gov.execute(pid, [fund], sender=outsider)
    # the treasury reads executing_proposal() while the action runs
    assert events(gov, "PoolFunded") == [dict(proposal_id=pid, asset=ETH, amount=10**15, pool=10**15)]
    assert gov.executing_proposal() == 0


def test_treasury_refuses_calls_outside_execution(collective, founders, outsider):
    # executing_proposal() is 0, so even the governor's members cannot move funds
    with boa.reverts("treasury: only by vote"):
        collective.treasury.pay(ETH, outsider, 1, sender=founders[0])


# --- simple counters ------------------------------------------------------


def test_counts_and_membership(collective, founders, outsider, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    assert gov.member_count() == 3
    assert gov.proposal_count() == 0
    assert gov.is_member(founders[0]) and not gov.is_member(outsider)
    h.propose(c, founders[0])
    h.propose(c, founders[1])
    assert gov.proposal_count() == 2
    gov.resign(sender=founders[1])
    assert gov.member_count() == 2
    assert not gov.is_member(founders[1])
    assert c.card.totalSupply() == 2

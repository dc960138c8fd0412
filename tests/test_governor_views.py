"""IwoGovernor views: EIP-712 / EIP-5267 domain, ERC-165, wiring, proposal facts, eligibility."""

import ape
import pytest
from eth_abi import encode
from eth_utils import keccak
from iwotest import ABSTAIN, AGAINST, FOR, SETTINGS

from iwo.ballot import Ballot
from iwo.collective import DAY, ETH

ZERO32 = b"\x00" * 32


def _at(chain, timestamp):
    chain.pending_timestamp = timestamp
    chain.mine()


def _domain_separator(chain_id, verifying_contract):
    typehash = keccak(text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
    return keccak(
        encode(
            ["bytes32", "bytes32", "bytes32", "uint256", "address"],
            [typehash, keccak(text="iwo"), keccak(text="1"), chain_id, verifying_contract],
        )
    )


# --- EIP-712 / EIP-5267 ---------------------------------------------------


def test_eip712_domain_per_eip5267(collective, chain):
    gov = collective.governor
    fields, name, version, chain_id, verifying, salt, extensions = gov.eip712Domain()
    assert bytes(fields) == b"\x0f"  # name, version, chainId, verifyingContract
    assert name == "iwo"
    assert version == "1"
    assert chain_id == chain.chain_id
    assert verifying == gov.address
    assert bytes(salt) == ZERO32
    assert list(extensions) == []


def test_domain_separator_matches_eip712(collective, create, chain):
    gov = collective.governor
    expected = _domain_separator(chain.chain_id, gov.address)
    assert bytes(gov.DOMAIN_SEPARATOR()) == expected
    other = create(name="Other", symbol="OT").governor
    assert bytes(other.DOMAIN_SEPARATOR()) == _domain_separator(chain.chain_id, other.address)
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
def test_ballot_digest_equals_cli_ballot(collective, founders, chain, pid, support, expiry, reason):
    gov = collective.governor
    ballot = Ballot(
        chain_id=chain.chain_id,
        governor=gov.address,
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
    assert collective.governor.supportsInterface(interface_id) is expected


def test_clone_is_wired_and_initialized(collective):
    c = collective
    assert c.governor.initialized()
    assert c.governor.card() == c.card.address
    assert c.governor.treasury() == c.treasury.address
    assert c.card.governor() == c.governor.address
    assert c.treasury.governor() == c.governor.address


def test_initialize_twice_reverts(collective, founders):
    c = collective
    with ape.reverts("governor: already initialized"):
        c.governor.initialize(c.card, c.treasury, [founders[0]], SETTINGS.as_tuple(), sender=founders[0])


def test_implementation_is_locked(implementations, founders, collective):
    impl = implementations.governor
    assert impl.initialized()
    assert impl.card() == impl.address
    with ape.reverts("governor: already initialized"):
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


def test_proposal_tuple_through_its_life(collective, founders, gov_helpers, chain):
    c = collective
    gov = c.governor
    receipt = gov.propose([], "facts", sender=founders[1])
    t = receipt.timestamp
    start = t + SETTINGS.voting_delay
    end = start + SETTINGS.voting_period
    assert gov.proposal(1) == (1, t - 1, start, end, 0, 0, 0, 0, False, 0, 3)
    _at(chain, start)
    gov.cast_vote(1, FOR, sender=founders[0])
    gov.cast_vote(1, FOR, sender=founders[1])
    gov.cast_vote(1, AGAINST, sender=founders[2])
    assert gov.proposal(1) == (1, t - 1, start, end, 0, 2, 1, 0, False, 0, 3)
    _at(chain, end)
    q = gov.queue(1, sender=founders[0])
    eta = q.timestamp + SETTINGS.timelock_delay
    assert gov.proposal(1) == (1, t - 1, start, end, eta, 2, 1, 0, False, 0, 3)
    chain.pending_timestamp = eta
    gov.execute(1, [], sender=founders[0])
    assert gov.proposal(1) == (1, t - 1, start, end, eta, 2, 1, 0, False, 0, 3)


def test_proposal_of_unknown_id_reverts(collective):
    with ape.reverts("governor: unknown proposal"):
        collective.governor.proposal(1)


def test_proposal_vote_start_after_queue_beyond_2106(create, founders, gov_helpers, chain):
    _at(chain, 2**32 + 1000)
    c = create()
    gov, h = c.governor, gov_helpers
    receipt = gov.propose([], "far future", sender=founders[0])
    start = receipt.timestamp + SETTINGS.voting_delay
    assert gov.proposal(1)[2] == start
    _at(chain, start)
    gov.cast_vote(1, FOR, sender=founders[0])
    h.close_voting(c)
    gov.queue(1, sender=founders[0])
    assert gov.proposal(1)[2] == start


# --- has_voted / can_vote -------------------------------------------------


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
    assert not gov.has_voted(pid + 1, founders[1])  # unknown proposal: no revert, just false


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


def test_can_vote_unknown_proposal_reverts(collective, member):
    with ape.reverts("governor: unknown proposal"):
        collective.governor.can_vote(1, member)


# --- in_good_standing -----------------------------------------------------


def test_in_good_standing_until_the_end_of_grace(collective, member, chain):
    gov = collective.governor
    limit = gov.paid_through(member) + SETTINGS.dues_grace
    assert gov.in_good_standing(member)
    _at(chain, limit)
    assert gov.in_good_standing(member)
    _at(chain, limit + 1)
    assert not gov.in_good_standing(member)


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
    assert not gov.in_good_standing(outsider)


# --- executing_proposal ---------------------------------------------------


def test_executing_proposal_only_during_execution(collective, founders, outsider, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    c.treasury.donate(ETH, 10**16, "", sender=outsider, value=10**16)
    fund = h.action(c.treasury, "fund_pool", ETH, 10**15)
    assert gov.executing_proposal() == 0
    h.propose(c, founders[1])  # so that the passed proposal has id 2
    pid, _ = h.pass_proposal(c, founders[0], founders, [fund], execute=False)
    assert pid == 2
    assert gov.executing_proposal() == 0
    receipt = gov.execute(pid, [fund], sender=outsider)
    # the treasury reads executing_proposal() while the action runs
    assert receipt.events.filter(c.treasury.PoolFunded) == [
        c.treasury.PoolFunded(proposal_id=pid, asset=ETH, amount=10**15, pool=10**15)
    ]
    assert gov.executing_proposal() == 0


def test_treasury_refuses_calls_outside_execution(collective, founders, outsider):
    # executing_proposal() is 0, so even the governor's members cannot move funds
    with ape.reverts("treasury: only by vote"):
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

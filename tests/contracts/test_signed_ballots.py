"""IwoGovernor.cast_vote_by_sig: relayed EIP-712 ballots."""

from dataclasses import replace

import boa
import pytest
from utils.ballots import SECP256K1_N, relay, sign_ballot, signature_bytes
from utils.boa_stack import at, events
from utils.constants import ABSTAIN, AGAINST, FOR, ZERO


@pytest.fixture
def active(collective, member, gov_helpers):
    pid = gov_helpers.propose(collective, member, [], "signal")
    gov_helpers.open_voting(collective)
    return pid


# --- positive -------------------------------------------------------------


def test_relayed_vote_counts_for_the_signer(collective, founders, outsider, active, gov_helpers):
    gov = collective.governor
    signed = gov_helpers.sign_vote(collective, founders[1], active, AGAINST)
    voter_balance = founders[1].balance
    relay(gov, signed, outsider)
    assert events(gov, "VoteCast") == [dict(voter=founders[1].address, proposal_id=active, support=AGAINST)]
    assert events(gov, "VoteReason") == []
    assert gov.has_voted(active, founders[1])
    assert not gov.has_voted(active, outsider)
    assert gov.proposal(active).votes_against == 1
    assert founders[1].balance == voter_balance  # the voter paid nothing


def test_relayed_vote_with_reason_logs_reason(collective, founders, outsider, active, gov_helpers):
    gov = collective.governor
    signed = gov_helpers.sign_vote(collective, founders[2], active, ABSTAIN, reason="conflict of interest")
    relay(gov, signed, outsider)
    assert events(gov, "VoteCast") == [dict(voter=founders[2].address, proposal_id=active, support=ABSTAIN)]
    assert events(gov, "VoteReason") == [
        dict(voter=founders[2].address, proposal_id=active, reason="conflict of interest")
    ]
    assert gov.proposal(active).votes_abstain == 1


def test_voter_may_relay_own_signature(collective, member, active, gov_helpers):
    gov = collective.governor
    signed = gov_helpers.sign_vote(collective, member, active, FOR)
    relay(gov, signed, member)
    assert gov.proposal(active).votes_for == 1


def test_signature_valid_at_expiry_second(collective, founders, outsider, active, gov_helpers):
    gov = collective.governor
    expiry = boa.env.timestamp + 100
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR, expiry=expiry)
    at(expiry - 1)
    relay(gov, signed, outsider)
    assert boa.env.timestamp == expiry
    assert gov.has_voted(active, founders[1])


def test_signature_made_before_voting_opens_is_usable_once_open(collective, founders, outsider, member, gov_helpers):
    gov = collective.governor
    pid = gov_helpers.propose(collective, member)
    signed = gov_helpers.sign_vote(collective, founders[1], pid, FOR)
    with boa.reverts("governor: voting not open"):
        relay(gov, signed, outsider)
    gov_helpers.open_voting(collective)
    relay(gov, signed, outsider)
    assert gov.has_voted(pid, founders[1])


# --- negative -------------------------------------------------------------


def test_expired_signature_reverts(collective, founders, outsider, active, gov_helpers):
    gov = collective.governor
    expiry = boa.env.timestamp + 100
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR, expiry=expiry)
    at(expiry)  # the relay runs at expiry + 1
    with boa.reverts("governor: signature expired"):
        relay(gov, signed, outsider)


def test_compact_64_byte_signature_reverts(collective, founders, outsider, active, gov_helpers):
    gov = collective.governor
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    sig = signature_bytes(signed)
    r, s, v = sig[:32], int.from_bytes(sig[32:64], "big"), sig[64]
    compact = r + ((v - 27) << 255 | s).to_bytes(32, "big")  # EIP-2098 form of the same signature
    with boa.reverts("governor: bad signature length"):
        relay(gov, signed, outsider, signature=compact)


def test_empty_signature_reverts(collective, founders, outsider, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    with boa.reverts("governor: bad signature length"):
        relay(collective.governor, signed, outsider, signature=b"")


def test_signature_by_someone_else_reverts(collective, founders, outsider, active, chain_id):
    # founder 1 signs a ballot naming founder 2 as the voter
    signed = sign_ballot(
        collective.governor,
        founders[2],
        active,
        FOR,
        chain_id=chain_id,
        expiry=boa.env.timestamp + 1000,
        key=founders[1].private_key,
    )
    with boa.reverts("governor: wrong signer"):
        relay(collective.governor, signed, outsider)
    assert not collective.governor.has_voted(active, founders[1])
    assert not collective.governor.has_voted(active, founders[2])


@pytest.mark.parametrize(
    "field, value",
    [("support", AGAINST), ("reason", "changed"), ("expiry", None), ("voter", None), ("proposal_id", None)],
)
def test_tampered_ballot_reverts(collective, founders, outsider, member, active, gov_helpers, field, value):
    gov = collective.governor
    gov_helpers.propose(collective, founders[1])  # a second proposal, id active + 1
    signed = gov_helpers.sign_vote(collective, founders[2], active, FOR, reason="ok")
    if field == "expiry":
        value = signed.ballot.expiry + 1
    elif field == "voter":
        value = member.address
    elif field == "proposal_id":
        value = active + 1
    with boa.reverts("governor: wrong signer"):
        relay(gov, signed, outsider, **{field: value})


def test_signature_for_another_governor_reverts(collective, create, founders, outsider, member, gov_helpers):
    other = create(name="Other Collective", symbol="OC")
    gov = collective.governor
    gov_helpers.propose(collective, member)
    gov_helpers.propose(other, member)
    gov_helpers.open_voting(collective)
    signed_for_other = gov_helpers.sign_vote(other, founders[1], 1, FOR)
    with boa.reverts("governor: wrong signer"):
        relay(gov, signed_for_other, outsider)
    relay(other.governor, signed_for_other, outsider)
    assert other.governor.has_voted(1, founders[1])


def test_signature_for_another_chain_reverts(collective, founders, outsider, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    foreign = replace(signed.ballot, chain_id=signed.ballot.chain_id + 1).sign(founders[1].private_key)
    with boa.reverts("governor: wrong signer"):
        relay(collective.governor, foreign, outsider)


def test_high_s_signature_reverts(collective, founders, outsider, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    sig = signature_bytes(signed)
    s = int.from_bytes(sig[32:64], "big")
    malleated = sig[:32] + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - sig[64]])  # 27 <-> 28
    with boa.reverts("ecdsa: invalid signature `s` value"):
        relay(collective.governor, signed, outsider, signature=malleated)


def test_invalid_v_reverts(collective, founders, outsider, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    sig = signature_bytes(signed)
    with boa.reverts("ecdsa: invalid signature"):
        relay(collective.governor, signed, outsider, signature=sig[:64] + b"\x00")


def test_zero_voter_reverts(collective, founders, outsider, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    with boa.reverts("governor: wrong signer"):
        relay(collective.governor, signed, outsider, voter=ZERO)


def test_replayed_signature_reverts(collective, founders, outsider, active, gov_helpers):
    gov = collective.governor
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    relay(gov, signed, outsider)
    with boa.reverts("governor: already voted"):
        relay(gov, signed, outsider)
    assert gov.proposal(active).votes_for == 1


def test_signature_after_direct_vote_reverts(collective, founders, outsider, active, gov_helpers):
    gov = collective.governor
    gov.cast_vote(active, AGAINST, sender=founders[1])
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    with boa.reverts("governor: already voted"):
        relay(gov, signed, outsider)


def test_signed_vote_of_outsider_reverts(collective, outsider, founders, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, outsider, active, FOR)
    with boa.reverts("governor: not a member at snapshot"):
        relay(collective.governor, signed, founders[0])


def test_signed_vote_on_unknown_proposal_reverts(collective, founders, outsider, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], 7, FOR)
    with boa.reverts("governor: unknown proposal"):
        relay(collective.governor, signed, outsider)


def test_signed_invalid_support_reverts(collective, founders, outsider, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], active, 3)
    with boa.reverts("governor: invalid support"):
        relay(collective.governor, signed, outsider)


def test_signed_vote_after_close_reverts(collective, founders, outsider, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    gov_helpers.close_voting(collective)
    with boa.reverts("governor: voting closed"):
        relay(collective.governor, signed, outsider)

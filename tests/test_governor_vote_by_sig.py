"""IwoGovernor.cast_vote_by_sig: relayed EIP-712 ballots."""

from dataclasses import replace

import ape
import pytest
from iwotest import ABSTAIN, AGAINST, FOR

from iwo.ballot import Ballot

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
ZERO = "0x" + "00" * 20


@pytest.fixture
def active(collective, member, gov_helpers):
    pid = gov_helpers.propose(collective, member, [], "signal")
    gov_helpers.open_voting(collective)
    return pid


def _sig(signed):
    return bytes.fromhex(signed.signature[2:])


def _relay(gov, signed, relayer, **overrides):
    """Relay `signed`, optionally with some call arguments changed after signing."""
    b = signed.ballot
    args = dict(
        proposal_id=b.proposal_id,
        support=b.support,
        voter=b.voter,
        expiry=b.expiry,
        reason=b.reason,
        signature=_sig(signed),
    )
    args.update(overrides)
    return gov.cast_vote_by_sig(
        args["proposal_id"],
        args["support"],
        args["voter"],
        args["expiry"],
        args["reason"],
        args["signature"],
        sender=relayer,
    )


# --- positive -------------------------------------------------------------


def test_relayed_vote_counts_for_the_signer(collective, founders, outsider, active, gov_helpers):
    gov = collective.governor
    signed = gov_helpers.sign_vote(collective, founders[1], active, AGAINST)
    voter_balance = founders[1].balance
    receipt = _relay(gov, signed, outsider)
    assert receipt.events.filter(gov.VoteCast) == [
        gov.VoteCast(voter=founders[1].address, proposal_id=active, support=AGAINST)
    ]
    assert receipt.events.filter(gov.VoteReason) == []
    assert gov.has_voted(active, founders[1])
    assert not gov.has_voted(active, outsider)
    assert gov.proposal(active)[6] == 1  # against
    assert founders[1].balance == voter_balance  # the voter paid nothing


def test_relayed_vote_with_reason_logs_reason(collective, founders, outsider, active, gov_helpers):
    gov = collective.governor
    signed = gov_helpers.sign_vote(collective, founders[2], active, ABSTAIN, reason="conflict of interest")
    receipt = _relay(gov, signed, outsider)
    assert receipt.events.filter(gov.VoteCast) == [
        gov.VoteCast(voter=founders[2].address, proposal_id=active, support=ABSTAIN)
    ]
    assert receipt.events.filter(gov.VoteReason) == [
        gov.VoteReason(voter=founders[2].address, proposal_id=active, reason="conflict of interest")
    ]
    assert gov.proposal(active)[7] == 1  # abstain


def test_voter_may_relay_own_signature(collective, member, active, gov_helpers):
    gov = collective.governor
    signed = gov_helpers.sign_vote(collective, member, active, FOR)
    _relay(gov, signed, member)
    assert gov.proposal(active)[5] == 1


def test_signature_valid_at_expiry_second(collective, founders, outsider, active, gov_helpers, chain):
    gov = collective.governor
    expiry = chain.pending_timestamp + 100
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR, expiry=expiry)
    chain.pending_timestamp = expiry
    receipt = _relay(gov, signed, outsider)
    assert receipt.timestamp == expiry
    assert gov.has_voted(active, founders[1])


def test_signature_made_before_voting_opens_is_usable_once_open(collective, founders, outsider, member, gov_helpers):
    gov = collective.governor
    pid = gov_helpers.propose(collective, member)
    signed = gov_helpers.sign_vote(collective, founders[1], pid, FOR)
    with ape.reverts("governor: voting not open"):
        _relay(gov, signed, outsider)
    gov_helpers.open_voting(collective)
    _relay(gov, signed, outsider)
    assert gov.has_voted(pid, founders[1])


# --- negative -------------------------------------------------------------


def test_expired_signature_reverts(collective, founders, outsider, active, gov_helpers, chain):
    gov = collective.governor
    expiry = chain.pending_timestamp + 100
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR, expiry=expiry)
    chain.pending_timestamp = expiry + 1
    with ape.reverts("governor: signature expired"):
        _relay(gov, signed, outsider)


def test_compact_64_byte_signature_reverts(collective, founders, outsider, active, gov_helpers):
    gov = collective.governor
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    sig = _sig(signed)
    r, s, v = sig[:32], int.from_bytes(sig[32:64], "big"), sig[64]
    compact = r + ((v - 27) << 255 | s).to_bytes(32, "big")  # EIP-2098 form of the same signature
    with ape.reverts("governor: bad signature length"):
        _relay(gov, signed, outsider, signature=compact)


def test_empty_signature_reverts(collective, founders, outsider, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    with ape.reverts("governor: bad signature length"):
        _relay(collective.governor, signed, outsider, signature=b"")


def test_signature_by_someone_else_reverts(collective, founders, outsider, active, chain):
    # founder 1 signs a ballot naming founder 2 as the voter
    ballot = Ballot(
        chain_id=chain.chain_id,
        governor=collective.governor.address,
        proposal_id=active,
        support=FOR,
        voter=founders[2].address,
        expiry=chain.pending_timestamp + 1000,
    )
    signed = ballot.sign(founders[1].private_key)
    with ape.reverts("governor: wrong signer"):
        _relay(collective.governor, signed, outsider)
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
    with ape.reverts("governor: wrong signer"):
        _relay(gov, signed, outsider, **{field: value})


def test_signature_for_another_governor_reverts(collective, create, founders, outsider, member, gov_helpers):
    other = create(name="Other Collective", symbol="OC")
    gov = collective.governor
    gov_helpers.propose(collective, member)
    gov_helpers.propose(other, member)
    gov_helpers.open_voting(collective)
    signed_for_other = gov_helpers.sign_vote(other, founders[1], 1, FOR)
    with ape.reverts("governor: wrong signer"):
        _relay(gov, signed_for_other, outsider)
    _relay(other.governor, signed_for_other, outsider)
    assert other.governor.has_voted(1, founders[1])


def test_signature_for_another_chain_reverts(collective, founders, outsider, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    foreign = replace(signed.ballot, chain_id=signed.ballot.chain_id + 1).sign(founders[1].private_key)
    with ape.reverts("governor: wrong signer"):
        _relay(collective.governor, foreign, outsider)


def test_high_s_signature_reverts(collective, founders, outsider, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    sig = _sig(signed)
    s = int.from_bytes(sig[32:64], "big")
    malleated = sig[:32] + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - sig[64]])  # 27 <-> 28
    with ape.reverts("ecdsa: invalid signature `s` value"):
        _relay(collective.governor, signed, outsider, signature=malleated)


def test_invalid_v_reverts(collective, founders, outsider, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    sig = _sig(signed)
    with ape.reverts("ecdsa: invalid signature"):
        _relay(collective.governor, signed, outsider, signature=sig[:64] + b"\x00")


def test_zero_voter_reverts(collective, founders, outsider, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    with ape.reverts("governor: wrong signer"):
        _relay(collective.governor, signed, outsider, voter=ZERO)


def test_replayed_signature_reverts(collective, founders, outsider, active, gov_helpers):
    gov = collective.governor
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    _relay(gov, signed, outsider)
    with ape.reverts("governor: already voted"):
        _relay(gov, signed, outsider)
    assert gov.proposal(active)[5] == 1


def test_signature_after_direct_vote_reverts(collective, founders, outsider, active, gov_helpers):
    gov = collective.governor
    gov.cast_vote(active, AGAINST, sender=founders[1])
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    with ape.reverts("governor: already voted"):
        _relay(gov, signed, outsider)


def test_signed_vote_of_outsider_reverts(collective, outsider, founders, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, outsider, active, FOR)
    with ape.reverts("governor: not a member at snapshot"):
        _relay(collective.governor, signed, founders[0])


def test_signed_vote_on_unknown_proposal_reverts(collective, founders, outsider, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], 7, FOR)
    with ape.reverts("governor: unknown proposal"):
        _relay(collective.governor, signed, outsider)


def test_signed_invalid_support_reverts(collective, founders, outsider, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], active, 3)
    with ape.reverts("governor: invalid support"):
        _relay(collective.governor, signed, outsider)


def test_signed_vote_after_close_reverts(collective, founders, outsider, active, gov_helpers):
    signed = gov_helpers.sign_vote(collective, founders[1], active, FOR)
    gov_helpers.close_voting(collective)
    with ape.reverts("governor: voting closed"):
        _relay(collective.governor, signed, outsider)

"""Attack 4: replaying or forging a relayed EIP-712 ballot.

Defence: the digest binds proposal id, support, voter, expiry, reason, the
chain id and the governor's address; the who-voted bit makes a signature
single-use; snekmate's ecdsa refuses high-s (malleable) signatures and any
signature that recovers to the zero address; only 65-byte signatures are
accepted (no EIP-2098 second form of a used signature).
"""

from dataclasses import replace

import boa
import pytest
from attack_helpers import AGAINST, FOR, SECP256K1_N, ZERO, pending, tallies
from utils.ballots import sign_ballot, signature_bytes


@pytest.fixture
def two_active(collective, founders, gov_helpers):
    """Two proposals open for voting at once (ids 1 and 2)."""
    a = gov_helpers.propose(collective, founders[0], [], "first")
    b = gov_helpers.propose(collective, founders[1], [], "second")
    gov_helpers.open_voting(collective)
    return a, b


def _nobody_voted(gov, pid, people):
    assert tallies(gov, pid) == (0, 0, 0)
    assert not any(gov.has_voted(pid, p) for p in people)


def test_same_signature_twice(collective, founders, outsider, member, two_active, gov_helpers, relay):
    gov = collective.governor
    a, _ = two_active
    signed = gov_helpers.sign_vote(collective, founders[2], a, FOR)
    relay(gov, signed, outsider)
    with boa.reverts("governor: already voted"):
        relay(gov, signed, outsider)
    with boa.reverts("governor: already voted"):
        relay(gov, signed, member)
    assert tallies(gov, a) == (1, 0, 0)


def test_signature_replayed_on_another_proposal(collective, founders, outsider, two_active, gov_helpers, relay):
    gov = collective.governor
    a, b = two_active
    signed = gov_helpers.sign_vote(collective, founders[2], a, AGAINST)
    relay(gov, signed, outsider)
    with boa.reverts("governor: wrong signer"):
        relay(gov, signed, outsider, proposal_id=b)
    _nobody_voted(gov, b, founders)
    assert tallies(gov, a) == (0, 1, 0)


def test_signature_for_another_chain(collective, founders, outsider, two_active, gov_helpers, relay, chain_id):
    gov = collective.governor
    a, _ = two_active
    signed = gov_helpers.sign_vote(collective, founders[2], a, FOR)
    for other in {chain_id + 1, 1337, 0} - {chain_id}:
        foreign = replace(signed.ballot, chain_id=other).sign(founders[2].private_key)
        with boa.reverts("governor: wrong signer"):
            relay(gov, foreign, outsider)
    _nobody_voted(gov, a, founders)


def test_signature_for_another_collective(collective, create, founders, outsider, gov_helpers, relay):
    """The same proposal id, voter and choice in a second collective: the verifying contract differs."""
    other = create(name="Other Collective", symbol="OC")
    a = gov_helpers.propose(collective, founders[0])
    b = gov_helpers.propose(other, founders[0])
    assert a == b == 1
    gov_helpers.open_voting(collective)
    signed_here = gov_helpers.sign_vote(collective, founders[2], 1, FOR)
    signed_there = gov_helpers.sign_vote(other, founders[2], 1, FOR)
    assert signed_here.signature != signed_there.signature
    with boa.reverts("governor: wrong signer"):
        relay(other.governor, signed_here, outsider)
    with boa.reverts("governor: wrong signer"):
        relay(collective.governor, signed_there, outsider)
    _nobody_voted(collective.governor, 1, founders)
    _nobody_voted(other.governor, 1, founders)
    relay(collective.governor, signed_here, outsider)
    relay(other.governor, signed_there, outsider)
    assert tallies(collective.governor, 1) == tallies(other.governor, 1) == (1, 0, 0)


def test_signature_after_its_expiry(collective, founders, outsider, two_active, gov_helpers, relay):
    gov = collective.governor
    a, _ = two_active
    expiry = boa.env.timestamp + 600
    signed = gov_helpers.sign_vote(collective, founders[2], a, FOR, expiry=expiry)
    pending(expiry + 1)
    with boa.reverts("governor: signature expired"):
        relay(gov, signed, outsider)
    # stretching the expiry breaks the signature instead
    with boa.reverts("governor: wrong signer"):
        relay(gov, signed, outsider, expiry=expiry + 3600)
    _nobody_voted(gov, a, founders)


def test_malleable_high_s_form(collective, founders, outsider, two_active, gov_helpers, relay):
    """(r, n - s, v flipped) recovers the same signer; it is refused before and after the real one is used."""
    gov = collective.governor
    a, _ = two_active
    signed = gov_helpers.sign_vote(collective, founders[2], a, FOR)
    sig = signature_bytes(signed)
    s = int.from_bytes(sig[32:64], "big")
    assert s <= SECP256K1_N // 2
    twin = sig[:32] + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - sig[64]])  # v: 27 <-> 28
    with boa.reverts("ecdsa: invalid signature `s` value"):
        relay(gov, signed, outsider, signature=twin)
    _nobody_voted(gov, a, founders)
    relay(gov, signed, outsider)
    with boa.reverts("ecdsa: invalid signature `s` value"):
        relay(gov, signed, outsider, signature=twin)
    assert tallies(gov, a) == (1, 0, 0)


def test_compact_form_of_a_used_signature(collective, founders, outsider, two_active, gov_helpers, relay):
    """The EIP-2098 64-byte form (which snekmate would accept) never reaches recovery."""
    gov = collective.governor
    a, _ = two_active
    signed = gov_helpers.sign_vote(collective, founders[2], a, FOR)
    relay(gov, signed, outsider)
    sig = signature_bytes(signed)
    compact = sig[:32] + ((sig[64] - 27) << 255 | int.from_bytes(sig[32:64], "big")).to_bytes(32, "big")
    with boa.reverts("governor: bad signature length"):
        relay(gov, signed, outsider, signature=compact)
    assert tallies(gov, a) == (1, 0, 0)


def test_wrong_signer(collective, founders, outsider, two_active, relay, chain_id):
    """founders[1] signs a ballot that names founders[2] as the voter."""
    gov = collective.governor
    a, _ = two_active
    expiry = boa.env.timestamp + 3600
    forged = sign_ballot(gov, founders[2], a, AGAINST, chain_id=chain_id, expiry=expiry, key=founders[1].private_key)
    with boa.reverts("governor: wrong signer"):
        relay(gov, forged, outsider)
    # nor can an outsider sign for a member
    with boa.reverts("governor: wrong signer"):
        relay(gov, replace(forged.ballot).sign(outsider.private_key), outsider)
    _nobody_voted(gov, a, founders)


@pytest.mark.parametrize(
    "garbage",
    [
        "zero r",  # ecrecover fails -> zero address
        "zero v",  # v not 27/28 -> zero address
        "all zero",
        "r not on the curve",  # x = 5 has no point on secp256k1
    ],
)
def test_signature_recovering_to_the_zero_address(
    collective, founders, outsider, two_active, gov_helpers, relay, garbage
):
    """Garbage that ecrecover maps to the zero address never matches a voter, not even a zero voter."""
    gov = collective.governor
    a, _ = two_active
    signed = gov_helpers.sign_vote(collective, founders[2], a, FOR)
    sig = signature_bytes(signed)
    bad = {
        "zero r": b"\x00" * 32 + sig[32:],
        "zero v": sig[:64] + b"\x00",
        "all zero": b"\x00" * 65,
        "r not on the curve": (5).to_bytes(32, "big") + sig[32:],
    }[garbage]
    for voter in (founders[2].address, ZERO):
        with boa.reverts("ecdsa: invalid signature"):
            relay(gov, signed, outsider, signature=bad, voter=voter)
    _nobody_voted(gov, a, founders)

"""Signed ballots for the tests: the one place that signs and relays them.

Ballots are signed with the CLI's `iwo.ballot.Ballot` (the typed data a wallet
signs with eth_signTypedData_v4), so every test also checks that the CLI and the
governor agree on the digest. `relay` works with Ape and titanoboa contract
objects alike (both take `sender=`).
"""

from __future__ import annotations

from iwo.ballot import Ballot, SignedBallot

# secp256k1 group order: s and n - s make the same signature (high-s malleability)
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def sign_ballot(
    governor, voter, proposal_id: int, support: int, *, chain_id: int, expiry: int, reason: str = "", key=None
) -> SignedBallot:
    """`voter`'s signed ballot on `governor` (signed with `key`, default the voter's own)."""
    ballot = Ballot(
        chain_id=chain_id,
        governor=str(getattr(governor, "address", governor)),
        proposal_id=proposal_id,
        support=support,
        voter=str(getattr(voter, "address", voter)),
        expiry=expiry,
        reason=reason,
    )
    return ballot.sign(key if key is not None else voter.private_key)


def signature_bytes(signed: SignedBallot) -> bytes:
    """The 65 signature bytes r | s | v."""
    return bytes.fromhex(signed.signature[2:])


def relay(governor, signed: SignedBallot, relayer, **overrides):
    """Sends `signed` to `governor.cast_vote_by_sig` from `relayer`, with any call
    argument (proposal_id, support, voter, expiry, reason, signature) replaced after
    signing when given in `overrides`."""
    b = signed.ballot
    args = dict(
        proposal_id=b.proposal_id,
        support=b.support,
        voter=b.voter,
        expiry=b.expiry,
        reason=b.reason,
        signature=signature_bytes(signed),
    )
    unknown = set(overrides) - set(args)
    assert not unknown, f"unknown ballot fields: {unknown}"
    args.update(overrides)
    return governor.cast_vote_by_sig(
        args["proposal_id"],
        args["support"],
        args["voter"],
        args["expiry"],
        args["reason"],
        args["signature"],
        sender=relayer,
    )

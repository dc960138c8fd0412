# pragma version ~=0.4.3
"""
@title iwo signed ballots: EIP-712 votes relayed by anyone
@custom:contract-name ballots
@license GNU Affero General Public License v3.0 only
@notice A member signs a `Ballot` in any wallet (`eth_signTypedData_v4`) and
        anyone relays it with `cast_vote_by_sig`; the voter needs no ETH.

            domain: EIP712Domain(string name,string version,uint256 chainId,
                                 address verifyingContract)
                    name "iwo", version "1", the chain id, this governor
            type:   Ballot(uint256 proposalId,uint8 support,address voter,
                           uint256 expiry,string reason)

        The signature binds proposal, support, voter, expiry, reason, chain
        and contract; the who-voted bit makes it single-use (no nonce). The
        domain separator is computed on every use (never cached), so every
        clone and every fork gets its own.
@custom:security Anyone may relay; only the signer's vote is counted, with
                 exactly the signed choice and reason. High-s and
                 zero-address recoveries are refused (snekmate ECDSA).
"""

# @dev Audited recovery with the high-s and zero-address checks.
from snekmate.utils import ecdsa

# @dev The EIP-712 digest of a domain separator and a struct hash.
from snekmate.utils import message_hash_utils

# @dev Counting the vote and its reason event.
from . import proposals

uses: proposals

EIP712_NAME: constant(String[3]) = "iwo"
EIP712_VERSION: constant(String[1]) = "1"
# EIP-5267 fields present: name, version, chainId, verifyingContract
EIP712_FIELDS: constant(bytes1) = 0x0F
DOMAIN_TYPEHASH: constant(bytes32) = keccak256(
    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
)
BALLOT_TYPEHASH: public(constant(bytes32)) = keccak256(
    "Ballot(uint256 proposalId,uint8 support,address voter,uint256 expiry,string reason)"
)
NAME_HASH: constant(bytes32) = keccak256(EIP712_NAME)
VERSION_HASH: constant(bytes32) = keccak256(EIP712_VERSION)
SIGNATURE_LENGTH: constant(uint256) = 65


@external
def cast_vote_by_sig(
    proposal_id: uint256,
    support: uint8,
    voter: address,
    expiry: uint256,
    reason: String[proposals.MAX_REASON],
    signature: Bytes[SIGNATURE_LENGTH],
):
    """
    @notice Relays a vote signed by `voter` (EIP-712 typed data `Ballot`,
            see `ballot_digest`). Anyone may relay; the voter needs no ETH.
            The signature binds proposal, support, voter, expiry, reason,
            chain id and this contract; the who-voted bit makes it single-use.
    @param proposal_id The proposal.
    @param support 0 Against, 1 For, 2 Abstain.
    @param voter The member who signed.
    @param expiry Last timestamp at which the signature may be used.
    @param reason The signed reason ("" for none; logged otherwise).
    @param signature 65 bytes r | s | v.
    """
    assert block.timestamp <= expiry, "governor: signature expired"
    assert len(signature) == SIGNATURE_LENGTH, "governor: bad signature length"
    digest: bytes32 = self._ballot_digest(proposal_id, support, voter, expiry, reason)
    assert ecdsa._recover_sig(digest, signature) == voter, "governor: wrong signer"
    proposals._cast(voter, proposal_id, support)
    if len(reason) > 0:
        log proposals.VoteReason(voter=voter, proposal_id=proposal_id, reason=reason)


@view
@external
def ballot_digest(
    proposal_id: uint256,
    support: uint8,
    voter: address,
    expiry: uint256,
    reason: String[proposals.MAX_REASON],
) -> bytes32:
    """
    @notice The EIP-712 digest a voter signs for `cast_vote_by_sig`.
    @param proposal_id The proposal.
    @param support 0 Against, 1 For, 2 Abstain.
    @param voter The member.
    @param expiry Last timestamp at which the signature may be used.
    @param reason The reason ("" for none).
    @return bytes32 The digest.
    """
    return self._ballot_digest(proposal_id, support, voter, expiry, reason)


@view
@external
def DOMAIN_SEPARATOR() -> bytes32:
    """
    @notice The EIP-712 domain separator (computed, so clones and forks
            always get their own).
    @return bytes32 The domain separator.
    """
    return self._domain_separator()


@view
@external
def eip712Domain() -> (
    bytes1, String[3], String[1], uint256, address, bytes32, DynArray[uint256, 1]
):
    """
    @notice EIP-5267 description of the signing domain.
    @return (fields, name, version, chain id, verifying contract, salt, extensions)
    """
    return (EIP712_FIELDS, EIP712_NAME, EIP712_VERSION, chain.id, self, empty(bytes32), [])


@view
@internal
def _domain_separator() -> bytes32:
    """
    @notice The EIP-712 domain separator of this contract on this chain.
    @return bytes32 The domain separator.
    """
    return keccak256(abi_encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, chain.id, self))


@view
@internal
def _ballot_digest(
    proposal_id: uint256,
    support: uint8,
    voter: address,
    expiry: uint256,
    reason: String[proposals.MAX_REASON],
) -> bytes32:
    """
    @notice The EIP-712 digest of a ballot.
    @param proposal_id The proposal.
    @param support 0 Against, 1 For, 2 Abstain.
    @param voter The member.
    @param expiry Last timestamp at which the signature may be used.
    @param reason The reason.
    @return bytes32 keccak256("\x19\x01" | domain separator | hashStruct(ballot)).
    """
    struct_hash: bytes32 = keccak256(
        abi_encode(BALLOT_TYPEHASH, proposal_id, support, voter, expiry, keccak256(reason))
    )
    return message_hash_utils._to_typed_data_hash(self._domain_separator(), struct_hash)

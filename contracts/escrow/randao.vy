# pragma version ~=0.4.3
"""
@title iwo escrow randomness: the prevrandao of a past block, from its header
@custom:contract-name randao
@license GNU Affero General Public License v3.0 only
@notice The EVM shows a contract only the current block's `prevrandao`. To
        use the prevrandao of a block fixed in advance (the draw block of a
        dispute), the caller hands over that block's RLP-encoded header; the
        header is accepted only when its keccak256 equals `blockhash(n)`, and
        its `mixHash` field (the prevrandao of that block since the merge) is
        read from it. Nobody chooses the result: the hash pins the header,
        and a header is fixed once its block is mined.

        Ethereum header layout (an RLP list, 500-700 bytes):
            parentHash 32 | ommersHash 32 | coinbase 20 | stateRoot 32 |
            transactionsRoot 32 | receiptsRoot 32 | logsBloom 256 |
            difficulty | number | gasLimit | gasUsed | timestamp | extraData |
            mixHash 32 | nonce 8 | baseFee | ... (later forks append fields)
        The first seven fields have fixed sizes; the next six are short RLP
        strings (integers and at most 32 bytes of extra data) whose length is
        in their prefix byte; mixHash follows them.
@custom:security Stateless (pure functions). Trusts only `blockhash`, which
                 the EVM provides for the 256 most recent blocks.
"""

# @dev Checks revert through one shared function (code size).
from . import reverts

# An Ethereum block header is below 1 KiB in every fork so far.
MAX_HEADER: constant(uint256) = 1024

# RLP prefixes: a list whose length takes 2 bytes, a 32-byte string.
_RLP_LIST_2: constant(uint256) = 249
_RLP_STRING_0: constant(uint256) = 128
_RLP_STRING_32: constant(uint256) = 160
_RLP_SHORT_STRING_MAX: constant(uint256) = 183

# The list prefix (3 bytes), then the seven fixed-size fields with their
# prefixes: 5 hashes of 1 + 32 bytes, the coinbase 1 + 20, the bloom 3 + 256.
_OFF_VARIABLE_FIELDS: constant(uint256) = 3 + 5 * 33 + 21 + 259
# difficulty, number, gasLimit, gasUsed, timestamp, extraData
_VARIABLE_FIELDS: constant(uint256) = 6


@view
@internal
def _mix_hash(block_number: uint256, header: Bytes[MAX_HEADER]) -> bytes32:
    """
    @notice The prevrandao (mixHash) of block `block_number`, read from its
            header after checking the header against the block hash.
    @dev The caller checks that `block_number` is among the 256 most recent
         blocks (Vyper's `blockhash` reverts otherwise).
    @param block_number The block.
    @param header Its RLP-encoded header.
    @return bytes32 The block's mixHash (prevrandao).
    """
    if keccak256(header) != blockhash(block_number):
        reverts._fail("escrow: wrong block header")
    if self._byte(header, 0) != _RLP_LIST_2:
        reverts._fail("escrow: unexpected header layout")
    pos: uint256 = _OFF_VARIABLE_FIELDS
    for _: uint256 in range(_VARIABLE_FIELDS):
        prefix: uint256 = self._byte(header, pos)
        if prefix < _RLP_STRING_0:
            pos += 1  # a single byte below 0x80 is its own encoding
        else:
            if prefix > _RLP_SHORT_STRING_MAX:
                reverts._fail("escrow: unexpected header layout")
            pos += 1 + prefix - _RLP_STRING_0
    if self._byte(header, pos) != _RLP_STRING_32:
        reverts._fail("escrow: unexpected header layout")
    return convert(slice(header, pos + 1, 32), bytes32)


@pure
@internal
def _byte(data: Bytes[MAX_HEADER], pos: uint256) -> uint256:
    """
    @notice The byte of `data` at `pos`, as a number (reverts past the end).
    @param data The bytes.
    @param pos The position.
    @return uint256 The byte's value.
    """
    return convert(slice(data, pos, 1), uint256)

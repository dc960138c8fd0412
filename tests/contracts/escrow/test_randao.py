"""The draw seed: the prevrandao (mixHash) read from the RLP header of the draw block, accepted
only when its hash is the block hash. Seen through `draw_order`."""

import boa
import pytest
import rlp
from utils.boa_stack import arm_blockhash, mine
from utils.escrow_kit import DRAW_DELAY, block_header


@pytest.fixture
def disputed(world):
    job = world.create()
    world.deliver(job)
    world.dispute(job)
    mine(DRAW_DELAY + 1)
    return job


def fields(number, mix, **changes):
    base = {
        "parentHash": b"\x01" * 32,
        "sha3Uncles": b"\x02" * 32,
        "miner": b"\x03" * 20,
        "stateRoot": b"\x04" * 32,
        "transactionsRoot": b"\x05" * 32,
        "receiptsRoot": b"\x06" * 32,
        "logsBloom": b"\xff" * 256,
        "difficulty": 0,
        "number": number,
        "gasLimit": 36_000_000,
        "gasUsed": 12_345_678,
        "timestamp": 1_750_000_000,
        "extraData": b"beaverbuild.org",
        "mixHash": mix,
        "nonce": b"\x00" * 8,
        "baseFeePerGas": 7,
        "withdrawalsRoot": b"\x07" * 32,
        "blobGasUsed": 131072,
        "excessBlobGas": 0,
        "parentBeaconBlockRoot": b"\x08" * 32,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def order_with(world, escrow, job, header):
    draw_block = escrow.milestone(job.job_id, job.terms, 0).draw_block
    arm_blockhash(draw_block, header)
    return list(escrow.draw_order(job.job_id, job.terms, 0, header, 4))


def draw_block_of(escrow, job):
    return escrow.milestone(job.job_id, job.terms, 0).draw_block


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"extraData": b""},
        {"extraData": b"\x01"},  # a single byte below 0x80 is its own encoding
        {"extraData": b"\xaa" * 32},
        {"requestsHash": b"\x09" * 32},  # Prague
        {"withdrawalsRoot": None, "blobGasUsed": None, "excessBlobGas": None, "parentBeaconBlockRoot": None},
    ],
)
def test_the_seed_is_the_headers_mix_hash(world, escrow, disputed, changes):
    number = draw_block_of(escrow, disputed)
    a = order_with(world, escrow, disputed, block_header.encode(fields(number, b"\xaa" * 32, **changes)))
    b = order_with(world, escrow, disputed, block_header.encode(fields(number, b"\xaa" * 32)))
    c = order_with(world, escrow, disputed, block_header.encode(fields(number, b"\xbb" * 32)))
    assert a == b  # only the mixHash matters, not the other fields
    assert a != c


def test_a_header_that_is_not_the_blocks_is_refused(world, escrow, disputed):
    number = draw_block_of(escrow, disputed)
    arm_blockhash(number, block_header.encode(fields(number, b"\xaa" * 32)))
    with boa.reverts("escrow: wrong block header"):
        escrow.draw_order(disputed.job_id, disputed.terms, 0, block_header.encode(fields(number, b"\xab" * 32)), 1)


@pytest.mark.parametrize(
    "header",
    [
        rlp.encode([b"\x01" * 32, b"\x02"]),  # a short list (prefix 0xf8)
        block_header.encode(fields(9, b"\xaa" * 32, extraData=b"\xaa" * 56)),  # a long string field
        # a long string whose bytes, misread as a short string, would end on a 32-byte string
        block_header.encode(fields(9, b"\xaa" * 32, extraData=b"\xaa" * 55 + b"\xa0" + b"\xbb" * 8)),
    ],
)
def test_unexpected_layouts_are_refused(world, escrow, disputed, header):
    number = draw_block_of(escrow, disputed)
    arm_blockhash(number, header)
    with boa.reverts("escrow: unexpected header layout"):
        escrow.draw_order(disputed.job_id, disputed.terms, 0, header, 1)


def test_mix_hash_must_be_a_32_byte_string(world, escrow, disputed):
    number = draw_block_of(escrow, disputed)
    # drop the mixHash: the nonce (8 bytes) now sits where it is read
    items = rlp.decode(block_header.encode(fields(number, b"\xaa" * 32)))
    del items[13]
    header = rlp.encode(items)
    arm_blockhash(number, header)
    with boa.reverts("escrow: unexpected header layout"):
        escrow.draw_order(disputed.job_id, disputed.terms, 0, header, 1)

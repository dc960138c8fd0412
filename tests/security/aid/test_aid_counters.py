"""Attack: running a mutual-aid counter past its field, so that it spills into the next one.

Terms versions (16 bits of the global word) and a member's claim numbers (16 bits of their
claim word) cannot be used up in a test by voting or filing 65,535 times: each test sets the
counter next to its end in storage (the slots from the contract's layout), uses the last value,
then asks for one more.

Defence: `set_terms` stops at version 65,535 ("aid: too many terms versions") and a member's
claims at number 65,535 ("aid: too many claims"), before anything is written.
"""

import boa
from eth_utils import keccak
from utils.aid import AGAINST, ONE, claim_id, file, set_terms, vote
from utils.boa_stack import travel

MAX16 = 2**16 - 1
OFF_G_VERSION, OFF_C_SEQ = 160, 198  # IwoMutualAid.vy: the global word's and a claim word's fields


def test_the_last_terms_version_then_no_more(world, c):
    aid = str(c.aid.address)
    slot = c.aid._storage._global.slot
    word = boa.env.get_storage(aid, slot)
    assert (word >> OFF_G_VERSION) & MAX16 == c.aid.terms_version() == 1  # the test terms
    boa.env.set_storage(aid, slot, word & ~(MAX16 << OFF_G_VERSION) | (MAX16 - 1) << OFF_G_VERSION)
    set_terms(world, max_months=11)
    assert c.aid.terms_version() == MAX16
    assert c.aid.terms().max_months == 11
    with boa.reverts("aid: too many terms versions"):
        set_terms(world, max_months=10)
    assert (c.aid.terms_version(), c.aid.terms().max_months) == (MAX16, 11)


def _claim_slot(c, index: int) -> int:
    """The storage slot of `_claims[index]` (a Vyper HashMap: keccak of the slot, then the key)."""
    base = c.aid._storage._claims.slot
    return int.from_bytes(keccak(base.to_bytes(32, "big") + index.to_bytes(32, "big")), "big")


def test_the_last_claim_number_then_no_more(world, c, member, voters):
    aid = str(c.aid.address)
    cid = file(c, member, 2 * ONE)  # over the auto-approval threshold: denied by vote, so closed
    travel(c.aid.claim(cid).contest_end - boa.env.timestamp)
    for v in voters:
        vote(c, v, cid, AGAINST)
    travel(c.aid.claim(cid).vote_end - boa.env.timestamp)
    c.aid.settle(cid)
    slot = _claim_slot(c, 0)
    word = boa.env.get_storage(aid, slot)
    assert (word >> OFF_C_SEQ) & MAX16 == 1  # the layout is where this test looks
    boa.env.set_storage(aid, slot, word & ~(MAX16 << OFF_C_SEQ) | (MAX16 - 1) << OFF_C_SEQ)
    last = file(c, member, 2 * ONE)
    assert last == claim_id(0, MAX16)
    travel(c.aid.claim(last).contest_end - boa.env.timestamp)
    for v in voters:
        vote(c, v, last, AGAINST)
    travel(c.aid.claim(last).vote_end - boa.env.timestamp)
    c.aid.settle(last)
    with boa.reverts("aid: too many claims"):
        file(c, member, ONE // 10)
    assert c.aid.member_window(0).claims == MAX16

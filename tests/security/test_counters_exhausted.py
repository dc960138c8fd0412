"""Attack: running a governor counter past its field, so that it spills into the next one.

The roll's member count (24 bits), a member's past terms (16 bits) and the settings version
(16 bits) cannot be used up in a test by admitting 16 million members or voting 65,535 times:
each test sets the counter next to its end in storage (slots from `vyper -f layout` of
IwoGovernor.vy), uses the last value, then asks for one more, as the governor itself (what an
executed proposal does). Proposal ids: tests/security/test_proposal_ids.py.

Defence: `admit_member` stops at 16,777,215 members ("governor: roll full") and at 65,535
past terms of one account ("governor: too many terms"); `update_settings` at version 65,535
("governor: too many settings versions"); nothing is written by a refused call.
"""

import boa
from attack_helpers import only
from eth_utils import keccak

from iwo.collective import Settings

SETTINGS_SLOT, MEMBER_SLOT, ROLL_SLOT = 0, 4, 7  # voting_settings._current, roll._member, roll._roll
COUNT_OFFSET, COUNT_MASK = 32, 2**24 - 1  # roll word: member count
TERMS_OFFSET, TERMS_MASK = 152, 2**16 - 1  # member word: past terms
VERSION_OFFSET, VERSION_MASK = 192, 2**16 - 1  # settings word: version


def _set_field(address: str, slot: int, offset: int, mask: int, value: int) -> None:
    word = boa.env.get_storage(address, slot)
    boa.env.set_storage(address, slot, word & ~(mask << offset) | value << offset)


def _field(address: str, slot: int, offset: int, mask: int) -> int:
    return (boa.env.get_storage(address, slot) >> offset) & mask


def _member_slot(account: str) -> int:
    """The slot of `roll._member[account]` (a Vyper HashMap: keccak of the slot, then the key)."""
    key = bytes.fromhex(account[2:]).rjust(32, b"\0")
    return int.from_bytes(keccak(MEMBER_SLOT.to_bytes(32, "big") + key), "big")


def test_the_last_seat_then_the_roll_is_full(collective, outsider, newcomer):
    gov = collective.governor
    me = str(gov.address)
    assert _field(me, ROLL_SLOT, COUNT_OFFSET, COUNT_MASK) == gov.member_count() == 3
    _set_field(me, ROLL_SLOT, COUNT_OFFSET, COUNT_MASK, COUNT_MASK - 1)
    gov.admit_member(newcomer, sender=me)
    assert gov.member_count() == COUNT_MASK
    with boa.reverts("governor: roll full"):
        gov.admit_member(outsider, sender=me)
    assert gov.member_count() == COUNT_MASK
    assert not gov.is_member(outsider)


def test_the_last_term_then_no_readmission(collective, founders):
    gov = collective.governor
    me = str(gov.address)
    leaver = founders[2]
    slot = _member_slot(leaver)  # an Account is its checksummed address
    gov.resign(sender=leaver)
    assert _field(me, slot, TERMS_OFFSET, TERMS_MASK) == 0  # the layout is where this test looks
    _set_field(me, slot, TERMS_OFFSET, TERMS_MASK, TERMS_MASK - 1)
    gov.admit_member(leaver, sender=me)  # the last term
    assert gov.is_member(leaver)
    assert _field(me, slot, TERMS_OFFSET, TERMS_MASK) == TERMS_MASK
    gov.resign(sender=leaver)
    with boa.reverts("governor: too many terms"):
        gov.admit_member(leaver, sender=me)
    assert not gov.is_member(leaver)


def test_the_last_settings_version_then_no_more(collective):
    gov = collective.governor
    me = str(gov.address)
    settings = Settings.from_struct(gov.settings())
    assert _field(me, SETTINGS_SLOT, VERSION_OFFSET, VERSION_MASK) == gov.settings_version()
    _set_field(me, SETTINGS_SLOT, VERSION_OFFSET, VERSION_MASK, VERSION_MASK - 1)
    longer = Settings(**(settings.__dict__ | {"voting_period": settings.voting_period + 1}))
    gov.update_settings(longer.as_tuple(), sender=me)
    assert only(gov, "SettingsChanged").version == VERSION_MASK
    assert gov.settings_version() == VERSION_MASK
    with boa.reverts("governor: too many settings versions"):
        gov.update_settings(settings.as_tuple(), sender=me)
    assert Settings.from_struct(gov.settings()) == longer

"""The membership card: a soulbound ERC-721 (ERC-5192) view of the governor's roll."""

import ape
import pytest

from iwo.collective import ETH

ZERO = ETH
MAX_UINT160 = 2**160 - 1
BASE = "https://cards.example.org/couriers/"


def tid(account) -> int:
    """A card's token id: its holder's address as an integer."""
    address = account if isinstance(account, str) else account.address
    return int(address, 16)


def only(receipt, event):
    logs = receipt.events.filter(event)
    assert len(logs) == 1, logs
    return logs[0]


def check_mint(receipt, card, holder):
    transfer = only(receipt, card.Transfer)
    locked = only(receipt, card.Locked)
    assert transfer.contract_address == locked.contract_address == card.address
    assert (transfer.sender, transfer.receiver, transfer.token_id) == (ZERO, holder.address, tid(holder))
    assert locked.tokenId == tid(holder)
    assert transfer.log_index < locked.log_index


def check_burn(receipt, card, holder):
    transfer = only(receipt, card.Transfer)
    assert transfer.contract_address == card.address
    assert (transfer.sender, transfer.receiver, transfer.token_id) == (holder.address, ZERO, tid(holder))
    assert not receipt.events.filter(card.Locked)


# --- soulbound ----------------------------------------------------------------


SOULBOUND_CALLS = {
    "transferFrom": lambda card, a, b: card.transferFrom(a, b, tid(a), sender=a),
    "safeTransferFrom": lambda card, a, b: card.safeTransferFrom(a, b, tid(a), sender=a),
    "safeTransferFrom+data": lambda card, a, b: card.safeTransferFrom(a, b, tid(a), b"hello", sender=a),
    "approve": lambda card, a, b: card.approve(b, tid(a), sender=a),
    "setApprovalForAll": lambda card, a, b: card.setApprovalForAll(b, True, sender=a),
}


@pytest.mark.parametrize("name", list(SOULBOUND_CALLS))
def test_soulbound(collective, member, outsider, name):
    card = collective.card
    with ape.reverts("card: soulbound"):
        SOULBOUND_CALLS[name](card, member, outsider)
    assert card.ownerOf(tid(member)) == member.address
    assert card.balanceOf(outsider) == 0
    assert card.getApproved(tid(member)) == ZERO
    assert not card.isApprovedForAll(member, outsider)


def test_soulbound_even_for_value_and_strangers(collective, member, outsider):
    card = collective.card
    with ape.reverts("card: soulbound"):
        card.transferFrom(member, outsider, tid(member), sender=outsider, value=1)
    with ape.reverts("card: soulbound"):
        card.approve(outsider, tid(outsider), sender=outsider)
    with ape.reverts("card: soulbound"):
        card.setApprovalForAll(outsider, False, sender=outsider)


def test_safe_transfer_from_has_both_forms(collective):
    forms = sorted(len(abi.inputs) for abi in collective.card.safeTransferFrom.abis)
    assert forms == [3, 4]


# --- ERC-721 views ------------------------------------------------------------


def test_token_id_is_the_holder_address(collective, founders, outsider):
    card = collective.card
    for f in founders:
        assert card.token_id_of(f) == tid(f)
        assert card.ownerOf(tid(f)) == f.address
    # defined whether or not the card exists
    assert card.token_id_of(outsider) == tid(outsider)
    assert card.token_id_of(ZERO) == 0


def test_name_symbol_and_wiring(collective):
    card = collective.card
    assert card.name() == "Couriers United"
    assert card.symbol() == "CU"
    assert card.governor() == collective.governor.address
    assert card.initialized()


def test_balance_of(collective, founders, outsider):
    card = collective.card
    for f in founders:
        assert card.balanceOf(f) == 1
    assert card.balanceOf(outsider) == 0
    with ape.reverts("card: zero address"):
        card.balanceOf(ZERO)


@pytest.mark.parametrize("view", ["ownerOf", "tokenURI", "getApproved", "locked"])
@pytest.mark.parametrize("token_id", ["outsider", 0, MAX_UINT160 + 1, 2**256 - 1])
def test_missing_card(collective, outsider, view, token_id):
    token_id = tid(outsider) if token_id == "outsider" else token_id
    with ape.reverts("card: no such card"):
        getattr(collective.card, view)(token_id)


def test_existing_card_views(collective, member):
    card = collective.card
    assert card.ownerOf(tid(member)) == member.address
    assert card.getApproved(tid(member)) == ZERO
    assert card.locked(tid(member)) is True
    assert card.tokenURI(tid(member)) == ""  # no base URI yet
    assert card.base_uri() == ""
    assert card.isApprovedForAll(member, member) is False


@pytest.mark.parametrize(
    "interface_id,supported",
    [
        ("01ffc9a7", True),  # ERC-165
        ("80ac58cd", True),  # ERC-721
        ("5b5e139f", True),  # ERC-721 metadata
        ("b45a3c0e", True),  # ERC-5192
        ("ffffffff", False),  # ERC-165: must be false
        ("00000000", False),
        ("780e9d63", False),  # ERC-721 enumerable: not implemented
    ],
)
def test_supports_interface(collective, interface_id, supported):
    assert collective.card.supportsInterface(bytes.fromhex(interface_id)) is supported


# --- mint and burn follow the roll ----------------------------------------------


def test_founders_cards_minted_at_creation(collective, founders):
    c = collective
    transfers = c.receipt.events.filter(c.card.Transfer)
    locks = c.receipt.events.filter(c.card.Locked)
    assert [(t.sender, t.receiver, t.token_id) for t in transfers] == [(ZERO, f.address, tid(f)) for f in founders]
    assert [lk.tokenId for lk in locks] == [tid(f) for f in founders]
    assert all(t.contract_address == c.card.address for t in list(transfers) + list(locks))


def test_admission_mints(collective, founders, newcomer, gov_helpers):
    h, c = gov_helpers, collective
    assert c.card.balanceOf(newcomer) == 0
    act = h.action(c.governor, "admit_member", newcomer.address)
    _, receipt = h.pass_proposal(c, founders[0], founders, actions=[act])
    check_mint(receipt, c.card, newcomer)
    assert c.card.balanceOf(newcomer) == 1
    assert c.card.ownerOf(tid(newcomer)) == newcomer.address
    assert c.card.locked(tid(newcomer))
    assert c.card.totalSupply() == 4


def test_resignation_burns(collective, founders):
    c = collective
    leaver = founders[2]
    receipt = c.governor.resign(sender=leaver)
    check_burn(receipt, c.card, leaver)
    assert c.card.balanceOf(leaver) == 0
    assert c.card.totalSupply() == 2
    with ape.reverts("card: no such card"):
        c.card.ownerOf(tid(leaver))
    with ape.reverts("card: no such card"):
        c.card.locked(tid(leaver))


def test_revocation_burns(collective, founders, gov_helpers):
    h, c = gov_helpers, collective
    act = h.action(c.governor, "revoke_member", founders[1].address)
    pid, receipt = h.pass_proposal(c, founders[0], founders, actions=[act])
    assert c.governor.proposal(pid)[8]  # revocation is constitutional
    check_burn(receipt, c.card, founders[1])
    assert c.card.balanceOf(founders[1]) == 0
    with ape.reverts("card: no such card"):
        c.card.tokenURI(tid(founders[1]))


def test_readmission_gives_the_same_card_back(collective, founders, gov_helpers):
    h, c = gov_helpers, collective
    m = founders[2]
    left = c.governor.resign(sender=m).timestamp
    act = h.action(c.governor, "admit_member", m.address)
    _, receipt = h.pass_proposal(c, founders[0], founders[:2], actions=[act])
    check_mint(receipt, c.card, m)
    back = receipt.timestamp
    assert c.card.ownerOf(tid(m)) == m.address
    assert c.card.held_at(m, left - 1)
    assert not c.card.held_at(m, left)
    assert not c.card.held_at(m, back - 1)
    assert c.card.held_at(m, back)


@pytest.mark.parametrize("who", ["organizer", "member", "outsider"])
def test_mint_burn_and_base_uri_only_by_governor(collective, organizer, member, outsider, who):
    card = collective.card
    caller = {"organizer": organizer, "member": member, "outsider": outsider}[who]
    with ape.reverts("card: only the governor"):
        card.mint(outsider, sender=caller)
    with ape.reverts("card: only the governor"):
        card.burn(member, sender=caller)
    with ape.reverts("card: only the governor"):
        card.set_base_uri("https://evil.example/", sender=caller)
    assert card.base_uri() == ""
    assert card.totalSupply() == 3


# --- metadata -------------------------------------------------------------------


def test_set_base_uri_by_vote(collective, founders, member, gov_helpers):
    h, c = gov_helpers, collective
    acts = [h.action(c.card, "set_base_uri", "ipfs://old/"), h.action(c.card, "set_base_uri", BASE)]
    pid, receipt = h.pass_proposal(c, founders[0], founders, actions=acts)
    assert c.governor.proposal(pid)[8]  # constitutional
    events = receipt.events.filter(c.card.BaseURIChanged)
    assert [(e.old_uri, e.new_uri) for e in events] == [("", "ipfs://old/"), ("ipfs://old/", BASE)]
    assert c.card.base_uri() == BASE
    for f in founders:
        assert c.card.tokenURI(tid(f)) == BASE + str(tid(f))
    assert c.card.tokenURI(tid(member)) == BASE + str(int(member.address, 16))


def test_token_uri_at_the_limits(collective, founders, gov_helpers):
    h, c = gov_helpers, collective
    base = "b" * 128
    h.pass_proposal(c, founders[0], founders, actions=[h.action(c.card, "set_base_uri", base)])
    assert c.card.tokenURI(tid(founders[1])) == base + str(tid(founders[1]))


# --- supply and history -----------------------------------------------------------


def test_total_supply_and_history(collective, founders, newcomer, gov_helpers):
    h, c = gov_helpers, collective
    card = c.card
    created = c.receipt.timestamp
    assert card.totalSupply() == 3
    assert card.total_supply_at(created - 1) == 0
    assert card.total_supply_at(created) == 3
    assert card.held_at(founders[0], created)
    assert not card.held_at(founders[0], created - 1)
    assert not card.held_at(newcomer, created)

    act = h.action(c.governor, "admit_member", newcomer.address)
    _, receipt = h.pass_proposal(c, founders[0], founders, actions=[act])
    admitted = receipt.timestamp
    assert card.totalSupply() == 4
    assert card.total_supply_at(admitted - 1) == 3
    assert card.total_supply_at(admitted) == 4
    assert card.held_at(newcomer, admitted)
    assert not card.held_at(newcomer, admitted - 1)

    left = c.governor.resign(sender=founders[1]).timestamp
    assert card.totalSupply() == 3
    assert card.total_supply_at(left - 1) == 4
    assert card.total_supply_at(left) == 3
    assert card.total_supply_at(left + 10**6) == 3
    assert card.total_supply_at(created) == 3  # history is not rewritten
    assert card.held_at(founders[1], left - 1)
    assert not card.held_at(founders[1], left)

"""The membership card: a soulbound ERC-721 (ERC-5192) view of the governor's roll."""

import boa
import pytest
from eth_utils import to_checksum_address
from utils.boa_stack import events
from utils.constants import ZERO
from utils.flows import token_id as tid

MAX_UINT160 = 2**160 - 1
BASE = "https://cards.example.org/couriers/"


def card_logs(sent_through, card):
    """(event name, fields) of the logs the card emitted in the last transaction, in order."""
    logs = sent_through if isinstance(sent_through, list) else sent_through.get_logs()
    found = []
    for log in logs:
        fields = log._asdict()
        if to_checksum_address(str(fields.pop("address"))) == card.address:
            found.append((type(log).__name__, fields))
    return found


def check_mint(sent_through, card, holder):
    assert card_logs(sent_through, card) == [
        ("Transfer", dict(sender=ZERO, receiver=holder.address, token_id=tid(holder))),
        ("Locked", dict(tokenId=tid(holder))),
    ]


def check_burn(sent_through, card, holder):
    assert card_logs(sent_through, card) == [
        ("Transfer", dict(sender=holder.address, receiver=ZERO, token_id=tid(holder))),
    ]


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
    with boa.reverts("card: soulbound"):
        SOULBOUND_CALLS[name](card, member, outsider)
    assert card.ownerOf(tid(member)) == member.address
    assert card.balanceOf(outsider) == 0
    assert card.getApproved(tid(member)) == ZERO
    assert not card.isApprovedForAll(member, outsider)


def test_soulbound_even_for_value_and_strangers(collective, member, outsider):
    card = collective.card
    with boa.reverts("card: soulbound"):
        card.transferFrom(member, outsider, tid(member), sender=outsider, value=1)
    with boa.reverts("card: soulbound"):
        card.approve(outsider, tid(outsider), sender=outsider)
    with boa.reverts("card: soulbound"):
        card.setApprovalForAll(outsider, False, sender=outsider)


def test_safe_transfer_from_has_both_forms(collective):
    forms = sorted(len(item["inputs"]) for item in collective.card.abi if item.get("name") == "safeTransferFrom")
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
    with boa.reverts("card: zero address"):
        card.balanceOf(ZERO)


@pytest.mark.parametrize("view", ["ownerOf", "tokenURI", "getApproved", "locked"])
@pytest.mark.parametrize("token_id", ["outsider", 0, MAX_UINT160 + 1, 2**256 - 1])
def test_missing_card(collective, outsider, view, token_id):
    token_id = tid(outsider) if token_id == "outsider" else token_id
    with boa.reverts("card: no such card"):
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
    logs = card_logs(c.logs, c.card)
    transfers = [fields for name, fields in logs if name == "Transfer"]
    locks = [fields for name, fields in logs if name == "Locked"]
    assert [(t["sender"], t["receiver"], t["token_id"]) for t in transfers] == [
        (ZERO, f.address, tid(f)) for f in founders
    ]
    assert [lk["tokenId"] for lk in locks] == [tid(f) for f in founders]
    assert [name for name, _ in logs] == ["Transfer", "Locked"] * 3


def test_admission_mints(collective, founders, newcomer, gov_helpers):
    h, c = gov_helpers, collective
    assert c.card.balanceOf(newcomer) == 0
    act = h.action(c.governor, "admit_member", newcomer.address)
    h.pass_proposal(c, founders[0], founders, actions=[act])
    check_mint(c.governor, c.card, newcomer)
    assert c.card.balanceOf(newcomer) == 1
    assert c.card.ownerOf(tid(newcomer)) == newcomer.address
    assert c.card.locked(tid(newcomer))
    assert c.card.totalSupply() == 4


def test_resignation_burns(collective, founders):
    c = collective
    leaver = founders[2]
    c.governor.resign(sender=leaver)
    check_burn(c.governor, c.card, leaver)
    assert c.card.balanceOf(leaver) == 0
    assert c.card.totalSupply() == 2
    with boa.reverts("card: no such card"):
        c.card.ownerOf(tid(leaver))
    with boa.reverts("card: no such card"):
        c.card.locked(tid(leaver))


def test_revocation_burns(collective, founders, gov_helpers):
    h, c = gov_helpers, collective
    act = h.action(c.governor, "revoke_member", founders[1].address)
    pid = h.pass_proposal(c, founders[0], founders, actions=[act])
    check_burn(c.governor, c.card, founders[1])
    assert c.governor.proposal(pid).constitutional  # revocation is constitutional
    assert c.card.balanceOf(founders[1]) == 0
    with boa.reverts("card: no such card"):
        c.card.tokenURI(tid(founders[1]))


def test_readmission_gives_the_same_card_back(collective, founders, gov_helpers):
    h, c = gov_helpers, collective
    m = founders[2]
    c.governor.resign(sender=m)
    left = boa.env.timestamp
    act = h.action(c.governor, "admit_member", m.address)
    h.pass_proposal(c, founders[0], founders[:2], actions=[act])
    check_mint(c.governor, c.card, m)
    back = boa.env.timestamp
    assert c.card.ownerOf(tid(m)) == m.address
    assert c.card.held_at(m, left - 1)
    assert not c.card.held_at(m, left)
    assert not c.card.held_at(m, back - 1)
    assert c.card.held_at(m, back)


@pytest.mark.parametrize("who", ["organizer", "member", "outsider"])
def test_mint_burn_and_base_uri_only_by_governor(collective, organizer, member, outsider, who):
    card = collective.card
    caller = {"organizer": organizer, "member": member, "outsider": outsider}[who]
    with boa.reverts("card: only the governor"):
        card.mint(outsider, sender=caller)
    with boa.reverts("card: only the governor"):
        card.burn(member, sender=caller)
    with boa.reverts("card: only the governor"):
        card.set_base_uri("https://evil.example/", sender=caller)
    assert card.base_uri() == ""
    assert card.totalSupply() == 3


# --- metadata -------------------------------------------------------------------


def test_set_base_uri_by_vote(collective, founders, member, gov_helpers):
    h, c = gov_helpers, collective
    acts = [h.action(c.card, "set_base_uri", "ipfs://old/"), h.action(c.card, "set_base_uri", BASE)]
    pid = h.pass_proposal(c, founders[0], founders, actions=acts)
    changes = events(c.governor, "BaseURIChanged")
    assert [(e["old_uri"], e["new_uri"]) for e in changes] == [("", "ipfs://old/"), ("ipfs://old/", BASE)]
    assert c.governor.proposal(pid).constitutional
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
    created = c.created
    assert card.totalSupply() == 3
    assert card.total_supply_at(created - 1) == 0
    assert card.total_supply_at(created) == 3
    assert card.held_at(founders[0], created)
    assert not card.held_at(founders[0], created - 1)
    assert not card.held_at(newcomer, created)

    act = h.action(c.governor, "admit_member", newcomer.address)
    h.pass_proposal(c, founders[0], founders, actions=[act])
    admitted = boa.env.timestamp
    assert card.totalSupply() == 4
    assert card.total_supply_at(admitted - 1) == 3
    assert card.total_supply_at(admitted) == 4
    assert card.held_at(newcomer, admitted)
    assert not card.held_at(newcomer, admitted - 1)

    c.governor.resign(sender=founders[1])
    left = boa.env.timestamp
    assert card.totalSupply() == 3
    assert card.total_supply_at(left - 1) == 4
    assert card.total_supply_at(left) == 3
    assert card.total_supply_at(left + 10**6) == 3
    assert card.total_supply_at(created) == 3  # history is not rewritten
    assert card.held_at(founders[1], left - 1)
    assert not card.held_at(founders[1], left)

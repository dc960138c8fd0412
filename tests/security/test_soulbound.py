"""Attack 11: moving, approving, minting or burning a membership card outside the roll.

Defence: every ERC-721 transfer and approval entry point of IwoCard reverts
with "card: soulbound"; mint, burn and set_base_uri only answer the
governor; and the governor refuses, at propose time, a proposal that calls
mint or burn on its card ("governor: cards follow the roll only"), so
cards appear and vanish only with admissions, revocations and resignations.
"""

import boa
import pytest
from attack_helpers import ZERO, balance, pending, token_id


def test_every_erc721_transfer_and_approval_path_is_refused(collective, member, founders, outsider):
    card = collective.card
    tid = token_id(member)
    attempts = [
        ("transferFrom", lambda who: card.transferFrom(member, outsider, tid, sender=who)),
        ("safeTransferFrom", lambda who: card.safeTransferFrom(member, outsider, tid, sender=who)),
        ("safeTransferFrom+data", lambda who: card.safeTransferFrom(member, outsider, tid, b"\x01", sender=who)),
        ("transferFrom to self", lambda who: card.transferFrom(member, member, tid, sender=who)),
        ("transferFrom with ETH", lambda who: card.transferFrom(member, outsider, tid, sender=who, value=1)),
        ("approve", lambda who: card.approve(outsider, tid, sender=who)),
        ("approve zero", lambda who: card.approve(ZERO, tid, sender=who)),
        ("setApprovalForAll", lambda who: card.setApprovalForAll(outsider, True, sender=who)),
        ("setApprovalForAll off", lambda who: card.setApprovalForAll(outsider, False, sender=who)),
    ]
    for who in (member, outsider, founders[1]):
        for _name, attempt in attempts:
            with boa.reverts("card: soulbound"):
                attempt(who)
    assert card.ownerOf(tid) == member.address
    assert card.balanceOf(member) == 1
    assert card.balanceOf(outsider) == 0
    assert card.getApproved(tid) == ZERO
    assert not card.isApprovedForAll(member, outsider)
    assert card.locked(tid)
    assert card.totalSupply() == 3
    assert balance(card) == 0


def test_mint_burn_and_uri_only_answer_the_governor(collective, organizer, member, outsider):
    card = collective.card
    for who in (organizer, member, outsider):
        with boa.reverts("card: only the governor"):
            card.mint(outsider, sender=who)
        with boa.reverts("card: only the governor"):
            card.burn(member, sender=who)
        with boa.reverts("card: only the governor"):
            card.set_base_uri("https://evil.example/", sender=who)
    assert card.totalSupply() == 3
    assert card.base_uri() == ""
    with boa.reverts("card: no such card"):
        card.ownerOf(token_id(outsider))


@pytest.mark.parametrize("method", ["mint", "burn"])
def test_proposal_calling_card_mint_or_burn_is_refused(collective, founders, outsider, sink, gov_helpers, method):
    c = collective
    gov = c.governor
    who = outsider if method == "mint" else founders[2]
    direct = gov_helpers.action(c.card, method, who.address)
    harmless = (sink.address, 0, b"")
    for actions in ([direct], [harmless, direct], [harmless] * 7 + [direct]):
        with boa.reverts("governor: cards follow the roll only"):
            gov.propose(actions, "print a card", sender=founders[0])
    assert gov.proposal_count() == 0
    # the same selector on another target is an ordinary action
    elsewhere = (sink.address, 0, bytes(direct[2]))
    gov_helpers.propose(c, founders[0], [elsewhere], "not the card")
    assert gov.proposal_count() == 1


def test_even_the_governor_cannot_transfer_a_card(paid, founders, outsider, gov_helpers, flow):
    c = paid
    gov = c.governor
    card = c.card
    victim = founders[2]
    actions = [gov_helpers.action(card, "transferFrom", victim.address, outsider.address, token_id(victim))]
    pid = flow.start(c, founders[0], actions, voters=founders[:2])
    flow.queue(c, pid, founders[0])
    pending(gov.proposal(pid).eta)
    with boa.reverts("card: soulbound"):
        gov.execute(pid, actions, sender=founders[0])
    assert card.ownerOf(token_id(victim)) == victim.address
    assert gov.is_member(victim)
    assert not gov.is_member(outsider)

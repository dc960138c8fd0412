"""Attack 10: initialising an implementation, or re-initialising a clone, to take it over.

Defence: each implementation marks itself initialised in its constructor
(governor.card, treasury.governor, card.governor, the mutual-aid contract's
governor and escrow.governor point at itself), and a
clone is initialised by the factory in the transaction that creates it, so
any later `initialize` call meets "already initialized" before anything is
written.
"""

import boa
from attack_helpers import ETH, SETTINGS, pending


def _takeover_args(kind, attacker):
    return {
        "governor": (attacker.address, attacker.address, [attacker.address], SETTINGS.as_tuple()),
        "treasury": (attacker.address, attacker.address, ETH, 1, 1),
        "card": (attacker.address, "Mine", "MINE"),
        "aid": (attacker.address, ETH),
        "escrow": (attacker.address, attacker.address),
    }[kind]


def test_implementations_are_locked(implementations, factory, outsider):
    impls = {
        "governor": implementations.governor,
        "treasury": implementations.treasury,
        "card": implementations.card,
        "aid": implementations.aid,
        "escrow": implementations.escrow,
    }
    assert factory.aid_implementation() == impls["aid"].address
    assert factory.escrow_implementation() == impls["escrow"].address
    assert factory.governor_implementation() == impls["governor"].address
    assert factory.treasury_implementation() == impls["treasury"].address
    assert factory.card_implementation() == impls["card"].address
    for kind, impl in impls.items():
        assert impl.initialized()
        with boa.reverts(f"{kind}: already initialized"):
            impl.initialize(*_takeover_args(kind, outsider), sender=outsider)
    assert impls["governor"].card() == impls["governor"].address
    assert impls["governor"].treasury() == "0x" + "00" * 20
    assert impls["governor"].member_count() == 0
    assert not impls["governor"].is_member(outsider)
    assert impls["treasury"].governor() == impls["treasury"].address
    assert impls["card"].governor() == impls["card"].address
    assert impls["aid"].governor() == impls["aid"].address
    assert impls["escrow"].governor() == impls["escrow"].address


def test_clones_cannot_be_initialized_twice(collective, organizer, member, outsider):
    c = collective
    clones = {"governor": c.governor, "treasury": c.treasury, "card": c.card, "aid": c.aid, "escrow": c.escrow}
    wiring = (
        c.governor.card(),
        c.governor.treasury(),
        c.treasury.governor(),
        c.card.governor(),
        c.treasury.aid(),
        c.aid.governor(),
    )
    escrow_wiring = (c.escrow.governor(), c.escrow.treasury())
    terms = c.treasury.dues_terms()
    for who in (outsider, organizer, member):
        for kind, clone in clones.items():
            with boa.reverts(f"{kind}: already initialized"):
                clone.initialize(*_takeover_args(kind, who), sender=who)
    assert wiring == (
        c.card.address,
        c.treasury.address,
        c.governor.address,
        c.governor.address,
        c.aid.address,
        c.governor.address,
    )
    assert escrow_wiring == (c.governor.address, c.treasury.address)
    assert c.treasury.dues_terms() == terms
    assert c.governor.member_count() == 3
    assert not c.governor.is_member(outsider)
    assert c.card.name() == "Couriers United"
    assert c.governor.settings_version() == 0


def test_a_vote_cannot_reinitialize_either(paid, founders, outsider, gov_helpers, flow):
    """Not even the collective's own governor can re-wire itself, its treasury, card or aid fund."""
    c = paid
    gov = c.governor
    targets = (("governor", gov), ("treasury", c.treasury), ("card", c.card), ("aid", c.aid))
    for proposer, (kind, target) in zip([*founders, founders[0]], targets, strict=True):
        if kind == "aid":  # founders[0]'s first proposal is still queued: let it expire first
            pending(gov.proposal(1).eta + SETTINGS.execution_window)
        actions = [gov_helpers.action(target, "initialize", *_takeover_args(kind, outsider))]
        pid = flow.start(c, proposer, actions, voters=founders)
        flow.queue(c, pid, proposer)
        pending(gov.proposal(pid).eta)
        with boa.reverts(f"{kind}: already initialized"):
            gov.execute(pid, actions, sender=proposer)
    assert c.treasury.governor() == c.card.governor() == c.aid.governor() == gov.address
    assert c.treasury.aid() == c.aid.address
    assert (gov.card(), gov.treasury()) == (c.card.address, c.treasury.address)
    assert gov.member_count() == 3

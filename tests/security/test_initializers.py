"""Attack 10: initialising an implementation, or re-initialising a clone, to take it over.

Defence: each implementation marks itself initialised in its constructor
(governor.card, treasury.governor, card.governor and escrow.governor point
at itself), and a
clone is initialised by the factory in the transaction that creates it, so
any later `initialize` call meets "already initialized" before anything is
written.
"""

import ape
from attack_helpers import ETH, P_ETA, SETTINGS


def _takeover_args(kind, attacker):
    return {
        "governor": (attacker.address, attacker.address, [attacker.address], SETTINGS.as_tuple()),
        "treasury": (attacker.address, ETH, 1, 1),
        "card": (attacker.address, "Mine", "MINE"),
        "escrow": (attacker.address, attacker.address),
    }[kind]


def test_implementations_are_locked(implementations, factory, outsider):
    impls = {
        "governor": implementations.governor,
        "treasury": implementations.treasury,
        "card": implementations.card,
        "escrow": implementations.escrow,
    }
    assert factory.escrow_implementation() == impls["escrow"].address
    assert factory.governor_implementation() == impls["governor"].address
    assert factory.treasury_implementation() == impls["treasury"].address
    assert factory.card_implementation() == impls["card"].address
    for kind, impl in impls.items():
        assert impl.initialized()
        with ape.reverts(f"{kind}: already initialized"):
            impl.initialize(*_takeover_args(kind, outsider), sender=outsider)
    assert impls["governor"].card() == impls["governor"].address
    assert impls["governor"].treasury() == "0x" + "00" * 20
    assert impls["governor"].member_count() == 0
    assert not impls["governor"].is_member(outsider)
    assert impls["treasury"].governor() == impls["treasury"].address
    assert impls["card"].governor() == impls["card"].address
    assert impls["escrow"].governor() == impls["escrow"].address


def test_clones_cannot_be_initialized_twice(collective, organizer, member, outsider):
    c = collective
    clones = {"governor": c.governor, "treasury": c.treasury, "card": c.card, "escrow": c.escrow}
    wiring = (c.governor.card(), c.governor.treasury(), c.treasury.governor(), c.card.governor())
    escrow_wiring = (c.escrow.governor(), c.escrow.treasury())
    terms = c.treasury.dues_terms()
    for who in (outsider, organizer, member):
        for kind, clone in clones.items():
            with ape.reverts(f"{kind}: already initialized"):
                clone.initialize(*_takeover_args(kind, who), sender=who)
    assert wiring == (c.card.address, c.treasury.address, c.governor.address, c.governor.address)
    assert escrow_wiring == (c.governor.address, c.treasury.address)
    assert c.treasury.dues_terms() == terms
    assert c.governor.member_count() == 3
    assert not c.governor.is_member(outsider)
    assert c.card.name() == "Couriers United"
    assert c.governor.settings_version() == 0


def test_a_vote_cannot_reinitialize_either(paid, founders, outsider, gov_helpers, flow, chain):
    """Not even the collective's own governor can re-wire itself, its treasury or its card."""
    c = paid
    gov = c.governor
    for proposer, (kind, target) in zip(
        founders, (("governor", gov), ("treasury", c.treasury), ("card", c.card)), strict=True
    ):
        actions = [gov_helpers.action(target, "initialize", *_takeover_args(kind, outsider))]
        pid = flow.start(c, proposer, actions, voters=founders)
        flow.queue(c, pid, proposer)
        chain.pending_timestamp = gov.proposal(pid)[P_ETA]
        with ape.reverts(f"{kind}: already initialized"):
            gov.execute(pid, actions, sender=proposer)
    assert c.treasury.governor() == c.card.governor() == gov.address
    assert (gov.card(), gov.treasury()) == (c.card.address, c.treasury.address)
    assert gov.member_count() == 3

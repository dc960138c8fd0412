"""Wiring (factory, initialize, locked implementation), default terms, `set_terms` by vote."""

import boa
import pytest
from utils.aid import DEFAULT_TERMS, TERMS_FIELDS, as_dict, terms
from utils.boa_stack import ETH, action, at_address, contract, create_collective, events, govern

# boa casts each new EIP-1167 clone to its implementation and warns that the codes differ
pytestmark = pytest.mark.filterwarnings("ignore:casted bytecode does not match")


def test_factory_wires_the_aid_fund(stack, fresh):
    c = fresh.c
    assert c.treasury.aid() == c.aid.address
    assert c.aid.governor() == c.governor.address
    assert c.aid.treasury() == c.treasury.address
    assert c.aid.asset() == ETH
    assert c.aid.initialized()
    assert stack.factory.aid_implementation() == stack.aid.address


def test_collective_created_names_the_aid_fund(stack, founders, organizer):
    with boa.env.prank(organizer):
        governor, card, treasury = stack.factory.create_collective(
            "Riders",
            "RD",
            founders[:2],
            ETH,
            10**16,
            30 * 86_400,
            (86_400, 3 * 86_400, 86_400, 7 * 86_400, 2500, 6667, 7 * 86_400),
        )
    (ev,) = events(stack.factory, "CollectiveCreated")
    t = at_address("IwoTreasury", treasury)
    assert ev.aid == t.aid()
    assert (ev.governor, ev.card, ev.treasury) == (governor, card, treasury)


def test_a_token_collective_pays_aid_in_its_token(stack, founders, organizer):
    token = contract("MockToken").deploy("Stable", "USDX", 6)
    c = create_collective(stack, founders[:2], sender=organizer, dues_asset=token.address, dues=5 * 10**6)
    assert c.aid.asset() == token.address
    assert c.treasury.dues_asset() == token.address


def test_default_terms_are_version_zero(fresh):
    aid = fresh.c.aid
    assert aid.terms_version() == 0
    assert as_dict(aid.terms()) == DEFAULT_TERMS
    assert as_dict(aid.terms_at(0)) == DEFAULT_TERMS
    with boa.reverts("aid: unknown terms version"):
        aid.terms_at(1)


def test_implementation_is_locked(stack, organizer):
    assert stack.aid.initialized()
    with boa.env.prank(organizer), boa.reverts("aid: already initialized"):
        stack.aid.initialize(organizer, ETH)


def test_clone_initializes_once(fresh, outsider):
    with boa.env.prank(outsider), boa.reverts("aid: already initialized"):
        fresh.c.aid.initialize(outsider, ETH)


def test_raw_clone_refuses_zero_governor(stack, organizer):
    maker = contract("CloneMaker").deploy()
    clone = maker.clone(stack.aid.address)
    aid = at_address("IwoMutualAid", clone)
    with boa.reverts("aid: zero governor"):
        aid.initialize(ETH, ETH)
    assert not aid.initialized()
    aid.initialize(organizer, ETH)
    assert aid.governor() == organizer


def test_set_terms_by_vote(fresh):
    c, founders = fresh.c, fresh.founders
    wanted = terms(deposit=10**15, categories=0b101)
    pid = govern(c, [action(c.aid, "set_terms", wanted)], founders[0], founders)
    (ev,) = events(c.governor, "TermsChanged")
    assert (ev.version, ev.proposal_id) == (1, pid)
    assert tuple(getattr(ev.terms, f) for f in TERMS_FIELDS) == wanted
    assert c.aid.terms_version() == 1
    assert tuple(c.aid.terms()) == wanted
    assert tuple(c.aid.terms_at(1)) == wanted
    assert as_dict(c.aid.terms_at(0)) == DEFAULT_TERMS


@pytest.mark.parametrize("who", ["member", "outsider", "governor"])
def test_set_terms_only_by_vote(fresh, outsider, who):
    c = fresh.c
    sender = {"member": fresh.founders[0], "outsider": outsider, "governor": c.governor.address}[who]
    with boa.env.prank(sender), boa.reverts("aid: only by vote"):
        c.aid.set_terms(terms())
    assert c.aid.terms_version() == 0


BAD_TERMS = [
    (dict(waiting_period=365 * 86_400 + 1), "aid: waiting period too long"),
    (dict(contest_window=0), "aid: contest window out of range"),
    (dict(contest_window=14 * 86_400 + 1), "aid: contest window out of range"),
    (dict(vote_period=0), "aid: vote period out of range"),
    (dict(vote_period=14 * 86_400 + 1), "aid: vote period out of range"),
    (dict(min_objections=0), "aid: objection count out of range"),
    (dict(min_objections=2**24), "aid: objection count out of range"),
    (dict(objection_bps=0), "aid: objection share out of range"),
    (dict(objection_bps=10_001), "aid: objection share out of range"),
    (dict(quorum_bps=10_001), "aid: quorum out of range"),
    (dict(max_months=0), "aid: duration out of range"),
    (dict(max_months=37), "aid: duration out of range"),
    (dict(throttle_divisor=3), "aid: throttle out of range"),
    (dict(throttle_divisor=121), "aid: throttle out of range"),
    (dict(unclaimed_months=3), "aid: unclaimed window too long"),
    (dict(categories=0), "aid: categories out of range"),
    (dict(categories=256), "aid: categories out of range"),
    (dict(deposit=2**72), "aid: amount too large"),
    (dict(auto_approve_max=2**72), "aid: amount too large"),
    (dict(claim_cap=2**72), "aid: amount too large"),
    (dict(member_cap=2**72), "aid: amount too large"),
]


@pytest.mark.parametrize("changes,reason", BAD_TERMS)
def test_set_terms_validation(fresh, changes, reason):
    c, founders = fresh.c, fresh.founders
    act = action(c.aid, "set_terms", terms(**changes))
    with boa.reverts(reason):
        govern(c, [act], founders[0], founders)
    assert c.aid.terms_version() == 0


def test_set_terms_edges_accepted(fresh):
    c, founders = fresh.c, fresh.founders
    edges = terms(
        waiting_period=0,
        contest_window=14 * 86_400,
        vote_period=1,
        min_objections=2**24 - 1,
        objection_bps=10_000,
        quorum_bps=0,
        max_months=36,
        throttle_divisor=4,
        unclaimed_months=0,
        categories=255,
        deposit=2**72 - 1,
        auto_approve_max=2**72 - 1,
        claim_cap=2**72 - 1,
        member_cap=2**72 - 1,
    )
    govern(c, [action(c.aid, "set_terms", edges)], founders[0], founders)
    assert tuple(c.aid.terms()) == edges

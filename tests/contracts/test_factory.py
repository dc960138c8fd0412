"""The factory: one transaction creates, wires and registers a collective; nobody keeps power."""

import boa
import pytest
from utils.boa_stack import contract, events, only
from utils.constants import DUES, ETH, PERIOD, SETTINGS, ZERO

from iwo.collective import Settings

MAX_FOUNDERS = 64
EIP1167_PREFIX = bytes.fromhex("363d3d373d3d3d363d73")
EIP1167_SUFFIX = bytes.fromhex("5af43d82803e903d91602b57fd5bf3")


def distinct_addresses(n):
    # digits only: valid without checksum, and never a test account
    return ["0x" + str(10**38 + i).rjust(40, "0") for i in range(1, n + 1)]


def test_factory_keeps_its_implementations(factory, implementations):
    assert factory.card_implementation() == implementations.card.address
    assert factory.treasury_implementation() == implementations.treasury.address
    assert factory.governor_implementation() == implementations.governor.address
    assert factory.aid_implementation() == implementations.aid.address
    assert factory.escrow_implementation() == implementations.escrow.address


@pytest.mark.parametrize(
    "missing,reason",
    [
        ("card", "factory: card implementation missing"),
        ("treasury", "factory: treasury implementation missing"),
        ("governor", "factory: governor implementation missing"),
        ("aid", "factory: aid implementation missing"),
        ("escrow", "factory: escrow implementation missing"),
    ],
)
def test_factory_needs_implementations(organizer, outsider, implementations, missing, reason):
    names = ("card", "treasury", "governor", "aid", "escrow")
    impls = {k: getattr(implementations, k).address for k in names}
    impls[missing] = outsider.address  # an account without code
    with boa.reverts(reason), boa.env.prank(organizer):
        contract("IwoFactory").deploy(*(impls[k] for k in names))


def test_create_wires_everything(factory, create, implementations, organizer):
    count = factory.collective_count()
    c = create()
    gov, card, treasury, aid, escrow = c.governor, c.card, c.treasury, c.aid, c.escrow
    assert only(c.logs, "CollectiveCreated") == dict(
        collective_id=count + 1,
        governor=gov.address,
        creator=organizer.address,
        card=card.address,
        treasury=treasury.address,
        aid=aid.address,
        escrow=escrow.address,
        name="Couriers United",
        founders=3,
    )
    assert treasury.aid() == aid.address
    assert aid.governor() == gov.address
    assert aid.asset() == ETH
    assert aid.terms_version() == 0
    assert (escrow.governor(), escrow.treasury()) == (gov.address, treasury.address)
    assert factory.collective_count() == count + 1
    assert factory.collectives(count + 1) == gov.address

    assert len({gov.address, card.address, treasury.address, escrow.address}) == 4
    assert (escrow.governor(), escrow.treasury()) == (gov.address, treasury.address)
    assert escrow.initialized() and escrow.settings_version() == 0 and escrow.job_count() == 0
    assert gov.card() == card.address
    assert gov.treasury() == treasury.address
    assert card.governor() == gov.address
    assert treasury.governor() == gov.address
    assert gov.initialized() and card.initialized() and treasury.initialized()
    assert (card.name(), card.symbol()) == ("Couriers United", "CU")
    assert treasury.dues_terms() == (ETH, DUES, PERIOD)
    assert Settings.from_struct(gov.settings()) == SETTINGS
    assert gov.settings_version() == 0
    assert gov.proposal_count() == 0

    # each is an EIP-1167 minimal proxy of the matching locked implementation
    for clone, impl in (
        (card, implementations.card),
        (treasury, implementations.treasury),
        (gov, implementations.governor),
        (escrow, implementations.escrow),
    ):
        code = bytes(boa.env.get_code(clone.address))
        assert code == EIP1167_PREFIX + bytes.fromhex(impl.address[2:]) + EIP1167_SUFFIX


def test_initial_terms_and_settings_logged(create):
    c = create(dues_amount=2 * DUES, dues_period=7 * 86_400)
    assert only(c.logs, "DuesTermsChanged") == dict(
        proposal_id=0,
        old_asset=ZERO,
        new_asset=ETH,
        old_amount=0,
        new_amount=2 * DUES,
        old_period=0,
        new_period=7 * 86_400,
    )
    settings = only(c.logs, "SettingsChanged")
    assert settings["version"] == 0
    assert Settings.from_struct(settings["old_settings"]) == Settings(0, 0, 0, 0, 0, 0, 0)
    assert Settings.from_struct(settings["new_settings"]) == SETTINGS


def test_founders_get_cards(create, founders, organizer, outsider):
    c = create()
    created = c.created
    admitted = events(c.logs, "MemberAdmitted")
    assert [(e["member"], e["index"], e["paid_through"], e["member_count"]) for e in admitted] == [
        (f.address, i, created, i + 1) for i, f in enumerate(founders)
    ]
    mints = events(c.logs, "Transfer", emitter=c.card)
    assert [(t["sender"], t["receiver"]) for t in mints] == [(ZERO, f.address) for f in founders]
    for f in founders:
        assert c.governor.is_member(f)
        assert c.governor.in_good_standing(f)
        assert c.card.balanceOf(f) == 1
        assert c.card.ownerOf(int(f.address, 16)) == f.address
        assert c.governor.paid_through(f) == created
    assert c.governor.member_count() == c.card.totalSupply() == 3
    # the creator is not a founder here, and gets nothing
    for stranger in (organizer, outsider):
        assert not c.governor.is_member(stranger)
        assert c.card.balanceOf(stranger) == 0


def test_anyone_can_create_and_registry_counts(factory, create, founders, outsider, newcomer):
    count = factory.collective_count()
    a = create(name="Riders", symbol="RDR", founders=[founders[0]])
    b = create(name="Translators", symbol="TRN", founders=[newcomer, outsider], sender=outsider)
    ev = only(b.logs, "CollectiveCreated")
    assert (ev["collective_id"], ev["creator"], ev["name"], ev["founders"]) == (
        count + 2,
        outsider.address,
        "Translators",
        2,
    )
    assert factory.collective_count() == count + 2
    assert factory.collectives(count + 1) == a.governor.address
    assert factory.collectives(count + 2) == b.governor.address
    assert factory.collectives(count + 3) == ZERO
    assert factory.collectives(0) == ZERO
    assert a.governor.address != b.governor.address
    assert a.card.name() == "Riders" and b.card.symbol() == "TRN"
    # the collectives are independent
    assert a.governor.member_count() == 1 and b.governor.member_count() == 2
    assert not a.governor.is_member(newcomer) and b.governor.is_member(newcomer)


def test_create_with_the_most_founders(create, factory):
    many = distinct_addresses(MAX_FOUNDERS)
    c = create(founders=many)
    assert only(c.logs, "CollectiveCreated")["founders"] == MAX_FOUNDERS
    assert c.governor.member_count() == MAX_FOUNDERS
    assert c.card.ownerOf(int(many[-1], 16)) == many[-1]


def test_create_with_a_token_and_edge_settings(create, token):
    edge = SETTINGS.replace(voting_delay=1, timelock_delay=0, dues_grace=0, quorum_bps=10_000, constitutional_bps=5001)
    c = create(dues_asset=token.address, dues_amount=1, dues_period=1, settings=edge)
    assert c.treasury.dues_terms() == (token.address, 1, 1)
    assert Settings.from_struct(c.governor.settings()) == edge


# --- implementations and clones are locked ------------------------------------------------


def initialize_calls(outsider):
    return {
        "card": lambda card, treasury, gov, aid, s: card.initialize(outsider, "Hijack", "HJ", sender=s),
        "treasury": lambda card, treasury, gov, aid, s: treasury.initialize(outsider, outsider, ETH, 1, 1, sender=s),
        "governor": lambda card, treasury, gov, aid, s: gov.initialize(
            card, treasury, [outsider.address], SETTINGS.as_tuple(), sender=s
        ),
        "aid": lambda card, treasury, gov, aid, s: aid.initialize(outsider, ETH, sender=s),
    }


@pytest.mark.parametrize("which", ["card", "treasury", "governor", "aid"])
def test_implementations_are_locked(implementations, outsider, organizer, which):
    i = implementations
    assert getattr(i, which).initialized()
    call = initialize_calls(outsider)[which]
    for sender in (organizer, outsider):
        with boa.reverts(f"{which}: already initialized"):
            call(i.card, i.treasury, i.governor, i.aid, sender)
    # the lock is the implementation pointing at itself
    assert i.card.governor() == i.card.address
    assert i.treasury.governor() == i.treasury.address
    assert i.governor.card() == i.governor.address
    assert i.aid.governor() == i.aid.address


@pytest.mark.parametrize("which", ["card", "treasury", "governor", "aid"])
def test_clones_cannot_be_initialized_twice(collective, outsider, organizer, which):
    c = collective
    call = initialize_calls(outsider)[which]
    for sender in (organizer, outsider):
        with boa.reverts(f"{which}: already initialized"):
            call(c.card, c.treasury, c.governor, c.aid, sender)
    assert c.card.governor() == c.governor.address
    assert c.treasury.governor() == c.governor.address
    assert c.treasury.aid() == c.aid.address
    assert c.governor.card() == c.card.address
    assert c.aid.governor() == c.governor.address
    assert not c.governor.is_member(outsider)


# --- validation -------------------------------------------------------------------------


def _founders(founders, pattern):
    return [ZERO if i == "zero" else founders[i].address for i in pattern]


@pytest.mark.parametrize(
    "overrides,reason",
    [
        ({"name": ""}, "factory: empty name"),
        ({"founders": ()}, "factory: no founders"),
        ({"founders": (0, 1, 0)}, "governor: already a member"),
        ({"founders": (2, 2)}, "governor: already a member"),
        ({"founders": (0, "zero")}, "governor: zero address"),
        ({"symbol": ""}, "card: empty symbol"),
        ({"dues_amount": 0}, "treasury: zero dues"),
        ({"dues_amount": 2**96}, "treasury: dues too large"),
        ({"dues_period": 0}, "treasury: zero period"),
        ({"dues_period": 5 * 365 * 86_400 + 1}, "treasury: period too long"),
        ({"dues_asset": "eoa"}, "treasury: asset is not a contract"),
        ({"voting_delay": 0}, "governor: zero voting delay"),
        ({"voting_period": 0}, "governor: zero voting period"),
        ({"voting_period": 365 * 86_400 + 1}, "governor: voting period too long"),
        ({"voting_delay": 365 * 86_400 + 1}, "governor: voting delay too long"),
        ({"timelock_delay": 365 * 86_400 + 1}, "governor: timelock too long"),
        ({"execution_window": 0}, "governor: zero execution window"),
        ({"quorum_bps": 10_001}, "governor: quorum out of range"),
        ({"quorum_bps": 0}, "governor: quorum out of range"),
        ({"constitutional_bps": 5000}, "governor: threshold out of range"),
        ({"constitutional_bps": 4000}, "governor: threshold out of range"),
        ({"constitutional_bps": 10_001}, "governor: threshold out of range"),
        ({"dues_grace": 365 * 86_400 + 1}, "governor: grace too long"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_create_validation(factory, create, founders, outsider, overrides, reason):
    setting_names = set(SETTINGS.__dataclass_fields__)
    kwargs, changes = {}, {}
    for key, value in overrides.items():
        if key in setting_names:
            changes[key] = value
        elif key == "founders":
            kwargs[key] = _founders(founders, value)
        elif key == "dues_asset":
            kwargs[key] = outsider.address
        else:
            kwargs[key] = value
    if changes:
        kwargs["settings"] = SETTINGS.replace(**changes)
    count = factory.collective_count()
    with boa.reverts(reason):
        create(**kwargs)
    assert factory.collective_count() == count


# --- nobody keeps power ------------------------------------------------------------------


ADMIN_CALLS = {
    "governor.admit_member": ("governor: only by vote", lambda c, f, o, s: c.governor.admit_member(o, sender=s)),
    "governor.revoke_member": ("governor: only by vote", lambda c, f, o, s: c.governor.revoke_member(f[1], sender=s)),
    "governor.update_settings": (
        "governor: only by vote",
        lambda c, f, o, s: c.governor.update_settings(SETTINGS.replace(quorum_bps=1).as_tuple(), sender=s),
    ),
    "governor.credit_dues": (
        "governor: only the treasury",
        lambda c, f, o, s: c.governor.credit_dues(f[0], 10**6, sender=s),
    ),
    "card.mint": ("card: only the governor", lambda c, f, o, s: c.card.mint(o, sender=s)),
    "card.burn": ("card: only the governor", lambda c, f, o, s: c.card.burn(f[1], sender=s)),
    "card.set_base_uri": ("card: only the governor", lambda c, f, o, s: c.card.set_base_uri("x", sender=s)),
    "treasury.pay": ("treasury: only by vote", lambda c, f, o, s: c.treasury.pay(ETH, o, 1, sender=s)),
    "treasury.fund_pool": ("treasury: only by vote", lambda c, f, o, s: c.treasury.fund_pool(ETH, 1, sender=s)),
    "treasury.unfund_pool": ("treasury: only by vote", lambda c, f, o, s: c.treasury.unfund_pool(ETH, 1, sender=s)),
    "treasury.set_pool_share": ("treasury: only by vote", lambda c, f, o, s: c.treasury.set_pool_share(0, sender=s)),
    "treasury.pay_aid": ("treasury: only the aid fund", lambda c, f, o, s: c.treasury.pay_aid(ETH, o, 1, 1, sender=s)),
    "treasury.set_dues": ("treasury: only by vote", lambda c, f, o, s: c.treasury.set_dues(ETH, 1, 1, sender=s)),
    "aid.set_terms": ("aid: only by vote", lambda c, f, o, s: c.aid.set_terms(c.aid.terms(), sender=s)),
    "aid.award": ("aid: only by vote", lambda c, f, o, s: c.aid.award(f[0], 0, 1, 1, b"\x00" * 32, sender=s)),
    "aid.end_claim": ("aid: only by vote", lambda c, f, o, s: c.aid.end_claim(1, sender=s)),
}


@pytest.mark.parametrize("path", list(ADMIN_CALLS))
def test_nobody_holds_admin_power_after_creation(collective, organizer, founders, outsider, path):
    c = collective
    c.treasury.donate(ETH, 10**15, sender=outsider, value=10**15)
    reason, call = ADMIN_CALLS[path]
    for sender in (organizer, founders[0], outsider):
        with boa.reverts(reason):
            call(c, founders, outsider, sender)
    # nothing moved
    assert c.governor.member_count() == 3
    assert not c.governor.is_member(outsider)
    assert c.governor.is_member(founders[1])
    assert c.governor.paid_through(founders[0]) == c.created
    assert Settings.from_struct(c.governor.settings()) == SETTINGS
    assert c.card.base_uri() == ""
    assert c.treasury.balance_of(ETH) == 10**15
    assert c.treasury.dues_terms() == (ETH, DUES, PERIOD)
    assert c.treasury.pool(ETH) == 0
    assert c.treasury.pool_share_bps() == 2_000
    assert c.aid.terms_version() == 0


def test_creator_cannot_propose(collective, organizer):
    with boa.reverts("governor: not a member"):
        collective.governor.propose([], "let me in", sender=organizer)
    assert collective.governor.proposal_count() == 0

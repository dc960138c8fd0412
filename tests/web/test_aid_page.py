"""Mutual-aid claims on the collective's page, in Debian's headless Chromium with the test wallet,
and through the JSON API: what the page shows AND what the chain holds afterwards.

The collective: five founders (test1..test5) who prepay a year of dues; test8 gives 10 ETH to the
pool; a vote adopts terms (claims up to 3 ETH, small ones up to 0.5 ETH); past the 30-day waiting
period test2 files a larger claim (1 ETH x 2: under vote) and test3 a small one (0.25 ETH once: in
its contest window). The aid contract takes no signed votes, so members object or vote with a
transaction from their own wallet: the relayer never carries them.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from webtest import DAY, ETH, Server, TestWallet, address_of, create_collective, open_connected, open_page

from iwo.aid import TERMS_FIELDS
from iwo.collective import Settings

RELAYER = "test7"
E = 10**18
LARGE, SMALL = 1 << 16 | 1, 2 << 16 | 1  # test2's and test3's first claims (roll indices 1 and 2)


@pytest.fixture(scope="module")
def mutual(chain):
    settings = Settings(voting_delay=60, voting_period=3600, timelock_delay=60, dues_grace=7 * DAY).as_tuple()
    founders = ["test1", "test2", "test3", "test4", "test5"]
    c = create_collective(chain, "Couriers Mutual", founders, settings)
    chain.send_all(
        [(f, c.treasury.address, c.treasury.encode("pay_dues", address_of(f), 12), 12 * 10**16) for f in founders]
    )
    chain.send("test8", c.treasury, "donate", ETH, 10 * E, "solidarity", True, value=10 * E)
    terms = chain.view(c.aid, "terms")
    new = dict(terms) | {"claim_cap": 3 * E, "member_cap": 4 * E, "auto_approve_max": E // 2}
    action = (c.aid.address, 0, c.aid.encode("set_terms", tuple(new[f] for f in TERMS_FIELDS)))
    chain.advance(60)
    chain.send("test1", c.governor, "propose", [action], "First mutual-aid terms")
    chain.advance(61)
    chain.send_all(
        [(v, c.governor.address, c.governor.encode("cast_vote", 1, 1), 0) for v in ("test1", "test2", "test3")]
    )
    chain.advance(3601)
    chain.send("test1", c.governor, "queue", 1)
    chain.advance(61)
    chain.send("test1", c.governor, "execute", 1, [action])
    chain.advance(31 * DAY)
    chain.send("test2", c.aid, "file_claim", 1, E, 2, b"\x11" * 32)
    chain.send("test3", c.aid, "file_claim", 0, E // 4, 1, bytes(32))
    return c


@pytest.fixture(scope="module")
def server(home, chain, mutual, tmp_path_factory):
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    running = Server(home, ["--relayer", RELAYER, "--wallet-timeout", "4s"], log).start()
    yield running
    assert running.stop() == 0, log.read_text()


def claim_card(page, cid: int):
    return page.get_by_role("article", name=re.compile(rf"^Claim #{cid}: "))


def view(chain, c, cid: int) -> dict:
    return chain.view(c.aid, "claim", cid)


def voted(chain, c, cid: int, who: str) -> bool:
    return chain.view(c.aid, "has_voted", cid, int(who[4:]) - 1)  # founders' roll indices: test1 -> 0


def quiet(chain) -> tuple:
    return chain.block_number(), chain.nonce(address_of(RELAYER))


# ---- the page -----------------------------------------------------------------------------------------------
def test_open_claims_are_shown_in_words(page, server, chain, artifacts):
    before = quiet(chain)
    open_page(page, server, None)
    region = page.get_by_role("region", name="Mutual-aid claims")
    expect(region).to_contain_text("The aid contract takes no signed votes: you object or vote with a transaction")
    large = claim_card(page, LARGE)
    expect(large.get_by_role("heading", level=3)).to_have_text(
        f"Claim #{LARGE}: lost income, 1 ETH a month for 2 months"
    )
    expect(large.locator(".meta")).to_contain_text("Under vote · voting ends ")
    expect(large.locator(".tally")).to_have_text(
        "For 0 · Against 0 — quorum 20% of the members at the snapshot; approved with more For than Against, "
        "denied with more Against."
    )
    expect(large).to_contain_text(f"Filed by {address_of('test2')} (evidence hash 0x{'11' * 32}")
    expect(large.get_by_role("listitem")).to_have_text(
        f"1 ETH a month for 2 months (2 ETH in all) to {address_of('test2')}, from the month after the decision, "
        "within the pool's monthly limit (cut pro-rata when the pool is short)"
    )
    small = claim_card(page, SMALL)
    expect(small.get_by_role("heading", level=3)).to_have_text(f"Claim #{SMALL}: illness, 0.25 ETH once")
    expect(small.locator(".meta")).to_contain_text("In its contest window · objections close ")
    expect(small.locator(".tally")).to_have_text(
        "0 objections so far. It goes to a vote if 3 members or 10% of those at the snapshot object (whichever is "
        "fewer); otherwise it is approved when the window ends."
    )
    expect(large.locator(".elig")).to_have_text("Connect your wallet to see whether you may vote.")
    expect(large.get_by_role("button", name="Review my vote")).to_be_disabled()
    page.screenshot(path=artifacts / "aid-claims.png", full_page=True)
    assert quiet(chain) == before


def test_a_member_votes_on_a_claim_from_the_wallet(page, server, chain, mutual, artifacts):
    wallet = TestWallet("test1", chain)
    relayer_nonce, nonce = chain.nonce(address_of(RELAYER)), chain.nonce(wallet.address)
    open_connected(page, server, wallet)
    card = claim_card(page, LARGE)
    expect(card.locator(".elig")).to_have_text("You may vote on this claim (from your wallet, paying the gas).")
    expect(card.get_by_role("radio")).to_have_count(2)
    card.get_by_role("radio", name="For").check()
    card.get_by_role("textbox", name=re.compile("^Reason")).fill("she lost her main client")
    card.get_by_role("button", name="Review my vote").click()
    dialog = page.get_by_role("dialog", name="Check what you will sign")
    expect(dialog).to_contain_text(
        f"Vote For on claim #{LARGE} (lost income, 1 ETH a month for 2 months) in Couriers Mutual, as "
        f"{wallet.address}, with the reason “she lost her main client”. The aid contract takes no signed votes: "
        "this is a transaction your wallet sends, and you pay its gas."
    )
    expect(dialog.get_by_role("button", name="Sign my vote (free)")).to_be_hidden()
    expect(dialog.get_by_role("button", name="Send it from my wallet (I pay the gas)")).to_be_focused()
    page.screenshot(path=artifacts / "aid-confirm.png", full_page=True)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(
        re.compile(rf"^Your vote on claim #{LARGE} landed in block \d+: it is counted\.$")
    )
    expect(card.locator(".tally")).to_contain_text("For 1 · Against 0")
    expect(card.locator(".elig")).to_have_text(f"You have voted For on claim #{LARGE}.")
    expect(card.get_by_role("button", name="Review my vote")).to_have_count(0)
    # the chain: one For ballot from the member's own transaction; the relayer sent nothing
    assert voted(chain, mutual, LARGE, "test1")
    assert (view(chain, mutual, LARGE)["votes_for"], view(chain, mutual, LARGE)["votes_against"]) == (1, 0)
    assert chain.nonce(wallet.address) == nonce + 1
    assert chain.nonce(address_of(RELAYER)) == relayer_nonce
    assert "eth_sendTransaction" in wallet.methods() and not wallet.signed


def test_a_member_objects_to_a_small_claim(page, server, chain, mutual):
    wallet = TestWallet("test4", chain)
    open_connected(page, server, wallet)
    card = claim_card(page, SMALL)
    expect(card.locator(".elig")).to_have_text("You may object to this claim (from your wallet, paying the gas).")
    card.get_by_role("radio", name="Object").check()
    card.get_by_role("button", name="Review my vote").click()
    expect(page.get_by_role("dialog")).to_contain_text(
        f"Object to claim #{SMALL} (illness, 0.25 ETH) in Couriers Mutual, as {wallet.address}, with no reason."
    )
    page.get_by_role("button", name="Send it from my wallet (I pay the gas)").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(rf"^Your vote on claim #{SMALL} landed in block \d+"))
    expect(card.locator(".elig")).to_have_text(f"You have objected to claim #{SMALL}.")
    expect(card.locator(".tally")).to_contain_text("1 objection so far.")
    assert voted(chain, mutual, SMALL, "test4") and view(chain, mutual, SMALL)["votes_against"] == 1


def test_the_claimant_and_an_outsider_are_told_why(page, server, chain, mutual):
    before = quiet(chain)
    open_connected(page, server, TestWallet("test2", chain))
    card = claim_card(page, LARGE)
    expect(card.locator(".elig")).to_have_text(f"Claim #{LARGE} is your own: a claimant does not vote on it.")
    expect(card.get_by_role("button", name="Review my vote")).to_be_disabled()
    outsider = page.context.new_page()
    open_connected(outsider, server, TestWallet("test8", chain))
    expect(claim_card(outsider, LARGE).locator(".elig")).to_have_text(
        f"You were not a member when claim #{LARGE} was filed, so you cannot vote on it."
    )
    expect(claim_card(outsider, LARGE).get_by_role("radio", name="For")).to_be_disabled()
    outsider.close()
    assert quiet(chain) == before


def test_declining_in_the_wallet_sends_nothing(page, server, chain, mutual):
    wallet = TestWallet("test5", chain)
    wallet.reject.add("eth_sendTransaction")
    open_connected(page, server, wallet)
    card = claim_card(page, LARGE)
    card.get_by_role("radio", name="Against").check()
    card.get_by_role("button", name="Review my vote").click()
    before = quiet(chain)
    page.get_by_role("button", name="Send it from my wallet (I pay the gas)").click()
    expect(page.get_by_role("status")).to_have_text("You declined: nothing was sent.")
    assert quiet(chain) == before and not voted(chain, mutual, LARGE, "test5")


# ---- the API ------------------------------------------------------------------------------------------------
def test_state_lists_the_open_claims(server):
    status, state = server.get("/api/state")
    assert status == 200
    claims = {c["id"]: c for c in state["claims"]}
    assert set(claims) == {LARGE, SMALL}
    assert (claims[LARGE]["choices"], claims[SMALL]["choices"]) == (["For", "Against"], ["Object"])
    assert (claims[LARGE]["claimant"], claims[LARGE]["monthly"], claims[LARGE]["months"]) == (
        address_of("test2"),
        str(E),  # beyond JavaScript's safe integers: a string
        2,
    )
    assert claims[LARGE]["key"] == f"c{LARGE}" and claims[LARGE]["ref"] == f"claim #{LARGE}"


def test_the_aid_ballot_is_the_call_the_wallet_sends(server, mutual):
    status, body = server.post(
        "/api/aid/ballot", {"claim": LARGE, "support": "against", "voter": address_of("test3"), "reason": "no"}
    )
    assert status == 200 and body["relayed"] is False
    assert body["direct"] == {
        "to": mutual.aid.address,
        "data": "0x" + mutual.aid.encode("vote", LARGE, 0, "no").hex(),
    }


@pytest.mark.parametrize(
    "body, status, error",
    [
        (
            {"claim": LARGE, "support": "abstain", "voter": address_of("test3")},
            400,
            "support must be for, against or object.",
        ),
        (
            {"claim": "1", "support": "for", "voter": address_of("test3")},
            400,
            "claim must be a claim id (a whole number).",
        ),
        (
            {"claim": 99, "support": "for", "voter": address_of("test3")},
            409,
            "No claim #99 in couriers-mutual. Nothing was sent.",
        ),
        (
            {"claim": LARGE, "support": "for", "voter": address_of("test2")},
            409,
            f"Claim #{LARGE} is {address_of('test2')}'s own: a claimant does not vote on it. Nothing was sent.",
        ),
        (
            {"claim": SMALL, "support": "for", "voter": address_of("test1")},
            409,
            re.compile(rf"^Claim #{SMALL} is in its contest window until .*: members may only object now"),
        ),
        (
            {"claim": LARGE, "support": "object", "voter": address_of("test3")},
            409,
            re.compile(rf"^Claim #{LARGE} is under vote until .*\. Nothing was sent\.$"),
        ),
    ],
)
def test_aid_ballot_refusals(server, chain, body, status, error):
    before = chain.block_number()
    got_status, got = server.post("/api/aid/ballot", body)
    assert got_status == status
    assert error.match(got["error"]) if isinstance(error, re.Pattern) else got["error"] == error
    assert chain.block_number() == before


def test_eligibility_covers_the_claims(server):
    status, body = server.get(f"/api/eligibility/{address_of('test3')}")
    assert status == 200
    assert body["claims"][str(LARGE)] | {"text": None} == {
        "may_vote": True,
        "code": "may_vote",
        "reason": None,
        "support": None,
        "text": None,
    }
    assert body["claims"][str(SMALL)]["code"] == "own"
    assert body["text"] == f"Connected as {address_of('test3')}. Member, paid up."

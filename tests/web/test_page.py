"""The collective's page in a real headless Chromium (Debian's), with a test wallet standing in for
MetaMask: every path asserts what the page shows and what the chain holds afterwards.

The collective: five founders (test1..test5); test1..test4 pay their dues, test5 does not and
lapses; test8 donates; three proposals open for voting. `iwo serve` relays with test7 and waits
4 s for a silent wallet (so the test need not wait 45 s).
"""

from __future__ import annotations

import re

import pytest
import webtest
from playwright.sync_api import expect
from webtest import DAY, ETH, Server, TestWallet, address_of, connect, create_collective

from iwo.collective import Settings

WALLET_TIMEOUT = 4
RELAYER = "test7"


@pytest.fixture(scope="module")
def riders(chain):
    settings = Settings(dues_grace=7 * DAY).as_tuple()
    c = create_collective(chain, "Riders Collective", ["test1", "test2", "test3", "test4", "test5"], settings)
    dues = [
        (f"test{i}", c.treasury.address, c.treasury.encode("pay_dues", address_of(f"test{i}"), 3), 3 * 10**16)
        for i in range(1, 5)
    ]
    chain.send_all(dues)
    chain.send("test8", c.treasury, "donate", ETH, 10**18, "solidarity fund", value=10**18)
    chain.advance(8 * DAY)
    proposals = [  # one at a time: ids in this order
        (
            "test1",
            [(c.treasury.address, 0, c.treasury.encode("pay", ETH, address_of("test9"), 2 * 10**17))],
            "Pay the lawyer 0.2 ETH for the contract review",
        ),
        ("test2", [], "Adopt the minimum rate guideline v1\nMinimum rate: 18 EUR per hour, 0.40 EUR per km."),
        (
            "test3",
            [(c.governor.address, 0, c.governor.encode("admit_member", address_of("test6")))],
            "Admit Fatima, courier since 2019",
        ),
    ]
    for proposer, actions, text in proposals:
        chain.send(proposer, c.governor, "propose", actions, text)
    chain.advance(DAY + 60)
    chain.send("test4", c.governor, "propose", [], "Plan the winter rates")  # #4: Pending for a day
    return c


@pytest.fixture(scope="module")
def server(home, chain, riders, tmp_path_factory):
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    running = Server(home, ["--relayer", RELAYER, "--wallet-timeout", f"{WALLET_TIMEOUT}s"], log).start()
    yield running
    assert running.stop() == 0, log.read_text()


def open_page(page, server, wallet: TestWallet | None):
    webtest.open_page(page, server, wallet, heading="Riders Collective")


def proposal(page, pid: int):
    return page.get_by_role("article", name=re.compile(rf"^#{pid} "))


def choose(page, pid: int, support: str, reason: str = ""):
    card = proposal(page, pid)
    card.get_by_role("radio", name=support).check()
    if reason:
        card.get_by_role("textbox", name=re.compile("^Reason")).fill(reason)
    card.get_by_role("button", name="Review my vote").click()
    expect(page.get_by_role("dialog")).to_be_visible()


def has_voted(chain, c, pid: int, who: str) -> bool:
    return chain.view(c.governor, "has_voted", pid, address_of(who))


def tally(chain, c, pid: int) -> tuple[int, int, int]:
    view = chain.view(c.governor, "proposal", pid)
    return (view["votes_for"], view["votes_against"], view["votes_abstain"])


def quiet(chain, server) -> tuple:
    """What must not move when nothing is sent: the head, and the relayer's nonce."""
    return chain.block_number(), chain.nonce(address_of(RELAYER))


# ---- paths ------------------------------------------------------------------------------------------------------------
def test_no_wallet_says_so_and_sends_nothing(page, server, chain, artifacts):
    before = quiet(chain, server)
    open_page(page, server, None)
    page.get_by_role("button", name="Connect wallet").click()
    expect(page.get_by_role("status")).to_have_text(
        "No browser wallet found. Install one (for example MetaMask, Rabby or Frame), then reload this page; "
        "or vote with `iwo vote` in a terminal."
    )
    expect(proposal(page, 1).get_by_role("button", name="Review my vote")).to_be_disabled()
    expect(proposal(page, 4).locator(".meta")).to_contain_text("Pending · voting opens ")
    page.screenshot(path=artifacts / "no-wallet.png", full_page=True)
    assert quiet(chain, server) == before


def test_approve_by_keyboard_lands_relayed_and_costs_the_member_nothing(page, server, chain, riders, artifacts):
    wallet = TestWallet("test1", chain)
    balance, nonce = chain.balance(wallet.address), chain.nonce(wallet.address)
    open_page(page, server, wallet)
    # keyboard only: Tab to the connect button, Enter; Tab to #1's For radio, Space; Tab to the
    # reason, type; Tab to the submit button, Enter; the dialog opens on "Sign my vote": Enter.
    focus_by_tab(page, "Connect wallet")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Connected.")
    card = proposal(page, 1)
    expect(card.locator(".elig")).to_have_text("You may vote on this proposal.")
    focus_by_tab(page, "For", role="radio")
    page.keyboard.press("Space")
    expect(card.get_by_role("radio", name="For")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("fair price for the review")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Check what you will sign")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(
        f"Vote For on proposal #1 (“Pay the lawyer 0.2 ETH for the contract review”) of Riders Collective, "
        f"as {wallet.address}, with the reason “fair price for the review”; the signature is valid until "
    )
    expect(dialog).to_contain_text("Signing is free: the relayer pays the gas.")
    expect(dialog.get_by_role("button", name="Sign my vote (free)")).to_be_focused()
    page.screenshot(path=artifacts / "confirm.png", full_page=True)
    page.keyboard.press("Enter")
    status = page.get_by_role("status")
    expect(status).to_have_text(re.compile(r"^Your vote For on #1 landed in block \d+: it is counted\.$"))
    expect(card.locator(".tally")).to_contain_text("For 1 · Against 0 · Abstain 0")
    expect(card.locator(".elig")).to_have_text("You have voted For on #1.")
    expect(card.get_by_role("button", name="Review my vote")).to_have_count(0)  # no second vote offered
    page.screenshot(path=artifacts / "landed.png", full_page=True)
    # the chain: counted once, relayed (the relayer sent it), the member spent nothing
    assert has_voted(chain, riders, 1, "test1")
    logs = [log for log in chain.vote_logs(riders.address, 1) if log["voter"] == wallet.address]
    assert len(logs) == 1 and logs[0]["support"] == 1
    assert chain.tx_from(logs[0]["tx"]) == address_of(RELAYER)
    assert (chain.balance(wallet.address), chain.nonce(wallet.address)) == (balance, nonce)
    assert tally(chain, riders, 1) == (1, 0, 0)
    assert wallet.methods()[-1] == "eth_signTypedData_v4" and len(wallet.signed) == 1
    assert wallet.signed[0]["message"]["reason"] == "fair price for the review"


def focus_by_tab(page, name: str, role: str = "button", limit: int = 60):
    """Presses Tab until the element named `name` (first of its role) has the focus."""
    target = page.get_by_role(role, name=name).first
    for _ in range(limit):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {role} {name!r}")


def test_reject_sends_nothing(page, server, chain, riders, artifacts):
    wallet = TestWallet("test2", chain)
    wallet.reject.add("eth_signTypedData_v4")
    open_page(page, server, wallet)
    connect(page, wallet)
    choose(page, 1, "Against")
    before = quiet(chain, server)
    page.get_by_role("button", name="Sign my vote (free)").click()
    expect(page.get_by_role("status")).to_have_text("You declined: nothing was sent.")
    page.screenshot(path=artifacts / "declined.png", full_page=True)
    assert quiet(chain, server) == before
    assert not has_voted(chain, riders, 1, "test2")
    assert "eth_signTypedData_v4" in wallet.methods() and not wallet.signed
    expect(proposal(page, 1).get_by_role("button", name="Review my vote")).to_be_enabled()


def test_wrong_chain_is_switched_before_anything_is_signed(page, server, chain, riders):
    wallet = TestWallet("test2", chain, chain_id=1, known={1})  # on mainnet; does not know the local chain
    open_page(page, server, wallet)
    connect(page, wallet)
    choose(page, 1, "Against", "too expensive")
    page.get_by_role("button", name="Sign my vote (free)").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Your vote Against on #1 landed in block \d+"))
    methods = wallet.methods()
    switch, add = methods.index("wallet_switchEthereumChain"), methods.index("wallet_addEthereumChain")
    sign = methods.index("eth_signTypedData_v4")
    assert switch < add < sign
    assert all(chain_id == chain.chain_id for m, chain_id in wallet.calls if m == "eth_signTypedData_v4")
    assert wallet.added[0]["chainId"] == hex(chain.chain_id) and wallet.added[0]["rpcUrls"] == [chain.url]
    assert has_voted(chain, riders, 1, "test2")
    assert tally(chain, riders, 1) == (1, 1, 0)


def test_wrong_chain_the_wallet_refuses_to_switch(page, server, chain, riders):
    wallet = TestWallet("test3", chain, chain_id=1)
    wallet.reject.add("wallet_switchEthereumChain")
    open_page(page, server, wallet)
    connect(page, wallet)
    choose(page, 2, "For")
    before = quiet(chain, server)
    page.get_by_role("button", name="Sign my vote (free)").click()
    expect(page.get_by_role("status")).to_have_text("You declined: nothing was sent.")
    assert "eth_signTypedData_v4" not in wallet.methods()
    assert quiet(chain, server) == before and not has_voted(chain, riders, 2, "test3")


def test_not_eligible_at_the_snapshot_says_why_and_disables_the_vote(page, server, chain, riders, artifacts):
    before = quiet(chain, server)
    lapsed = TestWallet("test5", chain)
    open_page(page, server, lapsed)
    connect(page, lapsed)
    expect(page.locator("#account")).to_contain_text("Member, lapsed.")
    card = proposal(page, 1)
    expect(card.locator(".elig")).to_have_text(
        "You were behind on dues when #1 was made; paying the arrears that cover that time restores the vote."
    )
    button = card.get_by_role("button", name="Review my vote")
    expect(button).to_be_disabled()
    expect(button).to_have_accessible_description(re.compile("^You were behind on dues when #1 was made"))
    expect(card.get_by_role("radio", name="For")).to_be_disabled()
    page.screenshot(path=artifacts / "not-eligible.png", full_page=True)
    outsider = TestWallet("test8", chain)
    page2 = page.context.new_page()
    open_page(page2, server, outsider)
    connect(page2, outsider)
    expect(page2.locator("#account")).to_contain_text("Not a member of this collective.")
    expect(proposal(page2, 2).locator(".elig")).to_have_text(
        "You were not a member when #2 was made, so you cannot vote on it."
    )
    expect(proposal(page2, 2).get_by_role("button", name="Review my vote")).to_be_disabled()
    expect(proposal(page2, 4).locator(".elig")).to_have_text(
        "You were not a member when #4 was made, so you cannot vote on it."
    )
    page2.close()
    member = TestWallet("test1", chain)  # a member in good standing, on a proposal not open yet
    page3 = page.context.new_page()
    open_page(page3, server, member)
    connect(page3, member)
    expect(proposal(page3, 4).locator(".elig")).to_have_text(
        re.compile(r"^Proposal #4 is Pending, not open for voting \(voting opens in 23h5\dm\d*s?\)\.$")
    )
    expect(proposal(page3, 4).get_by_role("group")).to_have_count(0)  # no vote offered before it opens
    page3.close()
    assert quiet(chain, server) == before
    assert not has_voted(chain, riders, 1, "test5") and not has_voted(chain, riders, 2, "test8")


def test_silent_wallet_times_out_with_words(page, server, chain, riders, artifacts):
    wallet = TestWallet("test3", chain)
    wallet.silent.add("eth_signTypedData_v4")
    open_page(page, server, wallet)
    connect(page, wallet)
    choose(page, 2, "Abstain")
    before = quiet(chain, server)
    page.get_by_role("button", name="Sign my vote (free)").click()
    expect(page.get_by_role("status")).to_have_text("Your wallet asks you to sign the vote you checked…")
    expect(page.get_by_role("status")).to_have_text(
        f"Your wallet did not answer within {WALLET_TIMEOUT} s: nothing was sent. Open your wallet to see "
        "whether it is waiting for you, then try again.",
        timeout=(WALLET_TIMEOUT + 5) * 1000,
    )
    page.screenshot(path=artifacts / "wallet-silent.png", full_page=True)
    assert quiet(chain, server) == before and not has_voted(chain, riders, 2, "test3")
    expect(proposal(page, 2).get_by_role("button", name="Review my vote")).to_be_enabled()


def test_a_second_vote_by_the_same_member_is_refused_with_words(page, server, chain, riders):
    wallet = TestWallet("test3", chain)
    open_page(page, server, wallet)
    connect(page, wallet)
    expect(proposal(page, 2).locator(".elig")).to_have_text("You may vote on this proposal.")
    # meanwhile the member votes on #2 another way (the CLI, another tab)
    chain.send("test3", riders.governor, "cast_vote", 2, 1)
    choose_without_dialog = proposal(page, 2)
    choose_without_dialog.get_by_role("radio", name="Against").check()
    choose_without_dialog.get_by_role("button", name="Review my vote").click()
    expect(page.get_by_role("status")).to_have_text("You have already voted on #2. Nothing was signed.")
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert not wallet.signed
    assert [log["support"] for log in chain.vote_logs(riders.address, 2) if log["voter"] == wallet.address] == [1]
    assert tally(chain, riders, 2) == (1, 0, 0)


def test_a_relayed_vote_signed_twice_is_refused_by_the_server(server, chain, riders):
    """Past the page: the same member posts a second signed vote on a proposal they voted on."""
    from webtest import ballot

    status, body = server.post("/api/votes", ballot(chain, riders, 1, 2, "test1"))
    assert status == 409
    assert body["error"] == "You have already voted on #1: a member votes once. Nothing was sent."
    assert tally(chain, riders, 1) == (1, 1, 0)


def test_a_member_may_pay_the_gas_from_the_wallet(page, server, chain, riders):
    wallet = TestWallet("test4", chain)
    balance = chain.balance(wallet.address)
    relayer_nonce = chain.nonce(address_of(RELAYER))
    open_page(page, server, wallet)
    connect(page, wallet)
    choose(page, 3, "For", "welcome Fatima")
    page.get_by_role("button", name="Send it from my wallet (I pay the gas)").click()
    expect(page.get_by_role("status")).to_have_text(
        re.compile(r"^Your vote on #3 landed in block \d+: it is counted\.$")
    )
    logs = [log for log in chain.vote_logs(riders.address, 3) if log["voter"] == wallet.address]
    assert len(logs) == 1 and chain.tx_from(logs[0]["tx"]) == wallet.address
    assert chain.balance(wallet.address) < balance  # the member paid the gas
    assert chain.nonce(address_of(RELAYER)) == relayer_nonce
    expect(proposal(page, 3).locator(".elig")).to_have_text("You have voted For on #3.")


def test_several_wallets_are_offered_and_an_old_one_is_found(page, server, chain):
    first, second = TestWallet("test1", chain), TestWallet("test2", chain)
    first.install(page, "Wallet One")
    second.install(page, "Wallet Two")
    open_page(page, server, None)
    page.get_by_role("button", name="Connect wallet").click()
    expect(page.get_by_role("status")).to_have_text("2 wallets found: choose one.")
    page.get_by_role("button", name="Connect Wallet Two").click()
    expect(page.locator("#account")).to_contain_text(f"Connected as {second.address}.")
    assert "eth_requestAccounts" in second.methods() and not first.calls
    legacy = TestWallet("test3", chain)
    page2 = page.context.new_page()
    legacy.install(page2, legacy=True)
    open_page(page2, server, None)
    connect(page2, legacy)
    page2.close()


def test_network_down_says_so_and_sends_nothing(page, server, chain, riders):
    wallet = TestWallet("test4", chain)
    open_page(page, server, wallet)
    connect(page, wallet)
    choose(page, 2, "For")
    page.route("**/api/votes", lambda route: route.abort("internetdisconnected"))
    before = quiet(chain, server)
    page.get_by_role("button", name="Sign my vote (free)").click()
    expect(page.get_by_role("status")).to_have_text(
        "Cannot reach the iwo server (the network is down, or `iwo serve` stopped). Nothing was sent."
    )
    assert quiet(chain, server) == before and not has_voted(chain, riders, 2, "test4")


def test_accessibility_snapshot(page, server, chain):
    wallet = TestWallet("test4", chain)
    open_page(page, server, wallet)
    connect(page, wallet)
    expect(page.locator("body")).to_match_aria_snapshot(
        """
        - banner:
          - heading "Riders Collective" [level=1]
        - main:
          - region "Your wallet":
            - heading "Your wallet" [level=2]
            - button "Connect wallet"
          - status: Connected.
          - region "Open proposals":
            - heading "Open proposals" [level=2]
            - article "#1 Pay the lawyer 0.2 ETH for the contract review":
              - heading "#1 Pay the lawyer 0.2 ETH for the contract review" [level=3]
              - list:
                - listitem: /pay 0\\.2 ETH from the treasury to 0x[0-9a-fA-F]{40}/
            - article "#2 Adopt the minimum rate guideline v1":
              - heading "#2 Adopt the minimum rate guideline v1" [level=3]
              - paragraph: "You may vote on this proposal."
              - 'group "Your vote on #2"':
                - radio "For"
                - radio "Against"
                - radio "Abstain"
              - textbox "Reason (optional, kept on-chain with your vote)"
              - button "Review my vote"
          - region "Recent proposals"
        - contentinfo:
          - paragraph:
            - link "clear-signing descriptor (ERC-7730)"
        """
    )
    snapshot = page.locator("body").aria_snapshot()
    assert "status: Connected." in snapshot and "[level=1]" in snapshot


def test_relayer_out_of_funds_is_a_clear_message(page, server, chain, riders, artifacts):
    relayer = address_of(RELAYER)
    saved = chain.balance(relayer)
    chain.fund([relayer], 10**9)  # one gwei: not one vote's gas
    try:
        wallet = TestWallet("test4", chain)
        open_page(page, server, wallet)
        expect(page.locator("#relayer")).to_have_text(
            re.compile(
                rf"^The relayer \({relayer}\) has no ETH left to pay for votes .*: votes cannot be relayed now\."
            )
        )
        connect(page, wallet)
        choose(page, 2, "Against")
        before = quiet(chain, server)
        page.get_by_role("button", name="Sign my vote (free)").click()
        expect(page.get_by_role("status")).to_have_text(
            f"The relayer ({relayer}) is out of funds: it cannot pay for more votes now. Nothing was sent. "
            f"Vote from your wallet (you pay the gas), or ask the collective to send ETH to {relayer}."
        )
        page.screenshot(path=artifacts / "relayer-out-of-funds.png", full_page=True)
        assert quiet(chain, server) == before and not has_voted(chain, riders, 2, "test4")
    finally:
        chain.fund([relayer], saved)

"""The ledger rebuilt from chain events: exactly the rows the scripted scenario's
transactions call for, with running balances per asset, windows and closing balances."""

from __future__ import annotations

import pytest
from ledger_conftest import DUES, ETH, E, U, fresh_build

from iwo import ledger
from iwo.errors import IwoError

KINDS = [
    "DuesPaid",
    "DuesPaid",
    "DonationReceived",
    "DonationReceived",
    "DonationReceived",
    "EthReceived",
    "TokenIn",
    "Payment",
    "Payment",
    "PoolFunded",
    "PoolFunded",
    "Payment",
    "Payment",
]


def test_full_ledger_is_exactly_the_scripted_rows(scenario, tmp_path):
    book = fresh_build(scenario, tmp_path / "cache.sqlite")
    assert book.as_dicts() == scenario.expected
    assert [r["kind"] for r in scenario.expected] == KINDS


def test_rows_by_hand(scenario, tmp_path):
    """The same ledger written out by hand: what an auditor should read, line by line."""
    n, tok = scenario.names, scenario.token.address
    book = fresh_build(scenario, tmp_path / "cache.sqlite")
    got = [
        (
            r.direction,
            r.counterparty,
            r.asset,
            r.amount,
            r.balance,
            r.kind,
            r.what,
            r.proposal_id,
            r.member,
            r.periods,
            r.amount_text,
            r.balance_text,
        )
        for r in book.rows
    ]
    assert got == [
        (
            "in",
            n.a1,
            ETH,
            2 * DUES,
            2 * 10**16,
            "DuesPaid",
            f"dues, 2 period(s) for {n.a1} (0.004 ETH to the aid pool)",
            None,
            n.a1,
            2,
            "0.02 ETH",
            "0.02 ETH",
        ),
        (
            "in",
            n.sponsor,
            ETH,
            DUES,
            3 * 10**16,
            "DuesPaid",
            f"dues, 1 period(s) for {n.a2} (0.002 ETH to the aid pool)",
            None,
            n.a2,
            1,
            "0.01 ETH",
            "0.03 ETH",
        ),
        (
            "in",
            n.donor,
            tok,
            500 * U,
            500 * U,
            "DonationReceived",
            "donation: tools fund",
            None,
            None,
            None,
            "500 USDX",
            "500 USDX",
        ),
        (
            "in",
            n.donor,
            ETH,
            1 * E,
            103 * 10**16,
            "DonationReceived",
            "donation: solidarity fund",
            None,
            None,
            None,
            "1 ETH",
            "1.03 ETH",
        ),
        (
            "in",
            n.outsider,
            ETH,
            5 * 10**16,
            108 * 10**16,
            "DonationReceived",
            "donation",
            None,
            None,
            None,
            "0.05 ETH",
            "1.08 ETH",
        ),
        (
            "in",
            n.plain,
            ETH,
            3 * 10**17,
            138 * 10**16,
            "EthReceived",
            "ETH received without a call (plain transfer)",
            None,
            None,
            None,
            "0.3 ETH",
            "1.38 ETH",
        ),
        (
            "in",
            n.donor,
            tok,
            25 * U,
            525 * U,
            "TokenIn",
            "plain token transfer in (no treasury call)",
            None,
            None,
            None,
            "25 USDX",
            "525 USDX",
        ),
        (
            "out",
            n.payee,
            ETH,
            25 * 10**16,
            113 * 10**16,
            "Payment",
            "payment by proposal #1: Pay the lawyer",
            1,
            None,
            None,
            "0.25 ETH",
            "1.13 ETH",
        ),
        (
            "out",
            n.payee,
            tok,
            120 * U,
            405 * U,
            "Payment",
            "payment by proposal #2: Buy tools",
            2,
            None,
            None,
            "120 USDX",
            "405 USDX",
        ),
        (
            "reserve",
            "pool",
            ETH,
            10**17,
            113 * 10**16,
            "PoolFunded",
            "moved into the mutual-aid pool by proposal #3 (pool now 0.106 ETH)",
            3,
            None,
            None,
            "0.1 ETH",
            "1.13 ETH",
        ),
        (
            "reserve",
            "pool",
            tok,
            30 * U,
            405 * U,
            "PoolFunded",
            "moved into the mutual-aid pool by proposal #3 (pool now 30 USDX)",
            3,
            None,
            None,
            "30 USDX",
            "405 USDX",
        ),
        (
            "out",
            n.a3,
            ETH,
            10**17,
            103 * 10**16,
            "Payment",
            "payment by proposal #4: Hardship support for a3",
            4,
            None,
            None,
            "0.1 ETH",
            "1.03 ETH",
        ),
        (
            "out",
            n.a3,
            tok,
            30 * U,
            375 * U,
            "Payment",
            "payment by proposal #4: Hardship support for a3",
            4,
            None,
            None,
            "30 USDX",
            "375 USDX",
        ),
    ]
    assert [r.symbol for r in book.rows] == [
        "ETH",
        "ETH",
        "USDX",
        "ETH",
        "ETH",
        "ETH",
        "USDX",
        "ETH",
        "USDX",
        "ETH",
        "USDX",
        "ETH",
        "USDX",
    ]
    assert book.rows[9].tx == book.rows[10].tx and book.rows[9].log_index < book.rows[10].log_index
    assert not any(r.flagged for r in book.rows)


def test_blocks_are_ascending_and_rows_name_their_transactions(scenario, tmp_path):
    book = fresh_build(scenario, tmp_path / "cache.sqlite")
    keys = [(r.block, r.log_index) for r in book.rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    w3 = scenario.net.w3
    for row in book.rows:
        receipt = w3.eth.get_transaction_receipt(row.tx)
        assert receipt.blockNumber == row.block
        assert row.time == w3.eth.get_block(row.block)["timestamp"]


def test_closing_balances_and_assets(scenario, tmp_path):
    book = fresh_build(scenario, tmp_path / "cache.sqlite")
    tok = scenario.token.address
    assert book.closing == {ETH: 103 * 10**16, tok: 375 * U}
    assert book.closing == scenario.on_chain() == scenario.balances
    assert book.opening == {ETH: 0, tok: 0}
    assert book.assets == {ETH: ("ETH", 18), tok: ("USDX", 6)}
    assert (book.from_block, book.to_block) == (scenario.created_block, scenario.net.head())
    assert book.flags == []


def test_target_is_found_from_the_governor_alone(scenario):
    rpc = scenario.rpc()
    target = ledger.find_target(rpc, scenario.governor.address.lower())
    aid = scenario.treasury.functions.aid().call()
    assert target == ledger.Target(
        31337, scenario.governor.address, scenario.treasury.address, scenario.created_block, aid=aid
    )
    assert list(target.contracts) == [scenario.governor.address, scenario.treasury.address, aid]


def test_target_refuses_what_is_not_a_governor(scenario):
    rpc = scenario.rpc()
    with pytest.raises(IwoError, match=r"^not an address: '0x1234'$"):
        ledger.find_target(rpc, "0x1234")
    with pytest.raises(IwoError, match=rf"^no contract at {scenario.names.outsider} on this chain$"):
        ledger.find_target(rpc, scenario.names.outsider)
    with pytest.raises(IwoError, match=rf"^{scenario.token.address} is not an iwo governor \(no treasury\(\)\)$"):
        ledger.find_target(rpc, scenario.token.address)


def _blocks(scenario):
    """Blocks of the scenario's rows by kind order (see KINDS)."""
    return [r["block"] for r in scenario.expected]


def _window(scenario, from_block, to_block):
    head = scenario.net.head()
    lo = scenario.created_block if from_block is None else max(from_block, scenario.created_block)
    hi = head if to_block is None else min(to_block, head)
    rows = [r for r in scenario.expected if lo <= r["block"] <= hi]
    opening, closing = {ETH: 0}, {ETH: 0}
    for r in scenario.expected:
        if r["block"] > hi:
            break
        closing[r["asset"]] = r["balance"]
        opening.setdefault(r["asset"], 0)
        if r["block"] < lo:
            opening[r["asset"]] = r["balance"]
    return lo, hi, rows, opening, closing


WINDOWS = {
    # name: (from index, to index) into the scenario's rows; None: open end
    "middle": (2, 7),  # token donation .. first payment
    "tail": (5, None),  # from the plain ETH transfer to the head
    "head-of-books": (None, 1),  # up to the sponsor's dues: no token seen yet
    "one-block": (6, 6),  # the plain token transfer alone
    "benefits": (9, 12),  # grants and claims: opening carries everything before
}


@pytest.mark.parametrize("window", list(WINDOWS))
def test_windows(scenario, tmp_path, window):
    i, j = WINDOWS[window]
    blocks = _blocks(scenario)
    from_block = None if i is None else blocks[i]
    to_block = None if j is None else blocks[j]
    book = fresh_build(scenario, tmp_path / "cache.sqlite", from_block=from_block, to_block=to_block)
    lo, hi, rows, opening, closing = _window(scenario, from_block, to_block)
    assert (book.from_block, book.to_block) == (lo, hi)
    assert book.as_dicts() == rows
    assert book.opening == opening
    assert book.closing == closing
    assert book.closing == {a: scenario.on_chain(hi)[a] for a in closing}


def test_window_values_by_hand(scenario, tmp_path):
    blocks = _blocks(scenario)
    tok = scenario.token.address
    book = fresh_build(scenario, tmp_path / "cache.sqlite", from_block=blocks[3], to_block=blocks[7])
    assert book.opening == {ETH: 3 * 10**16, tok: 500 * U}
    assert book.closing == {ETH: 113 * 10**16, tok: 525 * U}
    assert [r.kind for r in book.rows] == ["DonationReceived", "DonationReceived", "EthReceived", "TokenIn", "Payment"]
    early = fresh_build(scenario, tmp_path / "early.sqlite", to_block=blocks[1])
    assert early.assets == {ETH: ("ETH", 18)}
    assert early.closing == {ETH: 3 * 10**16}
    assert [r.kind for r in early.rows] == ["DuesPaid", "DuesPaid"]


def test_windows_one_after_another_on_one_cache(scenario, tmp_path):
    """Narrow windows first, then wider ones, all on the same cache: each is exact."""
    blocks = _blocks(scenario)
    path = tmp_path / "cache.sqlite"
    for from_block, to_block in [
        (None, blocks[1]),
        (blocks[2], blocks[6]),
        (blocks[0], blocks[8]),
        (blocks[4], None),
        (None, blocks[3]),
        (None, None),
    ]:
        book = fresh_build(scenario, path, from_block=from_block, to_block=to_block)
        lo, hi, rows, opening, closing = _window(scenario, from_block, to_block)
        assert book.as_dicts() == rows, (from_block, to_block)
        assert (book.opening, book.closing) == (opening, closing), (from_block, to_block)


def test_window_clamped_to_the_treasury_and_the_head(scenario, tmp_path):
    head = scenario.net.head()
    book = fresh_build(scenario, tmp_path / "cache.sqlite", from_block=0, to_block=head + 1000)
    assert (book.from_block, book.to_block) == (scenario.created_block, head)
    assert book.as_dicts() == scenario.expected


def test_window_upside_down_is_refused(scenario, tmp_path):
    blocks = _blocks(scenario)
    with pytest.raises(IwoError, match=rf"^--from-block {blocks[5]} is after --to-block {blocks[2]}$"):
        fresh_build(scenario, tmp_path / "cache.sqlite", from_block=blocks[5], to_block=blocks[2])


@pytest.mark.parametrize(
    ("amount", "meta", "text"),
    [
        (0, ("ETH", 18), "0 ETH"),
        (10**18, ("ETH", 18), "1 ETH"),
        (10**16, ("ETH", 18), "0.01 ETH"),
        (1, ("ETH", 18), "0.000000000000000001 ETH"),
        (1234 * 10**18, ("ETH", 18), "1234 ETH"),
        (405 * 10**6, ("USDX", 6), "405 USDX"),
        (1_500_000, ("USDX", 6), "1.5 USDX"),
        (-25 * 10**4, ("USDX", 6), "-0.25 USDX"),
        (42, ("RAW", 0), "42 RAW"),
    ],
)
def test_amounts_are_printed_exactly(amount, meta, text):
    assert ledger.fmt(amount, meta) == text

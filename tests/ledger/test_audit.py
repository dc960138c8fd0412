"""Reconciliation: rebuilt balances against on-chain balances, and the exact flagged line
when money arrives (or leaves) outside the treasury's events."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from ledger_conftest import ETH, FORCER_SOURCE, U, compile_vyper, fresh_build

from iwo import ledger
from iwo.cli import main

FORCED_HOW = "arrived without any call or event (forced in: selfdestruct, coinbase reward or a state override)"


def forced_flag(on_chain: str, block: int, explained: str, amount: str, first: int) -> str:
    return (
        f"ETH: on-chain balance {on_chain} at block {block}, events explain {explained}; {amount} {FORCED_HOW}; "
        f"first seen at block {first}"
    )


def run_audit(scenario, path, samples=5):
    book = fresh_build(scenario, path)
    return book, ledger.audit(scenario.rpc(), book, samples)


def force_by_selfdestruct(scenario, amount: int) -> int:
    """Sends `amount` into the treasury with a contract that self-destructs to it; returns the block."""
    abi, bytecode = compile_vyper(FORCER_SOURCE, "Forcer")
    forcer = scenario.net.deploy(abi, bytecode, value=amount)
    receipt = scenario.net.send(forcer.functions.force(scenario.treasury.address), scenario.names.organizer)
    return receipt.blockNumber


def test_audit_passes_on_the_scenario(scenario, tmp_path):
    book, result = run_audit(scenario, tmp_path / "cache.sqlite")
    tok = scenario.token.address
    assert result == ledger.Audit(
        ok=True,
        block=scenario.net.head(),
        assets=[
            ledger.AssetAudit(ETH, "ETH", 103 * 10**16, 103 * 10**16, 0, True),
            ledger.AssetAudit(tok, "USDX", 375 * U, 375 * U, 0, True),
        ],
        flags=[],
        samples_checked=5,
    )


@pytest.mark.parametrize(("samples", "checked"), [(0, 0), (1, 1), (5, 5), (11, 11), (13, 13), (100, 13)])
def test_sampled_blocks(scenario, tmp_path, samples, checked):
    _, result = run_audit(scenario, tmp_path / "cache.sqlite", samples)
    assert (result.ok, result.flags, result.samples_checked) == (True, [], checked)


def test_eth_forced_in_by_set_balance(reverting, tmp_path):
    s = reverting
    forced_at = s.net.head()
    before = s.net.w3.eth.get_balance(s.treasury.address)
    assert before == 103 * 10**16
    s.net.rpc("anvil_setBalance", [s.treasury.address, hex(before + 7 * 10**15)])
    s.net.mine()  # the audit reads the head: one more block, which holds the overridden balance
    book, result = run_audit(s, tmp_path / "cache.sqlite")
    head = s.net.head()
    assert result.ok is False
    assert result.assets[0] == ledger.AssetAudit(ETH, "ETH", 103 * 10**16, 1037 * 10**15, 7 * 10**15, False)
    assert result.assets[1].ok is True
    # anvil applies the override to the state of the head it had then: that block is the first to differ
    assert result.flags == [forced_flag("1.037 ETH", head, "1.03 ETH", "0.007 ETH", forced_at)]
    assert book.as_dicts() == s.expected  # the ledger itself is unchanged: nothing explains the ETH


def test_eth_forced_in_by_selfdestruct(reverting, tmp_path):
    s = reverting
    forced_at = force_by_selfdestruct(s, 3 * 10**15)
    s.net.mine(2)
    _, result = run_audit(s, tmp_path / "cache.sqlite")
    assert result.ok is False
    assert result.assets[0] == ledger.AssetAudit(ETH, "ETH", 103 * 10**16, 1033 * 10**15, 3 * 10**15, False)
    assert result.flags == [forced_flag("1.033 ETH", s.net.head(), "1.03 ETH", "0.003 ETH", forced_at)]


def test_forced_eth_shows_in_the_balance_the_treasury_reports_later(reverting, tmp_path):
    s = reverting
    forced_at = force_by_selfdestruct(s, 3 * 10**15)
    receipt = s.pay_dues(s.names.a1, s.names.a1, 1)
    s.expected[-1]["reported_balance"] += 3 * 10**15  # the event reports what the treasury holds
    book, result = run_audit(s, tmp_path / "cache.sqlite")
    assert book.as_dicts() == s.expected
    assert result.flags == [
        forced_flag("1.043 ETH", s.net.head(), "1.04 ETH", "0.003 ETH", forced_at),
        f"ETH: by block {receipt.blockNumber} the treasury reports 0.003 ETH more than its events explain",
    ]
    assert result.ok is False


def test_window_does_not_hide_forced_eth(reverting, tmp_path):
    """The audit of a window ending before the forcing passes; up to the head it does not."""
    s = reverting
    last = s.expected[-1]["block"]
    forced_at = force_by_selfdestruct(s, 3 * 10**15)
    rpc = s.rpc()
    cache = ledger.Cache(tmp_path / "cache.sqlite")
    try:
        early = ledger.build(rpc, cache, s.target(rpc), None, last)
        assert ledger.audit(rpc, early).ok is True
        full = ledger.build(rpc, cache, s.target(rpc))
        result = ledger.audit(rpc, full)
    finally:
        cache.close()
    assert result.flags == [forced_flag("1.033 ETH", forced_at, "1.03 ETH", "0.003 ETH", forced_at)]


def test_tokens_leaving_without_an_event_are_flagged(reverting, tmp_path):
    s = reverting
    t, tok = s.treasury.address, s.token
    s.net.rpc("anvil_impersonateAccount", [t])
    try:
        s.net.rpc("anvil_setNextBlockBaseFeePerGas", ["0x0"])  # no gas paid: only the token moves
        receipt = s.net.wait(tok.functions.transfer(s.names.outsider, 5 * U).transact({"from": t, "gasPrice": 0}))
    finally:
        s.net.rpc("anvil_stopImpersonatingAccount", [t])
    tx = "0x" + bytes(receipt.transactionHash).hex()
    book, result = run_audit(s, tmp_path / "cache.sqlite")
    row = book.rows[-1]
    assert (
        row.block,
        row.tx,
        row.direction,
        row.counterparty,
        row.asset,
        row.amount,
        row.balance,
        row.kind,
        row.what,
        row.flagged,
    ) == (
        receipt.blockNumber,
        tx,
        "out",
        s.names.outsider,
        tok.address,
        5 * U,
        370 * U,
        "TokenOut",
        "UNEXPLAINED: tokens left the treasury without a treasury event",
        True,
    )
    assert book.as_dicts()[:-1] == s.expected
    assert [a.ok for a in result.assets] == [True, True]  # the books add up, but something is unexplained
    assert result.flags == [
        f"block {receipt.blockNumber} tx {tx}: UNEXPLAINED: tokens left the treasury without a "
        f"treasury event (5 USDX to {s.names.outsider})"
    ]
    assert result.ok is False


def _cli(home, *args):
    return CliRunner(mix_stderr=False).invoke(
        main, [str(a) for a in args], env={"IWO_HOME": str(home)}, prog_name="iwo"
    )


def test_cli_audit_exit_codes(reverting, tmp_path):
    s = reverting
    home = tmp_path / "home"
    ok = _cli(home, "audit", "--rpc", s.url, "-c", s.governor.address)
    assert ok.exit_code == 0, ok.stdout + ok.stderr
    head = s.net.head()
    pools = [  # the mutual-aid pool per asset and the aid contract's deposits, rebuilt from events
        "pool     ETH    events 0.106 ETH, chain 0.106 ETH: ok",
        "pool     USDX   events 30 USDX, chain 30 USDX: ok",
        "deposits ETH    events 0 ETH, chain 0 ETH: ok",
    ]
    assert ok.stdout.splitlines() == [
        "ETH    events 1.03 ETH, chain 1.03 ETH: ok",
        "USDX   events 375 USDX, chain 375 USDX: ok",
        *pools,
        f"books balance at block {head} (13 movements, 5 sampled blocks checked)",
    ]
    forced_at = force_by_selfdestruct(s, 3 * 10**15)
    bad = _cli(home, "audit", "--rpc", s.url, "-c", s.governor.address)  # warm cache from the first run
    assert bad.exit_code == 1, bad.stdout + bad.stderr
    assert bad.stdout.splitlines() == [
        "ETH    events 1.03 ETH, chain 1.033 ETH: MISMATCH",
        "USDX   events 375 USDX, chain 375 USDX: ok",
        *pools,
        "FLAG: " + forced_flag("1.033 ETH", forced_at, "1.03 ETH", "0.003 ETH", forced_at),
        f"books do NOT balance at block {forced_at} (13 movements, 5 sampled blocks checked)",
    ]
    as_json = _cli(home, "audit", "--rpc", s.url, "-c", s.governor.address, "--json", "--samples", "2")
    assert as_json.exit_code == 1
    data = json.loads(as_json.stdout)
    assert [(a["what"], a["symbol"], a["rebuilt"], a["ok"]) for a in data.pop("aid")] == [
        ("pool", "ETH", 106 * 10**15, True),
        ("pool", "USDX", 30 * U, True),
        ("deposits", "ETH", 0, True),
    ]
    assert data.pop("aid_flags") == []
    assert data == {
        "ok": False,
        "treasury_ok": False,  # the treasury's books alone (the escrow's are reported apart)
        "block": forced_at,
        "assets": [
            {
                "asset": ETH,
                "symbol": "ETH",
                "rebuilt": 103 * 10**16,
                "on_chain": 1033 * 10**15,
                "difference": 3 * 10**15,
                "ok": False,
            },
            {
                "asset": s.token.address,
                "symbol": "USDX",
                "rebuilt": 375 * U,
                "on_chain": 375 * U,
                "difference": 0,
                "ok": True,
            },
        ],
        "flags": [forced_flag("1.033 ETH", forced_at, "1.03 ETH", "0.003 ETH", forced_at)],
        "notes": [],
        "samples_checked": 2,
        "treasury": s.treasury.address,
        "rows": 13,
    }


def test_cli_audit_of_an_unknown_collective_fails_cleanly(scenario, tmp_path):
    result = _cli(tmp_path / "home", "audit", "--rpc", scenario.url, "-c", scenario.names.outsider)
    assert result.exit_code == 1
    assert result.stderr == f"Error: no contract at {scenario.names.outsider} on chain 31337 (was the chain reset?)\n"

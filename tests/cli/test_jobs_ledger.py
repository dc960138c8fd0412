"""The escrow in the auditor's view: its fees in the treasury's books (`iwo ledger`), its own books
(`iwo ledger --escrow`: holdings per asset after each movement, per open job, credits) and their
reconciliation with the chain (`iwo audit`), as one scripted story on the module's node:

- job 1 (1 ETH): released by the client: a 0.01 ETH fee to the treasury;
- job 2 (100 USDX): the token refuses every transfer while the client releases it: the worker's
  99 USDX and the treasury's 1 USDX fee are credited in the escrow (PaymentDeferred); a
  withdrawal while the token still refuses is refused with the contract's reason; once it
  accepts, test9 withdraws the treasury's credit (it arrives with no treasury event, explained
  by the escrow's Withdrawn) and the worker withdraws its own;
- job 3 (1 ETH): disputed, nobody draws, settled by the default rule (fee 0.005 ETH);
- a stranger calls the treasury's `receive_fee`: for USDX a mere statement (no row), for ETH with
  the value (a row, named as not escrow income);
- job 4 (20 USDX) stays open;
- finally 3 USDX are sent straight to the escrow: the audit fails (exit 1) and says why.
"""

from __future__ import annotations

import json

import pytest
from jobs_kit import CLIENT, FOUNDERS, OUTSIDER, WORKER, E, deploy_token, send, token_balance

U = 10**6  # one USDX


@pytest.fixture(scope="module")
def founder_accounts():
    return FOUNDERS


@pytest.fixture(scope="module")
def story(iwo, collective):
    out = {"treasury": collective["treasury"], "escrow": collective["escrow"]}
    for name in FOUNDERS:
        iwo.ok("dues", "pay", "--periods", "12", "--account", name)
    token = deploy_token(iwo)
    out["token"] = token
    send(iwo, "test0", token, "mint(address,uint256)", [iwo.addr(CLIENT), 1_000 * U])
    # job 1: ETH, released by the client
    iwo.ok("job", "create", "--worker", WORKER, "--milestone", "1@30d", "--account", CLIENT)
    out["fee1"] = iwo.json("job", "release", "1", "--account", CLIENT)
    # job 2: USDX, released while the token refuses transfers
    iwo.ok("job", "create", "--worker", WORKER, "--asset", token, "--milestone", "100@30d", "--account", CLIENT)
    send(iwo, "test0", token, "set_mode(uint256,address,bytes)", [1, "0x" + "00" * 20, b""])
    out["credited"] = iwo.json("job", "release", "2", "--account", CLIENT)
    out["ledger_credited"] = iwo.json("ledger", "--escrow")
    out["audit_credited"] = iwo.json("audit")
    out["still_refused"] = iwo.refused(
        "job", "withdraw", "--for", out["treasury"], "--account", OUTSIDER, sender=OUTSIDER
    )
    send(iwo, "test0", token, "set_mode(uint256,address,bytes)", [0, "0x" + "00" * 20, b""])
    out["treasury_withdrawal"] = iwo.json("job", "withdraw", "--for", out["treasury"], "--account", OUTSIDER)
    out["worker_withdrawal"] = iwo.text("job", "withdraw", "--account", WORKER)
    # job 3: disputed, settled by the default rule
    iwo.ok("job", "create", "--worker", WORKER, "--milestone", "1@30d", "--account", CLIENT)
    iwo.ok("job", "deliver", "3", "--account", WORKER)
    iwo.ok("job", "dispute", "3", "--account", CLIENT)
    iwo.ok("node", "advance", "3d1m")
    out["settled"] = iwo.json("panel", "settle", "3", "--account", OUTSIDER)
    # a stranger's fee statements
    send(iwo, OUTSIDER, out["treasury"], "receive_fee(address,uint256,uint256)", [token, 5 * U, 1])
    send(
        iwo,
        OUTSIDER,
        out["treasury"],
        "receive_fee(address,uint256,uint256)",
        ["0x" + "00" * 20, 10**15, 7],
        value=10**15,
    )
    # job 4: open
    iwo.ok("job", "create", "--worker", WORKER, "--asset", token, "--milestone", "20@30d", "--account", CLIENT)
    out["ledger"] = iwo.json("ledger")
    out["escrow_ledger"] = iwo.json("ledger", "--escrow")
    out["escrow_text"] = iwo.text("ledger", "--escrow")
    out["audit"] = iwo.json("audit")
    out["audit_text"] = iwo.text("audit")
    return out


def test_escrow_fees_in_the_treasury_books(iwo, story):
    escrow, stranger = story["escrow"], iwo.addr(OUTSIDER)
    rows = [r for r in story["ledger"]["rows"] if r["kind"] != "DuesPaid"]
    assert [(r["kind"], r["direction"], r["counterparty"], r["amount_text"], r["what"]) for r in rows] == [
        ("FeeReceived", "in", escrow, "0.01 ETH", "escrow fee for job #1"),
        (
            "EscrowCreditWithdrawn",
            "in",
            escrow,
            "1 USDX",
            "escrow fees for job #2, credited when the token refused the transfer, withdrawn from the escrow",
        ),
        ("FeeReceived", "in", escrow, "0.005 ETH", "escrow fee for job #3"),
        (
            "FeeStatedElsewhere",
            "in",
            stranger,
            "0.001 ETH",
            "ETH sent with a fee statement by an account that is not the collective's escrow (not escrow income)",
        ),
    ]
    closing = story["ledger"]["closing"]
    assert closing["USDX"] == 1 * U == token_balance(iwo, story["token"], story["treasury"])
    assert closing["ETH"] == iwo.balance(story["treasury"])


def test_a_credited_payment_and_its_withdrawals(iwo, story):
    credited = story["credited"]
    assert (credited["amount"], credited["fee"]) == (100 * U, 1 * U)
    assert {(d["account"], d["amount"]) for d in credited["deferred"]} == {
        (story["treasury"], 1 * U),
        (iwo.addr(WORKER), 99 * U),
    }
    book = story["ledger_credited"]
    assert book["credits"] == [
        {"account": a, "asset": story["token"], "amount": v, "amount_text": t}
        for a, v, t in sorted([(story["treasury"], 1 * U, "1 USDX"), (iwo.addr(WORKER), 99 * U, "99 USDX")])
    ]
    assert book["holdings"] == {"ETH": 0, "USDX": 100 * U}
    audit = story["audit_credited"]
    assert audit["ok"] is True and audit["escrow"]["ok"] is True
    assert [(c["rebuilt"], c["on_chain"], c["ok"]) for c in audit["escrow"]["credits"]] == [
        (v, v, True) for _, v in sorted([(story["treasury"], 1 * U), (iwo.addr(WORKER), 99 * U)])
    ]
    assert story["still_refused"] == "refused, nothing sent: escrow: token transfer failed"  # the contract's reason
    assert [p["amount_text"] for p in story["treasury_withdrawal"]["paid"]] == ["1 USDX"]
    assert story["worker_withdrawal"].startswith(f"paid 99 USDX credited to {iwo.addr(WORKER)} (tx 0x")


def test_the_escrow_books(iwo, story):
    book = story["escrow_ledger"]
    assert book["holdings"] == {"ETH": 0, "USDX": 20 * U}
    assert [(j["job_id"], j["held_text"]) for j in book["jobs"]] == [(4, "20 USDX")]
    assert book["credits"] == [] and book["flags"] == []
    moves = [(r["kind"], r["job_id"], r["change"], r["holdings"]) for r in book["rows"]]
    assert moves == [
        ("JobCreated", 1, E, E),
        ("Released", 1, -E, 0),
        ("JobCreated", 2, 100 * U, 100 * U),
        ("PaymentDeferred", None, 1 * U, 101 * U),  # the treasury's fee, refused by the token
        ("PaymentDeferred", None, 99 * U, 200 * U),  # the worker's pay, refused too
        ("Released", 2, -100 * U, 100 * U),
        ("Withdrawn", None, -1 * U, 99 * U),
        ("Withdrawn", None, -99 * U, 0),
        ("JobCreated", 3, E, E),
        ("DisputeOpened", 3, 2 * 10**16, E + 2 * 10**16),
        ("DisputeSettled", 3, -(E + 2 * 10**16), 0),
        ("JobCreated", 4, 20 * U, 20 * U),
    ]
    assert all(r["reported_balance"] in (None, r["holdings"]) for r in book["rows"])
    lines = story["escrow_text"].splitlines()
    assert lines[-2:] == ["held for job #4: 20 USDX", "escrow holds: 0 ETH, 20 USDX"]
    assert (
        "job #3 milestone 1 dispute settled by the default rule: 0.495 ETH to the worker, 0.52 ETH to the client, fee 0.005 ETH, 0 ETH to the panel"
        in story["escrow_text"]
    )


def test_audit_reconciles_the_escrow(iwo, story):
    audit = story["audit"]
    assert audit["ok"] is True
    escrow = audit["escrow"]
    assert escrow["ok"] is True and escrow["flags"] == []
    assert [(a["symbol"], a["rebuilt"], a["on_chain"]) for a in escrow["assets"]] == [
        ("ETH", 0, 0),
        ("USDX", 20 * U, 20 * U),
    ]
    assert [(j["job_id"], j["rebuilt"], j["on_chain"], j["ok"]) for j in escrow["jobs"]] == [(4, 20 * U, 20 * U, True)]
    assert escrow["notes"] == [
        f"block {n}: a FeeReceived of {amount} from {iwo.addr(OUTSIDER)}, which is not the collective's escrow, is "
        "not counted as escrow income"
        for n, amount in zip(_stranger_blocks(story), ("5 USDX", "0.001 ETH"))
    ]
    lines = story["audit_text"].splitlines()
    start = lines.index(f"escrow {story['escrow']}:")
    assert lines[start + 1 : start + 4] == [
        "  ETH    events 0 ETH, chain 0 ETH: ok",
        "  USDX   events 20 USDX, chain 20 USDX: ok",
        "  job #4 holds: events 20 USDX, chain 20 USDX: ok",
    ]
    assert lines[-2].startswith("escrow books balance at block ") and lines[-2].endswith(" (12 movements, 1 open jobs)")
    assert lines[-1] == f"all books balance at block {story['audit']['block']} (treasury, aid pool, escrow)"


def _stranger_blocks(story) -> list[int]:
    rows = [r for r in story["ledger"]["rows"] if r["kind"] == "FeeStatedElsewhere"]
    return [rows[0]["block"] - 1, rows[0]["block"]]  # the token statement is mined in the block before


def test_tokens_sent_straight_to_the_escrow_fail_the_audit(iwo, story):
    send(iwo, CLIENT, story["token"], "transfer(address,uint256)", [story["escrow"], 3 * U])
    result = iwo.run("audit", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["treasury_ok"] is True  # the treasury's books still balance
    assert data["ok"] is False  # the whole audit does not
    assert data["escrow"]["ok"] is False
    assert data["escrow"]["flags"] == [
        f"escrow USDX: on-chain balance 23 USDX at block {data['block']}, events explain 20 USDX; 3 USDX arrived "
        "without any escrow event (sent to it directly: no call can move it)"
    ]
    text = iwo.run("audit")
    assert text.exit_code == 1
    assert text.stdout.splitlines()[-2].startswith("escrow books do NOT balance at block ")
    assert text.stdout.splitlines()[-1] == f"books do NOT balance at block {data['block']}: the escrow's"

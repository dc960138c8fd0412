"""A collective's whole life through the real `iwo` executable on a real anvil node.

Four couriers found a collective (test1..test4); three pay three periods of dues,
test4 never pays and lapses; a supporter (test8) donates; three proposals (pay
the lawyer, adopt a rate guideline, admit test6) are voted, one by a vote whose
EIP-712 typed data `iwo vote --unsigned` wrote, anvil's eth_signTypedData_v4
signed and test7 relayed; then queued and executed. The chain, the collective
and its proposals survive `iwo node stop` / `iwo node start`.

Stages are module fixtures, so each test reports on one part of the story.
"""

import json

import pytest

DAY = 86_400
DUES = 10**16  # 0.01 ETH
ETH = "0x" + "0" * 40


@pytest.fixture(scope="module")
def accounts(cli, node):
    """anvil's default accounts (checksummed): the same mnemonic as the CLI's test0..test9."""
    from eth_utils import to_checksum_address

    return [to_checksum_address(a) for a in cli.rpc("eth_accounts")[:10]]


@pytest.fixture(scope="module")
def created(cli, node, accounts):
    done = cli.ok(
        "create",
        "Riders Collective",
        "--symbol",
        "RIDE",
        *[arg for i in (1, 2, 3, 4) for arg in ("--founder", f"test{i}")],
        "--dues",
        "0.01",
        "--period",
        "30d",
        "--grace",
        "7d",
        "--quorum",
        "25%",
        "--voting-delay",
        "1d",
        "--voting-period",
        "3d",
        "--timelock",
        "1d",
        "--account",
        "test0",
        "--json",
    )
    return json.loads(done.stdout) | {"stderr": done.stderr}


@pytest.fixture(scope="module")
def funded(cli, created):
    for i in (1, 2, 3):
        cli.ok("dues", "pay", "--periods", "3", "--account", f"test{i}")
    donation = cli.json("donate", "1", "--memo", "solidarity fund", "--account", "test8")
    cli.ok("node", "advance", "8d")
    return donation


@pytest.fixture(scope="module")
def proposed(cli, funded, accounts):
    return [
        cli.json(
            "propose",
            "spend",
            "--to",
            accounts[9],
            "--amount",
            "0.2",
            "-m",
            "Pay the lawyer 0.2 ETH for the contract review",
            "--account",
            "test1",
        ),
        cli.json("propose", "signal", "-m", "Adopt the minimum rate guideline v1", "--account", "test2"),
        cli.json("propose", "admit", "test6", "-m", "Admit Fatima, courier since 2019", "--account", "test3"),
    ]


@pytest.fixture(scope="module")
def voted(cli, proposed, accounts):
    cli.ok("node", "advance", "1d1m")
    out = {
        "direct": [
            cli.json("vote", "1", "for", "--account", "test1"),
            cli.json("vote", "2", "for", "--reason", "fair enough", "--account", "test2"),
        ]
    }
    # test3 votes on #3 from a wallet: the CLI writes the typed data, anvil signs it, test7 relays it
    path = cli.cwd / "vote-3-test3.json"
    unsigned = cli.ok("vote", "3", "for", "--unsigned", "--voter", accounts[3], "--out", path)
    out["unsigned_stderr"] = unsigned.stderr
    data = json.loads(path.read_text())
    out["typed_data"] = data["typed_data"]
    data["signature"] = cli.rpc("eth_signTypedData_v4", [accounts[3], json.dumps(data["typed_data"])])
    path.write_text(json.dumps(data))
    out["relayer_nonce"] = cli.nonce(accounts[7])
    out["voter_nonce"] = cli.nonce(accounts[3])
    out["relayed"] = cli.json("relay", path, "--account", "test7")
    out["relayer_nonce_after"] = cli.nonce(accounts[7])
    out["voter_nonce_after"] = cli.nonce(accounts[3])
    # test4 never paid: its vote is refused and nothing is sent
    before = cli.nonce(accounts[4])
    out["lapsed_error"] = cli.error("vote", "1", "for", "--account", "test4")
    out["lapsed_nonce_moved"] = cli.nonce(accounts[4]) != before
    return out


@pytest.fixture(scope="module")
def executed(cli, voted, accounts):
    cli.ok("node", "advance", "3d")
    queued = [cli.json("queue", str(i), "--account", "test7") for i in (1, 2, 3)]
    cli.ok("node", "advance", "1d")
    lawyer_before = cli.balance(accounts[9])
    done = [cli.json("execute", str(i), "--account", "test7") for i in (1, 2, 3)]
    return {"queued": queued, "done": done, "lawyer_gain": cli.balance(accounts[9]) - lawyer_before}


# ---- the story ---------------------------------------------------------------------------------
def test_created(cli, created, accounts):
    assert created["alias"] == "riders-collective"
    assert created["collective_id"] == 1
    assert created["founders"] == accounts[1:5]
    assert created["stderr"].startswith("deployed the iwo factory at 0x")
    for key in ("governor", "treasury", "card"):
        assert cli.rpc("eth_getCode", [created[key], "latest"]) not in ("0x", "0x0")


def test_funded(cli, created, funded, accounts):
    assert (funded["donor"], funded["amount"], funded["balance_text"]) == (accounts[8], 10**18, "1.09 ETH")
    assert cli.balance(created["treasury"]) == 3 * 3 * DUES + 10**18


def test_proposed(proposed, created, accounts):
    assert [(p["id"], p["state"], p["proposer"]) for p in proposed] == [
        (1, "Pending", accounts[1]),
        (2, "Pending", accounts[2]),
        (3, "Pending", accounts[3]),
    ]
    assert proposed[0]["explained"] == [f"pay 0.2 ETH from the treasury to {accounts[9]}"]
    assert proposed[1]["explained"] == ["signal only: no action, the decision is the text"]
    assert proposed[2]["explained"] == [f"admit {accounts[6]} as a member (issue a card)"]
    assert {p["members_at_snapshot"] for p in proposed} == {4}


def test_voted_directly(voted, accounts):
    first, second = voted["direct"]
    assert (first["proposal"], first["voter"], first["support"], first["votes"]) == (
        1,
        accounts[1],
        "for",
        {"for": 1, "against": 0, "abstain": 0},
    )
    assert (second["proposal"], second["voter"], second["reason"]) == (2, accounts[2], "fair enough")


def test_vote_signed_by_a_wallet_and_relayed(voted, created, accounts):
    typed = voted["typed_data"]
    assert typed["domain"] == {
        "name": "iwo",
        "version": "1",
        "chainId": 31337,
        "verifyingContract": created["governor"],
    }
    assert {k: typed["message"][k] for k in ("proposalId", "support", "voter")} == {
        "proposalId": 3,
        "support": 1,
        "voter": accounts[3],
    }
    assert voted["unsigned_stderr"].startswith("typed data to sign written to ")
    [row] = voted["relayed"]
    assert (row["proposal"], row["voter"], row["support"], row["relayer"]) == (3, accounts[3], "for", accounts[7])
    assert voted["relayer_nonce_after"] == voted["relayer_nonce"] + 1  # test7 paid for it
    assert voted["voter_nonce_after"] == voted["voter_nonce"]  # test3 sent nothing


def test_lapsed_member_refused(voted, accounts):
    assert voted["lapsed_error"] == (
        f"{accounts[4]} was behind on dues when #1 was made; paying the arrears that cover that time restores the vote"
    )
    assert voted["lapsed_nonce_moved"] is False


def test_queued_and_executed(executed, accounts):
    assert [q["proposal"] for q in executed["queued"]] == [1, 2, 3]
    for q in executed["queued"]:
        assert q["execution_deadline"] - q["eta"] == 7 * DAY
    assert [d["done"] for d in executed["done"]] == [
        [f"pay 0.2 ETH from the treasury to {accounts[9]}"],
        ["signal only: no action, the decision is the text"],
        [f"admit {accounts[6]} as a member (issue a card)"],
    ]
    assert executed["lawyer_gain"] == 2 * 10**17


def test_status_after_the_story(cli, created, executed, accounts):
    status = cli.json("status")
    assert status["governor"] == created["governor"]
    members = {m["address"]: m for m in status["members"]}
    assert list(members) == [accounts[i] for i in (1, 2, 3, 4, 6)]
    assert {a: members[a]["standing"] for a in accounts[1:5]} == {
        accounts[1]: "paid up",
        accounts[2]: "paid up",
        accounts[3]: "paid up",
        accounts[4]: "lapsed",
    }
    assert members[accounts[6]]["good_standing"] is True
    assert status["balances"] == [
        {
            "asset": ETH,
            "symbol": "ETH",
            "balance": 89 * DUES,
            "balance_text": "0.89 ETH",
            "pool": 18 * 10**15,  # 20 % of the 0.09 ETH of dues
            "pool_text": "0.018 ETH",
            "free": 89 * DUES - 18 * 10**15,
            "free_text": "0.872 ETH",
        }
    ]
    assert status["open_proposals"] == []


def test_proposal_shown_after_execution(cli, executed, created, accounts):
    shown = cli.json("proposals", "show", "1")
    assert (shown["id"], shown["state"], shown["proposer"]) == (1, "Executed", accounts[1])
    assert shown["votes"] == {"for": 1, "against": 0, "abstain": 0}
    assert (shown["members_at_snapshot"], shown["quorum"]) == (4, 1)
    assert shown["description"] == "Pay the lawyer 0.2 ETH for the contract review"
    assert shown["actions"][0]["target"] == created["treasury"]
    assert shown["eta"] == executed["queued"][0]["eta"]


def test_ledger_after_the_story(cli, executed, created, accounts):
    ledger = cli.json("ledger")
    assert (ledger["governor"], ledger["treasury"]) == (created["governor"], created["treasury"])
    assert ledger["closing"] == {"ETH": 89 * DUES}
    rows = ledger["rows"]
    assert [(r["kind"], r["amount"], r["balance"]) for r in rows] == [
        ("DuesPaid", 3 * DUES, 3 * DUES),
        ("DuesPaid", 3 * DUES, 6 * DUES),
        ("DuesPaid", 3 * DUES, 9 * DUES),
        ("DonationReceived", 10**18, 109 * DUES),
        ("Payment", 2 * 10**17, 89 * DUES),
    ]
    payment = rows[-1]
    assert {
        k: payment[k]
        for k in ("direction", "counterparty", "asset", "amount_text", "balance_text", "proposal_id", "what")
    } == {
        "direction": "out",
        "counterparty": accounts[9],
        "asset": ETH,
        "amount_text": "0.2 ETH",
        "balance_text": "0.89 ETH",
        "proposal_id": 1,
        "what": "payment by proposal #1: Pay the lawyer 0.2 ETH for the contract review",
    }
    assert payment["tx"] == executed["done"][0]["tx"]


def test_state_survives_a_restart(cli, node, executed, created):
    assert cli.json("node", "stop") == {"stopped": True}
    assert cli.run("node", "status").returncode == 1
    again = cli.json("node", "start")
    assert again["started"] is True and again["pid"] != node["pid"]
    cli.url = again["url"]
    assert cli.json("collectives") == [
        {"alias": "riders-collective", "governor": created["governor"], "id": 1, "name": "Riders Collective"}
    ]
    listed = cli.json("proposals", "list")
    assert [(p["id"], p["state"]) for p in listed] == [(1, "Executed"), (2, "Executed"), (3, "Executed")]

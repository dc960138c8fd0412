"""`iwo propose ...`, `iwo proposals`, `iwo vote`, `iwo relay`, `iwo queue`, `iwo execute`,
and `iwo cancel`, as one story on the module's node, in stages (module fixtures,
used in file order):

- `funded`: five founders; test1..test4 pay three periods, test8 donates 1 ETH, eight days
  pass and test5 (who never paid) has lapsed;
- `proposed`: #1 pay test9 0.2 ETH (test1), #2 adopt a rate guideline (test2), #3 admit
  test6 (test3), #4 move 0.1 ETH into the mutual-aid pool (test4);
- `voted`: voting opens; #1 passes 2-1, #2 fails 1-2, #3 passes 3-0 (test3's vote signed
  and relayed by test7), #4 passes 2-0-1;
- `queued`: voting closes; #1, #3, #4 are queued;
- `executed`: the timelock passes; they are executed;
- `canceled`: test1 makes #5 and withdraws it.
"""

import hashlib
import json
from datetime import UTC, datetime

import pytest

DAY = 86_400
ETH = "0x" + "0" * 40
GUIDELINE = "Minimum rate: 18 EUR per hour, 0.40 EUR per km, no unpaid waiting time.\n"


def utc(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


@pytest.fixture(scope="module")
def founder_accounts():
    return ["test1", "test2", "test3", "test4", "test5"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return tmp_path_factory.mktemp("proposal-files")


@pytest.fixture(scope="module")
def funded(iwo, collective):
    for i in (1, 2, 3, 4):
        iwo.ok("dues", "pay", "--periods", "3", "--account", f"test{i}")
    iwo.ok("donate", "1", "--memo", "legal fund", "--account", "test8")
    iwo.ok("node", "advance", "8d")
    assert iwo.json("members", "show", "test5")["standing"] == "lapsed"
    return iwo.balance(collective["treasury"])


@pytest.fixture(scope="module")
def proposed(iwo, funded, files):
    guideline = files / "rate-guideline-v1.txt"
    guideline.write_text(GUIDELINE)
    return {
        1: iwo.ok(
            "propose",
            "spend",
            "--to",
            "test9",
            "--amount",
            "0.2",
            "-m",
            "Pay the lawyer 0.2 ETH for the contract review",
            "--account",
            "test1",
        ),
        2: iwo.json(
            "propose",
            "signal",
            "--text-file",
            guideline,
            "-m",
            "Adopt the minimum rate guideline v1",
            "--account",
            "test2",
        ),
        3: iwo.json("propose", "admit", "test6", "-m", "Admit Fatima, courier since 2019", "--account", "test3"),
        4: iwo.json("propose", "pool", "--fund", "0.1", "-m", "Grow the aid pool", "--account", "test4"),
    }


@pytest.fixture(scope="module")
def voted(iwo, proposed, files):
    iwo.ok("node", "advance", "1d1m")
    out = {
        "1a": iwo.ok("vote", "1", "for", "--account", "test1"),
        "1b": iwo.json("vote", "1", "for", "--reason", "fair price for the review", "--account", "test2"),
        "1c": iwo.ok("vote", "1", "against", "--account", "test4"),
    }
    iwo.ok("vote", "2", "for", "--account", "test1")
    iwo.ok("vote", "2", "against", "--account", "test3")
    iwo.ok("vote", "2", "against", "--account", "test4")
    iwo.ok("vote", "3", "for", "--account", "test1")
    iwo.ok("vote", "3", "for", "--account", "test2")
    signed = files / "vote-test3.json"
    out["signed"] = iwo.ok("vote", "3", "for", "--sign-only", "--out", signed, "--account", "test3")
    out["signed_file"] = signed
    out["relayer_nonce"] = iwo.nonce(iwo.addr("test7"))
    out["relayed"] = iwo.ok("relay", signed, "--account", "test7")
    iwo.ok("vote", "4", "for", "--account", "test1")
    iwo.ok("vote", "4", "abstain", "--account", "test2")
    iwo.ok("vote", "4", "for", "--account", "test3")
    return out


@pytest.fixture(scope="module")
def queued(iwo, voted):
    iwo.ok("node", "advance", "3d")
    return {
        1: iwo.ok("queue", "1", "--account", "test7"),
        3: iwo.json("queue", "3", "--account", "test7"),
        4: iwo.json("queue", "4", "--account", "test8"),
    }


@pytest.fixture(scope="module")
def executed(iwo, collective, queued):
    iwo.ok("node", "advance", "1d")
    before = {"test9": iwo.balance(iwo.addr("test9")), "treasury": iwo.balance(collective["treasury"])}
    out = {
        1: iwo.ok("execute", "1", "--account", "test7"),
        3: iwo.json("execute", "3", "--account", "test7"),
        4: iwo.json("execute", "4", "--account", "test7"),
    }
    out["after"] = {"test9": iwo.balance(iwo.addr("test9")), "treasury": iwo.balance(collective["treasury"])}
    out["before"] = before
    return out


@pytest.fixture(scope="module")
def canceled(iwo, executed):
    made = iwo.json("propose", "signal", "-m", "A second thought", "--account", "test1")
    return made, iwo.ok("cancel", str(made["id"]), "--account", "test1")


# ---- proposing ---------------------------------------------------------------------------------
def test_propose_spend(iwo, collective, proposed):
    lines = proposed[1].stdout.splitlines()
    shown = iwo.json("proposals", "show", "1")
    assert lines == [
        f"proposal #1 created (Pending); voting opens {utc(shown['vote_start'])}, ends {utc(shown['vote_end'])}",
        f"  - pay 0.2 ETH from the treasury to {iwo.addr('test9')}",
    ]
    assert shown["state"] == "Pending"
    assert shown["proposer"] == iwo.addr("test1")
    assert shown["description"] == "Pay the lawyer 0.2 ETH for the contract review"
    assert shown["vote_end"] - shown["vote_start"] == 3 * DAY
    assert shown["vote_start"] - shown["snapshot"] in (DAY, DAY + 1)  # snapshot: the second before the block
    assert shown["constitutional"] is False
    assert [a["target"] for a in shown["actions"]] == [collective["treasury"]]
    assert (shown["members_at_snapshot"], shown["quorum"]) == (5, 2)


def test_propose_signal_with_a_document(iwo, proposed):
    data = proposed[2]
    digest = hashlib.sha256(GUIDELINE.encode()).hexdigest()
    assert data["id"] == 2 and data["state"] == "Pending"
    assert data["description"] == (
        f"Adopt the minimum rate guideline v1\n\nDocument: rate-guideline-v1.txt sha256:{digest}"
    )
    assert data["actions"] == []
    assert data["explained"] == ["signal only: no action, the decision is the text"]
    assert data["proposer"] == iwo.addr("test2")


def test_propose_admit_and_pool(iwo, collective, proposed):
    admit, pool = proposed[3], proposed[4]
    assert (admit["id"], pool["id"]) == (3, 4)
    assert admit["explained"] == [f"admit {iwo.addr('test6')} as a member (issue a card)"]
    assert [a["target"] for a in admit["actions"]] == [collective["governor"]]
    assert pool["explained"] == ["move 0.1 ETH of the free balance into the mutual-aid pool"]
    assert [a["target"] for a in pool["actions"]] == [collective["treasury"]]


def test_propose_pool_refusals(iwo, proposed):
    def refused(*args, usage=False):
        return iwo.refused("propose", "pool", *args, "-m", "x", "--account", "test5", sender="test5", usage=usage)

    assert refused("--fund", "1", "--release", "1", usage=True) == "give one of --fund and --release"
    assert refused(usage=True) == "give one of --fund and --release"


def test_proposals_list_in_text_and_json(iwo, proposed):
    rows = iwo.json("proposals", "list")
    assert [(r["id"], r["state"], r["proposer"]) for r in rows] == [
        (i, "Pending", iwo.addr(f"test{i}")) for i in (1, 2, 3, 4)
    ]
    assert iwo.json("proposals", "list", "--open") == rows
    lines = iwo.text("proposals", "list").splitlines()
    assert len(lines) == 4
    for line, r in zip(lines[: len(rows)], rows, strict=True):
        assert line.startswith(
            f"#{r['id']:<3} Pending   for 0 / against 0 / abstain 0 (quorum 2 of 5); "
            f"voting opens {utc(r['vote_start'])}"
        )
        assert line.endswith(r["description"].splitlines()[0][:60])


def test_proposals_show_in_text(iwo, proposed):
    data = iwo.json("proposals", "show", "1")
    lines = iwo.text("proposals", "show", "1").splitlines()
    assert lines[:8] == [
        "proposal #1: Pending",
        f"proposer {iwo.addr('test1')}",
        "",
        "Pay the lawyer 0.2 ETH for the contract review",
        "",
        "what it does:",
        f"  - pay 0.2 ETH from the treasury to {iwo.addr('test9')}",
        "",
    ]
    assert lines[8] == ("votes: for 0, against 0, abstain 0; quorum 2 of 5 members; passes with more For than Against")
    assert lines[10].startswith(f"voting opens {utc(data['vote_start'])} (in ")
    assert lines[12] == f"queue by     {utc(data['execution_deadline'])} (in 11d)"


def test_second_live_proposal_is_refused(iwo, proposed):
    message = iwo.refused("propose", "signal", "-m", "another idea", "--account", "test1", sender="test1")
    assert message == "refused, nothing sent: governor: proposer has a live proposal"


def test_lapsed_member_cannot_propose(iwo, proposed):
    test5 = iwo.addr("test5")
    message = iwo.refused("propose", "signal", "-m", "hello", "--account", "test5", sender="test5")
    assert message == f"{test5} is behind on dues: pay with `iwo dues pay` first"


def test_outsider_cannot_propose(iwo, proposed):
    test9 = iwo.addr("test9")
    message = iwo.refused("propose", "signal", "-m", "hello", "--account", "test9", sender="test9")
    assert message == f"{test9} is not a member of riders-collective"


@pytest.mark.parametrize(
    "args, message",
    [
        (("--to", "test9", "--amount", "5"), "the treasury has only 1.096 ETH available (outside the aid pool)"),
        (("--to", "test9", "--amount", "0"), "--amount must be more than zero (got '0')"),
        (
            ("--to", "test9", "--amount", "0.0000000000000000001"),
            "--amount: '0.0000000000000000001' has more than 18 decimals",
        ),
        (("--to", "0x12", "--amount", "0.1"), "not an address: '0x12' (--to)"),
        (("--to", "{typo}", "--amount", "0.1"), "bad checksum in address '{typo}' (--to); check for a typo"),
        (("--to", "nobody", "--amount", "0.1"), "not an address or known account: 'nobody' (--to)"),
        (
            ("--to", "test9", "--amount", "0.1", "--asset", "{test9}"),
            "{test9} does not look like an ERC-20 token (no symbol/decimals)",
        ),
        (
            ("--to", "test9", "--amount", "0.1", "-c", "nosuch"),
            "unknown collective 'nosuch' (known on chain 31337: riders-collective)",
        ),
    ],
)
def test_propose_spend_refuses(iwo, proposed, args, message):
    names = {"test9": iwo.addr("test9"), "typo": iwo.flip_case(iwo.addr("test9"))}
    args = [a.format(**names) for a in args]
    result = iwo.refused("propose", "spend", *args, "-m", "pay", "--account", "test5", sender="test5")
    assert result == message.format(**names)


def test_propose_refuses_other_bad_input(iwo, proposed):
    def refused(*args, usage=False):
        return iwo.refused("propose", *args, "--account", "test5", sender="test5", usage=usage)

    test2, test9 = iwo.addr("test2"), iwo.addr("test9")
    assert refused("admit", "test2", "-m", "x") == f"{test2} is already a member"
    assert refused("admit", "0xnope", "-m", "x") == "not an address: '0xnope' (member)"
    assert refused("revoke", "test9", "-m", "x") == f"{test9} is not a member"
    assert refused("signal", "-m", " ") == "a proposal needs a description (-m)"
    assert refused("signal", "-m", "x" * 2049) == "description too long: 2049 bytes, at most 2048 bytes of UTF-8"
    assert refused("signal", "-m", "\u00e9" * 1100) == "description too long: 2200 bytes, at most 2048 bytes of UTF-8"
    assert refused("call", test9, "transfer", "-m", "x") == (
        "not a function signature: 'transfer' (e.g. 'transfer(address,uint256)')"
    )
    assert refused("call", test9, "transfer(address,uint256)", "test1", "-m", "x") == (
        "transfer(address,uint256) takes 2 arguments, 1 given"
    )
    assert refused("dues", "--amount", "0", "--period", "30d", "-m", "x") == "--amount must be more than zero (got '0')"
    assert refused("settings", "-m", "x", usage=True) == "give at least one setting to change"
    assert refused("settings", "--quorum", "0%", "-m", "x", usage=True) == (
        "Invalid value for --quorum: must be more than 0% and at most 100%"
    )
    assert refused("dues", "--amount", "1", "--period", "0", "-m", "x", usage=True) == (
        "Invalid value for --period: must be more than zero and at most 5 years"
    )
    # aliases of known accounts are accepted wherever an address is
    assert refused("call", "test9", "transfer(address,uint256)", "nobody", "1", "-m", "x") == (
        "not an address or known account: 'nobody' (argument)"
    )
    # a call that would fail when executed is refused now, with the reason it would fail with
    message = refused("call", "test9", "transfer(address,uint256)", "test1", "1_0", "-m", "x")
    assert message == "bad uint256 argument '1_0': not a uint256 argument: '1_0' (digits 0-9 only)"
    assert refused("signal", usage=True) == "Missing option '--message' / '-m'."


def test_voting_is_not_open_yet(iwo, proposed, files):
    message = iwo.refused("vote", "1", "for", "--account", "test1", sender="test1")
    assert message.startswith("proposal #1 is Pending, not open for voting (voting opens in ")
    assert message.endswith(")")
    out = files / "too-early.json"
    message = iwo.refused("vote", "1", "for", "--sign-only", "--out", out, "--account", "test1", sender="test1")
    assert message.startswith("proposal #1 is Pending, not open for voting")
    assert not out.exists()


def test_only_the_proposer_cancels(iwo, proposed):
    message = iwo.refused("cancel", "1", "--account", "test2", sender="test2")
    assert message == "refused, nothing sent: governor: not the proposer"


# ---- voting ------------------------------------------------------------------------------------
def test_vote_in_text_and_json(iwo, voted):
    assert voted["1a"].stdout == "voted for on #1; now for 1, against 0, abstain 0\n"
    data = voted["1b"]
    assert {k: data[k] for k in ("proposal", "voter", "support", "reason", "votes")} == {
        "proposal": 1,
        "voter": iwo.addr("test2"),
        "support": "for",
        "reason": "fair price for the review",
        "votes": {"for": 2, "against": 0, "abstain": 0},
    }
    assert voted["1c"].stdout == "voted against on #1; now for 2, against 1, abstain 0\n"
    receipt = iwo.rpc("eth_getTransactionReceipt", [data["tx"]])
    assert int(receipt["status"], 16) == 1 and receipt["from"].lower() == iwo.addr("test2").lower()


def test_tallies_while_voting(iwo, voted):
    rows = {r["id"]: r for r in iwo.json("proposals", "list")}
    assert {i: (r["state"], r["votes"]) for i, r in rows.items()} == {
        1: ("Active", {"for": 2, "against": 1, "abstain": 0}),
        2: ("Active", {"for": 1, "against": 2, "abstain": 0}),
        3: ("Active", {"for": 3, "against": 0, "abstain": 0}),
        4: ("Active", {"for": 2, "against": 0, "abstain": 1}),
    }
    status = iwo.text("status").splitlines()
    open_lines = status[status.index("open proposals (4):") + 1 :]
    assert open_lines[0].startswith(
        f"  #1   Active    for 2 / against 1 / abstain 0 (quorum 2 of 5); voting ends {utc(rows[1]['vote_end'])}"
    )


def test_signed_vote_relayed(iwo, collective, voted):
    signed = json.loads(voted["signed_file"].read_text())
    test3 = iwo.addr("test3")
    assert voted["signed"].stdout == ""
    assert voted["signed"].stderr == f"signed vote written to {voted['signed_file']}\n"
    assert {k: signed[k] for k in ("chain_id", "governor", "proposal_id", "support", "voter", "support_name")} == {
        "chain_id": 31337,
        "governor": collective["governor"],
        "proposal_id": 3,
        "support": 1,
        "voter": test3,
        "support_name": "for",
    }
    assert signed["signature"].startswith("0x") and len(signed["signature"]) == 132
    assert voted["relayed"].stdout == f"{voted['signed_file']}: relayed for by {test3} on #3\n"
    assert iwo.nonce(iwo.addr("test7")) == voted["relayer_nonce"] + 1


def test_relay_refuses_a_vote_already_counted(iwo, voted):
    test3 = iwo.addr("test3")
    message = iwo.refused("relay", voted["signed_file"], "--account", "test7", sender="test7")
    assert message == f"{test3} has already voted on #3"


def test_relay_refuses_a_tampered_vote(iwo, voted, files):
    signed = json.loads(voted["signed_file"].read_text())
    signed["support"] = 0  # against, under test3's signature for "for"
    tampered = files / "tampered.json"
    tampered.write_text(json.dumps(signed))
    message = iwo.refused("relay", tampered, "--account", "test7", sender="test7")
    assert message == f"the signature does not match voter {iwo.addr('test3')}"


def test_relay_refuses_files_that_are_no_vote(iwo, voted, files):
    garbage = files / "garbage.json"
    garbage.write_text("hello")
    assert iwo.refused("relay", garbage, "--account", "test7", sender="test7") == (
        f"{garbage}: not JSON (Expecting value)"
    )
    unsigned = files / "unsigned.json"
    unsigned.write_text(
        json.dumps({"chain_id": 31337, "governor": ETH, "proposal_id": 1, "support": 1, "voter": ETH, "expiry": 1})
    )
    assert iwo.refused("relay", unsigned, "--account", "test7", sender="test7") == (
        f"{unsigned}: not a signed ballot: 'signature'"
    )
    message = iwo.refused("relay", files / "missing.json", "--account", "test7", sender="test7", usage=True)
    assert message.startswith("Invalid value for 'FILES...': File ") and "does not exist" in message


def test_unsigned_typed_data_for_a_wallet(iwo, collective, voted, files):
    out = files / "typed-test5.json"  # test5 has lapsed: refused before anything is written
    message = iwo.refused("vote", "4", "for", "--unsigned", "--voter", "test5", "--out", out)
    assert message.startswith(f"{iwo.addr('test5')} was behind on dues when #4 was made")
    assert not out.exists()

    result = iwo.ok("vote", "4", "against", "--unsigned", "--voter", "test4", "--reason", "changed my mind")
    data = json.loads(result.stdout)
    assert data["signature"] is None
    typed = data["typed_data"]
    assert typed["primaryType"] == "Ballot"
    assert typed["domain"] == {
        "name": "iwo",
        "version": "1",
        "chainId": 31337,
        "verifyingContract": collective["governor"],
    }
    message = typed["message"]
    assert {k: message[k] for k in ("proposalId", "support", "voter", "reason")} == {
        "proposalId": 4,
        "support": 0,
        "voter": iwo.addr("test4"),
        "reason": "changed my mind",
    }
    assert 6 * DAY <= message["expiry"] - iwo.block_time() <= 7 * DAY


def test_vote_refuses_bad_flag_combinations(iwo, voted):
    assert iwo.refused("vote", "4", "for", "--voter", "test4", usage=True) == "--voter only goes with --unsigned"
    assert iwo.refused("vote", "4", "for", "--sign-only", "--unsigned", usage=True) == (
        "choose one of --sign-only and --unsigned"
    )


def test_already_voted(iwo, voted):
    test1 = iwo.addr("test1")
    assert iwo.refused("vote", "1", "against", "--account", "test1", sender="test1") == (
        f"{test1} has already voted on #1"
    )


@pytest.mark.parametrize("word", ["yes", "maybe", "1", "fo"])
def test_wrong_support_word(iwo, voted, word):
    message = iwo.refused("vote", "1", word, "--account", "test3", sender="test3", usage=True)
    assert message == (
        f"Invalid value for '{{for|against|abstain}}': '{word}' is not one of 'for', 'against', 'abstain'."
    )


@pytest.mark.parametrize(
    "args",
    [
        ("vote", "99", "for"),
        ("proposals", "show", "99"),
        ("proposals", "votes", "99"),
        ("queue", "99"),
        ("execute", "99"),
        ("cancel", "99"),
        ("vote", "99", "for", "--unsigned"),
    ],
)
def test_unknown_proposal_id(iwo, voted, args):
    pid = next(a for a in args if a.isdigit())
    options = ("--account", "test3") if args[0] != "proposals" else ()
    assert iwo.refused(*args, *options, sender="test3") == f"no proposal #{pid} in riders-collective (ids run 1 to 4)"


@pytest.mark.parametrize(
    "args",
    [
        ("vote", "1", "for"),
        ("proposals", "list"),
        ("proposals", "show", "1"),
        ("queue", "1"),
        ("execute", "1"),
        ("cancel", "1"),
    ],
)
def test_unknown_collective(iwo, voted, args):
    options = ("--account", "test3") if args[0] != "proposals" else ()
    assert iwo.refused(*args, "-c", "nosuch", *options, sender="test3") == (
        "unknown collective 'nosuch' (known on chain 31337: riders-collective)"
    )


def test_proposal_id_must_be_a_number(iwo, voted):
    message = iwo.refused("proposals", "show", "one", usage=True)
    assert message == "Invalid value for 'PROPOSAL_ID': not a number: 'one' (digits 0-9 only)"
    message = iwo.refused("vote", "0", "for", usage=True)
    assert message == "Invalid value for 'PROPOSAL_ID': ids start at 1"


def test_who_voted_and_why(iwo, voted):
    rows = iwo.json("proposals", "votes", "1")
    assert [(r["voter"], r["support"], r["reason"]) for r in rows] == [
        (iwo.addr("test1"), "for", ""),
        (iwo.addr("test2"), "for", "fair price for the review"),
        (iwo.addr("test4"), "against", ""),
    ]
    assert all(r["time"] and r["tx"].startswith("0x") for r in rows)
    lines = iwo.text("proposals", "votes", "1").splitlines()
    assert lines[1] == f'  {iwo.addr("test2")}  for     {utc(rows[1]["time"])} — "fair price for the review"'
    shown = iwo.text("proposals", "show", "1").splitlines()
    assert shown[shown.index("who voted:") + 2] == lines[1]
    assert iwo.json("proposals", "show", "1")["voters"] == rows


def test_lapsed_member_cannot_vote(iwo, voted):
    test5 = iwo.addr("test5")
    assert iwo.refused("vote", "1", "for", "--account", "test5", sender="test5") == (
        f"{test5} was behind on dues when #1 was made; paying the arrears that cover that time restores the vote"
    )


def test_non_member_cannot_vote(iwo, voted):
    test6 = iwo.addr("test6")
    assert iwo.refused("vote", "1", "for", "--account", "test6", sender="test6") == (
        f"{test6} was not a member when #1 was made, so cannot vote on it"
    )


def test_nothing_to_queue_or_cancel_while_voting(iwo, voted):
    assert iwo.refused("queue", "1", "--account", "test7", sender="test7") == (
        "proposal #1 is Active; only a Succeeded proposal can be queued"
    )
    assert iwo.refused("cancel", "1", "--account", "test1", sender="test1") == (
        "proposal #1 is Active; only a Pending proposal can be canceled"
    )
    assert iwo.refused("execute", "1", "--account", "test7", sender="test7") == (
        "proposal #1 is Active; only a Queued proposal can be executed"
    )


# ---- queue and execute ---------------------------------------------------------------------------
def test_queue(iwo, queued):
    shown = iwo.json("proposals", "show", "1")
    assert shown["state"] == "Queued"
    assert queued[1].stdout == (
        f"#1 queued; executable from {utc(shown['eta'])} until {utc(shown['execution_deadline'])}\n"
    )
    assert shown["execution_deadline"] - shown["eta"] == 7 * DAY
    data = queued[3]
    assert data["proposal"] == 3
    assert data["eta"] == iwo.json("proposals", "show", "3")["eta"]
    assert iwo.json("proposals", "show", "2")["state"] == "Defeated"


def test_defeated_proposal_cannot_be_queued(iwo, queued):
    assert iwo.refused("queue", "2", "--account", "test7", sender="test7") == (
        "proposal #2 is Defeated; only a Succeeded proposal can be queued"
    )


def test_voting_closed(iwo, queued):
    assert iwo.refused("vote", "4", "against", "--account", "test5", sender="test5") == (
        "proposal #4 is Queued, not open for voting"
    )


def test_execute_waits_for_the_timelock(iwo, queued):
    message = iwo.refused("execute", "1", "--account", "test7", sender="test7")
    assert message.startswith("proposal #1 is in its timelock for ") and message.endswith(" more")


def test_execute(iwo, collective, executed):
    assert executed[1].stdout == f"#1 executed:\n  - pay 0.2 ETH from the treasury to {iwo.addr('test9')}\n"
    assert executed["after"]["test9"] - executed["before"]["test9"] == 2 * 10**17
    assert executed["before"]["treasury"] - executed["after"]["treasury"] == 2 * 10**17
    assert executed[3]["done"] == [f"admit {iwo.addr('test6')} as a member (issue a card)"]
    assert executed[4]["proposal"] == 4
    assert [iwo.json("proposals", "show", str(i))["state"] for i in (1, 2, 3, 4)] == [
        "Executed",
        "Defeated",
        "Executed",
        "Executed",
    ]
    assert iwo.json("proposals", "list", "--open") == []
    assert iwo.text("proposals", "list", "--open") == "no proposals\n"


def test_admitted_member_is_on_the_roll(iwo, executed):
    rows = iwo.json("members", "list")
    assert [r["address"] for r in rows] == [iwo.addr(f"test{i}") for i in (1, 2, 3, 4, 5, 6)]
    test6 = iwo.json("members", "show", "test6")
    assert (test6["member"], test6["index"], test6["good_standing"]) == (True, 5, True)


def test_pool_funded_by_vote(iwo, collective, executed):
    (eth,) = iwo.json("status")["balances"]
    # 20 % of the dues (4 x 0.03 ETH) went to the pool by themselves, then 0.1 ETH by vote
    assert (eth["pool"], eth["free"]) == (24 * 10**15 + 10**17, eth["balance"] - 24 * 10**15 - 10**17)
    message = iwo.refused("propose", "pool", "--release", "5", "-m", "x", "--account", "test1", sender="test1")
    assert message == "the pool holds only 0.124 ETH"


def test_executed_proposal_is_not_executed_twice(iwo, executed):
    assert iwo.refused("execute", "1", "--account", "test7", sender="test7") == (
        "proposal #1 is Executed; only a Queued proposal can be executed"
    )


def test_ledger_after_execution(iwo, collective, executed):
    data = iwo.json("ledger")
    rows = data["rows"]
    outs = [
        (r["kind"], r["direction"], r["counterparty"], r["amount"], r["proposal_id"])
        for r in rows
        if r["direction"] != "in"
    ]
    test9 = iwo.addr("test9")
    assert outs == [
        ("Payment", "out", test9, 2 * 10**17, 1),
        ("PoolFunded", "reserve", "pool", 10**17, 4),
    ]
    payment = next(r for r in rows if r["kind"] == "Payment")
    assert payment["what"] == "payment by proposal #1: Pay the lawyer 0.2 ETH for the contract review"
    moved = next(r for r in rows if r["kind"] == "PoolFunded")
    assert moved["what"] == "moved into the mutual-aid pool by proposal #4 (pool now 0.124 ETH)"
    dues = next(r for r in rows if r["kind"] == "DuesPaid")
    assert dues["what"] == f"dues, 3 period(s) for {iwo.addr('test1')} (0.006 ETH to the aid pool)"
    # four members paid three periods of 0.01, test8 gave 1; 0.2 paid (the pool stays in the treasury)
    assert data["closing"] == {"ETH": 12 * 10**16 + 10**18 - 2 * 10**17}
    assert rows[-1]["balance"] == data["closing"]["ETH"] == iwo.balance(collective["treasury"])
    lines = iwo.text("ledger").splitlines()
    assert lines[-1] == "closing: 0.92 ETH"
    assert any(f"- {'0.2 ETH':>16}  payment by proposal #1: Pay the lawyer" in line for line in lines)


def test_status_after_execution(iwo, collective, executed):
    data = iwo.json("status")
    assert len(data["members"]) == 6
    assert data["balances"] == [
        {
            "asset": ETH,
            "symbol": "ETH",
            "balance": 92 * 10**16,
            "balance_text": "0.92 ETH",
            "pool": 124 * 10**15,
            "pool_text": "0.124 ETH",
            "free": 796 * 10**15,
            "free_text": "0.796 ETH",
        }
    ]
    assert data["open_proposals"] == []
    lines = iwo.text("status").splitlines()
    assert "members (6):" in lines
    assert lines[lines.index("treasury:") + 1] == "  0.92 ETH (0.124 ETH of it in the mutual-aid pool)"


def test_cancel(iwo, canceled):
    made, result = canceled
    assert made["id"] == 5 and made["state"] == "Pending"
    assert result.stdout == "#5 canceled\n"
    assert iwo.json("proposals", "show", "5")["state"] == "Canceled"
    assert iwo.refused("cancel", "5", "--account", "test1", sender="test1") == (
        "proposal #5 is Canceled; only a Pending proposal can be canceled"
    )


def test_actions_are_checked_as_the_governor_would_run_them(iwo, collective, executed):
    """Checked by an eth_call of each action from the governor's address: a treasury payment
    the treasury would refuse never reaches a vote."""

    def refused(*args, usage=False):
        return iwo.refused("propose", *args, "--account", "test1", sender="test1", usage=usage)

    message = refused("call", collective["card"], "set_base_uri(string)", "x" * 600, "-m", "too long a URI")
    assert message == "action 1 has 676 bytes of calldata, at most 512"
    message = refused("call", collective["treasury"], "pay(address,address,uint256)", ETH, "test9", "0", "-m", "zero")
    assert message == "refused, nothing sent: its action would fail when executed: treasury: zero amount"

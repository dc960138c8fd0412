"""`iwo members`, `iwo dues`, `iwo donate`, `iwo ledger`, `iwo resign`.

The module tells one story on its own node, in stages (module fixtures, in
file order): four founders; test1 pays three periods, test8 pays one for
test2, test8 and test9 donate (`paid`); eight days pass, so test3 and test4,
who never paid, lapse (`lapsed`); test3 catches up (`caught_up`) and test4
resigns (`resigned`).
"""

from datetime import UTC, datetime

import pytest

DAY = 86_400
PERIOD = 30 * DAY
DUES = 10**16
ETH = "0x" + "0" * 40


def utc(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


@pytest.fixture(scope="module")
def founder_accounts():
    return ["test1", "test2", "test3", "test4"]


@pytest.fixture(scope="module")
def joined(iwo, collective):
    """paid_through of each founder right after creation (their admission time)."""
    return {m["address"]: m["paid_through"] for m in iwo.json("members", "list")}


@pytest.fixture(scope="module")
def paid(iwo, collective, joined):
    """Dues and donations; the CliRunner results and balances around them."""
    treasury = collective["treasury"]
    out = {"treasury_before": iwo.balance(treasury), "nonce_test1": iwo.nonce(iwo.addr("test1"))}
    out["own"] = iwo.ok("dues", "pay", "--periods", "3", "--account", "test1")
    out["for_other"] = iwo.json("dues", "pay", "--for", "test2", "--account", "test8")
    out["donation"] = iwo.ok("donate", "1", "--memo", "solidarity fund", "--account", "test8")
    out["donation_json"] = iwo.json("donate", "0.5", "--account", "test9")
    out["treasury_after"] = iwo.balance(treasury)
    return out


@pytest.fixture(scope="module")
def lapsed(iwo, paid):
    """Eight days later: the grace (7d) of test3 and test4 has run out."""
    iwo.ok("node", "advance", "8d")
    return iwo.block_time()


@pytest.fixture(scope="module")
def caught_up(iwo, lapsed):
    """test3 pays one period after lapsing."""
    return iwo.json("dues", "pay", "--account", "test3")


@pytest.fixture(scope="module")
def resigned(iwo, caught_up):
    """test4 resigns."""
    return iwo.ok("resign", "--account", "test4")


# ---- members --------------------------------------------------------------------------------------
def test_members_list(iwo, collective, joined):
    rows = iwo.json("members", "list")
    assert [r["address"] for r in rows] == collective["founders"]
    assert [r["index"] for r in rows] == [0, 1, 2, 3]
    now = iwo.block_time()
    for r in rows:
        assert r["member"] is True and r["left"] is None and r["good_standing"] is True
        assert r["joined"] == r["paid_through"] <= now
        assert r["owes_periods"] == 0
    lines = iwo.text("members", "list").splitlines()
    assert len(lines) == 4
    for line, r in zip(lines[: len(rows)], rows, strict=True):
        assert line == (
            f"{r['address']}  {r['standing']:<13} joined {utc(r['joined'])}  paid through {utc(r['paid_through'])}"
        )


def test_members_show(iwo, collective, joined):
    address = iwo.addr("test2")
    row = iwo.json("members", "show", address)
    assert row["address"] == address and row["member"] is True and row["index"] == 1
    assert row["paid_through"] == joined[address]
    lines = iwo.text("members", "show", "test2").splitlines()  # test names work on the local node
    assert lines == [
        address,
        f"  standing      {row['standing']}",
        "  member now    yes",
        "  roll index    1",
        f"  joined        {utc(row['joined'])}",
        f"  paid through  {utc(row['paid_through'])}",
    ]
    assert "True" not in "\n".join(lines) and "None" not in "\n".join(lines)


def test_members_show_refuses_bad_addresses(iwo, collective):
    assert iwo.refused("members", "show", "0xabc") == "not an address: '0xabc' (member)"
    typo = iwo.flip_case(iwo.addr("test2"))
    assert iwo.refused("members", "show", typo) == f"bad checksum in address '{typo}' (member); check for a typo"
    outsider = iwo.addr("test9")
    assert iwo.refused("members", "show", outsider) == f"{outsider} has never been a member of riders-collective"
    assert iwo.refused("members", "show", "test2", "-c", "nosuch") == (
        "unknown collective 'nosuch' (known on chain 31337: riders-collective)"
    )
    assert iwo.refused("members", "show", usage=True) == "Missing argument 'ADDRESS'."


# ---- dues --------------------------------------------------------------------------------------
def test_dues_status_before_anyone_paid(iwo, collective, joined):
    data = iwo.json("dues", "status")
    assert data["terms"] == {
        "asset": ETH,
        "amount": DUES,
        "amount_text": "0.01 ETH",
        "period": PERIOD,
        "period_text": "30d",
        "grace": 7 * DAY,
        "grace_text": "7d",
    }
    assert [m["address"] for m in data["members"]] == collective["founders"]
    lines = iwo.text("dues", "status").splitlines()
    assert lines[0] == "dues 0.01 ETH per 30d, grace 7d"
    assert len(lines) == 5 and "owes" not in "".join(lines)
    for line, m in zip(lines[1:], data["members"], strict=True):
        assert line == f"  {m['address']}  {m['standing']:<13} paid through {utc(m['paid_through'])}"


def test_dues_pay_for_yourself(iwo, collective, joined, paid):
    test1 = iwo.addr("test1")
    expected = joined[test1] + 3 * PERIOD
    assert paid["own"].stdout == f"paid 0.03 ETH (3 periods) for {test1}; paid through {utc(expected)}\n"
    assert iwo.json("members", "show", "test1")["paid_through"] == expected
    assert iwo.nonce(test1) == paid["nonce_test1"] + 1


def test_dues_pay_for_someone_else(iwo, collective, joined, paid):
    test2 = iwo.addr("test2")
    data = paid["for_other"]
    assert {k: data[k] for k in ("member", "payer", "periods", "amount", "amount_text", "paid_through")} == {
        "member": test2,
        "payer": iwo.addr("test8"),
        "periods": 1,
        "amount": DUES,
        "amount_text": "0.01 ETH",
        "paid_through": joined[test2] + PERIOD,
    }
    receipt = iwo.rpc("eth_getTransactionReceipt", [data["tx"]])
    assert int(receipt["status"], 16) == 1 and receipt["to"].lower() == collective["treasury"].lower()


@pytest.mark.parametrize(
    "args, message",
    [
        (("--periods", "0"), "--periods must be 1 to 1200"),
        (("--periods", "1201"), "--periods must be 1 to 1200"),
        (("--for", "test9"), "{test9} is not a member of riders-collective"),
        (("--for", "0x12"), "not an address: '0x12' (member)"),
        (("--for", "{typo}"), "bad checksum in address '{typo}' (member); check for a typo"),
        (("-c", "nosuch"), "unknown collective 'nosuch' (known on chain 31337: riders-collective)"),
        (
            ("--network", "nosuchnet:foo:bar"),
            "unknown network 'nosuchnet:foo:bar': No ecosystem named 'nosuchnet' (see `ape networks list`)",
        ),
    ],
)
def test_dues_pay_refuses(iwo, collective, paid, args, message):
    names = {"test9": iwo.addr("test9"), "typo": iwo.flip_case(iwo.addr("test2"))}
    args = [a.format(**names) for a in args]
    assert iwo.refused("dues", "pay", *args, "--account", "test8", sender="test8") == message.format(**names)


def test_dues_pay_by_an_outsider_for_themselves(iwo, collective):
    test9 = iwo.addr("test9")
    assert iwo.refused("dues", "pay", "--account", "test9", sender="test9") == (
        f"{test9} is not a member of riders-collective"
    )


def test_dues_pay_refuses_a_non_number_of_periods(iwo, collective):
    message = iwo.refused("dues", "pay", "--periods", "three", "--account", "test1", sender="test1", usage=True)
    assert message == "Invalid value for '--periods': not a whole number: 'three' (digits 0-9 only)"


# ---- donations -----------------------------------------------------------------------------------
def test_donate(iwo, collective, paid):
    assert paid["donation"].stdout == "donated 1 ETH; the treasury holds 1.04 ETH (0.008 ETH in the mutual-aid pool)\n"
    data = paid["donation_json"]
    assert {k: data[k] for k in ("donor", "asset", "amount", "amount_text", "balance_text")} == {
        "donor": iwo.addr("test9"),
        "asset": ETH,
        "amount": 5 * 10**17,
        "amount_text": "0.5 ETH",
        "balance_text": "1.54 ETH",
    }
    assert paid["treasury_after"] - paid["treasury_before"] == 154 * 10**16


@pytest.mark.parametrize(
    "args, message",
    [
        (("0",), "amount must be more than zero (got '0')"),
        (("0.000",), "amount must be more than zero (got '0.000')"),
        (
            ("115792089237316195423570985008687907853269984665640564039457.584007913129639936",),
            "amount '115792089237316195423570985008687907853269984665640564039457.584007913129639936' is absurdly large",
        ),
        (("0.0000000000000000001",), "amount: '0.0000000000000000001' has more than 18 decimals"),
        (("1", "--asset", "0x12"), "not an address: '0x12' (token)"),
        (("1", "--asset", "{typo}"), "bad checksum in address '{typo}' (token); check for a typo"),
        (("1", "--asset", "{test9}"), "{test9} does not look like an ERC-20 token (no symbol/decimals)"),
        (("1", "--memo", "x" * 257), "--memo too long: 257 bytes, at most 256 bytes of UTF-8"),
        (("1", "--memo", "\u00e9" * 129), "--memo too long: 258 bytes, at most 256 bytes of UTF-8"),
        (("1", "-c", "nosuch"), "unknown collective 'nosuch' (known on chain 31337: riders-collective)"),
    ],
)
def test_donate_refuses(iwo, collective, paid, args, message):
    names = {"test9": iwo.addr("test9"), "typo": iwo.flip_case(collective["card"])}
    args = [a.format(**names) for a in args]
    assert iwo.refused("donate", "--account", "test8", *args, sender="test8") == message.format(**names)


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-1", "amount must be a non-negative number: '-1'"),
        ("1e80", "not an amount: '1e80' (digits 0-9 and one '.', e.g. 0.5)"),
        ("1.5.2", "not an amount: '1.5.2' (digits 0-9 and one '.', e.g. 0.5)"),
        ("one", "not an amount: 'one' (digits 0-9 and one '.', e.g. 0.5)"),
    ],
)
def test_donate_refuses_what_is_no_amount_before_connecting(iwo, collective, amount, message):
    result = iwo.refused("donate", "--account", "test8", "--", amount, sender="test8", usage=True)
    assert result == f"Invalid value for 'AMOUNT': {message}"


def test_donate_more_than_the_account_holds(iwo, collective, paid):
    message = iwo.refused("donate", "1000000", "--account", "test8", sender="test8")
    assert message.startswith("refused, nothing sent: ") and "nsufficient funds" in message


# ---- ledger --------------------------------------------------------------------------
def test_ledger_lists_dues_and_donations(iwo, collective, paid):
    data = iwo.json("ledger")
    assert (data["governor"], data["treasury"], data["chain_id"]) == (
        collective["governor"],
        collective["treasury"],
        31337,
    )
    assert data["closing"] == {"ETH": 154 * DUES}
    rows = data["rows"]
    test1, test2, test8, test9 = (iwo.addr(f"test{i}") for i in (1, 2, 8, 9))
    assert [(r["kind"], r["direction"], r["counterparty"], r["amount"], r["balance"], r["what"]) for r in rows] == [
        ("DuesPaid", "in", test1, 3 * DUES, 3 * DUES, f"dues, 3 period(s) for {test1} (0.006 ETH to the aid pool)"),
        ("DuesPaid", "in", test8, DUES, 4 * DUES, f"dues, 1 period(s) for {test2} (0.002 ETH to the aid pool)"),
        ("DonationReceived", "in", test8, 10**18, 104 * DUES, "donation: solidarity fund"),
        ("DonationReceived", "in", test9, 5 * 10**17, 154 * DUES, "donation"),
    ]
    assert [(r["member"], r["periods"]) for r in rows[:2]] == [(test1, 3), (test2, 1)]
    assert all(r["asset"] == ETH and r["symbol"] == "ETH" and not r["flagged"] for r in rows)
    assert rows[-1]["tx"] == paid["donation_json"]["tx"]
    assert rows[0]["tx"] == paid["for_other"]["tx"] or rows[1]["tx"] == paid["for_other"]["tx"]
    lines = iwo.text("ledger").splitlines()
    assert len(lines) == 5
    for line, r in zip(lines[: len(rows)], rows, strict=True):
        assert line.startswith(utc(r["time"]))
        words = line[len(utc(r["time"])) :].split()
        assert words == (
            ["block", str(r["block"]), "+", *r["amount_text"].split()]
            + r["what"].split()
            + ["balance", *r["balance_text"].split()]
        )
    assert lines[-1] == "closing: 1.54 ETH"


def test_ledger_by_name_and_address(iwo, collective, paid):
    by_alias = iwo.json("ledger", "-c", "riders-collective")
    assert iwo.json("ledger", "-c", collective["governor"]) == by_alias
    assert iwo.json("ledger", "-c", collective["governor"].lower()) == by_alias
    assert len(by_alias["rows"]) == 4


def test_ledger_refuses_what_is_not_a_collective(iwo, collective, paid):
    assert iwo.refused("ledger", "-c", "nosuch") == (
        "unknown collective 'nosuch' (known on chain 31337: riders-collective)"
    )
    typo = iwo.flip_case(collective["governor"])
    assert iwo.refused("ledger", "-c", typo) == f"bad checksum in address '{typo}' (collective); check for a typo"
    assert iwo.refused("ledger", "-c", "0x1234") == "not an address: '0x1234' (collective)"
    eoa = iwo.addr("test9")
    assert iwo.refused("ledger", "-c", eoa) == f"no contract at {eoa} on chain 31337 (was the chain reset?)"


def test_ledger_files_in_a_missing_folder_are_refused_before_anything(iwo, collective, paid):
    for option in ("--csv", "--plot"):
        message = iwo.refused("ledger", option, "/nonexistent/dir/out.file", usage=True)
        assert message == f"Invalid value for '{option}': folder /nonexistent/dir does not exist"


def test_donation_to_the_aid_pool(iwo, collective, paid):
    before = iwo.json("status")["balances"][0]
    data = iwo.json("donate", "0.05", "--to-pool", "--memo", "for the sick fund", "--account", "test8")
    assert (data["to_pool"], data["pool"]) == (5 * 10**16, before["pool"] + 5 * 10**16)
    row = iwo.json("ledger")["rows"][-1]
    assert row["what"] == "donation to the mutual-aid pool: for the sick fund"


# ---- lapse, catching up, resigning -------------------------------------------------------------
def test_unpaid_members_lapse_after_the_grace(iwo, collective, joined, lapsed):
    data = iwo.json("dues", "status")
    standing = {m["address"]: (m["standing"], m["owes_periods"]) for m in data["members"]}
    test1, test2, test3, test4 = (iwo.addr(f"test{i}") for i in (1, 2, 3, 4))
    assert standing == {test1: ("paid up", 0), test2: ("paid up", 0), test3: ("lapsed", 1), test4: ("lapsed", 1)}
    lines = iwo.text("dues", "status").splitlines()
    assert lines[3] == f"  {test3}  lapsed        paid through {utc(joined[test3])}  owes 1 period"
    assert lines[1].startswith(f"  {test1}  paid up ") and "owes" not in lines[1]
    one = iwo.json("dues", "status", "test3")
    assert [m["address"] for m in one["members"]] == [test3]
    assert iwo.json("members", "show", "test3")["good_standing"] is False


def test_a_lapsed_member_catches_up(iwo, collective, joined, caught_up):
    test3 = iwo.addr("test3")
    data = caught_up
    assert data["paid_through"] == joined[test3] + PERIOD
    row = iwo.json("members", "show", test3)
    assert (row["standing"], row["good_standing"], row["owes_periods"]) == ("paid up", True, 0)


def test_resign(iwo, collective, resigned):
    test4 = iwo.addr("test4")
    assert resigned.stdout == f"{test4} resigned; 3 members remain\n"
    assert [r["address"] for r in iwo.json("members", "list")] == [iwo.addr(f"test{i}") for i in (1, 2, 3)]
    former = iwo.json("members", "list", "--all")
    assert [r["address"] for r in former] == collective["founders"]
    assert (former[3]["member"], former[3]["standing"]) == (False, "former member")
    assert former[3]["left"] is not None
    assert iwo.json("members", "show", "test4")["standing"] == "former member"


def test_resign_refuses_a_non_member(iwo, collective, resigned):
    test4, test9 = iwo.addr("test4"), iwo.addr("test9")
    assert iwo.refused("resign", "--account", "test4", sender="test4") == (
        f"{test4} is not a member of riders-collective"
    )
    assert iwo.refused("resign", "--account", "test9", sender="test9") == (
        f"{test9} is not a member of riders-collective"
    )
    assert iwo.refused("dues", "pay", "--for", test4, "--account", "test1", sender="test1") == (
        f"{test4} is not a member of riders-collective"
    )

"""`iwo create`, `iwo collectives` and `iwo status`: making collectives and finding them again.

Once the `second` collective exists, commands in this module name their collective.
"""

import json

import pytest

ETH = "0x" + "0" * 40
CREATE = ("create", "Bike Couriers", "--founder", "test1", "--dues", "0.01")


def has_code(iwo, address) -> bool:
    return iwo.rpc("eth_getCode", [address, "latest"]) not in ("0x", "0x0")


@pytest.fixture(scope="module")
def second(iwo, collective):
    """A second collective, created with text output: 'Night Shift' as `night`, weekly dues of 0.5 ETH."""
    test5_lower = iwo.addr("test5").lower()  # all-lower-case hex has no checksum to check
    result = iwo.ok(
        "create",
        "Night Shift",
        "--alias",
        "night",
        "--founder",
        "test4",
        "--founder",
        test5_lower,
        "--dues",
        "0.5",
        "--period",
        "7d",
        "--quorum",
        "50%",
        "--threshold",
        "75%",
        "--voting-delay",
        "1s",
        "--account",
        "test6",
    )
    return result


# ---- create ------------------------------------------------------------------------------------
def test_create_makes_the_three_contracts(iwo, collective, iwo_home):
    assert collective["name"] == "Riders Collective"
    assert collective["collective_id"] == 1
    assert collective["founders"] == [iwo.addr(f"test{i}") for i in (1, 2, 3)]
    addresses = {collective[k] for k in ("governor", "treasury", "card")}
    assert len(addresses) == 3
    assert all(has_code(iwo, a) for a in addresses)
    receipt = iwo.rpc("eth_getTransactionReceipt", [collective["tx"]])
    assert int(receipt["status"], 16) == 1
    assert int(receipt["gasUsed"], 16) == collective["gas_used"]
    assert receipt["from"].lower() == iwo.addr("test0").lower()
    saved = json.loads((iwo_home / "collectives.json").read_text())["31337"]["riders-collective"]
    assert saved["governor"] == collective["governor"]


def test_create_with_settings_in_text(iwo, second):
    lines = second.stdout.splitlines()
    assert lines[0] == "created 'Night Shift' as night (collective #2, chain 31337)"
    governor = lines[1].split()[-1]
    assert lines[1] == f"  governor {governor}"
    assert lines[4] == f"  founders {iwo.addr('test4')}, {iwo.addr('test5')}"
    assert lines[5].startswith("  gas used ")
    assert len(lines) == 6
    # the factory was already there: nothing deployed this time
    assert "deployed" not in second.stderr
    status = iwo.json("status", "-c", "night")
    assert status["governor"] == governor
    assert status["name"] == "Night Shift"
    assert status["dues"] == {
        "asset": ETH,
        "amount": 5 * 10**17,
        "amount_text": "0.5 ETH",
        "period": 7 * 86400,
        "period_text": "7d",
        "grace": 7 * 86400,
        "grace_text": "7d",
    }
    assert status["settings"] == {
        "voting_delay": 1,
        "voting_period": 3 * 86400,
        "timelock_delay": 86400,
        "execution_window": 7 * 86400,
        "quorum_bps": 5000,
        "constitutional_bps": 7500,
        "dues_grace": 7 * 86400,
    }
    assert [m["address"] for m in status["members"]] == [iwo.addr("test4"), iwo.addr("test5")]


@pytest.mark.parametrize(
    "change, message",
    [
        (("--founder", "0x1234"), "not an address: '0x1234' (--founder)"),
        (("--founder", "test12"), "no test account test12 (test0 to test9)"),
        (("--founder", "alice"), "not an address or known account: 'alice' (--founder)"),
        (("--founder", "test1"), "founder listed twice: 0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
        (("--founder", "0x" + "0" * 40), "the zero address cannot be a founder"),
        (("--dues", "0"), "--dues must be more than zero (got '0')"),
        (("--dues", "0.0000000000000000001"), "--dues: '0.0000000000000000001' has more than 18 decimals"),
        (("--dues", "9" * 80), f"--dues '{'9' * 80}' is absurdly large"),
        (("--dues-asset", "0xnothex"), "not an address: '0xnothex' (token)"),
        (("--alias", "Bad Alias!"), "alias 'Bad Alias!' must be 1-40 of a-z, 0-9, '-' and '_'"),
        (("--account", "test10"), "no test account test10 (test0 to test9)"),
        (
            ("--account", "nosuch"),
            "no account named 'nosuch' (test0..test9 on the local node, an Ape alias from `ape accounts list`, "
            "or --keyfile PATH)",
        ),
        (("--symbol", "S" * 17), "--symbol too long: 17 bytes, at most 16 bytes of UTF-8"),
    ],
)
def test_create_refuses_bad_input(iwo, collective, change, message):
    assert iwo.refused(*CREATE, *change) == message


@pytest.mark.parametrize(
    "change, message",
    [
        (("--dues=-1",), "Invalid value for '--dues': amount must be a non-negative number: '-1'"),
        (("--dues", "-0.5"), "Invalid value for '--dues': amount must be a non-negative number: '-0.5'"),
        (("--dues", "1e80"), "Invalid value for '--dues': not an amount: '1e80' (digits 0-9 and one '.', e.g. 0.5)"),
        (("--dues", "ten"), "Invalid value for '--dues': not an amount: 'ten' (digits 0-9 and one '.', e.g. 0.5)"),
        (("--dues", "NaN"), "Invalid value for '--dues': not an amount: 'NaN' (digits 0-9 and one '.', e.g. 0.5)"),
        (("--dues", "1_0"), "Invalid value for '--dues': not an amount: '1_0' (digits 0-9 and one '.', e.g. 0.5)"),
        (
            ("--dues", "\u0663"),
            "Invalid value for '--dues': not an amount: '\u0663' (digits 0-9 and one '.', e.g. 0.5)",
        ),
        (("--rpc", "http://x", "--network", "a:b:c"), "choose one of --rpc and --network"),
        (("--account", "test1", "--keyfile", "k.json"), "choose one of --account and --keyfile"),
    ],
)
def test_create_refuses_malformed_input_before_connecting(iwo, collective, change, message):
    assert iwo.refused(*CREATE, *change, usage=True) == message


def test_create_refuses_65_founders(iwo, collective):
    many = [arg for i in range(65) for arg in ("--founder", "0x" + f"{i + 1:040x}")]
    assert iwo.refused("create", "Big", "--dues", "0.01", *many) == "at most 64 founders (65 given)"


def test_create_refuses_a_mis_checksummed_founder(iwo, collective):
    typo = iwo.flip_case(iwo.addr("test4"))
    assert typo != iwo.addr("test4") and typo.lower() == iwo.addr("test4").lower()
    assert iwo.refused(*CREATE, "--founder", typo) == f"bad checksum in address '{typo}' (--founder); check for a typo"


def test_create_refuses_a_dues_asset_that_is_no_token(iwo, collective):
    eoa = iwo.addr("test9")
    assert iwo.refused(*CREATE, "--dues-asset", eoa) == f"{eoa} does not look like an ERC-20 token (no symbol/decimals)"
    typo = iwo.flip_case(collective["card"])
    assert iwo.refused(*CREATE, "--dues-asset", typo) == f"bad checksum in address '{typo}' (token); check for a typo"


def test_create_refuses_an_alias_in_use(iwo, collective):
    message = iwo.refused("create", "Riders Collective", "--founder", "test4", "--dues", "0.01")
    assert message == "alias 'riders-collective' is already used on chain 31337; pick another with --alias"


def test_create_refuses_an_unknown_option(iwo, collective):
    assert iwo.refused(*CREATE, "--name-is", "x", usage=True).startswith("No such option: --name-is")


def test_create_refuses_a_long_name(iwo, collective):
    assert (
        iwo.refused("create", "x" * 65, "--alias", "long", "--founder", "test1", "--dues", "0.01")
        == "name too long: 65 bytes, at most 64 bytes of UTF-8"
    )
    # the limit is bytes: 33 "é" are 66 bytes
    assert (
        iwo.refused("create", "é" * 33, "--alias", "long", "--founder", "test1", "--dues", "0.01")
        == "name too long: 66 bytes, at most 64 bytes of UTF-8"
    )


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--period", "0", "Invalid value for --period: must be more than zero and at most 1825d"),
        (
            "--period",
            "monthly",
            "Invalid value for '--period': not a duration: 'monthly' (use e.g. 30d, 12h, 1w2d, or seconds)",
        ),
        ("--quorum", "0%", "Invalid value for --quorum: must be more than 0% and at most 100%"),
        ("--quorum", "150%", "Invalid value for '--quorum': percentage out of range: '150%'"),
        (
            "--quorum",
            "33.333%",
            "Invalid value for '--quorum': too many decimals in '33.333%' (0.01% is the smallest step)",
        ),
        (
            "--quorum",
            "a quarter",
            "Invalid value for '--quorum': not a percentage: 'a quarter' (use e.g. 25% or 2500bps)",
        ),
        ("--quorum", "2_5%", "Invalid value for '--quorum': not a percentage: '2_5%' (use e.g. 25% or 2500bps)"),
        ("--threshold", "50%", "Invalid value for --threshold: must be more than 50% and at most 100%"),
        ("--voting-period", "0", "Invalid value for --voting-period: must be more than zero"),
        (
            "--voting-delay",
            "0",
            "Invalid value for --voting-delay: must be more than zero (so a proposer can cancel before votes)",
        ),
        ("--voting-period", "366d", "Invalid value for --voting-period: must be at most 365d"),
        ("--grace", "53w", "Invalid value for --grace: must be at most 365d"),
        ("--execution-window", "0s", "Invalid value for --execution-window: must be more than zero"),
    ],
)
def test_create_refuses_bad_settings(iwo, collective, option, value, message):
    assert iwo.refused(*CREATE, option, value, usage=True) == message


def test_create_needs_founders_and_dues(iwo, collective):
    assert iwo.refused("create", "X", "--dues", "1", usage=True) == "Missing option '--founder'."
    assert iwo.refused("create", "X", "--founder", "test1", usage=True) == "Missing option '--dues'."


# ---- finding collectives ---------------------------------------------------------------------
def test_collectives_lists_aliases_and_the_registry(iwo, collective, second):
    rows = iwo.json("collectives")
    governor2 = iwo.json("status", "-c", "night")["governor"]
    assert rows == [
        {"alias": "riders-collective", "governor": collective["governor"], "id": 1, "name": "Riders Collective"},
        {"alias": "night", "governor": governor2, "id": 2, "name": "Night Shift"},
    ]
    assert iwo.text("collectives").splitlines() == [
        f"  #1  riders-collective    {collective['governor']}  Riders Collective",
        f"  #2  night                {governor2}  Night Shift",
    ]


def test_collectives_on_a_fresh_chain(fresh_node):
    assert fresh_node.text("collectives") == "no collectives on chain 31337 yet\n"
    assert fresh_node.json("collectives") == []
    message = fresh_node.refused("status")
    assert message == "no collective known on chain 31337: create one with `iwo create` or name one with -c"


def test_status_shows_members_treasury_and_proposals(iwo, collective):
    data = iwo.json("status", "-c", "riders-collective")
    assert data["collective"] == "riders-collective"
    assert data["name"] == "Riders Collective"
    assert {k: data[k] for k in ("governor", "treasury", "card")} == {
        k: collective[k] for k in ("governor", "treasury", "card")
    }
    assert data["dues"]["amount_text"] == "0.01 ETH" and data["dues"]["period_text"] == "30d"
    assert [m["address"] for m in data["members"]] == collective["founders"]
    for m in data["members"]:  # a founder is paid through the creation time, then in grace
        assert m["paid_through"] <= data["block_time"] <= m["paid_through"] + 7 * 86400
        assert m["standing"] == ("paid up" if m["paid_through"] >= data["block_time"] else "in grace")
    assert data["balances"] == [
        {
            "asset": ETH,
            "symbol": "ETH",
            "balance": 0,
            "balance_text": "0 ETH",
            "pool": 0,
            "pool_text": "0 ETH",
            "free": 0,
            "free_text": "0 ETH",
        }
    ]
    assert data["open_proposals"] == []

    lines = iwo.text("status", "-c", "riders-collective").splitlines()
    assert lines[0] == f"Riders Collective (riders-collective, chain 31337) — governor {collective['governor']}"
    assert lines[1].startswith("dues 0.01 ETH per 30d, grace 7d; chain time ")
    assert lines[3] == "members (3):"
    for line, member in zip(lines[4:7], data["members"], strict=True):
        assert line.startswith(f"  {member['address']}  {member['standing']:<9} paid through ")
    assert lines[8:] == ["treasury:", "  0 ETH", "", "open proposals (0):"]


def test_status_by_governor_address(iwo, collective):
    lower = collective["governor"].lower()
    data = iwo.json("status", "-c", lower)
    assert data["governor"] == collective["governor"]
    assert data["name"] == "Riders Collective"
    assert len(data["members"]) == 3


def test_status_refuses_what_is_not_a_collective(iwo, collective, second):
    known = "known on chain 31337: night, riders-collective"
    assert iwo.refused("status", "-c", "nosuch") == f"unknown collective 'nosuch' ({known})"
    assert iwo.refused("status", "-c", "0x1234") == "not an address: '0x1234' (collective)"
    typo = iwo.flip_case(collective["governor"])
    assert iwo.refused("status", "-c", typo) == f"bad checksum in address '{typo}' (collective); check for a typo"
    eoa = iwo.addr("test9")
    assert iwo.refused("status", "-c", eoa) == f"no contract at {eoa} on chain 31337 (was the chain reset?)"
    assert iwo.refused("status", "-c", collective["treasury"]) == f"{collective['treasury']} is not an iwo governor"
    # one form names the collective everywhere: no positional name any more
    assert iwo.refused("status", "night", usage=True) == "Got unexpected extra argument (night)"


def test_status_needs_a_name_when_several_are_known(iwo, collective, second):
    assert iwo.refused("status") == "several collectives known (night, riders-collective): name one with -c"
    assert iwo.refused("members", "list") == "several collectives known (night, riders-collective): name one with -c"
    assert iwo.json("members", "list", "-c", "night")[0]["address"] == iwo.addr("test4")


def test_status_refuses_a_malformed_network_choice(iwo, collective):
    message = iwo.refused("status", "-c", "riders-collective", "--network", "nosuchnet")
    assert message == "not a network choice: 'nosuchnet' (use ecosystem:network:provider, e.g. base:mainnet:node)"

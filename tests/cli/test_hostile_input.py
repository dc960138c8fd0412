"""Hostile or hurried input to the CLI: each case gives one clear line, a non-zero exit,
no traceback, and sends nothing (the sender's nonce and the chain head stay put).
Also: locked and wrong-passphrase keyfile accounts, a node that is down, and a node that
dies mid-command, after which re-running the command is safe (nothing is sent twice).
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.request
from pathlib import Path

import pytest

from iwo import home


@pytest.fixture(scope="module")
def setup(iwo, collective):
    """A collective with an ETH treasury, dues paid by test1 and one open proposal #1."""
    iwo.ok("dues", "pay", "--periods", "2", "--account", "test1")
    iwo.ok("donate", "1", "--account", "test5")
    iwo.ok("node", "advance", "60")
    iwo.ok("propose", "signal", "-m", "first", "--account", "test1")
    return collective


TEST2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
MISCHECKSUMMED = "0x3c44CdDdB6a900fa2b585dd299e03d12FA4293BC"

# (arguments, sender whose nonce must not move, expected line, usage error?)
CASES = [
    (("dues", "pay", "--for", "0x1234", "--account", "test1"), "test1", "not an address: '0x1234' (member)", False),
    (
        ("dues", "pay", "--for", MISCHECKSUMMED, "--account", "test1"),
        "test1",
        f"bad checksum in address '{MISCHECKSUMMED}' (member); check for a typo",
        False,
    ),
    (
        ("dues", "pay", "--for", "test9", "--account", "test1"),
        "test1",
        "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720 is not a member of riders-collective",
        False,
    ),
    (("dues", "pay", "--periods", "0", "--account", "test1"), "test1", "--periods must be at least 1", False),
    (("dues", "pay", "--periods", "-3", "--account", "test1"), "test1", "--periods must be at least 1", False),
    (("dues", "pay", "--periods", "1201", "--account", "test1"), "test1", "--periods must be at most 1200", False),
    (
        ("dues", "pay", "--periods", "many", "--account", "test1"),
        "test1",
        "Invalid value for '--periods': 'many' is not a valid integer.",
        True,
    ),
    (
        ("dues", "pay", "-c", "nosuch", "--account", "test1"),
        "test1",
        "unknown collective 'nosuch' (known here: riders-collective)",
        False,
    ),
    (("donate", "0", "--account", "test5"), "test5", "amount must be more than zero (got '0')", False),
    (("donate", "--account", "test5", "--", "-1"), "test5", "amount must be a non-negative number: '-1'", False),
    (
        ("donate", "1.0000000000000000001", "--account", "test5"),
        "test5",
        "'1.0000000000000000001' has more than 18 decimals",
        False,
    ),
    (("donate", "1e80", "--account", "test5"), "test5", "amount '1e80' is absurdly large", False),
    (("donate", "lots", "--account", "test5"), "test5", "not an amount: 'lots'", False),
    (
        ("donate", "1000000", "--account", "test5"),
        "test5",
        "refused, nothing sent: the account cannot pay for this (insufficient funds)",
        False,
    ),
    (("donate", "1", "--asset", "0x1234", "--account", "test5"), "test5", "not an address: '0x1234' (token)", False),
    (
        ("donate", "1", "--memo", "x" * 257, "--account", "test5"),
        "test5",
        "memo too long (256 characters at most)",
        False,
    ),
    (
        ("vote", "1", "maybe", "--account", "test2"),
        "test2",
        "Invalid value for '{for|against|abstain}': 'maybe' is not one of 'for', 'against', 'abstain'.",
        True,
    ),
    (
        ("vote", "99", "for", "--account", "test2"),
        "test2",
        "no proposal #99 in riders-collective (ids run 1 to 1)",
        False,
    ),
    (
        ("vote", "0", "for", "--account", "test2"),
        "test2",
        "no proposal #0 in riders-collective (ids run 1 to 1)",
        False,
    ),
    (
        ("vote", "x", "for", "--account", "test2"),
        "test2",
        "Invalid value for 'PROPOSAL_ID': 'x' is not a valid integer.",
        True,
    ),
    (("vote", "1", "for", "--account", "test9"), "test9", None, False),  # not voting yet: message checked below
    (
        ("queue", "1", "--account", "test2"),
        "test2",
        "proposal #1 is Pending; only a Succeeded proposal can be queued",
        False,
    ),
    (
        ("execute", "1", "--account", "test2"),
        "test2",
        "proposal #1 is Pending; only a Queued proposal can be executed",
        False,
    ),
    (("cancel", "1", "--account", "test2"), "test2", "refused, nothing sent: governor: not the proposer", False),
    (
        ("propose", "signal", "-m", "again", "--account", "test1"),
        "test1",
        "refused, nothing sent: governor: proposer has a live proposal",
        False,
    ),
    (
        ("propose", "signal", "-m", "outsider", "--account", "test9"),
        "test9",
        "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720 is not a member of riders-collective",
        False,
    ),
    (
        ("propose", "spend", "--to", TEST2, "--amount", "500", "-m", "too much", "--account", "test2"),
        "test2",
        "the treasury has only 1.02 ETH available",
        False,
    ),
    (
        ("propose", "spend", "--to", TEST2, "--amount", "-0.5", "-m", "neg", "--account", "test2"),
        "test2",
        "amount must be a non-negative number: '-0.5'",
        False,
    ),
    (
        ("propose", "admit", "0xZZZ", "-m", "bad", "--account", "test2"),
        "test2",
        "not an address: '0xZZZ' (member)",
        False,
    ),
    (
        ("propose", "admit", "test1", "-m", "dup", "--account", "test2"),
        "test2",
        "0x70997970C51812dc3A010C7d01b50e0d17dc79C8 is already a member",
        False,
    ),
    (
        ("propose", "settings", "--quorum", "150%", "-m", "bad", "--account", "test2"),
        "test2",
        "Invalid value for percentage: percentage out of range: '150%'",
        True,
    ),
    (
        ("propose", "settings", "--voting-period", "0", "-m", "bad", "--account", "test2"),
        "test2",
        "Invalid value for --voting-period: must be more than zero",
        True,
    ),
    (
        ("propose", "call", TEST2, "transfer(address", "-m", "bad", "--account", "test2"),
        "test2",
        "not a function signature: 'transfer(address' (e.g. 'transfer(address,uint256)')",
        False,
    ),
    (
        ("propose", "call", TEST2, "transfer(address,uint256)", "1", "-m", "bad", "--account", "test2"),
        "test2",
        "transfer(address,uint256) takes 2 arguments, 1 given",
        False,
    ),
    (
        ("create", "X", "--founder", "test1", "--founder", "test1", "--dues", "0.01", "--account", "test0"),
        "test0",
        "founder listed twice: 0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        False,
    ),
    (
        ("create", "X", "--founder", "test1", "--dues", "0.01", "--period", "soon", "--account", "test0"),
        "test0",
        "Invalid value for duration: not a duration: 'soon' (use e.g. 30d, 12h, 1w2d, or seconds)",
        True,
    ),
    (
        ("create", "", "--founder", "test1", "--dues", "0.01", "--account", "test0"),
        "test0",
        "the collective needs a name",
        False,
    ),
    (("status", "--network", "nosuchnet:foo:bar"), "test0", None, False),  # message checked below
    (
        ("members", "show", "0x0000000000000000000000000000000000000001"),
        "test0",
        "0x0000000000000000000000000000000000000001 has never been a member of riders-collective",
        False,
    ),
    (("relay", "/nonexistent/vote.json", "--account", "test7"), "test7", None, True),
    (
        ("dues", "pay", "--account", "nosuchaccount"),
        "test0",
        "no account named 'nosuchaccount' (see `ape accounts list`)",
        False,
    ),
    (("dues", "pay", "--account", "test12"), "test0", "no test account test12 (test0 to test9)", False),
]


@pytest.mark.parametrize("args,sender,expected,usage", CASES, ids=[" ".join(c[0])[:60] for c in CASES])
def test_hostile_input_is_refused_cleanly(iwo, setup, args, sender, expected, usage):
    message = iwo.refused(*args, sender=sender, usage=usage)
    if expected is not None:
        assert message == expected
    elif args[0] == "vote":
        assert message.startswith("proposal #1 is Pending, not open for voting (voting opens in ")
    elif args[0] == "status":
        assert message.startswith("unknown network 'nosuchnet:foo:bar': ")
    else:
        assert "does not exist" in message


def test_at_least_thirty_cases():
    assert len(CASES) >= 30


def test_a_malformed_signed_vote_file_is_refused(iwo, setup, tmp_path):
    bad = tmp_path / "vote.json"
    bad.write_text('{"chain_id": 31337, "governor": "0x0", "signature": "0x00"}')
    assert iwo.refused("relay", str(bad), "--account", "test7", sender="test7").startswith(
        f"{bad}: not a signed ballot: "
    )


def test_node_down_is_one_line(iwo, other_home):
    assert iwo.error("status") == "no local node is running: start one with `iwo node start`"
    assert iwo.error("dues", "pay", "--account", "test1") == "no local node is running: start one with `iwo node start`"


# ---- keyfile accounts: locked, wrong passphrase -------------------------------------------
@pytest.fixture(scope="module")
def keyfile_account(iwo, setup):
    """A real Ape keyfile account (encrypted JSON), funded on the node; removed afterwards."""
    from ape import accounts
    from eth_account import Account

    alias = "iwo-hostile-test"
    container = accounts.containers["accounts"]
    path = Path(container.data_folder) / f"{alias}.json"
    key = Account.create()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(Account.encrypt(key.key, "right horse battery")))
    iwo.rpc("anvil_setBalance", [key.address, hex(10**18)])
    try:
        yield alias, key.address
    finally:
        path.unlink(missing_ok=True)


def test_locked_account_without_terminal(iwo, keyfile_account, monkeypatch):
    alias, address = keyfile_account
    monkeypatch.delenv(f"APE_ACCOUNTS_{alias}_PASSPHRASE", raising=False)
    message = iwo.refused("donate", "0.1", "--account", alias, sender=address)
    assert message == (f"account {alias!r} is locked and there is no terminal: set APE_ACCOUNTS_{alias}_PASSPHRASE")


def test_wrong_passphrase(iwo, keyfile_account, monkeypatch):
    alias, address = keyfile_account
    monkeypatch.setenv(f"APE_ACCOUNTS_{alias}_PASSPHRASE", "wrong horse")
    assert iwo.refused("donate", "0.1", "--account", alias, sender=address) == f"wrong passphrase for account {alias!r}"


def test_right_passphrase_sends(iwo, keyfile_account, monkeypatch):
    alias, address = keyfile_account
    monkeypatch.setenv(f"APE_ACCOUNTS_{alias}_PASSPHRASE", "right horse battery")
    before = iwo.nonce(address)
    assert iwo.json("donate", "0.1", "--account", alias)["donor"] == address
    assert iwo.nonce(address) == before + 1


def test_passphrase_never_on_the_command_line(iwo):
    for command in ("vote", "donate", "dues", "create", "relay"):
        help_text = iwo.text(command, "--help")
        assert "--passphrase" not in help_text and "--private-key" not in help_text


# ---- a node that dies mid-command ------------------------------------------------------------
class _DyingProxy(http.server.ThreadingHTTPServer):
    """Forwards JSON-RPC to the real node; when armed, forwards one eth_sendRawTransaction and
    then drops the connection without answering, as a node that dies right after accepting it."""

    def __init__(self, upstream: str):
        self.upstream = upstream
        self.armed = False
        self.dropped = 0
        super().__init__(("127.0.0.1", 0), _ProxyHandler)


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        request = urllib.request.Request(self.server.upstream, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = response.read()
        if self.server.armed and b"eth_sendRawTransaction" in body:
            self.server.armed = False
            self.server.dropped += 1
            self.close_connection = True
            self.connection.close()  # the transaction reached the node; the answer never comes back
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


@pytest.fixture
def dying_node(iwo, setup):
    """Points the data folder's node record at a proxy in front of the real node."""
    record = home.read_json("node.json")
    proxy = _DyingProxy(iwo.url)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    home.write_json("node.json", record | {"port": proxy.server_address[1]})
    try:
        yield proxy
    finally:
        home.write_json("node.json", record)
        proxy.shutdown()
        proxy.server_close()


def test_rerun_after_the_node_died_mid_command_sends_nothing_twice(iwo, dying_node):
    payer = iwo.addr("test3")
    paid_before = iwo.json("members", "show", "test3")["paid_through"]
    nonce_before = iwo.nonce(payer)
    dying_node.armed = True
    first = iwo.run("dues", "pay", "--account", "test3")
    assert dying_node.dropped == 1
    assert first.exit_code == 1 and "Traceback" not in first.stdout + first.stderr
    assert first.stderr.strip().startswith("Error: ") and len(first.stderr.strip().splitlines()) == 1
    assert iwo.nonce(payer) == nonce_before + 1  # the payment did reach the chain
    assert home.read_json("pending.json"), "the interrupted transaction is journaled"

    again = iwo.run("dues", "pay", "--account", "test3")
    assert again.exit_code == 0, again.stderr
    assert "already sent it" in again.stderr
    assert iwo.nonce(payer) == nonce_before + 1  # not paid twice
    assert home.read_json("pending.json") == {}
    period = 30 * 86400
    assert iwo.json("members", "show", "test3")["paid_through"] == paid_before + period

    third = iwo.ok("dues", "pay", "--account", "test3")  # a deliberate second payment still works
    assert "already sent" not in third.stderr
    assert iwo.nonce(payer) == nonce_before + 2

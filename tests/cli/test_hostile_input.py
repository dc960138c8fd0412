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
        ("dues", "pay", "--for", "alice", "--account", "test1"),
        "test1",
        "not an address or known account: 'alice' (member)",
        False,
    ),
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
    (("dues", "pay", "--periods", "0", "--account", "test1"), "test1", "--periods must be 1 to 1200", False),
    (
        ("dues", "pay", "--periods", "-3", "--account", "test1"),
        "test1",
        "Invalid value for '--periods': not a whole number: '-3' (digits 0-9 only)",
        True,
    ),
    (("dues", "pay", "--periods", "1201", "--account", "test1"), "test1", "--periods must be 1 to 1200", False),
    (
        ("dues", "pay", "--periods", "many", "--account", "test1"),
        "test1",
        "Invalid value for '--periods': not a whole number: 'many' (digits 0-9 only)",
        True,
    ),
    (
        ("dues", "pay", "--periods", "1_0", "--account", "test1"),
        "test1",
        "Invalid value for '--periods': not a whole number: '1_0' (digits 0-9 only)",
        True,
    ),
    (
        ("dues", "pay", "-c", "nosuch", "--account", "test1"),
        "test1",
        "unknown collective 'nosuch' (known on chain 31337: riders-collective)",
        False,
    ),
    (("donate", "0", "--account", "test5"), "test5", "amount must be more than zero (got '0')", False),
    (
        ("donate", "--account", "test5", "--", "-1"),
        "test5",
        "Invalid value for 'AMOUNT': amount must be a non-negative number: '-1'",
        True,
    ),
    (
        ("donate", "1.0000000000000000001", "--account", "test5"),
        "test5",
        "amount: '1.0000000000000000001' has more than 18 decimals",
        False,
    ),
    (
        ("donate", "1e80", "--account", "test5"),
        "test5",
        "Invalid value for 'AMOUNT': not an amount: '1e80' (digits 0-9 and one '.', e.g. 0.5)",
        True,
    ),
    (
        ("donate", "lots", "--account", "test5"),
        "test5",
        "Invalid value for 'AMOUNT': not an amount: 'lots' (digits 0-9 and one '.', e.g. 0.5)",
        True,
    ),
    # other scripts' digits and separators never move money
    (
        ("donate", "1_0", "--account", "test5"),
        "test5",
        "Invalid value for 'AMOUNT': not an amount: '1_0' (digits 0-9 and one '.', e.g. 0.5)",
        True,
    ),
    (
        ("donate", "\u0663", "--account", "test5"),
        "test5",
        "Invalid value for 'AMOUNT': not an amount: '\u0663' (digits 0-9 and one '.', e.g. 0.5)",
        True,
    ),
    (
        ("donate", "\uff11", "--account", "test5"),
        "test5",
        "Invalid value for 'AMOUNT': not an amount: '\uff11' (digits 0-9 and one '.', e.g. 0.5)",
        True,
    ),
    (
        ("vote", "\u0661", "for", "--account", "test2"),
        "test2",
        "Invalid value for 'PROPOSAL_ID': not a number: '\u0661' (digits 0-9 only)",
        True,
    ),
    (
        ("node", "advance", "\u0663d"),
        "test0",
        "Invalid value for 'DURATION': not a duration: '\u0663d' (use e.g. 30d, 12h, 1w2d, or seconds)",
        True,
    ),
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
        "--memo too long: 257 bytes, at most 256 bytes of UTF-8",
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
        "Invalid value for 'PROPOSAL_ID': ids start at 1",
        True,
    ),
    (
        ("vote", "x", "for", "--account", "test2"),
        "test2",
        "Invalid value for 'PROPOSAL_ID': not a number: 'x' (digits 0-9 only)",
        True,
    ),
    (
        ("vote", "1", "for", "--reason", "x" * 20_000, "--account", "test2"),
        "test2",
        "--reason too long: 20000 bytes, at most 512 bytes of UTF-8",
        False,
    ),
    (
        ("vote", "1", "for", "--sign-only", "--reason", "y" * 600, "--account", "test2"),
        "test2",
        "--reason too long: 600 bytes, at most 512 bytes of UTF-8",
        False,
    ),
    (
        ("vote", "1", "for", "--unsigned", "--reason", "y" * 600, "--account", "test2"),
        "test2",
        "--reason too long: 600 bytes, at most 512 bytes of UTF-8",
        False,
    ),
    (
        ("vote", "1", "for", "--sign-only", "--valid-for", "0", "--account", "test2"),
        "test2",
        "--valid-for must be more than zero (a ballot valid for 0s is expired when written)",
        False,
    ),
    (
        ("vote", "1", "for", "--sign-only", "--out", "/nonexistent/folder/vote.json", "--account", "test2"),
        "test2",
        "Invalid value for '--out': folder /nonexistent/folder does not exist",
        True,
    ),
    (
        ("vote", "1", "for", "--sign-only", "--unsigned", "--account", "test2"),
        "test2",
        "choose one of --sign-only and --unsigned",
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
        "the treasury has only 1.016 ETH available (outside the aid pool)",
        False,
    ),
    (
        ("propose", "spend", "--to", TEST2, "--amount", "-0.5", "-m", "neg", "--account", "test2"),
        "test2",
        "Invalid value for '--amount': amount must be a non-negative number: '-0.5'",
        True,
    ),
    (
        ("propose", "spend", "--to", "0x" + "0" * 40, "--amount", "0.1", "-m", "void", "--account", "test2"),
        "test2",
        "--to is the zero address: the payment could never be made",
        False,
    ),
    (
        ("propose", "admit", "0x" + "0" * 40, "-m", "nobody", "--account", "test2"),
        "test2",
        "the zero address cannot be a member",
        False,
    ),
    (
        ("propose", "signal", "-m", "\u00e9" * 1100, "--account", "test2"),
        "test2",
        "description too long: 2200 bytes, at most 2048 bytes of UTF-8",
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
        "Invalid value for '--quorum': percentage out of range: '150%'",
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
        "Invalid value for '--period': not a duration: 'soon' (use e.g. 30d, 12h, 1w2d, or seconds)",
        True,
    ),
    (
        ("create", "", "--founder", "test1", "--dues", "0.01", "--account", "test0"),
        "test0",
        "the collective needs a name",
        False,
    ),
    (
        ("status", "--network", "nosuchnet"),
        "test0",
        "not a network choice: 'nosuchnet' (use ecosystem:network:provider, e.g. base:mainnet:node)",
        False,
    ),
    (("status", "--rpc", "ftp://x"), "test0", "not an http(s) RPC URL: 'ftp://x'", False),
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
        "no account named 'nosuchaccount' (test0..test9 on the local node, an Ape alias from `ape accounts list`, "
        "or --keyfile PATH)",
        False,
    ),
    (
        ("dues", "pay", "--keyfile", "/nonexistent/key.json"),
        "test0",
        "no keystore file at /nonexistent/key.json",
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
    else:
        assert "does not exist" in message


def test_at_least_fifty_cases():
    assert len(CASES) >= 50


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
    from eth_account import Account

    from iwo.accounts import ape_accounts_folder

    alias = "iwo-hostile-test"
    path = ape_accounts_folder() / f"{alias}.json"
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
    assert message == (
        f"account {alias!r} is locked and there is no terminal to ask: set APE_ACCOUNTS_{alias}_PASSPHRASE"
    )


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


# ---- keystore files (--keyfile) -----------------------------------------------------------
@pytest.fixture(scope="module")
def keystore(iwo, setup, tmp_path_factory):
    """An encrypted keystore file outside Ape's folder, funded on the node."""
    from eth_account import Account

    key = Account.create()
    path = tmp_path_factory.mktemp("keys") / "member.json"
    path.write_text(json.dumps(Account.encrypt(key.key, "open sesame")))
    iwo.rpc("anvil_setBalance", [key.address, hex(10**18)])
    return path, key.address


def test_keyfile_signs_with_the_passphrase_from_the_environment(iwo, keystore, monkeypatch):
    path, address = keystore
    monkeypatch.setenv("IWO_KEYFILE_PASSPHRASE", "open sesame")
    before = iwo.nonce(address)
    assert iwo.json("donate", "0.1", "--keyfile", str(path))["donor"] == address
    assert iwo.nonce(address) == before + 1


def test_keyfile_refusals(iwo, keystore, monkeypatch, tmp_path):
    path, address = keystore
    monkeypatch.setenv("IWO_KEYFILE_PASSPHRASE", "wrong words")
    assert iwo.refused("donate", "0.1", "--keyfile", str(path), sender=address) == (
        f"wrong passphrase for keyfile {path.name}"
    )
    monkeypatch.delenv("IWO_KEYFILE_PASSPHRASE")
    assert iwo.refused("donate", "0.1", "--keyfile", str(path), sender=address) == (
        f"keyfile {path.name} is locked and there is no terminal to ask: set IWO_KEYFILE_PASSPHRASE"
    )
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text("{not json")
    assert iwo.refused("donate", "0.1", "--keyfile", str(corrupt)) == (
        f"keyfile {corrupt}: {corrupt} is not a JSON keystore"
    )
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"address": address}))
    assert iwo.refused("donate", "0.1", "--keyfile", str(plain)) == (
        f"keyfile {plain}: {plain} is not an encrypted JSON keystore"
    )


# ---- --rpc to nodes that are not the right one -------------------------------------------
def test_rpc_to_a_dead_node(iwo, setup):
    from iwo.node import free_port

    url = f"http://127.0.0.1:{free_port()}"
    message = iwo.refused("status", "--rpc", url)
    assert message.startswith(f"cannot reach {url}: node at {url} does not answer (")


@pytest.fixture(scope="module")
def other_chain(setup):
    """A second anvil with another chain id (stands in for an L2)."""
    import subprocess

    from iwo.node import answering, anvil_binary, free_port

    port = free_port()
    process = subprocess.Popen(
        [anvil_binary(), "--port", str(port), "--chain-id", "8453", "--silent"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    from iwo.node import NodeInfo

    node = NodeInfo(process.pid, port, "")
    import time

    deadline = time.monotonic() + 20
    while not answering(node) and time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        yield node.url
    finally:
        process.terminate()
        process.wait(10)


def test_rpc_to_a_node_of_another_chain_is_refused(iwo, setup, other_chain):
    message = iwo.refused("status", "-c", "riders-collective", "--rpc", other_chain)
    assert message == (
        f"collective 'riders-collective' was recorded on chain 31337, but {other_chain} is chain 8453: "
        "point --rpc/--network at the right node"
    )
    message = iwo.refused("dues", "pay", "--rpc", other_chain, "--account", "test1", sender="test1")
    assert message == (
        "no collective known on chain 8453: create one with `iwo create` or name one with -c "
        "(this data folder knows collectives on chain 31337)"
    )


# ---- a node that dies mid-command ------------------------------------------------------------
class _DyingProxy(http.server.ThreadingHTTPServer):
    """Forwards JSON-RPC to the real node; when armed, forwards one eth_sendRawTransaction and
    then drops that connection and every later one without answering, as a node that dies right
    after accepting a transaction; `revive()` brings it back."""

    def __init__(self, upstream: str):
        self.upstream = upstream
        self.armed = False
        self.dead = False
        self.dropped = 0
        super().__init__(("127.0.0.1", 0), _ProxyHandler)

    def revive(self):
        self.dead = False


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.server.dead:
            self.close_connection = True
            self.connection.close()
            return
        request = urllib.request.Request(self.server.upstream, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = response.read()
        if self.server.armed and b"eth_sendRawTransaction" in body:
            self.server.armed = False
            self.server.dead = True
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
    assert "journaled" in first.stderr
    assert iwo.nonce(payer) == nonce_before + 1  # the payment did reach the chain
    assert home.read_json("pending.json"), "the interrupted transaction is journaled"

    dying_node.revive()
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

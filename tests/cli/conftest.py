"""Fixtures for the in-process tests of the `iwo` command line.

Each test module gets its own data folder ($IWO_HOME in a tmp dir), its own
local anvil node started with `iwo node start` (stopped at module teardown,
also when tests fail) and, when it asks for one, a collective created with
`iwo create` by test0 with Ape test accounts as founders (override the
`founder_accounts` fixture in a module to change them).

`iwo` (the fixture) runs `iwo.cli.main` through click's CliRunner and reads
the node over JSON-RPC, so a test can tell that a refused command sent
nothing: `iwo.refused(...)` compares the sender's nonce and the block number
before and after.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from iwo import node as nodes
from iwo.cli import main

ENV_TO_CLEAR = ("IWO_NETWORK", "IWO_RPC", "IWO_ACCOUNT", "IWO_KEYFILE", "IWO_COLLECTIVE", "IWO_DEBUG")


def account_address(name: str) -> str:
    """Address of test account `testN` (anvil's test mnemonic, as the CLI names them)."""
    from iwo.accounts import TEST_ADDRESSES

    assert name.startswith("test"), name
    return TEST_ADDRESSES[int(name[4:])]


def flip_case(address: str) -> str:
    """`address` with one hex letter's case flipped: same bytes, wrong EIP-55 checksum."""
    for i, ch in enumerate(address[2:], start=2):
        if ch.isalpha():
            return address[:i] + ch.swapcase() + address[i + 1 :]
    raise AssertionError(f"{address} has no letter to flip")


def rpc(url: str, method: str, params=None):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        reply = json.loads(response.read())
    assert "error" not in reply, reply
    return reply["result"]


def describe(result) -> str:
    """Everything about a CliRunner result, for assertion messages."""
    return (
        f"exit {result.exit_code}; exception {result.exception!r}\n"
        f"--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    )


def _reap(pid: int) -> None:
    """Waits for our child `pid` so that, once it exits, it is gone and not a zombie.

    The real `iwo node start` process exits right away and init adopts anvil;
    in-process, this test process is anvil's parent and must reap it itself,
    or `iwo node stop` would see the zombie as still alive.
    """
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _kill(pid: int) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not _alive(pid):
            return
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)


class Iwo:
    """Runs `iwo ...` in-process against the module's node and checks the usual outcomes."""

    def __init__(self, url: str | None = None):
        self.url = url
        self.runner = CliRunner(mix_stderr=False)
        self.started_pids: set[int] = set()

    addr = staticmethod(account_address)
    flip_case = staticmethod(flip_case)

    # ---- running commands ------------------------------------------------------------
    def run(self, *args):
        result = self.runner.invoke(main, [str(a) for a in args], prog_name="iwo")
        if args[:2] == ("node", "start") and result.exit_code == 0:
            self._adopt_node()
        return result

    def _adopt_node(self):
        found = nodes.info()
        if found and found.pid not in self.started_pids:
            try:
                os.waitpid(found.pid, os.WNOHANG)
            except ChildProcessError:
                return  # not our child: started by another process
            self.started_pids.add(found.pid)
            threading.Thread(target=_reap, args=(found.pid,), daemon=True).start()

    def ok(self, *args):
        """Runs a command that must succeed; returns the result (stdout in .stdout)."""
        result = self.run(*args)
        assert result.exit_code == 0, describe(result)
        assert result.exception is None, describe(result)
        assert "Traceback" not in result.stdout + result.stderr
        assert "Error" not in result.stderr, describe(result)
        return result

    def text(self, *args) -> str:
        return self.ok(*args).stdout

    def json(self, *args):
        """Runs a command with --json; its stdout must be exactly one JSON document."""
        return json.loads(self.ok(*args, "--json").stdout)

    def error(self, *args, usage: bool = False) -> str:
        """Runs a command that must fail with one clear line; returns that line without 'Error: '.

        Domain errors exit 1 and print only that line. Usage errors (usage=True)
        exit 2 and click puts its usage hint above the line.
        """
        result = self.run(*args)
        out = result.stdout + result.stderr
        assert "Traceback" not in out, describe(result)
        assert result.exit_code == (2 if usage else 1), describe(result)
        assert isinstance(result.exception, SystemExit), describe(result)
        assert result.stdout == "", describe(result)
        lines = result.stderr.strip().splitlines()
        errors = [line for line in lines if line.startswith("Error:")]
        assert len(errors) == 1, describe(result)
        if usage:
            assert lines[0].startswith("Usage: iwo "), describe(result)
            assert lines[-1] == errors[0], describe(result)
        else:
            assert lines == errors, describe(result)
        assert "unexpected error" not in errors[0], describe(result)
        return errors[0].removeprefix("Error: ")

    def refused(self, *args, sender: str = "test0", usage: bool = False) -> str:
        """Like `error`, and nothing was sent: the sender's nonce and the chain's head did not move."""
        address = account_address(sender) if sender.startswith("test") else sender
        before = (self.nonce(address), self.block_number())
        message = self.error(*args, usage=usage)
        assert (self.nonce(address), self.block_number()) == before, f"something was sent: {message}"
        return message

    # ---- reading the node -----------------------------------------------------------
    def rpc(self, method: str, params=None):
        assert self.url, "no node for this Iwo"
        return rpc(self.url, method, params)

    def nonce(self, address: str) -> int:
        return int(self.rpc("eth_getTransactionCount", [address, "latest"]), 16)

    def block_number(self) -> int:
        return int(self.rpc("eth_blockNumber"), 16)

    def block_time(self) -> int:
        return int(self.rpc("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)

    def balance(self, address: str) -> int:
        return int(self.rpc("eth_getBalance", [address, "latest"]), 16)

    def cleanup(self):
        for pid in self.started_pids:
            _kill(pid)


def _isolated_env(mp: pytest.MonkeyPatch, folder: Path) -> None:
    mp.setenv("IWO_HOME", str(folder))
    for name in ENV_TO_CLEAR:
        mp.delenv(name, raising=False)


@pytest.fixture(scope="module")
def iwo_home(tmp_path_factory):
    """A fresh data folder as $IWO_HOME for the whole module."""
    mp = pytest.MonkeyPatch()
    folder = tmp_path_factory.mktemp("iwo-home")
    _isolated_env(mp, folder)
    yield folder
    mp.undo()


@pytest.fixture(scope="module")
def local_node(iwo_home):
    """`iwo node start` in the module's data folder; `iwo node stop` at teardown."""
    runner = Iwo()
    try:
        data = runner.json("node", "start")
        assert data["started"] is True
        yield data
    finally:
        runner.run("node", "stop")
        runner.cleanup()


@pytest.fixture(scope="module")
def iwo(local_node):
    return Iwo(local_node["url"])


@pytest.fixture
def other_home(tmp_path, monkeypatch):
    """Points $IWO_HOME at an empty folder for one test (no node recorded there)."""
    folder = tmp_path / "other-home"
    folder.mkdir()
    monkeypatch.setenv("IWO_HOME", str(folder))
    return folder


@pytest.fixture
def fresh_node(other_home):
    """A second node, in an empty data folder of its own, for one test; stopped afterwards."""
    runner = Iwo()
    try:
        data = runner.json("node", "start")
        runner.url = data["url"]
        runner.node = data
        yield runner
    finally:
        runner.run("node", "stop")
        runner.cleanup()


@pytest.fixture(scope="module")
def founder_accounts():
    return ["test1", "test2", "test3"]


@pytest.fixture(scope="module")
def collective(iwo, founder_accounts):
    """`iwo create "Riders Collective"` by test0 with the founders; 0.01 ETH per 30d, default settings."""
    args = ["create", "Riders Collective", "--symbol", "RIDE", "--dues", "0.01", "--account", "test0"]
    for name in founder_accounts:
        args += ["--founder", name]
    data = iwo.json(*args)
    assert data["alias"] == "riders-collective"
    assert data["founders"] == [account_address(n) for n in founder_accounts]
    return data

"""Fixtures for end-to-end tests that run the real `iwo` executable in subprocesses.

Each module gets a data folder of its own ($IWO_HOME in a tmp dir), a working
directory in a tmp dir (so nothing lands in the repository) and a local anvil
node started with `iwo node start`, stopped with `iwo node stop` at teardown
(and killed if that fails, so no node outlives the tests).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
ANVIL_DIR = ROOT / "tools" / "node_modules" / "@foundry-rs" / "anvil-linux-amd64" / "bin"
IWO = VENV_BIN / "iwo"


def rpc(url: str, method: str, params=None):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        reply = json.loads(response.read())
    assert "error" not in reply, reply
    return reply["result"]


class Cli:
    """The `iwo` executable with the module's environment; results are CompletedProcess."""

    def __init__(self, env: dict, cwd: Path):
        self.env, self.cwd, self.url = env, cwd, None

    def run(self, *args, timeout: float = 120):
        return subprocess.run(
            [str(IWO), *map(str, args)], env=self.env, cwd=self.cwd, capture_output=True, text=True, timeout=timeout
        )

    def ok(self, *args):
        done = self.run(*args)
        assert done.returncode == 0, f"iwo {' '.join(map(str, args))}: exit {done.returncode}\n{done.stderr}"
        assert "Traceback" not in done.stdout + done.stderr
        return done

    def json(self, *args):
        return json.loads(self.ok(*args, "--json").stdout)

    def error(self, *args) -> str:
        """A refused command: exit 1, nothing on stdout, one 'Error:' line on stderr."""
        done = self.run(*args)
        assert done.returncode == 1, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stdout + done.stderr
        assert done.stdout == ""
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
        return lines[0].removeprefix("Error: ")

    def rpc(self, method: str, params=None):
        return rpc(self.url, method, params)

    def nonce(self, address: str) -> int:
        return int(self.rpc("eth_getTransactionCount", [address, "latest"]), 16)

    def balance(self, address: str) -> int:
        return int(self.rpc("eth_getBalance", [address, "latest"]), 16)


def _kill_recorded_node(home: Path):
    """Last resort when `iwo node stop` failed: kill the pid recorded in node.json."""
    record = home / "node.json"
    if not record.exists():
        return
    pid = json.loads(record.read_text())["pid"]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        time.sleep(2)


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    home = tmp_path_factory.mktemp("iwo-home")
    cwd = tmp_path_factory.mktemp("iwo-cwd")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("IWO_") and k not in ("APE_FOUNDRY_HOST", "PYTEST_CURRENT_TEST")
    }
    env["IWO_HOME"] = str(home)
    env["PATH"] = os.pathsep.join([str(VENV_BIN), str(ANVIL_DIR), env.get("PATH", "")])
    env.setdefault("APE_DATA_FOLDER", str(ROOT / ".ape"))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    runner = Cli(env, cwd)
    runner.home = home
    try:
        yield runner
    finally:
        runner.run("node", "stop", timeout=60)
        _kill_recorded_node(home)


@pytest.fixture(scope="module")
def node(cli):
    """`iwo node start`; its JSON (pid, port, url, state_file, started)."""
    data = cli.json("node", "start")
    assert data["started"] is True
    cli.url = data["url"]
    return data

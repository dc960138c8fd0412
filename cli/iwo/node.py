"""A local anvil node for newcomers, whose chain state survives restarts.

`start` launches anvil in the background with ``--state`` pointing into the
data folder, so a collective created today is still there tomorrow; `stop` ends
it (anvil writes its state on exit, and every few seconds while running);
`status` tells whether it answers.

Two promises across restarts: the node comes back on the port it had (when that
port is free), and its clock never goes back. anvil stamps new blocks with the
wall clock, so after `advance 10d` and a restart the next block would be ten days
*earlier* than the last one (an Active proposal would turn Pending again). The
node's last block time is remembered (`node-memory.json`) and, at start, the
clock is moved forward to at least one second after it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from . import home
from .errors import IwoError

STATE_FILE = "anvil-state.json"
LOG_FILE = "anvil.log"
MEMORY_FILE = "node-memory.json"  # last port and last block time, kept across restarts
CHAIN_ID = 31337
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class NodeInfo:
    pid: int
    port: int
    state: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def anvil_binary() -> str:
    """anvil from PATH, else the one `make` installed into tools/node_modules."""
    found = shutil.which("anvil")
    if found:
        return found
    local = _PACKAGE_ROOT / "tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
    if local.exists():
        return str(local)
    raise IwoError(
        "anvil not found: install it with `npm install -g @foundry-rs/anvil` (or Foundry's foundryup) "
        "and make sure `anvil` is on PATH"
    )


def _remember(**values) -> None:
    memory = home.read_json(MEMORY_FILE)
    memory.update(values)
    home.write_json(MEMORY_FILE, memory)


def _latest_time(url: str) -> int:
    return int(rpc(url, "eth_getBlockByNumber", ["latest", False])["timestamp"], 16)


def _keep_clock(url: str) -> None:
    """Moves the new node's clock to at least one second after the last block it ever made."""
    last = max(int(home.read_json(MEMORY_FILE).get("timestamp", 0)), _latest_time(url))
    behind = last + 1 - int(time.time())
    if behind > 0:
        rpc(url, "evm_increaseTime", [behind])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def rpc(url: str, method: str, params=None, timeout: float = 2.0):
    """One JSON-RPC request to the local node, no retries (it is on this machine)."""
    from .rpc import Rpc

    client = Rpc(url, retries=0, timeout=timeout)
    try:
        return client.call(method, params or [])
    finally:
        client.close()


def _alive(pid: int) -> bool:
    try:
        # reap it if it is our own child that has exited (else it lingers as a zombie)
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass  # not our child: started by another `iwo node start`
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def info() -> NodeInfo | None:
    """The recorded node, or None if none is recorded or its process is gone."""
    data = home.read_json("node.json")
    if not data:
        return None
    node = NodeInfo(int(data["pid"]), int(data["port"]), data["state"])
    if not _alive(node.pid):
        (home.home() / "node.json").unlink(missing_ok=True)
        return None
    return node


def answering(node: NodeInfo) -> bool:
    try:
        rpc(node.url, "eth_chainId", timeout=1.0)
        return True
    except (OSError, IwoError):
        return False


def start(port: int | None = None, timeout: float = 20.0) -> tuple[NodeInfo, bool]:
    """Starts the node (or returns the running one). Returns (node, started_now)."""
    running = info()
    if running is not None:
        if port is not None and port != running.port:
            raise IwoError(f"a local node already runs on port {running.port}; stop it first")
        return running, False
    if port is None:
        last = home.read_json(MEMORY_FILE).get("port")
        port = int(last) if isinstance(last, int) and 0 < last < 65536 and not port_in_use(last) else free_port()
    elif not 0 < port < 65536:
        raise IwoError(f"not a port: {port}")
    elif port_in_use(port):
        raise IwoError(f"port {port} is already in use")
    folder = home.home()
    state = folder / STATE_FILE
    log = open(folder / LOG_FILE, "ab")
    args = [
        anvil_binary(),
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
        "--chain-id",
        str(CHAIN_ID),
        "--state",
        str(state),
        "--state-interval",
        "5",
    ]
    process = subprocess.Popen(
        args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
    )
    node = NodeInfo(process.pid, port, str(state))
    home.write_json("node.json", {"pid": node.pid, "port": node.port, "state": node.state})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            (folder / "node.json").unlink(missing_ok=True)
            raise IwoError(f"anvil exited at start (code {process.returncode}); see {folder / LOG_FILE}")
        if answering(node):
            _keep_clock(node.url)
            _remember(port=port)
            return node, True
        time.sleep(0.1)
    stop()
    raise IwoError(f"anvil did not answer within {timeout:.0f}s; see {folder / LOG_FILE}")


def stop(timeout: float = 15.0) -> bool:
    """Stops the node, letting it write its state. False if none was running."""
    node = info()
    if node is None:
        return False
    try:
        _remember(timestamp=_latest_time(node.url))
    except (OSError, IwoError, ValueError):
        pass  # a node that does not answer: its last known time stays remembered
    os.kill(node.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(node.pid):
        time.sleep(0.1)
    if _alive(node.pid):
        os.kill(node.pid, signal.SIGKILL)
    (home.home() / "node.json").unlink(missing_ok=True)
    return True


def advance(seconds: int) -> int:
    """Moves the local chain's clock forward and mines a block; returns its timestamp."""
    node = require_running()
    rpc(node.url, "evm_increaseTime", [int(seconds)])
    rpc(node.url, "evm_mine")
    stamp = _latest_time(node.url)
    _remember(timestamp=stamp)
    return stamp


def require_running() -> NodeInfo:
    node = info()
    if node is None:
        raise IwoError("no local node is running: start one with `iwo node start`")
    if not answering(node):
        raise IwoError(
            f"the local node (pid {node.pid}, port {node.port}) does not answer; "
            "restart it with `iwo node stop && iwo node start`"
        )
    return node

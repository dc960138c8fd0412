"""`iwo node`: start, status, advance, stop; and what chain commands say when no node runs."""

import json
import subprocess
import threading
from datetime import UTC, datetime

import pytest

DAY = 86_400
NO_NODE = "no local node is running: start one with `iwo node start`"


def utc(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


# ---- a running node ---------------------------------------------------------------------------
def test_start_recorded_the_node_in_the_data_folder(iwo_home, local_node, iwo):
    assert local_node["started"] is True
    assert local_node["url"] == f"http://127.0.0.1:{local_node['port']}"
    assert local_node["state_file"] == str(iwo_home / "anvil-state.json")
    assert json.loads((iwo_home / "node.json").read_text()) == {
        "pid": local_node["pid"],
        "port": local_node["port"],
        "state": local_node["state_file"],
    }
    assert int(iwo.rpc("eth_chainId"), 16) == 31337


def test_status_tells_where_the_node_runs(local_node, iwo):
    assert iwo.text("node", "status") == f"running at {local_node['url']} (pid {local_node['pid']})\n"
    assert iwo.json("node", "status") == {
        "running": True,
        "pid": local_node["pid"],
        "port": local_node["port"],
        "url": local_node["url"],
        "state_file": local_node["state_file"],
    }


def test_start_again_reports_the_running_node(local_node, iwo):
    text = iwo.text("node", "start")
    assert text == (
        f"local node already running at {local_node['url']} (pid {local_node['pid']}; "
        f"state kept in {local_node['state_file']})\n"
    )
    data = iwo.json("node", "start")
    assert data == {key: local_node[key] for key in ("pid", "port", "url", "state_file")} | {"started": False}


def test_start_on_another_port_while_one_runs_is_refused(local_node, iwo):
    message = iwo.error("node", "start", "--port", local_node["port"] + 1)
    assert message == f"a local node already runs on port {local_node['port']}; stop it first"
    assert iwo.json("node", "status")["pid"] == local_node["pid"]


def test_advance_moves_the_clock_and_mines_one_block(iwo):
    before, head = iwo.block_time(), iwo.block_number()
    data = iwo.json("node", "advance", "1d")
    assert data == {"block_time": iwo.block_time()}
    assert before + DAY <= data["block_time"] < before + DAY + 600
    assert iwo.block_number() == head + 1

    text = iwo.text("node", "advance", "2h30m")
    now = iwo.block_time()
    assert text == f"local chain time is now {utc(now)}\n"
    assert data["block_time"] + 9000 <= now < data["block_time"] + 9000 + 600
    assert iwo.block_number() == head + 2


@pytest.mark.parametrize(
    "duration, message",
    [
        ("0", "Invalid value for DURATION: must be more than zero"),
        ("0d", "Invalid value for DURATION: must be more than zero"),
        ("soon", "Invalid value for 'DURATION': not a duration: 'soon' (use e.g. 30d, 12h, 1w2d, or seconds)"),
        ("3x", "Invalid value for 'DURATION': not a duration: '3x' (use e.g. 30d, 12h, 1w2d, or seconds)"),
        ("1.5d", "Invalid value for 'DURATION': not a duration: '1.5d' (use e.g. 30d, 12h, 1w2d, or seconds)"),
        ("1_0d", "Invalid value for 'DURATION': not a duration: '1_0d' (use e.g. 30d, 12h, 1w2d, or seconds)"),
    ],
)
def test_advance_refuses_a_bad_duration(iwo, duration, message):
    assert iwo.refused("node", "advance", duration, usage=True) == message


def test_advance_needs_a_duration(iwo):
    assert iwo.refused("node", "advance", usage=True) == "Missing argument 'DURATION'."


# ---- no node -----------------------------------------------------------------------------------
def test_status_and_stop_say_when_no_node_runs(other_home, iwo):
    result = iwo.run("node", "status")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "not running\n", "")
    result = iwo.run("node", "status", "--json")
    assert (result.exit_code, json.loads(result.stdout)) == (1, {"running": False})
    assert iwo.text("node", "stop") == "no local node was running\n"
    assert iwo.json("node", "stop") == {"stopped": False}


@pytest.mark.parametrize(
    "args",
    [
        ("status",),
        ("collectives",),
        ("members", "list"),
        ("dues", "status"),
        ("dues", "pay"),
        ("donate", "1"),
        ("ledger",),
        ("proposals", "list"),
        ("propose", "signal", "-m", "hello"),
        ("vote", "1", "for"),
        ("queue", "1"),
        ("node", "advance", "1d"),
        ("create", "Riders", "--founder", "test1", "--dues", "0.01"),
    ],
)
def test_chain_commands_need_a_running_node(other_home, iwo, args):
    # The module's node still runs (from another data folder): nothing reaches it either.
    assert iwo.refused(*args) == NO_NODE


def test_a_stale_record_of_a_dead_node_is_dropped(other_home, iwo):
    gone = subprocess.Popen(["true"])
    gone.wait()
    (other_home / "node.json").write_text(json.dumps({"pid": gone.pid, "port": 1, "state": "x"}))
    assert iwo.refused("status") == NO_NODE
    assert not (other_home / "node.json").exists()
    assert iwo.run("node", "status").stdout == "not running\n"


def test_a_recorded_node_that_does_not_answer(other_home, iwo):
    """A live process that is not an RPC node: commands say so; `node stop` ends it."""
    impostor = subprocess.Popen(["sleep", "120"])
    threading.Thread(target=impostor.wait, daemon=True).start()  # reap it once stopped
    try:
        port = 1  # nothing listens there
        (other_home / "node.json").write_text(json.dumps({"pid": impostor.pid, "port": port, "state": "x"}))
        assert iwo.refused("status") == (
            f"the local node (pid {impostor.pid}, port {port}) does not answer; "
            "restart it with `iwo node stop && iwo node start`"
        )
        result = iwo.run("node", "status")
        assert (result.exit_code, result.stdout) == (1, f"process {impostor.pid} exists but does not answer\n")
        assert iwo.text("node", "stop") == "local node stopped\n"
        impostor.wait(timeout=10)
        assert not (other_home / "node.json").exists()
    finally:
        impostor.kill()


def test_start_refuses_a_port_in_use_or_out_of_range(other_home, local_node, iwo):
    assert iwo.error("node", "start", "--port", local_node["port"]) == f"port {local_node['port']} is already in use"
    assert (
        iwo.error("node", "start", "--port", 0, usage=True) == "Invalid value for '--port': not a port: 0 (1 to 65535)"
    )
    assert (
        iwo.error("node", "start", "--port", 70000, usage=True)
        == "Invalid value for '--port': not a port: 70000 (1 to 65535)"
    )
    assert not (other_home / "node.json").exists()
    message = iwo.error("node", "start", "--port", "http", usage=True)
    assert message == "Invalid value for '--port': not a port: 'http' (digits 0-9 only)"


# ---- stop and start again ---------------------------------------------------------------------
def test_stop_keeps_the_chain_for_the_next_start(other_home, fresh_node):
    first = fresh_node.node
    fresh_node.ok("node", "advance", "10d")
    head, time = fresh_node.block_number(), fresh_node.block_time()

    assert fresh_node.text("node", "stop") == "local node stopped\n"
    assert not (other_home / "node.json").exists()
    assert (other_home / "anvil-state.json").exists()
    result = fresh_node.run("node", "status")
    assert (result.exit_code, result.stdout) == (1, "not running\n")
    message = fresh_node.error("node", "advance", "1d")
    assert message == NO_NODE

    again = fresh_node.json("node", "start")
    assert again["started"] is True and again["pid"] != first["pid"]
    assert again["port"] == first["port"]  # back on the same port, which was free
    fresh_node.url = again["url"]
    assert fresh_node.block_number() == head
    assert fresh_node.block_time() == time


def test_the_clock_never_goes_back_across_restarts(other_home, fresh_node):
    """After `advance 10d` and a restart, new blocks come after the old ones, and an Active
    proposal stays Active (it used to turn Pending again)."""
    fresh_node.ok("create", "Clock", "--founder", "test1", "--dues", "0.01")
    fresh_node.ok("node", "advance", "60")
    fresh_node.ok("propose", "signal", "-m", "keep time", "--account", "test1")
    fresh_node.ok("node", "advance", "1d")
    assert fresh_node.json("proposals", "show", "1")["state"] == "Active"
    fresh_node.ok("node", "advance", "10d")
    before = fresh_node.block_time()
    fresh_node.ok("node", "stop")
    fresh_node.url = fresh_node.json("node", "start")["url"]
    fresh_node.ok("donate", "0.01", "--account", "test2")  # a new block after the restart
    assert fresh_node.block_time() > before
    assert fresh_node.json("proposals", "show", "1")["state"] == "Defeated"  # its vote ended, never Pending
    fresh_node.ok("node", "stop")
    fresh_node.url = fresh_node.json("node", "start")["url"]
    fresh_node.ok("dues", "pay", "--account", "test1")
    fresh_node.ok("propose", "signal", "-m", "later", "--account", "test1")
    second = fresh_node.json("proposals", "show", "2")
    assert second["snapshot"] >= before  # never before earlier blocks


def test_the_state_file_grows_little_per_block(other_home, fresh_node):
    fresh_node.ok("create", "Growth", "--founder", "test1", "--dues", "0.01")
    fresh_node.ok("node", "stop")
    size = (other_home / "anvil-state.json").stat().st_size
    fresh_node.url = fresh_node.json("node", "start")["url"]
    for _ in range(20):
        fresh_node.ok("donate", "0.01", "--account", "test2")
    fresh_node.ok("node", "stop")
    grown = (other_home / "anvil-state.json").stat().st_size - size
    assert grown < 20 * 20_000, f"{grown / 20:.0f} bytes per block"  # was ~100 KB per block

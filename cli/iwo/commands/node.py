"""`iwo node`: a local anvil node for trying iwo, whose chain survives restarts."""

from __future__ import annotations

import sys

import click

from .base import DURATION, PORT, IwoGroup, Out, emit, json_option, when


def register(main: click.Group) -> None:
    @main.group(cls=IwoGroup, short_help="Run a local chain for trying iwo.")
    def node():
        """A local anvil node whose state persists in the data folder (.iwo or $IWO_HOME). Its
        clock never goes back across restarts, and it comes back on the same port when free."""

    @node.command("start", short_help="Start the local node.")
    @click.option("--port", type=PORT, help="Port to listen on (default: the last one if free, else a free one).")
    @json_option
    def start(port, as_json):
        """Starts the local node in the background (or reports the running one)."""
        from .. import node as nodes

        info, started = nodes.start(port)
        data = {"pid": info.pid, "port": info.port, "url": info.url, "state_file": info.state, "started": started}
        emit(
            Out(
                data,
                lambda d: (
                    f"local node {'started' if started else 'already running'} at {d['url']} "
                    f"(pid {d['pid']}; state kept in {d['state_file']})"
                ),
            ),
            as_json,
        )

    @node.command("stop", short_help="Stop the local node (its state is kept).")
    @json_option
    def stop(as_json):
        """Stops the local node; its chain state and clock are written to the data folder first."""
        from .. import node as nodes

        stopped = nodes.stop()
        emit(Out({"stopped": stopped}, "local node stopped" if stopped else "no local node was running"), as_json)

    @node.command("status", short_help="Is the local node running?")
    @json_option
    def status(as_json):
        """Tells whether the local node runs and answers, and where."""
        from .. import node as nodes

        info = nodes.info()
        data = {"running": bool(info and nodes.answering(info))}
        if info:
            data |= {"pid": info.pid, "port": info.port, "url": info.url, "state_file": info.state}
        text = (
            f"running at {data['url']} (pid {data['pid']})"
            if data["running"]
            else ("not running" if not info else f"process {info.pid} exists but does not answer")
        )
        emit(Out(data, text), as_json)
        if not data["running"]:
            sys.exit(1)

    @node.command("advance", short_help="Move the local chain's clock forward.")
    @click.argument("duration", type=DURATION)
    @json_option
    def advance(duration, as_json):
        """Moves the local node's clock forward by DURATION (e.g. 1d, 3d1h, or seconds) and mines a block."""
        from .. import node as nodes

        if duration <= 0:
            raise click.BadParameter("must be more than zero", param_hint="DURATION")
        ts = nodes.advance(duration)
        emit(Out({"block_time": ts}, f"local chain time is now {when(ts)}"), as_json)

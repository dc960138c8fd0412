"""Running `iwo serve`: the service, the relayer and uvicorn, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import signal
import socket

from ..errors import IwoError
from ..registry import Collective
from ..session import Session
from .service import Options, Service


class Stopped(Exception):
    """SIGTERM: stop as on Ctrl-C."""


def _stopped(_signum, _frame):
    raise Stopped()


def _port_taken(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def serve(
    s: Session,
    c: Collective,
    options: Options,
    relayer_signer=None,
    host: str = "127.0.0.1",
    port: int = 8765,
    open_browser: bool = False,
    say=print,
) -> dict:
    """Serves the page until stopped; returns what the relayer did."""
    import uvicorn

    from .app import create_app

    if _port_taken(host, port):
        raise IwoError(f"port {port} on {host} is already in use: choose another with --port")
    if relayer_signer is not None:
        relayer_signer.unlock()  # a wrong passphrase is said now, not at the first vote
    service = Service(s, c, options, relayer_signer, log=say)
    try:
        replayed = service.start()
        url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
        state = service.reader.submit(service.state).result()
        say(f"serving {state['name']} ({c.alias}, chain {s.chain_id}) at {url}")
        if service.relayer is not None:
            info = state["relayer"]
            say(f"  {info['message']}")
            if replayed.get("queued") or replayed.get("in_flight"):
                say(
                    f"  replayed the queue: {replayed['in_flight']} vote(s) in flight broadcast again, "
                    f"{replayed['queued']} waiting to be sent"
                )
        else:
            say("  no relayer (--relayer): members vote from their wallets and pay the gas")
        if host not in ("127.0.0.1", "localhost", "::1"):
            say(f"  note: {host} makes the page reachable from other machines")
        say("  Ctrl-C stops")

        def started():
            if open_browser:
                import webbrowser

                webbrowser.open(url)

        config = uvicorn.Config(
            create_app(service, on_start=started),
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=5,
        )
        # uvicorn stops gracefully on SIGINT/SIGTERM, then raises the signal again: both end here
        previous = signal.signal(signal.SIGTERM, _stopped)
        try:
            uvicorn.Server(config).run()
        except (KeyboardInterrupt, Stopped):
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
    finally:
        counts = service.queue.counts() if service.queue else {}
        service.close()
    return {"url": url, "votes": counts}

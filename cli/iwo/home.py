"""The data folder: local node state, deployments and collective aliases per chain.

Location: ``$IWO_HOME`` if set, else ``.iwo`` in the current directory. Files:

- ``node.json``            the running local node (pid, port, state file)
- ``anvil-state.json``     the local chain's state, kept across restarts
- ``deployments.json``     {chain_id: {"factory": ..., "card": ..., ...}}
- ``collectives.json``     {chain_id: {alias: governor address}}
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .errors import IwoError


def home() -> Path:
    path = Path(os.environ.get("IWO_HOME") or ".iwo").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_json(name: str, default=None):
    path = home() / name
    if not path.exists():
        return {} if default is None else default
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise IwoError(f"{path} is not valid JSON ({exc.msg}); fix or remove it") from None


def write_json(name: str, data) -> None:
    """Atomic write (a crash never leaves half a file)."""
    path = home() / name
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2, sort_keys=True)
        fh.write("\n")
    os.replace(tmp, path)


def deployment(chain_id: int) -> dict:
    return read_json("deployments.json").get(str(chain_id), {})


def save_deployment(chain_id: int, addresses: dict) -> None:
    data = read_json("deployments.json")
    data[str(chain_id)] = addresses
    write_json("deployments.json", data)


def aliases(chain_id: int) -> dict:
    return read_json("collectives.json").get(str(chain_id), {})


def save_alias(chain_id: int, alias: str, governor: str) -> None:
    data = read_json("collectives.json")
    data.setdefault(str(chain_id), {})[alias] = governor
    write_json("collectives.json", data)


def forget_chain(chain_id: int) -> None:
    """Drops deployments and aliases of a chain whose state is gone."""
    for name in ("deployments.json", "collectives.json"):
        data = read_json(name)
        if data.pop(str(chain_id), None) is not None:
            write_json(name, data)

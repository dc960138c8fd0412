"""Proposals: build actions, check them as the governor would run them, propose, read,
list, queue, execute, cancel, and who voted how and why.

A proposal's facts come from the governor's `proposal(id)` view (state, timings, tallies,
quorum) and its text and actions from its `ProposalCreated` event in the log store, read
by id (no rescan).
"""

from __future__ import annotations

from . import assets, tx
from .collective import Settings, state_name
from .contracts import ETH, function, selector
from .describe import describe_actions
from .errors import IwoError
from .limits import MAX_ACTIONS, MAX_CALLDATA, MAX_DESCRIPTION, check_text
from .registry import Collective, history
from .rpc import RpcError
from .session import Session
from .units import format_duration

LIVE = ("Pending", "Active", "Succeeded", "Queued")
# Runtime code answering any call with uint256(1): stands in for the governor while an action
# to the treasury is simulated, so `executing_proposal()` is non-zero as during `execute`.
_EXECUTING_STUB = "0x600160005260206000f3"


# ---- reading ---------------------------------------------------------------------------------------
def struct_view() -> bool:
    """Whether this governor's `proposal()` returns a `ProposalView` struct."""
    return function("IwoGovernor", "proposal").outputs[0]["type"] == "tuple"


def views(s: Session, c: Collective, pids: list[int]) -> list[dict]:
    """The governor's view of each proposal, in one or two batches."""
    if not pids:
        return []
    if struct_view():
        return [dict(v) for v in s.calls([(c.governor, "proposal", (p,)) for p in pids])]
    raw = s.calls([(c.governor, m, (p,)) for p in pids for m in ("proposal", "state")])
    versions = sorted({int(raw[2 * i][9]) for i in range(len(pids))})
    settings = dict(zip(versions, s.calls([(c.governor, "settings_at", (v,)) for v in versions])))
    out = []
    for i, _ in enumerate(pids):
        p, state = raw[2 * i], raw[2 * i + 1]
        window = int(settings[int(p[9])]["execution_window"])
        quorum_bps = int(settings[int(p[9])]["quorum_bps"])
        out.append(
            {
                "state": state,
                "proposer_index": p[0],
                "snapshot": p[1],
                "vote_start": p[2],
                "vote_end": p[3],
                "eta": p[4],
                "execution_deadline": (p[4] or p[3]) + window,
                "votes_for": p[5],
                "votes_against": p[6],
                "votes_abstain": p[7],
                "constitutional": p[8],
                "settings_version": p[9],
                "quorum_base": p[10],
                "quorum_votes": max(-(-p[10] * quorum_bps // 10_000), 1),
            }
        )
    return out


def deadline(row: dict) -> tuple[str, int] | None:
    """The next deadline of a proposal row, in words and time: ("voting ends", vote_end) and so on;
    None once nothing more can happen."""
    return {
        "Pending": ("voting opens", row["vote_start"]),
        "Active": ("voting ends", row["vote_end"]),
        "Succeeded": ("queue by", row["execution_deadline"]),
        "Queued": ("executable from", row["eta"]),
    }.get(row["state"])


def count(s: Session, c: Collective) -> int:
    return int(s.call(c.governor, "proposal_count"))


def _check_id(pid: int, total: int, c: Collective) -> None:
    if not 1 <= pid <= total:
        raise IwoError(
            f"no proposal #{pid} in {c.alias} (ids run 1 to {total})"
            if total
            else f"no proposal #{pid}: {c.alias} has none yet"
        )


def _actions(args: dict) -> list[tuple]:
    return [(a["target"], int(a["value"]), bytes.fromhex(a["data"][2:])) for a in args["actions"]]


def _row(s: Session, c: Collective, pid: int, view: dict, created: dict | None, explained=None) -> dict:
    actions = _actions(created["args"]) if created else []
    threshold = ""
    if view["constitutional"]:
        threshold = " and the constitutional threshold of For"
    return {
        "id": pid,
        "state": state_name(view["state"]),
        "proposer": created["args"]["proposer"] if created else None,
        "description": created["args"]["description"] if created else None,
        "constitutional": bool(view["constitutional"]),
        "snapshot": int(view["snapshot"]),
        "vote_start": int(view["vote_start"]),
        "vote_end": int(view["vote_end"]),
        "eta": int(view["eta"]) or None,
        "execution_deadline": int(view["execution_deadline"]),
        "votes": {
            "for": int(view["votes_for"]),
            "against": int(view["votes_against"]),
            "abstain": int(view["votes_abstain"]),
        },
        "members_at_snapshot": int(view["quorum_base"]),
        "quorum": int(view["quorum_votes"]),
        "approval_needed": f"more For than Against{threshold}",
        "settings_version": int(view["settings_version"]),
        "actions": [{"target": t, "value": v, "data": "0x" + d.hex()} for t, v, d in actions],
        "value": sum(v for _, v, _ in actions),
        "explained": describe_actions(s, c, actions) if explained is None else explained,
        "block": created["block"] if created else None,
        "tx": created["tx"] if created else None,
    }


def created_log(s: Session, c: Collective, pid: int) -> dict | None:
    found = history(s, c).by_key(s.chain_id, c.source, "ProposalCreated", pid)
    return found[0] if found else None


def proposal(s: Session, c: Collective, pid: int) -> dict:
    """Everything about one proposal: a few reads, its event by id (no rescan)."""
    _check_id(pid, count(s, c), c)
    view = views(s, c, [pid])[0]
    return _row(s, c, pid, view, created_log(s, c, pid))


def proposals(s: Session, c: Collective, open_only: bool = False) -> list[dict]:
    store = history(s, c)
    created = {
        int(log["args"]["proposal_id"]): log for log in store.logs(s.chain_id, c.source, names=("ProposalCreated",))
    }
    pids = sorted(created)
    if open_only:
        ended = {
            int(log["args"]["proposal_id"])
            for log in store.logs(s.chain_id, c.source, names=("ProposalExecuted", "ProposalCanceled"))
        }
        pids = [p for p in pids if p not in ended]
    rows = [_row(s, c, p, v, created[p]) for p, v in zip(pids, views(s, c, pids))]
    if open_only:
        rows = [r for r in rows if r["state"] in LIVE]
    return rows


def votes(s: Session, c: Collective, pid: int) -> list[dict]:
    """Who voted on `pid`, how, and why (from VoteCast / VoteReason events), in order."""
    from .ballot import SUPPORT_NAMES

    _check_id(pid, count(s, c), c)
    store = history(s, c)
    reasons = {
        (log["tx"], log["args"]["voter"]): log["args"]["reason"]
        for log in store.by_key(s.chain_id, c.source, "VoteReason", pid)
    }
    cast = store.by_key(s.chain_id, c.source, "VoteCast", pid)
    times = block_times(s, {log["block"] for log in cast})
    return [
        {
            "voter": log["args"]["voter"],
            "support": SUPPORT_NAMES[int(log["args"]["support"])],
            "reason": reasons.get((log["tx"], log["args"]["voter"]), ""),
            "block": log["block"],
            "time": times.get(log["block"]),
            "tx": log["tx"],
        }
        for log in cast
    ]


def block_times(s: Session, numbers: set[int]) -> dict[int, int]:
    """Timestamps of blocks (from the log store's cache, the rest in one batch)."""
    from .registry import log_store

    store = log_store()
    known = store.timestamps(s.chain_id, numbers)
    todo = sorted(numbers - set(known))
    if todo:
        for number, block in zip(todo, s.rpc.batch([("eth_getBlockByNumber", [hex(n), False]) for n in todo])):
            known[number] = int(block["timestamp"], 16)
            store.store_block(s.chain_id, number, block["hash"], known[number])
    return known


# ---- building actions -----------------------------------------------------------------------------------
def spend(s: Session, c: Collective, to: str, amount_text: str, asset_text: str) -> tuple:
    asset = assets.parse_asset(asset_text)
    amount = assets.to_units(s, amount_text, asset, what="--amount")
    recipient = s.address(to, "--to")
    if int(recipient, 16) == 0:
        raise IwoError("--to is the zero address: the payment could never be made")
    available = int(s.call(c.treasury, "available", asset))
    if amount > available:
        raise IwoError(f"the treasury has only {assets.fmt(s, available, asset)} available (outside the aid pool)")
    return (c.treasury.address, 0, c.treasury.encode("pay", asset, recipient, amount))


def pool_move(s: Session, c: Collective, amount_text: str, asset_text: str, into_pool: bool) -> tuple:
    """`fund_pool` (free balance -> pool) or `unfund_pool` (pool -> free balance)."""
    asset = assets.parse_asset(asset_text)
    amount = assets.to_units(s, amount_text, asset, what="amount")
    free, pool = s.calls([(c.treasury, "available", (asset,)), (c.treasury, "pool", (asset,))])
    if into_pool and amount > int(free):
        raise IwoError(f"the treasury has only {assets.fmt(s, int(free), asset)} free to move into the pool")
    if not into_pool and amount > int(pool):
        raise IwoError(f"the pool holds only {assets.fmt(s, int(pool), asset)}")
    method = "fund_pool" if into_pool else "unfund_pool"
    return (c.treasury.address, 0, c.treasury.encode(method, asset, amount))


def admit(s: Session, c: Collective, member: str) -> tuple:
    who = s.address(member, "member")
    if int(who, 16) == 0:
        raise IwoError("the zero address cannot be a member")
    if s.call(c.governor, "is_member", who):
        raise IwoError(f"{who} is already a member")
    return (c.governor.address, 0, c.governor.encode("admit_member", who))


def revoke(s: Session, c: Collective, member: str) -> tuple:
    who = s.address(member, "member")
    if not s.call(c.governor, "is_member", who):
        raise IwoError(f"{who} is not a member")
    return (c.governor.address, 0, c.governor.encode("revoke_member", who))


def settings_change(s: Session, c: Collective, changes: dict) -> tuple:
    current = Settings.from_struct(s.call(c.governor, "settings"))
    new = current.replace(**changes)
    return new, (c.governor.address, 0, c.governor.encode("update_settings", new.as_tuple()))


def dues_change(s: Session, c: Collective, amount_text: str, asset_text: str, period: int) -> tuple:
    asset = assets.parse_asset(asset_text)
    amount = assets.to_units(s, amount_text, asset, what="--amount")
    return (c.treasury.address, 0, c.treasury.encode("set_dues", asset, amount, period))


def call(s: Session, target: str, signature: str, args: list[str], value: int = 0) -> tuple:
    """A raw call from a text signature like 'transfer(address,uint256)' and string arguments."""
    from eth_abi import encode

    to = s.address(target, "target")
    signature = signature.replace(" ", "")
    if "(" not in signature or not signature.endswith(")") or not signature.isascii():
        raise IwoError(f"not a function signature: {signature!r} (e.g. 'transfer(address,uint256)')")
    types = [t for t in signature[signature.index("(") + 1 : -1].split(",") if t]
    if len(types) != len(args):
        raise IwoError(f"{signature} takes {len(types)} arguments, {len(args)} given")
    values = [_coerce(s, t, a) for t, a in zip(types, args)]
    try:
        data = selector(signature) + encode(types, values)
    except Exception as exc:
        raise IwoError(f"cannot encode arguments for {signature}: {exc}") from None
    return (to, value, data)


def _coerce(s: Session, abi_type: str, text: str):
    from .units import parse_int

    try:
        if abi_type.startswith("uint"):
            return parse_int(text, f"{abi_type} argument")
        if abi_type.startswith("int"):
            negative = text.strip().startswith("-")
            value = parse_int(text.strip().removeprefix("-"), f"{abi_type} argument")
            return -value if negative else value
        if abi_type == "address":
            return s.address(text, "argument")
        if abi_type == "bool":
            if text.lower() not in ("true", "false"):
                raise ValueError("use true or false")
            return text.lower() == "true"
        if abi_type.startswith("bytes"):
            return bytes.fromhex(text.removeprefix("0x"))
        if abi_type == "string":
            return text
    except ValueError as exc:
        raise IwoError(f"bad {abi_type} argument {text!r}: {exc}") from None
    raise IwoError(f"argument type {abi_type} is not supported by `iwo propose call`")


def check_actions(s: Session, c: Collective, actions: list[tuple]) -> None:
    """Runs each action as the governor would at execution (an eth_call from its address) and
    refuses, with the reason, an action that would fail."""
    if not actions:
        return
    requests = []
    governor_code = _governor_code(s, c, actions)
    for target, value, data in actions:
        override = {c.governor.address: {"balance": hex(2**128)}}
        if target == c.treasury.address:
            override[c.governor.address]["code"] = _EXECUTING_STUB
        elif governor_code is not None and target == c.aid.address:
            override |= _executing_governor(c, governor_code)
        query = {"from": c.governor.address, "to": target, "data": "0x" + data.hex(), "value": hex(value)}
        requests.append(("eth_call", [query, "latest", override]))
    for i, result in enumerate(s.rpc.batch(requests, errors=True), 1):
        if isinstance(result, RpcError):
            reason = tx.reason_of(result)
            if reason is None:
                if result.code == -32602:  # this node takes no state overrides: the contract checks at execution
                    s.notice("note: this node cannot simulate the actions; they are checked when executed")
                    return
                raise result
            which = f"action {i}" if len(actions) > 1 else "its action"
            raise IwoError(f"refused, nothing sent: {which} would fail when executed: {reason}")


# The aid contract asks the governor more than `executing_proposal()` while an action runs (who is
# a member, the treasury, ...): its actions are simulated with the governor's own code moved to
# _GOVERNOR_CODE_AT and, in its place, a stub answering `executing_proposal()` with 1 and
# delegating every other call to that code (so the governor's storage answers as it is).
_GOVERNOR_CODE_AT = "0x" + "10" * 19 + "01"


def _governor_code(s: Session, c: Collective, actions: list[tuple]) -> str | None:
    """The governor's runtime code, when an action targets the aid contract (else None, no read)."""
    if c.aid is None or not any(target == c.aid.address for target, _, _ in actions):
        return None
    return s.rpc.call("eth_getCode", [c.governor.address, "latest"])


def _executing_governor(c: Collective, code: str) -> dict:
    """State overrides putting the stub (see above) at the governor's address."""
    selector_hex = selector("executing_proposal()").hex()
    stub = (
        "60003560e01c"  # selector = calldataload(0) >> 224
        + "63"
        + selector_hex
        + "14604557"  # == executing_proposal() ? jump to 0x45
        + "3660006000376000600036600073"
        + _GOVERNOR_CODE_AT[2:]  # copy calldata; delegatecall(gas, code, ...)
        + "5af43d600060003e604057"  # copy the return data; success ? jump to 0x40
        + "3d6000fd5b3d6000f3"  # revert with it | 0x40: return it
        + "5b600160005260206000f3"  # 0x45: return uint256(1)
    )
    return {c.governor.address: {"balance": hex(2**128), "code": "0x" + stub}, _GOVERNOR_CODE_AT: {"code": code}}


# ---- life of a proposal -------------------------------------------------------------------------------------
def propose(s: Session, c: Collective, actions: list[tuple], description: str) -> dict:
    me = s.require_signer().address
    if not description.strip():
        raise IwoError("a proposal needs a description (-m)")
    check_text(description, MAX_DESCRIPTION, "description")
    if len(actions) > MAX_ACTIONS:
        raise IwoError(f"at most {MAX_ACTIONS} actions per proposal")
    for i, (_, _, data) in enumerate(actions, 1):
        if len(data) > MAX_CALLDATA:
            raise IwoError(f"action {i} has {len(data)} bytes of calldata, at most {MAX_CALLDATA}")
    is_member, good = s.calls([(c.governor, "is_member", (me,)), (c.governor, "in_good_standing", (me,))])
    if not is_member:
        raise IwoError(f"{me} is not a member of {c.alias}")
    if not good:
        raise IwoError(f"{me} is behind on dues: pay with `iwo dues pay` first")
    check_actions(s, c, actions)
    receipt = s.transact(c.governor, "propose", [(t, v, d) for t, v, d in actions], description)
    pid = int(receipt.event(c.governor, "ProposalCreated").proposal_id)
    view = views(s, c, [pid])[0]
    created = {
        "args": {
            "proposer": me,
            "description": description,
            "actions": [{"target": t, "value": v, "data": "0x" + d.hex()} for t, v, d in actions],
        },
        "block": receipt.block_number,
        "tx": receipt.tx_hash,
    }
    return _row(s, c, pid, view, created)


def queue(s: Session, c: Collective, pid: int) -> dict:
    _check_id(pid, count(s, c), c)
    view = views(s, c, [pid])[0]
    state = state_name(view["state"])
    if state != "Succeeded":
        raise IwoError(f"proposal #{pid} is {state}; only a Succeeded proposal can be queued")
    receipt = s.transact(c.governor, "queue", pid)
    event = receipt.event(c.governor, "ProposalQueued")
    view = views(s, c, [pid])[0]
    return {
        "proposal": pid,
        "eta": int(event.eta),
        "execution_deadline": int(view["execution_deadline"]),
        "tx": receipt.tx_hash,
    }


def execute(s: Session, c: Collective, pid: int, pay_value: bool = False) -> dict:
    info = proposal(s, c, pid)
    if info["state"] != "Queued":
        raise IwoError(f"proposal #{pid} is {info['state']}; only a Queued proposal can be executed")
    now = s.now()
    if info["eta"] > now:
        raise IwoError(f"proposal #{pid} is in its timelock for {format_duration(info['eta'] - now)} more")
    actions = _actions({"actions": info["actions"]})
    value = info["value"]
    if value and not pay_value:
        raise IwoError(
            f"proposal #{pid} sends {assets.fmt(s, value, ETH)} with its actions, paid by the account that "
            f"executes it ({s.require_signer().address}): re-run with --pay-value to pay it"
        )
    receipt = s.transact(c.governor, "execute", pid, actions, value=value)
    return {
        "proposal": pid,
        "tx": receipt.tx_hash,
        "done": info["explained"],
        "paid_value": value,
        "paid_value_text": assets.fmt(s, value, ETH) if value else None,
        "executor": s.require_signer().address,
    }


def cancel(s: Session, c: Collective, pid: int) -> dict:
    _check_id(pid, count(s, c), c)
    state = state_name(views(s, c, [pid])[0]["state"])
    if state != "Pending":
        raise IwoError(f"proposal #{pid} is {state}; only a Pending proposal can be canceled")
    receipt = s.transact(c.governor, "cancel", pid)
    return {"proposal": pid, "tx": receipt.tx_hash}

"""Members of a collective: who holds a card, since when, their dues standing; resigning."""

from __future__ import annotations

from .errors import IwoError
from .registry import Collective, history
from .session import Session


def member_view(raw) -> dict:
    """The governor's `member(account)` as a dict, whatever the contract version returns
    (a `MemberView` struct, or the older 5-tuple)."""
    if isinstance(raw, dict):
        return dict(raw)
    is_member, index, joined, left, paid = raw
    return {"is_member": is_member, "index": index, "joined": joined, "left": left, "paid_through": paid}


def standing(view: dict, now: int, grace: int) -> str:
    if not view["is_member"]:
        return "former member"
    if view["paid_through"] >= now:
        return "paid up"
    if view["paid_through"] + grace >= now:
        return "in grace"
    return "lapsed"


def row(address: str, view: dict, now: int, grace: int, period: int) -> dict:
    state = standing(view, now, grace)
    paid = int(view["paid_through"])
    owes = 0 if paid + grace >= now or not view["is_member"] else -(-(now - paid) // period)
    return {
        "address": address,
        "member": bool(view["is_member"]),
        "index": int(view["index"]),
        "joined": int(view["joined"]),
        "left": int(view["left"]) or None,
        "paid_through": paid,
        "standing": state,
        "good_standing": state in ("paid up", "in grace"),
        "owes_periods": owes,
    }


def addresses(s: Session, c: Collective) -> list[str]:
    """Everyone ever admitted, in roll order (from the MemberAdmitted events)."""
    store = history(s, c)
    seen: dict[str, int] = {}
    for log in store.logs(s.chain_id, c.source, names=("MemberAdmitted",)):
        seen.setdefault(log["args"]["member"], int(log["args"]["index"]))
    return [a for a, _ in sorted(seen.items(), key=lambda kv: kv[1])]


def members(s: Session, c: Collective, include_former: bool = False, only: list[str] | None = None) -> list[dict]:
    """Rows of members (or of `only`), with standing; one batch of reads."""
    who = only if only is not None else addresses(s, c)
    results = s.calls(
        [(c.governor, "settings", ()), (c.treasury, "dues_period", ())] + [(c.governor, "member", (a,)) for a in who]
    )
    grace, period = int(results[0]["dues_grace"]), int(results[1])
    now = s.now()
    rows = []
    for address, raw in zip(who, results[2:]):
        view = member_view(raw)
        if int(view["joined"]) == 0:
            raise IwoError(f"{address} has never been a member of {c.alias}")
        rows.append(row(address, view, now, grace, period))
    return [r for r in rows if r["member"] or include_former or only is not None]


def member(s: Session, c: Collective, address: str) -> dict:
    return members(s, c, only=[address])[0]


def resign(s: Session, c: Collective) -> dict:
    me = s.require_signer().address
    if not s.call(c.governor, "is_member", me):
        raise IwoError(f"{me} is not a member of {c.alias}")
    receipt = s.transact(c.governor, "resign")
    left = receipt.event(c.governor, "MemberLeft")
    return {"resigned": me, "tx": receipt.tx_hash, "members": int(left.member_count)}

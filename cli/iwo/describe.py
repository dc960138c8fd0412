"""Proposal actions in words, so a member sees what a proposal really does before voting.

The same words appear in `iwo propose`, `iwo proposals show`, `iwo execute` and the page.
"""

from __future__ import annotations

from . import assets
from .collective import Settings
from .contracts import ETH
from .registry import Collective
from .session import Session
from .units import format_duration


def describe_actions(s: Session, c: Collective, actions: list[tuple]) -> list[str]:
    """One line per (target, value, calldata) action."""
    if not actions:
        return ["signal only: no action, the decision is the text"]
    decoded = [_decode(c, target, data) for target, _, data in actions]
    names = {d[1] for d in decoded if d}
    context: dict = {}
    reads = []
    if "update_settings" in names:
        reads.append((c.governor, "settings", ()))
    if "set_dues" in names:
        reads.append((c.treasury, "dues_terms", ()))
    for (_, method, _), value in zip(reads, s.calls(reads)):
        context[method] = value
    context |= _aid_context(s, c, decoded)
    wanted = {ETH} | {d[2][0] for d in decoded if d and d[1] in ("pay", "fund_pool", "unfund_pool", "set_dues")}
    if "set_dues" in names:
        wanted.add(context["dues_terms"][0])
    try:
        assets.infos(s, sorted(wanted))
    except Exception:
        pass  # a non-token asset is described by its address below
    return [_line(s, c, action, d, context) for action, d in zip(actions, decoded)]


def _fmt(s: Session, value: int, asset: str) -> str:
    try:
        return assets.fmt(s, value, asset)
    except Exception:
        return f"{value} units of token {asset}"


def _decode(c: Collective, target: str, data: bytes):
    for contract in (c.treasury, c.governor, c.card, c.aid, c.escrow, _board(c)):
        if contract is not None and target == contract.address:
            found = contract.decode_input(data)
            return (contract, *found) if found else None
    return None


def _board(c: Collective):
    from . import home
    from .contracts import Contract

    address = home.deployment(c.chain_id).get("rates")
    return Contract("IwoRates", address) if address else None


def _line(s: Session, c: Collective, action: tuple, decoded, context: dict) -> str:
    target, value, data = action
    prefix = f"send {_fmt(s, value, ETH)} with: " if value else ""
    if decoded:
        contract, name, args = decoded
        escrow_line = _escrow_line(name, args) if contract is c.escrow else None
        if escrow_line:
            return prefix + escrow_line
        if contract is c.treasury:
            if name == "pay":
                return prefix + f"pay {_fmt(s, args[2], args[0])} from the treasury to {args[1]}"
            if name == "fund_pool":
                return prefix + f"move {_fmt(s, args[1], args[0])} of the free balance into the mutual-aid pool"
            if name == "unfund_pool":
                return prefix + f"move {_fmt(s, args[1], args[0])} from the mutual-aid pool back to the free balance"
            if name == "set_pool_share":
                return prefix + f"send {args[0] / 100:g}% of every dues payment to the mutual-aid pool"
            if name == "set_dues":
                old = context["dues_terms"]
                return prefix + (
                    f"change dues from {_fmt(s, old[1], old[0])} per {format_duration(old[2])} "
                    f"to {_fmt(s, args[1], args[0])} per {format_duration(args[2])} (constitutional)"
                )
        elif contract is c.governor:
            if name == "admit_member":
                return prefix + f"admit {args[0]} as a member (issue a card)"
            if name == "revoke_member":
                return prefix + f"revoke the membership of {args[0]} (constitutional)"
            if name == "update_settings":
                new = Settings.from_struct(args[0])
                old = Settings.from_struct(context["settings"])
                changes = [
                    _setting_change(k, getattr(old, k), getattr(new, k))
                    for k in old.__dataclass_fields__
                    if getattr(old, k) != getattr(new, k)
                ]
                return prefix + "change settings: " + ("; ".join(changes) or "no change") + " (constitutional)"
        elif contract is c.card and name == "set_base_uri":
            return prefix + f"set the card metadata base URI to {args[0]!r} (constitutional)"
        elif contract.name == "IwoRates" and name == "set_category":
            from .rates import from_bytes32

            verb = "take" if args[1] else "stop taking"
            return prefix + f"{verb} members' asks in category {from_bytes32(args[0])!r} on the rate board"
        elif contract.name == "IwoRates" and name == "set_asset_cap":
            if not args[1]:
                return prefix + f"take no asks in {_fmt(s, 0, args[0]).split()[-1]} on the rate board"
            return prefix + f"take asks up to {_fmt(s, args[1], args[0])} per unit on the rate board"
        elif contract is c.aid:
            line = _aid_line(s, c, name, args, context)
            if line is not None:
                return prefix + line
        return prefix + f"call {name}({', '.join(map(str, args))}) on {target}"
    if not data:
        return f"send {_fmt(s, value, ETH)} to {target}"
    return prefix + f"call {target} with function 0x{data[:4].hex()} and {max(len(data) - 4, 0)} bytes of arguments"


def _setting_change(name: str, old: int, new: int) -> str:
    label = name.replace("_", " ")
    if name.endswith("bps"):
        return f"{label.removesuffix(' bps')} {old / 100:g}% -> {new / 100:g}%"
    return f"{label} {format_duration(old)} -> {format_duration(new)}"


def _escrow_line(name: str, args: list) -> str | None:
    """An action on the collective's work escrow, in words."""
    if name == "rule_on_appeal":
        job_id, _terms, index, split = args
        return (
            f"rule on the appeal of milestone {index + 1} of escrow job #{job_id}: "
            f"{split / 100:g}% of it to the worker, the rest to the client"
        )
    if name == "set_settings":
        new = args[0]
        return (
            f"change the escrow's terms for new jobs: fee {new['fee_bps'] / 100:g}%, dispute fee "
            f"{new['dispute_fee_bps'] / 100:g}%, {new['default_split'] / 100:g}% to the worker without a ruling, "
            f"panels of {new['panel_size']}, review window {format_duration(new['review_window'])}, commit "
            f"{format_duration(new['commit_period'])}, reveal {format_duration(new['reveal_period'])}, appeal "
            f"window {format_duration(new['appeal_window'])}, appeal period {format_duration(new['appeal_period'])}"
        )
    return None


# ---- mutual aid (the aid contract's vote-only functions) -----------------------------------------------
def _aid_context(s: Session, c: Collective, decoded: list) -> dict:
    """What the aid lines need (the aid asset; the terms in force for a terms change), read once."""
    if c.aid is None or not any(d and d[0] is c.aid for d in decoded):
        return {}
    from .aid import describe_context

    return describe_context(s, c)


def _aid_line(s: Session, c: Collective, name: str, args: list, context: dict) -> str | None:
    from .aid import describe

    return describe(s, c, name, args, context)

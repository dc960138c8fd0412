"""Proposal actions in words, so a member sees what a proposal really does before voting."""

from __future__ import annotations

from .collective import Settings
from .units import format_duration


def _fmt(value: int, asset: str) -> str:
    from .ops import fmt_amount

    try:
        return fmt_amount(value, asset)
    except Exception:
        return f"{value} units of token {asset}"


def _decode(contract, data: bytes):
    """(method name, arguments) if `data` calls a known method of `contract`, else None."""
    try:
        signature, args = contract.decode_input(data)
    except Exception:
        return None
    return signature.split("(")[0], list(args.values())


def describe_action(c, target: str, value: int, data: bytes) -> str:
    gov, treasury, card = c.governor, c.treasury, c.card
    prefix = f"send {_fmt(value, '0x' + '0' * 40)} with: " if value else ""
    decoded = None
    if target == treasury.address:
        decoded = _decode(treasury, data)
        if decoded:
            name, args = decoded
            if name == "pay":
                return prefix + f"pay {_fmt(args[2], args[0])} from the treasury to {args[1]}"
            if name == "grant":
                return prefix + f"grant {args[1]} a benefit of {_fmt(args[2], args[0])} (they claim it)"
            if name == "set_dues":
                old = treasury.dues_terms()
                return prefix + (
                    f"change dues from {_fmt(old[1], old[0])} per {format_duration(old[2])} "
                    f"to {_fmt(args[1], args[0])} per {format_duration(args[2])} (constitutional)"
                )
    elif target == gov.address:
        decoded = _decode(gov, data)
        if decoded:
            name, args = decoded
            if name == "admit_member":
                return prefix + f"admit {args[0]} as a member (issue a card)"
            if name == "revoke_member":
                return prefix + f"revoke the membership of {args[0]} (constitutional)"
            if name == "update_settings":
                new = Settings.from_struct(args[0])
                old = Settings.from_struct(gov.settings())
                changes = [
                    _setting_change(k, getattr(old, k), getattr(new, k))
                    for k in old.__dataclass_fields__
                    if getattr(old, k) != getattr(new, k)
                ]
                return prefix + "change settings: " + ("; ".join(changes) or "no change") + " (constitutional)"
    elif target == card.address:
        decoded = _decode(card, data)
        if decoded and decoded[0] == "set_base_uri":
            return prefix + f"set the card metadata base URI to {decoded[1][0]!r} (constitutional)"
    if decoded:
        name, args = decoded
        return prefix + f"call {name}({', '.join(map(str, args))}) on {target}"
    if not data:
        return f"send {_fmt(value, '0x' + '0' * 40)} to {target}"
    return prefix + f"call {target} with function 0x{data[:4].hex()} and {max(len(data) - 4, 0)} bytes of arguments"


def _setting_change(name: str, old: int, new: int) -> str:
    label = name.replace("_", " ")
    if name.endswith("bps"):
        return f"{label.removesuffix(' bps')} {old / 100:g}% -> {new / 100:g}%"
    return f"{label} {format_duration(old)} -> {format_duration(new)}"


def describe_actions(c, actions) -> list[str]:
    if not actions:
        return ["signal only: no action, the decision is the text"]
    return [describe_action(c, t, v, d) for t, v, d in actions]

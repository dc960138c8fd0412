"""Parsing of human units: durations ("30d", "7d12h"), percentages ("25%"), amounts."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext

_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION_RE = re.compile(r"(\d+)([smhdw])")


def parse_duration(text: str | int) -> int:
    """'30d' -> 2592000; '1w2d' -> 777600; '90' (plain seconds) -> 90."""
    if isinstance(text, int):
        if text < 0:
            raise ValueError("duration cannot be negative")
        return text
    s = str(text).strip().lower()
    if s.isdigit():
        return int(s)
    parts = _DURATION_RE.findall(s)
    if not parts or "".join(n + u for n, u in parts) != s:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30d, 12h, 1w2d, or seconds)")
    return sum(int(n) * _DURATION_UNITS[u] for n, u in parts)


def format_duration(seconds: int) -> str:
    """2592000 -> '30d'; 90061 -> '1d1h1m1s'; 0 -> '0s'."""
    if seconds == 0:
        return "0s"
    out = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        n, seconds = divmod(seconds, size)
        if n:
            out.append(f"{n}{unit}")
    return "".join(out)


def parse_bps(text: str | int) -> int:
    """'25%' -> 2500 basis points; '66.67%' -> 6667; '2500bps' -> 2500."""
    s = str(text).strip().lower()
    bad = ValueError(f"not a percentage: {text!r} (use e.g. 25% or 2500bps)")
    if s.endswith("bps"):
        if not re.fullmatch(r"[+-]?\d+", s[:-3]):
            raise bad
        value = int(s[:-3])
    elif s.endswith("%"):
        try:
            number = Decimal(s[:-1])
        except InvalidOperation:
            raise bad from None
        if not number.is_finite():
            raise bad
        scaled = number * 100
        if scaled != scaled.to_integral_value():
            raise ValueError(f"too many decimals in {text!r} (0.01% is the smallest step)")
        value = int(scaled)
    else:
        raise bad
    if not 0 <= value <= 10000:
        raise ValueError(f"percentage out of range: {text!r}")
    return value


def parse_amount(text: str, decimals: int) -> int:
    """'1.5' with 18 decimals -> 1500000000000000000; refuses negatives and excess decimals."""
    with localcontext() as ctx:
        ctx.prec = 200  # exact for any uint256 amount
        try:
            value = Decimal(str(text).strip())
        except InvalidOperation:
            raise ValueError(f"not an amount: {text!r}") from None
        if not value.is_finite() or value < 0:
            raise ValueError(f"amount must be a non-negative number: {text!r}")
        scaled = value.scaleb(decimals)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{text!r} has more than {decimals} decimals")
        return int(scaled)


def format_amount(value: int, decimals: int) -> str:
    """1500000000000000000 with 18 decimals -> '1.5'."""
    with localcontext() as ctx:
        ctx.prec = 200  # exact for any uint256 amount
        return format(Decimal(value).scaleb(-decimals).normalize(), "f")

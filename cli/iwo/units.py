"""Parsing of human units: durations ("30d", "7d12h"), percentages ("25%"), amounts, ids.

Only ASCII digits are numbers here: Python's int() and Decimal() also take other
scripts' digits ("٣", "１") and separators ("1_0"), which must never move money.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext

_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION_RE = re.compile(r"([0-9]+)([smhdw])", re.ASCII)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?|\.[0-9]+", re.ASCII)
MAX_ID = 2**256 - 1


def parse_int(text: str | int, what: str = "number") -> int:
    """A whole number written in ASCII digits only ('12'; not '1_2', '١٢' or '+12')."""
    if isinstance(text, int) and not isinstance(text, bool):
        if text < 0:
            raise ValueError(f"{what} cannot be negative")
        return text
    s = str(text).strip()
    if not _DIGITS.fullmatch(s):
        raise ValueError(f"not a {what}: {text!r} (digits 0-9 only)")
    value = int(s)
    if value > MAX_ID:
        raise ValueError(f"{what} too large: {text!r}")
    return value


def parse_duration(text: str | int) -> int:
    """'30d' -> 2592000; '1w2d' -> 777600; '90' (plain seconds) -> 90."""
    if isinstance(text, int):
        if text < 0:
            raise ValueError("duration cannot be negative")
        return text
    s = str(text).strip().lower()
    if _DIGITS.fullmatch(s):
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
        if not _DIGITS.fullmatch(s[:-3]):
            raise bad
        value = int(s[:-3])
    elif s.endswith("%"):
        digits = s[:-1].strip()
        if not _DECIMAL.fullmatch(digits):
            raise bad
        try:
            number = Decimal(digits)
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


def check_amount_text(text: str) -> str:
    """`text` if it has the form of an amount (ASCII digits and one '.'), else ValueError."""
    s = str(text).strip()
    if s.startswith("-") and _DECIMAL.fullmatch(s[1:]):
        raise ValueError(f"amount must be a non-negative number: {text!r}")
    if not _DECIMAL.fullmatch(s):
        raise ValueError(f"not an amount: {text!r} (digits 0-9 and one '.', e.g. 0.5)")
    return s


def parse_amount(text: str, decimals: int) -> int:
    """'1.5' with 18 decimals -> 1500000000000000000; refuses negatives and excess decimals."""
    s = check_amount_text(text)
    with localcontext() as ctx:
        ctx.prec = 200  # exact for any uint256 amount
        try:
            value = Decimal(s)
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


def format_time(ts: int | None, now: int | None = None) -> str:
    """A chain time as a UTC date ('2026-12-08 14:00 UTC'), with 'in 2d' / '3h ago' beside it
    when `now` is given; '-' for none."""
    from datetime import UTC, datetime

    if not ts:
        return "-"
    text = datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")
    if now is not None:
        delta = ts - now
        text += f" (in {format_duration(delta)})" if delta > 0 else f" ({format_duration(-delta)} ago)"
    return text

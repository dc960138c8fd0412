"""Assets a collective handles: ETH (the zero address) or an ERC-20, and their amounts in words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .contracts import ETH, Contract, is_eth, parse_address
from .errors import IwoError
from .units import format_amount, parse_amount

if TYPE_CHECKING:
    from .session import Session

MAX_AMOUNT = 2**255  # no amount a user types is larger

_INFO: dict[tuple[int, str], tuple[str, int]] = {}


def parse_asset(text: str) -> str:
    """'ETH' -> the zero address; otherwise a token address."""
    if str(text).strip().upper() == "ETH":
        return ETH
    return parse_address(text, "token")


def token(address: str) -> Contract:
    return Contract("ERC20", address)


def info(s: Session, asset: str) -> tuple[str, int]:
    """(symbol, decimals) of ETH or an ERC-20 (read once per chain and token)."""
    if is_eth(asset):
        return "ETH", 18
    return infos(s, [asset])[asset]


def infos(s: Session, assets: list[str]) -> dict[str, tuple[str, int]]:
    """(symbol, decimals) of several assets, the unknown ones read in one batch."""
    out = {a: ("ETH", 18) for a in assets if is_eth(a)}
    todo = [a for a in assets if not is_eth(a) and (s.chain_id, a) not in _INFO]
    if todo:
        requests = []
        for a in todo:
            requests += [(token(a), "symbol", ()), (token(a), "decimals", ())]
        results = s.calls(requests, errors=True)
        for i, a in enumerate(todo):
            symbol, decimals = results[2 * i], results[2 * i + 1]
            if isinstance(symbol, Exception) or isinstance(decimals, Exception):
                raise IwoError(f"{a} does not look like an ERC-20 token (no symbol/decimals)")
            _INFO[(s.chain_id, a)] = (str(symbol), int(decimals))
    for a in assets:
        if not is_eth(a):
            out[a] = _INFO[(s.chain_id, a)]
    return out


def fmt(s: Session, value: int, asset: str) -> str:
    """'1.5 ETH', '20 USDX'."""
    symbol, decimals = info(s, asset)
    return f"{format_amount(value, decimals)} {symbol}"


def to_units(s: Session, text: str, asset: str, allow_zero: bool = False, what: str = "amount") -> int:
    """A typed amount in the asset's smallest unit (ASCII decimals, at most its decimals)."""
    _, decimals = info(s, asset)
    try:
        value = parse_amount(text, decimals)
    except ValueError as exc:
        raise IwoError(f"{what}: {exc}") from None
    if value == 0 and not allow_zero:
        raise IwoError(f"{what} must be more than zero (got {text!r})")
    if value >= MAX_AMOUNT:
        raise IwoError(f"{what} {text!r} is absurdly large")
    return value


def approve(s: Session, asset: str, spender: str, amount: int) -> None:
    """Approves `spender` for `amount` of a token unless the allowance already covers it."""
    owner = s.require_signer().address
    balance, allowance = s.calls([(token(asset), "balanceOf", (owner,)), (token(asset), "allowance", (owner, spender))])
    if int(balance) < amount:
        raise IwoError(f"{owner} holds less than {fmt(s, amount, asset)}")
    if int(allowance) < amount:
        s.transact(token(asset), "approve", spender, amount)

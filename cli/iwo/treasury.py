"""Money in the treasury: dues terms and payments, donations, balances (free and the mutual-aid pool)."""

from __future__ import annotations

from . import assets
from .contracts import ETH, is_eth
from .errors import IwoError
from .limits import MAX_MEMO, MAX_PERIODS, check_text
from .registry import Collective, history
from .session import Session
from .units import format_duration


def dues_terms(s: Session, c: Collective) -> dict:
    asset, amount, period = s.call(c.treasury, "dues_terms")
    grace = s.call(c.governor, "settings")["dues_grace"]
    return terms_dict(s, asset, amount, period, grace)


def terms_dict(s: Session, asset: str, amount: int, period: int, grace: int) -> dict:
    return {
        "asset": asset,
        "amount": int(amount),
        "amount_text": assets.fmt(s, int(amount), asset),
        "period": int(period),
        "period_text": format_duration(int(period)),
        "grace": int(grace),
        "grace_text": format_duration(int(grace)),
    }


def pay_dues(s: Session, c: Collective, member: str | None, periods: int) -> dict:
    payer = s.require_signer().address
    who = s.address(member, "member") if member else payer
    if not 1 <= periods <= MAX_PERIODS:
        raise IwoError(f"--periods must be 1 to {MAX_PERIODS}")
    is_member, (asset, amount, _period) = s.calls([(c.governor, "is_member", (who,)), (c.treasury, "dues_terms", ())])
    if not is_member:
        raise IwoError(f"{who} is not a member of {c.alias}")
    total = int(amount) * periods
    if is_eth(asset):
        receipt = s.transact(c.treasury, "pay_dues", who, periods, value=total)
    else:
        assets.approve(s, asset, c.treasury.address, total)
        receipt = s.transact(c.treasury, "pay_dues", who, periods)
    event = receipt.event(c.treasury, "DuesPaid")
    return {
        "member": who,
        "payer": payer,
        "periods": periods,
        "amount": total,
        "amount_text": assets.fmt(s, total, asset),
        "paid_through": int(event.paid_through),
        "tx": receipt.tx_hash,
    }


def donate(s: Session, c: Collective, asset_text: str, amount_text: str, memo: str, to_pool: bool = False) -> dict:
    """A gift to the treasury; `to_pool` earmarks it for the mutual-aid pool."""
    asset = assets.parse_asset(asset_text)
    check_text(memo, MAX_MEMO, "--memo")
    amount = assets.to_units(s, amount_text, asset)
    if is_eth(asset):
        receipt = s.transact(c.treasury, "donate", asset, amount, memo, to_pool, value=amount)
    else:
        assets.approve(s, asset, c.treasury.address, amount)
        receipt = s.transact(c.treasury, "donate", asset, amount, memo, to_pool)
    event = receipt.event(c.treasury, "DonationReceived")
    return {
        "donor": s.require_signer().address,
        "asset": asset,
        "amount": amount,
        "amount_text": assets.fmt(s, amount, asset),
        "balance": int(event.balance),
        "balance_text": assets.fmt(s, int(event.balance), asset),
        "to_pool": int(event.to_pool),
        "pool": int(event.pool),
        "pool_text": assets.fmt(s, int(event.pool), asset),
        "tx": receipt.tx_hash,
    }


def treasury_assets(s: Session, c: Collective, dues_asset: str) -> list[str]:
    """ETH, the dues asset and every token the treasury's events name."""
    found = [ETH]
    if dues_asset not in found:
        found.append(dues_asset)
    store = history(s, c)
    for token in sorted(store.assets(s.chain_id, c.source, s.block_number())):
        if token not in found:
            found.append(token)
    return found


def balances(s: Session, c: Collective, dues_asset: str) -> list[dict]:
    held = treasury_assets(s, c, dues_asset)
    infos = assets.infos(s, held)
    reads = s.calls([(c.treasury, m, (a,)) for a in held for m in ("balance_of", "pool")])
    rows = []
    for i, asset in enumerate(held):
        balance, pool = int(reads[2 * i]), int(reads[2 * i + 1])
        free = max(balance - pool, 0)
        rows.append(
            {
                "asset": asset,
                "symbol": infos[asset][0],
                "balance": balance,
                "balance_text": assets.fmt(s, balance, asset),
                "pool": pool,
                "pool_text": assets.fmt(s, pool, asset),
                "free": free,
                "free_text": assets.fmt(s, free, asset),
            }
        )
    return rows

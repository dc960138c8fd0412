"""What organizers and members do with a collective, on a connected Session.

Each function checks its preconditions (clear IwoError when not met), sends
at most the transactions it names (each simulated first, see chain.Session),
and returns plain data (dicts/lists of str/int/bool) that the CLI prints as a
table or JSON. Nothing here prints or imports click.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import home
from .ballot import SUPPORT_NAMES, Ballot, SignedBallot, parse_support
from .chain import Session, at, checksum, ensure_deployment, recorded_deployment, resolve_address
from .collective import ETH, Settings, state_name
from .describe import describe_actions
from .errors import IwoError
from .units import format_amount, format_duration, parse_amount

ALIAS_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass
class Collective:
    """The three contracts of one collective, and where its history starts."""

    name: str
    governor: object
    card: object
    treasury: object
    start_block: int = 0
    is_local: bool = False

    def addr(self, text: str, what: str) -> str:
        return resolve_address(text, what, self.is_local)

    @property
    def address(self) -> str:
        return self.governor.address


# ---- assets -------------------------------------------------------------------------------
def asset_info(asset: str) -> tuple[str, int]:
    """(symbol, decimals) of ETH (zero address) or an ERC-20."""
    if int(asset, 16) == 0:
        return "ETH", 18
    token = at("ERC20", asset)
    try:
        return str(token.symbol()), int(token.decimals())
    except Exception:
        raise IwoError(f"{asset} does not look like an ERC-20 token (no symbol/decimals)") from None


def parse_asset(text: str) -> str:
    """'ETH' -> zero address; else a token address."""
    if str(text).strip().upper() == "ETH":
        return ETH
    return checksum(text, "token")


def fmt_amount(value: int, asset: str) -> str:
    symbol, decimals = asset_info(asset)
    return f"{format_amount(value, decimals)} {symbol}"


def to_units(text: str, asset: str, allow_zero: bool = False) -> int:
    _, decimals = asset_info(asset)
    try:
        value = parse_amount(text, decimals)
    except ValueError as exc:
        raise IwoError(str(exc)) from None
    if value == 0 and not allow_zero:
        raise IwoError(f"amount must be more than zero (got {text!r})")
    if value >= 2**255:
        raise IwoError(f"amount {text!r} is absurdly large")
    return value


# ---- collectives: create, resolve, list -------------------------------------------------------
def _validate_alias(alias: str) -> str:
    alias = alias.strip().lower()
    if not alias or not set(alias) <= ALIAS_CHARS or len(alias) > 40:
        raise IwoError(f"alias {alias!r} must be 1-40 of a-z, 0-9, '-' and '_'")
    return alias


def default_alias(name: str) -> str:
    out = "".join(ch if ch in ALIAS_CHARS else "-" for ch in name.strip().lower())
    return "-".join(part for part in out.split("-") if part)[:40] or "collective"


def create(
    s: Session,
    name: str,
    symbol: str,
    founders: list[str],
    dues: str,
    dues_asset: str,
    period: int,
    settings: Settings,
    alias: str | None = None,
    log=lambda _m: None,
) -> dict:
    if not name.strip():
        raise IwoError("the collective needs a name")
    if len(name) > 64:
        raise IwoError("name too long (64 characters at most)")
    if not founders:
        raise IwoError("at least one --founder is needed")
    addresses = [s.address(f, "founder") for f in founders]
    dupes = {a for a in addresses if addresses.count(a) > 1}
    if dupes:
        raise IwoError(f"founder listed twice: {', '.join(sorted(dupes))}")
    asset = parse_asset(dues_asset)
    amount = to_units(dues, asset)
    alias = _validate_alias(alias or default_alias(name))
    if alias in home.aliases(s.chain_id):
        raise IwoError(f"alias {alias!r} is already used on this chain; pick another with --alias")
    deployment = ensure_deployment(s, log) if s.is_local else recorded_deployment(s.chain_id)
    if not deployment:
        raise IwoError(
            f"no iwo factory recorded for chain {s.chain_id}: deploy it with "
            f"`ape run deploy --network {s.network}` first"
        )
    factory = at("IwoFactory", deployment["factory"])
    args = (name, symbol, addresses, asset, amount, period, settings.as_tuple())
    receipt = s.transact(factory.create_collective, *args)
    event = receipt.events.filter(factory.CollectiveCreated)[0]
    home.save_alias(s.chain_id, alias, {"governor": event.governor, "block": receipt.block_number})
    return {
        "alias": alias,
        "name": name,
        "collective_id": int(event.collective_id),
        "governor": event.governor,
        "card": event.card,
        "treasury": event.treasury,
        "founders": addresses,
        "tx": str(receipt.txn_hash),
        "gas_used": receipt.gas_used,
    }


def _entry(value) -> tuple[str, int]:
    if isinstance(value, dict):
        return value["governor"], int(value.get("block", 0))
    return value, 0


def resolve(s: Session, which: str | None) -> Collective:
    """A collective by alias, by governor address, or the only one known on this chain."""
    from ape import chain

    known = home.aliases(s.chain_id)
    if which is None:
        if len(known) == 1:
            which = next(iter(known))
        elif not known:
            raise IwoError("no collective known on this chain: create one with `iwo create` or name one")
        else:
            raise IwoError(f"several collectives known ({', '.join(sorted(known))}): name one")
    if which.lower() in known:
        address, block = _entry(known[which.lower()])
        name = which.lower()
    elif which.startswith("0x"):
        address, block, name = checksum(which, "collective"), 0, which
    else:
        raise IwoError(f"unknown collective {which!r} (known here: {', '.join(sorted(known)) or 'none'})")
    if not chain.get_code(address):
        raise IwoError(f"no contract at {address} on chain {s.chain_id} (was the chain reset?)")
    governor = at("IwoGovernor", address)
    try:
        card, treasury = governor.card(), governor.treasury()
    except Exception:
        raise IwoError(f"{address} is not an iwo governor") from None
    return Collective(name, governor, at("IwoCard", card), at("IwoTreasury", treasury), block, s.is_local)


def collectives(s: Session) -> list[dict]:
    """Collectives known locally (aliases) and those in this chain's factory registry."""
    rows = {}
    for alias, value in home.aliases(s.chain_id).items():
        address, _ = _entry(value)
        rows[address] = {"alias": alias, "governor": address, "id": None, "name": None}
    deployment = recorded_deployment(s.chain_id)
    if deployment:
        factory = at("IwoFactory", deployment["factory"])
        for log in factory.CollectiveCreated.range(int(deployment.get("block", 0)), _head() + 1):
            row = rows.setdefault(log.governor, {"alias": None, "governor": log.governor})
            row.update(id=int(log.collective_id), name=log.name)
    for row in rows.values():
        if row.get("name") is None:
            try:
                row["name"] = at("IwoCard", at("IwoGovernor", row["governor"]).card()).name()
            except Exception:
                row["name"] = "(unreachable)"
    return sorted(rows.values(), key=lambda r: (r["id"] is None, r["id"] or 0, r["alias"] or ""))


def _head() -> int:
    from ape import chain

    return chain.blocks.head.number


def _now() -> int:
    from ape import chain

    return chain.blocks.head.timestamp


# ---- members --------------------------------------------------------------------------------
def members(c: Collective, include_former: bool = False) -> list[dict]:
    seen: dict[str, int] = {}
    for log in c.governor.MemberAdmitted.range(c.start_block, _head() + 1):
        seen.setdefault(log.member, int(log.index))
    now = _now()
    grace = int(c.governor.settings().dues_grace)
    rows = []
    for address, _ in sorted(seen.items(), key=lambda kv: kv[1]):
        rows.append(member_row(c, address, now, grace))
    return [r for r in rows if r["member"] or include_former]


def member_row(c: Collective, address: str, now: int | None = None, grace: int | None = None) -> dict:
    now = _now() if now is None else now
    grace = int(c.governor.settings().dues_grace) if grace is None else grace
    is_member, index, joined, left, paid = c.governor.member(address)
    if joined == 0:
        raise IwoError(f"{address} has never been a member of {c.name}")
    standing = (
        "former member"
        if not is_member
        else ("paid up" if paid >= now else ("in grace" if paid + grace >= now else "lapsed"))
    )
    return {
        "address": address,
        "member": bool(is_member),
        "index": int(index),
        "joined": int(joined),
        "left": int(left) or None,
        "paid_through": int(paid),
        "standing": standing,
        "good_standing": standing in ("paid up", "in grace"),
        "owes_periods": 0 if paid + grace >= now else _periods_owed(c, paid, now),
    }


def _periods_owed(c: Collective, paid: int, now: int) -> int:
    period = int(c.treasury.dues_period())
    return -(-(now - paid) // period)


def resign(s: Session, c: Collective) -> dict:
    account = s.require_account()
    if not c.governor.is_member(account.address):
        raise IwoError(f"{account.address} is not a member of {c.name}")
    receipt = s.transact(c.governor.resign)
    return {"resigned": account.address, "tx": str(receipt.txn_hash), "members": int(c.governor.member_count())}


# ---- money ----------------------------------------------------------------------------------
def dues_terms(c: Collective) -> dict:
    asset, amount, period = c.treasury.dues_terms()
    return {
        "asset": asset,
        "amount": int(amount),
        "amount_text": fmt_amount(int(amount), asset),
        "period": int(period),
        "period_text": format_duration(int(period)),
        "grace": int(c.governor.settings().dues_grace),
    }


def pay_dues(s: Session, c: Collective, member: str | None, periods: int) -> dict:
    account = s.require_account()
    who = s.address(member, "member") if member else account.address
    if periods < 1:
        raise IwoError("--periods must be at least 1")
    if periods > int(c.treasury.MAX_PERIODS()):
        raise IwoError(f"--periods must be at most {int(c.treasury.MAX_PERIODS())}")
    if not c.governor.is_member(who):
        raise IwoError(f"{who} is not a member of {c.name}")
    terms = dues_terms(c)
    total = terms["amount"] * periods
    if int(terms["asset"], 16) == 0:
        receipt = s.transact(c.treasury.pay_dues, who, periods, value=total)
    else:
        _approve(s, terms["asset"], c.treasury.address, total)
        receipt = s.transact(c.treasury.pay_dues, who, periods)
    event = receipt.events.filter(c.treasury.DuesPaid)[0]
    return {
        "member": who,
        "payer": account.address,
        "periods": periods,
        "amount": total,
        "amount_text": fmt_amount(total, terms["asset"]),
        "paid_through": int(event.paid_through),
        "tx": str(receipt.txn_hash),
    }


def _approve(s: Session, token: str, spender: str, amount: int):
    erc20 = at("ERC20", token)
    owner = s.require_account().address
    if int(erc20.balanceOf(owner)) < amount:
        raise IwoError(f"{owner} holds less than {fmt_amount(amount, token)}")
    if int(erc20.allowance(owner, spender)) < amount:
        s.transact(erc20.approve, spender, amount)


def donate(s: Session, c: Collective, asset_text: str, amount_text: str, memo: str) -> dict:
    asset = parse_asset(asset_text)
    amount = to_units(amount_text, asset)
    if len(memo) > 256:
        raise IwoError("memo too long (256 characters at most)")
    if int(asset, 16) == 0:
        receipt = s.transact(c.treasury.donate, asset, amount, memo, value=amount)
    else:
        _approve(s, asset, c.treasury.address, amount)
        receipt = s.transact(c.treasury.donate, asset, amount, memo)
    event = receipt.events.filter(c.treasury.DonationReceived)[0]
    return {
        "donor": s.require_account().address,
        "asset": asset,
        "amount": amount,
        "amount_text": fmt_amount(amount, asset),
        "balance_text": fmt_amount(int(event.balance), asset),
        "tx": str(receipt.txn_hash),
    }


def claim(s: Session, c: Collective, asset_text: str) -> dict:
    asset = parse_asset(asset_text)
    account = s.require_account()
    owed = int(c.treasury.claimable(account.address, asset))
    if owed == 0:
        raise IwoError(f"nothing to claim in {asset_info(asset)[0]} for {account.address}")
    receipt = s.transact(c.treasury.claim, asset)
    return {
        "member": account.address,
        "amount": owed,
        "amount_text": fmt_amount(owed, asset),
        "tx": str(receipt.txn_hash),
    }


def treasury_assets(c: Collective) -> list[str]:
    """ETH, the dues asset and every token that appears in treasury events."""
    assets = [ETH]
    dues_asset = c.treasury.dues_asset()
    if dues_asset not in assets:
        assets.append(dues_asset)
    for name in ("DonationReceived", "DuesPaid"):
        for log in getattr(c.treasury, name).range(c.start_block, _head() + 1):
            if log.asset not in assets:
                assets.append(log.asset)
    return assets


def balances(c: Collective) -> list[dict]:
    rows = []
    for asset in treasury_assets(c):
        balance = int(c.treasury.balance_of(asset))
        owed = int(c.treasury.owed(asset))
        rows.append(
            {
                "asset": asset,
                "symbol": asset_info(asset)[0],
                "balance": balance,
                "balance_text": fmt_amount(balance, asset),
                "reserved_for_benefits": owed,
            }
        )
    return rows


# ---- proposals ------------------------------------------------------------------------------
def build_action(c: Collective, kind: str, **kw) -> tuple:
    """(target, value, calldata) for the actions `iwo propose` offers."""
    if kind == "spend":
        asset = parse_asset(kw["asset"])
        amount = to_units(kw["amount"], asset)
        to = c.addr(kw["to"], "recipient")
        available = int(c.treasury.available(asset))
        if amount > available:
            raise IwoError(f"the treasury has only {fmt_amount(available, asset)} available")
        method = c.treasury.grant if kw.get("benefit") else c.treasury.pay
        return (c.treasury.address, 0, bytes(method.encode_input(asset, to, amount)))
    if kind == "admit":
        who = c.addr(kw["member"], "member")
        if c.governor.is_member(who):
            raise IwoError(f"{who} is already a member")
        return (c.governor.address, 0, bytes(c.governor.admit_member.encode_input(who)))
    if kind == "revoke":
        who = c.addr(kw["member"], "member")
        if not c.governor.is_member(who):
            raise IwoError(f"{who} is not a member")
        return (c.governor.address, 0, bytes(c.governor.revoke_member.encode_input(who)))
    if kind == "settings":
        return (c.governor.address, 0, bytes(c.governor.update_settings.encode_input(kw["settings"].as_tuple())))
    if kind == "dues":
        asset = parse_asset(kw["asset"])
        amount = to_units(kw["amount"], asset)
        return (c.treasury.address, 0, bytes(c.treasury.set_dues.encode_input(asset, amount, kw["period"])))
    raise IwoError(f"unknown action kind {kind!r}")


def build_call(target: str, signature: str, args: list[str], value: int = 0) -> tuple:
    """A raw call from a text signature like 'transfer(address,uint256)' and string arguments."""
    from eth_abi import encode
    from eth_utils import function_signature_to_4byte_selector

    target = checksum(target, "target")
    signature = signature.replace(" ", "")
    if "(" not in signature or not signature.endswith(")"):
        raise IwoError(f"not a function signature: {signature!r} (e.g. 'transfer(address,uint256)')")
    types = [t for t in signature[signature.index("(") + 1 : -1].split(",") if t]
    if len(types) != len(args):
        raise IwoError(f"{signature} takes {len(types)} arguments, {len(args)} given")
    values = [_coerce(t, a) for t, a in zip(types, args)]
    try:
        data = function_signature_to_4byte_selector(signature) + encode(types, values)
    except Exception as exc:
        raise IwoError(f"cannot encode arguments for {signature}: {exc}") from None
    return (target, value, data)


def _coerce(abi_type: str, text: str):
    try:
        if abi_type.startswith(("uint", "int")):
            return int(text, 0)
        if abi_type == "address":
            return checksum(text, "argument")
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


def propose(s: Session, c: Collective, actions: list[tuple], description: str) -> dict:
    account = s.require_account()
    if not description.strip():
        raise IwoError("a proposal needs a description")
    if len(description) > int(c.governor.MAX_DESCRIPTION()):
        raise IwoError(f"description too long ({int(c.governor.MAX_DESCRIPTION())} characters at most)")
    if len(actions) > int(c.governor.MAX_ACTIONS()):
        raise IwoError(f"at most {int(c.governor.MAX_ACTIONS())} actions per proposal")
    if not c.governor.is_member(account.address):
        raise IwoError(f"{account.address} is not a member of {c.name}")
    if not c.governor.in_good_standing(account.address):
        raise IwoError(f"{account.address} is behind on dues: pay with `iwo dues pay` first")
    receipt = s.transact(c.governor.propose, list(actions), description)
    pid = int(receipt.events.filter(c.governor.ProposalCreated)[0].proposal_id)
    return proposal(c, pid) | {"tx": str(receipt.txn_hash)}


def _created_logs(c: Collective) -> dict[int, object]:
    return {int(log.proposal_id): log for log in c.governor.ProposalCreated.range(c.start_block, _head() + 1)}


def proposal(c: Collective, pid: int, created=None) -> dict:
    count = int(c.governor.proposal_count())
    if not 1 <= pid <= count:
        raise IwoError(
            f"no proposal #{pid} in {c.name} (ids run 1 to {count})"
            if count
            else f"no proposal #{pid}: {c.name} has none yet"
        )
    if created is None:
        created = _created_logs(c).get(pid)
    (
        proposer_index,
        snapshot,
        vote_start,
        vote_end,
        eta,
        votes_for,
        votes_against,
        votes_abstain,
        constitutional,
        version,
        base,
    ) = c.governor.proposal(pid)
    settings = Settings.from_struct(c.governor.settings_at(version))
    actions = _log_actions(created) if created else []
    quorum = -(-int(base) * settings.quorum_bps // 10000)
    return {
        "id": pid,
        "state": state_name(c.governor.state(pid)),
        "proposer": created.proposer if created else None,
        "description": created.description if created else None,
        "constitutional": bool(constitutional),
        "snapshot": int(snapshot),
        "vote_start": int(vote_start),
        "vote_end": int(vote_end),
        "eta": int(eta) or None,
        "execution_deadline": (int(eta) or int(vote_end)) + settings.execution_window,
        "votes": {"for": int(votes_for), "against": int(votes_against), "abstain": int(votes_abstain)},
        "members_at_snapshot": int(base),
        "quorum": max(quorum, 1),
        "approval_needed": f"more For than Against{' and ' + str(settings.constitutional_bps / 100) + '% For' if constitutional else ''}",
        "settings_version": int(version),
        "actions": [{"target": t, "value": v, "data": "0x" + d.hex()} for t, v, d in actions],
        "explained": describe_actions(c, actions),
        "block": created.block_number if created else None,
    }


def proposals(c: Collective, open_only: bool = False) -> list[dict]:
    created = _created_logs(c)
    rows = [proposal(c, pid, created.get(pid)) for pid in range(1, int(c.governor.proposal_count()) + 1)]
    if open_only:
        rows = [r for r in rows if r["state"] in ("Pending", "Active", "Succeeded", "Queued")]
    return rows


def _actions_of(c: Collective, pid: int) -> list[tuple]:
    log = _created_logs(c).get(pid)
    if log is None:
        raise IwoError(f"cannot find the creation event of proposal #{pid}")
    return _log_actions(log)


def _log_actions(log) -> list[tuple]:
    """Actions from a ProposalCreated log as (target, value, data) tuples."""
    out = []
    for a in log.actions:
        target, value, data = (a.target, a.value, a.data) if hasattr(a, "target") else a
        out.append((checksum(target), int(value), bytes(data)))
    return out


def vote(s: Session, c: Collective, pid: int, support_word: str, reason: str) -> dict:
    account = s.require_account()
    support = _support(support_word)
    _check_can_vote(c, pid, account.address)
    if reason:
        receipt = s.transact(c.governor.cast_vote_with_reason, pid, support, reason)
    else:
        receipt = s.transact(c.governor.cast_vote, pid, support)
    return {
        "proposal": pid,
        "voter": account.address,
        "support": SUPPORT_NAMES[support],
        "reason": reason,
        "tx": str(receipt.txn_hash),
        "votes": proposal(c, pid)["votes"],
    }


def _support(word: str) -> int:
    try:
        return parse_support(word)
    except ValueError as exc:
        raise IwoError(str(exc)) from None


def _check_can_vote(c: Collective, pid: int, voter: str):
    info = proposal(c, pid)
    if info["state"] != "Active":
        when = ""
        if info["state"] == "Pending":
            when = f" (voting opens in {format_duration(max(info['vote_start'] - _now(), 0))})"
        raise IwoError(f"proposal #{pid} is {info['state']}, not open for voting{when}")
    if c.governor.has_voted(pid, voter):
        raise IwoError(f"{voter} has already voted on #{pid}")
    if not c.governor.can_vote(pid, voter):
        if not c.governor.was_member_at(voter, info["snapshot"]):
            raise IwoError(f"{voter} was not a member when #{pid} was made, so cannot vote on it")
        raise IwoError(
            f"{voter} was behind on dues when #{pid} was made; paying the arrears "
            "that cover that time restores the vote"
        )


def sign_vote(s: Session, c: Collective, pid: int, support_word: str, reason: str, valid_for: int) -> SignedBallot:
    """The member's EIP-712 signed vote (no transaction)."""
    from eth_account.messages import encode_typed_data

    account = s.require_account()
    support = _support(support_word)
    _check_can_vote(c, pid, account.address)
    ballot = Ballot(s.chain_id, c.address, pid, support, account.address, _now() + valid_for, reason)
    s.unlock()
    signature = account.sign_message(encode_typed_data(full_message=ballot.typed_data()))
    if signature is None:
        raise IwoError("the account did not sign")
    raw = bytes(signature.r) + bytes(signature.s) + bytes([signature.v])
    signed = ballot.with_signature(raw)
    if not signed.is_valid():
        raise IwoError("the signature does not recover to the voter; refusing to write it")
    if bytes(c.governor.ballot_digest(pid, support, account.address, ballot.expiry, reason)) != ballot.digest():
        raise IwoError("the governor computes a different digest; refusing to write the vote")
    return signed


def unsigned_vote(
    s: Session, c: Collective, pid: int, support_word: str, reason: str, valid_for: int, voter: str
) -> dict:
    """The EIP-712 typed data a wallet signs (eth_signTypedData_v4) for `voter`'s vote."""
    support = _support(support_word)
    _check_can_vote(c, pid, voter)
    ballot = Ballot(s.chain_id, c.address, pid, support, voter, _now() + valid_for, reason)
    return {"typed_data": ballot.typed_data(), "signature": None}


def relay(s: Session, c: Collective, signed: SignedBallot) -> dict:
    b = signed.ballot
    if b.chain_id != s.chain_id:
        raise IwoError(f"the vote was signed for chain {b.chain_id}, this is chain {s.chain_id}")
    if checksum(b.governor) != c.address:
        raise IwoError(f"the vote was signed for collective {b.governor}, not {c.address}")
    if not signed.is_valid():
        raise IwoError(f"the signature does not match voter {b.voter}")
    if b.expiry < _now():
        raise IwoError(f"the signed vote expired at block time {b.expiry}")
    _check_can_vote(c, b.proposal_id, checksum(b.voter))
    receipt = s.transact(c.governor.cast_vote_by_sig, *signed.call_args())
    return {
        "proposal": b.proposal_id,
        "voter": b.voter,
        "support": SUPPORT_NAMES[b.support],
        "relayer": s.require_account().address,
        "tx": str(receipt.txn_hash),
    }


def queue(s: Session, c: Collective, pid: int) -> dict:
    info = proposal(c, pid)
    if info["state"] != "Succeeded":
        raise IwoError(f"proposal #{pid} is {info['state']}; only a Succeeded proposal can be queued")
    receipt = s.transact(c.governor.queue, pid)
    info = proposal(c, pid)
    return {
        "proposal": pid,
        "eta": info["eta"],
        "execution_deadline": info["execution_deadline"],
        "tx": str(receipt.txn_hash),
    }


def execute(s: Session, c: Collective, pid: int) -> dict:
    info = proposal(c, pid)
    if info["state"] != "Queued":
        raise IwoError(f"proposal #{pid} is {info['state']}; only a Queued proposal can be executed")
    if info["eta"] > _now():
        raise IwoError(f"proposal #{pid} is in its timelock for {format_duration(info['eta'] - _now())} more")
    actions = _actions_of(c, pid)
    value = sum(a[1] for a in actions)
    receipt = s.transact(c.governor.execute, pid, actions, value=value)
    return {"proposal": pid, "tx": str(receipt.txn_hash), "done": info["explained"]}


def cancel(s: Session, c: Collective, pid: int) -> dict:
    info = proposal(c, pid)
    if info["state"] != "Pending":
        raise IwoError(f"proposal #{pid} is {info['state']}; only a Pending proposal can be canceled")
    receipt = s.transact(c.governor.cancel, pid)
    return {"proposal": pid, "tx": str(receipt.txn_hash)}


def status(c: Collective) -> dict:
    settings = Settings.from_struct(c.governor.settings())
    return {
        "collective": c.name,
        "name": c.card.name(),
        "governor": c.governor.address,
        "treasury": c.treasury.address,
        "card": c.card.address,
        "block_time": _now(),
        "dues": dues_terms(c),
        "settings": {k: getattr(settings, k) for k in settings.__dataclass_fields__},
        "members": members(c),
        "balances": balances(c),
        "open_proposals": proposals(c, open_only=True),
    }

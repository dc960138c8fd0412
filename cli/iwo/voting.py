"""Voting: directly, as an EIP-712 signed vote anyone relays, or as typed data for a wallet.

Before anything is signed or sent, one batch reads what a vote needs: the proposal's state
and tallies, whether the voter already voted, and whether they may vote on it (and if not,
why: no card at the snapshot, or dues not covering it — which paying the arrears fixes).
"""

from __future__ import annotations

from .ballot import SUPPORT_NAMES, Ballot, SignedBallot, parse_support
from .collective import NO_CARD_AT_SNAPSHOT, state_name
from .contracts import function, parse_address
from .errors import IwoError
from .limits import MAX_DURATION, MAX_REASON, check_text
from .proposals import count, struct_view, views
from .registry import Collective
from .session import Session
from .units import format_duration, format_time


def support_of(word: str) -> int:
    try:
        return parse_support(word)
    except ValueError as exc:
        raise IwoError(str(exc)) from None


def _has_eligibility_view() -> bool:
    try:
        function("IwoGovernor", "eligibility")
        return True
    except KeyError:
        return False


def check(s: Session, c: Collective, pid: int, voter: str) -> dict:
    """The proposal's view if `voter` may vote on it now; else one clear refusal. One batch reads
    what a vote needs: the proposal (state, snapshot, tallies), whether the voter voted, and
    whether they may vote."""
    if not struct_view():  # an older governor: its view has no state; read it the long way
        total = count(s, c)
        if not 1 <= pid <= total:
            raise IwoError(f"no proposal #{pid} in {c.alias}" + (f" (ids run 1 to {total})" if total else ""))
        view = views(s, c, [pid])[0]
        voted, eligible = s.calls([(c.governor, "has_voted", (pid, voter)), (c.governor, "can_vote", (pid, voter))])
    else:
        total, view, voted, eligible = s.calls(
            [
                (c.governor, "proposal_count", ()),
                (c.governor, "proposal", (pid,)),
                (c.governor, "has_voted", (pid, voter)),
                (c.governor, "can_vote", (pid, voter)),
            ],
            errors=True,
        )
        if isinstance(total, Exception):
            raise total
        if not 1 <= pid <= total:
            raise IwoError(f"no proposal #{pid} in {c.alias}" + (f" (ids run 1 to {total})" if total else ""))
        for item in (view, voted, eligible):
            if isinstance(item, Exception):
                raise item
        view = dict(view)
    state = state_name(view["state"])
    if state != "Active":
        when = ""
        if state == "Pending":
            when = f" (voting opens in {format_duration(max(int(view['vote_start']) - s.now(), 0))})"
        raise IwoError(f"proposal #{pid} is {state}, not open for voting{when}")
    if voted:
        raise IwoError(f"{voter} has already voted on #{pid}")
    if not eligible:
        raise IwoError(reason_not_eligible(s, c, pid, voter, int(view["snapshot"])))
    return view


def reason_not_eligible(s: Session, c: Collective, pid: int, voter: str, snapshot: int) -> str:
    """Why `voter` may not vote on `pid`, in words."""
    if _has_eligibility_view():
        no_card = int(s.call(c.governor, "eligibility", pid, voter)) == NO_CARD_AT_SNAPSHOT
    else:
        no_card = not s.call(c.governor, "was_member_at", voter, snapshot)
    if no_card:
        return f"{voter} was not a member when #{pid} was made, so cannot vote on it"
    return f"{voter} was behind on dues when #{pid} was made; paying the arrears that cover that time restores the vote"


# Why a member may or may not vote on a proposal now (codes of `eligibility`).
MAY_VOTE, NOT_OPEN, CLOSED, VOTED, NOT_MEMBER, ARREARS = (
    "may_vote",
    "not_open",
    "closed",
    "voted",
    "not_member",
    "arrears",
)


def refusal(code: str, pid: int, who: str, state: str = "", opens_in: int | None = None) -> str:
    """Why `who` (an address, or "you" for the member reading the page) may not vote on #pid, in
    the words `check` uses."""
    you = who.lower() == "you"
    name, was, has = ("You", "were", "have") if you else (who, "was", "has")
    if code in (NOT_OPEN, CLOSED):
        when = f" (voting opens in {format_duration(max(opens_in, 0))})" if opens_in is not None else ""
        return f"proposal #{pid} is {state}, not open for voting{when}"
    if code == VOTED:
        return f"{name} {has} already voted on #{pid}"
    if code == NOT_MEMBER:
        return f"{name} {was} not a member when #{pid} was made, so {'you ' if you else ''}cannot vote on it"
    if code == ARREARS:
        return (
            f"{name} {was} behind on dues when #{pid} was made; "
            "paying the arrears that cover that time restores the vote"
        )
    raise ValueError(f"no refusal for {code!r}")


def eligibility(s: Session, c: Collective, voter: str, rows: list[dict], who: str = "you") -> dict[int, dict]:
    """For each proposal row (as `proposals.proposals` gives them): may `voter` vote on it now and,
    if not, why — {id: {"may_vote", "code", "reason"}} — in one batch of reads."""
    if not rows:
        return {}
    now = s.now()
    requests = []
    for p in rows:
        requests += [
            (c.governor, "has_voted", (p["id"], voter)),
            (c.governor, "can_vote", (p["id"], voter)),
            (c.governor, "was_member_at", (voter, p["snapshot"])),
        ]
    answers = s.calls(requests)
    out = {}
    for i, p in enumerate(rows):
        voted, eligible, member = answers[3 * i : 3 * i + 3]
        if voted:
            code = VOTED
        elif not eligible:
            code = NOT_MEMBER if not member else ARREARS
        elif p["state"] == "Pending":
            code = NOT_OPEN
        elif p["state"] != "Active":
            code = CLOSED
        else:
            code = MAY_VOTE
        opens_in = p["vote_start"] - now if code == NOT_OPEN else None
        reason = None if code == MAY_VOTE else refusal(code, p["id"], who, p["state"], opens_in)
        out[p["id"]] = {"may_vote": code == MAY_VOTE, "code": code, "reason": reason}
    return out


def _tallies_after(view: dict, support: int) -> dict:
    votes = {
        "for": int(view["votes_for"]),
        "against": int(view["votes_against"]),
        "abstain": int(view["votes_abstain"]),
    }
    votes[SUPPORT_NAMES[support]] += 1
    return votes


def vote(s: Session, c: Collective, pid: int, support_word: str, reason: str) -> dict:
    me = s.require_signer().address
    support = support_of(support_word)
    check_text(reason, MAX_REASON, "--reason")
    view = check(s, c, pid, me)
    if reason:
        receipt = s.transact(c.governor, "cast_vote_with_reason", pid, support, reason)
    else:
        receipt = s.transact(c.governor, "cast_vote", pid, support)
    return {
        "proposal": pid,
        "voter": me,
        "support": SUPPORT_NAMES[support],
        "reason": reason,
        "tx": receipt.tx_hash,
        "votes": _tallies_after(view, support),
    }


def _expiry(s: Session, valid_for: int) -> int:
    if valid_for <= 0:
        raise IwoError("--valid-for must be more than zero (a ballot valid for 0s is expired when written)")
    if valid_for > MAX_DURATION:
        raise IwoError(f"--valid-for must be at most {format_duration(MAX_DURATION)}")
    return s.now() + valid_for


def sign_vote(s: Session, c: Collective, pid: int, support_word: str, reason: str, valid_for: int) -> SignedBallot:
    """The member's EIP-712 signed vote (no transaction)."""
    signer = s.require_signer()
    support = support_of(support_word)
    check_text(reason, MAX_REASON, "--reason")
    expiry = _expiry(s, valid_for)
    check(s, c, pid, signer.address)
    ballot = Ballot(s.chain_id, c.address, pid, support, signer.address, expiry, reason)
    signed = ballot.with_signature(signer.sign_typed_data(ballot.typed_data()))
    if not signed.is_valid():
        raise IwoError("the signature does not recover to the voter; refusing to write it")
    digest = s.call(c.governor, "ballot_digest", pid, support, signer.address, expiry, reason)
    if bytes(digest) != ballot.digest():
        raise IwoError("the governor computes a different digest; refusing to write the vote")
    return signed


def unsigned_vote(
    s: Session, c: Collective, pid: int, support_word: str, reason: str, valid_for: int, voter: str
) -> dict:
    """The EIP-712 typed data a wallet signs (eth_signTypedData_v4) for `voter`'s vote."""
    support = support_of(support_word)
    check_text(reason, MAX_REASON, "--reason")
    expiry = _expiry(s, valid_for)
    check(s, c, pid, voter)
    ballot = Ballot(s.chain_id, c.address, pid, support, voter, expiry, reason)
    return {"typed_data": ballot.typed_data(), "signature": None}


def check_signature(s: Session, c: Collective, signed: SignedBallot) -> str:
    """Refuses, in one clear line, a signed vote that no state of the chain would count: another
    chain or collective, a reason too long, a signature not by the voter, expired. Returns the
    voter's address. No request to the node (the time is the session's head)."""
    b = signed.ballot
    if b.chain_id != s.chain_id:
        raise IwoError(f"the vote was signed for chain {b.chain_id}, this is chain {s.chain_id}")
    if parse_address(b.governor, "governor") != c.address:
        raise IwoError(f"the vote was signed for collective {b.governor}, not {c.address}")
    check_text(b.reason, MAX_REASON, "the vote's reason")
    if not signed.is_valid():
        raise IwoError(f"the signature does not match voter {b.voter}")
    if b.expiry < s.now():
        raise IwoError(f"the signed vote expired at {format_time(b.expiry)}")
    return parse_address(b.voter, "voter")


def check_signed(s: Session, c: Collective, signed: SignedBallot) -> dict:
    """`check_signature`, then whether the voter may vote now (see `check`): refuses in one clear
    line a signed vote `cast_vote_by_sig` would not count. Returns the proposal's view."""
    return check(s, c, signed.ballot.proposal_id, check_signature(s, c, signed))


def relay(s: Session, c: Collective, signed: SignedBallot) -> dict:
    b = signed.ballot
    check_signed(s, c, signed)
    receipt = s.transact(c.governor, "cast_vote_by_sig", *signed.call_args())
    return {
        "proposal": b.proposal_id,
        "voter": b.voter,
        "support": SUPPORT_NAMES[b.support],
        "relayer": s.require_signer().address,
        "tx": receipt.tx_hash,
    }

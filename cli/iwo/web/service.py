"""What the page asks of `iwo serve`, on top of the domain layer (no HTTP here).

- `state()`: the collective at a glance — name, members, treasury, the relayer's balance, open
  and recent proposals with deadlines, tallies against quorum and actions in words — read
  through the shared log store (no rescans) and cached per block;
- `eligibility(voter)`: for each proposal, whether that member may vote now and why not;
- `ballot(...)`: the EIP-712 typed data the member's wallet signs (the page never builds it),
  after checking that the vote would count, plus the `cast_vote` call for a member who would
  rather pay the gas;
- `accept(...)`: verifies a signed vote (signature, chain, collective, expiry, an open
  proposal, an eligible voter who has not voted), simulates `cast_vote_by_sig` from the
  relayer, checks the relayer can pay, and writes it to the durable queue;
- `vote(id)`: where an accepted vote is (queued, sent, landed, failed), in words;
- mutual aid: the open claims in the state, who may object to or vote on each in `eligibility`,
  and `aid_ballot(...)`, the `object`/`vote` call a member's wallet sends itself (the aid
  contract takes no signed votes, so the relayer cannot carry them);
- `reputation(address)`: anyone's record in the collective's work escrow (as `iwo reputation`
  shows it), with the page's sentences; the escrow's books are replayed once per block.

Every chain read runs on one thread (`reader`), which owns the read session and the log
store's connection; the relayer sends from a thread and session of its own.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .. import aid, assets, clearsign, membership, proposals, treasury, tx, voting
from .. import reputation as records
from ..ballot import SUPPORT_NAMES, SignedBallot
from ..collective import state_name
from ..contracts import ETH, parse_address
from ..errors import IwoError
from ..limits import MAX_REASON, check_text
from ..registry import Collective, history
from ..rpc import Rpc, RpcError
from ..session import Session
from ..units import format_time
from . import relayer as relaying

GAS_PER_VOTE = 100_000  # a relayed vote's usual gas, for the relayer's "about N votes left"
STATE_MIN_AGE = 0.5  # seconds a computed state is served before the head is read again
MAX_SYNCED = 512  # heads remembered by the read session before the memo is cleared
JS_SAFE = 2**53 - 1
VERIFIERS = 4  # threads verifying signed votes (their waits on the node and the disk overlap)


@dataclass
class Options:
    """How the server behaves (the `iwo serve` options)."""

    wallet_timeout: float = 45.0  # seconds the page waits for the wallet before saying so
    wallet_rpc: str | None = None  # RPC URL offered to wallets that do not know the chain
    valid_for: int = 86_400  # seconds a signed ballot stays valid
    replace_after: float = 60.0  # seconds before a relayed transaction not mined is replaced
    votes_per_s: float = 100.0  # votes accepted per second, all voters together
    votes_burst: int = 1_000  # ... of which this many at once
    per_voter_per_min: int = 20  # requests per voter per minute (ballots and votes)
    low_votes: int = 20  # the relayer's balance is "low" below this many votes
    recent: int = 10  # ended proposals listed under the open ones
    send_wait: float = 1.0  # seconds an accepted vote's answer waits for its transaction (hash, receipt)


class Refused(IwoError):
    """A request the server turns down, with the HTTP status and words for the page."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.status = status


class Bucket:
    """A token bucket: `rate` per second, at most `capacity` at once."""

    def __init__(self, rate: float, capacity: float):
        self.rate, self.capacity = rate, capacity
        self.tokens, self.at = capacity, time.monotonic()

    def take(self) -> float:
        """0 if a token was taken, else the seconds until one is there."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class Limits:
    """Per-voter and global rate limits of ballots and votes."""

    def __init__(self, options: Options):
        self.options = options
        self.all = Bucket(options.votes_per_s, options.votes_burst)
        self.voters: dict[str, Bucket] = {}
        self.lock = threading.Lock()

    def check(self, voter: str, global_too: bool) -> None:
        with self.lock:
            per_min = self.options.per_voter_per_min
            if len(self.voters) > 100_000:
                self.voters.clear()
            bucket = self.voters.setdefault(voter.lower(), Bucket(per_min / 60, per_min))
            wait = bucket.take()
            if wait:
                raise Refused(
                    f"Too many requests for {voter}: at most {per_min} a minute. Try again in {int(wait) + 1} s.", 429
                )
            if global_too:
                wait = self.all.take()
                if wait:
                    raise Refused(f"Too many votes at once: try again in {int(wait) + 1} s. Nothing was sent.", 429)


def sentence(text: str) -> str:
    """A domain message as a sentence for the page."""
    text = text.strip()
    return (text[:1].upper() + text[1:]) if text else text


def jsonable(value):
    """Integers beyond JavaScript's safe range as strings (balances in wei)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return str(value) if abs(value) > JS_SAFE else value
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def _loopback(url: str) -> bool:
    return (urllib.parse.urlsplit(url).hostname or "") in ("127.0.0.1", "localhost", "::1")


def _strip_credentials(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


# What a failed relayed vote means for the member (the governor's revert reasons).
_FAILURES = {
    "governor: already voted": "you had already voted on #{pid} another way",
    "governor: voting closed": "voting on #{pid} closed before it could be sent",
    "governor: voting not open": "voting on #{pid} is not open",
    "governor: signature expired": "the signature expired before it could be sent",
    "governor: proposal canceled": "#{pid} was canceled",
    "governor: not a member at snapshot": "you were not a member when #{pid} was made",
    "governor: dues in arrears at snapshot": "you were behind on dues when #{pid} was made",
}


# What a proposal's actions are, said according to its state.
_ACTIONS_LABEL = {
    "Pending": "If it passes, it will:",
    "Active": "If it passes, it will:",
    "Succeeded": "Once executed, it will:",
    "Queued": "Once executed, it will:",
    "Executed": "It did:",
}


def failure_words(error: str | None, pid: int) -> str:
    text = _FAILURES.get(error or "")
    return text.format(pid=pid) if text else f"the governor refused it ({error or 'no reason given'})"


def clone(s: Session, signer=None) -> Session:
    """A second session on the same node (each thread talks through its own connection)."""
    return Session(
        Rpc(s.rpc.url, retries=2, backoff=0.2, timeout=30.0),
        s.chain_id,
        s.is_local,
        s.network,
        is_local_node=s.is_local_node,
        signer=signer,
    )


class Service:
    """The page's questions, answered from one read session on one thread, and the relayer."""

    def __init__(
        self,
        s: Session,
        c: Collective,
        options: Options | None = None,
        relayer_signer=None,
        folder: Path | None = None,
        log=lambda _message: None,
    ):
        self.s, self.c = s, c
        self.options = options or Options()
        self.log = log
        self.reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="iwo-reader")
        # signed votes are verified on threads of their own (each with its own session; no log store)
        self.verifiers = ThreadPoolExecutor(max_workers=VERIFIERS, thread_name_prefix="iwo-verify")
        self._local = threading.local()
        self.limits = Limits(self.options)
        self._state: dict | None = None
        self._state_at = 0.0
        self._name: str | None = None
        self._rows: dict[int, dict] = {}  # the proposals the last state read, by id
        self._claim_rows: dict[int, dict] = {}  # the open aid claims the last state read, by id
        self._aid_asset: str | None = None
        self._books: tuple[str, object] | None = None  # (block hash, the escrow's books at that block)
        self.queue: relaying.Queue | None = None
        self.relayer: relaying.Relayer | None = None
        self._lock: relaying.Lock | None = None
        if relayer_signer is not None:
            from .. import home

            folder = folder or home.home()
            self._lock = relaying.Lock(folder, s.chain_id, relayer_signer.address)
            self.queue = relaying.Queue(relaying.queue_path(folder), s.chain_id, c.address, relayer_signer.address)
            self.relayer = relaying.Relayer(
                clone(s, relayer_signer), c, self.queue, replace_after=self.options.replace_after, log=log
            )

    # ---- life ----------------------------------------------------------------------------------------
    def start(self) -> dict:
        """Replays the relayer's queue and starts sending; reads the state once (warming the log
        store). Returns what was replayed."""
        replayed = self.relayer.start() if self.relayer else {}
        self.reader.submit(self.state).result()
        return replayed

    def close(self) -> None:
        """Stops the relayer (the queue keeps what is on its way), frees the relayer's lock."""
        if self.relayer:
            self.relayer.stop()
        self.reader.shutdown(wait=True)
        self.verifiers.shutdown(wait=True)
        if self.queue:
            self.queue.close()
        if self._lock:
            self._lock.release()
            self._lock = None

    def _session(self) -> Session:
        """This thread's read session: the reader's own, or a verifier's (made on first use)."""
        if threading.current_thread().name.startswith("iwo-verify"):
            if getattr(self._local, "s", None) is None:
                self._local.s = clone(self.s)
            return self._local.s
        return self.s

    # ---- the collective at a glance ----------------------------------------------------------------------
    def network(self) -> dict:
        s = self.s
        if self.options.wallet_rpc:
            urls = [self.options.wallet_rpc]
        elif _loopback(s.rpc.url):
            urls = [_strip_credentials(s.rpc.url)]
        else:
            urls = []  # never hand out a private node URL (it may hold an API key)
        name = "iwo local node" if s.is_local_node else f"chain {s.chain_id}"
        return {"chain_id": s.chain_id, "chain_hex": hex(s.chain_id), "name": name, "rpc_urls": urls}

    def state(self, after: int = 0) -> dict:
        """The page's picture of the collective (recomputed at most once per block)."""
        cached = self._state
        if cached is not None and time.monotonic() - self._state_at < STATE_MIN_AGE and cached["block"] >= after:
            return cached | self._relayer_fields()  # a top-up or a drain shows at once
        s = self.s
        s.after_transaction(None)  # read the head again
        if len(s.synced) > MAX_SYNCED:
            s.synced.clear()
        head = s.head()
        if cached is not None and cached["block_hash"] == head["hash"]:
            # same block: only the relayer's balance may have moved (a top-up on a dev chain)
            self._state = cached | self._relayer_fields()
        else:
            self._state = self._compute()
        self._state_at = time.monotonic()
        return self._state

    def _compute(self) -> dict:
        s, c = self.s, self.c
        history(s, c)
        if self._name is None:
            self._name = s.call(c.card, "name")
        count, (asset, amount, period), settings = s.calls(
            [(c.governor, "member_count", ()), (c.treasury, "dues_terms", ()), (c.governor, "settings", ())]
        )
        now = s.now()
        rows = proposals.proposals(s, c)
        self._rows = {r["id"]: r for r in rows}
        live = [r for r in rows if r["state"] in proposals.LIVE]
        ended = [r for r in reversed(rows) if r["state"] not in proposals.LIVE][: self.options.recent]
        balances = treasury.balances(s, c, asset)
        dues = treasury.terms_dict(s, asset, amount, period, settings["dues_grace"])
        held = ", ".join(b["balance_text"] + (f" ({b['pool_text']} aid pool)" if b["pool"] else "") for b in balances)
        facts = (
            f"{int(count)} members · treasury {held} · dues {dues['amount_text']} per {dues['period_text']} · "
            f"chain {s.chain_id}, block {s.block_number()}"
        )
        claims = self._open_claims(now)
        return {
            "name": self._name,
            "alias": c.alias,
            "governor": c.governor.address,
            "treasury_address": c.treasury.address,
            "network": self.network(),
            "block": s.block_number(),
            "block_hash": s.head()["hash"],
            "time": now,
            "time_text": format_time(now),
            "members": int(count),
            "dues": dues,
            "treasury": balances,
            "facts": facts,
            **self._relayer_fields(),
            "open": [self._proposal(r, now) for r in live],
            "recent": [self._proposal(r, now) for r in ended],
            "claims": claims,
            "wallet_timeout_s": self.options.wallet_timeout,
            "max_reason": MAX_REASON,
            "clear_signing": "/clear-signing.json",
        }

    @staticmethod
    def _proposal(r: dict, now: int) -> dict:
        lines = (r["description"] or "").strip().splitlines() or [""]
        cast = sum(r["votes"].values())
        deadline = proposals.deadline(r)
        meta = r["state"] + (f" · {deadline[0]} {format_time(deadline[1], now)}" if deadline else "")
        return {
            "id": r["id"],
            "key": f"p{r['id']}",
            "ref": f"#{r['id']}",
            "heading": f"#{r['id']} {lines[0] or '(no description)'}",
            "meta": meta + (" · constitutional" if r["constitutional"] else ""),
            "open": r["state"] in ("Pending", "Active"),
            "live": r["state"] == "Active",
            "choices": ["For", "Against", "Abstain"],
            "state": r["state"],
            "title": lines[0],
            "body": "\n".join(lines[1:]).strip(),
            "proposer": r["proposer"],
            "votes": r["votes"],
            "cast": cast,
            "quorum": r["quorum"],
            "quorum_reached": cast >= r["quorum"],
            "tally_text": (
                f"For {r['votes']['for']} · Against {r['votes']['against']} · Abstain {r['votes']['abstain']} — "
                f"{cast} vote{'' if cast == 1 else 's'} cast, quorum {r['quorum']} of the "
                f"{r['members_at_snapshot']} members at the snapshot{' (reached)' if cast >= r['quorum'] else ''}; "
                f"passes with {r['approval_needed']}."
            ),
            "actions_label": _ACTIONS_LABEL.get(r["state"], "It would have:"),
            "members_at_snapshot": r["members_at_snapshot"],
            "approval_needed": r["approval_needed"],
            "constitutional": r["constitutional"],
            "actions": r["explained"],
            "deadline": {"label": deadline[0], "time": deadline[1], "text": format_time(deadline[1], now)}
            if deadline
            else None,
            "tx": r["tx"],
        }

    def _relayer_fields(self) -> dict:
        """The relayer's state, and the sentence the page shows about it."""
        info = self._relayer_info()
        if info is None:
            text = "This page relays no votes: vote from your wallet (you pay the gas)."
        else:
            text = info["message"] + (f" ({info['problem']})" if info["problem"] else "")
        return {"relayer": info, "relaying": text, "relaying_ok": info is not None and info["level"] == "ok"}

    def _relayer_info(self) -> dict | None:
        if self.relayer is None:
            return None
        r = self.relayer
        balance = self.s.rpc.balance(r.address)
        price = relaying.max_fee(r.fees) if r.fees else 0
        per_vote = GAS_PER_VOTE * price
        left = balance // per_vote if per_vote else None
        eth = assets.fmt(self.s, balance, ETH) if balance < 10**14 else f"{balance / 10**18:,.4f} ETH"
        if left is not None and left < 1:
            level, message = (
                "empty",
                f"The relayer ({r.address}) has no ETH left to pay for votes ({eth}): votes cannot be relayed now. "
                f"Vote from your wallet (you pay the gas), or send ETH to {r.address}.",
            )
        elif left is not None and left < self.options.low_votes:
            level, message = (
                "low",
                f"The relayer's balance is low: {eth}, enough for about {left:,} votes. Please send ETH to {r.address}.",
            )
        else:
            about = f", enough for about {left:,} votes" if left is not None else ""
            level, message = "ok", f"Votes are relayed for free by {r.address} ({eth}{about})."
        return {
            "address": r.address,
            "balance": balance,
            "balance_text": eth,
            "votes_left": left,
            "level": level,
            "message": message,
            "problem": r.problem,
        }

    # ---- a member ------------------------------------------------------------------------------------------
    def eligibility(self, voter_text: str) -> dict:
        """Whether `voter` may vote on each listed proposal, and why not."""
        voter = self._address(voter_text)
        state = self.state()
        s, c = self.s, self.c
        rows = [self._rows[p["id"]] for p in state["open"] + state["recent"]]  # as the state read them
        answers = voting.eligibility(s, c, voter, rows)
        cast = {
            int(log["args"]["proposal_id"]): SUPPORT_NAMES[int(log["args"]["support"])]
            for log in history(s, c).logs(s.chain_id, c.source, names=("VoteCast",))
            if log["args"]["voter"] == voter
        }
        for pid, answer in answers.items():
            if answer["code"] == voting.VOTED and pid in cast:
                answer["reason"] = f"You have voted {cast[pid].capitalize()} on #{pid}."
                answer["support"] = cast[pid]
            elif self.queue is not None and answer["may_vote"]:
                pending = self.queue.active(pid, voter)
                if pending is not None and pending["status"] != relaying.LANDED:
                    answer.update(may_vote=False, code="on_its_way", reason=self._vote_view(pending)["message"])
            if answer["reason"]:
                answer["reason"] = sentence(answer["reason"]).rstrip(".") + "."
            answer["text"] = answer["reason"] or "You may vote on this proposal."
        raw = s.call(c.governor, "member", voter)
        view = membership.member_view(raw)
        standing = None
        if int(view["joined"]):
            settings, period = s.calls([(c.governor, "settings", ()), (c.treasury, "dues_period", ())])
            standing = membership.row(voter, view, s.now(), int(settings["dues_grace"]), int(period))
        text = f"Connected as {voter}. " + (
            f"Member, {standing['standing']}." if standing else "Not a member of this collective."
        )
        return {
            "voter": voter,
            "member": standing,
            "text": text,
            "proposals": {str(k): v for k, v in answers.items()},
            "claims": {str(k): v for k, v in self._claim_answers(voter).items()},
        }

    def _address(self, text, what: str = "voter", end: str = "") -> str:
        if not isinstance(text, str):
            raise Refused("An address is needed (0x followed by 40 hex digits).", 400)
        try:
            return parse_address(text, what)
        except IwoError as exc:
            raise Refused(sentence(str(exc)) + end, 400) from None

    # ---- anyone's record in the escrow ---------------------------------------------------------------------
    def reputation(self, address_text: str) -> dict:
        """The record of an address in the collective's work escrow (as `iwo reputation`), with
        the page's sentences. The books are replayed once per block: the head is read through
        `state()` (at most every STATE_MIN_AGE), so a flood of lookups costs one record each."""
        address = self._address(address_text, "the address to check", ".")
        if self.c.escrow is None:
            raise Refused("This collective has no work escrow: nobody has a record in it.", 404)
        state = self.state()
        head = self.s.head()["hash"]  # the block the log store was read to (as a rule the state's)
        if self._books is None or self._books[0] != head:
            from ..escrow import all_books

            self._books = (head, all_books(self.s, self.c))
        r = records.reputation(self.s, self.c, address, self._books[1])
        return r | {
            "title": f"Record of {address} in {state['name']}'s work escrow:",
            "lines": records.sentences(r),
        }

    # ---- a ballot to sign ------------------------------------------------------------------------------------
    def ballot(self, body: dict) -> dict:
        """The typed data of a member's vote, checked first (would it count now?)."""
        if not isinstance(body, dict):
            raise Refused("Expected a JSON object.", 400)
        voter = self._address(body.get("voter"))
        pid = body.get("proposal")
        if not isinstance(pid, int) or isinstance(pid, bool) or pid < 1:
            raise Refused("proposal must be a proposal id (1, 2, ...).", 400)
        support = body.get("support")
        if support not in ("for", "against", "abstain"):
            raise Refused("support must be for, against or abstain.", 400)
        reason = body.get("reason", "")
        if not isinstance(reason, str):
            raise Refused("reason must be text.", 400)
        self.limits.check(voter, global_too=False)
        self._not_on_its_way(pid, voter, "signed")
        s, c = self.s, self.c
        s.after_transaction(None)
        self._refuse_if_cannot(s, pid, voter, "signed")
        try:
            check_text(reason, MAX_REASON, "the reason")
            typed = voting.unsigned_vote(s, c, pid, support, reason, self.options.valid_for, voter)
        except RpcError:
            raise
        except IwoError as exc:
            raise Refused(sentence(str(exc)) + ". Nothing was signed.") from None
        typed = typed["typed_data"]
        expiry = typed["message"]["expiry"]
        title = next((p["title"] for p in self.state()["open"] if p["id"] == pid), "")
        summary = (
            f"Vote {support.capitalize()} on proposal #{pid}"
            + (f" (“{title}”)" if title else "")
            + f" of {self.state()['name']}, as {voter}"
            + (f", with the reason “{reason}”" if reason else ", with no reason")
            + f"; the signature is valid until {format_time(expiry)} and counts once."
            + (" Signing is free: the relayer pays the gas." if self.relayer is not None else "")
            + " Nothing is sent until your wallet asks you and you agree."
        )
        number = voting.support_of(support)
        direct = (
            c.governor.encode("cast_vote_with_reason", pid, number, reason)
            if reason
            else c.governor.encode("cast_vote", pid, number)
        )
        return {
            "typed_data": typed,
            "summary": summary,
            "direct": {"to": c.governor.address, "data": "0x" + direct.hex()},
            "relayed": self.relayer is not None,
        }

    def _refuse_if_cannot(self, s: Session, pid: int, voter: str, nothing: str) -> None:
        """Refuses, speaking to the member, a vote on `pid` that would not count now."""
        c = self.c
        total = proposals.count(s, c)
        if not 1 <= pid <= total:
            raise Refused(f"There is no proposal #{pid}. Nothing was {nothing}.", 404)
        view = proposals.views(s, c, [pid])[0]
        row = {
            "id": pid,
            "state": state_name(view["state"]),
            "snapshot": int(view["snapshot"]),
            "vote_start": int(view["vote_start"]),
        }
        answer = voting.eligibility(s, c, voter, [row])[pid]
        if not answer["may_vote"]:
            raise Refused(f"{sentence(answer['reason'])}. Nothing was {nothing}.")

    def _not_on_its_way(self, pid: int, voter: str, nothing: str) -> None:
        if self.queue is None:
            return
        row = self.queue.active(pid, voter)
        if row is not None:
            if row["status"] == relaying.LANDED:
                raise Refused(f"You have already voted on #{pid}: a member votes once. Nothing was {nothing}.")
            raise Refused(f"Your vote on #{pid} is already on its way ({row['status']}): a member votes once.")

    # ---- a signed vote to relay ----------------------------------------------------------------------------------
    def accept(self, body) -> tuple[int, dict]:
        """Verifies and durably queues a signed vote: (HTTP status, the vote's view)."""
        if self.relayer is None or self.queue is None:
            raise Refused(
                "This page relays no votes (it was started without --relayer): vote from your wallet, "
                "paying the gas. Nothing was sent.",
                503,
            )
        if not isinstance(body, dict):
            raise Refused("Expected a JSON object.", 400)
        try:
            signed = SignedBallot.from_json(json.dumps(body))
        except ValueError as exc:
            raise Refused(f"Not a signed vote: {exc}. Nothing was sent.", 400) from None
        b = signed.ballot
        voter = self._address(b.voter)
        known = self.queue.by_signature(signed.signature)
        if known is not None:  # the same vote again (a retry): its place in the queue
            return 202, self._vote_view(known)
        self.limits.check(voter, global_too=True)
        s, c, r = self._session(), self.c, self.relayer
        try:
            voting.check_signature(s, c, signed)  # no request: the signature, chain, collective, expiry
        except IwoError as exc:
            raise Refused(sentence(str(exc)) + ". Nothing was sent.") from None
        self._not_on_its_way(b.proposal_id, voter, "sent")
        # simulate first, as the CLI does: the governor itself says whether it would count the vote
        # (open proposal, eligible voter who has not voted, signature, expiry); one batch
        data = c.governor.encode("cast_vote_by_sig", *signed.call_args())
        query = {"from": r.address, "to": c.governor.address, "data": "0x" + data.hex()}
        estimate, balance = s.rpc.batch(
            [("eth_estimateGas", [query]), ("eth_getBalance", [r.address, "latest"])], errors=True
        )
        if isinstance(balance, RpcError):
            raise balance
        if isinstance(estimate, RpcError):
            reason = tx.reason_of(estimate)
            if reason is None:
                raise estimate
            self._explain(s, signed, voter, reason)
        gas = int(estimate, 16)
        gas += gas * tx.GAS_MARGIN_PERCENT // 100
        self._can_pay(gas, int(balance, 16))
        try:
            row, _ = self.queue.add(signed, data, gas)
        except relaying.Exists as exc:
            raise Refused(
                f"You have already voted on #{b.proposal_id}: a member votes once ({exc.row['status']})."
            ) from None
        r.wake()
        return 202, self._vote_view(row)

    def _explain(self, s: Session, signed: SignedBallot, voter: str, reason: str):
        """Why the governor would refuse a signed vote, in the member's words (the head is read again)."""
        c, pid = self.c, signed.ballot.proposal_id
        s.after_transaction(None)
        self._refuse_if_cannot(s, pid, voter, "sent")
        try:
            voting.check_signed(s, c, signed)
        except RpcError:
            raise
        except IwoError as exc:
            raise Refused(sentence(str(exc)) + ". Nothing was sent.") from None
        raise Refused(f"The governor would refuse this vote: {failure_words(reason, pid)}. Nothing was sent.")

    def _can_pay(self, gas: int, balance: int) -> None:
        r = self.relayer
        if r.fees is None:
            r.refresh()
        price = relaying.max_fee(r.fees)
        waiting = self.queue.counts()
        backlog = waiting[relaying.QUEUED] + waiting[relaying.SENT]
        if balance < (backlog + 1) * gas * price:
            raise Refused(
                f"The relayer ({r.address}) is out of funds: it cannot pay for more votes now. Nothing was sent. "
                f"Vote from your wallet (you pay the gas), or ask the collective to send ETH to {r.address}.",
                503,
            )

    # ---- an accepted vote ------------------------------------------------------------------------------------------
    def vote(self, vote_id: int) -> dict:
        row = self.queue.get(vote_id) if self.queue else None
        if row is None:
            raise Refused(f"No vote {vote_id} here.", 404)
        return self._vote_view(row)

    def _vote_view(self, row: dict) -> dict:
        support = SUPPORT_NAMES[int(row["support"])].capitalize()
        pid, status = row["proposal"], row["status"]
        what = f"Your vote {support} on #{pid}"
        if status == relaying.QUEUED:
            message = f"{what} is saved and waiting to be sent."
            if self.relayer is not None and self.relayer.out_of_funds:
                message += " The relayer is out of funds: it goes out once the relayer is topped up."
        elif status == relaying.SENT:
            message = f"{what} was sent in transaction {row['tx']}; waiting for it to land."
        elif status == relaying.LANDED:
            message = f"{what} landed in block {row['block']}: it is counted."
        else:
            message = f"{what} was not counted: {failure_words(row['error'], pid)}."
        return {
            "id": row["id"],
            "proposal": pid,
            "voter": row["voter"],
            "support": support.lower(),
            "status": status,
            "tx": row["tx"],
            "block": row["block"],
            "message": message,
        }

    def status(self, vote_id: int) -> str | None:
        """An accepted vote's status (read without the reader thread)."""
        row = self.queue.get(vote_id) if self.queue else None
        return row["status"] if row else None

    # ---- mutual aid: claims members may object to or vote on (from their wallets) ----------------------------------
    def _open_claims(self, now: int) -> list[dict]:
        """The open claims as the page shows them (read with the state, once per block)."""
        s, c = self.s, self.c
        if c.aid is None:
            self._claim_rows, self._aid_asset = {}, None
            return []
        book = aid.claims(s, c)
        rows = aid.open_claims(book)
        self._claim_rows, self._aid_asset = {r["id"]: r for r in rows}, book["asset"]
        terms = book["terms_at"]
        return [self._claim(r, terms[r["terms_version"]], now) for r in rows]

    def _claim(self, r: dict, t: dict, now: int) -> dict:
        def fmt(value):
            return assets.fmt(self.s, value, self._aid_asset)

        months = r["months"]
        asks = f"{fmt(r['monthly'])} a month for {months} months" if months > 1 else f"{fmt(r['monthly'])} once"
        contest = r["state"] == "contest"
        end = r["contest_end"] if contest else r["vote_end"]
        against, votes_for = r["votes"]["against"], r["votes"]["for"]
        if contest:
            tally = (
                f"{against} objection{'' if against == 1 else 's'} so far. It goes to a vote if "
                f"{t['min_objections']} members or {aid.bps_text(t['objection_bps'])} of those at the snapshot "
                "object (whichever is fewer); otherwise it is approved when the window ends."
            )
        else:
            tally = (
                f"For {votes_for} · Against {against} — quorum {aid.bps_text(t['quorum_bps'])} of the members at "
                "the snapshot; approved with more For than Against, denied with more Against."
            )
        evidence = "no evidence hash" if not int(r["evidence"], 16) else f"evidence hash {r['evidence']}"
        return {
            "id": r["id"],
            "key": f"c{r['id']}",
            "ref": f"claim #{r['id']}",
            "claim": True,
            "heading": f"Claim #{r['id']}: {r['category_text']}, {asks}",
            "meta": ("In its contest window · objections close " if contest else "Under vote · voting ends ")
            + format_time(end, now),
            "state": r["state"],
            "open": True,
            "live": True,
            "choices": ["Object"] if contest else ["For", "Against"],
            "claimant": r["claimant"],
            "category": r["category_text"],
            "monthly": r["monthly"],
            "months": months,
            "votes": r["votes"],
            "deadline": {"label": "objections close" if contest else "voting ends", "time": end},
            "tally_text": tally,
            "body": f"Filed by {r['claimant']} ({evidence}; the evidence itself stays off-chain).",
            "actions_label": "If approved, it pays:",
            "actions": [
                f"{asks} ({fmt(r['total'])} in all) to {r['claimant']}, from the month after the decision, "
                "within the pool's monthly limit (cut pro-rata when the pool is short)"
            ],
        }

    def _claim_answers(self, voter: str) -> dict[int, dict]:
        rows = list(self._claim_rows.values())
        answers = aid.ballot_answers(self.s, self.c, voter, rows)
        for cid, answer in answers.items():
            if answer["code"] == aid.VOTED and answer["support"]:
                how = "objected to" if answer["support"] == "object" else f"voted {answer['support'].capitalize()} on"
                answer["reason"] = f"You have {how} claim #{cid}."
            elif answer["reason"]:
                answer["reason"] = sentence(answer["reason"]).rstrip(".") + "."
            verb = "object to" if self._claim_rows[cid]["state"] == "contest" else "vote on"
            answer["text"] = answer["reason"] or f"You may {verb} this claim (from your wallet, paying the gas)."
        return answers

    def aid_ballot(self, body: dict) -> dict:
        """The call a member's wallet sends to object to or vote on a claim, checked first (would
        the aid contract take it now?), with the words of the confirmation."""
        if not isinstance(body, dict):
            raise Refused("Expected a JSON object.", 400)
        voter = self._address(body.get("voter"))
        cid = body.get("claim")
        if not isinstance(cid, int) or isinstance(cid, bool) or cid < 1:
            raise Refused("claim must be a claim id (a whole number).", 400)
        support = body.get("support")
        if support not in ("for", "against", "object"):
            raise Refused("support must be for, against or object.", 400)
        reason = body.get("reason", "")
        if not isinstance(reason, str):
            raise Refused("reason must be text.", 400)
        if self.c.aid is None:
            raise Refused("This collective has no mutual aid.", 404)
        self.limits.check(voter, global_too=False)
        s, c = self.s, self.c
        s.after_transaction(None)
        try:
            check_text(reason, MAX_REASON, "the reason")
            view, data = aid.wallet_call(s, c, cid, support, voter, reason)
        except RpcError:
            raise
        except IwoError as exc:
            raise Refused(sentence(str(exc)) + ". Nothing was sent.") from None
        asset = s.call(c.aid, "asset")
        monthly, months = int(view["monthly"]), int(view["months"])
        asks = (
            f"{assets.fmt(s, monthly, asset)} a month for {months} months"
            if months > 1
            else assets.fmt(s, monthly, asset)
        )
        what = "Object to" if support == "object" else f"Vote {support.capitalize()} on"
        summary = (
            f"{what} claim #{cid} ({aid.category_name(int(view['category']))}, {asks}) in {self.state()['name']}, "
            f"as {voter}" + (f", with the reason “{reason}”" if reason else ", with no reason") + ". "
            "The aid contract takes no signed votes: this is a transaction your wallet sends, and you pay its gas. "
            "Nothing is sent until your wallet asks you and you agree."
        )
        return {"summary": summary, "direct": {"to": c.aid.address, "data": "0x" + data.hex()}, "relayed": False}

    # ---- hardware wallets -------------------------------------------------------------------------------------------
    def descriptor(self) -> dict:
        return clearsign.descriptor(self.s.chain_id, self.c.governor.address, self.state()["name"])

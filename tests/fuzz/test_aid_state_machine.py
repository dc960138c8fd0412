"""Stateful property test of mutual aid (titanoboa, hypothesis).

One collective of six founders (dues prepaid three years, the pool seeded, the test terms of
utils.aid adopted by vote) runs random sequences of: claims (good and bad: over a cap, too
long, a category not enabled, a second open claim, by a stranger), objections and votes
(eligible or not, twice), decisions, month openings, withdrawals (by the claimant or not,
early, late, twice), resignations and `stop`, dues payments and earmarked gifts (the pool
grows), and by vote: new terms, pool moves (`unfund_pool`), ending a claim. `AidModel`
re-implements the NatSpec rules of IwoMutualAid and the treasury's pool; every call's outcome
(success or revert) and every withdrawal's amount must match it.

After every step (`pool_caps_and_throttle`):

(a) pool = inflows - payouts, rebuilt from the treasury's events alone (the dues share and
    earmarked gifts of DuesPaid and DonationReceived, PoolFunded in; PoolReleased, AidPaid out;
    each event's `pool` field equals the running sum), equal to `treasury.pool` and the model;
(b) no member receives more than their caps: the AidPaid total of each claim is at most its
    monthly amount times its months, which the claim cap of its terms bounds; every approval's
    12-month window total (ClaimDecided) is within the member cap of the claim's terms;
(c) total monthly payouts stay within the throttle: every MonthOpened has allowed <=
    min(demand, pool // divisor) with the model's demand, and the instalments paid for each
    month (attributed by the model) sum to at most that month's allowance;
(d) each stored claim's state equals the model's.

Settings: IWO_FUZZ_EXAMPLES (default 200; this machine runs a quarter of them) sequences of
IWO_FUZZ_STEPS (default 30) steps.
"""

from __future__ import annotations

import copy
import os
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import boa
import pytest
from eth_abi import decode
from eth_utils import to_checksum_address
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:  # utils.* (the fuzz conftest only adds tests/fuzz)
    sys.path.insert(0, str(TESTS))

import harness  # noqa: E402  (tests/fuzz is on sys.path: see conftest.py)
from utils.aid import (  # noqa: E402
    AID_MONTH,
    BPS,
    DEFAULT_TERMS,
    MAX_AMOUNT,
    ONE,
    POOL_SEED,
    PREPAID,
    TERMS_FIELDS,
    TEST_TERMS,
    YEAR,
    terms,
)
from utils.boa_stack import (  # noqa: E402
    DAY,
    DUES,
    ETH,
    action,
    contract,
    create_collective,
    deploy_stack,
    govern,
    travel,
)

pytestmark = pytest.mark.filterwarnings("ignore:casted bytecode does not match")

EXAMPLES = max(1, int(os.environ.get("IWO_FUZZ_EXAMPLES", "200")) // 4)
STEPS = int(os.environ.get("IWO_FUZZ_STEPS", "30"))
POOL_SHARE_BPS = 2_000
RING = 4
GRACE = 7 * DAY  # the collective's default dues grace
PERIOD = 30 * DAY
STATS: Counter = Counter()

# alternative terms a vote may adopt (all valid): shorter windows, another throttle, no
# unclaimed window, other caps
TERMS_CHOICES = [
    dict(TEST_TERMS),
    dict(TEST_TERMS, contest_window=DAY, vote_period=2 * DAY, throttle_divisor=4, unclaimed_months=0),
    dict(TEST_TERMS, throttle_divisor=12, unclaimed_months=2, min_objections=1, quorum_bps=0),
    dict(TEST_TERMS, claim_cap=2 * ONE, member_cap=3 * ONE, auto_approve_max=2 * ONE, max_months=3),
    dict(TEST_TERMS, waiting_period=120 * DAY, categories=0b1),
]


# ---------------------------------------------------------------- world (built at import)


class _World:
    """The collective every example starts from. `aid_deployer` replaces the IwoMutualAid
    implementation (mutation checks, see mutants.py)."""

    def __init__(self, aid_deployer=None, label="real"):
        clock = (boa.env.evm.patch.timestamp, boa.env.evm.patch.block_number)
        self.organizer = boa.env.generate_address(f"aid-fuzz-organizer-{label}")
        self.founders = [boa.env.generate_address(f"aid-fuzz-founder{i}-{label}") for i in range(6)]
        self.stranger = boa.env.generate_address(f"aid-fuzz-stranger-{label}")
        for a in [self.organizer, self.stranger, *self.founders]:
            boa.env.set_balance(a, 10**6 * ONE)
        stack = deploy_stack(self.organizer)
        if aid_deployer is not None:
            with boa.env.prank(self.organizer):
                impls = (stack.card, stack.treasury, stack.governor, aid_deployer.deploy())
                stack.factory = contract("IwoFactory").deploy(*impls)
        c = create_collective(stack, self.founders, sender=self.organizer)
        self.c = c
        self.created = boa.env.timestamp
        self.logs = []
        for f in self.founders:
            with boa.env.prank(f):
                c.treasury.pay_dues(f, PREPAID, value=PREPAID * DUES)
            self.logs += c.treasury.get_logs()
        with boa.env.prank(self.organizer):
            c.treasury.donate(ETH, POOL_SEED, "seed", True, value=POOL_SEED)
        self.logs += c.treasury.get_logs()
        govern(c, [action(c.aid, "set_terms", terms())], self.founders[0], self.founders)
        travel(31 * DAY)
        self.start = (boa.env.evm.patch.timestamp, boa.env.evm.patch.block_number)
        # give the clock back: other machines' worlds expect it where they left it; each
        # example of this machine moves it forward again inside its anchor
        boa.env.evm.patch.timestamp, boa.env.evm.patch.block_number = clock
        harness._persist()  # commit to the trie, as the collective world does (later calls stay fast)


WORLD = _World()  # at collection time, outside every anchor (see tests/fuzz/conftest.py)


# ---------------------------------------------------------------- model


class Revert(Exception):
    pass


@dataclass
class Claim:
    cid: int
    index: int
    status: str  # contest, vote, approved, denied, tied, ended
    category: int
    monthly: int
    months: int
    version: int
    filed: int
    small: bool
    contest: int
    vote: int
    votes_for: int = 0
    votes_against: int = 0
    voters: set = field(default_factory=set)


@dataclass
class Payout:
    cid: int = 0
    first: int = 0
    due: int = 0
    settled: int = 0
    unclaimed: int = 0
    monthly: int = 0
    window_start: int = 0
    window_total: int = 0


@dataclass
class AidModel:
    terms: list
    members: dict  # index -> [address, joined, left or None, paid through]
    pool: int
    claims: dict = field(default_factory=dict)  # id -> Claim (every claim ever filed)
    latest: dict = field(default_factory=dict)  # index -> id of the member's latest claim
    seqs: dict = field(default_factory=dict)  # index -> claims filed
    payouts: dict = field(default_factory=dict)  # index -> Payout
    opened: int = 0
    ring: dict = field(default_factory=dict)  # month % RING -> (month, allowed, demand)
    schedule: dict = field(default_factory=dict)  # month -> [starts, ends]
    paid_month: dict = field(default_factory=dict)  # month -> instalments paid for it
    opened_log: list = field(default_factory=list)  # (month, pool, divisor, allowed, demand)

    def clone(self) -> AidModel:
        return copy.deepcopy(self)

    # ---- roll
    def index_of(self, a) -> int | None:
        return next((i for i, m in self.members.items() if m[0] == a), None)

    def is_member(self, a) -> bool:
        i = self.index_of(a)
        return i is not None and self.members[i][2] is None

    def in_good_standing(self, a, now) -> bool:
        return self.is_member(a) and self.members[self.index_of(a)][3] + GRACE >= now

    def eligible_at(self, a, ts) -> bool:
        """A card at `ts` and dues covering it (the governor's `eligible_at`; one term each here)."""
        i = self.index_of(a)
        if i is None:
            return False
        _, joined, left, paid = self.members[i]
        return joined <= ts and (left is None or ts < left) and paid + GRACE >= ts

    def count_at(self, ts) -> int:
        return sum(1 for _, joined, left, _ in self.members.values() if joined <= ts and (left is None or ts < left))

    # ---- claims
    def current(self, cid) -> Claim:
        if self.latest.get(cid >> 16) != cid:
            raise Revert("unknown claim")
        return self.claims[cid]

    def is_open(self, c: Claim, now) -> bool:
        if c.status in ("contest", "vote"):
            return True
        if c.status not in ("approved", "ended"):
            return False
        p = self.payouts[c.index]
        nxt, end = p.first + p.settled, p.first + p.due
        return nxt < end and now // AID_MONTH < end + p.unclaimed

    def check_request(self, t, category, monthly, months) -> int:
        if category >= 8 or not (t["categories"] >> category) & 1:
            raise Revert("category not enabled")
        if monthly == 0:
            raise Revert("zero amount")
        if months == 0:
            raise Revert("zero months")
        if months > t["max_months"]:
            raise Revert("too many months")
        if monthly > MAX_AMOUNT or monthly * months > t["claim_cap"]:
            raise Revert("over the claim cap")
        return monthly * months

    def file(self, a, category, monthly, months, now) -> int:
        version = len(self.terms) - 1
        t = self.terms[version]
        total = self.check_request(t, category, monthly, months)
        if not self.in_good_standing(a, now):
            raise Revert("dues in arrears" if self.is_member(a) else "not a member")
        if not self.eligible_at(a, now - t["waiting_period"]):
            raise Revert("waiting period not over")
        index = self.index_of(a)
        if index in self.latest and self.is_open(self.claims[self.latest[index]], now):
            raise Revert("claim already open")
        p = self.payouts.get(index, Payout())
        window = p.window_total if now < p.window_start + YEAR else 0
        if window + total > t["member_cap"]:
            raise Revert("over the member cap")
        seq = self.seqs.get(index, 0) + 1
        cid = index << 16 | seq
        small = total <= t["auto_approve_max"]
        self.claims[cid] = Claim(
            cid, index, "contest" if small else "vote", category, monthly, months, version, now, small,
            t["contest_window"], t["vote_period"],
        )  # fmt: skip
        self.latest[index] = cid
        self.seqs[index] = seq
        return cid

    def objected(self, c: Claim) -> bool:
        if c.votes_against == 0 or not c.small:
            return False
        t = self.terms[c.version]
        if c.votes_against >= t["min_objections"]:
            return True
        return c.votes_against * BPS >= self.count_at(c.filed - 1) * t["objection_bps"]

    def vote_start(self, c: Claim) -> int:
        return c.filed + c.contest if c.small else c.filed

    def ballot(self, a, c: Claim):
        if not self.eligible_at(a, c.filed - 1):
            raise Revert("not eligible at snapshot")
        i = self.index_of(a)
        if i == c.index:
            raise Revert("own claim")
        if i in c.voters:
            raise Revert("already voted")
        c.voters.add(i)

    def object(self, a, cid, now):
        c = self.current(cid)
        if c.status != "contest" or now >= c.filed + c.contest:
            raise Revert("not in its contest window")
        self.ballot(a, c)
        c.votes_against += 1

    def vote(self, a, cid, support, now):
        c = self.current(cid)
        if support > 1:
            raise Revert("invalid support")
        start = self.vote_start(c)
        if c.status == "contest":
            if now < start:
                raise Revert("contest window open")
            if not self.objected(c):
                raise Revert("claim not objected")
            c.status = "vote"
        elif c.status != "vote":
            raise Revert("claim decided")
        if now >= start + c.vote:
            raise Revert("vote closed")
        self.ballot(a, c)
        if support:
            c.votes_for += 1
        else:
            c.votes_against += 1

    def settle(self, cid, now) -> str:
        c = self.current(cid)
        start = self.vote_start(c)
        if c.status == "contest":
            if now < start:
                raise Revert("contest window open")
            if not self.objected(c):
                self.approve(c, now)
                return "approved"
        elif c.status != "vote":
            raise Revert("claim decided")
        if now < start + c.vote:
            raise Revert("vote open")
        votes = c.votes_for + c.votes_against
        base = self.count_at(c.filed - 1)
        carried = votes > 0 and votes * BPS >= base * self.terms[c.version]["quorum_bps"]
        if carried and c.votes_for > c.votes_against:
            self.approve(c, now)
            return "approved"
        c.status = "denied" if carried and c.votes_for < c.votes_against else "tied"
        return c.status

    def approve(self, c: Claim, now):
        self.open_month(now)
        m = now // AID_MONTH
        first = m + 1
        self.schedule.setdefault(first, [0, 0])[0] += c.monthly
        self.schedule.setdefault(first + c.months, [0, 0])[1] += c.monthly
        p = self.payouts.get(c.index, Payout())
        ws, wt = p.window_start, p.window_total
        if c.filed >= ws + YEAR:
            ws, wt = c.filed, 0
        wt += c.monthly * c.months
        self.payouts[c.index] = Payout(
            c.cid, first, c.months, 0, self.terms[c.version]["unclaimed_months"], c.monthly, ws, wt
        )
        c.status = "approved"

    def open_month(self, now):
        m = now // AID_MONTH
        if self.opened == m:
            return
        last = self.opened
        demand = 0
        if last == 0:
            last = m - 1
        else:
            demand = self.ring[last % RING][2]
        pool = self.pool
        divisor = self.terms[-1]["throttle_divisor"]

        def record(k, pool):
            allowed = min(demand, pool // divisor)
            self.ring[k % RING] = (k, allowed, demand)
            self.opened_log.append((k, pool, divisor, allowed, demand))
            return pool - allowed

        end = min(m, last + 36 + 1)
        for k in range(last + 1, end + 1):
            s, e = self.schedule.get(k, (0, 0))
            demand = demand + s - e
            if k + RING > m:
                pool = record(k, pool)
        for k in range(max(end + 1, m + 1 - RING), m + 1):
            pool = record(k, pool)
        self.opened = m

    def withdraw(self, a, cid, now) -> int:
        index = cid >> 16
        p = self.payouts.get(index)
        if p is None or p.cid != cid:
            raise Revert("claim not approved")
        if not self.in_good_standing(a, now):
            raise Revert("not in good standing")
        if self.index_of(a) != index:
            raise Revert("not the claimant")
        self.open_month(now)
        m = now // AID_MONTH
        nxt, end = p.first + p.settled, p.first + p.due
        if nxt >= end:
            raise Revert("claim fully paid")
        if nxt > m:
            raise Revert("nothing due yet")
        last = min(m, end - 1)
        amount = 0
        for k in range(max(nxt, m - p.unclaimed), last + 1):
            month, allowed, demand = self.ring[k % RING]
            assert month == k, f"month {k} has no record"
            part = p.monthly * allowed // demand if demand else 0
            self.paid_month[k] = self.paid_month.get(k, 0) + part
            amount += part
        p.settled = last + 1 - p.first
        if amount > self.pool:
            raise Revert("pool too small")
        self.pool -= amount
        return amount

    def end(self, cid, now):
        c = self.current(cid)
        if c.status != "approved":
            raise Revert("claim not running")
        self.open_month(now)
        m = now // AID_MONTH
        p = self.payouts[c.index]
        due = p.due
        if p.first > m:
            due = 0
            self.schedule[p.first][0] -= p.monthly
            self.schedule[p.first + p.due][1] -= p.monthly
        elif p.first + p.due > m + 1:
            due = m + 1 - p.first
            self.schedule[p.first + p.due][1] -= p.monthly
            self.schedule.setdefault(m + 1, [0, 0])[1] += p.monthly
        p.settled = min(p.settled, due)
        p.due = due
        c.status = "ended"

    def state(self, c: Claim, now) -> str:
        if c.status in ("approved", "denied", "tied", "ended"):
            return c.status
        start = self.vote_start(c)
        if c.status == "contest":
            if now < start:
                return "contest"
            if not self.objected(c):
                return "decidable"
        return "voting" if now < start + c.vote else "decidable"


STATE_FLAGS = {
    "contest": 1,
    "voting": 2,
    "decidable": 4,
    "approved": 8,
    "denied": 16,
    "tied": 32,
    "ended": 64,
}


# ---------------------------------------------------------------- strategies

actor = st.integers(0, 6)  # 0..5 founders, 6 the stranger
monthly = st.sampled_from([ONE // 10, ONE // 4, ONE // 2, ONE, 2 * ONE, 7 * ONE, 1, 0])
months = st.sampled_from([1, 1, 2, 3, 6, 12, 13])
category = st.sampled_from([0, 1, 2, 4, 6])
claim_ref = st.integers(0, 15)
seconds = st.sampled_from([1, DAY, 3 * DAY, 4 * DAY, 7 * DAY, 12 * DAY, 25 * DAY, 45 * DAY])
support = st.sampled_from([1, 1, 0, 2])


class AidMachine(RuleBasedStateMachine):
    world = WORLD

    def __init__(self):
        super().__init__()
        self._anchor = boa.env.anchor()
        self._anchor.__enter__()
        boa.env.evm.patch.timestamp, boa.env.evm.patch.block_number = self.world.start

    def teardown(self):
        self._anchor.__exit__(None, None, None)

    # ------------------------------------------------------------ plumbing

    def _call(self, contract, name, *args, sender, value=0):
        data = getattr(contract, name).prepare_calldata(*args)
        computation = boa.env.execute_code(to_address=contract.address, sender=sender, value=value, data=data)
        if computation.is_error:
            return False, None
        self._take_logs(contract.get_logs(computation=computation))
        return True, computation.output

    def _step(self, op, contract, name, *args, sender, value=0):
        clone = self.model.clone()
        try:
            result = op(clone)
            expect = True
        except Revert as why:
            result, expect = str(why), False
        ok, out = self._call(contract, name, *args, sender=sender, value=value)
        STATS[f"{name} {'ok' if ok else 'revert'}"] += 1
        assert ok == expect, f"{name}{args}: chain {'ok' if ok else 'reverted'}, model {'ok' if expect else result}"
        if ok:
            self.model = clone
        return ok, out, result

    def _take_logs(self, logs):
        for log in logs:
            name = type(log).__name__
            where = to_checksum_address(str(log.address))
            if where == self.treasury_addr:
                if name in ("DuesPaid", "DonationReceived"):
                    self._pool(log.to_pool, log.pool, name)
                elif name == "PoolFunded":
                    self._pool(log.amount, log.pool, name)
                elif name == "PoolReleased":
                    self._pool(-log.amount, log.pool, name)
                elif name == "AidPaid":
                    self._pool(-log.amount, log.pool, name)
                    self.paid_claim[log.claim_id] += log.amount
            elif where == self.aid_addr:
                if name == "MonthOpened":
                    self.opened_events.append((log.month, log.pool, log.divisor, log.allowed, log.demand))
                elif name == "ClaimDecided" and log.outcome == STATE_FLAGS["approved"]:
                    self.window_checks.append((log.claim_id, log.window_total))

    def _pool(self, delta, after, name):
        self.pool_books += delta
        assert self.pool_books >= 0, f"{name}: the pool went negative"
        assert after == self.pool_books, f"{name}: event pool {after} != inflows - payouts {self.pool_books}"

    def _address(self, i):
        return self.world.founders[i] if i < 6 else self.world.stranger

    def _cid(self, ref):
        """A claim id: the latest claim of some member, or an unknown one."""
        ids = sorted(self.model.latest.values())
        if not ids or ref == 15:
            return (ref % 7) << 16 | 9
        return ids[ref % len(ids)]

    # ------------------------------------------------------------ setup

    @initialize()
    def start(self):
        w = self.world
        c = w.c
        self.c = c
        self.treasury_addr = to_checksum_address(str(c.treasury.address))
        self.aid_addr = to_checksum_address(str(c.aid.address))
        assert boa.env.timestamp == w.start[0]
        members = {i: [a, w.created, None, w.created + PREPAID * PERIOD] for i, a in enumerate(w.founders)}
        self.model = AidModel(terms=[DEFAULT_TERMS, dict(TEST_TERMS)], members=members, pool=c.treasury.pool(ETH))
        self.pool_books = 0
        self._take_logs(w.logs)
        assert self.pool_books == self.model.pool
        self.paid_claim = defaultdict(int)
        self.opened_events = []
        self.window_checks = []
        self.proposer = 0

    # ------------------------------------------------------------ rules

    @rule(seconds=seconds)
    def wait(self, seconds):
        travel(seconds)

    @rule()
    def to_next_month(self):
        now = boa.env.timestamp
        travel((now // AID_MONTH + 1) * AID_MONTH + 3600 - now)

    @rule(who=actor, category=category, monthly=monthly, months=months)
    def file(self, who, category, monthly, months):
        a = self._address(who)
        now = boa.env.timestamp
        ok, out, cid = self._step(
            lambda m: m.file(a, category, monthly, months, now),
            self.c.aid,
            "file_claim",
            category,
            monthly,
            months,
            b"\x07" * 32,
            sender=a,
        )
        if ok:
            assert decode(["uint256"], out)[0] == cid

    @precondition(lambda self: self.model.latest)
    @rule(who=actor, ref=claim_ref)
    def object(self, who, ref):
        a, cid, now = self._address(who), self._cid(ref), boa.env.timestamp
        self._step(lambda m: m.object(a, cid, now), self.c.aid, "object", cid, sender=a)

    @precondition(lambda self: self.model.latest)
    @rule(who=actor, ref=claim_ref, support=support)
    def vote(self, who, ref, support):
        a, cid, now = self._address(who), self._cid(ref), boa.env.timestamp
        self._step(lambda m: m.vote(a, cid, support, now), self.c.aid, "vote", cid, support, sender=a)

    @precondition(lambda self: self.model.latest)
    @rule(ref=claim_ref)
    def settle(self, ref):
        cid, now = self._cid(ref), boa.env.timestamp
        self._step(lambda m: m.settle(cid, now), self.c.aid, "settle", cid, sender=self.world.stranger)

    @rule()
    def open_month(self):
        now = boa.env.timestamp
        self._step(lambda m: m.open_month(now), self.c.aid, "open_month", sender=self.world.stranger)

    @precondition(lambda self: self.model.payouts)
    @rule(ref=claim_ref, who=st.sampled_from(["claimant", "claimant", "claimant", "other"]), other=actor)
    def withdraw(self, ref, who, other):
        cid, now = self._cid(ref), boa.env.timestamp
        index = cid >> 16
        a = self._address(index if who == "claimant" and index < 6 else other)
        ok, out, amount = self._step(lambda m: m.withdraw(a, cid, now), self.c.aid, "withdraw", cid, sender=a)
        if ok:
            assert decode(["uint256"], out)[0] == amount, "withdrawn amount != model"

    @rule(who=st.integers(0, 5))
    def resign(self, who):
        a = self._address(who)
        if not self.model.is_member(a) or sum(1 for m in self.model.members.values() if m[2] is None) <= 2:
            return
        with boa.env.prank(a):
            self.c.governor.resign()
        self.model.members[who][2] = boa.env.timestamp

    @precondition(lambda self: self.model.latest)
    @rule(ref=claim_ref, who=st.integers(0, 5))
    def stop(self, ref, who):
        cid, now = self._cid(ref), boa.env.timestamp
        a = self._address(who)

        def op(m):
            if m.index_of(a) != cid >> 16:
                raise Revert("not the claimant")
            if m.is_member(a):
                raise Revert("claimant is a member")
            m.end(cid, now)

        self._step(op, self.c.aid, "stop", cid, a, sender=self.world.stranger)

    @rule(who=st.integers(0, 5), periods=st.sampled_from([1, 3]))
    def pay_dues(self, who, periods):
        a = self._address(who)
        if not self.model.is_member(a):
            return
        amount = periods * DUES
        with boa.env.prank(a):
            self.c.treasury.pay_dues(a, periods, value=amount)
        self._take_logs(self.c.treasury.get_logs())
        self.model.pool += amount * POOL_SHARE_BPS // BPS
        self.model.members[who][3] += periods * PERIOD

    @rule(amount=st.sampled_from([1, ONE // 3, ONE, 5 * ONE]))
    def gift_to_pool(self, amount):
        with boa.env.prank(self.world.organizer):
            self.c.treasury.donate(ETH, amount, "fuzz", True, value=amount)
        self._take_logs(self.c.treasury.get_logs())
        self.model.pool += amount

    # ---- by vote (about five days each)

    def _govern(self, actions):
        m = self.model
        voters = [a for i, (a, _, left, _) in m.members.items() if left is None]
        for _ in range(6):
            self.proposer = (self.proposer + 1) % 6
            proposer = self.world.founders[self.proposer]
            if m.is_member(proposer):
                break
        govern(self.c, actions, proposer, voters, "fuzz")
        self._take_logs(self.c.governor.get_logs())

    @rule(kind=st.sampled_from(["terms", "unfund", "end"]), choice=st.integers(0, 15))
    def by_vote(self, kind, choice):
        """New terms, part of the pool back to the free balance, or a running claim ended."""
        m = self.model
        if kind == "terms":
            t = TERMS_CHOICES[choice % len(TERMS_CHOICES)]
            self._govern([action(self.c.aid, "set_terms", tuple(t[f] for f in TERMS_FIELDS))])
            m.terms.append(dict(t))
        elif kind == "unfund":
            amount = m.pool // (2 + choice % 3)
            if amount:
                self._govern([action(self.c.treasury, "unfund_pool", ETH, amount)])
                m.pool -= amount
        else:
            running = [cid for cid in sorted(m.latest.values()) if m.claims[cid].status == "approved"]
            if running:
                cid = running[choice % len(running)]
                self._govern([action(self.c.aid, "end_claim", cid)])
                self.model.end(cid, boa.env.timestamp)  # at the execution's time: the same months open
        STATS[f"by vote: {kind}"] += 1

    @rule(
        who=st.integers(0, 5),
        path=st.sampled_from(["silence", "silence", "objected", "large"]),
        monthly=st.sampled_from([ONE // 10, ONE // 4, ONE // 2, ONE // 3 + 7, 2 * ONE]),
        months=st.sampled_from([1, 2, 3]),
        ballots=st.lists(st.sampled_from([1, 1, 0]), min_size=5, max_size=5),
    )
    def claim_life(self, who, path, monthly, months, ballots):
        """A claim filed and decided in one step: approved by silence, objected then voted, or a
        larger claim voted; the claimant tries to object to and vote on it too (each call is
        still checked against the model)."""
        if path == "large":
            monthly = max(ONE, monthly)
            months = max(2, months)
        before = set(self.model.latest.values())
        self.file(who, 1, monthly, months)
        new = set(self.model.latest.values()) - before
        if not new:
            return
        (cid,) = new
        c = self.model.claims[cid]
        others = [i for i in range(6) if i != who]
        if path == "objected":
            self.object(who, self._ref(cid))
            for i in others[:2]:
                self.object(i, self._ref(cid))
        if c.small:
            self._until(c.filed + c.contest)
        if path != "silence":
            self.vote(who, self._ref(cid), 1)
            for i, support in zip(others, ballots):
                self.vote(i, self._ref(cid), support)
        self._until(self.model.vote_start(c) + c.vote)
        self.settle(self._ref(cid))
        STATS[f"claim life {path}: {self.model.claims[cid].status}"] += 1

    @precondition(lambda self: self.model.payouts)
    @rule(skip=st.sampled_from([1, 1, 1, 2, 3]))
    def everyone_withdraws(self, skip):
        """`skip` months on, every claimant with an approved claim withdraws (some instalments
        may have lapsed)."""
        for _ in range(skip):
            self.to_next_month()
        for index, p in sorted(self.model.payouts.items()):
            if index < 6:
                self.withdraw(self._ref(p.cid), "claimant", index)

    @precondition(lambda self: any(p.window_total for i, p in self.model.payouts.items() if i < 6))
    @rule(pick=st.integers(0, 5), monthly=st.sampled_from([ONE, 2 * ONE, ONE // 2]), months=st.sampled_from([2, 3]))
    def claim_again(self, pick, monthly, months):
        """A member with approved claims in their 12-month window claims again as soon as the
        last one closes (month by month, withdrawing): the member cap decides."""
        indexes = sorted(i for i, p in self.model.payouts.items() if p.window_total and i < 6)
        index = indexes[pick % len(indexes)]
        for _ in range(6):
            latest = self.model.claims[self.model.latest[index]]
            if not self.model.is_open(latest, boa.env.timestamp):
                break
            self.everyone_withdraws(1)
        self.file(index, 1, monthly, months)

    def _ref(self, cid) -> int:
        """The claim_ref that `_cid` maps to `cid`."""
        ids = sorted(self.model.latest.values())
        return ids.index(cid) if cid in ids else 15

    def _until(self, target):
        now = boa.env.timestamp
        if target > now:
            travel(target - now)

    # ------------------------------------------------------------ invariants

    @invariant()
    def pool_caps_and_throttle(self):
        m, c = self.model, self.c
        now = boa.env.timestamp
        # (a) pool rebuilt from events == chain == model
        pool = c.treasury.pool(ETH)
        assert pool == self.pool_books == m.pool, f"pool {pool}, from events {self.pool_books}, model {m.pool}"
        assert pool <= c.treasury.balance_of(ETH)
        # (b) caps
        for cid, paid in self.paid_claim.items():
            claim = m.claims[cid]
            assert paid <= claim.monthly * claim.months <= m.terms[claim.version]["claim_cap"], (
                f"claim {cid:#x} paid {paid}"
            )
        for cid, window_total in self.window_checks:
            claim = m.claims[cid]
            assert window_total <= m.terms[claim.version]["member_cap"], f"claim {cid:#x}: window {window_total}"
            assert window_total == m.payouts[claim.index].window_total or m.payouts[claim.index].cid != cid
        self.window_checks.clear()
        # (c) throttle: events == model's openings; allowed <= min(demand, pool // divisor)
        assert self.opened_events == m.opened_log, "MonthOpened events != model"
        for _month, opened_pool, divisor, allowed, demand in self.opened_events:
            assert allowed == min(demand, opened_pool // divisor) and allowed <= opened_pool // divisor
        allowed_of = {k: allowed for k, _, _, allowed, _ in self.opened_events}
        for k, paid in m.paid_month.items():
            assert paid <= allowed_of[k], f"month {k}: paid {paid} > allowed {allowed_of[k]}"
        # (d) states of the stored claims
        for cid in m.latest.values():
            want = STATE_FLAGS[m.state(m.claims[cid], now)]
            assert c.aid.state(cid) == want, f"claim {cid:#x} state {c.aid.state(cid)} != model {want}"


AidMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


class TestMutualAid(AidMachine.TestCase):
    pass

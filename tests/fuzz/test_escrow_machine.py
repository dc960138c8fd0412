"""Stateful property tests of the work escrow (titanoboa, hypothesis).

Random sequences of: jobs created (ETH or a token, 1-3 milestones, review windows of 1, 3 or
14 days) and extended, deliveries, partial and whole releases and refunds, releases by silence,
reclaims, disputes (opened, drawn from a random prevrandao, voted with random splits and
no-shows, appealed and ruled on by an executed proposal, settled), time travel, the token turning
hostile (transfers return false) and back, a worker contract refusing ETH and back, withdrawals
of what was credited, reviews by either side (before the end, twice, bad ratings included). Each call's outcome (success or the exact revert) is predicted from the
contract's NatSpec rules and must match; the contract's view of each touched milestone must equal
the model's.

Invariants, after every step:

(a) per asset, what the escrow holds equals deposits (JobCreated, MilestonesAdded, the dispute
    fees of DisputeOpened) minus what left the jobs (Released, Refunded, Reclaimed,
    DisputeSettled: worker + fee + client + panel pay) plus what was credited instead of paid
    (PaymentDeferred) minus what was withdrawn (Withdrawn), rebuilt from the escrow's events
    alone; and each event's `balance` field equals that running figure;
(b) the same holdings equal the model's sum of what open milestones still hold, plus the dispute
    fees of open disputes, plus the credits;

and at the end of every sequence (teardown):

(c) every job ends within its bounded time through calls anyone can make: each open milestone is
    ended by an outsider exactly at its bound (undelivered: just after its deadline; delivered:
    at the end of its review window; disputed: at the end of the appeal window, or at the appeal
    deadline when appealed), every job reports `ended`, and once the credits are withdrawn the
    escrow holds nothing in any asset.

Settings: IWO_FUZZ_EXAMPLES (default 200) sequences of IWO_FUZZ_STEPS (default 30) steps.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections import Counter
from dataclasses import dataclass, field

import boa
import pytest
from eth_abi import decode
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # tests/ (utils.*)
import harness  # noqa: E402
from utils.boa_stack import DAY, contract, travel  # noqa: E402
from utils.escrow_kit import (  # noqa: E402
    BLOCKHASH_WINDOW,
    DEFAULTS,
    DELIVERED,
    DISPUTED,
    ETH,
    FUNDED,
    SETTLED,
    Job,
    escrow_world,
    salt,
)

pytestmark = pytest.mark.filterwarnings("ignore:casted bytecode does not match")

EXAMPLES = int(os.environ.get("IWO_FUZZ_EXAMPLES", "200"))
STEPS = int(os.environ.get("IWO_FUZZ_STEPS", "30"))
BPS = 10_000
WINDOWS = (DAY, 3 * DAY, 0)  # 0: the collective's default (14 days)
AMOUNTS = (1, 999, 10**15, 10**18)
TRAVEL = (3600, DAY, 3 * DAY, 8 * DAY, 15 * DAY)
REFUSE = 1
FALSE = 1
# Outcome counts of every call ("release ok", "settle_dispute revert: escrow: appeal pending", ...),
# for tuning the strategies; nothing prints them.
STATS: Counter = Counter()


def _reason(computation) -> str:
    out = bytes(computation.output or b"")
    if out[:4] == bytes.fromhex("08c379a0"):
        return decode(["string"], out[4:])[0]
    return "<no reason>"


def _build_world():
    """Deployed at import (collection) time, outside every anchor (see conftest.py). Building
    moves the clock (votes, a day of warm-up); the clock is put back afterwards so the other
    machines' worlds keep their timeline, and each example moves forward to `ready_at`."""
    harness.setup_boa()
    clock = (boa.env.evm.patch.timestamp, boa.env.evm.patch.block_number)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        world = escrow_world(founders=5)
    party = contract("HostileParty").deploy()
    world.by_vote(world.governor, "admit_member", party.address)
    world.treasury.pay_dues(party.address, 24, value=24 * 10**16, sender=world.client)
    world.party = party
    world.workers = [party.address, *world.founders[:3]]
    world.clients = [world.client, world.outsider]
    world.token.mint(world.outsider, 10**30)
    world.token.approve(world.escrow, 2**256 - 1, sender=world.outsider)
    world.fixed_holders = {world.governor.roll_index(a): a for a in [*world.founders, party.address]}
    world.ready_at = (boa.env.evm.patch.timestamp, boa.env.evm.patch.block_number)
    boa.env.evm.patch.timestamp, boa.env.evm.patch.block_number = clock
    harness._persist()
    return world


WORLD = _build_world()


@dataclass
class MState:
    remaining: int
    deadline: int
    stage: int = FUNDED
    delivered_at: int = 0
    disputed_at: int = 0
    dispute_fee: int = 0
    panel: list | None = None
    committed: dict = field(default_factory=dict)  # seat -> split
    revealed: dict = field(default_factory=dict)  # seat -> split
    appealed: bool = False
    override: int | None = None


@dataclass
class JState:
    job: Job
    milestones: list
    reviewed: set = field(default_factory=set)  # "client", "worker"


class EscrowMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.w = WORLD
        self.e = WORLD.escrow
        self._anchor = boa.env.anchor()
        self._anchor.__enter__()
        timestamp, block = WORLD.ready_at
        boa.env.evm.patch.timestamp = max(timestamp, boa.env.evm.patch.timestamp)
        boa.env.evm.patch.block_number = max(block, boa.env.evm.patch.block_number)
        self.jobs: list[JState] = []
        self.settings = DEFAULTS
        self.token_false = False
        self.party_refuses = False
        self.books = {ETH: 0, WORLD.token.address: 0}
        self.credits: dict = {}  # (account, asset) -> amount
        self.w.party.set_mode(0, self.w.outsider, b"")

    # ------------------------------------------------------------ plumbing
    def call(self, expect: str | None, contract, name: str, *args, sender, value=0):
        """Sends a transaction; `expect` None: it must succeed, else it must revert with exactly
        that reason. Through `execute_code`: an expected revert costs no BoaError rendering."""
        data = getattr(contract, name).prepare_calldata(*args)
        comp = boa.env.execute_code(to_address=contract.address, sender=sender, value=value, data=data)
        STATS[f"{name} {'revert: ' + _reason(comp) if comp.is_error else 'ok'}"] += 1
        if comp.is_error:
            got = _reason(comp)
            assert expect is not None, f"{name}{args!r} reverted: {got}"
            assert got == expect, (name, got, expect)
            return None
        assert expect is None, f"{name}{args!r} succeeded, expected {expect!r}"
        logs = self.e.get_logs(computation=comp)
        self.absorb(logs)
        return logs

    def as_worker(self, expect, js: JState, method: str, *args):
        """The worker calls the escrow (through `act` when the worker is the hostile party)."""
        if js.job.worker == self.w.party.address:
            data = getattr(self.e, method).prepare_calldata(*args)
            return self.call(expect, self.w.party, "act", self.e.address, data, 0, sender=self.w.outsider)
        return self.call(expect, self.e, method, *args, sender=js.job.worker)

    def absorb(self, logs):
        """(a): rebuilds the books from the escrow's events and checks every balance field."""
        job_asset = {j.job.job_id: j.job.asset for j in self.jobs}
        for e in logs:
            if e.address != self.e.address:
                continue
            name = type(e).__name__
            delta, asset = 0, None
            if name == "JobCreated":
                asset, delta = e.asset, e.total
            elif name == "MilestonesAdded":
                asset, delta = job_asset[e.job_id], e.total
            elif name == "DisputeOpened":
                asset, delta = job_asset[e.job_id], e.dispute_fee
            elif name in ("Released", "Refunded", "Reclaimed"):
                asset, delta = job_asset[e.job_id], -e.amount
            elif name == "DisputeSettled":
                asset = job_asset[e.job_id]
                delta = -(e.worker_amount + e.fee + e.client_amount + e.panel_share * len(e.panelists_paid))
            elif name == "PaymentDeferred":
                asset, delta = e.asset, e.amount
                key = (str(e.account), str(e.asset))
                self.credits[key] = self.credits.get(key, 0) + e.amount
                assert self.credits[key] == e.claimable
            elif name == "Withdrawn":
                asset, delta = e.asset, -e.amount
                self.credits[(str(e.account), str(e.asset))] -= e.amount
            if asset is None:
                continue
            self.books[str(asset)] += delta
            if hasattr(e, "balance") and name != "PaymentDeferred":
                assert e.balance == self.books[str(asset)], (name, e.balance, self.books[str(asset)])

    def now(self):
        return boa.env.timestamp

    def js_m(self, pick, m, stages=()):
        """A milestone: one in one of `stages` when there is one (a useful step), else any (the
        revert paths stay covered)."""
        fitting = [(js, i, ms) for js in self.jobs for i, ms in enumerate(js.milestones) if ms.stage in stages]
        if fitting and m % 4:
            return fitting[pick % len(fitting)]
        js = self.jobs[pick % len(self.jobs)]
        index = m % len(js.milestones)
        return js, index, js.milestones[index]

    def check_view(self, js, index):
        v = self.e.milestone(js.job.job_id, js.job.terms, index)
        ms = js.milestones[index]
        assert (v.remaining, v.stage, v.deadline, v.delivered_at, v.disputed_at) == (
            ms.remaining,
            ms.stage,
            ms.deadline,
            ms.delivered_at,
            ms.disputed_at,
        )

    def settle_ms(self, ms):
        ms.remaining = 0
        ms.stage = SETTLED

    def deadlines(self, ms):
        s = self.settings_of(ms)
        commit_end = ms.disputed_at + s.commit_period
        reveal_end = commit_end + s.reveal_period
        return commit_end, reveal_end, reveal_end + s.appeal_window, reveal_end + s.appeal_period

    def settings_of(self, ms):
        return DEFAULTS

    # ------------------------------------------------------------ rules
    @rule(
        client=st.integers(0, 1),
        worker=st.integers(0, 3),
        token=st.booleans(),
        amounts=st.lists(st.sampled_from(AMOUNTS), min_size=1, max_size=3),
        days=st.integers(1, 20),
        window=st.sampled_from(WINDOWS),
    )
    def create(self, client, worker, token, amounts, days, window):
        asset = self.w.token.address if token else ETH
        milestones = [(a, self.now() + days * DAY) for a in amounts]
        expect = "escrow: token transfer failed" if token and self.token_false else None
        total = sum(amounts)
        logs = self.call(
            expect,
            self.e,
            "create_job",
            self.w.workers[worker],
            asset,
            milestones,
            window,
            b"",
            b"",
            b"",
            0,
            sender=self.w.clients[client],
            value=0 if token else total,
        )
        if logs is None:
            return
        e = [x for x in logs if type(x).__name__ == "JobCreated"][0]
        job = Job(e.job_id, e.client, e.worker, e.asset, e.fee_bps, e.review_window, e.version, milestones)
        self.jobs.append(JState(job, [MState(a, d) for a, d in milestones]))

    @precondition(lambda self: self.jobs)
    @rule(pick=st.integers(0, 99), amount=st.sampled_from(AMOUNTS), days=st.integers(1, 20))
    def add(self, pick, amount, days):
        js = self.jobs[pick % len(self.jobs)]
        j = js.job
        expect = None
        if js.reviewed:
            expect = "escrow: job closed by a review"
        elif len(js.milestones) + 1 > 16:
            expect = "escrow: too many milestones"
        elif j.asset != ETH and self.token_false:
            expect = "escrow: token transfer failed"
        value = amount if j.asset == ETH else 0
        deadline = self.now() + days * DAY
        self.call(
            expect, self.e, "add_milestones", j.job_id, j.terms, [(amount, deadline)], value=value, sender=j.client
        )
        if expect is None:
            js.milestones.append(MState(amount, deadline))

    @precondition(lambda self: self.jobs)
    @rule(pick=st.integers(0, 99), m=st.integers(0, 3), then_dispute=st.booleans())
    def deliver(self, pick, m, then_dispute=False):
        js, i, ms = self.js_m(pick, m, (FUNDED,))
        expect = None
        if ms.stage == DELIVERED:
            expect = "escrow: already delivered"
        elif ms.stage == DISPUTED:
            expect = "escrow: milestone disputed"
        elif ms.stage == SETTLED:
            expect = "escrow: milestone settled"
        elif self.now() > ms.deadline:
            expect = "escrow: deadline passed"
        self.as_worker(expect, js, "deliver", js.job.job_id, js.job.terms, i, b"\x01" * 32)
        if expect is None:
            ms.stage, ms.delivered_at = DELIVERED, self.now()
        self.check_view(js, i)
        if expect is None and then_dispute:
            self._dispute(js, i, ms)

    def _open_expect(self, ms):
        if ms.stage == DISPUTED:
            return "escrow: milestone disputed"
        if ms.stage == SETTLED:
            return "escrow: milestone settled"
        return None

    @precondition(lambda self: self.jobs)
    @rule(pick=st.integers(0, 99), m=st.integers(0, 3), part=st.sampled_from((1, 2, 4)), refund=st.booleans())
    def release_or_refund(self, pick, m, part, refund):
        js, i, ms = self.js_m(pick, m, (FUNDED, DELIVERED))
        amount = ms.remaining // part if ms.remaining else 1
        expect = self._open_expect(ms)
        if expect is None and amount == 0:
            expect = "escrow: zero amount"
        if refund:
            self.as_worker(expect, js, "refund", js.job.job_id, js.job.terms, i, amount)
        else:
            self.call(expect, self.e, "release", js.job.job_id, js.job.terms, i, amount, sender=js.job.client)
        if expect is None:
            ms.remaining -= amount
            if ms.remaining == 0:
                ms.stage = SETTLED
        self.check_view(js, i)

    @precondition(lambda self: self.jobs)
    @rule(pick=st.integers(0, 99), m=st.integers(0, 3))
    def release_after_review(self, pick, m):
        js, i, ms = self.js_m(pick, m, (DELIVERED,))
        expect = None
        if ms.stage == FUNDED:
            expect = "escrow: milestone not delivered"
        elif ms.stage in (DISPUTED, SETTLED):
            expect = self._open_expect(ms)
        elif self.now() < ms.delivered_at + js.job.review_window:
            expect = "escrow: review window open"
        self.call(expect, self.e, "release_after_review", js.job.job_id, js.job.terms, i, sender=self.w.organizer)
        if expect is None:
            self.settle_ms(ms)
        self.check_view(js, i)

    @precondition(lambda self: self.jobs)
    @rule(pick=st.integers(0, 99), m=st.integers(0, 3), by_client=st.booleans())
    def reclaim(self, pick, m, by_client):
        js, i, ms = self.js_m(pick, m, (FUNDED,))
        expect = None
        if ms.stage == DELIVERED:
            expect = "escrow: milestone delivered"
        elif ms.stage in (DISPUTED, SETTLED):
            expect = self._open_expect(ms)
        elif self.now() <= ms.deadline:
            expect = "escrow: deadline not passed"  # workers stay members here
        sender = js.job.client if by_client else self.w.organizer
        self.call(expect, self.e, "reclaim", js.job.job_id, js.job.terms, i, sender=sender)
        if expect is None:
            self.settle_ms(ms)
        self.check_view(js, i)

    @precondition(lambda self: self.jobs)
    @rule(pick=st.integers(0, 99), m=st.integers(0, 3))
    def dispute(self, pick, m):
        js, i, ms = self.js_m(pick, m, (DELIVERED,))
        self._dispute(js, i, ms)

    def _dispute(self, js, i, ms):
        expect = None
        if ms.stage == FUNDED:
            expect = "escrow: milestone not delivered"
        elif ms.stage in (DISPUTED, SETTLED):
            expect = self._open_expect(ms)
        elif self.now() >= ms.delivered_at + js.job.review_window:
            expect = "escrow: review window closed"
        elif js.job.asset != ETH and self.token_false and ms.remaining * DEFAULTS.dispute_fee_bps // BPS:
            expect = "escrow: token transfer failed"
        fee = ms.remaining * DEFAULTS.dispute_fee_bps // BPS
        value = fee if js.job.asset == ETH else 0
        self.call(expect, self.e, "open_dispute", js.job.job_id, js.job.terms, i, value=value, sender=js.job.client)
        if expect is None:
            ms.stage, ms.disputed_at, ms.dispute_fee = DISPUTED, self.now(), fee
        self.check_view(js, i)

    @precondition(lambda self: any(ms.stage in (FUNDED, DELIVERED) for js in self.jobs for ms in js.milestones))
    @rule(
        pick=st.integers(0, 99),
        mix=st.binary(min_size=32, max_size=32),
        splits=st.lists(st.one_of(st.none(), st.integers(0, BPS)), min_size=5, max_size=5),
        appeal=st.sampled_from((None, None, 0, 10_000, 3333)),
    )
    def dispute_life(self, pick, mix, splits, appeal):
        """A whole dispute in one step: delivery (if needed), opening, draw, votes, maybe an
        appeal ruled on by the collective; the settlement is left to `settle` or the teardown."""
        js, i, ms = self.js_m(pick, 1, (FUNDED, DELIVERED))
        if ms.stage == FUNDED:
            if self.now() > ms.deadline:
                return
            self.as_worker(None, js, "deliver", js.job.job_id, js.job.terms, i, b"\x01" * 32)
            ms.stage, ms.delivered_at = DELIVERED, self.now()
        if ms.stage != DELIVERED or self.now() >= ms.delivered_at + js.job.review_window:
            return
        self._dispute(js, i, ms)
        if ms.stage != DISPUTED:
            return
        self._draw(js, i, ms, mix)
        self._vote(js, i, ms, splits)
        if appeal is not None:
            reveal_end = self.deadlines(ms)[1]
            if self.now() < reveal_end:
                travel(reveal_end - self.now())
            self._appeal(js, i, ms, appeal, True)

    def _disputed(self):
        return [(js, i, ms) for js in self.jobs for i, ms in enumerate(js.milestones) if ms.stage == DISPUTED]

    @precondition(lambda self: any(ms.stage == DISPUTED for js in self.jobs for ms in js.milestones))
    @rule(pick=st.integers(0, 99), mix=st.binary(min_size=32, max_size=32))
    def draw(self, pick, mix):
        candidates = self._disputed()
        js, i, ms = candidates[pick % len(candidates)]
        self._draw(js, i, ms, mix)

    def _draw(self, js, i, ms, mix):
        commit_end = self.deadlines(ms)[0]
        if ms.panel is not None or self.now() >= commit_end:
            return
        draw_block = self.e.milestone(js.job.job_id, js.job.terms, i).draw_block
        if boa.env.evm.patch.block_number > draw_block + BLOCKHASH_WINDOW:
            self.call(None, self.e, "rearm_draw", js.job.job_id, js.job.terms, i, sender=self.w.organizer)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            header = self.w.header_for(js.job, i, mix)
            hints = self.w.hints_for(js.job, header, i)
        logs = self.call(
            None, self.e, "draw_panel", js.job.job_id, js.job.terms, i, header, hints, sender=self.w.organizer
        )
        ms.panel = list([x for x in logs if type(x).__name__ == "PanelDrawn"][0].panelists)
        assert js.job.worker not in ms.panel and js.job.client not in ms.panel

    @precondition(lambda self: any(ms.panel for js in self.jobs for ms in js.milestones if ms.stage == DISPUTED))
    @rule(
        pick=st.integers(0, 99),
        splits=st.lists(st.one_of(st.none(), st.integers(0, BPS)), min_size=5, max_size=5),
    )
    def vote(self, pick, splits):
        candidates = [c for c in self._disputed() if c[2].panel]
        js, i, ms = candidates[pick % len(candidates)]
        self._vote(js, i, ms, splits)

    def _vote(self, js, i, ms, splits):
        if not ms.panel:
            return
        commit_end, reveal_end, _, _ = self.deadlines(ms)
        if self.now() < commit_end:
            for seat, who in enumerate(ms.panel):
                if splits[seat] is None:
                    continue
                c = self.e.commitment(js.job.job_id, i, who, splits[seat], salt(seat))
                self.call(None, self.e, "commit_vote", js.job.job_id, i, ms.panel, seat, c, sender=who)
                ms.committed[seat] = splits[seat]
            travel(commit_end - self.now())
        if self.now() < reveal_end:
            for seat, split in ms.committed.items():
                if seat in ms.revealed:
                    continue
                self.call(None, self.e, "reveal_vote", js.job.job_id, i, seat, split, salt(seat), sender=ms.panel[seat])
                ms.revealed[seat] = split

    @precondition(lambda self: any(ms.stage == DISPUTED for js in self.jobs for ms in js.milestones))
    @rule(pick=st.integers(0, 99), split=st.integers(0, BPS), rule_it=st.booleans())
    def appeal(self, pick, split, rule_it):
        candidates = self._disputed()
        js, i, ms = candidates[pick % len(candidates)]
        self._appeal(js, i, ms, split, rule_it)

    def _appeal(self, js, i, ms, split, rule_it):
        _, reveal_end, appeal_end, appeal_deadline = self.deadlines(ms)
        if ms.appealed or not (reveal_end <= self.now() < appeal_end):
            return
        self.call(None, self.e, "file_appeal", js.job.job_id, js.job.terms, i, sender=js.job.client)
        ms.appealed = True
        if rule_it:
            self.w.by_vote(self.e, "rule_on_appeal", js.job.job_id, js.job.terms, i, split)
            assert self.now() < appeal_deadline
            ms.override = split

    def _final(self, ms):
        _, _, appeal_end, appeal_deadline = self.deadlines(ms)
        if ms.override is not None:
            return self.now()
        return appeal_deadline if ms.appealed else appeal_end

    @precondition(lambda self: any(ms.stage == DISPUTED for js in self.jobs for ms in js.milestones))
    @rule(pick=st.integers(0, 99))
    def settle(self, pick):
        candidates = self._disputed()
        js, i, ms = candidates[pick % len(candidates)]
        expect = None
        if self.now() < self._final(ms):
            expect = "escrow: appeal pending" if ms.appealed else "escrow: appeal window open"
        self._settle(js, i, ms, expect)

    def _settle(self, js, i, ms, expect):
        logs = self.call(
            expect, self.e, "settle_dispute", js.job.job_id, js.job.terms, i, ms.panel or [], sender=self.w.organizer
        )
        if expect is None:
            settled = [e for e in logs if type(e).__name__ == "DisputeSettled"][0]
            revealed = sorted(ms.revealed.values())
            if ms.override is not None:
                split = ms.override
            elif len(revealed) >= DEFAULTS.panel_size // 2 + 1:
                n = len(revealed)
                split = revealed[n // 2] if n % 2 else (revealed[n // 2 - 1] + revealed[n // 2]) // 2
            else:
                split = DEFAULTS.default_split
            assert settled.split == split
            self.settle_ms(ms)
            self.check_view(js, i)

    @precondition(lambda self: self.jobs)
    @rule(pick=st.integers(0, 99), by_worker=st.booleans(), rating=st.integers(0, 6))
    def review(self, pick, by_worker, rating):
        """Never before the end, once per side, ratings 1..5; a reviewed job takes no milestone."""
        js = self.jobs[pick % len(self.jobs)]
        side = "worker" if by_worker else "client"
        expect = None
        if side in js.reviewed:
            expect = "escrow: already reviewed"
        elif not 1 <= rating <= 5:
            expect = "escrow: rating out of range"
        elif any(ms.stage != SETTLED for ms in js.milestones):
            expect = "escrow: job not ended"
        if by_worker:
            self.as_worker(expect, js, "review", js.job.job_id, js.job.terms, rating, b"\x05" * 32)
        else:
            self.call(expect, self.e, "review", js.job.job_id, js.job.terms, rating, b"\x05" * 32, sender=js.job.client)
        if expect is None:
            js.reviewed.add(side)

    @rule(seconds=st.sampled_from(TRAVEL))
    def wait(self, seconds):
        travel(seconds)

    @rule(on=st.booleans())
    def token_turns(self, on):
        self.w.token.set_mode(FALSE if on else 0, self.w.outsider, b"")
        self.token_false = on

    @rule(on=st.booleans())
    def worker_refuses_eth(self, on):
        self.w.party.set_mode(REFUSE if on else 0, self.w.outsider, b"")
        self.party_refuses = on

    @precondition(lambda self: any(self.credits.values()))
    @rule(pick=st.integers(0, 99))
    def withdraw(self, pick):
        owed = [k for k, v in self.credits.items() if v]
        account, asset = owed[pick % len(owed)]
        expect = None
        if asset == ETH and account == self.w.party.address and self.party_refuses:
            expect = "party: refuses ETH"
        elif asset != ETH and self.token_false:
            expect = "escrow: token transfer failed"
        self.call(expect, self.e, "withdraw", account, asset, sender=self.w.organizer)

    # ------------------------------------------------------------ invariants
    @invariant()
    def holdings(self):
        """(a) and (b)."""
        held = {ETH: 0, self.w.token.address: 0}
        for js in self.jobs:
            for ms in js.milestones:
                held[str(js.job.asset)] += ms.remaining
                if ms.stage == DISPUTED:
                    held[str(js.job.asset)] += ms.dispute_fee
        for (_account, asset), amount in self.credits.items():
            held[asset] += amount
        for asset in held:
            actual = self.w.balance(asset, self.e.address)
            assert actual == self.books[asset] == held[asset], (asset, actual, self.books[asset], held[asset])

    def teardown(self):
        """(c): end every job at its bound, then withdraw everything."""
        try:
            self.token_turns(False)
            self.worker_refuses_eth(False)
            pending = []
            for js in self.jobs:
                for i, ms in enumerate(js.milestones):
                    if ms.stage == FUNDED:
                        pending.append((ms.deadline + 1, js, i, ms))
                    elif ms.stage == DELIVERED:
                        pending.append((ms.delivered_at + js.job.review_window, js, i, ms))
                    elif ms.stage == DISPUTED:
                        pending.append((self._final(ms), js, i, ms))
            for bound, js, i, ms in sorted(pending, key=lambda p: p[0]):
                if bound > self.now():
                    travel(bound - self.now())
                if ms.stage == FUNDED:
                    self.call(None, self.e, "reclaim", js.job.job_id, js.job.terms, i, sender=self.w.organizer)
                elif ms.stage == DELIVERED:
                    self.call(
                        None, self.e, "release_after_review", js.job.job_id, js.job.terms, i, sender=self.w.organizer
                    )
                else:
                    self._settle(js, i, ms, None)
                self.settle_ms(ms)
            for js in self.jobs:
                assert self.e.job(js.job.job_id, js.job.terms).ended
                for by_worker in (False, True):  # every ended job can be reviewed by each side, once
                    self.review(self.jobs.index(js), by_worker, 3)
                    self.review(self.jobs.index(js), by_worker, 3)
            for (account, asset), amount in list(self.credits.items()):
                if amount:
                    self.call(None, self.e, "withdraw", account, asset, sender=self.w.organizer)
            self.holdings()
            assert boa.env.get_balance(self.e.address) == 0
            assert self.w.token.balanceOf(self.e.address) == 0
        finally:
            self._anchor.__exit__(None, None, None)


EscrowMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


class TestEscrow(EscrowMachine.TestCase):
    pass

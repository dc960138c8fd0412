"""The work escrow on titanoboa: a funded collective, roles, and helpers that drive a job.

    world = escrow_world()                  # once per module (fixtures in the escrow conftests)
    job = world.create(client, worker)      # a funded ETH job with one milestone
    world.deliver(job); world.dispute(job)  # ... and so on, each a one-liner
    panel = world.draw(job)                 # mines past the draw block, names the hints, draws
    world.vote(job, panel, [6000, 7000, 8000])

Helpers return what the contract returned and never assert; the tests do.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from types import SimpleNamespace

import boa
from eth_abi import encode
from eth_utils import keccak

from utils.boa_stack import DAY, DUES, ETH, arm_blockhash, contract, create_collective, deploy_stack, mine, travel

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
import block_header  # noqa: E402

BPS = 10_000
ZERO = ETH
MAX_MILESTONES = 16
MAX_PANEL = 5
MAX_DRAW_ATTEMPTS = 32
DRAW_DELAY = 3
BLOCKHASH_WINDOW = 256
MAX_TERM = 730 * DAY
MIN_REVIEW_WINDOW = DAY
MAX_REVIEW_WINDOW = 60 * DAY
MAX_AMOUNT = 2**112 - 1
FUNDED, DELIVERED, DISPUTED, SETTLED = 1, 2, 3, 4
RULED_BY_PANEL, RULED_BY_APPEAL, RULED_BY_DEFAULT = 1, 2, 3
FOUNDERS = 7
ONE = 10**18
PREPAID = 24  # periods of dues every founder has paid: two years in good standing


@dataclass(frozen=True)
class EscrowSettings:
    fee_bps: int = 100
    dispute_fee_bps: int = 200
    default_split: int = 5000
    panel_size: int = 3
    review_window: int = 14 * DAY
    commit_period: int = DAY
    reveal_period: int = DAY
    appeal_window: int = DAY
    appeal_period: int = 7 * DAY

    def as_tuple(self):
        return tuple(self.__dict__.values())


DEFAULTS = EscrowSettings()


@dataclass
class Job:
    """A job as JobCreated describes it: the id and the terms every call passes."""

    job_id: int
    client: str
    worker: str
    asset: str
    fee_bps: int
    review_window: int
    version: int
    milestones: list = field(default_factory=list)  # (amount, deadline)

    @property
    def terms(self):
        return (self.client, self.worker, self.asset, self.fee_bps, self.review_window, self.version)


def pad(text: str) -> bytes:
    return text.encode().ljust(32, b"\0")


def events(contract, name: str | None = None) -> list:
    """Decoded logs of the contract's last call (child contracts included), optionally by name."""
    logs = contract.get_logs()
    return [e for e in logs if name is None or type(e).__name__ == name]


def only(contract, name: str):
    found = events(contract, name)
    assert len(found) == 1, (name, found)
    return found[0]


def panel_hash(panel) -> int:
    return int.from_bytes(keccak(encode(["address[]"], [list(panel)])), "big") >> 172


class EscrowWorld(SimpleNamespace):
    """A collective (FOUNDERS founders paid two years ahead) with its escrow, a token, roles."""

    # ---- jobs
    def create(
        self,
        client=None,
        worker=None,
        milestones=None,
        asset=ETH,
        review_window=0,
        value=None,
        escrow=None,
        **details,
    ) -> Job:
        escrow = escrow or self.escrow
        client = client or self.client
        worker = worker or self.worker
        if milestones is None:
            milestones = [(ONE, boa.env.timestamp + 30 * DAY)]
        total = sum(m[0] for m in milestones)
        if value is None:
            value = total if asset == ETH else 0
        escrow.create_job(
            worker,
            asset,
            milestones,
            review_window,
            details.get("terms_hash", b"\x11" * 32),
            details.get("category", pad("translation")),
            details.get("unit", pad("word")),
            details.get("quantity", 5_000_000),
            value=value,
            sender=client,
        )
        e = only(escrow, "JobCreated")
        return Job(e.job_id, e.client, e.worker, e.asset, e.fee_bps, e.review_window, e.version, list(milestones))

    def deliver(self, job: Job, milestone=0, evidence=b"\x22" * 32):
        return self.escrow.deliver(job.job_id, job.terms, milestone, evidence, sender=job.worker)

    def dispute(self, job: Job, milestone=0, sender=None, value=None):
        fee = self.escrow.dispute_fee(job.job_id, job.terms, milestone)
        if value is None:
            value = fee if job.asset == ETH else 0
        self.escrow.open_dispute(job.job_id, job.terms, milestone, value=value, sender=sender or job.client)
        return only(self.escrow, "DisputeOpened")

    # ---- panel
    def header_for(self, job: Job, milestone=0, mix=b"\x42" * 32):
        """Mines past the draw block and makes its (synthetic) header the one blockhash vouches for."""
        draw_block = self.escrow.milestone(job.job_id, job.terms, milestone).draw_block
        if boa.env.evm.patch.block_number <= draw_block:
            mine(draw_block - boa.env.evm.patch.block_number + 1)
        header = block_header.synthetic(draw_block, mix)
        arm_blockhash(draw_block, header)
        return header

    def hints_for(self, job: Job, header: bytes, milestone=0, size=None):
        """The contract's walk, computed with the draw_order view: a hint for each attempt."""
        size = size or self.escrow.settings_at(job.version)[3]
        order = self.escrow.draw_order(job.job_id, job.terms, milestone, header, MAX_DRAW_ATTEMPTS)
        hints, seated = [], []
        for index in order:
            who = self.holder(index)
            hints.append(who)
            if who not in (job.worker, job.client) and who not in seated and self.eligible(who, job, milestone):
                seated.append(who)
            if len(seated) == size:
                break
        return hints

    def holder(self, index):
        """The account holding a roll index (founders, and accounts admitted through `by_vote`)."""
        fixed = getattr(self, "fixed_holders", None)
        if fixed is not None:
            return fixed[index]
        for who in [*self.founders, *self.admitted]:
            # `admitted` outlives the tests that admitted (each is rolled back): skip strangers
            if self.governor.member(who)[2] != 0 and self.governor.roll_index(who) == index:
                return who
        raise KeyError(index)

    def eligible(self, who, job, milestone):
        opened = self.escrow.milestone(job.job_id, job.terms, milestone).disputed_at
        return self.governor.eligible_at(who, opened - 1)

    def draw(self, job: Job, milestone=0, mix=b"\x42" * 32, sender=None):
        header = self.header_for(job, milestone, mix)
        hints = self.hints_for(job, header, milestone)
        return list(
            self.escrow.draw_panel(job.job_id, job.terms, milestone, header, hints, sender=sender or self.outsider)
        )

    def commit(self, job: Job, panel, splits, milestone=0):
        for seat, split in enumerate(splits):
            if split is None:
                continue
            who = panel[seat]
            c = self.escrow.commitment(job.job_id, milestone, who, split, salt(seat))
            self.escrow.commit_vote(job.job_id, milestone, panel, seat, c, sender=who)

    def reveal(self, job: Job, panel, splits, milestone=0):
        for seat, split in enumerate(splits):
            if split is None:
                continue
            self.escrow.reveal_vote(job.job_id, milestone, seat, split, salt(seat), sender=panel[seat])

    def vote(self, job: Job, panel, splits, milestone=0):
        """Commits, waits for the reveal phase, reveals (None: that seat stays silent)."""
        self.commit(job, panel, splits, milestone)
        self.to_reveal(job, milestone)
        self.reveal(job, panel, splits, milestone)

    def deadlines(self, job: Job, milestone=0):
        s = self.escrow.settings_at(job.version)
        opened = self.escrow.milestone(job.job_id, job.terms, milestone).disputed_at
        commit_end = opened + s[5]
        reveal_end = commit_end + s[6]
        return SimpleNamespace(
            opened=opened,
            commit_end=commit_end,
            reveal_end=reveal_end,
            appeal_end=reveal_end + s[7],
            appeal_deadline=reveal_end + s[8],
        )

    def to_reveal(self, job: Job, milestone=0):
        at(self.deadlines(job, milestone).commit_end)

    def settle(self, job: Job, panel, milestone=0, sender=None):
        return self.escrow.settle_dispute(job.job_id, job.terms, milestone, list(panel), sender=sender or self.outsider)

    # ---- governance
    def by_vote(self, target, method: str, *args):
        """Runs `target.method(*args)` as the action of a proposal passed by all founders."""
        if method == "admit_member":
            self.admitted.append(args[0])
        data = getattr(target, method).prepare_calldata(*args)
        action = (target.address, 0, data)
        # a proposal whose execution reverted stays queued (live): rotate the proposers
        self.proposals = getattr(self, "proposals", 0) + 1
        proposer = self.founders[self.proposals % len(self.founders)]
        travel(1)  # the snapshot is the second before the proposal: founders must predate it
        pid = self.governor.propose([action], f"{method}", sender=proposer)
        travel(self.gov_settings.voting_delay + 1)
        for f in self.founders:
            self.governor.cast_vote(pid, 1, sender=f)
        travel(self.gov_settings.voting_period)
        self.governor.queue(pid, sender=proposer)
        travel(self.gov_settings.timelock_delay)
        self.governor.execute(pid, [action], sender=proposer)
        return pid

    def balance(self, asset, who) -> int:
        if asset == ETH:
            return boa.env.get_balance(str(who))
        return self.token.balanceOf(who)


def salt(seat: int) -> bytes:
    return bytes([seat + 7]) * 32


def at(timestamp: int) -> None:
    """Moves the clock to exactly `timestamp` (forward only)."""
    now = boa.env.timestamp
    assert timestamp >= now, (timestamp, now)
    if timestamp > now:
        travel(timestamp - now)


def escrow_world(founders: int = FOUNDERS) -> EscrowWorld:
    """Deploys the stack and a collective whose founders prepaid two years (not anchored: call it
    from a module-scoped fixture; each test then rolls back to it)."""
    from iwo.collective import Settings

    stack = deploy_stack()
    people = [boa.env.generate_address(f"founder{i}") for i in range(founders)]
    organizer = boa.env.generate_address("organizer")
    client = boa.env.generate_address("client")
    outsider = boa.env.generate_address("outsider")
    for who in [*people, organizer, client, outsider]:
        boa.env.set_balance(who, 10**24)
    with boa.env.prank(organizer):
        c = create_collective(stack, people, sender=organizer)
    for f in people:
        c.treasury.pay_dues(f, PREPAID, value=PREPAID * DUES, sender=f)
    token = contract("MockToken").deploy("Stable", "USDX", 6)
    token.mint(client, 10**30)
    token.approve(c.escrow, 2**256 - 1, sender=client)
    travel(DAY)  # founders predate every snapshot taken from now on
    return EscrowWorld(
        stack=stack,
        collective=c,
        escrow=c.escrow,
        rates=stack.rates,
        governor=c.governor,
        treasury=c.treasury,
        token=token,
        founders=people,
        organizer=organizer,
        member=people[0],
        worker=people[0],
        panelists=people[1:],
        client=client,
        outsider=outsider,
        admitted=[],
        gov_settings=Settings(),
    )

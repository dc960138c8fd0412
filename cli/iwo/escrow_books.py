"""The work escrow's books, replayed from its events alone (no chain access, no printing).

    books = EscrowBooks()
    for log in logs:                       # the escrow's events in chain order (log store rows)
        moved = books.apply(log)           # (asset, change of what the escrow holds) or None
    books.jobs[3].held                     # what job #3 still holds (milestones + open dispute fees)
    books.holdings                         # per asset: deposits - payouts + deferred - withdrawn

This is the one place that says how each escrow event moves money (SECURITY.md, the escrow's
invariant): deposits are `JobCreated.total`, `MilestonesAdded.total` and
`DisputeOpened.dispute_fee`; payouts are `Released.amount`, `Refunded.amount`,
`Reclaimed.amount` and, for `DisputeSettled`, worker + fee + client + each paid panelist's
share; a payout the recipient refused stays in the escrow as a credit (`PaymentDeferred`)
until it is withdrawn (`Withdrawn`). `iwo job list`, `iwo reputation` and the auditor's escrow
view all read the books from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .rates import from_bytes32

BPS = 10_000
# How a dispute was decided (DisputeSettled.ruling), in words.
RULINGS = {1: "the panel's median", 2: "the collective on appeal", 3: "the default rule"}
# Escrow events that change what the escrow holds, or what a job holds.
MONEY_EVENTS = (
    "JobCreated",
    "MilestonesAdded",
    "DisputeOpened",
    "Released",
    "Refunded",
    "Reclaimed",
    "DisputeSettled",
    "PaymentDeferred",
    "Withdrawn",
)
# Every escrow event the books read.
EVENTS = (*MONEY_EVENTS, "MilestoneFunded", "Delivered", "PanelDrawn", "PanelistNoShow", "Reviewed", "VoteRevealed")


@dataclass
class MilestoneBook:
    amount: int  # funded
    deadline: int
    remaining: int
    delivered: bool = False
    dispute_fee: int = 0  # held while a dispute is open
    disputed_amount: int = 0  # what the milestone held when its dispute opened
    # what took the last of it: release, silence, refund, reclaim (after the deadline),
    # worker_left (reclaimed early: the worker had left), dispute
    ended_by: str | None = None


@dataclass
class JobBook:
    """One job as its events tell it."""

    job_id: int
    client: str
    worker: str
    asset: str
    fee_bps: int
    review_window: int
    version: int
    terms_hash: str
    category: str  # decoded label ('' when none)
    unit: str
    quantity: int  # in thousandths of the unit
    block: int
    tx: str
    last_block: int = 0  # the block of the job's latest event (when it ended, once it has)
    milestones: list[MilestoneBook] = field(default_factory=list)
    # gross amounts taken from the milestones, by path
    released: int = 0  # by the client
    by_silence: int = 0  # by anyone after the review window
    ruled_to_worker: int = 0  # the worker's gross share of rulings (fee included)
    refunded: int = 0
    reclaimed: int = 0
    ruled_to_client: int = 0  # the client's share of rulings (without the dispute fee)
    fees: int = 0  # to the treasury (release fees, ruling fees and dispute-fee dust)
    dispute_fees_paid: int = 0  # by the client, to open disputes
    disputes: list[dict] = field(default_factory=list)  # settled: milestone, split, ruling, ...
    reviews: list[dict] = field(default_factory=list)

    @property
    def terms(self) -> tuple:
        return (self.client, self.worker, self.asset, self.fee_bps, self.review_window, self.version)

    @property
    def funded(self) -> int:
        return sum(m.amount for m in self.milestones)

    @property
    def held(self) -> int:
        """What the escrow holds for this job: milestones' remaining amounts and open dispute fees."""
        return sum(m.remaining + m.dispute_fee for m in self.milestones)

    @property
    def ended(self) -> bool:
        """Every milestone settled (as the contract's `job().ended`)."""
        return bool(self.milestones) and all(m.remaining == 0 for m in self.milestones)

    @property
    def settled(self) -> int:
        return sum(1 for m in self.milestones if m.remaining == 0)


@dataclass
class EscrowBooks:
    jobs: dict[int, JobBook] = field(default_factory=dict)
    holdings: dict[str, int] = field(default_factory=dict)  # asset -> what the escrow holds
    credits: dict[tuple[str, str], int] = field(default_factory=dict)  # (account, asset) -> credited
    no_shows: dict[str, int] = field(default_factory=dict)  # panelist -> seats left unrevealed
    seats: dict[str, int] = field(default_factory=dict)  # panelist -> seats held
    # milestones of a job being created: logged before its JobCreated, in the same transaction
    _unborn: dict[int, list[MilestoneBook]] = field(default_factory=dict, repr=False)

    def _move(self, asset: str, delta: int) -> tuple[str, int]:
        self.holdings[asset] = self.holdings.get(asset, 0) + delta
        return asset, delta

    def asset_of(self, name: str, args: dict) -> str | None:
        """The asset an event is in (its own field, or its job's)."""
        if "asset" in args:
            return args["asset"]
        job = self.jobs.get(int(args.get("job_id", 0)))
        return job.asset if job else None

    def apply(self, log: dict) -> tuple[str, int] | None:
        """Books one escrow event (a log store row: name, args); returns (asset, change of what
        the escrow holds) for a money event, else None."""
        name, args = log["name"], log["args"]
        if name == "JobCreated":
            job = JobBook(
                job_id=int(args["job_id"]),
                client=args["client"],
                worker=args["worker"],
                asset=args["asset"],
                fee_bps=int(args["fee_bps"]),
                review_window=int(args["review_window"]),
                version=int(args["version"]),
                terms_hash=args["terms_hash"],
                category=from_bytes32(args["category"]),
                unit=from_bytes32(args["unit"]),
                quantity=int(args["quantity"]),
                block=log.get("block", 0),
                tx=log.get("tx", ""),
                last_block=log.get("block", 0),
            )
            job.milestones = self._unborn.pop(job.job_id, [])
            self.jobs[job.job_id] = job
            return self._move(job.asset, int(args["total"]))
        if name == "PaymentDeferred":
            key = (args["account"], args["asset"])
            self.credits[key] = self.credits.get(key, 0) + int(args["amount"])
            return self._move(args["asset"], int(args["amount"]))
        if name == "Withdrawn":
            key = (args["account"], args["asset"])
            self.credits[key] = self.credits.get(key, 0) - int(args["amount"])
            return self._move(args["asset"], -int(args["amount"]))
        if name == "PanelistNoShow":
            self.no_shows[args["panelist"]] = self.no_shows.get(args["panelist"], 0) + 1
            return None
        job_id = int(args.get("job_id", 0))
        if name == "MilestoneFunded":  # indices run on from the job's last one
            amount = int(args["amount"])
            job = self.jobs.get(job_id)
            funded = job.milestones if job is not None else self._unborn.setdefault(job_id, [])
            funded.append(MilestoneBook(amount, int(args["deadline"]), amount))
            return None
        job = self.jobs.get(job_id)
        if job is None:
            return None
        job.last_block = max(job.last_block, log.get("block", 0))
        m = int(args.get("milestone", 0))
        if name == "MilestonesAdded":
            return self._move(job.asset, int(args["total"]))
        if name == "Delivered":
            job.milestones[m].delivered = True
            return None
        if name == "Released":
            amount = int(args["amount"])
            if args["by_silence"]:
                job.by_silence += amount
            else:
                job.released += amount
            job.fees += int(args["fee"])
            self._take(job, m, amount, "silence" if args["by_silence"] else "release")
            return self._move(job.asset, -amount)
        if name == "Refunded":
            amount = int(args["amount"])
            job.refunded += amount
            self._take(job, m, amount, "refund")
            return self._move(job.asset, -amount)
        if name == "Reclaimed":
            amount = int(args["amount"])
            job.reclaimed += amount
            self._take(job, m, amount, "worker_left" if args["worker_left"] else "reclaim")
            return self._move(job.asset, -amount)
        if name == "DisputeOpened":
            fee = int(args["dispute_fee"])
            milestone = job.milestones[m]
            milestone.dispute_fee = fee
            milestone.disputed_amount = int(args["amount"])
            job.dispute_fees_paid += fee
            return self._move(job.asset, fee)
        if name == "PanelDrawn":
            for panelist in args["panelists"]:
                self.seats[panelist] = self.seats.get(panelist, 0) + 1
            return None
        if name == "DisputeSettled":
            milestone = job.milestones[m]
            amount, fee = milestone.disputed_amount, milestone.dispute_fee
            split = int(args["split"])
            worker_gross = amount * split // BPS
            out = (
                int(args["worker_amount"])
                + int(args["fee"])
                + int(args["client_amount"])
                + int(args["panel_share"]) * len(args["panelists_paid"])
            )
            job.ruled_to_worker += worker_gross
            job.ruled_to_client += amount - worker_gross
            job.fees += int(args["fee"])
            job.disputes.append(
                {
                    "milestone": m,
                    "split": split,
                    "ruling": int(args["ruling"]),
                    "amount": amount,
                    "worker_amount": int(args["worker_amount"]),
                    "client_amount": int(args["client_amount"]),
                    "fee": int(args["fee"]),
                    "panelists_paid": list(args["panelists_paid"]),
                    "panel_share": int(args["panel_share"]),
                }
            )
            milestone.dispute_fee = 0
            self._take(job, m, milestone.remaining, "dispute")
            return self._move(job.asset, -out)
        if name == "Reviewed":
            job.reviews.append(
                {
                    "reviewer": args["reviewer"],
                    "reviewee": args["reviewee"],
                    "rating": int(args["rating"]),
                    "text_hash": args["text_hash"],
                    "by_client": bool(args["by_client"]),
                    "block": log.get("block"),
                }
            )
        return None

    @staticmethod
    def _take(job: JobBook, m: int, amount: int, how: str) -> None:
        milestone = job.milestones[m]
        milestone.remaining -= amount
        if milestone.remaining == 0:
            milestone.ended_by = how


def replay(logs: list[dict]) -> EscrowBooks:
    """The books after `logs` (the escrow's events in chain order)."""
    books = EscrowBooks()
    for log in logs:
        books.apply(log)
    return books

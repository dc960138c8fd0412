"""Mutual-aid rows of the gas bench (receipts on anvil). Called by scripts/bench.py; not an entry point.

One collective of six founders, dues prepaid two years; a vote adopts terms with real caps; then,
in order: a first dues payment into an empty pool and a typical one, a small claim filed (the
claimant's first), objections and votes (the first of a bitmap word and a typical one), decisions,
and withdrawals of one month (month already opened, and the one that opens it).
"""

from __future__ import annotations

from _common import action, create_collective, travel

from iwo.collective import DAY, ETH, Settings

SETTINGS = Settings()
FOR = 1
AID_MONTH = 30 * DAY
DUES = 10**16
ONE = 10**18

# (key, description, reference, target): appended to bench.ROWS
AID_ROWS = [
    ("pay_dues_eth_first", "pay one period in ETH, the collective's first (empty pool)", "—", None),
    ("aid_claim", "file a mutual-aid claim (the member's first)", "—", 90_000),
    ("aid_object_first", "object to a claim, first of a 256-member bitmap word", "—", None),
    ("aid_object", "object to a claim (typical)", "—", 50_000),
    ("aid_vote_first", "vote on a claim, first of a 256-member bitmap word", "—", None),
    ("aid_vote", "vote on a claim (typical)", "—", 50_000),
    ("aid_settle_approve", "record an approval (schedules the claim, writes its payout record)", "—", None),
    ("aid_open_month", "open an aid month (demand, allowance; first call of the month)", "—", None),
    ("aid_withdraw", "withdraw one month of an approved claim (month already open)", "—", 55_000),
    ("aid_withdraw_opening", "withdraw one month, opening the month in the same call", "—", None),
]

AID_NOTES = [
    "- Mutual aid (`scripts/_bench_aid.py`): six founders with two years of dues paid, terms",
    "  adopted by vote. `pay_dues_eth` is a typical payment (the pool of the dues asset is",
    "  already non-zero); `pay_dues_eth_first` is the collective's first, which creates the",
    "  pool slot. `aid_object`/`aid_vote` are voters whose who-voted word is already non-zero",
    "  on that claim (`*_first`: the first of a word, a zero slot becomes non-zero).",
    "  `aid_withdraw` is a claimant's one-month withdrawal in a month someone already opened",
    "  (`open_month`, or an earlier withdrawal or decision); the first call of each month",
    "  also opens it (`aid_withdraw_opening`).",
    "- `aid_withdraw` misses its 55,000 target by design of the money path: the member calls",
    "  the aid clone, which asks the governor clone for the member's standing and has the",
    "  treasury clone pay (the pool stays in the treasury, paid only at the aid contract's",
    "  request). Fixed costs before any logic: 21,000 (transaction) + 13,000 (five cold",
    "  accounts: the aid implementation, governor clone and implementation, treasury clone and",
    "  implementation) + 6,700 (ETH transfer) + 16,800 (eight cold slots: payout word, global",
    "  word, month record, the governor's member and settings words and its treasury address,",
    "  the treasury's aid word and pool) + 5,800 (payout word and pool written) + 4,500 (the",
    "  `Withdrawn` and `AidPaid` events) = 67,800. Reaching 55,000 needs another design",
    "  (e.g. the month's budget moved to the aid contract once a month, so a withdrawal calls",
    "  no treasury: about -12,000), not tuning.",
    "- `create_collective_3_founders`: the mutual-aid clone and its initialisation add",
    "  66,512 (the clone 41,000; its one stored word 22,100; the treasury packs the aid",
    "  address beside the dues price, so it stores no extra word); the escrow's share is",
    "  noted with the escrow rows.",
]


def _terms(**changes) -> tuple:
    """Terms with real caps for the bench (ETH amounts); fields in IMutualAid.Terms order."""
    t = dict(
        waiting_period=30 * DAY,
        contest_window=3 * DAY,
        vote_period=4 * DAY,
        min_objections=3,
        objection_bps=1_000,
        quorum_bps=2_000,
        max_months=24,
        throttle_divisor=6,
        unclaimed_months=2,
        categories=31,
        deposit=0,
        auto_approve_max=ONE // 10,
        claim_cap=ONE,
        member_cap=2 * ONE,
    )
    t.update(changes)
    return tuple(t.values())


def _pass(chain, c, proposer, voters, actions, description):
    """Propose, vote, queue and execute (default settings)."""
    receipt = c.governor.propose(actions, description, sender=proposer)
    pid = receipt.events.filter(c.governor.ProposalCreated)[0].proposal_id
    travel(chain, SETTINGS.voting_delay + 1)
    for v in voters:
        c.governor.cast_vote(pid, FOR, sender=v)
    travel(chain, SETTINGS.voting_period)
    c.governor.queue(pid, sender=proposer)
    travel(chain, SETTINGS.timelock_delay)
    return c.governor.execute(pid, actions, sender=proposer)


class _Gas(dict):
    """gas[key] = receipt stores receipt.gas_used (and the receipt, when asked)."""

    def __init__(self, receipts):
        super().__init__()
        self.receipts = receipts

    def __setitem__(self, key, receipt):
        if self.receipts is not None:
            self.receipts[key] = receipt
        super().__setitem__(key, receipt.gas_used)


def _next_month(chain, offset=DAY):
    """Travel to `offset` seconds into the next aid month."""
    now = chain.pending_timestamp
    chain.pending_timestamp = (now // AID_MONTH + 1) * AID_MONTH + offset
    chain.mine()


def aid_bench(project, accounts, chain, stack, log=print, receipts: dict | None = None) -> dict:
    """Gas of the mutual-aid operations (see AID_ROWS); `receipts` (optional) collects the receipts by key."""
    gas = _Gas(receipts)
    deployer = accounts.test_accounts[0]
    founders = [accounts.test_accounts[i] for i in range(1, 7)]
    c = create_collective(project, stack.factory, deployer, "Bench Aid", founders, ETH, DUES, 30 * DAY, SETTINGS)
    gas["pay_dues_eth_first"] = c.treasury.pay_dues(founders[0], 1, sender=founders[0], value=DUES)
    for f in founders:
        c.treasury.pay_dues(f, 24, sender=f, value=24 * DUES)
    c.treasury.donate(ETH, 3 * ONE, "aid seed", True, sender=deployer, value=3 * ONE)
    travel(chain, 1)
    log("mutual aid: adopting terms by vote...")
    _pass(chain, c, founders[0], founders, [action(c.aid, "set_terms", _terms())], "Mutual-aid terms")
    travel(chain, 30 * DAY)  # past the waiting period
    a, b, d, e, f, g = founders
    small = c.aid.file_claim(1, ONE // 20, 1, b"\x11" * 32, sender=a)
    gas["aid_claim"] = small
    small_id = small.events.filter(c.aid.ClaimFiled)[0].claim_id
    objected = c.aid.file_claim(2, ONE // 20, 1, b"\x22" * 32, sender=b).events.filter(c.aid.ClaimFiled)[0].claim_id
    gas["aid_object_first"] = c.aid.object(objected, sender=d)
    gas["aid_object"] = c.aid.object(objected, sender=e)
    large = c.aid.file_claim(0, ONE // 10, 6, b"\x33" * 32, sender=f).events.filter(c.aid.ClaimFiled)[0].claim_id
    gas["aid_vote_first"] = c.aid.vote(large, FOR, sender=a)
    gas["aid_vote"] = c.aid.vote(large, FOR, sender=d)
    c.aid.vote(large, FOR, sender=e)
    travel(chain, 3 * DAY)
    gas["aid_settle_approve"] = c.aid.settle(small_id, sender=g)
    travel(chain, 1 * DAY)
    c.aid.settle(large, sender=g)
    _next_month(chain)
    gas["aid_open_month"] = c.aid.open_month(sender=g)
    gas["aid_withdraw"] = c.aid.withdraw(small_id, sender=a)
    _next_month(chain)
    gas["aid_withdraw_opening"] = c.aid.withdraw(large, sender=f)
    return dict(gas)

"""Stateful property tests of a whole collective (titanoboa, hypothesis).

Random sequences of: admissions (by an executed proposal, or directly as
the governor to keep sequences short), revocations, resignations, dues
(by the member or a sponsor, ETH or token, good and bad amounts),
donations (ETH, token, plain transfers, earmarked for the mutual-aid pool or
not), a token turning hostile (returns false, takes a fee), proposals
(signal, admit, revoke, spend, move money into or out of the pool,
settings, ETH to the treasury), direct and signed votes (valid, wrong
support, wrong signer, expired, replayed), time travel (free, and to the
second before / at / after a proposal's milestones), queue, execute (exact,
early, tampered actions, wrong value) and cancel. Two composite steps drive
a proposal through its whole life, so that 30 steps reach executions often.
(Claims and payouts of the mutual-aid contract: test_aid_state_machine.py.)

Every call's outcome (success or revert) is predicted by `harness.Model`
(the NatSpec rules) and must match. After every step these invariants are
checked (`books_roll_and_proposals`):

(a) per asset, the treasury's balance equals inflows minus outflows rebuilt
    from the treasury's events alone (DuesPaid, DonationReceived,
    EthReceived in; Payment, AidPaid out; each event's `balance` field
    equals the running sum), and the pool equals its inflows minus outflows
    rebuilt the same way (the dues share and earmarked gifts of DuesPaid and
    DonationReceived, PoolFunded in; PoolReleased, AidPaid out; each event's
    `pool` field equals the running sum), never more than the balance;
(b) no member has more than one vote on a proposal (at most one VoteCast
    per voter and proposal; `has_voted` equals the model's voters);
(c) each tally equals the number of distinct eligible voters who chose that
    option (eligibility: a card at the snapshot and dues covering it, with
    the grace of the proposal's settings); `can_vote` agrees with the model;
(d) proposal states move along legal transitions only (one edge in a step
    without time travel, a path of edges across time travel; terminal
    states stay; a proposal is born Pending or Active) and equal the
    model's state;
(e) member_count and the card's totalSupply equal admitted - revoked -
    resigned (model counters, and card mints - burns from Transfer logs).

py-evm calls cost ~0.5-1 ms, so values are reread from the chain when the
step may have changed them, and in full every SWEEP-th check (details in
`books_roll_and_proposals`). `mutants.py` (run by hand) shows that each
property fails on contracts with a guard deleted.

Settings: IWO_FUZZ_EXAMPLES (default 200) sequences of IWO_FUZZ_STEPS
(default 30) steps; the example database is hypothesis' default
`.hypothesis/` (gitignored).
"""

from __future__ import annotations

import os
from collections import Counter

import boa
import pytest
import strategies as S
from eth_abi import decode
from eth_utils import to_checksum_address
from harness import (
    ADDRESSES,
    BPS,
    DEFAULT_SETTINGS,
    EDGES,
    ETH,
    INITIAL_STATES,
    KEYS,
    MAX_PERIODS,
    N_ACTORS,
    POOL_SHARE_BPS,
    REACHABLE,
    RECIPIENT,
    SPONSOR,
    STATE_NAMES,
    TERMINAL,
    Model,
    Revert,
    default_world,
    make_action,
)
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from iwo.ballot import Ballot

# boa casts every new EIP-1167 clone to its implementation and warns that the
# proxy's code differs from the implementation's: expected.
pytestmark = pytest.mark.filterwarnings("ignore:casted bytecode does not match")

EXAMPLES = int(os.environ.get("IWO_FUZZ_EXAMPLES", "200"))
STEPS = int(os.environ.get("IWO_FUZZ_STEPS", "30"))
SWEEP = 6  # every SWEEP-th invariant check rereads everything (see books_roll_and_proposals)
RICH = 10**30
# Coverage counts for tuning the strategies: every call's outcome ("propose
# ok", "cast_vote revert: governor: voting closed", ...), proposal lives and
# executed action kinds. Nothing prints them; the lifecycle ones are also
# hypothesis events (`--hypothesis-show-statistics`).
STATS: Counter = Counter()


def _reason(computation) -> str:
    out = bytes(computation.output or b"")
    if out[:4] == bytes.fromhex("08c379a0"):
        return decode(["string"], out[4:])[0]
    return repr(computation.error) if computation.error else out.hex()


def _addr(raw: bytes) -> str:
    return to_checksum_address("0x" + bytes(raw).hex())


# Preconditions keep steps useful (a vote needs a proposal, ...); the revert
# paths stay covered through picks of non-members and unknown proposal ids.
def has_proposals(machine) -> bool:
    return bool(machine.model.proposals)


def has_members(machine) -> bool:
    return machine.model.count() > 0


def several_members(machine) -> bool:
    return machine.model.count() > 1


class CollectiveMachine(RuleBasedStateMachine):
    """One collective, driven by random rules, checked against `Model`."""

    world_factory = staticmethod(default_world)

    def __init__(self):
        super().__init__()
        self.world = type(self).world_factory()
        self._anchor = boa.env.anchor()
        self._anchor.__enter__()
        self.model: Model | None = None

    def teardown(self):
        self._anchor.__exit__(None, None, None)

    # ------------------------------------------------------------ helpers

    def _asset(self, name: str) -> str:
        return ETH if name == "eth" else self.token_addr

    def _pid(self, ref: int) -> int:
        """Maps a drawn reference onto count, count-1, ..., 1, count+1 (unknown)."""
        n = len(self.model.proposals)
        return n - ref % (n + 1) or n + 1

    def _who(self, pick) -> str:
        """Resolves a (kind, index) pick: a current member, an actor without
        a card, or anyone (actors and the sponsor)."""
        kind, i = pick
        m = self.model
        if kind == "member":
            pool = [a for a in ADDRESSES if m.is_member(a)]
        elif kind == "other":
            pool = [a for a in ADDRESSES[:N_ACTORS] if not m.is_member(a)]
        else:
            pool = []
        pool = pool or ADDRESSES
        return pool[i % len(pool)]

    @staticmethod
    def _may_propose(m: Model, a: str, now: int) -> bool:
        try:
            m.check_propose(a, [], now)
        except Revert:
            return False
        return True

    @staticmethod
    def _note(what: str):
        """Coverage: counted in STATS and reported by --hypothesis-show-statistics."""
        STATS[what] += 1
        event(what)

    def _predict(self, op) -> tuple[Model, bool, str]:
        """Runs `op` on a clone of the model: (new model, succeeds, why not)."""
        clone = self.model.clone()
        try:
            op(clone)
        except Revert as why:
            return clone, False, str(why)
        return clone, True, ""

    def _call(self, expect: bool, why: str, contract, name: str, *args, sender, value=0):
        """Sends a call; its success must match the model's prediction.

        Goes through `boa.env.execute_code` rather than `contract.fn(...)`:
        an expected revert then costs no BoaError (which renders the whole
        contract storage), and the computation tree tells which contracts
        were written.
        """
        data = getattr(contract, name).prepare_calldata(*args)
        computation = boa.env.execute_code(to_address=contract.address, sender=sender, value=value, data=data)
        STATS[f"{name} {'revert: ' + _reason(computation) if computation.is_error else 'ok'}"] += 1
        if computation.is_error:
            assert not expect, f"{name}{args!r} reverted ({_reason(computation)}), model expected success"
            return False, None
        assert expect, f"{name}{args!r} succeeded, model expected a revert ({why})"
        self._take_logs(contract.get_logs(computation=computation))
        self._touch(computation)
        return True, computation.output

    def _touch(self, computation):
        """Records the contracts whose storage a successful call may have changed."""
        todo = [computation]
        raw = set()
        while todo:
            c = todo.pop()
            if c.is_error:  # a reverted sub-call changes nothing
                continue
            raw.add(bytes(c.msg.storage_address))
            todo.extend(c.children)
        self.touched.update(_addr(r) for r in raw)

    def _step(self, op, contract, name, *args, sender, value=0):
        clone, ok, why = self._predict(op)
        done, out = self._call(ok, why, contract, name, *args, sender=sender, value=value)
        if done:
            self.model = clone
        return done, out

    def _take_logs(self, logs):
        """Rebuilds the books from events only (invariants a, b, e)."""
        for log in logs:
            name = type(log).__name__
            where = to_checksum_address(str(log.address))
            if where == self.treasury_addr:
                if name in ("DuesPaid", "DonationReceived"):
                    asset = to_checksum_address(str(log.asset))
                    self._flow(asset, log.amount, log.balance, name)
                    self._pool_flow(asset, log.to_pool, log.pool, name)
                elif name == "EthReceived":
                    self._flow(ETH, log.amount, log.balance, name)
                elif name in ("Payment", "AidPaid"):
                    asset = to_checksum_address(str(log.asset))
                    self._flow(asset, -log.amount, log.balance, name)
                    if name == "AidPaid":
                        self._pool_flow(asset, -log.amount, log.pool, name)
                elif name in ("PoolFunded", "PoolReleased"):
                    amount = log.amount if name == "PoolFunded" else -log.amount
                    self._pool_flow(to_checksum_address(str(log.asset)), amount, log.pool, name)
                else:
                    assert name in ("DuesTermsChanged", "PoolShareChanged"), f"unexpected treasury event {name}"
            elif where == self.gov_addr:
                if name == "VoteCast":
                    self.vote_events[(log.proposal_id, to_checksum_address(str(log.voter)))] += 1
                    self.voters.add(to_checksum_address(str(log.voter)))
                    self.focus.add(log.proposal_id)
                elif name in ("MemberAdmitted", "MemberLeft"):
                    self.event_member_count = log.member_count
                    self.roll_moved = True
                if name in ("MemberAdmitted", "MemberLeft", "DuesCredited"):
                    self.focus_accounts.add(to_checksum_address(str(log.member)))
            elif where == self.card_addr and name == "Transfer":
                if to_checksum_address(str(log.sender)) == ETH:
                    self.mints += 1
                elif to_checksum_address(str(log.receiver)) == ETH:
                    self.burns += 1

    def _flow(self, asset, delta, balance_after, name):
        assert asset in self.ledger, f"{name} in an unexpected asset {asset}"
        self.ledger[asset] += delta
        assert self.ledger[asset] >= 0, f"{name}: books of {asset} went negative"
        assert balance_after == self.ledger[asset], (
            f"{name}: event balance {balance_after} != inflows - outflows {self.ledger[asset]}"
        )

    def _pool_flow(self, asset, delta, pool_after, name):
        assert asset in self.pool_books, f"{name} in an unexpected asset {asset}"
        self.pool_books[asset] += delta
        self.pool_moved = True
        assert self.pool_books[asset] >= 0, f"{name}: the pool of {asset} went negative"
        assert pool_after == self.pool_books[asset], (
            f"{name}: event pool {pool_after} != pool inflows - outflows {self.pool_books[asset]}"
        )

    def _fund_token(self, who: str):
        if who not in self.token_ready:
            token = self.world.token
            token.mint(who, RICH)
            token.approve(self.treasury_addr, 2**256 - 1, sender=who)
            self.token_ready.add(who)

    # ------------------------------------------------------------ setup

    @initialize(
        n_founders=S.founder_count,
        dues_asset=S.asset,
        dues_amount=S.dues_amount,
        dues_period=S.dues_period,
        voting=S.valid_settings,
        warmup=st.sampled_from([3600, 0, 1]),
    )
    def create(self, n_founders, dues_asset, dues_amount, dues_period, voting, warmup):
        """A collective created through the factory (pre-created per
        parameter set, see harness.World.collectives), with the drawn settings."""
        w = self.world
        for a in ADDRESSES:
            boa.env.set_balance(a, RICH)
        self.token_addr = to_checksum_address(str(w.token.address))
        asset = self._asset(dues_asset)
        c = w.collectives[(n_founders, asset, dues_amount, dues_period)]
        for contract in (c.governor, c.card, c.treasury):
            boa.env.register_contract(contract.address, contract)
        self.gov, self.card, self.treasury = c.governor, c.card, c.treasury
        self.gov_addr = to_checksum_address(str(c.governor.address))
        self.card_addr = to_checksum_address(str(c.card.address))
        self.treasury_addr = to_checksum_address(str(c.treasury.address))
        self.chain_id = boa.env.evm.patch.chain_id
        founders = c.founders
        logs = c.logs
        assert boa.env.timestamp == c.created

        now = boa.env.timestamp
        m = Model(
            governor=self.gov_addr,
            card=self.card_addr,
            treasury=self.treasury_addr,
            token=self.token_addr,
            settings=[DEFAULT_SETTINGS],
            dues=(asset, dues_amount, dues_period),
            balance={ETH: 0, self.token_addr: 0},
            pool={ETH: 0, self.token_addr: 0},
        )
        for f in founders:
            m.admit(f, now)
        self.model = m
        self.ledger = {ETH: 0, self.token_addr: 0}
        self.pool_books = {ETH: 0, self.token_addr: 0}
        self.vote_events = Counter()
        self.mints = self.burns = 0
        self.event_member_count = 0
        self.token_ready = set()
        self.last_ballot = None
        self.time_moved = False
        self.touched = set()  # contracts a successful call ran in since the last invariant check
        self.focus = set()  # proposals acted on since the last check
        self.focus_accounts = set()  # accounts admitted, removed or credited since the last check
        self.voters = set()  # accounts that voted since the last check
        self.roll_moved = False  # someone was admitted or left since the last check
        self.pool_moved = False  # a pool event since the last check
        self.seen = {}  # last values read from the chain (reread only when they may have changed)
        self.checks = 0
        self._take_logs(logs)
        if voting != DEFAULT_SETTINGS:
            self.update_settings_as_governor(voting)
            assert len(self.model.settings) == 2
        if warmup:
            boa.env.time_travel(seconds=warmup)
            self.time_moved = True

    # ------------------------------------------------------------ time

    @rule(seconds=S.seconds)
    def travel(self, seconds):
        boa.env.time_travel(seconds=seconds)
        self.time_moved = True

    @precondition(has_proposals)
    @rule(ref=S.proposal_ref, milestone=S.milestone, offset=S.offset)
    def travel_to_milestone(self, ref, milestone, offset):
        """To the second before / at / after a proposal's vote start, vote
        end, eta (or when it would be if queued at vote end) or expiry."""
        m = self.model
        pid = self._pid(ref)
        if pid > len(m.proposals):
            return
        p = m.proposals[pid - 1]
        s = m.settings[p.version]
        if milestone == "start":
            target = p.start
        elif milestone == "end":
            target = p.end
        elif milestone == "eta":
            target = p.eta if p.eta is not None else p.end + s.timelock_delay
        else:
            target = (p.eta if p.eta is not None else p.end) + s.execution_window
        target += offset
        now = boa.env.timestamp
        if target > now:
            boa.env.time_travel(seconds=target - now)
            self.time_moved = True

    # ------------------------------------------------------------ roll

    @rule(pick=S.newcomer_pick)
    def admit_as_governor(self, pick):
        """Admission without a vote (the governor pranked), for short sequences."""
        a = self._who(pick)
        now = boa.env.timestamp
        self._step(lambda m: m.admit(a, now), self.gov, "admit_member", a, sender=self.gov_addr)

    @precondition(several_members)
    @rule(pick=S.member_pick)
    def revoke_as_governor(self, pick):
        a = self._who(pick)
        now = boa.env.timestamp
        self._step(lambda m: m.remove(a, now, resigned=False), self.gov, "revoke_member", a, sender=self.gov_addr)

    @rule(new=S.any_settings)
    def update_settings_as_governor(self, new):
        def op(m):
            if not new.valid():
                raise Revert("bad settings")
            m.settings.append(new)

        self._step(op, self.gov, "update_settings", new.as_tuple(), sender=self.gov_addr)

    @precondition(several_members)
    @rule(pick=S.member_pick)
    def resign(self, pick):
        a = self._who(pick)
        now = boa.env.timestamp
        self._step(lambda m: m.remove(a, now, resigned=True), self.gov, "resign", sender=a)

    @rule(what=S.unauthorized, pick=S.member_pick, caller=S.member_pick, amount=S.amount)
    def unauthorized_calls_revert(self, what, pick, caller, amount):
        """Only a vote admits, revokes, changes settings, pays or funds the
        pool; only the treasury credits dues (here called by a member, or by
        the governor outside an execution for the treasury's functions); only
        the aid contract pays from the pool; no proposal may mint a card."""
        a, c = self._who(pick), self._who(caller)
        x = self.token_addr if amount % 2 else ETH
        if what == "admit":
            self._call(False, "only by vote", self.gov, "admit_member", a, sender=c)
        elif what == "revoke":
            self._call(False, "only by vote", self.gov, "revoke_member", a, sender=c)
        elif what == "settings":
            self._call(False, "only by vote", self.gov, "update_settings", self.model.settings[-1].as_tuple(), sender=c)
        elif what == "credit_dues":
            self._call(False, "only the treasury", self.gov, "credit_dues", a, 86_400, sender=c)
        elif what == "pay":
            self._call(False, "only by vote", self.treasury, "pay", x, RECIPIENT, amount, sender=self.gov_addr)
        elif what == "card_mint_proposal":
            # cards follow the roll only: minting through a proposal is refused
            self._propose(c, [make_action(self.model, "card_mint", (a,))])
        elif what == "pay_aid":
            self._call(False, "only the aid fund", self.treasury, "pay_aid", x, a, amount, 1, sender=c)
        else:
            self._call(False, "only by vote", self.treasury, "fund_pool", x, amount, sender=c)

    # ------------------------------------------------------------ money in

    @precondition(has_members)
    @rule(pick=S.member_pick, by_sponsor=st.booleans(), periods=S.periods, wrong_amount=S.mistake)
    def pay_dues(self, pick, by_sponsor, periods, wrong_amount):
        """Dues for a member, paid by the member or by a sponsor."""
        member = self._who(pick)
        payer = ADDRESSES[SPONSOR] if by_sponsor else member
        asset, price, period = self.model.dues
        amount = price * periods
        value = amount if asset == ETH else 0
        if wrong_amount:
            value = value + 1 if value == 0 or periods % 2 else value - 1
        if asset != ETH:
            self._fund_token(payer)
        now = boa.env.timestamp

        def op(m):
            if periods == 0 or periods > MAX_PERIODS:
                raise Revert("bad periods")
            if value != (amount if asset == ETH else 0):
                raise Revert("wrong value")
            m.pull(asset, amount)
            m.credit(member, period * periods, now)
            m.balance[asset] += amount
            m.pool[asset] += amount * POOL_SHARE_BPS // BPS

        self._step(op, self.treasury, "pay_dues", member, periods, value=value, sender=payer)

    @precondition(has_members)
    @rule(periods=S.periods)
    def sponsor_pays_everyone(self, periods):
        """A sponsor (a platform, a union) pays the same periods for every member."""
        for i in range(self.model.count()):  # ("member", i): the i-th current member
            self.pay_dues(("member", i), True, periods, False)

    @rule(pick=S.member_pick, asset=S.asset, amount=S.amount, wrong_value=S.mistake, to_pool=st.booleans())
    def donate(self, pick, asset, amount, wrong_value, to_pool=False):
        who = self._who(pick)
        a = self._asset(asset)
        value = amount if a == ETH else 0
        if wrong_value:
            value += 1
        if a != ETH:
            self._fund_token(who)

        def op(m):
            if amount == 0:
                raise Revert("zero amount")
            if value != (amount if a == ETH else 0):
                raise Revert("wrong value")
            m.pull(a, amount)
            m.balance[a] += amount
            if to_pool:
                m.pool[a] += amount

        self._step(op, self.treasury, "donate", a, amount, "fuzz", to_pool, value=value, sender=who)

    @rule(pick=S.member_pick, amount=S.amount)
    def send_eth(self, pick, amount):
        """A plain transfer: accepted and logged as EthReceived."""
        computation = boa.env.execute_code(to_address=self.treasury_addr, sender=self._who(pick), value=amount)
        assert not computation.is_error, _reason(computation)
        self.model.balance[ETH] += amount
        self._take_logs(self.treasury.get_logs(computation=computation))
        self._touch(computation)

    # ------------------------------------------------------------ proposals

    def _actions(self, specs):
        out = []
        for spec in specs:
            kind = spec[0]
            if kind in ("admit", "revoke"):
                out.append(make_action(self.model, kind, (self._who(spec[1]),)))
            elif kind == "pay":
                out.append(make_action(self.model, "pay", (self._asset(spec[1]), RECIPIENT, spec[2])))
            elif kind in ("fund_pool", "unfund_pool"):
                out.append(make_action(self.model, kind, (self._asset(spec[1]), spec[2])))
            elif kind == "eth":
                out.append(make_action(self.model, "eth", (spec[1],)))
            elif kind == "settings":
                out.append(make_action(self.model, "settings", (spec[1],)))
            else:  # pragma: no cover
                raise AssertionError(kind)
        return out

    def _propose(self, a, actions):
        now = boa.env.timestamp
        done, out = self._step(
            lambda m: m.propose(a, actions, now),
            self.gov,
            "propose",
            [x.as_tuple() for x in actions],
            "fuzz proposal",
            sender=a,
        )
        if done:
            pid = decode(["uint256"], out)[0]
            assert pid == len(self.model.proposals), f"propose returned {pid}"
            self.focus.add(pid)
            # (d) the state it is born in (a composite step may move it on before the check)
            p = self.model.proposals[-1]
            p.seen_state = self.gov.state(pid)
            name = STATE_NAMES.get(p.seen_state, p.seen_state)
            assert p.seen_state in INITIAL_STATES, f"proposal {pid} born {name}"
            assert p.seen_state == self.model.state(p, now), f"proposal {pid} born {name}"

    @precondition(has_members)
    @rule(pick=S.member_pick, specs=S.actions)
    def propose(self, pick, specs):
        """Signal (no action), admit, revoke, spend, pool moves, settings, ETH in."""
        self._propose(self._who(pick), self._actions(specs))

    @precondition(has_members)
    @rule(pick=S.member_pick, newcomer=S.newcomer_pick)
    def propose_admission(self, pick, newcomer):
        """The proposal path of admissions (the common case, made likelier)."""
        self._propose(self._who(pick), self._actions([("admit", newcomer)]))

    @precondition(has_proposals)
    @rule(ref=S.proposal_ref, pick=S.member_pick)
    def cancel(self, ref, pick):
        pid = self._pid(ref)
        if pick[0] == "member" and pid <= len(self.model.proposals):
            a = self.model.proposals[pid - 1].proposer  # usually the proposer tries
        else:
            a = self._who(pick)
        now = boa.env.timestamp
        self.focus.add(pid)
        self._step(lambda m: m.cancel(a, pid, now), self.gov, "cancel", pid, sender=a)

    def _wait_until(self, target):
        now = boa.env.timestamp
        if target > now:
            boa.env.time_travel(seconds=target - now)
            self.time_moved = True

    @precondition(has_proposals)
    @rule(ref=S.proposal_ref, pick=S.member_pick, wait=S.wait)
    def queue(self, ref, pick, wait):
        """Anyone queues (`wait`: first travel to the end of the vote)."""
        pid = self._pid(ref)
        if wait and pid <= len(self.model.proposals):
            self._wait_until(self.model.proposals[pid - 1].end)
        now = boa.env.timestamp
        self.focus.add(pid)
        self._step(lambda m: m.queue(pid, now), self.gov, "queue", pid, sender=self._who(pick))

    @precondition(has_proposals)
    @rule(ref=S.proposal_ref, kind=S.execute_kind, pick=S.member_pick, wait=S.wait)
    def execute(self, ref, kind, pick, wait):
        """Anyone executes: the exact actions, tampered actions, or a wrong
        value (`wait`: first travel to the eta)."""
        pid = self._pid(ref)
        self.focus.add(pid)
        m = self.model
        if wait and pid <= len(m.proposals) and m.proposals[pid - 1].eta is not None:
            self._wait_until(m.proposals[pid - 1].eta)
        actions = list(m.proposals[pid - 1].actions) if pid <= len(m.proposals) else []
        if kind == "wrong_actions":
            actions = actions[:-1] if actions else [make_action(m, "eth", (1,))]
        value = sum(x.value for x in actions)
        if kind == "wrong_value":
            value += 1
        now = boa.env.timestamp
        done, _ = self._step(
            lambda mm: mm.execute(pid, actions, value, now),
            self.gov,
            "execute",
            pid,
            [x.as_tuple() for x in actions],
            value=value,
            sender=self._who(pick),
        )
        if done:
            self._note("executed: " + (" ".join(x.kind for x in actions) or "signal"))

    @precondition(has_members)
    @rule(
        pick=S.member_pick,
        specs=S.lifecycle_actions,
        supports=st.lists(S.ballot_support, min_size=N_ACTORS + 1, max_size=N_ACTORS + 1),
        stop=S.lifecycle_stop,
        kind=S.lifecycle_execute_kind,
        settle=S.settle,
        fund=S.fund,
    )
    def proposal_lifecycle(self, pick, specs, supports, stop, kind, settle, fund):
        """A proposal's whole life in one step, stopping early at `stop`:
        (settle) [a sponsor pays dues if nobody may propose] [donates what
        the proposal pays and moves into the pool, or only the latter] propose -> [cancel] ->
        (vote start) everyone votes -> (vote end) queue -> [execute before
        the eta, must revert] -> (eta) [tampered execution, must revert] ->
        execute. Each call's outcome is checked against the model as it is
        made, the invariants after the step (a proposal's first state is read
        when it is made)."""
        if settle:
            boa.env.time_travel(seconds=settle)
            self.time_moved = True
        m, now = self.model, boa.env.timestamp
        able = [a for a in ADDRESSES if self._may_propose(m, a, now)]
        if not able:  # nobody in good standing: a sponsor pays a year for one member
            members = [a for a in ADDRESSES if m.is_member(a)]
            self.pay_dues(("member", pick[1] % len(members)), True, 12, False)
            able = [a for a in ADDRESSES if self._may_propose(self.model, a, now)]
        proposer = able[pick[1] % len(able)] if able else self._who(pick)
        actions = self._actions(specs)
        if fund != "none":
            kinds = ("pay", "fund_pool") if fund == "all" else ("fund_pool",)
            for asset in (ETH, self.token_addr):
                need = sum(x.args[-1] for x in actions if x.kind in kinds and x.args[0] == asset)
                if need:
                    self.donate(("any", SPONSOR), "eth" if asset == ETH else "token", need, False)
        n = len(self.model.proposals)
        self._propose(proposer, actions)
        self._note("lifecycle: proposed" if len(self.model.proposals) > n else "lifecycle: propose reverted")
        if len(self.model.proposals) == n or stop == "proposed":
            return
        if stop == "canceled":  # the proposer withdraws it (if still Pending), then everyone tries to vote
            self.cancel(0, ("member", 0))
        self.everyone_votes(0, supports, True)
        if stop in ("voted", "canceled"):
            return
        self.queue(0, pick, True)
        self._note("lifecycle: queued" if self.model.proposals[-1].eta else "lifecycle: defeated")
        if stop == "queued" or self.model.proposals[-1].eta is None:
            return
        if self.model.proposals[-1].eta > boa.env.timestamp:
            self.execute(0, "exact", pick, False)  # before the eta: must revert
        if kind != "exact":  # tampered actions or value at the eta: must revert
            self.execute(0, kind, pick, True)
        self.execute(0, "exact", pick, True)
        self._note("lifecycle: executed" if self.model.proposals[-1].executed else "lifecycle: execution reverted")

    @precondition(has_members)
    @rule(
        pick=S.member_pick,
        asset=S.asset,
        pooled=S.amount,
        paid=S.amount,
        supports=st.lists(S.ballot_support, min_size=N_ACTORS + 1, max_size=N_ACTORS + 1),
        fund=S.fund,
    )
    def fund_pool_and_pay(self, pick, asset, pooled, paid, supports, fund):
        """One proposal moves money into the pool and makes a payment in the
        same asset, driven to execution: the payment may only use what the
        pool leaves free."""
        specs = [("fund_pool", asset, pooled), ("pay", asset, paid)]
        self.proposal_lifecycle(pick, specs, supports, "executed", "exact", 1, fund)

    # ------------------------------------------------------------ votes

    @precondition(has_proposals)
    @rule(pick=S.member_pick, ref=S.proposal_ref, support=S.support, reason=st.sampled_from(["", "why not"]))
    def vote(self, pick, ref, support, reason):
        a, pid = self._who(pick), self._pid(ref)
        now = boa.env.timestamp
        name = "cast_vote_with_reason" if reason else "cast_vote"
        args = (pid, support, reason) if reason else (pid, support)
        self.focus.add(pid)
        self._step(lambda m: m.vote(a, pid, support, now), self.gov, name, *args, sender=a)

    @precondition(has_proposals)
    @rule(
        ref=S.proposal_ref,
        supports=st.lists(S.ballot_support, min_size=N_ACTORS + 1, max_size=N_ACTORS + 1),
        wait=S.wait,
    )
    def everyone_votes(self, ref, supports, wait):
        """Every account that ever held a card, and one that never did, tries
        to vote (eligible or not), so proposals pass often (`wait`: first
        travel to the start of the vote)."""
        pid = self._pid(ref)
        self.focus.add(pid)
        m = self.model
        if pid > len(m.proposals):
            self._step(lambda mm: mm.vote(ADDRESSES[0], pid, 1, 0), self.gov, "cast_vote", pid, 1, sender=ADDRESSES[0])
            return
        if wait:
            self._wait_until(m.proposals[pid - 1].start)
        now = boa.env.timestamp
        stranger = next((a for a in ADDRESSES if a not in m.members), None)
        for a, support in zip(ADDRESSES, supports):
            if a not in m.members and a != stranger:
                continue
            self._step(lambda m, a=a, s=support: m.vote(a, pid, s, now), self.gov, "cast_vote", pid, support, sender=a)

    @precondition(has_proposals)
    @rule(
        pick=S.member_pick,
        ref=S.proposal_ref,
        support=S.support,
        kind=S.ballot_kind,
        relayer=S.member_pick,
        reason=st.sampled_from(["", "signed"]),
    )
    def vote_by_signature(self, pick, ref, support, kind, relayer, reason):
        """A relayed EIP-712 ballot: valid, wrong support, wrong signer, expired, replayed."""
        a, pid = self._who(pick), self._pid(ref)
        relay = self._who(relayer)
        now = boa.env.timestamp
        if kind == "replay":
            if self.last_ballot is None:
                return
            args = self.last_ballot.call_args()
            voter, pid, support, expiry = self.last_ballot.ballot.voter, args[0], args[1], args[3]
            self.focus.add(pid)

            def replay(m):
                if now > expiry:
                    raise Revert("expired")
                m.vote(voter, pid, support, now)

            self._step(replay, self.gov, "cast_vote_by_sig", *args, sender=relay)
            return
        self.focus.add(pid)
        expiry = now - 1 if kind == "expired" else now + 3600
        ballot = Ballot(
            chain_id=self.chain_id,
            governor=self.gov_addr,
            proposal_id=pid,
            support=support,
            voter=a,
            expiry=expiry,
            reason=reason,
        )
        me = ADDRESSES.index(a)
        key = KEYS[(me + 1) % len(KEYS)] if kind == "wrong_signer" else KEYS[me]
        signed = ballot.sign(key)
        args = list(signed.call_args())
        if kind == "wrong_support":
            args[1] = (support + 1) % 3

        def op(m):
            if kind in ("expired", "wrong_signer", "wrong_support"):
                raise Revert(kind)
            m.vote(a, pid, support, now)

        done, _ = self._step(op, self.gov, "cast_vote_by_sig", *args, sender=relay)
        if done:
            self.last_ballot = signed

    # ------------------------------------------------------------ token

    @rule(mode=S.token_mode)
    def set_token_mode(self, mode):
        """The token turns hostile (returns false / takes a fee) or normal."""
        self.world.token.set_mode(mode, ETH, b"")
        self.model.token_mode = mode
        self.touched.add(self.token_addr)

    @invariant()
    def books_roll_and_proposals(self):
        """Invariants (a)-(e), checked after every step.

        A py-evm call costs ~0.5-1 ms, so a value is read from the chain only
        when this step may have changed it, and the last reading is compared
        with the (possibly changed) model otherwise:
        - the token balance when a successful call ran in the treasury or
          the token (computation tree); the pool when a pool event was seen;
          the card counts when someone was admitted or left;
          proposal states when the governor ran or time moved;
        - member(), proposal(), has_voted() and can_vote() for the accounts
          and proposals the step named (voters, credited / admitted / removed
          accounts (member(): two of them), proposals acted on);
        - and on every SWEEP-th check all of the above regardless, plus one
          rotating account, one rotating proposal (facts, who-voted and
          eligibility bits) and one rotating terminal state, so that a write
          to something the step did not name is still seen a few steps later.
        """
        STATS["checks"] += 1
        m, w, seen = self.model, self.world, self.seen
        now = boa.env.timestamp
        token = self.token_addr
        sweep = self.checks % SWEEP == 0
        self.checks += 1
        gov_dirty = sweep or self.gov_addr in self.touched or self.card_addr in self.touched
        books_dirty = sweep or self.treasury_addr in self.touched or token in self.touched

        # (a) treasury books: balance == inflows - outflows from events only == model
        eth = boa.env.get_balance(self.treasury_addr)
        if books_dirty:
            seen["token"] = w.token.balanceOf(self.treasury_addr)
        if sweep or self.pool_moved:
            seen["pool"] = (self.treasury.pool(ETH), self.treasury.pool(token))
        assert eth == self.ledger[ETH], f"ETH: balance {eth} != inflows - outflows from events {self.ledger[ETH]}"
        assert seen["token"] == self.ledger[token], (
            f"token: balance {seen['token']} != from events {self.ledger[token]}"
        )
        pools = (self.pool_books[ETH], self.pool_books[token])
        assert seen["pool"] == pools, f"pool {seen['pool']} != pool inflows - outflows from events {pools}"
        assert (eth, seen["token"]) == (m.balance[ETH], m.balance[token]), "treasury balances != model"
        assert seen["pool"] == (m.pool[ETH], m.pool[token]), "pool != model"
        assert eth >= seen["pool"][0] and seen["token"] >= seen["pool"][1], "pool exceeds balance"

        # (e) cards == admitted - revoked - resigned
        expected = m.admitted - m.revoked - m.resigned
        if sweep or self.roll_moved:
            seen["count"] = (self.gov.member_count(), self.card.totalSupply())
        count, supply = seen["count"]
        assert count == expected, f"member_count {count} != admitted - revoked - resigned {expected}"
        assert supply == expected, f"card totalSupply {supply} != {expected}"
        assert self.mints - self.burns == expected, f"card mints - burns {self.mints - self.burns} != {expected}"
        assert self.event_member_count == expected, "member_count of the last roll event"
        assert m.count() == expected
        if gov_dirty:
            rotating = {ADDRESSES[self.checks // SWEEP % len(ADDRESSES)]} if sweep else set()
            named = sorted(self.focus_accounts)
            if len(named) > 2:  # e.g. a sponsor paid for everyone: two of them, in turn
                start = self.checks % len(named)
                named = (named + named)[start : start + 2]
            for a in set(named) | rotating:
                if a not in ADDRESSES:
                    continue
                seen_member = self.gov.member(a)
                rec = m.members.get(a)
                if rec is None:
                    assert seen_member._asdict() == dict(
                        is_member=False,
                        index=0,
                        joined=0,
                        left=0,
                        paid_through=0,
                        past_terms=0,
                        in_good_standing=False,
                    ), f"roll entry of a stranger {a}"
                    continue
                last = rec.terms[-1]
                want = dict(
                    is_member=last.left is None,
                    index=rec.index,
                    joined=last.joined,
                    left=last.left or 0,
                    paid_through=last.paid,
                    past_terms=len(rec.terms) - 1,
                    in_good_standing=last.left is None and last.paid + m.settings[-1].dues_grace >= now,
                )
                assert seen_member._asdict() == want, f"member({a}) {seen_member} != model {rec}"

        # (d) states: legal transitions only, and the model's state
        if sweep:
            n = self.gov.proposal_count()
            assert n == len(m.proposals), f"proposal_count {n} != {len(m.proposals)}"
        if gov_dirty or self.time_moved:
            # terminal states are reread one proposal per sweep (they only have to stay)
            rotating = self.checks // SWEEP % len(m.proposals) + 1 if m.proposals and sweep else 0
            states = seen.setdefault("states", {})
            for p in m.proposals:
                if p.seen_state not in TERMINAL or p.pid == rotating:
                    states[p.pid] = self.gov.state(p.pid)
        for p in m.proposals:
            state = seen["states"][p.pid]
            name = STATE_NAMES.get(state, state)
            if p.seen_state is None:
                assert state in INITIAL_STATES, f"proposal {p.pid} born {name}"
            elif state != p.seen_state:
                legal = REACHABLE[p.seen_state] if self.time_moved else EDGES[p.seen_state]
                assert state in legal, f"proposal {p.pid}: illegal move {STATE_NAMES[p.seen_state]} -> {name}"
            p.seen_state = state
            expect = m.state(p, now)
            assert state == expect, f"proposal {p.pid} is {name}, model says {STATE_NAMES[expect]}"

        # (b) one vote per member, (c) tallies == distinct eligible voters per option
        assert all(n == 1 for n in self.vote_events.values()), "two VoteCast events for one voter and proposal"
        for p in m.proposals:
            assert all(m.eligible(v, p) for v in p.votes), f"proposal {p.pid} counted an ineligible voter"
            voters = {v for (pid, v) in self.vote_events if pid == p.pid}
            assert voters == set(p.votes), f"proposal {p.pid}: VoteCast voters != counted voters"
        if gov_dirty and m.proposals:
            rotating = {m.proposals[self.checks // SWEEP % len(m.proposals)].pid} if sweep else set()
            spot = {ADDRESSES[self.checks // SWEEP % len(ADDRESSES)]} if sweep else set()
            # who-voted and eligibility bits: this step's voters and credited /
            # admitted / removed accounts on the proposals acted on; on a sweep
            # also one rotating account, there and on one rotating proposal
            named = (self.voters | self.focus_accounts | spot) & set(m.members)
            focus = self.focus & set(range(1, len(m.proposals) + 1))
            for pid in sorted(focus | rotating):
                p = m.proposals[pid - 1]
                facts = self.gov.proposal(pid)
                tally = m.tally(p)
                got = (facts.votes_for, facts.votes_against, facts.votes_abstain)
                want = (tally[1], tally[0], tally[2])
                assert got == want, f"proposal {pid} for/against/abstain {got} != distinct eligible voters {want}"
                assert facts.quorum_base == m.count_at(p.snapshot), f"proposal {pid} quorum base {facts.quorum_base}"
                assert facts.quorum_votes == m.quorum_votes(p), f"proposal {pid} quorum votes {facts.quorum_votes}"
                assert (facts.proposer_index, facts.snapshot, facts.vote_start, facts.vote_end) == (
                    p.proposer_index,
                    p.snapshot,
                    p.start,
                    p.end,
                )
                assert facts.eta == (p.eta or 0), f"proposal {pid} eta {facts.eta} != {p.eta}"
                assert facts.execution_deadline == m.execution_deadline(p), f"proposal {pid} deadline"
                assert facts.state == m.state(p, now), f"proposal {pid} state in proposal()"
                assert facts.constitutional == p.constitutional and facts.settings_version == p.version
                for a in sorted(named if pid in focus else named & spot):
                    assert self.gov.has_voted(pid, a) == (a in p.votes), f"has_voted({pid}, {a}) != model"
                    assert self.gov.eligibility(pid, a) == m.eligibility(a, p), f"eligibility({pid}, {a}) != model"
                    if a in spot:  # can_vote is eligibility == ELIGIBLE: read on sweeps only
                        assert self.gov.can_vote(pid, a) == m.eligible(a, p), f"can_vote({pid}, {a}) != model"

        self.time_moved = self.roll_moved = self.pool_moved = False
        self.touched.clear()
        self.focus.clear()
        self.focus_accounts.clear()
        self.voters.clear()


def _roomy_frame():
    """A function whose frame holds ~9000 locals, calling `fn()`.

    CPython 3.11 keeps frames on a per-thread data stack made of 16 KiB
    chunks and unmaps a chunk as soon as the frame that needed it returns.
    py-evm recurses deeply on every EVM call, so the stack top crosses a
    chunk edge back and forth: 100k-600k mmap/munmap pairs per 15 examples
    (10-20 s of system time per default run) depending on how deep pytest /
    Ape happen to call the test. A frame this large gets a 128 KiB chunk of
    its own, with room left for all the frames nested under it.
    """
    names = "".join(f"_{i} = " for i in range(9000))
    namespace = {}
    exec(f"def roomy(fn):\n    {names}None\n    return fn()\n", namespace)
    return namespace["roomy"]


_in_roomy_frame = _roomy_frame()

CollectiveMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


class TestCollective(CollectiveMachine.TestCase):
    def runTest(self):
        _in_roomy_frame(super().runTest)

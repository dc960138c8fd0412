"""Titanoboa world and Python model for the collective state machine.

`World` holds the locked implementations, the factory, a MockToken and one
collective per set of initial parameters, created through the factory
(deployed once per session, outside any anchor; see conftest.py). A state
machine example picks its collective and runs inside `boa.env.anchor()`, so
every example starts from the same chain state (same addresses, same
timestamp) and leaves nothing behind.

`Model` is the expected state, written from the NatSpec rules of the
contracts (not from their storage layout): membership terms, dues
paid-through, the snapshot rule, proposals and their votes, treasury books.
"""

from __future__ import annotations

import atexit
import copy
import shutil
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path

import boa
import boa.interpret
from eth_abi import encode
from eth_account import Account
from eth_utils import function_signature_to_4byte_selector, keccak

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
CACHE = ROOT / ".cache" / "titanoboa"  # gitignored

if str(ROOT / "tests") not in sys.path:  # utils/ (mutants.py runs as a script)
    sys.path.insert(0, str(ROOT / "tests"))

from utils.constants import (  # noqa: E402
    ACTIVE,
    CANCELED,
    DAY,
    DEFEATED,
    DUES_NOT_COVERING_SNAPSHOT,
    ELIGIBLE,
    ETH,
    EXECUTED,
    EXPIRED,
    NO_CARD_AT_SNAPSHOT,
    PENDING,
    QUEUED,
    SUCCEEDED,
)

# the contracts' bounds, mirrored by the model
BPS = 10_000
MAX_DURATION = 365 * DAY
MAX_PREPAID = 100 * 365 * DAY
MAX_PERIODS = 1200
STATE_NAMES = {
    PENDING: "Pending",
    ACTIVE: "Active",
    CANCELED: "Canceled",
    DEFEATED: "Defeated",
    SUCCEEDED: "Succeeded",
    QUEUED: "Queued",
    EXPIRED: "Expired",
    EXECUTED: "Executed",
}
# legal one-step transitions (NatSpec of IwoGovernor)
EDGES = {
    PENDING: {ACTIVE, CANCELED},
    ACTIVE: {DEFEATED, SUCCEEDED},
    SUCCEEDED: {QUEUED, EXPIRED},
    QUEUED: {EXECUTED, EXPIRED},
    CANCELED: set(),
    DEFEATED: set(),
    EXPIRED: set(),
    EXECUTED: set(),
}
INITIAL_STATES = {PENDING, ACTIVE}
TERMINAL = {CANCELED, DEFEATED, EXPIRED, EXECUTED}
LIVE = {PENDING, ACTIVE, SUCCEEDED, QUEUED}


def _closure(edges):
    reach = {}
    for start in edges:
        seen, todo = set(), [start]
        while todo:
            for nxt in edges[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        reach[start] = seen
    return reach


REACHABLE = _closure(EDGES)

N_ACTORS = 6  # actors 0..5 may become members; founders are the first 1..3
FOUNDER_COUNTS = (1, 2, 3)
DUES_AMOUNTS = (1, 10**16)
DUES_PERIODS = (30 * DAY, DAY)
SPONSOR = N_ACTORS  # actor 6: pays dues for others, donates, relays, executes (rarely admitted)
RECIPIENT = "0x00000000000000000000000000000000000000Ee"  # payee of spend proposals (an EOA)


def _keys():
    keys = [keccak(text=f"iwo-fuzz-actor-{i}") for i in range(N_ACTORS + 1)]
    return keys, [Account.from_key(k).address for k in keys]


KEYS, ADDRESSES = _keys()


def selector(signature: str) -> bytes:
    return function_signature_to_4byte_selector(signature)


SETTINGS_ABI = "(uint256,uint256,uint256,uint256,uint256,uint256,uint256)"
SEL_ADMIT = selector("admit_member(address)")
SEL_REVOKE = selector("revoke_member(address)")
SEL_UPDATE_SETTINGS = selector(f"update_settings({SETTINGS_ABI})")
SEL_PAY = selector("pay(address,address,uint256)")
SEL_FUND_POOL = selector("fund_pool(address,uint256)")
SEL_UNFUND_POOL = selector("unfund_pool(address,uint256)")
POOL_SHARE_BPS = 2_000  # the treasury's default share of dues for the mutual-aid pool
SEL_CARD_MINT = selector("mint(address)")


def setup_boa():
    boa.interpret.set_search_paths([str(CONTRACTS)])
    CACHE.mkdir(parents=True, exist_ok=True)
    boa.interpret.set_cache_dir(str(CACHE))
    # `.at()` on an EIP-1167 clone compares the proxy's code with the
    # implementation's and warns; expected here.
    warnings.filterwarnings("ignore", message="casted bytecode does not match")


@dataclass
class World:
    card_t: object
    treasury_t: object
    governor_t: object
    factory: object
    token: object
    label: str = "real"
    aid_t: object = None
    escrow_t: object = None
    _at: dict = field(default_factory=dict)
    # (founders, dues asset, dues amount, dues period) -> Collective
    collectives: dict = field(default_factory=dict)

    def at(self, deployer, address):
        """`deployer.at(address)`, once per address: clones land on the same
        addresses in every example, and `.at()` of a clone is slow (boa
        renders the storage for a bytecode-mismatch warning)."""
        key = (id(deployer), str(address))
        if key not in self._at:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._at[key] = quiet(deployer.at(address))
        contract = self._at[key]
        # creating a clone makes boa register a fresh object of its own for it
        boa.env.register_contract(contract.address, contract)
        return contract


_QUIET_CLASSES: dict = {}


def quiet(contract):
    """Gives a boa contract object a one-line repr.

    boa renders `repr(contract)`, which dumps the contract's whole storage,
    for every reverted computation (to build error messages), even when
    nobody looks at the error. Expected reverts are frequent here.
    """
    cls = type(contract)
    if cls.__name__.startswith("Quiet"):
        return contract
    if cls not in _QUIET_CLASSES:
        _QUIET_CLASSES[cls] = type(
            "Quiet" + cls.__name__,
            (cls,),
            {"__repr__": lambda self: f"<{self.compiler_data.contract_path} at {self.address}>"},
        )
    contract.__class__ = _QUIET_CLASSES[cls]
    return contract


@cache
def _deployer(path: str):
    return boa.load_partial(path)


def build_world(sources: dict | None = None, label: str = "real") -> World:
    """Deploys implementations, factory, token and collectives (not anchored).

    `sources` maps "IwoGovernor" / "IwoTreasury" / "IwoCard", or a governor
    module ("governor/proposals", ...), to replacement source text (mutation
    checks, see mutants.py). A mutated module is compiled into the governor
    from a copy of contracts/ in a temporary folder; nothing in the
    repository changes.
    """
    setup_boa()
    sources = sources or {}
    modules = {name: text for name, text in sources.items() if "/" in name}

    def deployer(name):
        if name == "IwoGovernor" and modules:
            return _governor_with_modules(modules, label)
        if name not in sources:
            return _deployer(str(CONTRACTS / f"{name}.vy"))
        fake = CONTRACTS / f"{name}_{label}.vy"  # never written: resolves imports, keys the cache
        return boa.loads_partial(sources[name], name=name, filename=str(fake), dedent=False)

    card_t, treasury_t, governor_t = deployer("IwoCard"), deployer("IwoTreasury"), deployer("IwoGovernor")
    aid_t = deployer("IwoMutualAid")
    factory_t = _deployer(str(CONTRACTS / "IwoFactory.vy"))
    escrow_t = _deployer(str(CONTRACTS / "IwoEscrow.vy"))
    token_t = _deployer(str(CONTRACTS / "test" / "MockToken.vy"))
    impls = [quiet(t.deploy()) for t in (card_t, treasury_t, governor_t, aid_t, escrow_t)]
    factory = quiet(factory_t.deploy(*impls))
    token = quiet(token_t.deploy("Stable", "USDX", 6))
    world = World(card_t, treasury_t, governor_t, factory, token, label, aid_t=aid_t, escrow_t=escrow_t)
    _create_collectives(world)
    _persist()
    return world


def _governor_with_modules(modules: dict, label: str):
    """The governor compiled with some of its modules replaced (see build_world)."""
    folder = Path(tempfile.mkdtemp(prefix=f"iwo-{label}-"))
    atexit.register(shutil.rmtree, folder, True)
    shutil.copytree(CONTRACTS, folder / "contracts")
    for name, text in modules.items():
        (folder / "contracts" / f"{name}.vy").write_text(text)
    boa.interpret.set_search_paths([str(folder / "contracts")])
    try:
        return boa.load_partial(str(folder / "contracts" / "IwoGovernor.vy"))
    finally:
        boa.interpret.set_search_paths([str(CONTRACTS)])


def _persist():
    """Commits the state built so far to py-evm's trie, when no snapshot
    (anchor) is open. py-evm journals every account written since the last
    commit on each call frame's snapshot, and boa never commits: without
    this, the ~80 contracts deployed above made every later call ~40%
    slower."""
    account_db = boa.env.evm.vm.state._account_db
    if account_db._journaldb._journal.is_flattened:
        account_db.persist()


@dataclass
class Collective:
    governor: object
    card: object
    treasury: object
    aid: object
    escrow: object
    founders: list
    created: int  # timestamp
    logs: list  # decoded logs of the creating transaction


def _create_collectives(world: World):
    """One collective per combination of the initial parameters the state
    machine draws, created through the factory with DEFAULT_SETTINGS (a
    creation costs ~12 ms of py-evm; examples then only roll back to it)."""
    token = str(world.token.address)
    for n in FOUNDER_COUNTS:
        for asset in (ETH, token):
            for amount in DUES_AMOUNTS:
                for period in DUES_PERIODS:
                    founders = ADDRESSES[:n]
                    created = world.factory.create_collective(
                        "Fuzz Collective",
                        "FZ",
                        founders,
                        asset,
                        amount,
                        period,
                        DEFAULT_SETTINGS.as_tuple(),
                        sender=ADDRESSES[SPONSOR],
                    )
                    logs = world.factory.get_logs()
                    (event,) = [e for e in logs if type(e).__name__ == "CollectiveCreated"]
                    assert (str(event.governor), str(event.card), str(event.treasury)) == tuple(map(str, created))
                    world.collectives[(n, asset, amount, period)] = Collective(
                        world.at(world.governor_t, event.governor),
                        world.at(world.card_t, event.card),
                        world.at(world.treasury_t, event.treasury),
                        world.at(world.aid_t, event.aid),
                        world.at(world.escrow_t, event.escrow),
                        founders,
                        boa.env.timestamp,
                        logs,
                    )


_WORLD = None


def default_world() -> World:
    global _WORLD
    if _WORLD is None:
        _WORLD = build_world()
    return _WORLD


# ---------------------------------------------------------------- model


@dataclass(frozen=True)
class Settings:
    voting_delay: int
    voting_period: int
    timelock_delay: int
    execution_window: int
    quorum_bps: int
    constitutional_bps: int
    dues_grace: int

    def as_tuple(self):
        return (
            self.voting_delay,
            self.voting_period,
            self.timelock_delay,
            self.execution_window,
            self.quorum_bps,
            self.constitutional_bps,
            self.dues_grace,
        )

    def valid(self) -> bool:
        """The ranges the NatSpec/Settings checks of the governor admit."""
        return (
            0 < self.voting_delay <= MAX_DURATION
            and 0 < self.voting_period <= MAX_DURATION
            and self.timelock_delay <= MAX_DURATION
            and 0 < self.execution_window <= MAX_DURATION
            and 0 < self.quorum_bps <= BPS
            and BPS // 2 < self.constitutional_bps <= BPS
            and self.dues_grace <= MAX_DURATION
        )


# settings of the pre-created collectives (the first value of each field in
# strategies.valid_settings); an example with other settings starts by
# changing them (version 1)
DEFAULT_SETTINGS = Settings(3600, DAY, 3600, 7 * DAY, 2500, 6667, 7 * DAY)


@dataclass
class Term:
    joined: int
    left: int | None
    paid: int


@dataclass
class Member:
    index: int
    terms: list

    @property
    def current(self):
        t = self.terms[-1]
        return t if t.left is None else None


@dataclass
class Action:
    """One proposal action: what it means (kind, args) and how it is sent."""

    kind: str  # admit, revoke, settings, pay, fund_pool, unfund_pool, eth, card_mint
    args: tuple
    target: str
    value: int
    data: bytes

    def as_tuple(self):
        return (self.target, self.value, self.data)


@dataclass
class Proposal:
    pid: int
    proposer: str
    proposer_index: int
    snapshot: int
    start: int
    end: int
    version: int
    constitutional: bool
    actions: list
    canceled: bool = False
    eta: int | None = None
    executed: bool = False
    votes: dict = field(default_factory=dict)  # voter address -> support
    seen_state: int | None = None


class Revert(Exception):
    pass


@dataclass
class Model:
    governor: str
    card: str
    treasury: str
    token: str
    settings: list  # Settings per version
    dues: tuple  # (asset, amount, period)
    members: dict = field(default_factory=dict)
    next_index: int = 0
    proposals: list = field(default_factory=list)
    last_proposal: dict = field(default_factory=dict)  # member index -> pid
    balance: dict = field(default_factory=dict)  # asset -> treasury balance
    pool: dict = field(default_factory=dict)  # asset -> mutual-aid pool (part of the balance)
    admitted: int = 0
    revoked: int = 0
    resigned: int = 0
    token_mode: int = 0  # MockToken: 0 normal, 1 returns false, 2 takes 1% on transfer

    # ---- token movements (MockToken's hostile modes)
    def pull(self, asset, amount):
        """The treasury pulls `amount` of a token: refused unless it arrives whole."""
        if asset == ETH:
            return
        if self.token_mode == 1:
            raise Revert("token transfer failed")
        if self.token_mode == 2 and amount // 100:
            raise Revert("token delivered a different amount")

    def push(self, asset, amount):
        if asset != ETH and self.token_mode == 1:
            raise Revert("token transfer failed")

    def clone(self) -> Model:
        """A copy that a predicted operation may change (deepcopy, but ~5x
        faster: actions and settings are never changed in place)."""
        new = copy.copy(self)
        new.settings = list(self.settings)
        new.members = {a: Member(m.index, [copy.copy(t) for t in m.terms]) for a, m in self.members.items()}
        new.proposals = []
        for p in self.proposals:
            q = copy.copy(p)
            q.votes = dict(p.votes)
            new.proposals.append(q)
        new.last_proposal = dict(self.last_proposal)
        new.balance = dict(self.balance)
        new.pool = dict(self.pool)
        return new

    # ---- roll
    def is_member(self, a) -> bool:
        m = self.members.get(a)
        return m is not None and m.current is not None

    def term_at(self, a, ts):
        """The term in which `a` held a card at the end of `ts`."""
        m = self.members.get(a)
        if m is None:
            return None
        for t in m.terms:
            if t.joined <= ts and (t.left is None or ts < t.left):
                return t
        return None

    def count_at(self, ts) -> int:
        return sum(1 for a in self.members if self.term_at(a, ts) is not None)

    def count(self) -> int:
        return sum(1 for a in self.members if self.is_member(a))

    def paid_through(self, a) -> int:
        m = self.members.get(a)
        return 0 if m is None else m.terms[-1].paid

    def admit(self, a, now):
        if a == ETH or self.is_member(a):
            raise Revert("already a member")
        m = self.members.get(a)
        if m is None:
            self.members[a] = Member(self.next_index, [Term(now, None, now)])
            self.next_index += 1
        else:
            m.terms.append(Term(now, None, max(now, m.terms[-1].paid)))
        self.admitted += 1

    def remove(self, a, now, resigned):
        if not self.is_member(a):
            raise Revert("not a member")
        self.members[a].terms[-1].left = now
        if resigned:
            self.resigned += 1
        else:
            self.revoked += 1

    def credit(self, a, seconds, now):
        if not self.is_member(a):
            raise Revert("not a member")
        t = self.members[a].current
        if t.paid + seconds > now + MAX_PREPAID:
            raise Revert("prepaid too far ahead")
        t.paid += seconds

    # ---- proposals
    def eligibility(self, a, p: Proposal) -> int:
        t = self.term_at(a, p.snapshot)
        if t is None:
            return NO_CARD_AT_SNAPSHOT
        if t.paid + self.settings[p.version].dues_grace >= p.snapshot:
            return ELIGIBLE
        return DUES_NOT_COVERING_SNAPSHOT

    def eligible(self, a, p: Proposal) -> bool:
        return self.eligibility(a, p) == ELIGIBLE

    @staticmethod
    def reaches(part, whole, share_bps) -> bool:
        """part / whole, rounded half up to the basis point, is at least share_bps (exact fractions)."""
        if whole == 0:
            return True
        return Fraction(part * BPS, whole) + Fraction(1, 2) >= share_bps

    def quorum_votes(self, p: Proposal) -> int:
        """The fewest participating votes that reach the quorum (at least one)."""
        base = self.count_at(p.snapshot)
        quorum = self.settings[p.version].quorum_bps
        return next(n for n in range(1, base + 2) if self.reaches(n, base, quorum))

    def execution_deadline(self, p: Proposal) -> int:
        """Queue-by time before queueing, execute-by time after."""
        return (p.eta if p.eta is not None else p.end) + self.settings[p.version].execution_window

    def passed(self, p: Proposal) -> bool:
        tally = self.tally(p)
        f, ag, ab = tally[1], tally[0], tally[2]
        s = self.settings[p.version]
        base = self.count_at(p.snapshot)
        if not self.reaches(f + ag + ab, base, s.quorum_bps):
            return False
        if f <= ag:
            return False
        if p.constitutional:
            return self.reaches(f, f + ag, s.constitutional_bps)
        return True

    def tally(self, p: Proposal):
        t = [0, 0, 0]
        for support in p.votes.values():
            t[support] += 1
        return t

    def state(self, p: Proposal, now) -> int:
        s = self.settings[p.version]
        if p.executed:
            return EXECUTED
        if p.canceled:
            return CANCELED
        if p.eta is not None:
            return EXPIRED if now >= p.eta + s.execution_window else QUEUED
        if now < p.start:
            return PENDING
        if now < p.end:
            return ACTIVE
        if not self.passed(p):
            return DEFEATED
        if now >= p.end + s.execution_window:
            return EXPIRED
        return SUCCEEDED

    def is_constitutional(self, act: Action) -> bool:
        if len(act.data) < 4:
            return act.target == self.governor
        sel = act.data[:4]
        if act.target == self.governor:
            return sel != SEL_ADMIT
        return sel in (selector("set_dues(address,uint256,uint256)"), selector("set_base_uri(string)"))

    def check_propose(self, a, actions, now):
        if not self.is_member(a):
            raise Revert("not a member")
        if self.members[a].current.paid + self.settings[-1].dues_grace < now:
            raise Revert("dues in arrears")
        prev = self.last_proposal.get(self.members[a].index)
        if prev is not None and self.state(self.proposals[prev - 1], now) in LIVE:
            raise Revert("live proposal")
        for act in actions:
            if act.target == ETH:
                raise Revert("zero target")
            if act.kind == "card_mint" and act.target == self.card:
                raise Revert("cards follow the roll only")

    def propose(self, a, actions, now) -> Proposal:
        self.check_propose(a, actions, now)
        s = self.settings[-1]
        snapshot = now - 1
        start = now + s.voting_delay
        p = Proposal(
            pid=len(self.proposals) + 1,
            proposer=a,
            proposer_index=self.members[a].index,
            snapshot=snapshot,
            start=start,
            end=start + s.voting_period,
            version=len(self.settings) - 1,
            constitutional=any(self.is_constitutional(x) for x in actions),
            actions=list(actions),
        )
        self.proposals.append(p)
        self.last_proposal[p.proposer_index] = p.pid
        return p

    def vote(self, voter, pid, support, now):
        if not 1 <= pid <= len(self.proposals):
            raise Revert("unknown proposal")
        if support > 2:
            raise Revert("invalid support")
        p = self.proposals[pid - 1]
        if p.canceled:
            raise Revert("canceled")
        if not (p.start <= now < p.end):
            raise Revert("voting not open / closed")
        if not self.eligible(voter, p):
            raise Revert("not eligible")
        if voter in p.votes:
            raise Revert("already voted")
        p.votes[voter] = support

    def cancel(self, who, pid, now):
        if not 1 <= pid <= len(self.proposals):
            raise Revert("unknown proposal")
        p = self.proposals[pid - 1]
        m = self.members.get(who)
        if m is None or m.index != p.proposer_index:
            raise Revert("not the proposer")
        if self.state(p, now) != PENDING:
            raise Revert(f"proposal is {STATE_NAMES[self.state(p, now)]}")
        p.canceled = True

    def queue(self, pid, now):
        if not 1 <= pid <= len(self.proposals):
            raise Revert("unknown proposal")
        p = self.proposals[pid - 1]
        if self.state(p, now) != SUCCEEDED:
            raise Revert("not succeeded")
        p.eta = now + self.settings[p.version].timelock_delay

    def execute(self, pid, actions, value, now):
        """Applies an execution to this model (use on a clone: a revert
        leaves the clone half-changed)."""
        if not 1 <= pid <= len(self.proposals):
            raise Revert("unknown proposal")
        p = self.proposals[pid - 1]
        if self.state(p, now) != QUEUED:
            raise Revert("not queued")
        if now < p.eta:
            raise Revert("timelock")
        if [a.as_tuple() for a in actions] != [a.as_tuple() for a in p.actions]:
            raise Revert("actions mismatch")
        if value != sum(a.value for a in actions):
            raise Revert("wrong value")
        p.executed = True
        for act in actions:
            self.apply_action(act, now)

    def apply_action(self, act: Action, now):
        k, args = act.kind, act.args
        if k == "admit":
            self.admit(args[0], now)
        elif k == "revoke":
            self.remove(args[0], now, resigned=False)
        elif k == "settings":
            if not args[0].valid():
                raise Revert("bad settings")
            self.settings.append(args[0])
        elif k == "pay":
            asset, recipient, amount = args
            if amount == 0 or self.balance[asset] < self.pool[asset] + amount:
                raise Revert("insufficient funds")
            self.push(asset, amount)
            self.balance[asset] -= amount
        elif k == "fund_pool":
            asset, amount = args
            if amount == 0 or self.balance[asset] < self.pool[asset] + amount:
                raise Revert("insufficient funds")
            self.pool[asset] += amount
        elif k == "unfund_pool":
            asset, amount = args
            if amount == 0 or amount > self.pool[asset]:
                raise Revert("pool too small")
            self.pool[asset] -= amount
        elif k == "eth":
            self.balance[ETH] += act.value
        else:  # pragma: no cover
            raise AssertionError(f"unknown action kind {k}")


def make_action(model: Model, kind: str, args: tuple) -> Action:
    """Encodes an action spec (kind, resolved args) as a governor Action."""
    if kind == "admit":
        return Action(kind, args, model.governor, 0, SEL_ADMIT + encode(["address"], [args[0]]))
    if kind == "revoke":
        return Action(kind, args, model.governor, 0, SEL_REVOKE + encode(["address"], [args[0]]))
    if kind == "settings":
        return Action(kind, args, model.governor, 0, SEL_UPDATE_SETTINGS + encode([SETTINGS_ABI], [args[0].as_tuple()]))
    if kind == "pay":
        return Action(kind, args, model.treasury, 0, SEL_PAY + encode(["address", "address", "uint256"], list(args)))
    if kind == "fund_pool":
        return Action(kind, args, model.treasury, 0, SEL_FUND_POOL + encode(["address", "uint256"], list(args)))
    if kind == "unfund_pool":
        return Action(kind, args, model.treasury, 0, SEL_UNFUND_POOL + encode(["address", "uint256"], list(args)))
    if kind == "eth":
        return Action(kind, args, model.treasury, args[0], b"")
    if kind == "card_mint":
        return Action(kind, args, model.card, 0, SEL_CARD_MINT + encode(["address"], [args[0]]))
    raise AssertionError(kind)

"""The relayer of `iwo serve`: a durable queue of signed votes and the account that sends them.

Durable queue. A signed vote is accepted (HTTP 202) only once its row is committed to SQLite
in the data folder (WAL with ``synchronous=FULL``: the commit is on disk). A row goes
queued → sent → landed | failed; nothing else removes it.

Nonces. The relayer numbers its own transactions: at start it takes the larger of the node's
pending nonce and one past the highest nonce it ever recorded; then each transaction gets the
next number. Every signed transaction (nonce, hash, raw bytes, fees) is written to the queue
*before* it is broadcast, in the same SQLite transaction that marks its vote sent. So:

- a nonce is never used for two votes: it is recorded once, and a replacement re-signs the same
  vote at the same nonce with higher fees (+12.5 %, above the 10 % nodes require);
- a nonce is never skipped: a recorded transaction the node does not have (the node lost it,
  or `iwo serve` was killed between the commit and the broadcast) is broadcast again, as it is,
  until it is mined;
- a transaction not mined within `replace_after` seconds is replaced with higher fees, never
  above the fee cap (`IWO_MAX_FEE_GWEI`);
- on start the queue is replayed: sent transactions are broadcast again (a node that already
  has or mined one says so, harmlessly) and queued votes are sent. A replayed vote whose first
  transaction was mined is found by its receipt and reported landed once; the governor's
  who-voted bit makes any second transaction for the same vote revert, so a vote is never
  counted twice, and the relayer never sends one (a vote is sent only from the queued state).

Before a queued vote is signed it is simulated once more (`eth_call` from the relayer, in one
batch with the others), so a proposal that closed meanwhile costs no gas. Transactions are
sent in batches (one JSON-RPC batch of `eth_sendRawTransaction`) and followed by batched
receipt queries. The relayer holds no member keys: it only sends what members signed.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
import time
from pathlib import Path

from .. import tx
from ..ballot import SignedBallot
from ..errors import IwoError
from ..registry import Collective
from ..rpc import RpcError
from ..session import Session

QUEUED, SENT, LANDED, FAILED = "queued", "sent", "landed", "failed"
ACTIVE = (QUEUED, SENT, LANDED)
FILE = "relayer.sqlite"
SCHEMA_VERSION = 1  # the queue's layout (PRAGMA user_version); a queue is never dropped like a cache
BUMP_DIVISOR = 8  # a replacement pays 1/8 (12.5 %) more than the transaction it replaces
# How a node says that it already has, or already mined, a transaction broadcast again.
_KNOWN = ("already known", "known transaction", "already imported", "nonce too low", "already exists", "alreadyknown")


class Exists(IwoError):
    """The voter already has a vote on this proposal in the queue (`row`)."""

    def __init__(self, row: dict):
        super().__init__(f"vote {row['id']} of {row['voter']} on #{row['proposal']} is {row['status']}")
        self.row = row


class Queue:
    """The SQLite queue of one collective's relayed votes and of the relayer's transactions.

    One connection shared by the web threads and the relayer's thread, behind a lock."""

    def __init__(self, path: Path | str, chain_id: int, governor: str, relayer: str):
        self.path = str(path)
        self.chain_id, self.governor, self.relayer = chain_id, governor, relayer
        self.scope = (chain_id, governor, relayer)  # each relayer of each collective has its own votes
        self.lock = threading.Lock()
        self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")  # a commit is on disk before it returns
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        tables = self.db.execute("SELECT COUNT(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        if version != SCHEMA_VERSION and (version or tables):
            self.db.close()
            raise IwoError(
                f"{self.path} holds a relayer queue of another iwo version (layout {version}, this one reads "
                f"{SCHEMA_VERSION}): finish it with that version, or move the file away"
            )
        self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS votes(
                id INTEGER PRIMARY KEY AUTOINCREMENT, chain_id INTEGER, governor TEXT, relayer TEXT, proposal INTEGER,
                voter TEXT, support INTEGER, expiry INTEGER, reason TEXT, signature TEXT, data TEXT,
                gas INTEGER, status TEXT, nonce INTEGER, tx TEXT, block INTEGER, error TEXT,
                accepted REAL, updated REAL, UNIQUE(chain_id, governor, relayer, signature));
            CREATE INDEX IF NOT EXISTS votes_by_voter ON votes(chain_id, governor, relayer, proposal, voter);
            CREATE INDEX IF NOT EXISTS votes_by_status ON votes(chain_id, governor, relayer, status, id);
            CREATE TABLE IF NOT EXISTS sends(
                chain_id INTEGER, relayer TEXT, nonce INTEGER, attempt INTEGER, vote_id INTEGER,
                tx TEXT, raw TEXT, fees TEXT, sent REAL, PRIMARY KEY(chain_id, relayer, nonce, attempt));
            CREATE INDEX IF NOT EXISTS sends_by_vote ON sends(vote_id);
        """)

    def close(self) -> None:
        with self.lock:
            self.db.close()

    # ---- votes ----------------------------------------------------------------------------------
    def _row(self, sql: str, params=()) -> dict | None:
        row = self.db.execute(sql, params).fetchone()
        return dict(row) if row else None

    def get(self, vote_id: int) -> dict | None:
        with self.lock:
            return self._row(
                "SELECT * FROM votes WHERE id=? AND chain_id=? AND governor=? AND relayer=?", (vote_id, *self.scope)
            )

    def by_signature(self, signature: str) -> dict | None:
        with self.lock:
            return self._by_signature(signature)

    def _by_signature(self, signature: str) -> dict | None:
        return self._row(
            "SELECT * FROM votes WHERE chain_id=? AND governor=? AND relayer=? AND signature=?",
            (*self.scope, signature.lower()),
        )

    def active(self, proposal: int, voter: str) -> dict | None:
        """The voter's queued, sent or landed vote on `proposal`, if any."""
        with self.lock:
            return self._active(proposal, voter)

    def _active(self, proposal: int, voter: str) -> dict | None:
        return self._row(
            "SELECT * FROM votes WHERE chain_id=? AND governor=? AND relayer=? AND proposal=? AND voter=? "
            "AND status IN (?,?,?) ORDER BY id DESC LIMIT 1",
            (*self.scope, proposal, voter, *ACTIVE),
        )

    def add(self, signed: SignedBallot, data: bytes, gas: int) -> tuple[dict, bool]:
        """Stores a verified vote durably; returns (row, added). The same signature again gives the
        row it already has (added False); another vote of a voter with one on its way raises Exists."""
        b = signed.ballot
        with self.lock:
            same = self._by_signature(signed.signature)
            if same is not None:
                return same, False
            other = self._active(b.proposal_id, b.voter)
            if other is not None:
                raise Exists(other)
            now = time.time()
            with self.db:
                cursor = self.db.execute(
                    "INSERT INTO votes(chain_id, governor, relayer, proposal, voter, support, expiry, reason, signature, "
                    "data, gas, status, accepted, updated) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        *self.scope,
                        b.proposal_id,
                        b.voter,
                        b.support,
                        b.expiry,
                        b.reason,
                        signed.signature.lower(),
                        "0x" + data.hex(),
                        gas,
                        QUEUED,
                        now,
                        now,
                    ),
                )
            return self._row("SELECT * FROM votes WHERE id=?", (cursor.lastrowid,)), True

    def queued(self, limit: int) -> list[dict]:
        with self.lock:
            rows = self.db.execute(
                "SELECT * FROM votes WHERE chain_id=? AND governor=? AND relayer=? AND status=? ORDER BY id LIMIT ?",
                (*self.scope, QUEUED, limit),
            ).fetchall()
        return [dict(r) for r in rows]

    def in_flight(self) -> list[dict]:
        """Sent votes, in nonce order, each with its transactions ('attempts', oldest first)."""
        with self.lock:
            rows = [
                dict(r)
                for r in self.db.execute(
                    "SELECT * FROM votes WHERE chain_id=? AND governor=? AND relayer=? AND status=? ORDER BY nonce",
                    (*self.scope, SENT),
                ).fetchall()
            ]
            for row in rows:
                row["attempts"] = [
                    dict(a)
                    for a in self.db.execute(
                        "SELECT * FROM sends WHERE chain_id=? AND relayer=? AND nonce=? AND vote_id=? ORDER BY attempt",
                        (self.chain_id, self.relayer, row["nonce"], row["id"]),
                    ).fetchall()
                ]
        return rows

    def counts(self) -> dict[str, int]:
        with self.lock:
            rows = self.db.execute(
                "SELECT status, COUNT(*) FROM votes WHERE chain_id=? AND governor=? AND relayer=? GROUP BY status",
                self.scope,
            ).fetchall()
        return {QUEUED: 0, SENT: 0, LANDED: 0, FAILED: 0} | {r[0]: r[1] for r in rows}

    # ---- transactions ---------------------------------------------------------------------------
    def next_nonce(self) -> int | None:
        """One past the highest nonce this relayer ever recorded on this chain."""
        with self.lock:
            row = self.db.execute(
                "SELECT MAX(nonce) FROM sends WHERE chain_id=? AND relayer=?", (self.chain_id, self.relayer)
            ).fetchone()
        return None if row[0] is None else row[0] + 1

    def record(self, sends: list[tuple[int, int, str, str, dict]]) -> None:
        """Durably records signed transactions (vote id, nonce, hash, raw, fees), before they are
        broadcast, and marks their votes sent — one SQLite transaction."""
        now = time.time()
        with self.lock, self.db:
            for vote_id, nonce, tx_hash, raw, fees in sends:
                attempt = self.db.execute(
                    "SELECT COUNT(*) FROM sends WHERE chain_id=? AND relayer=? AND nonce=?",
                    (self.chain_id, self.relayer, nonce),
                ).fetchone()[0]
                self.db.execute(
                    "INSERT INTO sends VALUES(?,?,?,?,?,?,?,?,?)",
                    (self.chain_id, self.relayer, nonce, attempt, vote_id, tx_hash, raw, json.dumps(fees), now),
                )
                self.db.execute(
                    "UPDATE votes SET status=?, nonce=?, tx=?, updated=? WHERE id=?",
                    (SENT, nonce, tx_hash, now, vote_id),
                )

    def touch(self, tx_hash: str) -> None:
        """Restarts the stuck-clock of a transaction (it was broadcast again)."""
        with self.lock, self.db:
            self.db.execute("UPDATE sends SET sent=? WHERE tx=?", (time.time(), tx_hash))

    def finish(self, vote_id: int, status: str, tx_hash: str | None = None, block: int | None = None, error=None):
        self.finish_many([(vote_id, status, tx_hash, block, error)])

    def finish_many(self, outcomes: list[tuple[int, str, str | None, int | None, str | None]]) -> None:
        """Final states (vote id, status, tx, block, error) of several votes, in one transaction."""
        if not outcomes:
            return
        now = time.time()
        with self.lock, self.db:
            self.db.executemany(
                "UPDATE votes SET status=?, tx=COALESCE(?, tx), block=?, error=?, updated=? WHERE id=?",
                [(status, tx_hash, block, error, now, vote_id) for vote_id, status, tx_hash, block, error in outcomes],
            )

    def requeue(self, vote_id: int) -> None:
        """Back to the queue: its nonce went to a transaction that is not this vote's."""
        with self.lock, self.db:
            self.db.execute(
                "UPDATE votes SET status=?, nonce=NULL, tx=NULL, updated=? WHERE id=?", (QUEUED, time.time(), vote_id)
            )


def queue_path(folder: Path) -> Path:
    return folder / FILE


class Lock:
    """One `iwo serve` per relayer account and chain: two would number the same nonces."""

    def __init__(self, folder: Path, chain_id: int, address: str):
        self.path = folder / f"relayer-{chain_id}-{address.lower()}.lock"
        self.fh = open(self.path, "w")  # noqa: SIM115 (held for the life of the server)
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.close()
            raise IwoError(
                f"another `iwo serve` already relays with {address} on chain {chain_id} (lock {self.path})"
            ) from None
        self.fh.write(str(os.getpid()))
        self.fh.flush()

    def release(self) -> None:
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def _bump(value: int) -> int:
    return value + value // BUMP_DIVISOR + 1


def max_fee(fees: dict) -> int:
    """The most a unit of gas may cost with these fee fields."""
    return int(fees.get("maxFeePerGas", fees.get("gasPrice", 0)))


class Relayer:
    """Sends queued votes from the relayer account on a thread of its own (its own session)."""

    def __init__(
        self,
        s: Session,
        c: Collective,
        queue: Queue,
        replace_after: float = 60.0,
        batch: int = 100,
        log=lambda _message: None,
    ):
        self.s, self.c, self.queue = s, c, queue
        self.signer = s.require_signer()
        self.address = self.signer.address
        self.replace_after = replace_after
        self.batch = batch
        self.log = log
        self.next_nonce: int | None = None
        self.balance: int | None = None
        self.fees: dict | None = None
        self.out_of_funds = False
        self.problem: str | None = None  # the last thing that went wrong, in words (None when all is well)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._gone: dict[int, int] = {}  # vote id -> turns its nonce was seen taken with no receipt of ours
        self._retry: dict[str, float] = {}  # tx hash -> when to broadcast it again

    # ---- life --------------------------------------------------------------------------------------
    def start(self) -> dict:
        """Replays the queue, then sends on a thread. Returns what was replayed."""
        replayed = self.replay()
        self._thread = threading.Thread(target=self._run, name="iwo-relayer", daemon=True)
        self._thread.start()
        return replayed

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wake(self) -> None:
        self._wake.set()

    def replay(self) -> dict:
        """Takes up where the last run stopped: picks the next nonce, broadcasts again every
        transaction recorded but not known mined."""
        self.refresh()
        pending = int(self.s.rpc.call("eth_getTransactionCount", [self.address, "pending"]), 16)
        recorded = self.queue.next_nonce()
        self.next_nonce = max(pending, recorded or 0)
        flying = self.queue.in_flight()
        if flying:
            self._broadcast([(row["attempts"][-1]["tx"], row["attempts"][-1]["raw"]) for row in flying])
        counts = self.queue.counts()
        return {"queued": counts[QUEUED], "in_flight": len(flying), "next_nonce": self.next_nonce}

    def _run(self) -> None:
        pause = 0.0
        while not self._stop.is_set():
            self._wake.wait(pause)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                busy = self.turn()
                pause = 0.05 if busy else 0.5
            except (RpcError, OSError) as exc:
                self.problem = f"the chain node does not answer ({exc}); accepted votes wait in the queue"
                pause = 1.0
            except IwoError as exc:
                self.problem = str(exc)
                pause = 1.0
            except Exception as exc:  # never let the sending thread die: the queue keeps every vote
                self.problem = f"unexpected error in the relayer: {type(exc).__name__}: {exc}"
                self.log(self.problem)
                pause = 2.0

    def turn(self) -> bool:
        """One round: follow what is in flight, then send what is queued. True if anything is
        still on its way (the next round comes soon)."""
        flying = self._follow()
        sent = self._send()
        if not flying and not sent and not self.out_of_funds:
            self.problem = None
        return bool(flying or sent)

    # ---- reading the chain ----------------------------------------------------------------------
    def refresh(self) -> dict:
        """The relayer's balance and the fees a transaction pays now."""
        block, tip, balance = self.s.rpc.batch(
            [
                ("eth_getBlockByNumber", ["latest", False]),
                ("eth_maxPriorityFeePerGas", []),
                ("eth_getBalance", [self.address, "latest"]),
            ],
            errors=True,
        )
        for item in (block, balance):
            if isinstance(item, RpcError):
                raise item
        self.balance = int(balance, 16)
        self.fees = tx.price(self.s, block, tip)
        return self.fees

    # ---- following transactions in flight -------------------------------------------------------------
    def _follow(self) -> int:
        rows = self.queue.in_flight()
        if not rows:
            return 0
        pairs = [(row, a) for row in rows for a in row["attempts"]]
        answers = self.s.rpc.batch(
            [("eth_getTransactionReceipt", [a["tx"]]) for _, a in pairs]
            + [("eth_getTransactionCount", [self.address, "latest"])],
            errors=True,
        )
        if isinstance(answers[-1], RpcError):
            raise answers[-1]
        mined_to = int(answers[-1], 16)
        found: dict[int, tuple[dict, dict]] = {}
        for (row, attempt), receipt in zip(pairs, answers):
            if isinstance(receipt, dict) and receipt.get("blockNumber"):
                found[row["id"]] = (attempt, receipt)
        now = time.time()
        left = 0
        outcomes = []
        for row in rows:
            if row["id"] in found:
                attempt, receipt = found[row["id"]]
                block = int(receipt["blockNumber"], 16)
                if int(receipt.get("status", "0x1"), 16) == 1:
                    outcomes.append((row["id"], LANDED, attempt["tx"], block, None))
                else:
                    outcomes.append((row["id"], FAILED, attempt["tx"], block, self._why_reverted(row, block)))
                self._gone.pop(row["id"], None)
                continue
            left += 1
            if row["nonce"] < mined_to:
                # its nonce was mined, but by none of its transactions: someone else used the account
                seen = self._gone.get(row["id"], 0) + 1
                self._gone[row["id"]] = seen
                if seen >= 3:
                    self.queue.requeue(row["id"])
                    self._gone.pop(row["id"], None)
                    self.next_nonce = max(self.next_nonce or 0, mined_to)  # every nonce below is mined
                    self.problem = f"nonce {row['nonce']} of {self.address} was used outside iwo serve; vote re-queued"
                continue
            last = row["attempts"][-1]
            if last["tx"] in self._retry:
                if now >= self._retry[last["tx"]]:
                    self._broadcast([(last["tx"], last["raw"])])
            elif now - last["sent"] >= self.replace_after:
                self._replace(row, last)
        self.queue.finish_many(outcomes)
        return left

    def _why_reverted(self, row: dict, block: int) -> str:
        query = {"from": self.address, "to": self.c.governor.address, "data": row["data"]}
        try:
            self.s.rpc.call("eth_call", [query, hex(block - 1)])
        except RpcError as exc:
            return tx.reason_of(exc) or str(exc)
        return "reverted (the reason could not be replayed)"

    def _replace(self, row: dict, last: dict) -> None:
        """Re-signs a stuck vote at the same nonce with fees 12.5 % higher (and at least today's)."""
        now_fees = self.refresh()
        old = json.loads(last["fees"])
        cap = tx.max_fee_cap()
        if "gasPrice" in old:
            fees = {"gasPrice": min(max(int(now_fees.get("gasPrice", 0)), _bump(int(old["gasPrice"]))), cap)}
            raised = fees["gasPrice"] > int(old["gasPrice"])
        else:
            tip = max(int(now_fees.get("maxPriorityFeePerGas", 0)), _bump(int(old["maxPriorityFeePerGas"])))
            top = min(max(max_fee(now_fees), _bump(int(old["maxFeePerGas"])), tip), cap)
            tip = min(tip, top)
            fees = {"type": 2, "maxFeePerGas": top, "maxPriorityFeePerGas": tip}
            raised = top > int(old["maxFeePerGas"]) and tip > int(old["maxPriorityFeePerGas"])
        if not raised:
            self.problem = (
                f"the transaction of nonce {row['nonce']} waits: its fees are at the cap "
                f"({cap // tx.GWEI} gwei, IWO_MAX_FEE_GWEI)"
            )
            self.queue.touch(last["tx"])
            return
        raw, tx_hash = self._sign(row, row["nonce"], fees)
        self.queue.record([(row["id"], row["nonce"], tx_hash, raw, fees)])
        self.log(f"replaced stuck nonce {row['nonce']} ({last['tx']}) by {tx_hash} with higher fees")
        self._broadcast([(tx_hash, raw)])

    # ---- sending ------------------------------------------------------------------------------------
    def _sign(self, row: dict, nonce: int, fees: dict) -> tuple[str, str]:
        body = {
            "chainId": self.s.chain_id,
            "nonce": nonce,
            "to": self.c.governor.address,
            "value": 0,
            "data": bytes.fromhex(row["data"][2:]),
            "gas": int(row["gas"]),
        } | fees
        raw, tx_hash = self.signer.sign_transaction(body)
        return "0x" + raw.hex(), tx_hash

    def _send(self) -> int:
        rows = self.queue.queued(self.batch)
        if not rows:
            self.out_of_funds = False
            return 0
        fees = self.refresh()
        results = self.s.rpc.batch(
            [
                ("eth_call", [{"from": self.address, "to": self.c.governor.address, "data": r["data"]}, "latest"])
                for r in rows
            ],
            errors=True,
        )
        ready, failed = [], []
        for row, result in zip(rows, results):
            if isinstance(result, RpcError):
                reason = tx.reason_of(result)
                if reason is None:
                    raise result  # the node, not the vote: try again next round
                failed.append((row["id"], FAILED, None, None, reason))
            else:
                ready.append(row)
        self.queue.finish_many(failed)
        price = max_fee(fees)
        committed = sum(int(r["gas"]) * max_fee(json.loads(r["attempts"][-1]["fees"])) for r in self._unmined())
        spendable = (self.balance or 0) - committed
        affordable = []
        for row in ready:
            cost = int(row["gas"]) * price
            if cost > spendable:
                break
            spendable -= cost
            affordable.append(row)
        self.out_of_funds = len(affordable) < len(ready)
        if self.out_of_funds:
            self.problem = (
                f"the relayer {self.address} is out of funds: {len(ready) - len(affordable)} accepted vote(s) "
                "wait in the queue until it is topped up"
            )
        if not affordable:
            return 0
        sends = []
        for i, row in enumerate(affordable):
            raw, tx_hash = self._sign(row, self.next_nonce + i, fees)
            sends.append((row["id"], self.next_nonce + i, tx_hash, raw, fees))
        self.queue.record(sends)  # on disk before anything is broadcast
        self.next_nonce += len(sends)
        self._broadcast([(tx_hash, raw) for _, _, tx_hash, raw, _ in sends])
        return len(sends)

    def _unmined(self) -> list[dict]:
        return self.queue.in_flight()

    def _broadcast(self, signed: list[tuple[str, str]]) -> None:
        """Broadcasts recorded transactions in one batch; one the node refuses is tried again
        a second later (a node that already has or mined it is not a problem)."""
        try:
            answers = self.s.rpc.batch([("eth_sendRawTransaction", [raw]) for _, raw in signed], errors=True)
        except (RpcError, OSError) as exc:
            for tx_hash, _ in signed:
                self._retry[tx_hash] = time.time() + 1.0
            self.problem = f"the chain node does not answer ({exc}); sent votes will be broadcast again"
            return
        for (tx_hash, _), answer in zip(signed, answers):
            if isinstance(answer, RpcError):
                message = str(answer).lower()
                if any(word in message for word in _KNOWN):
                    self._retry.pop(tx_hash, None)
                    continue
                if "insufficient funds" in message:
                    self.out_of_funds = True
                if "underpriced" in message or "base fee" in message or "fee cap" in message:
                    self._retry.pop(tx_hash, None)
                    self._force_replace(tx_hash)
                    continue
                self.problem = f"the node refused transaction {tx_hash}: {answer}; it will be broadcast again"
                self._retry[tx_hash] = time.time() + 1.0
            else:
                self._retry.pop(tx_hash, None)

    def _force_replace(self, tx_hash: str) -> None:
        """Marks a transaction the node found too cheap as stuck, so the next round replaces it."""
        with self.queue.lock, self.queue.db:
            self.queue.db.execute("UPDATE sends SET sent=0 WHERE tx=?", (tx_hash,))

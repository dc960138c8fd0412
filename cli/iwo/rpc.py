"""A small JSON-RPC client: any node URL, no Ape, one kept-alive HTTP connection,
batches, retries with backoff, and `get_logs` that splits a block range whenever
the node refuses or limits it.

Every chain read and write of `iwo` goes through here. `calls` counts JSON-RPC
requests (each member of a batch is one) and `round_trips` counts HTTP posts,
so the bench can report what a command costs the node.
"""

from __future__ import annotations

import http.client
import json
import random
import time
import urllib.parse
from collections.abc import Callable, Sequence

from .errors import IwoError

# Messages nodes use when a getLogs range or result set is too large.
_TOO_MUCH = (
    "limit",
    "too many",
    "range",
    "exceed",
    "max results",
    "response size",
    "query returned more",
    "block range",
    "too large",
    "10000",
)
# Messages of a rate limit: a getLogs refused for that is retried later, not split.
_RATE_LIMITED = ("rate limit", "rate-limit", "ratelimit", "too many requests", "request rate", "rate exceeded")
_TRANSIENT_HTTP = {408, 425, 429, 500, 502, 503, 504}
_TRANSIENT_CODES = (-32000, -32603, -32005, 429)
BATCH_SIZE = 100  # requests per HTTP post


def _rate_limited(message: str, code: int | None) -> bool:
    return code == 429 or any(word in message.lower() for word in _RATE_LIMITED)


class RpcError(IwoError):
    """The node answered with a JSON-RPC error (`code`, and `data` for reverts)."""

    def __init__(self, message: str, code: int | None = None, data=None):
        super().__init__(message)
        self.code = code
        self.data = data


class TooMuch(RpcError):
    """The node refused a getLogs query as too large."""


class _HttpStatus(Exception):
    def __init__(self, status: int):
        super().__init__(f"HTTP {status}")
        self.status = status


class Rpc:
    """JSON-RPC over HTTP with retries of transient failures (exponential backoff + jitter)."""

    def __init__(
        self,
        url: str,
        retries: int = 5,
        backoff: float = 0.25,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise IwoError(f"not an http(s) RPC URL: {url!r}")
        parts = urllib.parse.urlsplit(url)
        if not parts.hostname:
            raise IwoError(f"not an http(s) RPC URL: {url!r}")
        self.url = url
        self._parts = parts
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.sleep = sleep
        self.calls = 0
        self.round_trips = 0
        self._id = 0
        self._conn: http.client.HTTPConnection | None = None
        self._batch_ok = True

    # ---- transport ------------------------------------------------------------------------
    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            p = self._parts
            cls = http.client.HTTPSConnection if p.scheme == "https" else http.client.HTTPConnection
            self._conn = cls(p.hostname, p.port, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _post(self, payload) -> object:
        body = json.dumps(payload).encode()
        path = self._parts.path or "/"
        if self._parts.query:
            path += "?" + self._parts.query
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._parts.username:
            import base64

            token = base64.b64encode(f"{self._parts.username}:{self._parts.password or ''}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        self.round_trips += 1
        conn = self._connection()
        try:
            conn.request("POST", path, body, headers)
            response = conn.getresponse()
            data = response.read()
            if response.will_close:
                self.close()
        except BaseException:
            self.close()  # a half-used connection is never reused
            raise
        if response.status != 200:
            raise _HttpStatus(response.status)
        try:
            return json.loads(data)
        except ValueError:
            raise RpcError("the node answered with something that is not JSON-RPC") from None

    def _with_retries(self, what: str, attempt_fn):
        attempt = 0
        while True:
            try:
                return attempt_fn()
            except TooMuch:
                raise
            except RpcError as exc:
                transient = (exc.code in _TRANSIENT_CODES or _rate_limited(str(exc), exc.code)) and (
                    "revert" not in str(exc).lower()
                )
                if not transient or attempt >= self.retries:
                    raise
            except _HttpStatus as exc:
                if exc.status not in _TRANSIENT_HTTP:
                    raise RpcError(f"node answered HTTP {exc.status} to {what}") from None
                if attempt >= self.retries:
                    raise RpcError(f"node answered HTTP {exc.status} to {what}") from None
            except (TimeoutError, ConnectionError, OSError, http.client.HTTPException) as exc:
                # HTTPException: a connection cut mid-answer
                if attempt >= self.retries:
                    raise RpcError(f"node at {self.url} does not answer ({exc})") from None
            self.sleep(self.backoff * (2**attempt) * (1 + random.random() / 2))
            attempt += 1

    # ---- requests ---------------------------------------------------------------------------
    def call(self, method: str, params: list | None = None, retry: bool = True):
        """One request; its result, or RpcError. `retry=False` for a request that must not be
        repeated blindly (sending a transaction): one attempt, failures raised."""
        if not retry:
            saved, self.retries = self.retries, 0
            try:
                return self._with_retries(method, lambda: self._once(method, params or []))
            finally:
                self.retries = saved
        return self._with_retries(method, lambda: self._once(method, params or []))

    def _once(self, method: str, params: list):
        self._id += 1
        self.calls += 1
        reply = self._post({"jsonrpc": "2.0", "id": self._id, "method": method, "params": params})
        if not isinstance(reply, dict):
            raise RpcError(f"{method}: the node answered with something that is not JSON-RPC")
        return self._result(method, reply)

    @staticmethod
    def _result(method: str, reply: dict):
        if reply.get("error"):
            err = reply["error"]
            if not isinstance(err, dict):
                raise RpcError(f"{method}: {err}")
            message = str(err.get("message", err))
            if (
                method == "eth_getLogs"
                and not _rate_limited(message, err.get("code"))
                and any(word in message.lower() for word in _TOO_MUCH)
            ):
                raise TooMuch(message, err.get("code"))
            raise RpcError(f"{method}: {message}", err.get("code"), err.get("data"))
        if "result" not in reply:
            raise RpcError(f"{method}: the node answered with something that is not JSON-RPC")
        return reply["result"]

    def batch(self, requests: Sequence[tuple[str, list]], errors: bool = False) -> list:
        """Several requests in one HTTP post (chunks of BATCH_SIZE); results in order.

        With `errors=False` the first failed request raises its RpcError; with
        `errors=True` a failed request's place holds its RpcError instead. A node
        that does not take batches is asked one request at a time."""
        out: list = []
        for i in range(0, len(requests), BATCH_SIZE):
            chunk = list(requests[i : i + BATCH_SIZE])
            out.extend(self._with_retries(chunk[0][0], lambda chunk=chunk: self._batch_once(chunk)))
        if not errors:
            for item in out:
                if isinstance(item, RpcError):
                    raise item
        return out

    def _batch_once(self, chunk: list[tuple[str, list]]) -> list:
        if not self._batch_ok or len(chunk) == 1:
            return [self._capture(m, p) for m, p in chunk]
        first = self._id + 1
        payload = [{"jsonrpc": "2.0", "id": first + n, "method": m, "params": p} for n, (m, p) in enumerate(chunk)]
        self._id += len(chunk)
        self.calls += len(chunk)
        reply = self._post(payload)
        if not isinstance(reply, list):
            # some nodes answer a batch with one error object: fall back to single requests
            self._batch_ok = False
            return [self._capture(m, p) for m, p in chunk]
        by_id = {r.get("id"): r for r in reply if isinstance(r, dict)}
        out = []
        for n, (method, _) in enumerate(chunk):
            r = by_id.get(first + n)
            if r is None:
                raise RpcError(f"{method}: the node left a request of the batch unanswered")
            try:
                out.append(self._result(method, r))
            except RpcError as exc:
                transient = exc.code in _TRANSIENT_CODES and "revert" not in str(exc).lower() and exc.data is None
                if transient or _rate_limited(str(exc), exc.code):
                    raise  # the whole batch is retried
                out.append(exc)
        return out

    def _capture(self, method: str, params: list):
        try:
            return self._once(method, params)
        except RpcError as exc:
            if exc.code in _TRANSIENT_CODES and "revert" not in str(exc).lower() and exc.data is None:
                raise
            return exc

    # ---- typed helpers ------------------------------------------------------------------------
    def chain_id(self) -> int:
        return int(self.call("eth_chainId"), 16)

    def block_number(self) -> int:
        return int(self.call("eth_blockNumber"), 16)

    def block(self, number: int | str) -> dict:
        tag = hex(number) if isinstance(number, int) else number
        block = self.call("eth_getBlockByNumber", [tag, False])
        if block is None:
            raise RpcError(f"block {number} not found")
        return block

    def balance(self, address: str, block: int | str = "latest") -> int:
        tag = hex(block) if isinstance(block, int) else block
        return int(self.call("eth_getBalance", [address, tag]), 16)

    def code(self, address: str, block: int | str = "latest") -> bytes:
        tag = hex(block) if isinstance(block, int) else block
        return bytes.fromhex(self.call("eth_getCode", [address, tag])[2:])

    def eth_call(self, to: str, data: bytes, block: int | str = "latest", sender: str | None = None) -> bytes:
        tag = hex(block) if isinstance(block, int) else block
        query = {"to": to, "data": "0x" + data.hex()}
        if sender:
            query["from"] = sender
        return bytes.fromhex(self.call("eth_call", [query, tag])[2:])

    def get_logs(
        self,
        addresses: list[str],
        topics: list,
        start: int,
        end: int,
        on_range: Callable[[int, int, list], None],
        chunk: int = 5_000,
    ) -> None:
        """Fetches logs in [start, end] in ascending ranges; calls on_range(a, b, logs) for each
        completed range, in order. Ranges the node refuses are halved until accepted."""
        a = start
        while a <= end:
            b = min(end, a + chunk - 1)
            try:
                query = {"address": addresses, "fromBlock": hex(a), "toBlock": hex(b)}
                if topics:
                    query["topics"] = topics
                logs = self.call("eth_getLogs", [query])
            except TooMuch:
                if b == a:
                    raise RpcError(f"the node refuses eth_getLogs even for the single block {a}") from None
                chunk = max(1, (b - a + 1) // 2)
                continue
            on_range(a, b, logs)
            a = b + 1
            chunk = min(chunk * 2, 100_000)  # grow back after a success

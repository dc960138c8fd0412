"""A small JSON-RPC client for auditors: any node URL, no Ape, retries with backoff,
and `get_logs` that splits a block range whenever the node refuses or limits it.
"""

from __future__ import annotations

import http.client
import json
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable

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


def _rate_limited(message: str, code: int | None) -> bool:
    return code == 429 or any(word in message.lower() for word in _RATE_LIMITED)


class RpcError(IwoError):
    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


class TooMuch(RpcError):
    """The node refused a getLogs query as too large."""


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
        if not url.startswith(("http://", "https://")):
            raise IwoError(f"not an http(s) RPC URL: {url!r}")
        self.url = url
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.sleep = sleep
        self.calls = 0
        self._id = 0

    def call(self, method: str, params: list | None = None):
        attempt = 0
        while True:
            try:
                return self._once(method, params or [])
            except TooMuch:
                raise
            except RpcError as exc:
                transient = (exc.code in _TRANSIENT_CODES or _rate_limited(str(exc), exc.code)) and "revert" not in str(
                    exc
                ).lower()
                if not transient or attempt >= self.retries:
                    raise
            except (
                urllib.error.URLError,
                TimeoutError,
                ConnectionError,
                OSError,
                http.client.HTTPException,
            ) as exc:  # HTTPException: a connection cut mid-answer
                status = getattr(exc, "code", None)
                if isinstance(exc, urllib.error.HTTPError) and status not in _TRANSIENT_HTTP:
                    raise RpcError(f"node answered HTTP {status} to {method}") from None
                if attempt >= self.retries:
                    raise RpcError(f"node at {self.url} does not answer ({exc})") from None
            self.sleep(self.backoff * (2**attempt) * (1 + random.random() / 2))
            attempt += 1

    def _once(self, method: str, params: list):
        self._id += 1
        self.calls += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self._id, "method": method, "params": params}).encode()
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            body = response.read()
        try:
            reply = json.loads(body)
        except ValueError:
            raise RpcError(f"{method}: the node answered with something that is not JSON-RPC") from None
        if not isinstance(reply, dict):
            raise RpcError(f"{method}: the node answered with something that is not JSON-RPC")
        if "error" in reply and reply["error"]:
            err = reply["error"]
            message = str(err.get("message", err))
            if (
                method == "eth_getLogs"
                and not _rate_limited(message, err.get("code"))
                and any(word in message.lower() for word in _TOO_MUCH)
            ):
                raise TooMuch(message, err.get("code"))
            raise RpcError(f"{method}: {message}", err.get("code"))
        return reply.get("result")

    # ---- typed helpers ------------------------------------------------------------------------
    def chain_id(self) -> int:
        return int(self.call("eth_chainId"), 16)

    def block_number(self) -> int:
        return int(self.call("eth_blockNumber"), 16)

    def block(self, number: int) -> dict:
        block = self.call("eth_getBlockByNumber", [hex(number), False])
        if block is None:
            raise RpcError(f"block {number} not found")
        return block

    def balance(self, address: str, block: int) -> int:
        return int(self.call("eth_getBalance", [address, hex(block)]), 16)

    def code(self, address: str, block: int | str = "latest") -> bytes:
        tag = hex(block) if isinstance(block, int) else block
        return bytes.fromhex(self.call("eth_getCode", [address, tag])[2:])

    def eth_call(self, to: str, data: bytes, block: int | str = "latest") -> bytes:
        tag = hex(block) if isinstance(block, int) else block
        return bytes.fromhex(self.call("eth_call", [{"to": to, "data": "0x" + data.hex()}, tag])[2:])

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
                logs = self.call(
                    "eth_getLogs", [{"address": addresses, "topics": topics, "fromBlock": hex(a), "toBlock": hex(b)}]
                )
            except TooMuch:
                if b == a:
                    raise RpcError(f"the node refuses eth_getLogs even for the single block {a}") from None
                chunk = max(1, (b - a + 1) // 2)
                continue
            on_range(a, b, logs)
            a = b + 1
            chunk = min(chunk * 2, 100_000)  # grow back after a success

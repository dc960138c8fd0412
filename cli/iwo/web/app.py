"""The HTTP side of `iwo serve`: the page, its files and a small JSON API (Starlette).

    GET  /                      the page (static/index.html)
    GET  /static/…              its CSS and ES modules
    GET  /api/state[?after=N]   the collective at a glance (after block N at least)
    GET  /api/eligibility/ADDR  may ADDR vote on each proposal, and why not
    GET  /api/reputation/ADDR   ADDR's record in the collective's work escrow, with sentences
    POST /api/ballot            {proposal, support, voter, reason} -> typed data to sign
    POST /api/aid/ballot        {claim, support, voter, reason} -> the call the wallet sends itself
    POST /api/votes             {typed_data, signature} -> 202 once durably queued
    GET  /api/votes/ID          where an accepted vote is
    GET  /clear-signing.json    the ERC-7730 descriptor of the collective's Ballot
    GET  /api/health            liveness, for scripts

Errors are JSON `{"error": words}` with a fitting status (400 bad input, 404, 409 refused,
413 too large, 415 not JSON, 429 rate-limited, 503 relayer or node unavailable).
"""

from __future__ import annotations

import asyncio
import json
import traceback
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import IwoError
from ..rpc import RpcError
from .relayer import QUEUED, SENT
from .service import Refused, Service, jsonable, sentence

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 16_384  # bytes of a request body (a signed vote with the longest reason is ~3 KB)
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _json(data, status: int = 200) -> JSONResponse:
    return JSONResponse(jsonable(data), status, headers={"Cache-Control": "no-store"} | SECURITY_HEADERS)


def _error(message: str, status: int) -> JSONResponse:
    return _json({"error": message}, status)


def create_app(service: Service, on_start=None) -> Starlette:
    """The ASGI app serving `service`. `on_start`, if given, runs once the server listens."""

    async def answer(fn, *args, status: int = 200, pool=None) -> Response:
        try:
            result = await asyncio.get_running_loop().run_in_executor(pool or service.reader, fn, *args)
        except Refused as exc:
            return _error(str(exc), exc.status)
        except (RpcError, OSError) as exc:
            return _error(f"The chain node does not answer ({exc}). Nothing was sent; try again in a moment.", 503)
        except IwoError as exc:
            return _error(sentence(str(exc)), 409)
        except Exception as exc:  # a bug: still words for the page, details on the server's terminal
            traceback.print_exc()
            return _error(f"Unexpected error in iwo serve ({type(exc).__name__}). Nothing was sent.", 500)
        if isinstance(result, tuple):
            status, result = result
        return _json(result, status)

    async def body_of(request: Request):
        if "json" not in request.headers.get("content-type", ""):
            return _error("Send JSON (Content-Type: application/json).", 415)
        size = request.headers.get("content-length")
        if size is not None and (not size.isdigit() or int(size) > MAX_BODY):
            return _error(f"Request too large (at most {MAX_BODY} bytes).", 413)
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > MAX_BODY:
                return _error(f"Request too large (at most {MAX_BODY} bytes).", 413)
        try:
            return json.loads(raw)
        except ValueError:
            return _error("The request is not valid JSON.", 400)

    async def page(_request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"} | SECURITY_HEADERS)

    async def state(request: Request) -> Response:
        after = request.query_params.get("after", "0")
        return await answer(service.state, int(after) if after.isascii() and after.isdigit() else 0)

    async def eligibility(request: Request) -> Response:
        return await answer(service.eligibility, request.path_params["voter"])

    async def reputation(request: Request) -> Response:
        return await answer(service.reputation, request.path_params["address"])

    async def ballot(request: Request) -> Response:
        body = await body_of(request)
        if isinstance(body, Response):
            return body
        return await answer(service.ballot, body)

    async def aid_ballot(request: Request) -> Response:
        body = await body_of(request)
        if isinstance(body, Response):
            return body
        return await answer(service.aid_ballot, body)

    async def votes(request: Request) -> Response:
        body = await body_of(request)
        if isinstance(body, Response):
            return body
        response = await answer(service.accept, body, pool=service.verifiers)
        if response.status_code != 202:
            return response
        vote_id = json.loads(response.body)["id"]
        # wait a moment for the transaction (the relayer sends within milliseconds; on a local node
        # it is even mined by then); past `send_wait` the page polls
        waited = 0.0
        while waited < service.options.send_wait and service.status(vote_id) in (QUEUED, SENT):
            await asyncio.sleep(0.02)
            waited += 0.02
        return await answer(service.vote, vote_id, status=202)

    async def vote(request: Request) -> Response:
        text = request.path_params["vote_id"]
        if not (text.isascii() and text.isdigit()):
            return _error("A vote id is a number.", 400)
        return await answer(service.vote, int(text))

    async def descriptor(_request: Request) -> Response:
        return await answer(service.descriptor)

    async def health(_request: Request) -> Response:
        relayer = service.relayer
        return _json(
            {
                "ok": True,
                "chain_id": service.s.chain_id,
                "governor": service.c.address,
                "relayer": relayer.address if relayer else None,
                "next_nonce": relayer.next_nonce if relayer else None,
            }
        )

    @asynccontextmanager
    async def lifespan(_app):
        if on_start is not None:
            on_start()
        yield

    return Starlette(
        routes=[
            Route("/", page),
            Route("/api/state", state),
            Route("/api/eligibility/{voter}", eligibility),
            Route("/api/reputation/{address:path}", reputation),
            Route("/api/ballot", ballot, methods=["POST"]),
            Route("/api/aid/ballot", aid_ballot, methods=["POST"]),
            Route("/api/votes", votes, methods=["POST"]),
            Route("/api/votes/{vote_id}", vote),
            Route("/clear-signing.json", descriptor),
            Route("/api/health", health),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        lifespan=lifespan,
    )

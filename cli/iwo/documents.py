"""The collective's adopted documents: rate guidelines, contract templates, policies.

A document is adopted by a signal proposal (no action) whose description carries a record
block, written by `iwo propose adopt`:

    Document: Minimum rates 2027
    sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
    kind: rate-guideline
    supersedes: 2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae

(`iwo propose signal --text-file F` writes the older one-line form `Document: F sha256:<hex>`,
which is read too). It is adopted once that proposal is executed; the record then lives in
the chain's events (ProposalCreated + ProposalExecuted), so anyone can list the adopted texts,
check that a file is exactly one of them, and see what replaced what. A later adoption with
the same title, or naming an earlier hash in `supersedes`, supersedes it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass

from .errors import IwoError
from .limits import MAX_DESCRIPTION, check_text
from .registry import Collective, history
from .session import Session

KINDS = ("contract-template", "rate-guideline", "policy", "other")
MAX_TITLE = 120
_HEX = re.compile(r"[0-9a-f]{64}", re.ASCII)
_ONE_LINE = re.compile(r"^Document: (?P<title>.+?) sha256:(?P<sha>[0-9a-f]{64})\s*$", re.ASCII | re.MULTILINE)


@dataclass
class Document:
    title: str
    sha256: str
    kind: str
    proposal_id: int
    proposed_block: int
    adopted: bool  # the proposal was executed
    adopted_block: int | None = None
    adopted_time: int | None = None
    supersedes: str | None = None  # sha256 of the text it replaces (named, or same title)
    superseded_by: str | None = None

    @property
    def current(self) -> bool:
        return self.adopted and self.superseded_by is None


def sha256_file(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError as exc:
        raise IwoError(f"cannot read {path}: {exc.strerror}") from None


def record_block(title: str, sha: str, kind: str, supersedes: str | None) -> str:
    """The description block `iwo propose adopt` writes."""
    title = " ".join(title.split())
    if not title:
        raise IwoError("--title cannot be empty")
    if len(title) > MAX_TITLE:
        raise IwoError(f"--title too long ({len(title)} characters, at most {MAX_TITLE})")
    if kind not in KINDS:
        raise IwoError(f"--kind must be one of {', '.join(KINDS)}")
    lines = [f"Document: {title}", f"sha256: {sha}", f"kind: {kind}"]
    if supersedes:
        lines.append(f"supersedes: {supersedes}")
    return "\n".join(lines)


def adopt_description(message: str, title: str, path: str, kind: str, supersedes: str | None) -> str:
    sha = sha256_file(path)
    if supersedes is not None:
        supersedes = supersedes.strip().lower().removeprefix("sha256:")
        if not _HEX.fullmatch(supersedes):
            raise IwoError("--supersedes takes the sha256 (64 hex digits) of the adopted text it replaces")
    description = f"{message.strip()}\n\n{record_block(title, sha, kind, supersedes)}"
    check_text(description, MAX_DESCRIPTION, "description with its document record")
    return description


def parse(description: str) -> dict | None:
    """The document record in a proposal description, or None."""
    fields: dict[str, str] = {}
    for line in description.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in ("Document", "sha256", "kind", "supersedes") and key == key.strip():
            fields.setdefault(key, value.strip())
    sha = fields.get("sha256", "").lower().removeprefix("sha256:")
    if "Document" in fields and _HEX.fullmatch(sha):
        supersedes = fields.get("supersedes", "").lower().removeprefix("sha256:") or None
        return {
            "title": fields["Document"],
            "sha256": sha,
            "kind": fields.get("kind") if fields.get("kind") in KINDS else "other",
            "supersedes": supersedes if supersedes and _HEX.fullmatch(supersedes) else None,
        }
    match = _ONE_LINE.search(description)
    if match:
        return {"title": match["title"], "sha256": match["sha"], "kind": "other", "supersedes": None}
    return None


def documents(s: Session, c: Collective) -> list[Document]:
    """Every document a proposal of `c` carried, adopted or not, oldest first, with what
    superseded what among the adopted ones."""
    from .proposals import block_times

    store = history(s, c)
    executed = {
        int(log["args"]["proposal_id"]): log["block"]
        for log in store.logs(s.chain_id, c.source, names=("ProposalExecuted",))
    }
    found = []
    for log in store.logs(s.chain_id, c.source, names=("ProposalCreated",)):
        args = log["args"]
        if args["actions"]:
            continue  # only a signal proposal adopts a text
        record = parse(args["description"])
        if record is None:
            continue
        pid = int(args["proposal_id"])
        block = executed.get(pid)
        found.append(
            Document(
                proposal_id=pid, proposed_block=log["block"], adopted=block is not None, adopted_block=block, **record
            )
        )
    times = block_times(s, {d.adopted_block for d in found if d.adopted_block})
    adopted = sorted((d for d in found if d.adopted), key=lambda d: (d.adopted_block, d.proposal_id))
    by_sha = {}
    by_title = {}
    for d in adopted:
        d.adopted_time = times.get(d.adopted_block)
        replaced = by_sha.get(d.supersedes) if d.supersedes else by_title.get(d.title.lower())
        if replaced is not None and replaced.sha256 != d.sha256 and replaced.superseded_by is None:
            replaced.superseded_by = d.sha256
            d.supersedes = replaced.sha256
        by_sha[d.sha256] = d
        by_title[d.title.lower()] = d
    return found


def find(s: Session, c: Collective, key: str) -> Document:
    """A document by proposal id (#N or N), sha256 (or a prefix of 8+ hex digits) or title."""
    docs = documents(s, c)
    text = key.strip()
    if text.removeprefix("#").isascii() and text.removeprefix("#").isdigit():
        pid = int(text.removeprefix("#"))
        hits = [d for d in docs if d.proposal_id == pid]
    else:
        low = text.lower().removeprefix("sha256:")
        hits = (
            [d for d in docs if len(low) >= 8 and d.sha256.startswith(low)] if re.fullmatch(r"[0-9a-f]+", low) else []
        )
        if not hits:
            hits = [d for d in docs if d.title.lower() == text.lower()]
            current = [d for d in hits if d.current]
            hits = current or hits[-1:]
    if not hits:
        raise IwoError(f"no document {key!r} in {c.alias} (see `iwo docs list --all`)")
    return hits[-1]


def verify(s: Session, c: Collective, path: str) -> dict:
    """Is the file exactly an adopted text, and which?"""
    sha = sha256_file(path)
    hits = [d for d in documents(s, c) if d.sha256 == sha]
    adopted = [d for d in hits if d.adopted]
    best = (adopted or hits or [None])[-1]
    return {
        "file": path,
        "sha256": sha,
        "adopted": bool(adopted),
        "current": bool(best and best.current),
        "document": as_dict(best) if best else None,
    }


def as_dict(d: Document) -> dict:
    return asdict(d) | {"current": d.current}


def by_hash(s: Session, c: Collective, sha: str) -> Document | None:
    """The adopted document with this sha256 (e.g. a job's terms hash), if any."""
    sha = sha.lower().removeprefix("0x")
    for d in reversed(documents(s, c)):
        if d.adopted and d.sha256 == sha:
            return d
    return None

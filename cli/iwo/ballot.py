"""Signed votes (EIP-712 ``Ballot``): build, sign, verify and serialise.

The governor verifies this typed data in ``cast_vote_by_sig``::

    domain  = EIP712Domain(name="iwo", version="1", chainId, verifyingContract=<governor>)
    Ballot(uint256 proposalId, uint8 support, address voter, uint256 expiry, string reason)

``support`` is 0 Against, 1 For, 2 Abstain. The message is what any wallet's
``eth_signTypedData_v4`` takes (see :func:`typed_data`). No nonce: the
signature is bound to one proposal, voter and contract, and the governor's
who-voted bit makes it single-use.
"""

from __future__ import annotations

import copy
import json
from dataclasses import asdict, dataclass

SUPPORT = {"against": 0, "for": 1, "abstain": 2}
SUPPORT_NAMES = {v: k for k, v in SUPPORT.items()}

DOMAIN_NAME = "iwo"
DOMAIN_VERSION = "1"

EIP712_TYPES = {
    "EIP712Domain": [
        {"name": "name", "type": "string"},
        {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"},
        {"name": "verifyingContract", "type": "address"},
    ],
    "Ballot": [
        {"name": "proposalId", "type": "uint256"},
        {"name": "support", "type": "uint8"},
        {"name": "voter", "type": "address"},
        {"name": "expiry", "type": "uint256"},
        {"name": "reason", "type": "string"},
    ],
}


def parse_support(word: str | int) -> int:
    """Turn 'for' / 'against' / 'abstain' (or 0/1/2) into the contract's number."""
    if isinstance(word, int) and word in SUPPORT_NAMES:
        return word
    key = str(word).strip().lower()
    if key in SUPPORT:
        return SUPPORT[key]
    raise ValueError(f"support must be one of for, against, abstain (got {word!r})")


@dataclass(frozen=True)
class Ballot:
    """One member's vote on one proposal of one governor on one chain."""

    chain_id: int
    governor: str
    proposal_id: int
    support: int
    voter: str
    expiry: int
    reason: str = ""

    def typed_data(self) -> dict:
        """The full EIP-712 message, as eth_signTypedData_v4 takes it."""
        return {
            "types": copy.deepcopy(EIP712_TYPES),
            "primaryType": "Ballot",
            "domain": {
                "name": DOMAIN_NAME,
                "version": DOMAIN_VERSION,
                "chainId": self.chain_id,
                "verifyingContract": self.governor,
            },
            "message": {
                "proposalId": self.proposal_id,
                "support": self.support,
                "voter": self.voter,
                "expiry": self.expiry,
                "reason": self.reason,
            },
        }

    def digest(self) -> bytes:
        """The 32-byte hash a wallet signs (equals the governor's `ballot_digest`)."""
        from eth_account.messages import _hash_eip191_message, encode_typed_data

        return _hash_eip191_message(encode_typed_data(full_message=self.typed_data()))

    def sign(self, private_key) -> SignedBallot:
        """Sign with a raw key (tests, local accounts)."""
        from eth_account import Account
        from eth_account.messages import encode_typed_data

        signed = Account.sign_message(encode_typed_data(full_message=self.typed_data()), private_key)
        return SignedBallot(self, "0x" + bytes(signed.signature).hex())

    def with_signature(self, signature: str | bytes) -> SignedBallot:
        if isinstance(signature, (bytes, bytearray)):
            signature = "0x" + bytes(signature).hex()
        return SignedBallot(self, signature)


@dataclass(frozen=True)
class SignedBallot:
    """A ballot and its 65-byte signature; serialises to the relay JSON file."""

    ballot: Ballot
    signature: str

    def recover(self) -> str:
        """The address that signed (checksummed)."""
        from eth_account import Account
        from eth_account.messages import encode_typed_data

        return Account.recover_message(
            encode_typed_data(full_message=self.ballot.typed_data()), signature=self.signature
        )

    def is_valid(self) -> bool:
        try:
            return self.recover().lower() == self.ballot.voter.lower()
        except Exception:
            return False

    def call_args(self) -> tuple:
        """Arguments of `cast_vote_by_sig`, in order."""
        b = self.ballot
        return (b.proposal_id, b.support, b.voter, b.expiry, b.reason, bytes.fromhex(self.signature[2:]))

    def to_json(self) -> str:
        data = asdict(self.ballot)
        data["signature"] = self.signature
        data["support_name"] = SUPPORT_NAMES[self.ballot.support]
        data["typed_data"] = self.ballot.typed_data()
        return json.dumps(data, indent=2)

    @classmethod
    def from_json(cls, text: str) -> SignedBallot:
        """Reads our relay file, or any wallet's {"typed_data": ..., "signature": ...}."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise ValueError("not a signed ballot: expected a JSON object")
        if "chain_id" not in data and isinstance(data.get("typed_data"), dict):
            data = cls._flatten_typed(data)
        try:
            ballot = Ballot(
                chain_id=int(data["chain_id"]),
                governor=str(data["governor"]),
                proposal_id=int(data["proposal_id"]),
                support=parse_support(int(data["support"])),
                voter=str(data["voter"]),
                expiry=int(data["expiry"]),
                reason=str(data.get("reason", "")),
            )
            signature = data["signature"]
            if not isinstance(signature, str):
                raise ValueError("signature missing")
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a signed ballot: {exc}") from exc
        if not (signature.startswith("0x") and len(signature) == 132):
            raise ValueError("not a signed ballot: signature must be 65 bytes of hex")
        try:
            bytes.fromhex(signature[2:])
        except ValueError:
            raise ValueError("not a signed ballot: signature is not hex") from None
        return cls(ballot, signature)

    @staticmethod
    def _flatten_typed(data: dict) -> dict:
        typed = data["typed_data"]
        if typed.get("primaryType") != "Ballot" or typed.get("types", {}).get("Ballot") != EIP712_TYPES["Ballot"]:
            raise ValueError("not a signed ballot: typed data is not an iwo Ballot")
        domain, message = typed.get("domain", {}), typed.get("message", {})
        for part, key in ((domain, "verifyingContract"), (message, "voter")):
            if not isinstance(part.get(key), str):
                raise ValueError(f"not a signed ballot: {key} missing")
        if domain.get("name") != DOMAIN_NAME or str(domain.get("version")) != DOMAIN_VERSION:
            raise ValueError("not a signed ballot: wrong EIP-712 domain name or version")
        return {
            "chain_id": domain.get("chainId"),
            "governor": domain.get("verifyingContract"),
            "proposal_id": message.get("proposalId"),
            "support": message.get("support"),
            "voter": message.get("voter"),
            "expiry": message.get("expiry"),
            "reason": message.get("reason", ""),
            "signature": data.get("signature"),
        }

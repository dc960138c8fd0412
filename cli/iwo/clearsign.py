"""Clear signing of a collective's votes on hardware wallets: an ERC-7730 descriptor.

The ``Ballot`` a member signs is flat (scalars only) so that a device can show every field.
The descriptor tells a wallet how: ``support`` as For / Against / Abstain, ``expiry`` as a
date, the voter as an address, the proposal id and reason as they are. `iwo create` writes
it into the data folder (``clear-signing/``) and `iwo serve` serves it beside the page.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import home
from .ballot import DOMAIN_NAME, DOMAIN_VERSION, EIP712_TYPES, SUPPORT_NAMES

SCHEMA = "https://eips.ethereum.org/assets/eip-7730/erc7730-v1.schema.json"
FOLDER = "clear-signing"


def encode_type(primary: str = "Ballot") -> str:
    """EIP-712 `encodeType` of a flat type: 'Ballot(uint256 proposalId,…)', the display key."""
    fields = ",".join(f"{f['type']} {f['name']}" for f in EIP712_TYPES[primary])
    return f"{primary}({fields})"


def descriptor(chain_id: int, governor: str, name: str) -> dict:
    """The ERC-7730 (v1) descriptor of the governor's EIP-712 `Ballot` on one chain."""
    return {
        "$schema": SCHEMA,
        "context": {
            "$id": f"iwo Ballot of {name}",
            "eip712": {
                "deployments": [{"chainId": chain_id, "address": governor}],
                "domain": {
                    "name": DOMAIN_NAME,
                    "version": DOMAIN_VERSION,
                    "chainId": chain_id,
                    "verifyingContract": governor,
                },
                "schemas": [{"primaryType": "Ballot", "types": EIP712_TYPES}],
            },
        },
        "metadata": {
            "owner": name,
            "enums": {"support": {str(k): v.capitalize() for k, v in sorted(SUPPORT_NAMES.items())}},
        },
        "display": {
            "formats": {
                encode_type(): {
                    "intent": f"Vote in {name}",
                    "fields": [
                        {"path": "proposalId", "label": "Proposal", "format": "raw"},
                        {
                            "path": "support",
                            "label": "Vote",
                            "format": "enum",
                            "params": {"$ref": "$.metadata.enums.support"},
                        },
                        {
                            "path": "voter",
                            "label": "Voter",
                            "format": "addressName",
                            "params": {"types": ["eoa"], "sources": ["local", "ens"]},
                        },
                        {
                            "path": "expiry",
                            "label": "Valid until",
                            "format": "date",
                            "params": {"encoding": "timestamp"},
                        },
                        {"path": "reason", "label": "Reason", "format": "raw"},
                    ],
                    "required": ["proposalId", "support", "voter", "expiry"],
                }
            }
        },
    }


def path(chain_id: int, alias: str) -> Path:
    return home.home() / FOLDER / f"eip712-iwo-ballot-{alias}-{chain_id}.json"


def write(chain_id: int, alias: str, governor: str, name: str) -> str:
    """Writes the descriptor into the data folder; returns its path."""
    target = path(chain_id, alias)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(descriptor(chain_id, governor, name), indent=2) + "\n")
    return str(target)

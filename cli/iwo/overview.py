"""A collective at a glance (for `iwo status` and the member page): name, settings, dues,
members and their standing, treasury balances, open proposals — in a handful of batched
reads and one incremental log sync."""

from __future__ import annotations

from . import membership, proposals, treasury
from .collective import Settings
from .registry import Collective, history
from .session import Session


def status(s: Session, c: Collective) -> dict:
    history(s, c)  # one sync serves members, assets and proposals below
    name, settings, (asset, amount, period) = s.calls(
        [(c.card, "name", ()), (c.governor, "settings", ()), (c.treasury, "dues_terms", ())]
    )
    settings = Settings.from_struct(settings)
    return {
        "collective": c.alias,
        "name": name,
        "chain_id": s.chain_id,
        "governor": c.governor.address,
        "treasury": c.treasury.address,
        "card": c.card.address,
        "block": s.block_number(),
        "block_time": s.now(),
        "dues": treasury.terms_dict(s, asset, amount, period, settings.dues_grace),
        "settings": {k: getattr(settings, k) for k in settings.__dataclass_fields__},
        "members": membership.members(s, c),
        "balances": treasury.balances(s, c, asset),
        "open_proposals": proposals.proposals(s, c, open_only=True),
    }

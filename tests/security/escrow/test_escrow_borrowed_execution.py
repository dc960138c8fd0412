"""Attack: a proposal's action target borrows the "executing" state to change the escrow's
settings from its own address.

While the governor executes a proposal, `executing_proposal()` answers that proposal's id to
anyone who asks. The action here is a call to `contracts/test/ReentrantProbe.vy`, which then
calls the escrow's `set_settings` itself.

Defence: `set_settings`, `rule_on_appeal` and the other vote-only entries need both
`msg.sender == governor` and a proposal being executed ("escrow: only by vote"). The probe's
call fails, and with it the whole proposal, so the settings stay as they were.
"""

import boa
from utils.boa_stack import contract
from utils.escrow_kit import DEFAULTS, EscrowSettings


def test_an_action_target_cannot_act_as_the_governor(world, escrow):
    probe = contract("ReentrantProbe").deploy()
    cheap = EscrowSettings(fee_bps=0, dispute_fee_bps=0)
    with boa.reverts("escrow: only by vote"):
        world.by_vote(probe, "call", escrow.address, escrow.set_settings.prepare_calldata(cheap.as_tuple()))
    assert escrow.settings_version() == 0
    assert tuple(escrow.settings()) == DEFAULTS.as_tuple()

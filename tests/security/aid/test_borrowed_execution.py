"""Attack: a proposal's action target borrows the "executing" state to change the mutual-aid
terms or end a claim from its own address.

While the governor executes a proposal, `executing_proposal()` answers that proposal's id to
anyone who asks. An action target (`contracts/test/ReentrantProbe.vy`, poked by the governor's
call) calls the aid contract itself during that execution and records the outcome.

Defence: `set_terms`, `award` and `end_claim` need both `msg.sender == governor` and a proposal
being executed ("aid: only by vote"). The probe's calls fail, the proposal still executes, and
the terms and the claim stay as they were.
"""

from attack_helpers import revert_reason
from utils.aid import ENDED, ONE, as_dict, file, terms
from utils.boa_stack import contract, govern
from utils.constants import EXECUTED


def test_an_action_target_cannot_act_as_the_governor(world, c, member):
    cid = file(c, member, ONE // 10)  # an open claim the probe tries to end
    change_terms, end_claim = (contract("ReentrantProbe").deploy() for _ in range(2))
    change_terms.arm(c.aid.address, c.aid.set_terms.prepare_calldata(terms(max_months=1)), False)
    end_claim.arm(c.aid.address, c.aid.end_claim.prepare_calldata(cid), False)
    before = as_dict(c.aid.terms())
    version = c.aid.terms_version()
    pid = govern(c, [(p.address, 0, b"") for p in (change_terms, end_claim)], world.founders[0], world.founders)
    assert c.governor.state(pid) == EXECUTED  # the probes' failures did not stop the proposal
    for probe in (change_terms, end_claim):
        assert (probe.tries(), probe.last_ok()) == (1, False)
        assert revert_reason(probe.last_response()) == "aid: only by vote"
    assert as_dict(c.aid.terms()) == before
    assert c.aid.terms_version() == version
    assert c.aid.claim(cid).state & ENDED == 0

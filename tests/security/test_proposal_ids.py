"""Attack 5: proposal id collisions and front-running a proposal.

Defence: ids are a counter (1, 2, 3, ...), never derived from the content,
so identical action lists get distinct ids with state of their own; each
proposal's actions hash is kept under its proposer, and execution checks
both the id and the hash, so nobody can take over another member's proposal.
"""

import boa
from attack_helpers import ACTIVE, CANCELED, ETH, EXECUTED, FOR, PENDING, QUEUED, at, only, tallies


def test_ids_are_sequential_across_proposers(collective, founders):
    gov = collective.governor
    assert gov.proposal_count() == 0
    for expected, proposer in enumerate(founders, start=1):
        description = f"proposal by {proposer.address}"
        assert gov.propose([], description, sender=proposer, simulate=True) == expected  # dry run
        gov.propose([], description, sender=proposer)
        ev = only(gov, "ProposalCreated")
        assert (ev.proposal_id, ev.proposer) == (expected, proposer.address)
        assert gov.proposal(expected).proposer_index == gov.member(proposer).index
    assert gov.proposal_count() == 3
    with boa.reverts("governor: unknown proposal"):
        gov.state(4)
    with boa.reverts("governor: unknown proposal"):
        gov.state(0)
    with boa.reverts("governor: unknown proposal"):
        gov.cast_vote(0, FOR, sender=founders[0])


def test_identical_actions_get_distinct_ids_and_state(collective, founders, sink, gov_helpers):
    c = collective
    gov = c.governor
    actions = [(sink.address, 0, b"\x01\x02")]
    a = gov_helpers.propose(c, founders[0], actions, "same text")
    b = gov_helpers.propose(c, founders[1], actions, "same text")
    assert (a, b) == (1, 2)
    gov.cancel(a, sender=founders[0])
    assert gov.state(a) == CANCELED
    assert gov.state(b) == PENDING
    gov_helpers.open_voting(c)
    gov.cast_vote(b, FOR, sender=founders[2])
    with boa.reverts("governor: proposal canceled"):
        gov.cast_vote(a, FOR, sender=founders[2])
    assert tallies(gov, a) == (0, 0, 0)
    assert tallies(gov, b) == (1, 0, 0)
    assert gov.state(b) == ACTIVE


def test_front_runner_cannot_take_over_the_victims_proposal(funded, founders, outsider, gov_helpers, flow):
    """The attacker copies the victim's pending proposal and gets in first."""
    c = funded
    gov = c.governor
    victim, attacker = founders[0], founders[1]
    victim_actions = [gov_helpers.action(c.treasury, "pay", ETH, outsider.address, 10**15)]
    attacker_actions = [gov_helpers.action(c.treasury, "pay", ETH, attacker.address, 10**15)]
    # the victim's dry run promises id 1; the attacker's copy is mined first and takes it
    assert gov.propose(victim_actions, "pay the printer", sender=victim, simulate=True) == 1
    copied = gov_helpers.propose(c, attacker, victim_actions, "pay the printer")
    theirs = gov_helpers.propose(c, victim, victim_actions, "pay the printer")
    assert (copied, theirs) == (1, 2)
    assert gov.proposal(theirs).proposer_index == gov.member(victim).index
    assert gov.proposal(copied).proposer_index == gov.member(attacker).index
    with boa.reverts("governor: not the proposer"):
        gov.cancel(theirs, sender=attacker)
    # the attacker's second, different proposal must wait (one live proposal each)
    with boa.reverts("governor: proposer has a live proposal"):
        gov.propose(attacker_actions, "swap", sender=attacker)
    gov_helpers.open_voting(c)
    for pid in (copied, theirs):
        for v in founders:
            gov.cast_vote(pid, FOR, sender=v)
    flow.close(c, theirs)
    gov.queue(copied, sender=attacker)
    gov.queue(theirs, sender=victim)
    at(max(gov.proposal(copied).eta, gov.proposal(theirs).eta))
    # nobody can run other actions under the victim's id, nor the victim's under the copy's
    with boa.reverts("governor: actions mismatch"):
        gov.execute(theirs, attacker_actions, sender=attacker)
    with boa.reverts("governor: actions mismatch"):
        gov.execute(copied, attacker_actions, sender=attacker)
    gov.execute(copied, victim_actions, sender=attacker)
    assert only(gov, "Payment").proposal_id == copied
    assert gov.state(copied) == EXECUTED
    assert gov.state(theirs) == QUEUED  # executing the copy did not consume the victim's proposal
    gov.execute(theirs, victim_actions, sender=victim)
    assert only(gov, "Payment").proposal_id == theirs
    assert gov.state(theirs) == EXECUTED


# The governor's settings word (storage slot 0: `vyper -f layout` of IwoGovernor.vy, the voting
# settings' `_current`) keeps the proposal count in bits 208..239 (governor/settings.vy).
SETTINGS_SLOT, COUNT_OFFSET, COUNT_MASK = 0, 208, 2**32 - 1


def test_the_last_id_is_used_then_ids_are_exhausted(collective, founders):
    """Four billion proposals cannot be made here: the count is set near its end in storage."""
    gov = collective.governor
    settings = gov.settings()
    word = boa.env.get_storage(str(gov.address), SETTINGS_SLOT)
    assert (word >> COUNT_OFFSET) & COUNT_MASK == gov.proposal_count() == 0
    boa.env.set_storage(str(gov.address), SETTINGS_SLOT, word | (COUNT_MASK - 1) << COUNT_OFFSET)
    gov.propose([], "the last id", sender=founders[0])
    assert only(gov, "ProposalCreated").proposal_id == COUNT_MASK
    with boa.reverts("governor: proposal ids exhausted"):
        gov.propose([], "one too many", sender=founders[1])
    assert gov.proposal_count() == COUNT_MASK
    assert gov.settings() == settings  # the count never spills into the settings beside it

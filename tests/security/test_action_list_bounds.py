"""Attack 14: action lists too big to decode, store or execute.

Defence: `propose` and `execute` take DynArray[Action, 8] with calldata
Bytes[512] (and a description String[2048]); the ABI decoder refuses
anything bigger before any code runs (a revert without reason), so nothing
is stored. The largest list allowed runs well within the block gas limit.
"""

from attack_helpers import (
    BLOCK_GAS_LIMIT,
    MAX_ACTIONS,
    MAX_CALLDATA,
    addr,
    events,
    gas_used,
    only,
    pending,
    reverts_without_reason,
)


def test_bounds_are_the_documented_ones(collective):
    gov = collective.governor
    assert (gov.MAX_ACTIONS(), gov.MAX_CALLDATA(), gov.MAX_DESCRIPTION()) == (MAX_ACTIONS, MAX_CALLDATA, 2048)


def test_oversized_proposals_are_refused(collective, member, sink):
    gov = collective.governor
    small = (sink.address, 0, b"\x01")
    oversized = {
        "nine actions": ([small] * (MAX_ACTIONS + 1), "x"),
        "64 actions": ([small] * 64, "x"),
        "513 bytes of calldata": ([(sink.address, 0, b"\xff" * (MAX_CALLDATA + 1))], "x"),
        "one big action among small ones": ([small] * 7 + [(sink.address, 0, b"\xff" * 4096)], "x"),
        "2049-character description": ([small], "d" * 2049),
    }
    for _name, (actions, description) in oversized.items():
        with reverts_without_reason():
            gov.propose(actions, description, sender=member)
    assert gov.proposal_count() == 0
    # the largest accepted sizes are fine
    gov.propose([(sink.address, 0, b"\xff" * MAX_CALLDATA)] * MAX_ACTIONS, "d" * 2048, sender=member)
    assert gov.proposal_count() == 1


def test_oversized_execute_is_refused(paid, founders, sink, flow):
    c = paid
    gov = c.governor
    actions = [(sink.address, 0, b"\x01")] * MAX_ACTIONS
    pid = flow.start(c, founders[0], actions, voters=founders)
    flow.queue(c, pid, founders[0])
    pending(gov.proposal(pid).eta)
    with reverts_without_reason():
        gov.execute(pid, actions + [actions[0]], sender=founders[0])
    with reverts_without_reason():
        gov.execute(pid, actions[:-1] + [(sink.address, 0, b"\x01" * (MAX_CALLDATA + 1))], sender=founders[0])
    assert sink.calls() == 0
    gov.execute(pid, actions, sender=founders[0])
    assert sink.calls() == MAX_ACTIONS


def test_largest_action_list_executes_within_the_block_gas_limit(paid, founders, sink, flow):
    c = paid
    gov = c.governor
    actions = [(sink.address, 1, bytes([i]) * MAX_CALLDATA) for i in range(MAX_ACTIONS)]
    pid = flow.start(c, founders[0], actions, voters=founders)
    flow.finish(c, pid, actions, founders[0])
    assert len(events(gov, "Poked", emitter=sink)) == MAX_ACTIONS
    assert only(gov, "ProposalExecuted").proposal_id == pid
    assert gas_used(gov) < BLOCK_GAS_LIMIT
    assert sink.calls() == MAX_ACTIONS
    assert sink.last_size() == MAX_CALLDATA
    assert sink.received() == MAX_ACTIONS


def test_eight_admissions_execute_within_the_block_gas_limit(paid, founders, flow):
    """The storage-heaviest list: eight new members (roll, checkpoint, card event each)."""
    c = paid
    gov = c.governor
    actions = [flow.admit(c, addr(i)) for i in range(MAX_ACTIONS)]
    flow.finish(c, flow.start(c, founders[0], actions, voters=founders), actions, founders[0])
    assert [ev.member_count for ev in events(gov, "MemberAdmitted")] == list(range(4, 12))
    assert gas_used(gov) < BLOCK_GAS_LIMIT
    assert gov.member_count() == 3 + MAX_ACTIONS

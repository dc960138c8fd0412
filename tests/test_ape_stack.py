"""The Ape set-up (scripts/_common.py through the fixtures of tests/conftest.py) still builds
and drives a collective: kept for the tests and scripts that run on Ape's chain."""

from utils.ballots import relay
from utils.constants import AGAINST, EXECUTED, FOR


def test_ape_fixtures_create_and_drive_a_collective(create, founders, newcomer, outsider, gov_helpers):
    c = create()
    gov = c.governor
    assert gov.member_count() == 3
    h = gov_helpers
    admit = h.action(gov, "admit_member", newcomer.address)
    pid = h.propose(c, founders[0], [admit], "admit the newcomer")
    h.open_voting(c)
    gov.cast_vote(pid, FOR, sender=founders[0])
    receipt = relay(gov, h.sign_vote(c, founders[1], pid, AGAINST), outsider)
    assert [e.voter for e in receipt.events.filter(gov.VoteCast)] == [founders[1].address]
    gov.cast_vote(pid, FOR, sender=founders[2])
    p = gov.proposal(pid)
    assert (p.votes_for, p.votes_against, p.proposer_index) == (2, 1, 0)
    h.close_voting(c)
    gov.queue(pid, sender=outsider)
    h.travel(86_400)
    gov.execute(pid, [admit], sender=outsider)
    assert gov.state(pid) == EXECUTED
    assert gov.member(newcomer).is_member

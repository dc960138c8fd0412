"""Attack 20: a relayer altering a signed ballot before sending it.

Defence: every field of the ballot is in the signed digest, so any change
of reason, support, voter, proposal or expiry makes the signature recover to
someone else ("governor: wrong signer") and no vote is recorded.
"""

import boa
import pytest
from attack_helpers import ABSTAIN, AGAINST, FOR, events, tallies


@pytest.fixture
def active(collective, member, gov_helpers):
    pid = gov_helpers.propose(collective, member, [], "signal")
    gov_helpers.open_voting(collective)
    return pid


def test_altered_ballots_are_refused(collective, founders, outsider, active, gov_helpers, relay):
    gov = collective.governor
    voter, relayer = founders[2], founders[1]  # the relayer is a member too
    signed = gov_helpers.sign_vote(collective, voter, active, FOR, reason="for the night shift")
    b = signed.ballot
    alterations = [
        {"reason": "against the night shift"},
        {"reason": ""},
        {"reason": "for the night shift "},
        {"support": AGAINST},
        {"support": ABSTAIN},
        {"voter": relayer.address},
        {"voter": founders[0].address},
        {"voter": outsider.address},
        {"expiry": b.expiry + 1},
        {"expiry": b.expiry - 1},
        {"proposal_id": active + 1},
    ]
    for change in alterations:
        with boa.reverts("governor: wrong signer"):
            relay(gov, signed, relayer, **change)
    assert tallies(gov, active) == (0, 0, 0)
    assert not any(gov.has_voted(active, p) for p in (*founders, outsider))
    # the ballot as signed still counts, once, as the voter meant it
    relay(gov, signed, relayer)
    assert events(gov, "VoteCast") == [dict(voter=voter.address, proposal_id=active, support=FOR)]
    assert events(gov, "VoteReason") == [dict(voter=voter.address, proposal_id=active, reason="for the night shift")]
    assert tallies(gov, active) == (1, 0, 0)
    assert not gov.has_voted(active, relayer)

"""roll_size / roll_index / eligible_at: the views other contracts of a collective use (titanoboa)."""

import boa
from utils.boa_stack import DAY, create_collective, deploy_stack, travel


def test_stack():
    s = deploy_stack()
    founders = [boa.env.generate_address() for _ in range(3)]
    c = create_collective(s, founders)
    assert c.governor.member_count() == 3
    assert c.governor.roll_size() == 3
    assert c.governor.roll_index(founders[2]) == 2
    t = boa.env.timestamp
    travel(40 * DAY)
    assert c.governor.eligible_at(founders[0], t)
    assert not c.governor.eligible_at(founders[0], t + 40 * DAY)
    with boa.reverts("governor: never a member"):
        c.governor.roll_index(boa.env.generate_address())

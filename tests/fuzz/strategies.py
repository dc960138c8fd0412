"""Hypothesis strategies for the collective state machine.

Values are drawn from small sets with the boundaries in them (0, 1, the
limits, just past the limits) mixed with free integers, so that short
sequences reach the interesting edges: a vote in the last second, dues
running out during the grace, a prepayment at the 100-year cap.
"""

from harness import DAY, DUES_AMOUNTS, DUES_PERIODS, FOUNDER_COUNTS, MAX_DURATION, MAX_PERIODS, Settings
from hypothesis import strategies as st

founder_count = st.sampled_from(FOUNDER_COUNTS)
asset = st.sampled_from(["eth", "token"])

# Who acts: resolved against the model at run time (see CollectiveMachine._who),
# biased so that most steps can succeed. The first choice is the one
# hypothesis shrinks to.
#   member: a current member; other: an actor without a card; any: anyone
#   (actors 0..5 and the sponsor)
member_pick = st.tuples(st.sampled_from(["member"] * 6 + ["other", "any"]), st.integers(0, 15))
newcomer_pick = st.tuples(st.sampled_from(["other", "other", "member", "any"]), st.integers(0, 15))

# collective settings: always valid at creation
valid_settings = st.builds(
    Settings,
    voting_delay=st.sampled_from([3600, 1, DAY]),
    voting_period=st.sampled_from([DAY, 1, 3600, 3 * DAY]),
    timelock_delay=st.sampled_from([3600, 0, 1, DAY]),
    execution_window=st.sampled_from([7 * DAY, 1, 3600]),
    quorum_bps=st.sampled_from([2500, 1, 5000, 10_000, 6667]),  # 6667: 2 of 3 must reach it (rounding)
    constitutional_bps=st.sampled_from([6667, 5001, 10_000]),
    dues_grace=st.sampled_from([7 * DAY, 0, 1, DAY]),
)

# settings changes: mostly valid, sometimes one field out of range
any_settings = st.one_of(
    valid_settings,
    valid_settings,
    valid_settings,
    st.builds(
        Settings,
        voting_delay=st.sampled_from([0, MAX_DURATION, MAX_DURATION + 1]),
        voting_period=st.sampled_from([0, 1, MAX_DURATION, MAX_DURATION + 1]),
        timelock_delay=st.sampled_from([0, MAX_DURATION + 1]),
        execution_window=st.sampled_from([0, 1, MAX_DURATION + 1]),
        quorum_bps=st.sampled_from([0, 1, 10_000, 10_001]),
        constitutional_bps=st.sampled_from([5000, 5001, 10_000, 10_001]),
        dues_grace=st.sampled_from([0, MAX_DURATION, MAX_DURATION + 1]),
    ),
)

dues_amount = st.sampled_from(DUES_AMOUNTS)
dues_period = st.sampled_from(DUES_PERIODS)

seconds = st.one_of(
    st.sampled_from([3600, 1, 2, DAY, 2 * DAY, 7 * DAY, 8 * DAY, 30 * DAY, 38 * DAY, 400 * DAY]),
    st.integers(min_value=1, max_value=3 * DAY),
    st.integers(min_value=1, max_value=40 * DAY),
)
# move to a milestone of a proposal (voting opens / closes, eta, expiry), +-1 s
milestone = st.sampled_from(["start", "end", "eta", "expiry"])
offset = st.sampled_from([0, -1, 1])
# calls that must revert whoever makes them
unauthorized = st.sampled_from(
    ["admit", "revoke", "pay", "fund_pool", "pay_aid", "settings", "credit_dues", "card_mint_proposal"]
)
# lifecycle: let a second pass before proposing (members admitted in the
# proposal's own second are not in its snapshot)
settle = st.sampled_from([1, 1, 0, 3600])
# lifecycle: a sponsor first donates what the proposal pays and moves into the
# pool (all), only what it moves into the pool (its payments then compete with
# the pool), or nothing
fund = st.sampled_from(["all", "pool", "none"])
lifecycle_stop = st.sampled_from(["executed", "executed", "executed", "queued", "voted", "canceled", "proposed"])

periods = st.one_of(st.sampled_from([1, 2, 12, MAX_PERIODS, 0, MAX_PERIODS + 1]), st.integers(1, 40))
amount = st.one_of(st.sampled_from([10**16, 1, 10**15, 10**18, 0]), st.integers(0, 10**18))
# mostly False: a wrong amount / value / signature is one case in five
mistake = st.sampled_from([False, False, False, False, True])
# composite steps: travel to the milestone first (vote start, vote end, eta)
wait = st.sampled_from([True, True, False])
support = st.sampled_from([1, 0, 2, 1, 0, 2, 3])  # 3 is invalid
ballot_support = st.sampled_from([1, 1, 1, 1, 0, 2])  # mostly For, so proposals pass
# proposal ids are drawn as small integers and mapped onto count, count-1, ..., 1
# and count+1 (unknown): 0 is the latest proposal (see CollectiveMachine._pid)
proposal_ref = st.integers(min_value=0, max_value=31)

action_spec = st.one_of(
    st.tuples(st.just("admit"), newcomer_pick),
    st.tuples(st.just("admit"), newcomer_pick),
    st.tuples(st.just("revoke"), member_pick),
    st.tuples(st.just("pay"), asset, amount),
    st.tuples(st.just("fund_pool"), asset, amount),
    st.tuples(st.just("unfund_pool"), asset, amount),
    st.tuples(st.just("eth"), amount),
    st.tuples(st.just("settings"), any_settings),
)
# signal proposals (no action) are as likely as the rest together
actions = st.one_of(st.just([]), st.lists(action_spec, min_size=1, max_size=3))
# proposals driven through their whole life (signal ones come from the
# propose rule): half of the actions move money (a pool funding and a payment
# in one proposal test the ring-fence)
money_spec = st.one_of(
    st.tuples(st.just("fund_pool"), asset, amount),
    st.tuples(st.just("pay"), asset, amount),
    st.tuples(st.just("eth"), amount),
)
lifecycle_actions = st.lists(st.one_of(money_spec, action_spec), min_size=1, max_size=2)

ballot_kind = st.sampled_from(["valid", "valid", "valid", "wrong_support", "wrong_signer", "expired", "replay"])
execute_kind = st.sampled_from(["exact", "exact", "exact", "wrong_actions", "wrong_value"])
lifecycle_execute_kind = st.sampled_from(["exact", "exact", "exact", "exact", "exact", "wrong_actions", "wrong_value"])
# MockToken modes: 0 normal, 1 transfers return false, 2 takes 1% on transfer
token_mode = st.sampled_from([0, 1, 2, 0])

"""The one function that publishes rates: k = 5 members, one value per member (no one over 25%),
nothing older than 12 months, never the minimum or the maximum; edges and properties."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from iwo.rates import MAX_AGE, Observation, aggregate, percentile

NOW = 1_900_000_000
DAY = 86_400


def obs(member, amount, *, category="delivery", unit="hour", source="ask", age=DAY):
    return Observation(f"0x{member:040x}", category, unit, "ETH", Fraction(amount), NOW - age, source)


def test_four_members_are_suppressed_five_are_published():
    four = aggregate([obs(i, 10 + i) for i in range(4)], NOW)
    assert [(c.members, c.published, c.reason) for c in four] == [(4, False, "fewer than 5 members (4)")]
    assert four[0].percentiles == {}
    five = aggregate([obs(i, 10 + i) for i in range(5)], NOW)
    assert [(c.members, c.published) for c in five] == [(5, True)]
    assert five[0].percentiles == {25: 11, 50: 12, 75: 13}  # never 10 (min) nor 14 (max)


def test_tenth_and_ninetieth_only_from_ten_members():
    nine = aggregate([obs(i, 10 + i) for i in range(9)], NOW)[0]
    assert sorted(nine.percentiles) == [25, 50, 75]
    ten = aggregate([obs(i, 10 + i) for i in range(10)], NOW)[0]
    assert sorted(ten.percentiles) == [10, 25, 50, 75, 90]
    assert 10 < ten.percentiles[10] and ten.percentiles[90] < 19


def test_a_member_counts_once_whatever_they_post():
    many = [obs(0, 100, age=DAY * (i + 1)) for i in range(50)] + [obs(i, 10) for i in range(1, 4)]
    cell = aggregate(many, NOW)[0]
    assert (cell.members, cell.published) == (4, False)  # 53 posts, 4 members


def test_latest_ask_and_median_of_paid_jobs():
    asks = [obs(0, 50, age=10 * DAY), obs(0, 12, age=DAY)] + [obs(i, 10 + i) for i in range(1, 5)]
    assert aggregate(asks, NOW)[0].percentiles[75] == 13  # member 0's latest ask is 12, not 50
    paid = [obs(0, v, source="paid") for v in (1, 2, 300)] + [obs(i, 10 + i, source="paid") for i in range(1, 5)]
    cell = aggregate(paid, NOW)[0]
    assert cell.source == "paid" and cell.percentiles == {25: 11, 50: 12, 75: 13}  # member 0 counts as 2


def test_old_posts_are_dropped():
    rows = [obs(i, 10 + i) for i in range(4)] + [obs(9, 99, age=MAX_AGE + 1)]
    assert aggregate(rows, NOW)[0].members == 4


def test_cells_are_kept_apart_and_categories_filtered():
    rows = [obs(i, 10, category="delivery") for i in range(5)] + [obs(i, 30, category="design") for i in range(5)]
    rows += [obs(i, 7, unit="km") for i in range(5)]
    cells = aggregate(rows, NOW)
    assert [(c.category, c.unit) for c in cells] == [("delivery", "hour"), ("delivery", "km"), ("design", "hour")]
    assert [c.category for c in aggregate(rows, NOW, categories={"design"})] == ["design"]


def test_percentile_is_exact():
    assert percentile([Fraction(1), Fraction(2)], 50) == Fraction(3, 2)
    assert percentile([Fraction(v) for v in range(10)], 10) == Fraction(9, 10)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 14),  # member
            st.integers(1, 60),  # amount
            st.sampled_from(["delivery", "design"]),
            st.sampled_from(["ask", "paid"]),
            st.integers(0, 400),  # age in days
        ),
        max_size=80,
    )
)
def test_published_figures_never_single_anyone_out(rows):
    observations = [obs(m, a, category=c, source=s, age=d * DAY) for m, a, c, s, d in rows]
    for cell in aggregate(observations, NOW):
        fresh = [o for o in observations if (o.category, o.source) == (cell.category, cell.source)]
        fresh = [o for o in fresh if NOW - o.time <= MAX_AGE]
        members = {o.member for o in fresh}
        assert cell.members == len(members)
        if not cell.published:
            assert cell.percentiles == {}
            continue
        assert cell.members >= 5  # k-anonymity
        assert 1 / cell.members <= 0.25  # one value per member: nobody over a quarter of the weight
        assert (10 in cell.percentiles) == (cell.members >= 10)
        # each member's own value, as the function takes it
        values = {}
        for m in members:
            own = [o for o in fresh if o.member == m]
            values[m] = (
                max(own, key=lambda o: o.time).amount
                if own[0].source == "ask"
                else percentile([o.amount for o in own], 50)
            )
        low, high = min(values.values()), max(values.values())
        for v in cell.percentiles.values():
            shared = sum(1 for x in values.values() if x == v) >= 2
            assert low < v < high or shared, (v, low, high)

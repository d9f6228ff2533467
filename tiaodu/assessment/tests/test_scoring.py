"""Properties of the scoring rules."""

import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tiaodu.assessment.scoring import final_ranks, points, score_rank, score_ratio

values = st.decimals(min_value=-1000, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=Decimal("0.01"), max_value=100, places=2)
caps = st.decimals(min_value=Decimal("0.5"), max_value=3, places=2)


@given(weight=weights, cap=caps, actual=values, target=values, lower=st.booleans())
def test_capped_ratio_never_exceeds_cap_times_weight(weight, cap, actual, target, lower):
    scored = score_ratio(weight=weight, cap=cap, actual=actual, target=target, direction="lower" if lower else "higher")
    assert Decimal(0) <= scored.points <= points(cap * weight)


@given(totals=st.dictionaries(st.integers(1, 500), values, min_size=1, max_size=40))
def test_ranks_are_a_permutation_and_follow_totals(totals):
    ranks = final_ranks(totals, {key: key for key in totals})
    assert sorted(ranks.values()) == list(range(1, len(totals) + 1))
    ordered = sorted(totals, key=lambda key: ranks[key])
    assert all(totals[a] >= totals[b] for a, b in itertools.pairwise(ordered))


@given(
    weight=weights,
    step=st.decimals(min_value=0, max_value=10, places=2),
    scores=st.dictionaries(st.integers(1, 100), st.one_of(st.none(), values), min_size=1, max_size=30),
)
def test_rank_points_between_zero_and_weight_and_best_gets_all(weight, step, scores):
    result = score_rank(weight=weight, step=step, values=scores, direction="higher")
    for key, scored in result.items():
        assert Decimal(0) <= scored.points <= weight
        if scores[key] is None:
            assert scored.rank is None and scored.points == 0
    present = [v for v in scores.values() if v is not None]
    if present:
        best = max(present)
        assert all(result[k].points == weight.quantize(Decimal("0.01")) for k, v in scores.items() if v == best)


def test_lower_is_better_inverts_the_ratio():
    scored = score_ratio(
        weight=Decimal(10), cap=Decimal("1.2"), actual=Decimal(5), target=Decimal(4), direction="lower"
    )
    assert scored.completion == Decimal("0.8") and scored.points == Decimal("8.00")

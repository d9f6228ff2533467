"""The scoring rules, as plain functions of numbers (no database): what a result table applies.

Points are rounded half up to two decimals; a completion to four.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .choices import Direction

CENT = Decimal("0.01")


def points(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value) -> str:
    """A number as people write it: 12.50 → 12.5, 3.0000 → 3."""
    if value is None:
        return "—"
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def texts() -> dict[str, str]:
    """The formulas' words in the current language, translated once for a whole table."""
    return {
        "no_actual": _("无实绩，得0分"),
        "no_target": _("未设目标值，得0分"),
        "bad_target": _("目标值不大于0，无法计算完成率，得0分"),
        "ratio": _("{weight} × min({ratio} = {completion}, 封顶 {cap}) = {points}"),
        "unranked": _("无实绩，不参与排名，得0分"),
        "rank": _("第{rank}名：{weight} − ({rank} − 1) × {step} = {points}"),
    }


@dataclass
class Scored:
    completion: Decimal | None
    points: Decimal
    formula: str
    rank: int | None = None


def score_ratio(
    *,
    weight: Decimal,
    cap: Decimal,
    actual: Decimal | None,
    target: Decimal | None,
    direction: str,
    words: dict | None = None,
) -> Scored:
    """完成率计分: weight × min(completion, cap), never below 0.

    Completion is actual ÷ target, or target ÷ actual when lower is better (an actual of 0 or less,
    when lower is better, has reached the cap).
    """
    words = words or texts()
    if actual is None:
        return Scored(None, points(0), words["no_actual"])
    if target is None:
        return Scored(None, points(0), words["no_target"])
    lower = direction == Direction.LOWER
    if lower:
        completion = cap if actual <= 0 else Decimal(target) / Decimal(actual)
        ratio_text = f"{plain(target)} ÷ {plain(actual)}"
    else:
        if target <= 0:
            return Scored(None, points(0), words["bad_target"])
        completion = Decimal(actual) / Decimal(target)
        ratio_text = f"{plain(actual)} ÷ {plain(target)}"
    completion = completion.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    counted = max(Decimal(0), min(completion, cap))
    score = points(weight * counted)
    formula = words["ratio"].format(
        weight=plain(weight), ratio=ratio_text, completion=plain(completion), cap=plain(cap), points=plain(score)
    )
    return Scored(completion, score, formula)


def competition_ranks(values: dict, *, reverse: bool) -> dict:
    """Ranks 1, 2, 2, 4 … of the keys by value (ties share a rank); keys with ``None`` get no rank."""
    present = sorted((v, k) for k, v in values.items() if v is not None)
    if reverse:
        present.sort(key=lambda pair: pair[0], reverse=True)
    ranks, previous, rank = {}, object(), 0
    for position, (value, key) in enumerate(present, start=1):
        if value != previous:
            rank, previous = position, value
        ranks[key] = rank
    return {key: ranks.get(key) for key in values}


def score_rank(*, weight: Decimal, step: Decimal, values: dict, direction: str, words: dict | None = None) -> dict:
    """排名计分: the first gets the full weight, each rank below loses ``step`` (never below 0)."""
    words = words or texts()
    ranks = competition_ranks(values, reverse=direction != Direction.LOWER)
    result = {}
    for key, rank in ranks.items():
        if rank is None:
            result[key] = Scored(None, points(0), words["unranked"])
            continue
        score = points(max(Decimal(0), weight - (rank - 1) * step))
        formula = words["rank"].format(rank=rank, weight=plain(weight), step=plain(step), points=plain(score))
        result[key] = Scored(None, score, formula, rank=rank)
    return result


def final_ranks(totals: dict, order: dict) -> dict:
    """The result's 排名: 1…n by total, highest first; equal totals in the scheme's order of units."""
    keys = sorted(totals, key=lambda key: (-totals[key], order.get(key, 0)))
    return {key: position for position, key in enumerate(keys, start=1)}

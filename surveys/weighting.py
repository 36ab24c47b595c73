"""Weighting survey responses to population margins by raking (iterative proportional fitting).

Respondents to a council survey are rarely a mirror of the borough: older residents and some
wards answer more than others. Raking gives each respondent a weight so that the weighted
shares of, say, age band and area match the census, one dimension at a time, repeating until
all match together. Plain data in and out, no Django.

Inputs
------
``categories`` has one mapping per respondent, from dimension to that respondent's category,
e.g. ``{"age": "16-24", "area": "North"}``. ``targets`` maps each dimension to the population
share of each category, e.g. ``{"age": {"16-24": 0.14, ...}, "area": {...}}``; each
dimension's shares must add up to 1.

Decisions
---------
*Missing and "prefer not to say".* A respondent whose category on a dimension is missing,
``None`` or ``PREFER_NOT_TO_SAY`` is left out of that dimension's adjustment: their weight is
multiplied by 1 on that step, and the target shares apply to the respondents who did give a
category (and to the weight they carry). This assumes, as is usual, that people who did not
say are spread like those who did; it never guesses a category for anyone, and they are still
adjusted on the dimensions they did answer.

*Categories with nobody in them.* A category with a population share but no respondents
cannot be matched (it would mean dividing by zero). It is reported in
``RakingResult.empty_categories`` and its share is spread over the dimension's other
categories in proportion to their shares; the weighted results then represent the population
without that group, which a page should say.

*A category with respondents but a share of 0* is a mistake in the targets (those
respondents would get weight 0) and raises ``ValueError``, as does a category that the
targets do not list.

*Trimming.* With ``cap`` (e.g. 5), no weight may exceed ``cap`` times the mean weight: weights
above it are cut to it after each round and raking carries on, so the margins are matched as
closely as the cap allows. If both cannot hold at once the result says it did not converge.

Weights are scaled to a mean of 1, so they add up to the number of respondents.

Speed: every respondent with the same categories on every dimension always has the same weight,
so the fitting works on those groups (a few hundred at most) rather than on each respondent;
100,000 respondents take well under a second, most of it spent reading the input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from surveys.estimates import PREFER_NOT_TO_SAY, effective_sample_size

DEFAULT_TOLERANCE = 1e-6
# Rounds are cheap (they work on groups of alike respondents), and a sample whose groups
# overlap only thinly across dimensions can need hundreds of rounds to settle.
DEFAULT_MAX_ITERATIONS = 1000
# Shares given to 3 or 4 decimal places rarely add up to exactly 1.
SHARE_SUM_TOLERANCE = 1e-3


@dataclass(frozen=True)
class RakingResult:
    """Weights in the order of the respondents given, and how well they fit.

    ``largest_error`` is the largest gap, as a fraction, between a weighted share and its
    target on any dimension. ``converged`` is true when it is within the tolerance (and the
    weights within the cap, if one was set). ``missing`` counts, per dimension, respondents
    left out of it; ``empty_categories`` lists categories with a share but no respondents.
    ``trimmed`` counts respondents whose weight was cut to the cap in the last round.
    """

    weights: tuple[float, ...]
    converged: bool
    iterations: int
    largest_error: float
    effective_sample_size: float
    empty_categories: Mapping[str, tuple[str, ...]]
    missing: Mapping[str, int]
    trimmed: int

    @property
    def design_effect(self) -> float:
        """How many respondents the weighted data is "worth" one of: n / effective n."""
        if self.effective_sample_size == 0:
            return math.nan
        return len(self.weights) / self.effective_sample_size


def rake(
    categories: Sequence[Mapping[str, str | None]],
    targets: Mapping[str, Mapping[str, float]],
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
    cap: float | None = None,
) -> RakingResult:
    """Weights that make the respondents' weighted shares match ``targets`` on every dimension.

    See the module docstring for how missing categories, empty categories and the cap are
    handled. Works for any number of dimensions.
    """
    if cap is not None and cap <= 1:
        raise ValueError("The cap is a multiple of the mean weight and must be above 1.")
    dimensions = tuple(targets)
    for dimension, shares in targets.items():
        _check_shares(dimension, shares)

    # Respondents with the same categories everywhere share a weight: fit those groups.
    group_of_respondent: list[int] = []
    group_index: dict[tuple[str | None, ...], int] = {}
    group_sizes: list[int] = []
    for respondent in categories:
        key = tuple(_category(respondent, dimension) for dimension in dimensions)
        index = group_index.get(key)
        if index is None:
            index = group_index[key] = len(group_sizes)
            group_sizes.append(0)
        group_sizes[index] += 1
        group_of_respondent.append(index)
    groups = list(group_index)
    respondents = len(group_of_respondent)

    missing = {
        dimension: sum(
            size for key, size in zip(groups, group_sizes, strict=True) if key[position] is None
        )
        for position, dimension in enumerate(dimensions)
    }
    fitted_targets, empty_categories = _targets_for_respondents(
        dimensions, targets, groups, group_sizes
    )

    weights = [1.0] * len(groups)
    largest_error = _largest_error(dimensions, fitted_targets, groups, group_sizes, weights)
    iterations = 0
    trimmed_groups: set[int] = set()
    within_cap = True
    while iterations < max_iterations and (largest_error > tolerance or not within_cap):
        iterations += 1
        for position, dimension in enumerate(dimensions):
            _adjust_to_dimension(position, fitted_targets[dimension], groups, group_sizes, weights)
        if cap is not None:
            trimmed_groups = _trim(weights, group_sizes, respondents, cap)
        largest_error = _largest_error(dimensions, fitted_targets, groups, group_sizes, weights)
        within_cap = cap is None or _within_cap(weights, group_sizes, respondents, cap, tolerance)

    _scale_to_mean_one(weights, group_sizes, respondents)
    respondent_weights = tuple(weights[index] for index in group_of_respondent)
    return RakingResult(
        weights=respondent_weights,
        converged=largest_error <= tolerance and within_cap,
        iterations=iterations,
        largest_error=largest_error,
        effective_sample_size=effective_sample_size(respondent_weights),
        empty_categories=empty_categories,
        missing=missing,
        trimmed=sum(group_sizes[index] for index in trimmed_groups),
    )


def weighted_shares(
    categories: Sequence[Mapping[str, str | None]],
    weights: Sequence[float],
    dimension: str,
) -> dict[str, float]:
    """Each category's weighted share among respondents who gave one on ``dimension``."""
    totals: dict[str, float] = {}
    for respondent, weight in zip(categories, weights, strict=True):
        category = _category(respondent, dimension)
        if category is not None:
            totals[category] = totals.get(category, 0.0) + weight
    known = math.fsum(totals.values())
    return {category: total / known for category, total in totals.items()} if known else {}


def _category(respondent: Mapping[str, str | None], dimension: str) -> str | None:
    category = respondent.get(dimension)
    return None if category in (None, "", PREFER_NOT_TO_SAY) else category


def _check_shares(dimension: str, shares: Mapping[str, float]) -> None:
    if not shares:
        raise ValueError(f"The targets for {dimension!r} list no categories.")
    if any(not (share >= 0 and math.isfinite(share)) for share in shares.values()):
        raise ValueError(f"The shares for {dimension!r} must be numbers between 0 and 1.")
    total = math.fsum(shares.values())
    if abs(total - 1) > SHARE_SUM_TOLERANCE:
        raise ValueError(
            f"The shares for {dimension!r} add up to {total:.4f}; they must add up to 1."
        )


def _targets_for_respondents(
    dimensions: tuple[str, ...],
    targets: Mapping[str, Mapping[str, float]],
    groups: list[tuple[str | None, ...]],
    group_sizes: list[int],
) -> tuple[dict[str, dict[str, float]], dict[str, tuple[str, ...]]]:
    """Targets restricted to categories someone is in, rescaled to add up to exactly 1."""
    fitted: dict[str, dict[str, float]] = {}
    empty: dict[str, tuple[str, ...]] = {}
    for position, dimension in enumerate(dimensions):
        shares = targets[dimension]
        present: dict[str, int] = {}
        for key, size in zip(groups, group_sizes, strict=True):
            if key[position] is not None:
                present[key[position]] = present.get(key[position], 0) + size
        unknown = sorted(set(present) - set(shares))
        if unknown:
            raise ValueError(
                f"Respondents are in {dimension!r} categories the targets do not list: "
                f"{unknown}. Add them to the targets or record them as missing."
            )
        unwanted = sorted(category for category in present if shares[category] == 0)
        if unwanted:
            raise ValueError(
                f"The targets give {dimension!r} categories {unwanted} a share of 0, but "
                "respondents are in them. Give them their population share."
            )
        empty_here = tuple(
            category for category, share in shares.items() if share > 0 and category not in present
        )
        if empty_here:
            empty[dimension] = empty_here
        kept = {category: shares[category] for category in present}
        kept_total = math.fsum(kept.values())
        # When nobody gave a category on this dimension there is nothing to fit on it.
        fitted[dimension] = (
            {category: share / kept_total for category, share in kept.items()} if kept else {}
        )
    return fitted, empty


def _adjust_to_dimension(
    position: int,
    shares: Mapping[str, float],
    groups: list[tuple[str | None, ...]],
    group_sizes: list[int],
    weights: list[float],
) -> None:
    """Scale each category so its weighted share matches; the known total stays the same."""
    totals = dict.fromkeys(shares, 0.0)
    for key, size, weight in zip(groups, group_sizes, weights, strict=True):
        if key[position] is not None:
            totals[key[position]] += size * weight
    known_total = math.fsum(totals.values())
    factors = {
        category: shares[category] * known_total / total
        for category, total in totals.items()
        if total > 0
    }
    for index, key in enumerate(groups):
        if key[position] is not None:
            weights[index] *= factors[key[position]]


def _largest_error(
    dimensions: tuple[str, ...],
    fitted_targets: Mapping[str, Mapping[str, float]],
    groups: list[tuple[str | None, ...]],
    group_sizes: list[int],
    weights: list[float],
) -> float:
    largest = 0.0
    for position, dimension in enumerate(dimensions):
        shares = fitted_targets[dimension]
        totals = dict.fromkeys(shares, 0.0)
        for key, size, weight in zip(groups, group_sizes, weights, strict=True):
            if key[position] is not None:
                totals[key[position]] += size * weight
        known_total = math.fsum(totals.values())
        if known_total == 0:
            continue
        for category, total in totals.items():
            largest = max(largest, abs(total / known_total - shares[category]))
    return largest


def _mean_weight(weights: list[float], group_sizes: list[int], respondents: int) -> float:
    if respondents == 0:
        return 0.0
    return math.fsum(size * weight for size, weight in zip(group_sizes, weights, strict=True)) / (
        respondents
    )


def _trim(weights: list[float], group_sizes: list[int], respondents: int, cap: float) -> set[int]:
    """Cut weights to ``cap`` times the mean weight; returns the groups that were cut.

    Cutting lowers the mean and so the limit; repeating converges quickly to weights that are
    all within the cap of their own mean.
    """
    trimmed: set[int] = set()
    for _ in range(100):
        limit = cap * _mean_weight(weights, group_sizes, respondents)
        above = {index for index, weight in enumerate(weights) if weight > limit * (1 + 1e-12)}
        if not above:
            break
        trimmed |= above
        for index in above:
            weights[index] = limit
    return trimmed


def _within_cap(
    weights: list[float], group_sizes: list[int], respondents: int, cap: float, tolerance: float
) -> bool:
    limit = cap * _mean_weight(weights, group_sizes, respondents)
    return max(weights, default=0.0) <= limit * (1 + tolerance)


def _scale_to_mean_one(weights: list[float], group_sizes: list[int], respondents: int) -> None:
    if respondents == 0:
        return
    mean = _mean_weight(weights, group_sizes, respondents)
    for index in range(len(weights)):
        weights[index] /= mean

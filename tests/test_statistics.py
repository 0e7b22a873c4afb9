"""The fair-comparison statistics against worked values (issue 15) and against SciPy.

Where each expected value comes from is said beside it: PHE's own test data, hand working in
the comment, or an independent computation (R's formulas evaluated with SciPy, which is an
implementation separate from ours: ours sums binomial terms from a log-gamma, SciPy calls
Cephes' incomplete beta).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special as scipy_special
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom

from lgsco_stats import binomial as b
from lgsco_stats import statistics as s


def wilson(x: int, n: int, z: float = s.Z95) -> tuple[float, float]:
    low, high = s.wilson_interval(np.array([x]), np.array([n]), z)
    return float(low[0]), float(high[0])


# --------------------------------------------------------------------------- Wilson


@pytest.mark.parametrize(
    ("x", "n", "z", "low", "high"),
    [
        # PHEindicatormethods' test data (testdata_Proportion.xlsx): 65 of 100
        (65, 100, s.Z95, 0.552544, 0.736358),
        (65, 100, s.Z998, 0.495495, 0.778354),
        # the independent values; 5/8 by hand: z² = 3.841459, 4x(1 - x/n) = 7.5,
        # sqrt(11.341459) = 3.367708, × z = 6.600587; (10 + 3.841459 ∓ 6.600587) / 23.682918
        # = 0.305742 and 0.863156
        (5, 8, s.Z95, 0.305742, 0.863156),
        # 0 of 3: the low end is exactly 0; high = 2z² / (2(3 + z²)) = 3.841459 / 6.841459
        (0, 3, s.Z95, 0.0, 0.561497),
        (38, 57, s.Z95, 0.537225, 0.775062),
        # n of n: the high end is exactly 1; low = 2·4/(2(4 + z²))... = 4 / 7.841459 = 0.510109
        (4, 4, s.Z95, 0.510109, 1.0),
    ],
)
def test_wilson_worked_values(x: int, n: int, z: float, low: float, high: float) -> None:
    got = wilson(x, n, z)
    assert got == pytest.approx((low, high), abs=5e-7)


def test_wilson_edges_are_exact() -> None:
    low, high = s.wilson_interval(np.array([0, 7, 0]), np.array([3, 7, 1]))
    assert low[0] == 0.0 and high[1] == 1.0 and low[2] == 0.0
    # no cases: no interval (n = 0 is NaN, never a division error)
    low, high = s.wilson_interval(np.array([0]), np.array([0]))
    assert math.isnan(low[0]) and math.isnan(high[0])


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_the_rate(xn: tuple[int, int]) -> None:
    x, n = xn
    low, high = wilson(x, n)
    assert 0.0 <= low <= x / n <= high <= 1.0
    low998, high998 = wilson(x, n, s.Z998)
    assert low998 <= low and high <= high998


# --------------------------------------------------------------------------- binomial


def test_log_factorial_against_scipy() -> None:
    k = np.array([0, 1, 2, 5, 31, 32, 33, 100, 1234, 10**5, 10**9], dtype=float)
    want = scipy_special.gammaln(k + 1)
    assert b.log_factorial(k) == pytest.approx(want, rel=1e-14, abs=1e-14)


# (SciPy underflows to 0 below about 1e-270 where our sums still have digits: abs=1e-250)
GRID = [
    (n, p)
    for n in (1, 2, 3, 8, 10, 16, 17, 57, 100, 333, 2000)
    for p in (0.001, 0.05, 0.2, 0.5, 0.67, 0.8, 0.995)
]


@pytest.mark.parametrize(("n", "p"), GRID)
def test_tails_and_quantiles_against_scipy(n: int, p: float) -> None:
    x = np.arange(n + 1, dtype=float)
    lower, upper = b.binomial_tails(x, np.full(n + 1, n), np.full(n + 1, p))
    assert lower == pytest.approx(binom.cdf(x, n, p), rel=1e-9, abs=1e-250)
    assert upper == pytest.approx(binom.sf(x - 1, n, p), rel=1e-9, abs=1e-250)
    assert b.binomial_pmf(x, n, p) == pytest.approx(binom.pmf(x, n, p), rel=1e-9, abs=1e-250)
    cdf = binom.cdf(x, n, p)
    for q in (0.001, 0.025, 0.5, 0.975, 0.999):
        # R's definition: the smallest r with P(X ≤ r) ≥ q, up to 64 epsilon
        want = x[np.argmax(cdf >= q * (1 - 64 * np.finfo(float).eps))]
        assert b.binomial_quantile(q, np.array([n]), np.array([p]))[0] == want


def test_quantile_at_a_tie() -> None:
    # 333 cases at 0.5: P(X ≤ 166) = 1/2 exactly by symmetry, so the median is 166 (R's
    # qbinom(0.5, 333, 0.5)); SciPy's ppf says 167, its cdf a rounding below 1/2
    assert b.binomial_quantile(0.5, np.array([333]), np.array([0.5]))[0] == 166


def test_tails_of_hostile_sizes() -> None:
    # A count of a billion (a mistyped table) must be a quick sum over a window, and right.
    n, p = 10**9, 0.3
    x = np.array([n * p - 40_000, n * p, n * p + 123_456, 0, n], dtype=float)
    lower, upper = b.binomial_tails(x, np.full(5, n), np.full(5, p))
    assert lower[:3] == pytest.approx(binom.cdf(x[:3], n, p), rel=1e-5)
    assert upper[:3] == pytest.approx(binom.sf(x[:3] - 1, n, p), rel=1e-5)
    assert lower[3] == 0.0 and upper[3] == 1.0 and lower[4] == 1.0 and upper[4] == 0.0


# --------------------------------------------------------------------------- exact test


@pytest.mark.parametrize(
    ("x", "n", "p0", "p"),
    [
        # 0 of 1 against 0.8: P(X ≤ 0) = 0.2, P(X ≥ 0) = 1 → 2 × 0.2 = 0.4
        (0, 1, 0.8, 0.4),
        # 17 of 17: P(X ≥ 17) = 0.8^17 = 0.022518 → 0.045036
        (17, 17, 0.8, 0.045036),
        # 16 of 16: 2 × 0.8^16 = 2 × 0.028147 = 0.056295
        (16, 16, 0.8, 0.056295),
        # 2 of 10 against 0.67: P(X ≤ 2) = 0.33^10 + 10·0.67·0.33^9 + 45·0.67²·0.33^8
        # = 0.0000153 + 0.0003110 + 0.0028410 = 0.0031673 → 0.006335
        (2, 10, 0.67, 0.006335),
        # ties: 5 of 10 against 0.5, both tails 0.623 → min(1, 1.246) = 1
        (5, 10, 0.5, 1.0),
        # peer rate 0 or 1: any upheld against 0 is impossible under p0 (p = 0); none is certain
        (0, 7, 0.0, 1.0),
        (3, 7, 0.0, 0.0),
        (7, 7, 1.0, 1.0),
        (6, 7, 1.0, 0.0),
    ],
)
def test_exact_p_value_worked_values(x: int, n: int, p0: float, p: float) -> None:
    got = s.exact_p_value(np.array([x]), np.array([n]), np.array([p0]))[0]
    assert got == pytest.approx(p, abs=5e-7)


def test_exact_p_value_without_cases_is_nan() -> None:
    got = s.exact_p_value(np.array([0, 1]), np.array([0, 1]), np.array([0.5, math.nan]))
    assert np.isnan(got).all()


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 3000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.floats(0.0, 1.0),
)
def test_exact_p_value_against_scipy(xn: tuple[int, int], p0: float) -> None:
    x, n = xn
    want = min(1.0, 2 * min(binom.cdf(x, n, p0), binom.sf(x - 1, n, p0)))
    got = s.exact_p_value(np.array([x]), np.array([n]), np.array([p0]))[0]
    assert got == pytest.approx(want, rel=1e-8, abs=1e-15)


def test_too_few_cases() -> None:
    # 1 case against 0.8: 0 of 1 gives p = 0.4 and 1 of 1 gives 1.6 → 1: neither can reach 0.05
    # 17 cases: 17 of 17 gives 0.045036 < 0.05; 16 cases: 0 of 16 gives 2 × 0.2^16 ≈ 1e-11, so
    # a result of 16 cases can be "lower" even though it can never be "higher"
    # 2 cases against 0.8: 0 of 2 gives 2 × 0.04 = 0.08, 2 of 2 gives 1.28: too few; 3 cases:
    # 0 of 3 gives 2 × 0.008 = 0.016: enough
    # 4 cases against 0.5: 2 × 0.5^4 = 0.125 both ways: too few; 6 cases: 2 × 0.5^6 = 0.03125
    n = np.array([1, 17, 16, 2, 3, 4, 6])
    p0 = np.array([0.8, 0.8, 0.8, 0.8, 0.8, 0.5, 0.5])
    assert s.too_few_cases(n, p0).tolist() == [True, False, False, True, False, True, False]


# --------------------------------------------------------------------------- funnel limits


@pytest.mark.parametrize(
    ("n", "p0", "limits"),
    [
        # the independent values (low 99.8%, low 95%, high 95%, high 99.8%)
        (8, 0.6, (0.0055, 0.1749, 0.8636, 0.9926)),
        (57, 0.67, (0.4612, 0.5358, 0.7811, 0.8423)),
    ],
)
def test_funnel_limits_worked_values(n: int, p0: float, limits: tuple[float, ...]) -> None:
    got = [s.funnel_limit(q, np.array([n]), np.array([p0]))[0] for q in s.FUNNEL_LIMITS.values()]
    assert got == pytest.approx(limits, abs=5e-5)


def test_funnel_limit_by_hand() -> None:
    # n = 8, p0 = 0.6, q = 0.975: P(X ≤ 6) = 1 - P(7) - P(8) = 1 - 0.089580 - 0.016796
    # = 0.893624 < 0.975 and P(X ≤ 7) = 0.983204 ≥ 0.975, so rp = 7;
    # a = (0.983204 - 0.975) / P(X = 7) = 0.008204 / 0.089580 = 0.091582;
    # limit = (7 - 0.091583) / 8 = 0.863552
    assert s.funnel_limit(0.975, np.array([8]), np.array([0.6]))[0] == pytest.approx(
        0.863552, abs=2e-6
    )


def test_funnel_limits_at_the_edges() -> None:
    n = np.array([0, 1, 5, 1000])
    for q in s.FUNNEL_LIMITS.values():
        # no cases: no limit; a group all at 0% or all at 100%: the limits are that rate
        assert math.isnan(s.funnel_limit(q, n, np.full(4, 0.3))[0])
        assert s.funnel_limit(q, n[1:], np.zeros(3)).tolist() == [0.0, 0.0, 0.0]
        assert s.funnel_limit(q, n[1:], np.ones(3)).tolist() == [1.0, 1.0, 1.0]
    # clamped at 0 on few cases: n = 1, p0 = 0.8, q = 0.025: rp = 0, a = (0.2 - 0.025)/0.2
    # = 0.875, (0 - 0.875)/1 < 0 → 0
    assert s.funnel_limit(0.025, np.array([1]), np.array([0.8]))[0] == 0.0


def test_funnel_positions_by_hand() -> None:
    # n = 8, p0 = 0.6 (limits 0.0055, 0.1749, 0.8636, 0.9926). A count is compared at its
    # middle, x - 1/2: 7 of 8 at 6.5/8 = 0.8125 is within, though 0.875 is above the line;
    # 8 of 8 at 7.5/8 = 0.9375 is above the 95% limit, not the 99.8% (mid-p: half of
    # P(X = 8) = 0.016796 is 0.008398: < 0.025, not < 0.001); 1 of 8 at 0.0625 is below 0.1749
    # (mid-p P(X = 0) + P(X = 1)/2 = 0.000655 + 0.003932 = 0.004588 < 0.025), 0 of 8 below
    # 0.0055 too (half of 0.000655 < 0.001)
    x = np.array([7, 8, 1, 0, 5])
    got = s.funnel_positions(x, np.full(5, 8), 0.6).tolist()
    assert got == ["within", "above_95", "below_95", "below_998", "within"]
    # a group all at 100%: nobody is outside; one council short of it is far below
    assert s.funnel_positions(np.array([5, 4]), np.array([5, 5]), 1.0).tolist() == [
        "within",
        "below_998",
    ]


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.floats(0.02, 0.98),
)
def test_positions_are_the_middle_of_the_count_against_the_limits(
    xn: tuple[int, int], p0: float
) -> None:
    # the same rule read off the drawn limits: (x - 1/2)/n against the unclamped (rp - a)/n
    x, n = xn

    def unclamped(q: float) -> float:
        rp = binom.ppf(q, n, p0)
        return float((rp - (binom.cdf(rp, n, p0) - q) / binom.pmf(rp, n, p0)) / n)

    mid = (x - 0.5) / n
    want = (
        "above_998"
        if mid > unclamped(0.999)
        else "above_95"
        if mid > unclamped(0.975)
        else "below_998"
        if mid < unclamped(0.001)
        else "below_95"
        if mid < unclamped(0.025)
        else "within"
    )
    assert s.funnel_positions(np.array([x]), np.array([n]), p0)[0] == want


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 2000), st.floats(0.01, 0.99))
def test_funnel_limits_are_ordered(n: int, p0: float) -> None:
    # Ordered and within [0, 1]; not always either side of p0: on one case against p0 = 0.0156
    # the 95% upper limit is (0 - (0.984375 - 0.975)/0.984375)/1 < 0, so 0, and only 1 of 1 is
    # above it (the interpolation's way with a discrete count)
    at = [s.funnel_limit(q, np.array([n]), np.array([p0]))[0] for q in s.FUNNEL_LIMITS.values()]
    assert 0.0 <= at[0] <= at[1] <= at[2] <= at[3] <= 1.0
    if n * min(p0, 1 - p0) >= 5:  # where the normal approximation would hold
        assert at[1] <= p0 <= at[2]


# --------------------------------------------------------------------------- over-dispersion


def test_overdispersion_by_hand() -> None:
    # Four councils: 4/16, 8/16, 18/36, 12/16; pooled p0 = 42/84 = 0.5, asin√0.5 = π/4.
    # asin√0.25 = π/6, asin√0.75 = π/3, so z = (π/6 - π/4)·2·4 = -2π/3, 0, 0, +2π/3
    # (the 18/36 council is at 0.5: z = 0).
    # Winsorised at the 10th/90th percentiles (R type 7, over the sorted z -2π/3, 0, 0, 2π/3):
    # position 0.3 → -2π/3 + 0.3·2π/3 = -0.7·2π/3 = -1.466077; position 2.7 → +1.466077.
    # φ = (2 × 1.466077²) / 4 = 0.98π²/9 = 1.074690.
    # Iφ = 4.298762 > I - 1 = 3, so τ² = (4.298762 - 3) / (Σw - Σw²/Σw) with w = 4n =
    # 64, 64, 144, 64: Σw = 336, Σw² = 3 × 4096 + 20736 = 33024, Σw²/Σw = 98.285714,
    # so τ² = 1.298762 / 237.714286 = 0.0054636.
    d = s.overdispersion(np.array([4, 8, 18, 12]), np.array([16, 16, 36, 16]))
    assert (d.councils, d.target) == (4, 0.5)
    assert d.phi == pytest.approx(0.98 * math.pi**2 / 9, rel=1e-12)
    assert d.phi == pytest.approx(1.074690, abs=1e-6)
    assert d.tau2 == pytest.approx(0.0054636, abs=1e-7)
    # widened 95% limit at n = 16: s² = 1/64 + τ² = 0.0210885, s = 0.145219, z·s = 0.284624;
    # sin²(π/4 ± t) = (1 ± sin 2t)/2, sin 0.569248 = 0.538999: upper 0.769499, lower 0.230501
    spread = 1.959964 * math.sqrt(1 / 64 + d.tau2)
    high = s.widened_limit(1.959964, np.array([16]), 0.5, d.tau2)[0]
    low = s.widened_limit(-1.959964, np.array([16]), 0.5, d.tau2)[0]
    assert high == pytest.approx((1 + math.sin(2 * spread)) / 2, rel=1e-12)
    assert (low, high) == pytest.approx((0.230501, 0.769499), abs=2e-6)


def test_no_overdispersion_when_spread_is_binomial() -> None:
    # n = 4 each: 1/4, 2/4, 2/4, 3/4 → z = ±π/3, 0, 0, winsorised ±0.7π/3 = ±0.733038,
    # φ = 2 × 0.537345 / 4 = 0.268672; Iφ = 1.07 ≤ 3: τ² = 0
    d = s.overdispersion(np.array([1, 2, 2, 3]), np.array([4, 4, 4, 4]))
    assert d.phi == pytest.approx(0.49 * math.pi**2 / 18, rel=1e-12)
    assert d.tau2 == 0.0


def test_overdispersion_edges() -> None:
    # no councils with cases: nothing to measure
    d = s.overdispersion(np.array([0, 0]), np.array([0, 0]))
    assert d.councils == 0 and math.isnan(d.phi) and math.isnan(d.tau2)
    # one council: z = 0, φ = 0, no τ² (Σw - Σw²/Σw = 0 would divide by zero)
    d = s.overdispersion(np.array([3]), np.array([9]))
    assert (d.councils, d.phi, d.tau2) == (1, 0.0, 0.0)
    # every council at 100% (p0 = 1): no spread
    d = s.overdispersion(np.array([5, 9, 1]), np.array([5, 9, 1]))
    assert (d.phi, d.tau2) == (0.0, 0.0)
    # ties at the extremes: the winsorising quantiles equal the tied values, nothing moves
    d = s.overdispersion(np.array([0, 0, 10, 10]), np.array([10, 10, 10, 10]))
    # z = ±(π/4)·2√10 = ±4.967294 (p0 = 0.5), all kept: φ = 24.674011, τ² = (98.696 - 3) /
    # (160 - 6400/160) = 95.696044 / 120 = 0.797467
    assert d.phi == pytest.approx((math.pi / 4 * 2 * math.sqrt(10)) ** 2, rel=1e-12)
    assert d.tau2 == pytest.approx(0.797467, abs=1e-6)


def test_widened_limits_stay_within_0_and_1() -> None:
    n = np.array([1, 2, 5, 50])
    high = s.widened_limit(s.Z998, n, 0.9, 0.05)
    low = s.widened_limit(-s.Z998, n, 0.1, 0.05)
    assert (high <= 1).all() and (low >= 0).all()
    assert high[0] == 1.0 and low[0] == 0.0  # the angle is stopped at π/2 and 0, not wrapped
    assert np.all(np.diff(high) <= 0) and np.all(np.diff(low) >= 0)  # narrowing with n

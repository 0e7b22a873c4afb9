"""Fair comparisons: an interval on every rate, an exact test against similar councils, funnel
limits and over-dispersion (issue 15).

The functions here take counts and return proportions (0 to 1) as numpy arrays; the frame-level
functions (:func:`add_comparisons`, :func:`funnel_data`, :func:`dispersion_table`) take the
frame :func:`lgsco_stats.figures.council_figures` makes and give rates in percent, as the rest
of the figures are. Nothing here prints, rounds for display or draws.

Methods
-------
- **Wilson score interval** (the method the Office for Health Improvement and Disparities
  prefers for proportions; PHEindicatormethods' ``wilson_lower``/``wilson_upper``):
  ``(2x + z² ± z·sqrt(z² + 4x(1 − x/n))) / (2(n + z²))``, z = 1.959964 (95%) or 3.090232
  (99.8%).
- **Exact two-sided binomial test** against a peer rate p0: ``min(1, 2·min(P(X ≤ x),
  P(X ≥ x)))`` with X ~ Binomial(n, p0). A result is **too few cases** when neither 0 of n nor n
  of n could reach p < 0.05: ``2(1 − p0)^n ≥ 0.05`` and ``2·p0^n ≥ 0.05``.
- **Funnel limits** (Spiegelhalter, "Funnel plots for comparing institutional performance",
  Statistics in Medicine 2005, appendix A.1.1): ``rp = qbinom(q, n, p0)``, ``a = (pbinom(rp) −
  q) / dbinom(rp)``, limit ``(rp − a)/n`` clamped to [0, 1], for q = 0.001, 0.025, 0.975, 0.999.
- **Over-dispersion** as FunnelPlotR does it for proportions (``transformed_zscore``,
  ``winsorisation``, ``phi_func``, ``tau_func``): arcsine z-scores ``(asin√p_i − asin√p0)·2√n_i``,
  winsorised at the 10th and 90th percentiles (R's default quantiles, numpy's ``linear``);
  φ = mean z²; when Iφ > I − 1, ``τ² = (Iφ − (I − 1)) / (Σw − Σw²/Σw)``, w_i = 4n_i; limits
  widened to ``sin²(asin√p0 ± z·sqrt(1/(4n) + τ²))``, the angle kept within [0, π/2].

The binomial distribution comes from :mod:`lgsco_stats.binomial` (numpy, not SciPy, for the
start-up time of the commands that read the store).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .binomial import binomial_pmf, binomial_quantile, binomial_tails
from .counts import masked
from .figures import COMPARISON_COLUMNS, MIN_OTHERS, RATES

Z95 = 1.959964  # qnorm(0.975), as PHEindicatormethods and FunnelPlotR write it
Z998 = 3.090232  # qnorm(0.999)
SIGNIFICANCE = 0.05
WINSOR = 0.1  # FunnelPlotR's default trim: the 10th and 90th percentiles
# the four funnel limits: name → lower-tail probability q
FUNNEL_LIMITS: dict[str, float] = {
    "low_998": 0.001,
    "low_95": 0.025,
    "high_95": 0.975,
    "high_998": 0.999,
}
LIMIT_Z: dict[str, float] = {"95": Z95, "998": Z998}

# comparison words (the ``*_comparison`` columns)
HIGHER, LOWER, SIMILAR, TOO_FEW = "higher", "lower", "similar", "too few cases"
COMPARISONS: tuple[str, ...] = (HIGHER, SIMILAR, LOWER, TOO_FEW)

# A council's year has at most a few thousand decisions (the Ombudsman decides about 20,000 a
# year in all): a count above this is a mistyped table, not a council. It keeps its interval but
# is tested against no one, is no one's peer, and is left out of funnel plots and φ and τ²
# (the exact sums would cost 6√n terms each).
MOST_CASES = 1_000_000


# --------------------------------------------------------------------------- the statistics


def wilson_interval(x: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval of x of n as proportions (low, high); NaN where n ≤ 0.

    Exactly 0 at x = 0 and 1 at x = n (where the formula gives them but for rounding).
    """
    x, n = (np.asarray(a, dtype=np.float64) for a in np.broadcast_arrays(x, n))
    ok = n > 0
    nn = np.where(ok, n, 1.0)
    z2 = z * z
    spread = z * np.sqrt(np.maximum(z2 + 4.0 * x * (1.0 - x / nn), 0.0))
    low = np.where(x <= 0, 0.0, (2.0 * x + z2 - spread) / (2.0 * (nn + z2)))
    high = np.where(x >= nn, 1.0, (2.0 * x + z2 + spread) / (2.0 * (nn + z2)))
    nan = np.full(x.shape, np.nan)
    return np.where(ok, np.clip(low, 0, 1), nan), np.where(ok, np.clip(high, 0, 1), nan)


def exact_p_value(x: np.ndarray, n: np.ndarray, p0: np.ndarray) -> np.ndarray:
    """Two-sided exact binomial p-value of x of n against p0: ``min(1, 2·min(P(X ≤ x),
    P(X ≥ x)))``, X ~ Binomial(n, p0); NaN where n ≤ 0 or p0 is not a proportion."""
    x, n, p0 = (np.asarray(a, dtype=np.float64) for a in np.broadcast_arrays(x, n, p0))
    ok = (n > 0) & (p0 >= 0) & (p0 <= 1) & (x >= 0) & (x <= n)
    out = np.full(x.shape, np.nan)
    if ok.any():
        lower, upper = binomial_tails(x[ok], n[ok], p0[ok])
        out[ok] = np.minimum(1.0, 2.0 * np.minimum(lower, upper))
    return out


def too_few_cases(n: np.ndarray, p0: np.ndarray, alpha: float = SIGNIFICANCE) -> np.ndarray:
    """True where no result of n cases could differ from p0 at level alpha: 0 of n has p-value
    ``2(1 − p0)^n`` and n of n ``2·p0^n`` (the most extreme results), and neither is below
    alpha."""
    n, p0 = (np.asarray(a, dtype=np.float64) for a in np.broadcast_arrays(n, p0))
    with np.errstate(invalid="ignore"):
        return (2.0 * (1.0 - p0) ** n >= alpha) & (2.0 * p0**n >= alpha)


def funnel_limit(q: float, n: np.ndarray, p0: np.ndarray) -> np.ndarray:
    """Spiegelhalter's interpolated exact binomial limit at lower-tail probability q, as a
    proportion: ``(rp − a)/n`` with ``rp = qbinom(q, n, p0)``, ``a = (pbinom(rp) − q) /
    dbinom(rp)``, clamped to [0, 1]; NaN where n ≤ 0.

    With p0 of 0 or 1 every council of the group has that rate: both limits are p0 (the
    formula would put 100% outside a limit just under 100%).
    """
    n, p0 = (np.asarray(a, dtype=np.float64).ravel() for a in np.broadcast_arrays(n, p0))
    out = np.full(len(n), np.nan)
    edge = (n > 0) & ((p0 <= 0) | (p0 >= 1))
    out[edge] = np.clip(p0[edge], 0.0, 1.0)
    ok = (n > 0) & (p0 > 0) & (p0 < 1)
    if ok.any():
        nn, pp = n[ok], p0[ok]
        rp = binomial_quantile(q, nn, pp)
        lower, _ = binomial_tails(rp, nn, pp)
        a = (lower - q) / binomial_pmf(rp, nn, pp)
        out[ok] = np.clip((rp - a) / nn, 0.0, 1.0)
    return out


def widened_limit(z: float, n: np.ndarray, p0: float, tau2: float) -> np.ndarray:
    """An over-dispersion-widened limit on the arcsine scale, as a proportion:
    ``sin²(asin√p0 + z·sqrt(1/(4n) + τ²))`` (z negative for a lower limit), the angle kept
    within [0, π/2] so that the limit stays within [0, 1] and moves the right way with n."""
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore"):
        spread = np.sqrt(1.0 / (4.0 * n) + tau2)
    angle = np.clip(math.asin(math.sqrt(p0)) + z * spread, 0.0, math.pi / 2)
    return np.where(n > 0, np.sin(angle) ** 2, np.nan)


@dataclass(frozen=True)
class Dispersion:
    """Over-dispersion of a group's councils around its pooled proportion ``target``.

    ``councils`` is I, the councils with cases; ``phi`` the mean winsorised z²; ``tau2`` the
    between-council variance on the arcsine scale (0 when Iφ ≤ I − 1, NaN without councils).
    """

    councils: int
    target: float
    phi: float
    tau2: float


def overdispersion(x: np.ndarray, n: np.ndarray, trim: float = WINSOR) -> Dispersion:
    """φ and τ² of councils with x of n cases (rows with n ≤ 0 left out), around their pooled
    proportion Σx/Σn, as FunnelPlotR does for proportions."""
    x, n = (np.asarray(a, dtype=np.float64) for a in (x, n))
    keep = n > 0
    x, n = x[keep], n[keep]
    count = len(n)
    if count == 0:
        return Dispersion(0, math.nan, math.nan, math.nan)
    target = float(x.sum() / n.sum())
    z = (np.arcsin(np.sqrt(x / n)) - math.asin(math.sqrt(target))) * 2.0 * np.sqrt(n)
    z = np.clip(z, np.quantile(z, trim), np.quantile(z, 1.0 - trim))
    phi = float(np.mean(z * z))
    tau2 = 0.0
    w = 4.0 * n
    spread = float(w.sum() - (w * w).sum() / w.sum())
    if count * phi > count - 1 and spread > 0:
        tau2 = (count * phi - (count - 1)) / spread
    return Dispersion(count, target, phi, tau2)


# --------------------------------------------------------------------------- over the figures


def _group_codes(figures: pd.DataFrame, member: np.ndarray) -> np.ndarray:
    """A number per (type, year) of the members' rows (0, 1, …); -1 for rows in no group."""
    codes = np.full(len(figures), -1, dtype=np.int64)
    if member.any():
        types, _ = pd.factorize(figures["type"])
        years, year_values = pd.factorize(figures["year"])
        pair = types.astype(np.int64) * (len(year_values) + 1) + years
        _, codes[member] = np.unique(pair[member], return_inverse=True)
    return codes


def _counts(
    figures: pd.DataFrame, rate: str, most: float = MOST_CASES
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A rate's numerator and denominator as floats, and where both are known, 0 ≤ x ≤ n and
    0 < n ≤ ``most``."""
    num, den = RATES[rate]
    x, x_missing = masked(figures, num)
    n, n_missing = masked(figures, den)
    ok = ~x_missing & ~n_missing & (n > 0) & (n <= most) & (x >= 0) & (x <= n)
    return x.astype(np.float64), n.astype(np.float64), ok


def add_comparisons(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures with the fair-comparison columns of each rate added.

    Parameters
    ----------
    figures : ``council_figures`` columns up to ``authority_key``: ``type``, ``year``,
        ``in_group`` and each rate's numerator and denominator counts (see ``RATES``).

    Returns
    -------
    The same rows with ``COMPARISON_COLUMNS`` after the others; for r in uphold, remedy and
    compliance:

    - ``r_rate_low``, ``r_rate_high``: the Wilson 95% interval in percent (NaN without cases or
      with a count not reported);
    - ``r_peer_rate``: the pooled rate, in percent, of the *other* councils of the group that
      year with known counts (NaN outside a group, or when fewer than ``MIN_OTHERS`` others
      have cases: then the group figure is no comparison either);
    - ``r_p_value``: the exact two-sided binomial p-value of the council's count against the
      peer rate;
    - ``r_comparison``: ``"higher"`` or ``"lower"`` (p < 0.05), ``"similar"``, ``"too few
      cases"`` (no result on this many cases could reach p < 0.05), or None where there is no
      test (no group, no cases, too few peers).

    One pass of numpy per rate over all the rows and years.
    """
    member = figures["in_group"].to_numpy(dtype=bool, na_value=False)
    codes = _group_codes(figures, member)
    groups = max(1, int(codes.max()) + 1) if len(codes) else 1  # bincount's length, 1 at least
    index = np.maximum(codes, 0)
    new: dict[str, object] = {}
    for rate in RATES:
        short = rate.removesuffix("_rate")
        x, n, ok = _counts(figures, rate)
        _, _, shown = _counts(figures, rate, math.inf)
        low, high = wilson_interval(x, n)
        usable = ok & member
        own_x, own_n = np.where(usable, x, 0.0), np.where(usable, n, 0.0)
        sum_x = np.bincount(codes[usable], weights=x[usable], minlength=groups)
        sum_n = np.bincount(codes[usable], weights=n[usable], minlength=groups)
        peer_n = np.where(member, sum_n[index] - own_n, 0.0)
        # as for the group figures: peers are a comparison only when MIN_OTHERS other councils
        # of the group have cases
        peers = np.bincount(codes[usable], minlength=groups)[index] - usable
        has_peers = member & (peer_n > 0) & (peers >= MIN_OTHERS)
        peer = np.full(len(x), np.nan)
        peer[has_peers] = (sum_x[index] - own_x)[has_peers] / peer_n[has_peers]
        tested = ok & has_peers
        p = np.full(len(x), np.nan)
        p[tested] = exact_p_value(x[tested], n[tested], peer[tested])
        word = np.full(len(x), None, dtype=object)
        few = too_few_cases(n, np.where(tested, peer, 0.5))
        differs = tested & ~few & (p < SIGNIFICANCE)
        word[tested] = SIMILAR
        word[differs & (x > n * peer)] = HIGHER
        word[differs & (x < n * peer)] = LOWER
        word[tested & few] = TOO_FEW
        new[f"{short}_rate_low"] = np.where(shown, 100.0 * low, np.nan)
        new[f"{short}_rate_high"] = np.where(shown, 100.0 * high, np.nan)
        new[f"{short}_peer_rate"] = 100.0 * peer
        new[f"{short}_p_value"] = p
        new[f"{short}_comparison"] = word
    added = pd.DataFrame({c: new[c] for c in COMPARISON_COLUMNS}, index=figures.index)
    return pd.concat([figures, added], axis=1)


def by_comparison(figures: pd.DataFrame, short: str) -> pd.DataFrame:
    """The rows ordered by how a rate compares with the peers (``short``: uphold, compliance or
    remedy): higher first (the clearest, smallest p, first), then similar and too few cases
    (each highest rate first), then lower (the clearest last), then rows without a test; ties
    by council name."""
    order = {HIGHER: 0, SIMILAR: 1, TOO_FEW: 2, LOWER: 3}
    word = figures[f"{short}_comparison"].tolist()
    cat = np.array([order.get(w, 4) if isinstance(w, str) else 4 for w in word])
    p = figures[f"{short}_p_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    rate = figures[f"{short}_rate"].to_numpy(dtype=np.float64, na_value=np.nan)
    within = np.where(cat == 0, p, np.where(cat == 3, -p, -rate))
    names = [str(c).lower() for c in figures["council"].tolist()]
    ranked = sorted(
        range(len(figures)),
        key=lambda i: (cat[i], np.inf if np.isnan(within[i]) else within[i], names[i]),
    )
    return figures.take(ranked)


# positions of a council against a pair of funnel limits
ABOVE_998, ABOVE_95, WITHIN, BELOW_95, BELOW_998 = (
    "above_998",
    "above_95",
    "within",
    "below_95",
    "below_998",
)
FUNNEL_POINT_COLUMNS: tuple[str, ...] = (
    "council",
    "gss_code",
    "numerator",
    "denominator",
    "rate",
    "position",
    "widened_position",
)
_GRID = 400  # most limit points drawn along a funnel


@dataclass(frozen=True)
class Funnel:
    """A funnel plot's data: one group, year and rate (see :func:`funnel_data`).

    ``target`` is the group's pooled rate in percent (the centre line); ``points`` has
    ``FUNNEL_POINT_COLUMNS`` (rate in percent, ``position`` against the exact limits,
    ``widened_position`` against the widened ones or None when τ² is 0); ``limits`` has ``n``
    and, in percent, ``low_998``, ``low_95``, ``high_95``, ``high_998`` and the same prefixed
    ``widened_`` (NaN when τ² is 0); ``left_out`` names the members with no cases, a count
    not reported or one beyond any real council (``MOST_CASES``).
    """

    group: str
    year: str
    rate: str
    target: float
    dispersion: Dispersion
    points: pd.DataFrame
    limits: pd.DataFrame
    left_out: tuple[str, ...]

    @property
    def widened(self) -> bool:
        """Whether the group is over-dispersed (τ² > 0) and widened limits apply."""
        return bool(self.dispersion.tau2 > 0)


def funnel_bounds(n: np.ndarray, p0: float, tau2: float = 0.0) -> dict[str, np.ndarray]:
    """The four exact limits at each n (proportions), and the four widened by τ² (NaN when τ²
    is 0), keyed as in ``Funnel.limits``."""
    n = np.asarray(n, dtype=np.float64)
    out = {name: funnel_limit(q, n, np.full(len(n), p0)) for name, q in FUNNEL_LIMITS.items()}
    for name in FUNNEL_LIMITS:
        side = -1.0 if name.startswith("low") else 1.0
        z = LIMIT_Z[name.rsplit("_", 1)[1]]
        out[f"widened_{name}"] = (
            widened_limit(side * z, n, p0, tau2) if tau2 > 0 else np.full(len(n), np.nan)
        )
    return out


def _widened_positions(rate: np.ndarray, bounds: dict[str, np.ndarray]) -> np.ndarray:
    out = np.full(len(rate), WITHIN, dtype=object)
    out[rate > bounds["widened_high_95"]] = ABOVE_95
    out[rate > bounds["widened_high_998"]] = ABOVE_998
    out[rate < bounds["widened_low_95"]] = BELOW_95
    out[rate < bounds["widened_low_998"]] = BELOW_998
    return out


def funnel_positions(x: np.ndarray, n: np.ndarray, p0: float) -> np.ndarray:
    """Where each council's x of n lies against the exact limits around p0: ``above_998``,
    ``above_95``, ``within``, ``below_95`` or ``below_998``.

    The interpolated limit ``(rp − a)/n`` is the q-quantile of the count spread evenly over
    the whole case below it (x stands for x − 1 to x), so a count is compared at its middle,
    x − ½: it is above the q limit when ``P(X > x) + ½·P(X = x) < 1 − q`` and below when
    ``P(X < x) + ½·P(X = x) < q`` (the mid-p tails). Compared at x itself, every 100% would lie
    above every upper limit (1 of 1 against 83% "beyond 99.8%"); compared at x − ½ a point is
    named when it is beyond a limit by more than half a case.
    """
    x, n = (np.asarray(a, dtype=np.float64) for a in (x, n))
    p = np.full(len(n), p0)
    lower, upper = binomial_tails(x, n, p)
    half = 0.5 * binomial_pmf(x, n, p)
    above, below = upper - half, lower - half  # mid-p tails; they add up to 1
    q = FUNNEL_LIMITS
    out = np.full(len(n), WITHIN, dtype=object)
    out[above < 1.0 - q["high_95"]] = ABOVE_95
    out[above < 1.0 - q["high_998"]] = ABOVE_998
    out[below < q["low_95"]] = BELOW_95
    out[below < q["low_998"]] = BELOW_998
    return out


def funnel_data(
    figures: pd.DataFrame, group: str, year: str, short: str = "uphold", grid: int = _GRID
) -> Funnel:
    """A funnel plot of one group, year and rate (``short``: uphold, compliance or remedy).

    Each member council with cases is a point (its rate against its number of cases); the
    centre line is the pooled rate of those councils; the limits are the exact binomial ones
    at 95% and 99.8% around it (:func:`funnel_limit`) and, when the councils are
    over-dispersed (τ² > 0), the widened ones too.

    ``figures`` is ``council_figures`` output (any years; members are the rows of ``group`` in
    ``year`` with ``in_group``). ``grid``: at most this many case numbers the limits are worked
    out at (the report site draws its small SVG funnels from fewer).
    """
    rate = f"{short}_rate"
    rows = figures[
        (figures["type"] == group)
        & (figures["year"] == year)
        & figures["in_group"].to_numpy(dtype=bool, na_value=False)
    ]
    x, n, ok = _counts(rows, rate)
    names = rows["council"].tolist()
    left_out = tuple(c for c, good in zip(names, ok.tolist(), strict=True) if not good)
    x, n = x[ok], n[ok]
    disp = overdispersion(x, n)
    p0 = disp.target
    points = pd.DataFrame(
        {
            "council": [c for c, good in zip(names, ok.tolist(), strict=True) if good],
            "gss_code": rows["gss_code"].to_numpy()[ok],
            "numerator": x.astype(np.int64),
            "denominator": n.astype(np.int64),
            "rate": 100.0 * x / np.where(n > 0, n, 1.0),
        }
    )
    if len(n):
        points["position"] = funnel_positions(x, n, p0)
        points["widened_position"] = (
            _widened_positions(x / n, funnel_bounds(n, p0, disp.tau2))
            if disp.tau2 > 0
            else [None] * len(n)
        )
        top = max(10, int(math.ceil(n.max() * 1.08)))
        at = np.unique(np.round(np.linspace(1, top, min(top, grid))))
        curve: dict[str, np.ndarray] = {"n": at.astype(np.int64)}
        curve.update({k: 100.0 * v for k, v in funnel_bounds(at, p0, disp.tau2).items()})
        limits = pd.DataFrame(curve)
    else:
        points["position"] = points["widened_position"] = pd.Series(dtype=object)
        limits = pd.DataFrame(
            {"n": pd.Series(dtype=np.int64)}
            | {k: pd.Series(dtype=np.float64) for k in funnel_bounds(np.array([]), 0.5)}
        )
    target = 100.0 * p0 if len(n) else math.nan
    return Funnel(group, year, short, target, disp, points, limits, left_out)


DISPERSION_COLUMNS: tuple[str, ...] = (
    "type",
    "year",
    "rate",
    "councils",
    "pooled_rate",
    "phi",
    "tau2",
)


def dispersion_table(figures: pd.DataFrame) -> pd.DataFrame:
    """φ and τ² of each group, year and rate (``DISPERSION_COLUMNS``; ``rate`` is the short
    name, ``pooled_rate`` in percent, ``councils`` those with cases), groups in the order of
    :data:`lgsco_stats.councils.GROUPS`."""
    from .councils import GROUPS

    member = figures["in_group"].to_numpy(dtype=bool, na_value=False)
    order = {g: i for i, g in enumerate(GROUPS)}
    keys = sorted(
        {(t, y) for t, y, m in zip(figures["type"], figures["year"], member, strict=True) if m},
        key=lambda k: (str(k[1]), order.get(k[0], len(order))),
    )
    # in the order the letters and tables give the rates
    counted = {r: _counts(figures, r) for r in ("uphold_rate", "compliance_rate", "remedy_rate")}
    types, years = figures["type"].to_numpy(dtype=object), figures["year"].to_numpy(dtype=object)
    out: list[dict[str, object]] = []
    for t, y in keys:
        rows = member & (types == t) & (years == y)
        for rate, (x, n, ok) in counted.items():
            d = overdispersion(x[rows & ok], n[rows & ok])
            out.append(
                {
                    "type": t,
                    "year": y,
                    "rate": rate.removesuffix("_rate"),
                    "councils": d.councils,
                    "pooled_rate": 100.0 * d.target,
                    "phi": d.phi,
                    "tau2": d.tau2,
                }
            )
    return pd.DataFrame(out, columns=list(DISPERSION_COLUMNS))

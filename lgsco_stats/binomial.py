"""The binomial distribution, vectorised over numpy arrays: probabilities, both tails and
quantiles of X ~ Binomial(n, p) for many (n, p) at once (:mod:`lgsco_stats.statistics` uses
them for the exact test and the funnel limits).

Computed from a log-gamma (exact values below 32, Stirling's series above) rather than imported
from SciPy: ``import scipy.special`` adds ~0.3 s to a command that has already imported pandas
(see ``pyproject.toml``), and the commands that read the store must start within 1.3 times
``import pandas``. The suite checks every function here against SciPy.

Tail sums run only over the terms that matter: within ``6√n + 10`` of x on the side of the
smaller tail (terms further out are below e^-72 of the largest), in blocks of at most ``_BLOCK``
numbers, so a hostile count of a billion costs a fraction of a second and a few megabytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

_BLOCK = 1 << 21  # numbers per block of binomial terms (16 MiB of float64)
_EPS = float(np.finfo(np.float64).eps)
_SMALL = 32
_LOG_FACTORIAL = np.array([math.lgamma(k + 1.0) for k in range(_SMALL)])
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def log_factorial(k: np.ndarray) -> np.ndarray:
    """ln k! for whole numbers k ≥ 0 (floats): exact below 32, Stirling's series above
    (truncation error below 1e-19 there)."""
    k = np.asarray(k, dtype=np.float64)
    out = np.empty(k.shape)
    small = k < _SMALL
    out[small] = _LOG_FACTORIAL[k[small].astype(np.int64)]
    z = k[~small] + 1.0
    inv = 1.0 / z
    inv2 = inv * inv
    series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))))
    out[~small] = (z - 0.5) * np.log(z) - z + _HALF_LOG_2PI + series
    return out


def binomial_pmf(k: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """P(X = k) for X ~ Binomial(n, p), elementwise (arrays broadcast); 0 outside 0..n."""
    k, n, p = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in (k, n, p)))
    inside = (k >= 0) & (k <= n)
    kk = np.where(inside, k, 0.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # 0·ln 0 is 0: p = 0 puts all the mass on k = 0, p = 1 on k = n
        lp = np.where(kk > 0, kk * np.log(p), 0.0)
        lq = np.where(n - kk > 0, (n - kk) * np.log1p(-p), 0.0)
        log_pmf = log_factorial(n) - log_factorial(kk) - log_factorial(n - kk) + lp + lq
        out = np.exp(log_pmf)
    return np.where(inside, out, 0.0)


def _reach(n: np.ndarray) -> np.ndarray:
    """How far from a point the binomial terms still matter (see the module's notes)."""
    return np.ceil(6.0 * np.sqrt(n)) + 10.0


def _blocks(length: np.ndarray) -> Iterator[np.ndarray]:
    """Row indices in blocks whose rows × longest row stays within ``_BLOCK`` (one row at
    least), shortest rows first."""
    order = np.argsort(length, kind="stable")
    start = 0
    while start < len(order):
        rest = order[start:]
        fits = np.arange(1, len(rest) + 1) * length[rest] <= _BLOCK
        end = start + max(1, int(np.argmin(fits)) if not fits.all() else len(rest))
        yield order[start:end]
        start = end


def _terms(
    lo: np.ndarray, hi: np.ndarray, n: np.ndarray, p: np.ndarray
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """For each block of rows: (rows, pmf) with pmf[i, j] = P(X = lo_i + j), 0 past hi_i."""
    length = (hi - lo + 1).astype(np.int64)
    for rows in _blocks(length):
        width = int(length[rows].max())
        j = np.arange(width, dtype=np.float64)
        k = lo[rows, None] + j
        pmf = binomial_pmf(k, n[rows, None], p[rows, None])
        pmf[j >= length[rows, None]] = 0.0
        yield rows, pmf


def binomial_tails(x: np.ndarray, n: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(X ≤ x) and P(X ≥ x) for X ~ Binomial(n, p), elementwise (whole numbers 0 ≤ x ≤ n).

    The smaller tail is summed term by term (so a p-value of 1e-30 keeps its digits); the other
    is ``1 − that + P(X = x)``.
    """
    x, n, p = (np.asarray(a, dtype=np.float64).ravel() for a in np.broadcast_arrays(x, n, p))
    mode = np.clip(np.floor((n + 1.0) * p), 0.0, n)
    below = x <= mode  # the lower tail is the one to sum
    reach = _reach(n)
    lo = np.where(below, np.maximum(0.0, x - reach), x)
    hi = np.where(below, x, np.minimum(n, x + reach))
    summed = np.empty(len(x))
    for rows, pmf in _terms(lo, hi, n, p):
        summed[rows] = pmf.sum(axis=1)
    at = binomial_pmf(x, n, p)
    other = 1.0 - summed + at
    lower = np.clip(np.where(below, summed, other), 0.0, 1.0)
    upper = np.clip(np.where(below, other, summed), 0.0, 1.0)
    return lower, upper


def binomial_quantile(q: float, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """R's ``qbinom(q, n, p)``: the smallest r with P(X ≤ r) ≥ q (with R's 64-epsilon fuzz, so a
    probability that equals q up to rounding counts as reaching it), for 0 < q < 1."""
    n, p = (np.asarray(a, dtype=np.float64).ravel() for a in np.broadcast_arrays(n, p))
    sd = np.sqrt(n * p * (1.0 - p))
    # every quantile between 0.001 and 0.999 lies within 3.1 sd of the mean; the terms below
    # lo add less than e^-72 to P(X ≤ r)
    lo = np.maximum(0.0, np.floor(n * p - 6.0 * sd - 10.0))
    hi = np.minimum(n, np.ceil(n * p + 6.0 * sd + 10.0))
    target = q * (1.0 - 64.0 * _EPS)
    out = np.empty(len(n))
    for rows, pmf in _terms(lo, hi, n, p):
        reached = np.cumsum(pmf, axis=1) >= target
        first = np.argmax(reached, axis=1).astype(np.float64)
        out[rows] = np.where(reached.any(axis=1), lo[rows] + first, hi[rows])
    return out

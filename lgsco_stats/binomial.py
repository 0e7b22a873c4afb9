"""The binomial distribution, vectorised over numpy arrays: probabilities, both tails and
quantiles of X ~ Binomial(n, p) for many (n, p) at once (:mod:`lgsco_stats.statistics` uses
them for the exact test and the funnel limits).

Computed from a log-gamma (exact values below 32, Stirling's series above) rather than imported
from SciPy: ``import scipy.special`` adds ~0.3 s to a command that has already imported pandas
(see ``pyproject.toml``), and the commands that read the store must start within 1.3 times
``import pandas``. The suite checks every function here against SciPy.

Tail sums run only over the terms that matter: within ``6√n + 10`` of x on the side of the
smaller tail (terms further out are below e^-72 of the largest). The terms of all the rows lie
side by side in one array (summed per row with ``np.add.reduceat``), in blocks of at most
``_BLOCK`` numbers, and ln k! comes from a table grown to the largest count met: the 1,149
council-years of a four-year store take about 8 ms for all three rates. A count of a billion
costs 6√n terms, a few megabytes (``statistics.MOST_CASES`` keeps such counts out of the figures'
tests altogether).
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


# ln k! for k below len(_table), grown (to a power of two) to the largest count met, up to
# _TABLE_MOST entries; larger counts use Stirling's series directly
_TABLE_MOST = 1 << 21
_table = _LOG_FACTORIAL


def _ln_factorial(k: np.ndarray) -> np.ndarray:
    """ln k! of whole numbers (int64), from the table."""
    global _table
    top = int(k.max()) if k.size else 0
    if top >= len(_table):
        if top >= _TABLE_MOST:
            return log_factorial(k)
        _table = log_factorial(np.arange(1 << top.bit_length(), dtype=np.float64))
    return _table[k]


def _logs(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ln p and ln(1 − p), with -1e300 for ln 0 (so that 0·ln 0 is 0 and k·ln 0 → exp 0)."""
    log_p = np.full(p.shape, -1e300)
    log_q = np.full(p.shape, -1e300)
    log_p[p > 0] = np.log(p[p > 0])
    log_q[p < 1] = np.log1p(-p[p < 1])
    return log_p, log_q


def _pmf(k: np.ndarray, n: np.ndarray, log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """P(X = k) for whole numbers 0 ≤ k ≤ n (int64 arrays of one shape)."""
    log_pmf = _ln_factorial(n) - _ln_factorial(k) - _ln_factorial(n - k)
    return np.exp(log_pmf + k * log_p + (n - k) * log_q)


def binomial_pmf(k: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """P(X = k) for X ~ Binomial(n, p), elementwise (arrays broadcast; k and n whole numbers);
    0 outside 0..n."""
    k, n, p = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in (k, n, p)))
    inside = (k >= 0) & (k <= n)
    kk, nn = np.where(inside, k, 0).astype(np.int64), n.astype(np.int64)
    log_p, log_q = _logs(p)
    return np.where(inside, _pmf(kk, nn, log_p, log_q), 0.0)


def _reach(n: np.ndarray) -> np.ndarray:
    """How far from a point the binomial terms still matter (see the module's notes)."""
    return np.ceil(6.0 * np.sqrt(n)).astype(np.int64) + 10


def _chunks(length: np.ndarray) -> Iterator[slice]:
    """Consecutive rows whose lengths add up to at most ``_BLOCK`` (one row at least)."""
    ends = np.cumsum(length)
    start = 0
    while start < len(length):
        base = ends[start - 1] if start else 0
        end = max(start + 1, int(np.searchsorted(ends, base + _BLOCK, side="right")))
        yield slice(start, end)
        start = end


def _window_sums(lo: np.ndarray, hi: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """For each row, P(lo ≤ X ≤ hi) summed term by term (int64 lo ≤ hi ≤ n): the terms of all
    rows side by side in one array, summed per row by ``np.add.reduceat``."""
    length = hi - lo + 1
    log_p, log_q = _logs(p)
    out = np.empty(len(lo))
    for rows in _chunks(length):
        ln = length[rows]
        offsets = np.cumsum(ln) - ln
        row = np.repeat(np.arange(len(ln)), ln)
        k = lo[rows][row] + (np.arange(int(ln.sum())) - offsets[row])
        terms = _pmf(k, n[rows][row], log_p[rows][row], log_q[rows][row])
        out[rows] = np.add.reduceat(terms, offsets)
    return out


def _terms(
    lo: np.ndarray, hi: np.ndarray, n: np.ndarray, p: np.ndarray
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """For blocks of rows: (rows, pmf) with pmf[i, j] = P(X = lo_i + j), 0 past hi_i: rows
    padded to the longest of their block, shortest rows first, rows × longest within
    ``_BLOCK`` (for cumulative sums that restart with each row)."""
    length = (hi - lo + 1).astype(np.int64)
    order = np.argsort(length, kind="stable")
    start = 0
    while start < len(order):
        rest = order[start:]
        fits = np.arange(1, len(rest) + 1) * length[rest] <= _BLOCK
        end = start + (len(rest) if fits.all() else max(1, int(np.argmin(fits))))
        rows = order[start:end]
        start = end
        j = np.arange(int(length[rows].max()), dtype=np.float64)
        pmf = binomial_pmf(lo[rows, None] + j, n[rows, None], p[rows, None])
        pmf[j >= length[rows, None]] = 0.0
        yield rows, pmf


def binomial_tails(x: np.ndarray, n: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(X ≤ x) and P(X ≥ x) for X ~ Binomial(n, p), elementwise (whole numbers 0 ≤ x ≤ n).

    The smaller tail is summed term by term (so a p-value of 1e-30 keeps its digits); the other
    is ``1 − that + P(X = x)``.
    """
    x, n, p = (np.asarray(a, dtype=np.float64).ravel() for a in np.broadcast_arrays(x, n, p))
    xi, ni = x.astype(np.int64), n.astype(np.int64)
    mode = np.clip(np.floor((n + 1.0) * p), 0.0, n).astype(np.int64)
    below = xi <= mode  # the lower tail is the one to sum
    reach = _reach(n)
    lo = np.where(below, np.maximum(0, xi - reach), xi)
    hi = np.where(below, xi, np.minimum(ni, xi + reach))
    summed = _window_sums(lo, hi, ni, p)
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

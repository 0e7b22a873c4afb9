"""lgsco-stats: complaint statistics for English councils from Local Government and Social Care
Ombudsman decisions.

The public API is imported lazily (``lgsco_stats.figures_of`` imports pandas on first use), so
that ``lgsco-stats --help`` and commands that do not need pandas start fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "AVERAGES",
    "GROUPS",
    "GROUP_LABELS",
    "Council",
    "DataError",
    "Dataset",
    "LgscoError",
    "NotFound",
    "Register",
    "Store",
    "StoreError",
    "UsageError",
    "add_comparisons",
    "attach",
    "council_figures",
    "counts_of",
    "dispersion_table",
    "exact_p_value",
    "figures_of",
    "format_percent",
    "funnel_data",
    "group_benchmarks",
    "parse_year",
    "percent",
    "read_file",
    "read_files",
    "register",
    "round_half_up",
    "wilson_interval",
    "year_of",
]

_WHERE = {
    "AVERAGES": "figures",
    "GROUPS": "councils",
    "GROUP_LABELS": "councils",
    "Council": "councils",
    "DataError": "errors",
    "Dataset": "read.dataset",
    "LgscoError": "errors",
    "NotFound": "errors",
    "Register": "councils",
    "Store": "store",
    "StoreError": "errors",
    "UsageError": "errors",
    "add_comparisons": "statistics",
    "attach": "counts",
    "council_figures": "figures",
    "counts_of": "counts",
    "dispersion_table": "statistics",
    "exact_p_value": "statistics",
    "figures_of": "figures",
    "format_percent": "rounding",
    "funnel_data": "statistics",
    "group_benchmarks": "figures",
    "parse_year": "years",
    "percent": "rounding",
    "read_file": "read.files",
    "read_files": "read.files",
    "register": "councils",
    "round_half_up": "rounding",
    "wilson_interval": "statistics",
    "year_of": "years",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lgsco_stats' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)

"""The letter's data types: who it goes to (:class:`Contact`), what every letter of a run shares
(:class:`Settings`), and :class:`Fields`, the nested dict a template fills itself from."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

OMBUDSMAN = "Local Government and Social Care Ombudsman"
OMBUDSMAN_HEADING = "Local Government & Social Care Ombudsman"
DEFAULT_JOB_TITLE = "Chief Executive"


@dataclass(frozen=True)
class Contact:
    """Who a council's letter goes to (one row of a contacts file)."""

    name: str
    job_title: str = DEFAULT_JOB_TITLE
    email: str | None = None
    shared_with: tuple[str, ...] = ()  # who else the letter goes to ("Cllr A, Leader")


@dataclass(frozen=True)
class Settings:
    """What every letter of a run shares: its date and who signs it."""

    date: dt.date
    signatory: str | None = None
    signatory_title: str = OMBUDSMAN
    average: str = "mean"


class Fields(dict[str, Any]):
    """A dict of letter fields that knows its own dotted path (``council``, ``stats.uphold``), so
    that a template asking for a field that is not there can be told which one."""

    def __init__(self, path: str, values: Mapping[str, Any]) -> None:
        super().__init__()
        self.path = path
        for key, value in values.items():
            self[key] = _wrap(f"{path}.{key}" if path else key, value)


def _wrap(path: str, value: Any) -> Any:
    if isinstance(value, Fields):
        return value
    if isinstance(value, Mapping):
        return Fields(path, value)
    if isinstance(value, list):
        return [_wrap(f"{path}[{i}]", v) for i, v in enumerate(value)]
    return value


def text_fields(fields: Fields, as_text: Any) -> Fields:
    """The same fields with every text value passed through ``as_text`` (a function of
    :mod:`lgsco_stats.escape`): names and contacts from data become literal text for the kind
    of template that shows them. Numbers, None and the paths stay as they are."""

    def convert(v: Any) -> Any:
        if isinstance(v, str):
            return as_text(v)
        if isinstance(v, Mapping):
            return {k: convert(x) for k, x in v.items()}
        if isinstance(v, list):
            return [convert(x) for x in v]
        return v

    return Fields(fields.path, {k: convert(v) for k, v in fields.items()})


def missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(math.isnan(v))
    except TypeError:
        return str(v) in ("<NA>", "NaT", "nan")


def as_int(v: Any) -> int | None:
    return None if missing(v) else int(v)


def as_float(v: Any) -> float | None:
    return None if missing(v) else float(v)


def flatten(fields: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    """Every leaf field as ``(dotted.path, value)``; lists of records show their first record
    as ``name[0].field`` (and an empty list as itself)."""
    for key, value in fields.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            yield from flatten(value, path)
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            yield path, f"list of {len(value)}"
            yield from flatten(value[0], f"{path}[0]")
        else:
            yield path, value

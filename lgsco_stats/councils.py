"""The register of English councils and how a name in a data file finds its council.

The register (``data/councils.csv``, from mySociety, CC BY 4.0) has every English council since
April 2015 with its GSS code, type, dates, aliases and mid-2020 population (``lgsco-stats
councils`` shows it; per-100k figures use :mod:`lgsco_stats.populations`, one for each year).
This module holds the five comparison groups and the one name matcher: normalise, strip
council-words, look up names and aliases, then pick the council that existed in the year. It
never picks a fuzzy match: a name that matches nothing gets suggestions ("did you mean") and the
caller decides.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from .errors import NotFound, UsageError
from .outcomes import normalise_text
from .years import year_bounds

# The five comparison groups, in the order the Ombudsman names them, and their GSS prefixes.
GROUPS: tuple[str, ...] = ("county", "district", "metropolitan", "unitary", "london_borough")
GROUP_LABELS: dict[str, str] = {
    "county": "County councils",
    "district": "District councils",
    "metropolitan": "Metropolitan boroughs",
    "unitary": "Unitary councils",
    "london_borough": "London boroughs",
}
GROUP_SINGULAR: dict[str, str] = {
    "county": "county council",
    "district": "district council",
    "metropolitan": "metropolitan borough",
    "unitary": "unitary council",
    "london_borough": "London borough",
}
GSS_PREFIX: dict[str, str] = {
    "E10": "county",
    "E07": "district",
    "E08": "metropolitan",
    "E06": "unitary",
    "E09": "london_borough",
}

# Words for a group besides its code, label and singular (``GROUP_LABELS``, ``GROUP_SINGULAR``):
# what users type and what publishers' "Authority type" columns say.
_TYPE_WORDS = {
    "counties": "county",
    "districts": "district",
    "met": "metropolitan",
    "mets": "metropolitan",
    "metropolitan district": "metropolitan",
    "metropolitan districts": "metropolitan",
    "unitaries": "unitary",
    "unitary authority": "unitary",
    "unitary authorities": "unitary",
    "london": "london_borough",
    "london boroughs": "london_borough",
    "london borough council": "london_borough",
    "london borough councils": "london_borough",
}


def lower_label(label: str) -> str:
    """A group label inside a sentence: ``"County councils"`` → ``"county councils"``, but
    ``"London boroughs"`` keeps its capital."""
    return label if label.startswith("London") else label.lower()


@functools.cache
def _group_words() -> dict[str, str]:
    words = {}
    for code in GROUPS:
        for word in (code, GROUP_LABELS[code], GROUP_SINGULAR[code]):
            words[normalise_text(word.replace("_", " "))] = code
        words[normalise_text(GROUP_SINGULAR[code]) + "s"] = code
    return {**words, **_TYPE_WORDS}


def parse_group(text: str) -> str:
    """A group as users write it and as the output shows it (``unitary``, ``London borough``,
    ``London boroughs``, ``County councils``, ``met``) → its code."""
    words = _group_words()
    code = words.get(normalise_text(text.replace("_", " ")))
    if code is None:
        close = difflib.get_close_matches(normalise_text(text), list(words), n=1, cutoff=0.7)
        hint = f"; did you mean {words[close[0]]!r}?" if close else ""
        raise UsageError(f"unknown council type {text!r}; choose one of: {', '.join(GROUPS)}{hint}")
    return code


def group_of_code(gss_code: str) -> str | None:
    """The comparison group a GSS code's prefix gives, or None for other bodies."""
    return GSS_PREFIX.get(gss_code[:3])


@dataclass(frozen=True)
class Council:
    """One row of the register."""

    gss_code: str
    name: str
    short_name: str
    type: str
    start_date: dt.date | None
    end_date: dt.date | None
    aliases: tuple[str, ...]
    population: int | None
    region: str
    replaced_by: tuple[str, ...]
    former_gss_codes: tuple[str, ...]
    mysociety_code: str

    def existed_in(self, year: str) -> bool:
        """Whether the council existed for the whole financial year ``year``."""
        first, last = year_bounds(year)
        if self.start_date is not None and self.start_date > first:
            return False
        return not (self.end_date is not None and self.end_date < last)

    @property
    def current(self) -> bool:
        return self.end_date is None

    @property
    def slug(self) -> str:
        return slugify(self.name)


def slugify(text: str) -> str:
    """``"King’s Lynn & West Norfolk"`` → ``"kings-lynn-and-west-norfolk"``: safe as a file name,
    and one name's alone (the letters' file names and the site's pages both use it).

    Names that differ only in case, punctuation or ``&``/``and`` are one name (one authority
    key); any other two names get two slugs: a name whose normalised form is not plain
    ``a-z0-9`` words (``"Ynys Môn"``, ``"Åland"``), or is empty or longer than 120 characters,
    has its slug (letters without accents) followed by 8 hex digits of a hash of that form,
    so ``"Åland Council"`` and ``"Öland Council"`` no longer both become ``land-council``."""
    s = normalise_text(text)
    plain = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if slug and len(slug) <= 120 and slug.replace("-", " ") == s:
        return slug
    digest = hashlib.sha1(s.encode("utf-8")).hexdigest()[:8]
    return f"{slug[:111].strip('-') or 'council'}-{digest}"


# Words that publishers add to or leave off a council's name. Stripped from both ends of a
# normalised name, repeatedly, so "London Borough of Barking & Dagenham" and "Barking and
# Dagenham Council" meet at "barking and dagenham".
_PREFIXES = (
    "the ",
    "london borough of ",
    "royal borough of ",
    "metropolitan borough of ",
    "borough of ",
    "city of ",
    "city and county of ",
    "county of ",
    "council of the ",
    "council of ",
)
_SUFFIXES = (
    " metropolitan borough council",
    " metropolitan district council",
    " metropolitan council",
    " london borough council",
    " royal borough council",
    " city council",
    " county council",
    " borough council",
    " district council",
    " unitary authority",
    " unitary council",
    " council",
    " corporation",
    " mbc",
    " mdc",
    " lbc",
    " cc",
    " bc",
    " dc",
    " ua",
    " lb",
    " city of",
    " city",
    " borough",
    " district",
)


_ST = re.compile(r"\bst\b")


def name_key(name: str) -> str:
    """The matching key of a name: normalised, council-words stripped from both ends."""
    s = normalise_text(name).replace("st ", "saint ").replace(" upon ", " upon ")
    s = _ST.sub("saint", s)
    changed = True
    # (a pass over the words only when some word is there: most names have none left)
    while changed and s and (s.startswith(_PREFIXES) or s.endswith(_SUFFIXES)):
        changed = False
        for p in _PREFIXES:
            if s.startswith(p) and len(s) > len(p):
                s, changed = s[len(p) :], True
        for suffix in _SUFFIXES:
            if s.endswith(suffix) and len(s) > len(suffix):
                s, changed = s[: -len(suffix)], True
    return s.strip()


def _name_words(name: str) -> list[str]:
    """A name's words for matching whole words (``St`` as ``saint``)."""
    return ["saint" if w == "st" else w for w in normalise_text(name).split()]


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _split(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(";") if x.strip())


class Register:
    """All councils, indexed for lookup by code and by name."""

    def __init__(self, councils: list[Council]) -> None:
        self.councils = councils
        self.by_code: dict[str, Council] = {}
        self._cache: dict[str, list[Council]] = {}
        for c in councils:
            self.by_code[c.gss_code] = c
            for old in c.former_gss_codes:
                self.by_code.setdefault(old, c)

    # The name indexes are built on first use: figures need only the codes, and normalising
    # every name and alias is most of the time it takes to read the register.
    @functools.cached_property
    def _by_exact(self) -> dict[str, list[Council]]:
        index: dict[str, list[Council]] = {}
        for c in self.councils:
            for n in (c.name, *c.aliases):
                bucket = index.setdefault(normalise_text(n), [])
                if c not in bucket:
                    bucket.append(c)
        return index

    @functools.cached_property
    def _by_key(self) -> dict[str, list[Council]]:
        index: dict[str, list[Council]] = {}
        for c in self.councils:
            for n in (c.name, c.short_name, *c.aliases):
                bucket = index.setdefault(name_key(n), [])
                if c not in bucket:
                    bucket.append(c)
        return index

    @classmethod
    def from_csv(cls, path: str | None = None) -> Register:
        """Read a register CSV with the shipped file's columns (default: the shipped file)."""
        if path is None:
            text = resources.files("lgsco_stats.data").joinpath("councils.csv").read_text("utf-8")
        else:
            with open(path, encoding="utf-8-sig") as f:
                text = f.read()
        rows = list(csv.DictReader(text.splitlines()))
        councils = [
            Council(
                gss_code=r["gss_code"],
                name=r["name"],
                short_name=r["short_name"],
                type=r["lgsco_type"],
                start_date=_date(r["start_date"]),
                end_date=_date(r["end_date"]),
                aliases=_split(r["aliases"]),
                population=int(r["population"]) if r["population"] else None,
                region=r["region"],
                replaced_by=_split(r["replaced_by_gss"]),
                former_gss_codes=_split(r["former_gss_codes"]),
                mysociety_code=r["mysociety_code"],
            )
            for r in rows
        ]
        return cls(councils)

    def candidates(self, name: str) -> list[Council]:
        """Every council a name can mean, by code, name or alias (no fuzzy matching)."""
        found = self._cache.get(name)
        if found is None:
            found = self._cache[name] = self._candidates(name)
        return list(found)

    def _candidates(self, name: str) -> list[Council]:
        text = str(name).strip()
        code = text.upper()
        if re.fullmatch(r"E\d{8}", code) and code in self.by_code:
            return [self.by_code[code]]
        # A council's full official name (or a listed alias) means that council, even where a
        # successor shares the short name: "Dorset County Council" is never Dorset Council.
        exact = self._by_exact.get(normalise_text(text))
        if exact:
            return list(exact)
        return list(self._by_key.get(name_key(text), []))

    def resolve(self, name: str, year: str | None = None) -> Council | None:
        """The council a name means in ``year`` (any year when None), or None if it names none.

        Where a name fits several councils (Somerset the county until March 2023, Somerset the
        unitary after), the one that existed in the year wins; with no year, the current one. A
        name of a council abolished before the year still resolves to that council: the caller
        finds it did not exist then and leaves it out of that year's group.
        """
        found = self.candidates(name)
        if len(found) <= 1:
            return found[0] if found else None
        if year is not None:
            alive = [c for c in found if c.existed_in(year)]
            if len(alive) == 1:
                return alive[0]
            if not alive:
                return max(found, key=lambda c: c.end_date or dt.date.max)
        else:
            current = [c for c in found if c.current]
            if len(current) == 1:
                return current[0]
        names = " or ".join(sorted(c.name for c in found))
        raise UsageError(f"{name!r} could mean {names}: use the full name or the GSS code")

    def suggestions(self, name: str, n: int = 3) -> list[str]:
        """Official names of councils whose names are close to ``name`` (for "did you mean"):
        first the few councils all of whose words it names (``Kingston``: Hull and Kingston upon
        Thames), then names spelt nearly like it (``Southhampton``)."""
        key = name_key(name)
        if not key:
            return []
        fits = self.word_matches(name)
        out: list[str] = [c.name for c in fits] if len(fits) <= n else []
        keys = list(self._by_key)
        close = difflib.get_close_matches(key, keys, n=n * 2, cutoff=0.75)
        words = key.split()
        if len(words) > 1:
            # a misspelt council-word at the end ("Southhampton Counsil") hides a close name
            close += difflib.get_close_matches(" ".join(words[:-1]), keys, n=n, cutoff=0.8)
        for k in close:
            for c in self._by_key[k]:
                if c.name not in out:
                    out.append(c.name)
        return out[:n]

    def get(self, name: str, year: str | None = None) -> Council:
        """The council a user means by ``name`` (:meth:`lookup` among councils only): one
        council, or :class:`NotFound` with "did you mean", or a :class:`UsageError` listing the
        councils it could mean."""
        council = self.lookup(name, year)
        assert isinstance(council, Council)  # without bodies, lookup finds councils only
        return council

    @functools.cached_property
    def _words(self) -> list[tuple[Council, frozenset[str]]]:
        return [
            (c, frozenset(w for n in (c.name, c.short_name, *c.aliases) for w in _name_words(n)))
            for c in self.councils
        ]

    def word_matches(self, text: str, year: str | None = None) -> list[Council]:
        """Councils every word of ``text`` is a whole word of (in a name, short name or alias):
        ``scilly`` → the Isles of Scilly, ``kingston`` → Hull and Kingston upon Thames; ``hull``
        never matches Solihull. With a year, the councils that existed in it, if any did."""
        wanted = set(_name_words(text))
        if not wanted:
            return []
        found = [c for c, words in self._words if wanted <= words]
        if year is not None and len(found) > 1:
            alive = [c for c in found if c.existed_in(year)]
            found = alive or found
        return found

    def lookup(
        self, text: str, year: str | None = None, *, bodies: Mapping[str, str] | None = None
    ) -> Council | str:
        """The council a user means by ``text``, the one resolver of every command's
        ``--council``: a GSS code, name, short name or alias (:meth:`resolve`), else a council
        all of whose words it names (:meth:`word_matches`, only when one council fits).

        ``bodies`` maps the keys of bodies outside the register (``name:…``) to their names as
        loaded: a body's name, or its words when only it fits, gives its key. Several councils
        that fit are a :class:`UsageError` listing them; none is :class:`NotFound` with
        "did you mean". Nothing is matched fuzzily ("Hull" never becomes Solihull).
        """
        found = self.resolve(text, year)
        if found is not None:
            return found
        named = dict(bodies or {})
        key = "name:" + normalise_text(text)
        if key in named:
            return key
        wanted = set(_name_words(text))
        fits: list[Council | str] = [*self.word_matches(text, year)]
        if wanted:
            fits += [k for k, n in named.items() if wanted <= set(_name_words(n))]
        if len(fits) == 1:
            return fits[0]
        if fits:
            names = sorted(f.name if isinstance(f, Council) else named[f] for f in fits)
            shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
            raise UsageError(
                f"{text!r} could mean {shown}: use more of the name, or the GSS code",
                hint=f"lgsco-stats councils {text!r} lists them",
            )
        close = self.suggestions(text)
        close += difflib.get_close_matches(text, list(named.values()), n=2, cutoff=0.75)
        msg = f"no council called {text!r}"
        if close:
            msg += f"; did you mean {' or '.join(repr(h) for h in close)}?"
        raise NotFound(msg)

    def search(self, text: str) -> list[Council]:
        """Councils whose name, short name or alias contains ``text`` (for browsing)."""
        needle = normalise_text(text)
        return [
            c
            for c in self.councils
            if any(needle in normalise_text(n) for n in (c.name, c.short_name, *c.aliases))
        ]

    def successors(self, council: Council) -> list[Council]:
        """The councils that replaced an abolished one (none for a council that still exists):
        Bournemouth Borough Council → Bournemouth, Christchurch and Poole Council."""
        return [self.by_code[g] for g in council.replaced_by if g in self.by_code]

    def members(self, group: str, year: str) -> list[Council]:
        """The councils of a group that existed in a year."""
        return [c for c in self.councils if c.type == group and c.existed_in(year)]


@functools.cache
def register() -> Register:
    """The shipped register, read once per process."""
    return Register.from_csv()

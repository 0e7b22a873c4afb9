"""Rendering letter templates: a sandboxed Jinja2 environment with strict undefined fields, the
default templates, and Markdown → HTML.

A template is Markdown (the default, ``letter.md.j2``; any ``*.md.j2``, ``*.md`` or other name)
or HTML (``*.html.j2``, ``*.html``, ``*.htm``). A Markdown letter becomes every format: HTML via
markdown-it (raw HTML in fields is escaped), Word and PDF from the same Markdown. An HTML template
makes HTML letters only.

A field the letter does not have is an error naming the field and the template line, never a
blank in a letter (:class:`TemplateProblem`, a :class:`~lgsco_stats.errors.DataError`).
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from types import CodeType, FrameType, TracebackType
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.sandbox import SandboxedEnvironment

from ..errors import DataError, UsageError
from .fields import Fields, flatten

DEFAULT_TEMPLATE = "letter.md.j2"
MARKDOWN, HTML = "markdown", "html"


class TemplateProblem(DataError):
    """A template that cannot be rendered: a syntax error or an unknown field, with its line."""


class UnknownField(jinja2.UndefinedError):
    """Raised by :class:`_StrictField` with the dotted path of the missing field."""

    def __init__(self, path: str) -> None:
        super().__init__(f"unknown field {path!r}")
        self.path = path


class _StrictField(jinja2.StrictUndefined):
    """StrictUndefined that says which field is missing, with its full dotted path."""

    __slots__ = ()

    def _path(self) -> str:
        obj, name = self._undefined_obj, self._undefined_name
        if isinstance(obj, Fields) and obj.path:
            return f"{obj.path}.{name}"
        return str(name) if name is not None else "?"

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
        raise UnknownField(self._path())

    __iter__ = __str__ = __len__ = _fail_with_undefined_error
    __eq__ = __ne__ = __bool__ = __hash__ = _fail_with_undefined_error
    __contains__ = _fail_with_undefined_error


def template_kind(name: str) -> str:
    """``"html"`` for ``*.html.j2``, ``*.html``, ``*.htm`` (and ``.htm.j2``); else Markdown."""
    n = name.lower().removesuffix(".j2").removesuffix(".jinja").removesuffix(".jinja2")
    return HTML if n.endswith((".html", ".htm")) else MARKDOWN


# Limits on rendering one letter (a template is the user's, or a colleague's): its text (a real
# letter is about 10,000 characters), its time, and the widths and counts a template may ask of
# a string (``center``, ``indent``, ``ljust``, ``"%999999999d"``, ``"A" * 10**10``) before the
# string is made. Jinja2's sandbox already limits ``range()`` to 100,000 numbers.
MAX_LETTER_CHARS = 2_000_000
MAX_RENDER_SECONDS = 10.0
MAX_TEMPLATE_BYTES = 1 << 20
MAX_SIZE = 100_000
_WIDTH = re.compile(r"\d{6,}")


def _too_big(what: str, n: int, limit: int = MAX_SIZE) -> SecurityError:
    return SecurityError(f"{what} of {n:,} is more than a letter needs (the limit is {limit:,})")


def _check_widths(text: object) -> None:
    """A format string (``%`` or ``str.format``) whose widths would make a huge string."""
    if isinstance(text, str):
        for m in _WIDTH.finditer(text):
            if int(m.group()) > MAX_SIZE:
                raise _too_big("a width in a format", int(m.group()))


def _length(v: object) -> int | None:
    return len(v) if isinstance(v, str | bytes | list | tuple) else None


class _LetterSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, with the operators and string methods that can make a huge value in one
    step checked before they run."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                size = _length(seq)
                if size is not None and isinstance(n, int) and size * n > MAX_LETTER_CHARS:
                    raise _too_big("a repetition", size * n, MAX_LETTER_CHARS)
        elif operator == "**":
            if isinstance(right, int) and isinstance(left, int) and abs(right) > 1_000:
                raise _too_big("a power", right)
        elif operator == "%":
            _check_widths(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        # str.format comes wrapped by the sandbox (the method is __wrapped__)
        method = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str | bytes | list | tuple):
            sizes = (*args, *kwargs.values())
            if getattr(method, "__name__", "") in ("format", "format_map"):
                _check_widths(owner)
                sizes = ()  # the values formatted are not sizes
            for a in sizes:
                if isinstance(a, int) and a > MAX_SIZE:
                    raise _too_big(f"an argument to {getattr(method, '__name__', 'a method')}", a)
        return super().call(__context, __obj, *args, **kwargs)


def _bounded(name: str, f: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose size arguments (widths, lengths, counts) are checked first."""

    @functools.wraps(f)
    def check(*given: Any, **kwargs: Any) -> Any:
        # filters that take the environment or evaluation context get it first
        args = [a for a in given if not isinstance(a, jinja2.Environment | EvalContext)]
        rest = [*args[1:], *kwargs.values()]
        if name == "format":
            _check_widths(args[0] if args else None)
        if name == "replace" and len(args) >= 3:
            value, old, new = (str(a) for a in args[:3])
            if old and len(value) + value.count(old) * (len(new) - len(old)) > MAX_LETTER_CHARS:
                grown = len(value) + value.count(old) * (len(new) - len(old))
                raise _too_big("a replacement", grown, MAX_LETTER_CHARS)
        for a in rest:
            if isinstance(a, int) and not isinstance(a, bool) and a > MAX_SIZE:
                raise _too_big(f"an argument to {name}", a)
        return f(*given, **kwargs)

    return check


def _environment(autoescape: bool) -> SandboxedEnvironment:
    env = _LetterSandbox(
        undefined=_StrictField,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    for name in ("batch", "center", "format", "indent", "replace", "slice", "truncate"):
        env.filters[name] = _bounded(name, env.filters[name])
    env.filters["wordwrap"] = _bounded("wordwrap", env.filters["wordwrap"])
    env.globals.pop("lipsum", None)  # paragraphs of filler text: no letter needs it
    return env


class _TooLong(Exception):
    """Raised inside a render that has run past :data:`MAX_RENDER_SECONDS`."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Stop what runs inside after ``seconds`` (a timer signal; only in the main thread of a
    system that has one: elsewhere the letter's size limit still holds)."""
    main = threading.current_thread() is threading.main_thread()
    if not hasattr(signal, "setitimer") or not main:
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise _TooLong

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _line_of(tb: TracebackType | None, name: str) -> int | None:
    """The template line of a rendering error: the last traceback frame in the template."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


class LetterTemplate:
    """A compiled letter template (compile once, render for every council)."""

    def __init__(self, source: str, name: str, kind: str | None = None) -> None:
        self.name = name
        self.kind = kind or template_kind(name)
        env = _environment(self.kind == HTML)
        try:
            code = _compiled(env, source, self.kind)
        except jinja2.TemplateSyntaxError as e:
            raise TemplateProblem(f"{name}, line {e.lineno}: {e.message}") from None
        # what from_string does once it has the code
        self._template = env.template_class.from_code(env, code, env.make_globals(None), None)
        # from_string names the code "<template>"; tracebacks use this name for the line.
        self._code_name = "<template>"

    @classmethod
    def from_file(cls, path: str | Path) -> LetterTemplate:
        p = Path(path)
        try:
            if p.stat().st_size > MAX_TEMPLATE_BYTES:
                raise DataError(
                    f"{p}: refused: a template of {p.stat().st_size:,} bytes (a letter's is a "
                    f"few thousand; the limit is {MAX_TEMPLATE_BYTES:,})"
                )
            source = p.read_text(encoding="utf-8-sig")
        except OSError as e:
            raise UsageError(f"cannot read the template {p}: {e.strerror}") from None
        except UnicodeDecodeError:
            raise DataError(f"{p}: a template must be UTF-8 text") from None
        return cls(source, p.name)

    @classmethod
    def default(cls) -> LetterTemplate:
        return _default_template()

    def render(self, fields: Mapping[str, Any]) -> str:
        """The letter's text; a missing field or a failing expression is a
        :class:`TemplateProblem` with the template line."""
        try:
            return self._render(fields)
        except _TooLong:
            raise TemplateProblem(
                f"{self.name}: rendering one letter took longer than {MAX_RENDER_SECONDS:g} "
                "seconds (a loop without end?)"
            ) from None
        except RecursionError:
            raise TemplateProblem(
                f"{self.name}: a macro or include calls itself without end (recursion too deep)"
            ) from None
        except SecurityError as e:
            line = _line_of(e.__traceback__, self._code_name)
            raise TemplateProblem(f"{self.name}, line {line}: {e}") from None
        except UnknownField as e:
            line = _line_of(e.__traceback__, self._code_name)
            known = [p for p, _ in flatten(fields)]
            close = difflib.get_close_matches(e.path, known, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise TemplateProblem(
                f"{self.name}, line {line}: unknown field {e.path!r}{hint} "
                "(lgsco-stats letter --fields lists them)"
            ) from None
        except jinja2.TemplateError as e:
            line = _line_of(e.__traceback__, self._code_name)
            raise TemplateProblem(f"{self.name}, line {line}: {e}") from None
        except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, IndexError) as e:
            line = _line_of(e.__traceback__, self._code_name)
            raise TemplateProblem(f"{self.name}, line {line}: {type(e).__name__}: {e}") from None
        except MemoryError:
            problem = f"{self.name}: the letter needs more memory than there is"
            raise TemplateProblem(problem) from None

    def _render(self, fields: Mapping[str, Any]) -> str:
        """The letter's text, piece by piece, stopped once past :data:`MAX_LETTER_CHARS` or
        :data:`MAX_RENDER_SECONDS`."""
        parts: list[str] = []
        size = 0
        end = time.monotonic() + MAX_RENDER_SECONDS
        with _deadline(MAX_RENDER_SECONDS):
            for part in self._template.generate(fields):
                parts.append(part)
                size += len(part)
                if size > MAX_LETTER_CHARS:
                    raise TemplateProblem(
                        f"{self.name}: one letter grew past {MAX_LETTER_CHARS:,} characters "
                        "(a real one is about 10,000; a loop without end?)"
                    )
                if time.monotonic() > end:
                    raise _TooLong
        return "".join(parts)


# Compiling a template is most of a single letter's start-up (the default template takes Jinja2
# 25-70 ms); the compiled code is kept in the user's cache folder, keyed by everything it
# depends on, as Python keeps its own in __pycache__. LGSCO_STATS_CACHE names another folder
# ("" for none).
CACHE_ENV = "LGSCO_STATS_CACHE"


def cache_dir() -> Path | None:
    """Where compiled templates are kept: ``$LGSCO_STATS_CACHE`` or the user cache folder."""
    if CACHE_ENV in os.environ:
        return Path(os.environ[CACHE_ENV]) if os.environ[CACHE_ENV] else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("lgsco-stats", appauthor=False))


def _compiled(env: SandboxedEnvironment, source: str, kind: str) -> CodeType:
    """The template's code object: from the cache when it was compiled there from this very
    source, by this Jinja2 and this Python, with this environment; else compiled (a syntax
    error raises ``TemplateSyntaxError``) and kept for next time, if the cache can be
    written. A cache file that cannot be read is compiled again."""
    import hashlib
    import marshal

    # (this module's own text stands for the environment it makes: trimming, escaping, limits)
    here = Path(__file__).read_text("utf-8")
    key = "\0".join((jinja2.__version__, sys.version, kind, here, source))
    key_bytes = key.encode("utf-8", "surrogatepass")
    folder = cache_dir()
    path = folder / f"template-{hashlib.sha256(key_bytes).hexdigest()[:32]}.bin" if folder else None
    if path is not None:
        try:
            code = marshal.loads(path.read_bytes())
            if isinstance(code, CodeType):
                return code
        except (OSError, ValueError, EOFError, TypeError):
            pass
    code = env.compile(source)
    if path is not None:
        try:
            from ..output import write_atomic

            write_atomic(path, marshal.dumps(code))
        except Exception:  # a cache that cannot be written only costs the next compile
            pass
    return code


def _resource(name: str) -> str:
    return resources.files("lgsco_stats.letters").joinpath("templates", name).read_text("utf-8")


@functools.cache
def _default_template() -> LetterTemplate:
    return LetterTemplate(_resource(DEFAULT_TEMPLATE), DEFAULT_TEMPLATE)


@functools.cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def markdown_tokens(text: str) -> list[Any]:
    """markdown-it tokens of a letter (CommonMark with tables; raw HTML not allowed)."""
    return list(_markdown().parse(text))


def table_cells(tokens: list[Any], start: int) -> tuple[list[list[Any]], list[bool], int, int]:
    """The table whose ``table_open`` token is at ``start``: its rows of ``inline`` tokens, which
    columns are right-aligned, how many header rows it has, and the index after its end."""
    rows: list[list[Any]] = []
    right: list[bool] = []
    header_rows, in_head = 0, False
    i = start + 1
    while tokens[i].type != "table_close":
        t = tokens[i]
        if t.type == "thead_open":
            in_head = True
        elif t.type == "thead_close":
            in_head = False
        elif t.type == "tr_open":
            rows.append([])
            header_rows += in_head
        elif t.type in ("th_open", "td_open") and len(rows) == 1:
            right.append("right" in (t.attrGet("style") or ""))
        elif t.type == "inline":
            rows[-1].append(t)
        i += 1
    return rows, right, header_rows, i + 1


# How letters close: the paragraph that starts the signature block, which Word and PDF keep on
# one page with the name and titles below it, after a space for a handwritten signature.
_CLOSING = re.compile(
    r"^(yours (sincerely|faithfully|truly)|kind regards|best regards|regards|best wishes|"
    r"with best wishes|with kind regards|many thanks)\b[\s,.]*$",
    re.IGNORECASE,
)


def closing_at(tokens: list[Any]) -> int | None:
    """The index of the ``paragraph_open`` token of a letter's closing ("Yours sincerely"):
    the last paragraph that is only a sign-off; None for a letter without one. What follows
    it (the signatory's name and titles, who the letter is shared with) is the signature
    block."""
    found = None
    for i, t in enumerate(tokens[:-1]):
        if t.type == "paragraph_open" and _CLOSING.match(tokens[i + 1].content.strip()):
            found = i
    return found


def markdown_to_html(text: str) -> str:
    """The HTML of a Markdown letter's body; the closing and the paragraphs after it carry the
    classes ``closing`` and ``signature`` (the page keeps them together, with room to sign)."""
    md = _markdown()
    tokens = md.parse(text)
    at = closing_at(tokens)
    if at is not None:
        tokens[at].attrSet("class", "closing")
        for t in tokens[at + 1 :]:
            if t.type == "paragraph_open":
                t.attrSet("class", "signature")
    return str(md.renderer.render(tokens, md.options, {}))


@functools.cache
def _page() -> tuple[jinja2.Template, str]:
    env = _environment(True)
    return env.from_string(_resource("letter.html.j2")), _resource("letter.css")


def html_page(markdown_text: str, title: str) -> str:
    """A self-contained HTML page (inline CSS, A4 print layout) around a Markdown letter."""
    from markupsafe import Markup

    page, css = _page()
    return page.render(title=title, css=Markup(css), body=Markup(markdown_to_html(markdown_text)))

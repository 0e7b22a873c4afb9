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

import difflib
import functools
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
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


def _environment(autoescape: bool) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        undefined=_StrictField,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


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
            self._template = env.from_string(source)
        except jinja2.TemplateSyntaxError as e:
            raise TemplateProblem(f"{name}, line {e.lineno}: {e.message}") from None
        # from_string names the code "<template>"; tracebacks use this name for the line.
        self._code_name = "<template>"

    @classmethod
    def from_file(cls, path: str | Path) -> LetterTemplate:
        p = Path(path)
        try:
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
            return self._template.render(fields)
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

"""The 新旧対照表 as an HTML page (Jinja2 templates in reports/templates)."""

from __future__ import annotations

from functools import lru_cache

import jinja2
from markupsafe import Markup

from pipeline.model import Comparison
from pipeline.names import display_name, url_path

from .safetext import map_text, visible
from .view import ReportConfig, build_view


def strict_environment(package: str) -> jinja2.Environment:
    """A package's templates; autoescaped, strict: text from a PDF is data, never markup."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The report templates (package data of ``reports``)."""
    env = strict_environment("reports")
    env.filters["urlpath"] = url_path  # links from file names: percent-encoded, never a scheme
    env.filters["shown"] = lambda name: visible(display_name(name))  # names not UTF-8, or holding control or bidi characters
    return env


def css_string(text: str) -> Markup:
    r"""Text as a quoted CSS string (for @page margin boxes); every character but letters, digits and a few marks escaped.

    >>> print(css_string('a"b</style>'))
    "a\22 b\3c \2f style\3e "
    """
    out = "".join(ch if ch.isalnum() or ch in " 　・（）()、。－-" else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{out}"')


def comparison_html(comparison: Comparison, config: ReportConfig | None = None) -> str:
    """A self-contained page: summary, legend, view switches and the side-by-side table; A4 landscape in print."""
    view = map_text(build_view(comparison, config), visible)  # bidi overrides, zero-width characters shown, not obeyed
    return (
        environment()
        .get_template("report.html")
        .render(
            title=view.title,
            view=view,
            columns=view.columns,
            headers=view.headers,
            statuses=list(view.wording.status_ja.items()),
            status_ja=view.wording.status_ja,
            print_title=css_string(view.title),
        )
    )

"""The 新旧対照表 as an HTML page (Jinja2 templates in reports/templates)."""

from __future__ import annotations

from functools import lru_cache

import jinja2

from pipeline.model import Comparison
from pipeline.names import display_name, url_path

from .safetext import map_text, visible
from .view import ReportConfig, build_view


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Templates are package data; autoescaped, strict: text from a PDF is data, never markup."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["urlpath"] = url_path  # links from file names: percent-encoded, never a scheme
    env.filters["shown"] = lambda name: visible(display_name(name))  # names not UTF-8, or holding control or bidi characters
    return env


def comparison_html(comparison: Comparison, config: ReportConfig | None = None) -> str:
    """A self-contained page: summary, view switches and the side-by-side table; A4 landscape in print."""
    view = map_text(build_view(comparison, config), visible)  # bidi overrides, zero-width characters shown, not obeyed
    columns = ["old", "new"] if view.config.old_left else ["new", "old"]
    if view.config.remarks:
        columns.append("remarks")
    headers = {"new": view.new_label, "old": view.old_label, "remarks": "備考"}
    return (
        environment()
        .get_template("report.html")
        .render(
            title=view.title,
            view=view,
            columns=columns,
            headers=headers,
            statuses=list(view.wording.status_ja.items()),
            status_ja=view.wording.status_ja,
        )
    )

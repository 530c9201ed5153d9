"""One office's history as one HTML page: items year by year, KPI series with inline SVG charts, budget lines."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from pipeline.model import History, Series

from .frames import parse_number
from .html import environment
from .matrix_view import block_text
from .safetext import map_text, visible

_W, _H, _PAD = 360, 130, 28


def series_numbers(s: Series) -> list[float | None]:
    """The series' figures as numbers (None where absent or not a single figure)."""
    return [parse_number(v) if v else None for v in s.values]


def svg_chart(years: Sequence[str], values: Sequence[float | None], unit: str) -> Markup:
    """A small line chart (inline SVG, no script, no network) of one series; empty when nothing is numeric."""
    points = [(k, v) for k, v in enumerate(values) if v is not None]
    if not points:
        return Markup("")
    lo, hi = min(v for _, v in points), max(v for _, v in points)
    span = (hi - lo) or max(abs(hi), 1.0)
    lo, hi = lo - span * 0.15, hi + span * 0.15
    step = (_W - 2 * _PAD) / max(len(years) - 1, 1)

    def xy(k: int, v: float) -> tuple[float, float]:
        return _PAD + k * step, _H - _PAD - (v - lo) / (hi - lo) * (_H - 2 * _PAD)

    coords = [xy(k, v) for k, v in points]
    parts = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" viewBox="0 0 {_W} {_H}" role="img">']
    parts.append(f'<line x1="{_PAD}" y1="{_H - _PAD}" x2="{_W - _PAD}" y2="{_H - _PAD}" stroke="#999"/>')
    for k, year in enumerate(years):
        parts.append(f'<text x="{_PAD + k * step:.1f}" y="{_H - 8}" font-size="10" text-anchor="middle">{escape(year)}</text>')
    parts.append(
        '<polyline fill="none" stroke="#1f4e9c" stroke-width="2" points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords) + '"/>'
    )
    for (x, y), (_, v) in zip(coords, points, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1f4e9c"/>')
        parts.append(f'<text x="{x:.1f}" y="{y - 7:.1f}" font-size="10" text-anchor="middle">{v:g}{escape(unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def history_html(h: History, *, title: str | None = None) -> str:
    h = map_text(h, visible)  # bidi overrides, zero-width characters shown, not obeyed
    org = h.documents[-1].organisation if h.documents else ""
    return (
        environment()
        .get_template("history.html")
        .render(
            title=title or f"{org} 事業計画の推移（{h.years[0]}〜{h.years[-1]}）",
            h=h,
            block_text=block_text,
            charts=[svg_chart(h.years, series_numbers(s), s.unit) for s in h.kpis],
        )
    )

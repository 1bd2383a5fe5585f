"""Accessible charts as server-side SVG strings: data in, markup out, no Flask and no JavaScript.

Each chart is an ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>``; every bar also
carries a ``<title>`` with its exact value. Pages pair each chart with a data table as text fallback.
All text is escaped here, so callers may mark the result safe.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

WIDTH = 640
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 200
PLOT_HEIGHT = 160


def _id(chart_id: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", chart_id.lower()) or "chart"


def _open(chart_id: str, title: str, desc: str, height: int) -> str:
    cid = _id(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{cid}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{cid}-title">{escape(title)}</title><desc id="{cid}-desc">{escape(desc)}</desc>'
    )


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def bar_chart(
    chart_id: str, title: str, desc: str, bars: Sequence[tuple[str, float]],
    *, marked: Sequence[bool] = (), unit: str = "",
) -> str:
    """Draw horizontal bars, one per (label, value); ``marked`` bars (e.g. the right answer) get a class."""
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP) + GAP
    top = max((value for _, value in bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 60
    parts = [_open(chart_id, title, desc, height)]
    for index, (label, value) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(room * value / top, 1)
        css = "bar marked" if index < len(marked) and marked[index] else "bar"
        shown = f"{_number(value)}{unit}"
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<g class="row"><text class="label" x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT * 0.7}" '
            f'text-anchor="end">{escape(short)}</text>'
            f'<rect class="{css}" x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}">'
            f"<title>{escape(label)}: {escape(shown)}</title></rect>"
            f'<text class="value" x="{LABEL_WIDTH + length + 6}" y="{y + BAR_HEIGHT * 0.7}">{escape(shown)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    chart_id: str, title: str, desc: str, labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]], *, every: int = 1,
) -> str:
    """Draw vertical columns per label; later series are drawn over earlier ones (e.g. correct over all)."""
    height = PLOT_HEIGHT + 60
    top = max((v for _, values in series for v in values), default=0) or 1
    step = (WIDTH - 40) / max(1, len(labels))
    parts = [_open(chart_id, title, desc, height)]
    parts.append(f'<line class="axis" x1="30" y1="{PLOT_HEIGHT + 10}" x2="{WIDTH - 10}" y2="{PLOT_HEIGHT + 10}"/>')
    parts.append(f'<text class="value" x="26" y="20" text-anchor="end">{_number(top)}</text>')
    for number, (name, values) in enumerate(series):
        for index, value in enumerate(values):
            bar = round(PLOT_HEIGHT * value / top, 1)
            x = round(34 + index * step, 1)
            parts.append(
                f'<rect class="col s{number}" x="{x}" y="{PLOT_HEIGHT + 10 - bar}" width="{round(step * 0.8, 1)}" '
                f'height="{bar}"><title>{escape(labels[index])}: {_number(value)} {escape(name)}</title></rect>'
            )
    for index, label in enumerate(labels):
        if index % max(1, every) == 0:
            x = round(34 + index * step + step * 0.4, 1)
            y = PLOT_HEIGHT + 28
            parts.append(f'<text class="tick" x="{x}" y="{y}" text-anchor="middle">{escape(label)}</text>')
    for number, (name, _values) in enumerate(series):
        x = 34 + number * 160
        parts.append(
            f'<rect class="col s{number}" x="{x}" y="{PLOT_HEIGHT + 40}" width="12" height="12"/>'
            f'<text class="legend" x="{x + 18}" y="{PLOT_HEIGHT + 50}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

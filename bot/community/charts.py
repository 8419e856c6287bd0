"""Charts as inline SVG drawn on the server: no script, nothing fetched.

Each chart is an image to assistive technology (`role="img"`, named by its `<title>` and
described by its `<desc>`), its series are told apart without colour (fill patterns, line
dashes, marker shapes and labels written on the chart), and every colour keeps at least
3:1 against white. Pages show the same numbers in a table beside each chart: the table is
the accessible source, the chart is the quick read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Okabe-Ito hues (colour-blind safe), darkened where needed to reach 3:1 on white.
PALETTE = ("#0072B2", "#D55E00", "#007A5A", "#7B3294", "#6B6B6B")
TEXT = "#1b1b1b"
MUTED = "#505a5f"  # 7:1 on white
GRID = "#d8dcdf"
TARGET = "#1b1b1b"
DASHES = ("", "7 4", "2 3", "10 3 2 3", "4 4")
_CHART_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_FONT = 'font-family="inherit" font-size="12"'
_SMALL = 'font-family="inherit" font-size="11"'


@dataclass(frozen=True)
class Series:
    """One named row of values, one per label; None where there is nothing to show."""

    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class _Frame:
    """The plotting area inside the SVG and the value axis's ticks (from 0 up)."""

    left: float
    top: float
    right: float
    bottom: float
    ticks: tuple[float, ...]

    def y(self, value: float) -> float:
        return self.bottom - (value / self.ticks[-1]) * (self.bottom - self.top)


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    y_max: float | None = None,
    width: int = 720,
    height: int = 300,
) -> Markup:
    """Vertical bars, one per label. Several series are stacked, the first at the bottom,
    each with its own colour and fill pattern and a legend; each bar's total is written
    above it when there is room. `y_max` fixes the top of the scale (e.g. 100 for %)."""
    _check(chart_id, labels, series)
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    legend = len(series) > 1
    ticks = _ticks(max(totals, default=0), y_max)
    frame = _Frame(48, 44 if legend else 20, width - 12, height - 40, ticks)
    out = _open(chart_id, title, description, width, height)
    out.append("<defs>" + "".join(_pattern(chart_id, i) for i in range(len(series))) + "</defs>")
    out += _y_axis(frame, unit)
    slot = (frame.right - frame.left) / max(len(labels), 1)
    bar = max(slot * 0.72, 1.0)
    for i, label in enumerate(labels):
        x = frame.left + i * slot + (slot - bar) / 2
        base = 0.0
        for n, s in enumerate(series):
            value = s.values[i] or 0
            if value <= 0:
                continue
            top, bottom = frame.y(base + value), frame.y(base)
            tip = (
                f"{label}: {s.name} {_number(value)}{unit}"
                if legend
                else f"{label}: {_number(value)}{unit}"
            )
            out.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar:.1f}" height="{bottom - top:.1f}" '
                f'fill="url(#{chart_id}-p{n})" stroke="#ffffff" stroke-width="1">'
                f"<title>{escape(tip)}</title></rect>"
            )
            base += value
        if bar >= 16:
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{frame.y(base) - 4:.1f}" text-anchor="middle" '
                f'{_SMALL} fill="{TEXT}">{escape(_number(totals[i]))}</text>'
            )
    out += _x_axis(frame, labels)
    if legend:
        out += _legend(chart_id, series, frame)
    out.append("</svg>")
    return Markup("".join(out))


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    target: float | None = None,
    target_label: str = "Target",
    y_max: float | None = None,
    unit: str = "",
    width: int = 720,
    height: int = 300,
) -> Markup:
    """Lines over the labels, each with its own dash and marker shape and its name and
    last value written at its end; a missing value breaks the line. `target` draws a
    dashed horizontal line labelled `target_label`."""
    _check(chart_id, labels, series)
    values = [v for s in series for v in s.values if v is not None]
    ticks = _ticks(max([*values, target or 0], default=0), y_max)
    frame = _Frame(48, 20, width - 150, height - 40, ticks)
    out = _open(chart_id, title, description, width, height)
    out += _y_axis(frame, unit)
    slot = (frame.right - frame.left) / max(len(labels), 1)

    def x_of(i: int) -> float:
        return frame.left + i * slot + slot / 2

    ends: list[tuple[float, str, str]] = []  # (y, text, colour) of the labels at the right
    if target is not None:
        y = frame.y(target)
        out.append(
            f'<line x1="{frame.left}" y1="{y:.1f}" x2="{frame.right}" y2="{y:.1f}" '
            f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="8 5"/>'
        )
        ends.append((y, f"{target_label} {_number(target)}{unit}", TARGET))
    for n, s in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        points = [(x_of(i), frame.y(v), v) for i, v in enumerate(s.values) if v is not None]
        dash = DASHES[n % len(DASHES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        for run in _runs(s.values):
            if len(run) < 2:
                continue  # a lone value is shown by its marker alone
            path = " ".join(f"{x_of(i):.1f},{frame.y(s.values[i] or 0):.1f}" for i in run)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dashed}/>'
            )
        for i, v in enumerate(s.values):
            if v is not None:
                tip = f"{labels[i]}: {s.name} {_number(v)}{unit}"
                out.append(_marker(n, x_of(i), frame.y(v), colour, tip))
        if points:
            ends.append((points[-1][1], f"{s.name} {_number(points[-1][2])}{unit}", colour))
    for y, text, colour in _spread(ends, frame):
        out.append(
            f'<text x="{frame.right + 8}" y="{y + 4:.1f}" {_FONT} fill="{_darker(colour)}">'
            f"{escape(text)}</text>"
        )
    out += _x_axis(frame, labels)
    out.append("</svg>")
    return Markup("".join(out))


def _check(chart_id: str, labels: Sequence[str], series: Sequence[Series]) -> None:
    if not _CHART_ID.match(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be a valid HTML id")
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(
                f"series {s.name!r} has {len(s.values)} values for {len(labels)} labels"
            )


def _open(chart_id: str, title: str, description: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'focusable="false" id="{chart_id}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
    ]


def _ticks(top: float, fixed: float | None) -> tuple[float, ...]:
    """The value axis: four equal steps up to `fixed`, else steps of 1, 2 or 5 times a power
    of ten (never below 1: the charts count reports or give percentages) to reach `top`."""
    if fixed is not None:
        return tuple(fixed * k / 4 for k in range(5))
    top = max(top, 1.0)
    power = 10 ** math.floor(math.log10(top / 4)) if top >= 4 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= top / 4)
    return tuple(float(step * k) for k in range(math.ceil(top / step) + 1))


def _y_axis(frame: _Frame, unit: str) -> list[str]:
    out = []
    for k, value in enumerate(frame.ticks):
        y = frame.y(value)
        out.append(
            f'<line x1="{frame.left}" y1="{y:.1f}" x2="{frame.right}" y2="{y:.1f}" '
            f'stroke="{GRID if k else MUTED}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end" {_FONT} '
            f'fill="{MUTED}">{escape(_number(value))}{escape(unit)}</text>'
        )
    return out


def _x_axis(frame: _Frame, labels: Sequence[str]) -> list[str]:
    """The labels under the plot, thinned so they never overlap (about 64 px each)."""
    slot = (frame.right - frame.left) / max(len(labels), 1)
    every = max(1, math.ceil(64 / slot))
    out = []
    for i in range(0, len(labels), every):
        x = frame.left + i * slot + slot / 2
        out.append(
            f'<text x="{x:.1f}" y="{frame.bottom + 18}" text-anchor="middle" {_FONT} '
            f'fill="{MUTED}">{escape(labels[i])}</text>'
        )
    return out


def _pattern(chart_id: str, n: int) -> str:
    """A fill for series `n`: solid, stripes, dots, cross-hatch or bands, on its colour."""
    colour = PALETTE[n % len(PALETTE)]
    marks = (
        "",
        '<path d="M0 6 L6 0 M-1 1 L1 -1 M5 7 L7 5" stroke="#ffffff" stroke-width="1.6"/>',
        '<circle cx="3" cy="3" r="1.4" fill="#ffffff"/>',
        '<path d="M0 0 L6 6 M6 0 L0 6" stroke="#ffffff" stroke-width="1.2"/>',
        '<path d="M0 3 H6" stroke="#ffffff" stroke-width="1.6"/>',
    )[n % 5]
    return (
        f'<pattern id="{chart_id}-p{n}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{colour}"/>{marks}</pattern>'
    )


def _legend(chart_id: str, series: Sequence[Series], frame: _Frame) -> list[str]:
    out, x = [], frame.left
    for n, s in enumerate(series):
        out.append(
            f'<rect x="{x:.1f}" y="8" width="18" height="18" fill="url(#{chart_id}-p{n})" '
            f'stroke="{MUTED}" stroke-width="1"/>'
            f'<text x="{x + 24:.1f}" y="21" {_FONT} fill="{TEXT}">{escape(s.name)}</text>'
        )
        x += 24 + 7.5 * len(s.name) + 20
    return out


def _marker(n: int, x: float, y: float, colour: str, tip: str) -> str:
    """Circle, square, triangle, diamond: a series is known by its marker's shape too."""
    shape = n % 4
    if shape == 0:
        tag, geometry = "circle", f'cx="{x:.1f}" cy="{y:.1f}" r="4"'
    elif shape == 1:
        tag, geometry = "rect", f'x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8"'
    elif shape == 2:
        tag, geometry = "path", f'd="M{x:.1f} {y - 5:.1f} l5 9 h-10 Z"'
    else:
        tag, geometry = "path", f'd="M{x:.1f} {y - 5:.1f} l5 5 l-5 5 l-5 -5 Z"'
    return (
        f'<{tag} {geometry} fill="{colour}" stroke="#ffffff" stroke-width="1">'
        f"<title>{escape(tip)}</title></{tag}>"
    )


def _runs(values: Sequence[float | None]) -> list[list[int]]:
    """Indexes of the unbroken stretches of values, so a gap breaks the line."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, v in enumerate(values):
        if v is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(i)
    if current:
        runs.append(current)
    return runs


def _spread(ends: list[tuple[float, str, str]], frame: _Frame) -> list[tuple[float, str, str]]:
    """End labels moved apart vertically (14 px at least) so none overlaps another."""
    placed: list[tuple[float, str, str]] = []
    for y, text, colour in sorted(ends):
        y = max(y, placed[-1][0] + 14) if placed else y
        placed.append((min(y, frame.bottom + 10), text, colour))
    return placed


def _darker(colour: str) -> str:
    """Text in a series' colour must read as text (4.5:1): the vermillion is too light."""
    return "#B34700" if colour == "#D55E00" else colour


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"

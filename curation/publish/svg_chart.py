"""Bar charts as inline SVG text, for the build report: no plotting library, no script.

Hand-written rather than drawn with a plotting library because none is in
``requirements.lock`` and the report must be the same bytes on every machine:
every coordinate here is an integer computed from the counts, every label goes
through :func:`html.escape`, and nothing reads a font, a clock or a locale.

>>> svg = bar_chart("Records per language", [("en", 3), ("zh", 1)])
>>> svg.count('<rect class="bar')
2
>>> 'width="400"' in svg  # the longest bar spans the whole plot width
True
"""

from __future__ import annotations

import html
from collections.abc import Sequence

# Layout, in SVG user units (pixels at 100 %). Labels get 8 units a character: digits
# and lower-case letters of 12 px sans-serif measure 6-7.5 in Chromium, and the labels
# are ids (ASCII). No font is measured, so the width is the same on every machine.
CHAR_WIDTH = 8
MIN_LABEL_WIDTH = 60
PLOT_WIDTH = 400
ROW_HEIGHT = 20
COLUMN_WIDTH = 34
COLUMN_PLOT_HEIGHT = 160


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _length(value: int, largest: int, full: int) -> int:
    """``value``'s share of ``full``, rounded half up; at least 1 for a non-zero value."""
    if largest <= 0 or value == 0:
        return 0
    return max(1, (2 * abs(value) * full + largest) // (2 * largest))


def bar_chart(title: str, bars: Sequence[tuple[str, int]], unit: str = "") -> str:
    """Horizontal bars, one row per (label, value), in the order given.

    Bars are scaled to the largest absolute value. A negative value (a step that
    added characters) is drawn with the class ``negative`` and its sign in the
    label, so that it is not mistaken for a removal.
    """
    largest = max((abs(v) for _, v in bars), default=0)
    label_width = max([MIN_LABEL_WIDTH, *(CHAR_WIDTH * len(label) + 12 for label, _ in bars)])
    value_width = max([40, *(CHAR_WIDTH * len(f"{v:,}{unit}") + 8 for _, v in bars)])
    height = ROW_HEIGHT * max(1, len(bars)) + 8
    width = label_width + PLOT_WIDTH + value_width
    rows = []
    for index, (label, value) in enumerate(bars):
        y = 4 + index * ROW_HEIGHT
        length = _length(value, largest, PLOT_WIDTH)
        kind = "bar negative" if value < 0 else "bar"
        rows.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{_e(label)}</text>'
            f'<rect class="{kind}" x="{label_width}" y="{y + 3}" width="{length}" '
            f'height="{ROW_HEIGHT - 6}"><title>{_e(label)}: {value:,}{_e(unit)}</title></rect>'
            f'<text x="{label_width + length + 4}" y="{y + 14}">{value:,}{_e(unit)}</text>'
        )
    if not bars:
        rows.append(f'<text x="{label_width}" y="16">none</text>')
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{_e(title)}</title>{''.join(rows)}</svg>"
    )


def column_chart(title: str, columns: Sequence[tuple[str, int]]) -> str:
    """Vertical columns (a histogram), one per (label, count), labels under the columns."""
    largest = max((c for _, c in columns), default=0)
    top = 16  # room for the count above the tallest column
    bottom = 30  # room for the label under each column
    width = max(1, len(columns)) * COLUMN_WIDTH + 8
    height = top + COLUMN_PLOT_HEIGHT + bottom
    parts = []
    for index, (label, count) in enumerate(columns):
        x = 4 + index * COLUMN_WIDTH
        length = _length(count, largest, COLUMN_PLOT_HEIGHT)
        y = top + COLUMN_PLOT_HEIGHT - length
        middle = x + COLUMN_WIDTH // 2
        parts.append(
            f'<rect class="bar" x="{x + 3}" y="{y}" width="{COLUMN_WIDTH - 6}" height="{length}">'
            f"<title>{_e(label)}: {count:,}</title></rect>"
            f'<text x="{middle}" y="{y - 3}" text-anchor="middle">{count:,}</text>'
            f'<text x="{middle}" y="{top + COLUMN_PLOT_HEIGHT + 14}" '
            f'text-anchor="middle">{_e(label)}</text>'
        )
    if not columns:
        parts.append(f'<text x="4" y="{top + 16}">none</text>')
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{_e(title)}</title>"
        f'<line class="axis" x1="0" y1="{top + COLUMN_PLOT_HEIGHT}" x2="{width}" '
        f'y2="{top + COLUMN_PLOT_HEIGHT}"/>{"".join(parts)}</svg>'
    )


def power_of_two_label(exponent: int) -> str:
    """The lower bound ``2 ** (exponent - 1)`` of a length bin, short: 0, 1, 2, … 512, 1k, 2k, … 1M.

    >>> [power_of_two_label(k) for k in (0, 1, 4, 11, 21)]
    ['0', '1', '8', '1k', '1M']
    """
    if exponent == 0:
        return "0"
    value = 1 << (exponent - 1)
    for suffix, size in (("G", 1 << 30), ("M", 1 << 20), ("k", 1 << 10)):
        if value >= size:
            return f"{value // size}{suffix}"
    return str(value)

"""Bar charts drawn as plain SVG on the server (templates/portal/includes/bar_chart.html).

The geometry is computed here, so the template only places numbers it is given. Every chart
is shown with its data table, which is what screen readers and keyboards use.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

ROW_HEIGHT = 28
LABEL_WIDTH = 210
BAR_WIDTH = 300
LABEL_CHARS = 30


@dataclass
class Bar:
    label: str
    short_label: str
    value_text: str
    y: int
    text_y: int
    width: int
    value_x: int


@dataclass
class Chart:
    bars: list[Bar]
    height: int
    width: int = LABEL_WIDTH + BAR_WIDTH + 110
    label_width: int = LABEL_WIDTH
    bar_x: int = LABEL_WIDTH + 10


def format_number(value, decimals: int = 1) -> str:
    if isinstance(value, float):
        value = Decimal(str(round(value, decimals)))
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def bar_chart(items, *, decimals: int = 1) -> Chart:
    """`items`: (label, value) pairs, drawn in the order given, longest bar for the largest."""
    items = list(items)
    largest = max((value for _label, value in items), default=0) or 0
    bars = []
    for index, (label, value) in enumerate(items):
        width = round(float(value) / float(largest) * BAR_WIDTH) if largest else 0
        label = str(label)
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        y = index * ROW_HEIGHT + 6
        bars.append(
            Bar(
                label=label,
                short_label=short,
                value_text=format_number(value, decimals),
                y=y,
                text_y=y + 15,
                width=max(width, 1 if value else 0),
                value_x=LABEL_WIDTH + 10 + max(width, 1) + 6,
            )
        )
    return Chart(bars=bars, height=max(len(bars), 1) * ROW_HEIGHT + 12)

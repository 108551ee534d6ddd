"""Excel workbooks (XLSX) to hent: typed cells, a bold and frozen header, and no cell that a
spreadsheet would run as a formula.

openpyxl stores any string that starts with "=" as a formula; every text cell here is stored
as an inline string instead, whatever it starts with, so a title such as
`=HYPERLINK("https://evil.example")` stays text (OWASP CSV injection, in XLSX).
"""

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TEXT, INTEGER, DECIMAL, DATE, LINK = "text", "integer", "decimal", "date", "link"

# Excel's number formats are written in its own notation and shown in the reader's locale:
# "#,##0" reads "2.500.000" in Danish Excel.
NUMBER_FORMATS = {INTEGER: "#,##0", DECIMAL: "#,##0.0##", DATE: "yyyy-mm-dd"}

MIN_WIDTH, MAX_WIDTH, LONG_TEXT_WIDTH = 8, 50, 60
CELL_MAX_LENGTH = 32_767  # Excel refuses to open a file with a longer cell
SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


@dataclass(frozen=True)
class Column:
    """One column: its header and the kind of its cells; `long` text wraps in a wide column."""

    header: str
    kind: str = TEXT
    long: bool = False


def _text(value) -> str:
    # Control characters other than tab and line breaks are not allowed in the file format.
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return text if len(text) <= CELL_MAX_LENGTH else text[: CELL_MAX_LENGTH - 1] + "…"


def _typed(value, kind: str):
    """The value as the column's kind says; anything that does not fit becomes text."""
    if value is None or value == "":
        return None
    if kind == INTEGER and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == DECIMAL and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    if kind == DATE and isinstance(value, datetime.date):
        if isinstance(value, datetime.datetime):
            raise TypeError("Give dates, or local datetimes made naive, not aware datetimes.")
        return value
    return _text(value)


def _width(column: Column, values: list) -> float:
    if column.long:
        return LONG_TEXT_WIDTH
    if column.kind == DATE:
        return max(len(column.header) + 2, 12)
    longest = max((len(str(v).split("\n", 1)[0]) for v in values if v is not None), default=0)
    return max(MIN_WIDTH, min(MAX_WIDTH, max(longest, len(column.header)) + 2))


def sheet_title(text: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return (str(text).translate(SHEET_TITLE_FORBIDDEN).strip("'") or "Sheet")[:31]


def xlsx_workbook(*, title: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> Workbook:
    """One worksheet named `title`: a bold, frozen header row with a filter, then the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    bold = Font(bold=True)
    sheet.append([_text(column.header) for column in columns])
    for cell in sheet[1]:
        cell.font = bold
        cell.data_type = "s"
    seen: list[list] = [[] for _column in columns]
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for row_number, row in enumerate(rows, start=2):
        for column_number, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            typed = _typed(value, column.kind)
            cell = sheet.cell(row=row_number, column=column_number)
            cell.value = typed
            if isinstance(typed, str):
                cell.data_type = "s"  # never "f": text that starts with "=" stays text
                if column.kind == LINK and typed.startswith(("https://", "http://")):
                    cell.hyperlink = typed
                    cell.style = "Hyperlink"
            elif typed is not None and column.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column.kind]
            cell.alignment = wrap if column.long else top
            seen[column_number - 1].append(typed)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(column, seen[index - 1])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return workbook


def xlsx_response(
    filename: str, *, title: str, columns: Sequence[Column], rows: Iterable[Sequence]
) -> FileResponse:
    """The workbook as an attachment named `filename` (ASCII, so every browser keeps it)."""
    buffer = io.BytesIO()
    xlsx_workbook(title=title, columns=columns, rows=rows).save(buffer)
    buffer.seek(0)
    response = FileResponse(
        buffer, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

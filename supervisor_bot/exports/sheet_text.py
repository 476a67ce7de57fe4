"""Text in a spreadsheet cell: how wide it shows (the ledger and the matrix size columns and rows by it) and what
XlsxWriter can be given as it is."""

from __future__ import annotations

import re
import unicodedata

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0: dropped
_CARE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|^<r>")  # what write_text must handle: rarely any


def display_width(text: str) -> int:
    """Columns a string takes in a spreadsheet: two for each Chinese (wide or full-width) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def lines_needed(text: str, width: int) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (at least one)."""
    return max(1, -(-display_width(text) // max(1, width - 1)))


def write_text(sheet: Worksheet, row: int, column: int, text: str, cell_format: Format | None = None) -> None:
    """Write text as it reads, whatever a user typed; an empty text as an empty cell (as XlsxWriter's `write()`).

    Control characters XML forbids are dropped (XlsxWriter would keep them as Excel's `_x0007_` escapes, shown as
    such). XlsxWriter writes a string that starts with `<r>` and ends with `</r>` into the file unescaped, as if it
    were rich-text XML (a note like `<r>a & b</r>` breaks the file): such a text goes in as a rich string of
    plain pieces, which XlsxWriter escapes, and reads back the same.
    """
    if _CARE.search(text) is not None:
        text = xml_text(text)
        if text.startswith("<r>") and text.endswith("</r>"):
            pieces = (text[:1], text[1:2], text[2:])
            if cell_format is None:
                sheet.write_rich_string(row, column, *pieces)
            else:
                sheet.write_rich_string(row, column, *pieces, cell_format)
            return
    if text:
        sheet.write_string(row, column, text, cell_format)
    else:
        sheet.write_blank(row, column, None, cell_format)


def xml_text(text: str) -> str:
    """The text without the control characters XML forbids."""
    return _ILLEGAL.sub("", text)

"""A small XLSX writer: sheets of styled cells, column widths, row heights, a frozen pane and an auto-filter —
what the 督办台账 needs, written straight out as SpreadsheetML (ECMA-376) with a shared string table.

openpyxl builds an object for each cell and writes it through a pure-Python XML tree: some 50 µs a styled
cell, more than a second for a province's ledger of 3,000 rows × 13 columns. Here a cell is a tuple and a few
characters of text. openpyxl still reads the files (the tests do), as do Excel, WPS and LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

Value = str | int | float | dt.datetime | dt.date | None

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0 (openpyxl refuses them)
_EPOCH_DAY = dt.date(1899, 12, 30).toordinal()  # Excel's day 0 (the 1900 date system, after its 1900-02-29)
BORDER_COLOUR = "999999"
FONT = "Calibri"


@dataclass(frozen=True)
class Style:
    """A cell's look. Colours are RGB hex, e.g. "DDE4EE"; the border is thin and grey on all four sides."""

    bold: bool = False
    size: float = 11
    fill: str | None = None
    border: bool = False
    horizontal: str | None = None  # "center", "left" …
    vertical: str | None = None  # "top", "center" …
    wrap: bool = False
    number_format: str = "General"


def display_width(text: str) -> int:
    """Columns a string takes in a spreadsheet: two for each Chinese character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_letter(column: int) -> str:
    """1 → A, 26 → Z, 27 → AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class Sheet:
    title: str
    rows: dict[int, dict[int, tuple[Value, Style | None]]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)  # column → width in characters
    heights: dict[int, float] = field(default_factory=dict)  # row → height in points
    freeze: str | None = None  # the first cell that scrolls, e.g. "F2": the rows above and columns left stay put
    auto_filter: str | None = None  # e.g. "A1:M6"

    def set(self, row: int, column: int, value: Value = None, style: Style | None = None) -> None:
        self.rows.setdefault(row, {})[column] = (value, style)

    def restyle(self, row: int, column: int, **changes: Any) -> None:
        """Change some of a cell's style (an empty cell gets the default style, changed)."""
        value, style = self.rows.get(row, {}).get(column, (None, None))
        self.set(row, column, value, replace(style or Style(), **changes))


@dataclass
class Workbook:
    title: str = ""
    creator: str = ""
    sheets: list[Sheet] = field(default_factory=list)

    def add_sheet(self, title: str) -> Sheet:
        sheet = Sheet(title)
        self.sheets.append(sheet)
        return sheet

    def save(self, path: Path) -> None:
        styles = _Styles()
        strings = _Strings()
        sheets = [_sheet_xml(sheet, n == 0, styles, strings) for n, sheet in enumerate(self.sheets)]
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("[Content_Types].xml", _content_types(len(sheets)))
            package.writestr("_rels/.rels", _package_rels())
            package.writestr("docProps/core.xml", _core(self.title, self.creator))
            package.writestr("xl/workbook.xml", _workbook_xml(self.sheets))
            package.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
            package.writestr("xl/styles.xml", styles.xml())
            package.writestr("xl/sharedStrings.xml", strings.xml())
            for n, xml in enumerate(sheets, start=1):
                package.writestr(f"xl/worksheets/sheet{n}.xml", xml)


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value))


class _Strings:
    """The shared string table: each distinct text once."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.uses = 0

    def __call__(self, text: str) -> int:
        self.uses += 1
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def xml(self) -> str:
        items = "".join(
            f'<si><t xml:space="preserve">{_text(s)}</t></si>' if s != s.strip() else f"<si><t>{_text(s)}</t></si>"
            for s in self.index
        )
        return f'{_HEAD}<sst xmlns="{_MAIN}" count="{self.uses}" uniqueCount="{len(self.index)}">{items}</sst>'


class _Styles:
    """Fonts, fills, number formats and the cell formats (xf) that combine them, each once."""

    def __init__(self) -> None:
        self.fonts: dict[tuple[bool, float], int] = {(False, 11): 0}
        self.fills: dict[str, int] = {}  # colour → index; 0 and 1 are the two fills Excel reserves
        self.formats: dict[str, int] = {}  # custom number formats, from 164
        self.xfs: dict[Style, int] = {Style(): 0}

    def __call__(self, style: Style) -> int:
        found = self.xfs.get(style)
        if found is None:
            found = self.xfs[style] = len(self.xfs)
            self.fonts.setdefault((style.bold, style.size), len(self.fonts))
            if style.fill is not None:
                self.fills.setdefault(style.fill, len(self.fills) + 2)
            if style.number_format != "General":
                self.formats.setdefault(style.number_format, len(self.formats) + 164)
        return found

    def _xf(self, style: Style) -> str:
        font = self.fonts[(style.bold, style.size)]
        fill = self.fills[style.fill] if style.fill is not None else 0
        number = self.formats.get(style.number_format, 0)
        border = int(style.border)
        attributes = f'numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
        applied = "".join(
            f' apply{name}="1"' for name, used in (("NumberFormat", number), ("Font", font), ("Fill", fill)) if used
        ) + (' applyBorder="1"' if border else "")
        aligned = {"horizontal": style.horizontal, "vertical": style.vertical, "wrapText": "1" if style.wrap else None}
        alignment = "".join(f' {k}="{v}"' for k, v in aligned.items() if v)
        if not alignment:
            return f"<xf {attributes}{applied}/>"
        return f'<xf {attributes}{applied} applyAlignment="1"><alignment{alignment}/></xf>'

    def xml(self) -> str:
        formats = "".join(
            f"<numFmt numFmtId={quoteattr(str(n))} formatCode={quoteattr(f)}/>" for f, n in self.formats.items()
        )
        fonts = "".join(
            f'<font>{"<b/>" if bold else ""}<sz val="{size:g}"/><name val="{FONT}"/><family val="2"/></font>'
            for bold, size in self.fonts
        )
        fills = (
            '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
            + "".join(
                f'<fill><patternFill patternType="solid"><fgColor rgb="FF{colour}"/><bgColor indexed="64"/></patternFill></fill>'
                for colour in self.fills
            )
        )
        side = f'style="thin"><color rgb="FF{BORDER_COLOUR}"/>'
        thin = f"<border><left {side}</left><right {side}</right><top {side}</top><bottom {side}</bottom><diagonal/></border>"
        return (
            f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(self.formats)}">{formats}</numFmts>' if self.formats else "")
            + f'<fonts count="{len(self.fonts)}">{fonts}</fonts>'
            + f'<fills count="{len(self.fills) + 2}">{fills}</fills>'
            + f'<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>{thin}</borders>'
            + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            + f'<cellXfs count="{len(self.xfs)}">{"".join(self._xf(s) for s in self.xfs)}</cellXfs>'
            + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            + "</styleSheet>"
        )


def _number(value: int | float | dt.date) -> int | float:
    """A cell's number: a date or time as Excel's serial day (and fraction of a day)."""
    if isinstance(value, dt.datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return value.toordinal() - _EPOCH_DAY + seconds / 86400
    if isinstance(value, dt.date):
        return value.toordinal() - _EPOCH_DAY
    return value


def _cell(ref: str, value: Value, xf: str, strings: _Strings) -> str:
    if value is None:
        return f'<c r="{ref}"{xf}/>'
    if isinstance(value, str):
        return f'<c r="{ref}"{xf} t="s"><v>{strings(value)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{xf} t="b"><v>{int(value)}</v></c>'
    return f'<c r="{ref}"{xf}><v>{_number(value)!r}</v></c>'


def _sheet_xml(sheet: Sheet, selected: bool, styles: _Styles, strings: _Strings) -> str:
    last_row = max(sheet.rows, default=1)
    last_column = max((c for row in sheet.rows.values() for c in row), default=1)
    letters = {c: column_letter(c) for c in range(1, last_column + 1)}
    xfs: dict[int, str] = {}  # each style object's attribute, by identity: a style is hashed once, not each cell
    data = []
    for r in sorted(sheet.rows):
        height = sheet.heights.get(r)
        custom = f' ht="{height:g}" customHeight="1"' if height is not None else ""
        cells = []
        for c, (value, style) in sorted(sheet.rows[r].items()):
            xf = xfs.get(id(style))
            if xf is None:
                xf = xfs[id(style)] = f' s="{styles(style)}"' if style is not None else ""
            cells.append(_cell(f"{letters[c]}{r}", value, xf, strings))
        data.append(f'<row r="{r}"{custom}>{"".join(cells)}</row>')
    columns = "".join(
        f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>' for c, w in sorted(sheet.widths.items())
    )
    selection = ' tabSelected="1"' if selected else ""
    return (
        f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        f'<dimension ref="A1:{letters[last_column]}{last_row}"/>'
        f'<sheetViews><sheetView{selection} workbookViewId="0">{_pane(sheet.freeze)}</sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{columns}</cols>" if columns else "")
        + f"<sheetData>{''.join(data)}</sheetData>"
        + (f'<autoFilter ref="{sheet.auto_filter}"/>' if sheet.auto_filter else "")
        + '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>'
    )


def _pane(freeze: str | None) -> str:
    found = re.fullmatch(r"([A-Z]+)(\d+)", freeze or "")
    if found is None:
        return ""
    column = 0
    for letter in found.group(1):
        column = column * 26 + ord(letter) - ord("A") + 1
    x, y = column - 1, int(found.group(2)) - 1
    if not x and not y:
        return ""
    active = "bottomRight" if x and y else "bottomLeft" if y else "topRight"
    splits = (f' xSplit="{x}"' if x else "") + (f' ySplit="{y}"' if y else "")
    return (
        f'<pane{splits} topLeftCell="{freeze}" activePane="{active}" state="frozen"/>'
        f'<selection pane="{active}" activeCell="{freeze}" sqref="{freeze}"/>'
    )


def _content_types(sheets: int) -> str:
    types = "application/vnd.openxmlformats-officedocument"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{types}.spreadsheetml.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{types}.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{types}.spreadsheetml.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{types}.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f"{overrides}</Types>"
    )


def _package_rels() -> str:
    return (
        f'{_HEAD}<Relationships xmlns="{_PACKAGE}">'
        f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
        'core-properties" Target="docProps/core.xml"/></Relationships>'
    )


def _core(title: str, creator: str) -> str:
    return (
        f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{_text(title)}</dc:title><dc:creator>{_text(creator)}</dc:creator></cp:coreProperties>"
    )


def _workbook_xml(sheets: list[Sheet]) -> str:
    entries = "".join(
        f'<sheet name={quoteattr(_ILLEGAL.sub("", s.title))} sheetId="{n}" r:id="rId{n}"/>'
        for n, s in enumerate(sheets, start=1)
    )
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{_text(_absolute(s.title, s.auto_filter))}</definedName>"
        for n, s in enumerate(sheets)
        if s.auto_filter
    )
    return (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><workbookPr/>'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{entries}</sheets>'
        + (f"<definedNames>{names}</definedNames>" if names else "")
        + "</workbook>"
    )


def _absolute(title: str, cells: str) -> str:
    """`督办台账`, `A1:M6` → `'督办台账'!$A$1:$M$6`."""
    quoted = "'" + title.replace("'", "''") + "'"
    return f"{quoted}!" + ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in cells.split(":"))


def _workbook_rels(sheets: int) -> str:
    sheet_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_HEAD}<Relationships xmlns="{_PACKAGE}">{sheet_rels}'
        f'<Relationship Id="rId{sheets + 1}" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{sheets + 2}" Type="{_RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )

"""Clean up plan text as it comes out of a PDF: widths, punctuation, page footers, broken lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FULLWIDTH_OFFSET = 0xFEE0
_PAGE_FOOTER = re.compile(r"^[\s—–\-―－~～]*(?:\d{1,4}|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?)[\s—–\-―－~～]*$")
_HAS_DASH = re.compile(r"[—–\-―－~～]|第")
_ASCII_ALNUM = re.compile(r"[0-9A-Za-z]")


def to_halfwidth(text: str) -> str:
    """Full-width ASCII (１２ＡＢ：，) and the ideographic space become their ASCII forms."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - _FULLWIDTH_OFFSET))
        elif ch == "\u3000":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def is_page_footer(line: str) -> bool:
    """A line such as `—71—`, `- 3 -` or `第3页`: page furniture, not text."""
    return bool(_PAGE_FOOTER.match(line)) and bool(_HAS_DASH.search(line))


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the original file
    text: str  # half-width, stripped; never empty
    raw: str = ""  # as written, stripped: the same length as text, character for character

    @property
    def written(self) -> str:
        return self.raw or self.text


def source_lines(raw: str) -> list[Line]:
    """The non-empty lines of a plan, half-width and stripped, with page footers removed."""
    lines = []
    for index, original in enumerate(raw.splitlines(), start=1):
        raw = original.strip()
        text = to_halfwidth(raw)
        if text and not is_page_footer(text):
            lines.append(Line(index, text, raw))
    return lines


def _between_ascii(text: str, i: int) -> bool:
    """Whether position i sits between two ASCII letters or digits."""
    return 0 < i < len(text) - 1 and bool(_ASCII_ALNUM.match(text[i - 1])) and bool(_ASCII_ALNUM.match(text[i + 1]))


_ALWAYS = {"(": "（", ")": "）", ";": "；", "?": "？", "!": "！", "«": "《", "»": "》", "‹": "〈", "›": "〉"}
_UNLESS_BETWEEN_ASCII = {".": "。", ",": "，", ":": "："}
# a Chinese comma as written stays one, even between digits: `2.0，2025年` must not become `2.0,2025年`
_WRITTEN_CHINESE = frozenset("，、；！？")


def normalise(text: str) -> str:
    """Join-ready text in the form Chinese documents print: full-width punctuation, no stray spaces.

    Spaces survive only between two ASCII words; `.`, `,` and `:` stay ASCII inside numbers and words
    (3.5%, 1,000, 9:00, www.gov.cn); a full-width comma as written stays a Chinese comma.
    """
    written = text
    text = to_halfwidth(text)
    out: list[str] = []
    for i, ch in enumerate(text):
        if written[i] in _WRITTEN_CHINESE:
            out.append(written[i])
        elif ch.isspace():
            if _between_ascii(text, i):
                out.append(" ")
        elif ch in _ALWAYS:
            out.append(_ALWAYS[ch])
        elif ch in _UNLESS_BETWEEN_ASCII and not _between_ascii(text, i):
            out.append(_UNLESS_BETWEEN_ASCII[ch])
        else:
            out.append(ch)
    return "".join(out)

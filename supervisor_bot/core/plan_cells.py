"""A table cell as written: a unit per line or paragraph, units set apart by spaces, or a name a PDF wrapped.

A line break (or a run of spaces) in a unit cell is a separator where the text before it ends a unit's name and
a wrap where it does not: inside a bracket, after a separator, before a closing bracket, or where the registry
knows the joined name and not the parts. Every other cell's line breaks are wraps: joined with no space.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from supervisor_bot.core.plan_measures import unclosed
from supervisor_bot.core.responsibility import OPENING, split_names

# how a unit's name ends: 局, 委, 人民政府, 管委会, 有关部门（单位）…; `社会` ends 人力资源社会保障局's first half
_UNIT_END = re.compile(
    r"(?:局|委|办|厅|府|院|室|中心|公司|集团|部|处|所|队|行|会|联|协|社|站|门|位|区|县|市|镇|街道|团|组|署|馆|台|校)$"
    r"|[）)〉>】〕\]]$"
)
_NOT_AN_END = re.compile(r"社会$")
_SEPARATOR_END = "、，,;；：:及"
_CLOSING_START = "、，,;；：:）)〉>】〕]"
_BREAKS = re.compile(r"[ \t\u3000]+")
_VERBS = re.compile(
    r"[：:]|按职责(?:分工)?(?:负责)?|分别负责|分工负责|牵头|配合|负责|参与|协同|协办|协助|等(?:有关|相关)?(?:部门|单位)?$"
)
# words a break may fall inside: 协\n同, 等部\n门, 按职责分\n工负责
_WORDS = re.compile(
    r"按职责分工负责|分别负责|牵头|配合|负责|参与|协同|协办|协助|等(?:有关|相关)?(?:部门|单位)|单位|部门"
)

Known = Callable[[str], bool]


def joined_lines(cell: str) -> str:
    """A cell's wrapped lines as one text (a task, a deadline): a line break is never a space in Chinese."""
    return "".join(line.strip() for line in cell.splitlines())


def _ends_a_name(name: str, known: Known) -> bool:
    if known(name):
        return True
    return len(name) >= 3 and bool(_UNIT_END.search(name)) and not _NOT_AN_END.search(name)


def _names(text: str) -> list[str]:
    """The names in a piece of a cell, split outside brackets (a verb or a label ends a name too)."""
    return split_names(_VERBS.sub("、", re.sub(r"等.{0,3}$", "", text))) or [""]


def _wrap(before: str, following: list[str], known: Known) -> bool:
    """Whether the break between two pieces of a unit cell is a wrap inside one name. `following` are the pieces
    after the break: a name a narrow column broke over several lines is known once they are joined."""
    after = following[0]
    if before[-1] in _SEPARATOR_END or after[0] in _CLOSING_START + OPENING + "等" or unclosed(before):
        return True
    seam = before[-7:] + after[:7]
    if any(m.start() < len(before[-7:]) < m.end() for m in _WORDS.finditer(seam)):
        return True
    last = _names(before)[-1]
    if not last or not _names(after)[0]:
        return False
    for more in range(1, min(len(following), 4) + 1):
        first = _names("".join(following[:more]))[0]
        if known(last + first) and not known(last):
            return True
        if len(_names("".join(following[:more]))) > 1:
            break  # a separator reached: the name before it is whole
    return not _ends_a_name(last, known)


def unit_cell(cell: str, known: Known) -> str:
    """A unit cell with its line breaks and runs of spaces read: separators become `、`, wraps are joined."""
    pieces = [p for line in cell.splitlines() for p in _BREAKS.split(line.strip()) if p]
    if not pieces:
        return ""
    out = [pieces[0]]
    for n, piece in enumerate(pieces[1:], start=1):
        if _wrap(out[-1], pieces[n:], known):
            out[-1] += piece
        else:
            out.append(piece)
    return "、".join(out)


def people_cell(cell: str) -> list[str]:
    """责任领导 as listed: `、，` or line breaks between people; a one-character piece is a name a column broke."""
    pieces = [p for line in cell.splitlines() for p in _BREAKS.split(line.strip()) if p]
    out: list[str] = []
    for piece in pieces:
        if out and (out[-1][-1] in _SEPARATOR_END or piece[0] in _CLOSING_START or _edge_of_one(out[-1], piece)):
            out[-1] += piece
        else:
            out.append(piece)
    return [name for text in out for name in split_names(text)]


def _edge_of_one(before: str, after: str) -> bool:
    return len(split_names(before)[-1]) == 1 or len(split_names(after)[0]) == 1

"""Read who answers for a measure from the words plans use: （A、B等负责）, （牵头单位：A；责任单位：B）…

Input is normalised text (full-width punctuation). Names come back as written; the registry resolves them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from supervisor_bot.core.matrix import Role

OPENING = "(（〔【[〈<《"
CLOSING = ")）〕】]〉>》"
RESPONSIBILITY_WORDS = re.compile(r"负责|牵头|配合|参与|协办|协助|协同|会同|(?:责任|主责|配合|参与)(?:单位|部门)")
_TRAILING_PUNCTUATION = "。.；;，,、 \t"
LEAD_RULE = re.compile(
    r"[，；]?\s*(?:其中)?[列排](?:在)?(?:第一|首)位(?:者|的|单位|部门)?(?:为|是)牵头(?:单位|部门)(?:[，；]?\s*下同)?"
)
_SEE_ABOVE = re.compile(r"[，；]\s*下同$")
# the bracket's last clause may be its time limit: `；完成时限：2025年6月底前`, `，2025年底前完成`, `，长期坚持`
_DEADLINE_CLAUSE = re.compile(
    r"[；;，,]\s*(?:(?:完成时限|时间节点|完成时间|时限要求|完成期限|时限)\s*[:：]\s*([^；;]+?)"
    r"|([^；;，,：:]*?(?:\d{4}\s*年|年底|年内|长期坚持|持续推进|每[年季月])[^；;，,：:]*))\s*$"
)
_LABEL = re.compile(r"(牵头|主责|责任|配合|参与|协办|协助)(?:单位|部门)\s*[：:]")
_UNBRACKETED = re.compile(r"(?:牵头|主责|责任)(?:单位|部门)\s*[：:]")
_VERB = re.compile(r"按职责分工负责|按职责负责|分工负责|共同负责|分别负责|负责|牵头|配合|参与|协助|协办|协同")
_LEAD_LABELS = {"牵头", "主责"}
_EACH = "分别负责"  # each named unit answers for its own part: every one of them leads
_CO_VERBS = {"配合", "参与", "协助", "协办", "协同"}
_OPEN_SUFFIX = re.compile(r"等(?:有关|相关)?(?:部门|单位)?$")
_SEPARATORS = "、，,及;；"


@dataclass(frozen=True)
class Named:
    name: str  # as written, e.g. "人力资源社会保障局"
    role: Role


@dataclass(frozen=True)
class Responsibility:
    named: tuple[Named, ...]
    open_ended: bool  # the list ends in 等: "and others"
    lead_rule_stated: bool  # the bracket carries 列第一位者为牵头单位
    run_together: tuple[tuple[str, tuple[str, ...]], ...] = ()  # a name written as several known ones, unseparated
    deadline: str | None = None  # `（市财政局负责；完成时限：2025年底前）`: the time limit the bracket closes with


class ResponsibilityError(ValueError):
    """The words in the bracket do not name departments the way plans do."""


def split_trailing(chunk: str) -> tuple[str, str | None]:
    """Split a measure into its text and the closing statement of responsibility, if there is one."""
    body = chunk.rstrip(_TRAILING_PUNCTUATION)
    if body and body[-1] in CLOSING:
        depth = 0
        for i in range(len(body) - 1, -1, -1):
            if body[i] in CLOSING:
                depth += 1
            elif body[i] in OPENING:
                depth -= 1
                if depth == 0:
                    inner = body[i + 1 : -1]
                    if RESPONSIBILITY_WORDS.search(inner):
                        return body[:i], inner
                    break
    labelled = at_depth_zero(_UNBRACKETED, body)
    if labelled:
        start = labelled[0].start()
        return body[:start], body[start:]
    return chunk, None


Parts = Callable[[str], "list[str] | None"]


def parse(statement: str, parts: Parts | None = None) -> Responsibility:
    """`市发展改革委、市人力资源社会保障局等负责` → 市发展改革委 leads, the other co-operates, open-ended.

    `parts` splits a name the registry does not know into names it does (`市财政局 市教育局`, the space lost).
    """
    text = statement.strip()
    stated = bool(LEAD_RULE.search(text))
    text = _SEE_ABOVE.sub("", LEAD_RULE.sub("", text)).strip("，；。 ")
    limit = _DEADLINE_CLAUSE.search(text)
    if limit:
        text = text[: limit.start()].strip("，；。 ")
    clauses = _labelled_clauses(text) if at_depth_zero(_LABEL, text) else _verb_clauses(text)
    named: list[Named] = []
    run_together: list[tuple[str, tuple[str, ...]]] = []
    open_ended = False
    for names, role in clauses:
        for raw in names:
            if not raw:
                continue
            name, was_open = _strip_open(raw)
            open_ended = open_ended or was_open
            found = parts(name) if parts and name else None
            if found and len(found) > 1:
                run_together.append((name, tuple(found)))
            named += [
                Named(n, role or Role.CO) for n in (found if found and len(found) > 1 else [name] if name else [])
            ]
    if not named:
        raise ResponsibilityError(f"未写明责任单位：“{statement}”")
    if not any(n.role is Role.LEAD for n in named):
        # the convention Chinese plans share (and some state: 列第一位者为牵头单位): the first named leads
        named[0] = Named(named[0].name, Role.LEAD)
    deadline = (limit.group(1) or limit.group(2)).strip("。 ") if limit else None
    return Responsibility(_dedupe(named), open_ended, stated, tuple(run_together), deadline)


def _labelled_clauses(text: str) -> list[tuple[list[str], Role | None]]:
    """`牵头单位：A；责任单位：B、C` (any of ：: and ；;)."""
    matches = at_depth_zero(_LABEL, text)
    if text[: matches[0].start()].strip("，；、 "):
        raise ResponsibilityError(f"“{text[: matches[0].start()]}”不属于任何单位类别")
    has_lead = any(m.group(1) in _LEAD_LABELS for m in matches)
    clauses: list[tuple[list[str], Role | None]] = []
    for m, nxt in zip(matches, [*matches[1:], None], strict=True):
        end = nxt.start() if nxt else len(text)
        names = split_names(text[m.end() : end].strip("，；。 "))
        label = m.group(1)
        if label in _LEAD_LABELS:
            role: Role | None = Role.LEAD
        elif has_lead or label in _CO_VERBS:
            role = Role.CO
        else:
            role = None  # 责任单位 alone: the first named leads
        clauses.append((names, role))
    return clauses


def _verb_clauses(text: str) -> list[tuple[list[str], Role | None]]:
    """`A、B牵头，C、D按职责分工负责`, `A牵头，B、C配合`, `A、B等负责`, `A会同B负责`."""
    clauses: list[tuple[list[str], str]] = []
    position = 0
    for m in at_depth_zero(_VERB, text):
        names = text[position : m.start()].strip("，；、 ")
        if names.startswith("由"):
            names = names[1:]
        clauses.append((_split_together(names), m.group(0)))
        position = m.end()
    rest = text[position:].strip("，；、。 ")
    if rest:
        raise ResponsibilityError(f"“{rest}”之后缺少“负责”“牵头”或“配合”等字样")
    has_lead = any(verb == "牵头" for _, verb in clauses)
    out: list[tuple[list[str], Role | None]] = []
    for listed, verb in clauses:
        if verb == "牵头" or (verb == _EACH and not has_lead):
            out.append((listed, Role.LEAD))
        elif has_lead or verb in _CO_VERBS:
            out.append((listed, Role.CO))
        else:
            out.append((listed, None))
    return out


def _split_together(names: str) -> list[str]:
    """`A会同B` names A first: A leads together with B."""
    return [n for part in names.split("会同") for n in split_names(part)]


def depths(text: str) -> list[int]:
    """Each character's bracket depth: a unit's own note (`各县（市、区）人民政府`) lies deeper than the list."""
    out: list[int] = []
    depth = 0
    for ch in text:
        if ch in CLOSING:
            depth = max(0, depth - 1)
        out.append(depth)
        if ch in OPENING:
            depth += 1
    return out


def at_depth_zero(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """The pattern's matches outside any bracket: `配合` inside a unit's note is not a verb of the statement."""
    level = depths(text)
    return [m for m in pattern.finditer(text) if level[m.start()] == 0]


def outer_brackets(text: str) -> list[tuple[int, int]]:
    """(open, close) positions of every outermost bracket pair that closes, nested brackets inside it."""
    pairs: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in OPENING:
            if depth == 0:
                start = i
            depth += 1
        elif ch in CLOSING and depth:
            depth -= 1
            if depth == 0:
                pairs.append((start, i))
    return pairs


def split_names(text: str) -> list[str]:
    """Split on 、，,及；at bracket depth 0, so that 各县（区）人民政府 stays whole."""
    names: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in OPENING:
            depth += 1
        elif ch in CLOSING:
            depth = max(0, depth - 1)
        if depth == 0 and ch in _SEPARATORS:
            names.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    names.append("".join(current).strip())
    return [n for n in names if n]


def _strip_open(raw: str) -> tuple[str, bool]:
    match = _OPEN_SUFFIX.search(raw)
    if match and match.start() > 0:
        return raw[: match.start()].strip(), True
    return raw.strip(), False


def _dedupe(named: list[Named]) -> tuple[Named, ...]:
    seen: dict[str, Named] = {}
    for n in named:
        if n.name not in seen or n.role is Role.LEAD:
            seen[n.name] = n
    return tuple(seen.values())

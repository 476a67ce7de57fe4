"""Text as Telegram measures and parses it: UTF-16 lengths, HTML parse mode, command/mention entities."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import ApiError, bad_request
from .records import JsonDict

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
PARSE_MODES = {"html": "HTML", "markdown": "Markdown", "markdownv2": "MarkdownV2"}

_HTML_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "tg-emoji"}
    | {"code", "pre", "blockquote"}
)
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")
_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z][A-Za-z0-9_]{2,31})?(?![A-Za-z0-9_@])")
_MENTION_RE = re.compile(r"(?<![A-Za-z0-9_@/])@[A-Za-z][A-Za-z0-9_]{3,31}(?![A-Za-z0-9_])")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for limits and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def normalize_parse_mode(parse_mode: str | None) -> str | None:
    if parse_mode is None or parse_mode == "":
        return None
    canonical = PARSE_MODES.get(parse_mode.lower())
    if canonical is None:
        raise bad_request(f'unsupported parse_mode "{parse_mode}"')
    return canonical


def render(text: str, parse_mode: str | None) -> tuple[str, list[JsonDict]]:
    """The text and entities Telegram makes of ``text``: HTML parsed, outer whitespace trimmed.

    Markdown modes are not parsed; their text is kept as given, without entities.
    """
    plain, entities = html_to_plain(text) if parse_mode == "HTML" else (text, [])
    return _trim(plain, entities)


def _trim(text: str, entities: list[JsonDict]) -> tuple[str, list[JsonDict]]:
    stripped = text.strip()
    if not stripped:
        return "", []
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    limit = utf16_len(stripped)
    kept: list[JsonDict] = []
    for entity in entities:
        start = max(0, entity["offset"] - shift)
        end = min(limit, entity["offset"] + entity["length"] - shift)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def _entity_error(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(match: re.Match[str]) -> str | None:
    body = match.group(1)
    if body.startswith(("#x", "#X")):
        code = int(body[2:], 16)
    elif body.startswith("#"):
        code = int(body[1:])
    else:
        return _NAMED_ENTITIES.get(body)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _skip_attributes(text: str, start: int, begin: int, tag: str) -> tuple[int, dict[str, str]]:
    """Read ``attr="value"`` pairs of a start tag from ``start``; returns the index of ``>``."""
    attrs: dict[str, str] = {}
    i, n = start, len(text)
    while True:
        i = _skip_space(text, i)
        if i >= n:
            raise _entity_error(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
        if text[i] == ">":
            return i, attrs
        name_start = i
        while i < n and not text[i].isspace() and text[i] not in "=>":
            i += 1
        name = text[name_start:i].lower()
        value, i = _attribute_value(text, _skip_space(text, i), begin)
        if not name:
            raise _entity_error(f'Empty attribute name in the tag "{tag}" at byte offset {_byte_offset(text, begin)}')
        attrs[name] = _ENTITY_RE.sub(lambda m: _decode_entity(m) or m.group(0), value)


def _attribute_value(text: str, i: int, begin: int) -> tuple[str, int]:
    """An attribute's ``="value"``, quoted or not, from ``i``; empty when there is no ``=``. Returns the index after."""
    n = len(text)
    if i >= n or text[i] != "=":
        return "", i
    i = _skip_space(text, i + 1)
    if i < n and text[i] in "\"'":
        end = text.find(text[i], i + 1)
        if end < 0:
            raise _entity_error(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
        return text[i + 1 : end], end + 1
    value_start = i
    while i < n and not text[i].isspace() and text[i] != ">":
        i += 1
    return text[value_start:i], i


_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    offset: int


@dataclass
class _HtmlState:
    text: str
    out: list[str] = field(default_factory=list)
    stack: list[_OpenTag] = field(default_factory=list)
    entities: list[JsonDict] = field(default_factory=list)
    length: int = 0

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.length += utf16_len(chunk)


def html_to_plain(text: str) -> tuple[str, list[JsonDict]]:
    """Parse Telegram's HTML subset like the Bot API does; raise its 400 errors on bad markup."""
    state = _HtmlState(text)
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "&":
            match = _ENTITY_RE.match(text, i)
            decoded = _decode_entity(match) if match else None
            if match and decoded is not None:
                state.emit(decoded)
                i = match.end()
            else:
                state.emit(char)
                i += 1
        elif char == "<":
            i = _close_tag(state, i) if i + 1 < n and text[i + 1] == "/" else _open_tag(state, i)
        else:
            j = i
            while j < n and text[j] not in "&<":
                j += 1
            state.emit(text[i:j])
            i = j
    if state.stack:
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{state.stack[-1].name}"')
    state.entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(state.out), state.entities


def _open_tag(state: _HtmlState, begin: int) -> int:
    text = state.text
    i, n = begin + 1, len(text)
    while i < n and not text[i].isspace() and text[i] != ">":
        i += 1
    if i >= n:
        raise _entity_error(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
    tag = text[begin + 1 : i].lower()
    if tag not in _HTML_TAGS:
        raise _entity_error(f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}')
    i, attrs = _skip_attributes(text, i, begin, tag)
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise _entity_error('Tag "span" must have class "tg-spoiler"')
    state.stack.append(_OpenTag(tag, attrs, state.length))
    return i + 1


def _close_tag(state: _HtmlState, begin: int) -> int:
    text = state.text
    if not state.stack:
        raise _entity_error(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
    i, n = begin + 2, len(text)
    while i < n and not text[i].isspace() and text[i] != ">":
        i += 1
    name = text[begin + 2 : i].lower()
    while i < n and text[i].isspace():
        i += 1
    if i >= n or text[i] != ">":
        raise _entity_error(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
    opened = state.stack[-1]
    if name and name != opened.name:
        raise _entity_error(
            f'Unmatched end tag at byte offset {_byte_offset(text, begin)}, expected "</{opened.name}>", '
            f'found "</{name}>"'
        )
    state.stack.pop()
    length = state.length - opened.offset
    if length > 0:
        state.entities.append(_closed_entity(state, opened, length))
    return i + 1


def _closed_entity(state: _HtmlState, opened: _OpenTag, length: int) -> JsonDict:
    """The entity a closed tag makes; a ``<pre>`` takes over the language of a ``<code>`` it exactly wraps."""
    entity: JsonDict = {"type": _TAG_ENTITY[opened.name], "offset": opened.offset, "length": length}
    if opened.name == "a":
        entity["url"] = opened.attrs.get("href", "")
    elif opened.name == "blockquote" and "expandable" in opened.attrs:
        entity["type"] = "expandable_blockquote"
    elif opened.name == "tg-emoji":
        entity["custom_emoji_id"] = opened.attrs.get("emoji-id", "")
    elif opened.name == "code" and opened.attrs.get("class", "").startswith("language-"):
        entity["language"] = opened.attrs["class"].removeprefix("language-")
    elif opened.name == "pre" and state.entities:
        inner = state.entities[-1]
        if inner["type"] == "code" and (inner["offset"], inner["length"]) == (opened.offset, length):
            state.entities.pop()
            if "language" in inner:
                entity["language"] = inner["language"]
    return entity


def user_entities(text: str) -> list[JsonDict]:
    """Entities a Telegram client attaches to typed text: ``bot_command`` and ``mention``."""
    found: list[tuple[int, int, str]] = []
    for match in _COMMAND_RE.finditer(text):
        found.append((match.start(), match.end(), "bot_command"))
    for match in _MENTION_RE.finditer(text):
        found.append((match.start(), match.end(), "mention"))
    found.sort()
    return [
        {"type": kind, "offset": utf16_len(text[:start]), "length": utf16_len(text[start:end])}
        for start, end, kind in found
    ]


def command_target(text: str) -> tuple[str, str | None] | None:
    """``("/cmd", "botname" or None)`` when ``text`` starts with a bot command, else None."""
    match = _COMMAND_RE.match(text)
    if match is None:
        return None
    command, _, target = match.group(0).partition("@")
    return command, target or None

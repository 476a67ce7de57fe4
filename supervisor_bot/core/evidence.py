"""佐证材料: a file a liaison sent for a measure, kept in the data folder; where it goes and what is refused."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from supervisor_bot.core.people import Actor, ChatId, display_name

MAX_BYTES = 20 * 1024 * 1024  # Telegram lets a bot download files up to 20 MB
MAX_NAME = 80  # characters of the stored file's name, its extension kept
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_MEASURE = re.compile(r"^\s*(?:措施|第)?\s*(\d{1,3})\s*(?:项|条|号)?(?:\s|$|[，,:：。.])")


class EvidenceRefusal(StrEnum):
    TOO_LARGE = "too_large"
    NO_NAME = "no_name"  # a document sent without a file name
    NO_MEASURE = "no_measure"  # a reply to the checklist list that names no measure
    NOT_RECEIVED = "not_received"  # the download failed or came back larger than announced


@dataclass(frozen=True)
class Evidence:
    """One file: `path` is relative to the data folder (evidence/<round>/<unit>/<measure>-<name>)."""

    id: str
    round_id: str
    measure: int
    respondent: str
    name: str  # the file's name as sent (a photo's is made up)
    path: str
    size: int
    at: dt.datetime
    actor: Actor
    chat_id: ChatId
    plan: str = ""  # the plan's key

    def __post_init__(self) -> None:
        cleaned = display_name(self.name)
        if cleaned != self.name:
            object.__setattr__(self, "name", cleaned)

    @property
    def key(self) -> tuple[int, str]:
        return (self.measure, self.respondent)


def safe_part(text: str) -> str:
    """A name safe as one part of a path on any system: no separators, no control characters, no dot-names."""
    cleaned = _UNSAFE.sub("_", display_name(text)).strip().strip(".")
    return cleaned or "_"


def stored_name(measure: int, name: str) -> str:
    """`<measure>-<name>`, the name cut to MAX_NAME characters with its extension kept."""
    cleaned = safe_part(name)
    if len(cleaned) > MAX_NAME:
        _, dot, ext = cleaned.rpartition(".")
        keep = ext if dot and len(ext) <= 10 else ""
        cleaned = cleaned[: MAX_NAME - len(keep) - 1] + ("." + keep if keep else "")
    return f"{measure}-{cleaned}"


def relative_path(round_id: str, respondent: str, measure: int, name: str, taken: set[str]) -> str:
    """Where the file goes; a second file of the same name gets `(2)`, `(3)` … before its extension."""
    folder = f"evidence/{safe_part(round_id)}/{safe_part(respondent)}"
    base = stored_name(measure, name)
    candidate, n = f"{folder}/{base}", 2
    stem, dot, ext = base.rpartition(".")
    while candidate in taken:
        candidate = f"{folder}/{stem}({n}).{ext}" if dot else f"{folder}/{base}({n})"
        n += 1
    return candidate


def photo_name(file_key: str) -> str:
    """A photo comes without a name: 照片-<the messenger's short key>.jpg."""
    return f"照片-{safe_part(file_key)[:16]}.jpg"


def measure_named(caption: str) -> int | None:
    """The measure a caption names: `措施5`, `5`, `第5项 …`."""
    found = _MEASURE.match(caption + " ")
    return int(found.group(1)) if found else None


def check_file(name: str | None, size: int | None) -> EvidenceRefusal | None:
    if size is not None and size > MAX_BYTES:
        return EvidenceRefusal.TOO_LARGE
    if name is None or not name.strip():
        return EvidenceRefusal.NO_NAME
    return None

"""What a department reports about a measure."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def mark(self) -> str:
        return _MARKS[self]

    @property
    def needs_note(self) -> bool:
        """已完成 and 有困难 must say what was done, or what the difficulty is."""
        return self in (Status.DONE, Status.BLOCKED)

    @property
    def code(self) -> str:
        """One letter, for callback data."""
        return _CODES[self]

    @classmethod
    def from_code(cls, code: str) -> Status | None:
        return next((s for s, c in _CODES.items() if c == code), None)


_LABELS = {
    Status.NOT_STARTED: "未启动",
    Status.IN_PROGRESS: "推进中",
    Status.DONE: "已完成",
    Status.BLOCKED: "有困难",
}
_MARKS = {Status.NOT_STARTED: "⚪", Status.IN_PROGRESS: "🔵", Status.DONE: "✅", Status.BLOCKED: "⚠️"}
_CODES = {Status.NOT_STARTED: "n", Status.IN_PROGRESS: "p", Status.DONE: "d", Status.BLOCKED: "b"}
UNREPORTED_LABEL = "未报送"
UNREPORTED_MARK = "▫️"

"""Errors the core raises: each names where the problem is and what was expected."""

from __future__ import annotations


class PlanFormatError(ValueError):
    """The plan cannot be read as a plan: names the line (or the table's row and column) and what was expected."""

    def __init__(self, line: int, message: str, where: str | None = None) -> None:
        place = where or (f"第{line}行" if line else "")
        super().__init__(f"{place}：{message}" if place else message)
        self.line = line
        self.where = place
        self.message = message

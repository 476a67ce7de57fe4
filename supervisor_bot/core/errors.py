"""Errors the core raises: each names where the problem is and what was expected."""

from __future__ import annotations


class PlanFormatError(ValueError):
    """The plan text cannot be read as a plan."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"第{line}行：{message}" if line else message)
        self.line = line
        self.message = message

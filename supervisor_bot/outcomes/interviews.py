"""Why a 约谈 was not recorded (services.interviews decides; views.bureau says it)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class InterviewProblem(enum.Enum):
    """Why a /yuetan was not recorded (views say it, with the usage)."""

    USAGE = "usage"
    NO_UNIT = "no_unit"
    BAD_DATE = "bad_date"
    NO_DEADLINE = "no_deadline"
    DEADLINE_BEFORE = "deadline_before"
    DATE_RANGE = "date_range"
    DEADLINE_RANGE = "deadline_range"
    NO_POINTS = "no_points"


@dataclass(frozen=True)
class InterviewRefused:
    problem: InterviewProblem
    written: str = ""  # the words the problem is about
    suggestion: str | None = None  # for an unknown unit: the one its name most likely means

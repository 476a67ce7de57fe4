"""Who is asked: each department, and each member of a collective body (各区县政府 → 历下区 …)."""

from __future__ import annotations

from dataclasses import dataclass

from supervisor_bot.core.matrix import Matrix, Measure, Role


@dataclass(frozen=True)
class Respondent:
    name: str  # the unit asked in its own chat
    department: str  # the matrix department it answers for (itself, or its collective body)

    @property
    def is_member(self) -> bool:
        return self.name != self.department


@dataclass(frozen=True)
class Duty:
    measure: Measure
    role: Role


def respondents(matrix: Matrix) -> tuple[Respondent, ...]:
    out: list[Respondent] = []
    for department in matrix.departments:
        if not department.reports:
            continue  # a name such as 各有关单位: no unit to ask
        if not any(matrix.asks(role) for _, role in matrix.roles_of(department.name)):
            continue  # only 配合 under `ask = "leads"`: it reports to its lead, not to the bot
        if department.members:
            out.extend(Respondent(member, department.name) for member in department.members)
        else:
            out.append(Respondent(department.name, department.name))
    return tuple(out)


def duties(matrix: Matrix, respondent: Respondent) -> tuple[Duty, ...]:
    """The measures a respondent is asked about, in plan order, with its role in each (under `ask = "leads"` only
    those it leads)."""
    return tuple(Duty(measure, role) for measure, role in matrix.roles_of(respondent.department) if matrix.asks(role))

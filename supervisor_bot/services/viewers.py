"""Who is looking at the dashboard, and what they may see and do.

- coordinators (`people.coordinators`) and leaders (`people.leaders`: the leaders' chat cannot tell the bot who
  is in it under privacy mode, so leaders are named by user id) see everything; only coordinators act;
- a liaison (a user in some active binding's liaisons) sees the overall figures and its own units' pages;
- anyone else sees nothing.
The role is worked out afresh on every request: a liaison unbound a minute ago sees nothing any more.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from supervisor_bot.core.people import UserId
from supervisor_bot.services.runtime import Runtime


class Access(StrEnum):
    COORDINATOR = "coordinator"
    LEADER = "leader"
    LIAISON = "liaison"
    NOBODY = "nobody"

    @property
    def label(self) -> str:
        return {
            Access.COORDINATOR: "协调员",
            Access.LEADER: "领导",
            Access.LIAISON: "联络员",
            Access.NOBODY: "无权限",
        }[self]


@dataclass(frozen=True)
class Viewer:
    user_id: UserId
    name: str
    access: Access
    units: frozenset[str] = frozenset()  # a liaison's own units

    @property
    def sees_all(self) -> bool:
        return self.access in (Access.COORDINATOR, Access.LEADER)

    @property
    def acts(self) -> bool:
        return self.access is Access.COORDINATOR

    @property
    def role(self) -> str:
        """What the person may see and do, as one value: a session records it at login."""
        return f"{self.access.value}:{'|'.join(sorted(self.units))}"

    def may_see_unit(self, name: str) -> bool:
        return self.sees_all or name in self.units


def viewer(rt: Runtime, leaders: frozenset[UserId], user_id: UserId, name: str) -> Viewer:
    if rt.is_coordinator(user_id):
        return Viewer(user_id, name, Access.COORDINATOR)
    if user_id in leaders:
        return Viewer(user_id, name, Access.LEADER)
    units = frozenset(
        b.respondent
        for b in (rt.binding_of(found.respondent) for found in rt.store.bindings() if found.active)
        if b is not None and user_id in b.liaisons
    )
    return Viewer(user_id, name, Access.LIAISON if units else Access.NOBODY, units)

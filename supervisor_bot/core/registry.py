"""The deployment's departments, and how a name as written in a plan resolves to one of them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from supervisor_bot.core.matrix import Department
from supervisor_bot.core.plan_text import normalise

# A name may drop its place prefix: 人力资源社会保障局 for 市人力资源社会保障局, 财政局 for 济南市财政局.
_PLACE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{0,3}[市省区县州盟旗]$")


@dataclass(frozen=True)
class Resolved:
    name: str


@dataclass(frozen=True)
class Unknown:
    written: str


@dataclass(frozen=True)
class Ambiguous:
    written: str
    candidates: tuple[str, ...]


Resolution = Resolved | Unknown | Ambiguous


def key(name: str) -> str:
    """Names compare in normalised form: 各县(区)人民政府 and 各县（区）人民政府 are one name."""
    return normalise(name)


class DepartmentRegistry:
    def __init__(self, departments: Iterable[Department]) -> None:
        self.departments: tuple[Department, ...] = tuple(departments)
        self._by_key: dict[str, str] = {}
        self._resolved: dict[str, Resolution] = {}  # a plan names the same units again and again
        for department in self.departments:
            for written in (department.name, *department.aliases):
                self._by_key.setdefault(key(written), department.name)

    def __len__(self) -> int:
        return len(self.departments)

    def get(self, name: str) -> Department | None:
        return next((d for d in self.departments if d.name == name), None)

    def resolve(self, written: str) -> Resolution:
        found = self._resolved.get(written)
        if found is None:
            found = self._resolved[written] = self._resolve(written)
        return found

    def _resolve(self, written: str) -> Resolution:
        k = key(written)
        if k in self._by_key:
            return Resolved(self._by_key[k])
        candidates = sorted(
            {
                canonical
                for known, canonical in self._by_key.items()
                if known.endswith(k) and _PLACE_PREFIX.match(known[: -len(k)])
            }
        )
        if len(candidates) == 1:
            return Resolved(candidates[0])
        if candidates:
            return Ambiguous(written, tuple(candidates))
        return Unknown(written)


EMPTY_REGISTRY = DepartmentRegistry(())

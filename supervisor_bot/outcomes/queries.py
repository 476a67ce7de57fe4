"""What /status, /overdue and /measure found (services.queries builds them; views.answers renders them)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from supervisor_bot.core.evidence import Evidence
from supervisor_bot.core.matrix import Measure
from supervisor_bot.core.oversight import ItemKey, OverdueItem
from supervisor_bot.core.queries import Figures, Item, figures
from supervisor_bot.core.rounds import Round


@dataclass(frozen=True)
class NoRound:
    """No round has been opened yet."""


@dataclass(frozen=True)
class UnknownMeasure:
    written: str
    count: int  # measures in the plan


@dataclass(frozen=True)
class UnknownUnit:
    written: str
    suggestion: str | None  # the unit it most likely means


@dataclass(frozen=True)
class OnlyCooperating:
    """A unit the plan names only as 配合 while only leads are asked (`[rounds] ask = "leads"`): it reports to its
    leads, and the bot asks it nothing."""

    unit: str
    measures: tuple[str, ...]  # the labels of the measures it co-operates on


@dataclass(frozen=True)
class MeasureUsage:
    """/measure without a measure."""


@dataclass(frozen=True)
class StatusPicture:
    """The live round's items: overall (no measure, no names), for one measure, or for some units."""

    round: Round
    selected: tuple[Item, ...]
    late: Mapping[ItemKey, OverdueItem]  # the items supervision holds overdue now (core.oversight.judge)
    unbound: tuple[str, ...]  # 未绑定: listed apart, neither counted nor overdue
    measure: Measure | None = None
    names: tuple[str, ...] = ()

    @functools.cached_property
    def figures(self) -> Figures:
        """Counted once for a picture given again while it holds (services.kept)."""
        return figures(self.selected)


@dataclass(frozen=True)
class OverduePicture:
    round: Round
    late: tuple[OverdueItem, ...]
    waiting: tuple[Item, ...]  # not yet reported by the supervised units
    unbound: tuple[str, ...]


@dataclass(frozen=True)
class MeasureDetails:
    measure: Measure
    files: tuple[Evidence, ...]  # 佐证材料 sent for it, by any unit


StatusAnswer = NoRound | UnknownMeasure | UnknownUnit | OnlyCooperating | StatusPicture
OverdueAnswer = NoRound | OverduePicture
MeasureAnswer = MeasureUsage | UnknownMeasure | MeasureDetails

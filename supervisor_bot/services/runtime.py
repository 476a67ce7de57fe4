"""Everything the services need, loaded once at start-up: the matrix, the store, the calendar, the people."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.calendar import WorkCalendar
from supervisor_bot.core.ladder import LadderConfig
from supervisor_bot.core.matrix import Matrix
from supervisor_bot.core.office import Office, office_for
from supervisor_bot.core.people import ChatId, UserId
from supervisor_bot.core.prompts import Prompt
from supervisor_bot.core.registry import DepartmentRegistry, Resolved
from supervisor_bot.core.respondents import Duty, Respondent, duties, respondents
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.schedule import RoundSchedule
from supervisor_bot.core.scoring import ScoringRules
from supervisor_bot.ports.store import Store


@dataclass
class Runtime:
    matrix: Matrix
    registry: DepartmentRegistry
    store: Store
    calendar: WorkCalendar
    schedule: RoundSchedule
    coordinators: frozenset[UserId] = frozenset()
    bureau_chat: ChatId | None = None
    leaders_chat: ChatId | None = None
    extra_liaisons: Mapping[str, frozenset[UserId]] = field(default_factory=dict)
    ladder: LadderConfig = field(default_factory=LadderConfig)
    deployment: Office | None = None  # the office's names; None: taken from the plan alone
    office: Office = field(init=False)
    scoring: ScoringRules = field(default_factory=ScoringRules)  # 考核: `[scoring]`
    leaders: frozenset[UserId] = frozenset()  # `people.leaders`: they may read scores (/score) and the dashboard
    plan: str = ""  # the plan's key in a deployment of several plans (`[[plans]]`); "": the one plan, no key shown
    retired: bool = False  # `plan retire`: its history is kept and shown, no more rounds open
    siblings: tuple[Runtime, ...] = field(default=(), repr=False, compare=False)  # every plan's (itself too)
    respondents: dict[str, Respondent] = field(init=False)
    duties: dict[str, tuple[Duty, ...]] = field(init=False)
    views: dict[str, tuple[int, int | None]] = field(init=False, default_factory=dict)
    kept: dict[tuple[object, ...], object] = field(init=False, default_factory=dict, repr=False, compare=False)
    """Answers worked out before, for as long as the store's revision says they hold (services.overdue)."""

    def __post_init__(self) -> None:
        self.matrix = self.matrix.asking(self.schedule.ask)
        if self.plan != self.matrix.plan:  # messages name each item with its plan's key
            self.matrix = replace(self.matrix, plan=self.plan)
        self.office = self.deployment or office_for(self.matrix)
        self.respondents = {r.name: r for r in respondents(self.matrix)}
        self.duties = {name: duties(self.matrix, r) for name, r in self.respondents.items()}

    def with_view(self, prompt: Prompt) -> Prompt:
        """A checklist as it is shown: the page and the measure in view live in memory, not on disk — they are
        no report, and a restart may well show the list's first page again."""
        page, focus = self.views.get(prompt.id, (prompt.page, prompt.focus))
        return replace(prompt, page=page, focus=focus)

    def remember_view(self, prompt: Prompt) -> None:
        self.views[prompt.id] = (prompt.page, prompt.focus)

    def live_prompt(self, prompt_id: str) -> Prompt | None:
        found = self.store.prompt(prompt_id)
        return self.with_view(found) if found is not None else None

    @property
    def tz(self) -> str:
        return self.schedule.timezone

    def label(self, measure: int) -> str:
        """The measure's number as the plan prints it."""
        return self.matrix.label(measure)

    def item(self, measure: int) -> str:
        """`措施5`; `营商环境 措施5` in a deployment of several plans."""
        return self.matrix.item(measure)

    def is_coordinator(self, user_id: UserId) -> bool:
        return user_id in self.coordinators

    def binding_of(self, respondent: str) -> Binding | None:
        """The respondent's binding, with the liaisons the settings add."""
        found = next((b for b in self.store.bindings() if b.respondent == respondent), None)
        if found is None:
            return None
        extra = self.extra_liaisons.get(respondent, frozenset())
        return (
            found
            if not extra
            else Binding(found.respondent, found.chat_id, found.liaisons | extra, found.active, found.title)
        )

    def plan_bindings(self) -> list[Binding]:
        """The bindings of this plan's units (a group bound for another plan's unit is not asked about this one)."""
        return [b for b in self.store.bindings() if b.respondent in self.respondents]

    def bound(self) -> frozenset[str]:
        """The units bound to a group now; the others are 未绑定: neither counted nor overdue."""
        return frozenset(b.respondent for b in self.store.bindings() if b.active and b.respondent in self.respondents)

    def binding_of_chat(self, chat_id: ChatId) -> Binding | None:
        found = next((b for b in self.store.bindings() if b.chat_id == chat_id), None)
        return self.binding_of(found.respondent) if found is not None else None

    def current_round(self) -> Round | None:
        """The latest round opened (the store lists rounds in the order they opened)."""
        rounds = self.store.rounds()
        return rounds[-1] if rounds else None

    def round(self, round_id: str) -> Round | None:
        return next((r for r in self.store.rounds() if r.id == round_id), None)

    def find_respondent(self, written: str) -> list[str]:
        """Respondents a coordinator may mean by `written`: exact, alias, prefix-less, or by substring."""
        text = written.strip()
        if text in self.respondents:
            return [text]
        resolved = self.registry.resolve(text)
        if isinstance(resolved, Resolved):
            name = resolved.name
            if name in self.respondents:
                return [name]
            members = [r.name for r in self.respondents.values() if r.department == name]
            if members:
                return members
        return [n for n in self.respondents if text and text in n]

    def suggest_respondent(self, written: str) -> str | None:
        """The unit a name that matched none most likely means (by its name or an alias), for a "did you mean"."""
        from supervisor_bot.core.plan_names import closest_name  # the importer's modules: only for a name misspelt

        names = {name: name for name in self.respondents}
        for department in self.registry.departments:
            if department.name in self.respondents:
                names.update((alias, department.name) for alias in department.aliases)
        return closest_name(written, names)

"""Bad input (issue 5): arbitrary callback data, command arguments, notes, settings files and plan text.

Properties over the parsing and service layer, on a MemoryStore: nothing raises but the project's own error types
(ConfigError naming the file and the key, PlanFormatError naming the line); bad input gets a refusal or a usage
message; refused input leaves the store exactly as it was; valid input round-trips.

`pytest tests/unit/test_bad_input.py --hypothesis-show-statistics` gives the number of inputs tried by each
property (and, for the service properties, how the inputs were answered).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import os
import re
import string
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from storage.memory import MemoryStore
from supervisor_bot.core import tick
from supervisor_bot.core.bindings import Binding, BindRefusal, Bound, Invite
from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.people import SYSTEM, Actor, ChatId, MessageId
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.prompts import PendingNote, Prompt
from supervisor_bot.core.reports import MAX_NOTE_LENGTH, AuditEntry, Refusal
from supervisor_bot.core.schedule import RoundSchedule
from supervisor_bot.core.status import Status
from supervisor_bot.core.tickets import Ticket, TicketKind
from supervisor_bot.services import binding, digests, interviews, ladder, queries, reporting, supervision
from supervisor_bot.services import tickets as ticket_service
from supervisor_bot.services.interviews import InterviewRefused
from supervisor_bot.services.outcomes import TicketRefused
from supervisor_bot.services.plans import read_plan_text
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.settings.calendar import covered_years, load_calendar
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.paths import PROJECT_ROOT
from supervisor_bot.settings.settings import load_settings
from supervisor_bot.views import answers, bureau, callbacks, checklist, messages, tickets
from supervisor_bot.views.callbacks import Act, Press
from supervisor_bot.views.tickets import EXTENSION_CHOICES, TicketAct, TicketPress
from tests.conftest import CONFIG, DEPARTMENTS, JINAN_PLAN

# Many examples for the parsers, fewer for the services and files; the module stays under ~30 s on two cores.
# BAD_INPUT_SCALE=10 runs ten times as many (a longer hunt; the examples of a failure are printed as usual).
SCALE = float(os.environ.get("BAD_INPUT_SCALE", "1"))
MANY = settings(max_examples=int(400 * SCALE), deadline=None)
SOME = settings(max_examples=int(150 * SCALE), deadline=None, suppress_health_check=[HealthCheck.too_slow])

CJK = re.compile(r"[\u4e00-\u9fff]")
TZ = "Asia/Shanghai"
MONDAY = pendulum.datetime(2021, 9, 6, 9, 0, tz=TZ)
NOW = MONDAY.add(weeks=1, days=1, hours=1)  # Tuesday 10:00 of the second round: it is open
FIN, EDU, COM = "市财政局", "市教育局", "市商务局"
CHATS = {FIN: -1001, EDU: -1002}
LIAISONS = {FIN: Actor(101, "财政局联络员"), EDU: Actor(102, "教育局联络员")}
STRANGER = Actor(999, "路人甲")
COORDINATOR = Actor(1, "王协调")
BUREAU = -900100
TICKET_MESSAGE = 500
NOTE_REQUEST = 700  # the message id of the bot's request for a note
VALID_CODE, USED_CODE, EXPIRED_CODE = "VALID234", "USED2345", "OLDC2345"

REGISTRY = load_registry(DEPARTMENTS)
JINAN_TEXT = JINAN_PLAN.read_text(encoding="utf-8")
MATRIX = import_plan(JINAN_TEXT, REGISTRY).matrix
CALENDAR = load_calendar(CONFIG / "calendar_overrides.toml")


# ------------------------------------------------------------------------------------------------- the world


def state(store: object) -> dict[str, Any]:
    """Everything the store holds, to compare before and after."""
    return copy.deepcopy(vars(store))


def changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def _open_round(rt: Runtime, at: pendulum.DateTime, first_message: int) -> None:
    """What the tick does when a round opens, without Telegram: the checklists 'sent' as first_message, …"""
    actions = supervision.due(rt, at)
    for action in actions:
        if isinstance(action, tick.OpenRound):
            supervision.open_round(rt, action)
    prepared = supervision.prepare_prompts(rt, [a for a in actions if isinstance(a, tick.SendPrompt)], at)
    supervision.prompts_sent(rt, [(p.prompt, p.prompt.chat_id, first_message + i) for i, p in enumerate(prepared)])


@dataclass(frozen=True)
class Fixture:
    """Two bound departments; the first round (W36) closed by the second (W37), which is live; a 督办单 in the
    bureau's chat; invites (valid, used, expired); a pending note for 市财政局."""

    rt: Runtime
    live: dict[str, Prompt]  # respondent → its checklist in the live round
    old: dict[str, Prompt]  # respondent → its checklist in the closed round (gone from the store)
    measures: dict[str, tuple[int, ...]]  # respondent → its measures
    ticket: Ticket
    templates: dict[str, MemoryStore]

    def fresh(self, template: str = "live") -> Runtime:
        """The runtime on a copy of a stored state: each example starts from the same place."""
        self.rt.store = copy.deepcopy(self.templates[template])
        self.rt.views.clear()
        return self.rt


def _fixture() -> Fixture:
    store = MemoryStore()
    rt = Runtime(
        matrix=MATRIX,
        registry=REGISTRY,
        store=store,
        calendar=CALENDAR,
        schedule=RoundSchedule(),
        coordinators=frozenset({COORDINATOR.user_id}),
        bureau_chat=BUREAU,
        leaders_chat=-900200,
    )
    for name, chat in CHATS.items():
        store.save_binding(
            Binding(name, chat, frozenset({LIAISONS[name].user_id}), True, f"{name}督办工作群"),
            AuditEntry(MONDAY, SYSTEM, chat, "bind", respondent=name),
        )
    no_round = copy.deepcopy(store)
    _open_round(rt, MONDAY, 1)
    old = {p.respondent: p for p in store.prompts()}
    _open_round(rt, MONDAY.add(weeks=1), 11)
    live = {p.respondent: p for p in store.prompts()}
    assert set(live) == set(old) == set(CHATS) and not set(p.id for p in old.values()) & {p.id for p in live.values()}
    measures = {name: tuple(d.measure.number for d in rt.duties[name]) for name in CHATS}
    current = rt.current_round()
    assert current is not None and current.is_open(NOW)
    ticket = Ticket("1", TicketKind.ESCALATION, current.id, FIN, measures[FIN][:2], BUREAU, TICKET_MESSAGE)
    store.save_ticket(ticket)
    for code, used, expires in (
        (VALID_CODE, False, NOW.add(hours=70)),
        (USED_CODE, True, NOW.add(hours=70)),
        (EXPIRED_CODE, False, NOW.subtract(hours=1)),
    ):
        made = Invite(code, COM, COORDINATOR, NOW.subtract(hours=2), expires)
        store.save_invite(replace(made, used_at=NOW.subtract(hours=1), used_by=STRANGER) if used else made)
    store.save_pending_note(
        PendingNote(current.id, FIN, measures[FIN][0], Status.DONE, CHATS[FIN], NOTE_REQUEST, LIAISONS[FIN], NOW)
    )
    kept_old = copy.deepcopy(store)  # a store that still holds the closed round's checklists
    kept_old.save_prompts(list(old.values()))
    templates = {"live": copy.deepcopy(store), "no_round": no_round, "kept_old": kept_old}
    return Fixture(rt, live, old, measures, ticket, templates)


WORLD = _fixture()


# ------------------------------------------------------------------------------------------------- strategies

PROMPT_IDS = st.text(alphabet=string.digits + string.ascii_lowercase, min_size=1, max_size=12)
# what passes for a number somewhere: full-width, Arabic-Indic and superscript digits, signs, leading zeros
ODD_NUMBERS = st.sampled_from(["²", "٣", "８", "09", "0009", "-1", "+1", "1.5", "1e3", " 1", "1 ", "10000", "", "0"])
FIELDS = st.one_of(
    st.sampled_from([a.value for a in Act] + [a.value for a in TicketAct] + ["d", "n", "p", "b", "x", "ST", "pg "]),
    PROMPT_IDS,
    st.integers(0, 99999).map(str),
    ODD_NUMBERS,
    st.text(max_size=6),
)
NEAR_MISSES = st.lists(FIELDS, min_size=1, max_size=5).map("|".join)  # the shape of callback data, not its sense
ODD_IDS = st.sampled_from(["", "A1", "a\n", "a b", "a" * 13, "-1", "ａ", "1.0"])
NUMBER_LIKE = st.one_of(
    ODD_NUMBERS,
    st.integers(0, 99999).map(str),
    st.text(alphabet=st.characters(categories=["Nd"]), min_size=1, max_size=5),
)
STATUS_CODES = st.sampled_from(["d", "n", "p", "b", "x", "D", "", "done", "d\n"])
# the shape of the bot's own buttons, with one field or more that is not quite right
ALMOST = st.builds(
    lambda act, pid, number, last, arity: "|".join([act, pid, number, last][:arity]),
    st.sampled_from([a.value for a in Act] + [a.value for a in TicketAct]),
    st.one_of(PROMPT_IDS, ODD_IDS),
    NUMBER_LIKE,
    st.one_of(STATUS_CODES, NUMBER_LIKE),
    st.integers(1, 4),
)
CALLBACK_TEXT = st.one_of(
    ALMOST,
    NEAR_MISSES,
    st.text(max_size=64),
    st.binary(max_size=64).map(lambda b: b.decode("utf-8", "replace")),
    st.text(min_size=60, max_size=200),  # longer than Telegram carries (64 bytes)
    st.text(alphabet=st.characters(codec="ascii"), min_size=1, max_size=80),
    st.text(alphabet=st.characters(), max_size=20),  # lone surrogates too: JSON can carry "\ud800"
)


def make_press(act: Act, prompt_id: str, number: int, status: Status) -> Press:
    if act is Act.BACK:
        return Press(act, prompt_id)
    return Press(act, prompt_id, number, status if act is Act.STATUS else None)


def presses(prompt_ids: st.SearchStrategy[str], numbers: st.SearchStrategy[int]) -> st.SearchStrategy[Press]:
    return st.builds(make_press, st.sampled_from(Act), prompt_ids, numbers, st.sampled_from(Status))


ANY_PRESS = presses(PROMPT_IDS, st.integers(0, 9999))


def make_ticket_press(act: TicketAct, ticket_id: str, measure: int, workdays: int) -> TicketPress:
    arity = {TicketAct.BACK: 2, TicketAct.CLOSE: 2, TicketAct.RETURN: 2, TicketAct.EXTEND: 4}.get(act, 3)
    return TicketPress(act, ticket_id, measure if arity >= 3 else 0, workdays if arity == 4 else 0)


ANY_TICKET_PRESS = st.builds(
    make_ticket_press,
    st.sampled_from(TicketAct),
    PROMPT_IDS,
    st.integers(0, 9999),
    st.sampled_from(EXTENSION_CHOICES),
)


def mutate(data: str, position: int, kind: str, ch: str) -> str:
    """One slip of a hand or of a network: a character dropped, added or changed, or the end cut off."""
    i = position % (len(data) + 1)
    if kind == "cut":
        return data[:i]
    if kind == "drop":
        return data[:i] + data[i + 1 :]
    if kind == "add":
        return data[:i] + ch + data[i:]
    return data[:i] + ch + data[i + 1 :]


MUTATIONS = st.tuples(st.integers(0, 100), st.sampled_from(["cut", "drop", "add", "change"]), st.characters())
TEXT = st.characters(exclude_categories=["Cs"])  # what a file or a message can hold: no lone surrogates


# ------------------------------------------------------------------------------------------------- callback data


@MANY
@given(data=st.one_of(CALLBACK_TEXT, st.none()))
@example("st|1|²|d")  # found: "²".isdigit() is true and int() refuses it
@example("tg|1|٣|5")
@example("bk|a\n")  # found: `$` matched before a trailing newline
@example("pg|1|0001")  # found: four spellings of page 1
@example("\ud800")  # found: UnicodeEncodeError (JSON can carry a lone surrogate: "\\ud800")
def test_callback_data_decodes_strictly_or_not_at_all(data: str | None) -> None:
    """Whatever arrives, decode answers a press or None; what it accepts is exactly what encode writes."""
    press = callbacks.decode(data)
    ticket = tickets.decode(data)
    assert press is None or ticket is None
    event("decoded" if press or ticket else "refused")
    if press is not None:
        assert data is not None and callbacks.encode(press) == data
    if ticket is not None:
        assert data is not None and tickets.encode(ticket) == data
        assert re.match(tickets.PATTERN, data)  # the bureau's handler is the one that sees it


@MANY
@given(press=ANY_PRESS, ticket=ANY_TICKET_PRESS)
def test_valid_callback_data_round_trips_within_64_bytes(press: Press, ticket: TicketPress) -> None:
    data = callbacks.encode(press)
    assert len(data.encode()) <= callbacks.MAX_BYTES
    assert callbacks.decode(data) == press
    assert tickets.decode(data) is None
    ticket_data = tickets.encode(ticket)
    assert tickets.decode(ticket_data) == ticket
    assert callbacks.decode(ticket_data) is None


@MANY
@given(press=ANY_PRESS, slip=MUTATIONS)
def test_truncated_or_altered_callback_data(press: Press, slip: tuple[int, str, str]) -> None:
    data = mutate(callbacks.encode(press), *slip)
    decoded = callbacks.decode(data)
    event("still valid" if decoded is not None else "refused")
    if decoded is not None:  # `pg|3|12` cut to `pg|3|1` is another page, and still a button the bot makes
        assert callbacks.encode(decoded) == data


# ------------------------------------------------------------------------------------------------- button presses

PRESSERS = st.sampled_from([LIAISONS[FIN], LIAISONS[EDU], STRANGER, COORDINATOR])


def _places() -> list[tuple[str, ChatId, MessageId]]:
    return [
        ("市财政局's checklist", CHATS[FIN], WORLD.live[FIN].message_id or 0),
        ("市教育局's checklist", CHATS[EDU], WORLD.live[EDU].message_id or 0),
        ("市财政局's old checklist", CHATS[FIN], WORLD.old[FIN].message_id or 0),
        ("another message in 市财政局's chat", CHATS[FIN], 4242),
        ("the bureau's 督办单", BUREAU, TICKET_MESSAGE),
        ("a chat the bot does not know", -555, 1),
    ]


PLACES = st.sampled_from(_places())


def check_press(
    rt: Runtime, data: str | None, chat: ChatId, message: MessageId, actor: Actor
) -> reporting.PressOutcome:
    """A checklist press: a refusal the bot can word, and nothing changed; or a valid press by a liaison on their
    own live checklist, which changes at most that department's reports in the live round."""
    before = state(rt.store)
    outcome = reporting.press(rt, callbacks.decode(data), chat, message, actor, NOW)
    after = state(rt.store)
    event(f"answer: {outcome.reason.value if isinstance(outcome, reporting.Refused) else type(outcome).__name__}")
    if isinstance(outcome, reporting.Refused):
        assert CJK.search(messages.REFUSALS[outcome.reason])
        assert after == before
        return outcome
    press = callbacks.decode(data)
    assert press is not None
    prompt = rt.store.prompt(press.prompt_id)
    assert prompt is not None and (prompt.chat_id, prompt.message_id) == (chat, message)
    assert actor == LIAISONS[prompt.respondent]
    writes = press.act is Act.STATUS and press.status is not None and not press.status.needs_note
    assert changed(before, after) <= ({"_reports", "_audit"} if writes else set())
    if writes:
        live = rt.current_round()
        assert live is not None
        assert rt.store.reports(live.id)[(press.number, prompt.respondent)].status is press.status
    return outcome


@SOME
@given(data=st.one_of(CALLBACK_TEXT, st.none()), actor=PRESSERS, place=PLACES)
def test_forged_callback_data_is_refused_and_changes_nothing(
    data: str | None, actor: Actor, place: tuple[str, ChatId, MessageId]
) -> None:
    _, chat, message = place
    outcome = check_press(WORLD.fresh(), data, chat, message, actor)
    if callbacks.decode(data) is None:
        assert outcome == reporting.Refused(Refusal.FORGED)


@SOME
@given(press=st.data(), slip=MUTATIONS, actor=PRESSERS)
def test_truncated_valid_data_on_the_checklist(press: st.DataObject, slip: tuple[int, str, str], actor: Actor) -> None:
    valid = press.draw(presses(st.just(WORLD.live[FIN].id), st.sampled_from(WORLD.measures[FIN])))
    data = mutate(callbacks.encode(valid), *slip)
    check_press(WORLD.fresh(), data, CHATS[FIN], WORLD.live[FIN].message_id or 0, actor)


@SOME
@given(press=st.data(), actor=st.sampled_from([LIAISONS[FIN], LIAISONS[EDU]]), on=st.sampled_from([FIN, EDU]))
def test_valid_data_from_another_departments_checklist(press: st.DataObject, actor: Actor, on: str) -> None:
    """A button copied from 市教育局's checklist, pressed on 市财政局's (or the other way round), by either
    department's liaison: it is not this chat's, and nothing changes."""
    other = EDU if on == FIN else FIN
    valid = press.draw(presses(st.just(WORLD.live[other].id), st.sampled_from(WORLD.measures[other])))
    outcome = check_press(WORLD.fresh(), callbacks.encode(valid), CHATS[on], WORLD.live[on].message_id or 0, actor)
    assert outcome == reporting.Refused(Refusal.WRONG_CHAT)


@SOME
@given(press=st.data(), kept=st.booleans(), on=st.sampled_from(["old", "live"]))
def test_valid_data_from_a_closed_round(press: st.DataObject, kept: bool, on: str) -> None:
    """The first round's buttons, pressed by the liaison on the old checklist or the live one; whether or not the
    store still holds the old checklist, the press is refused and nothing changes."""
    valid = press.draw(presses(st.just(WORLD.old[FIN].id), st.sampled_from(WORLD.measures[FIN])))
    message = (WORLD.old if on == "old" else WORLD.live)[FIN].message_id or 0
    rt = WORLD.fresh("kept_old" if kept else "live")
    outcome = check_press(rt, callbacks.encode(valid), CHATS[FIN], message, LIAISONS[FIN])
    assert isinstance(outcome, reporting.Refused)
    if not kept:
        assert outcome.reason is Refusal.FORGED
    elif on == "old":
        assert outcome.reason is Refusal.ROUND_CLOSED


@SOME
@given(press=st.data())
def test_a_valid_press_by_the_liaison_works(press: st.DataObject) -> None:
    valid = press.draw(presses(st.just(WORLD.live[FIN].id), st.sampled_from(WORLD.measures[FIN])))
    message = WORLD.live[FIN].message_id or 0
    outcome = check_press(WORLD.fresh(), callbacks.encode(valid), CHATS[FIN], message, LIAISONS[FIN])
    if valid.act is Act.NOTE:  # nothing reported on the measure yet
        assert outcome == reporting.Refused(Refusal.NOTHING_TO_NOTE)
    elif valid.act is Act.STATUS and valid.status is not None and valid.status.needs_note:
        assert isinstance(outcome, reporting.AskNote) and outcome.measure == valid.number
    else:
        assert isinstance(outcome, reporting.Show)


TICKET_DATA = st.one_of(
    CALLBACK_TEXT,
    ANY_TICKET_PRESS.map(tickets.encode),
    st.builds(
        make_ticket_press,
        st.sampled_from(TicketAct),
        st.just(WORLD.ticket.id),
        st.sampled_from((*WORLD.ticket.measures, 0, 9, 9999)),
        st.sampled_from(EXTENSION_CHOICES),
    ).map(tickets.encode),
)


@SOME
@given(data=TICKET_DATA, slip=st.one_of(st.none(), MUTATIONS), actor=PRESSERS, place=PLACES)
def test_forged_data_on_the_bureaus_tickets(
    data: str, slip: tuple[int, str, str] | None, actor: Actor, place: tuple[str, ChatId, MessageId]
) -> None:
    if slip is not None:
        data = mutate(data, *slip)
    _, chat, message = place
    rt = WORLD.fresh()
    before = state(rt.store)
    outcome = ticket_service.ticket_press(rt, tickets.decode(data), chat, message, actor, NOW)
    event(f"answer: {type(outcome).__name__}")
    if isinstance(outcome, TicketRefused):
        assert CJK.search(bureau.TICKET_REFUSALS[outcome.reason])
        assert state(rt.store) == before
        return
    pressed = tickets.decode(data)
    assert pressed is not None and pressed.ticket_id == WORLD.ticket.id
    assert actor == COORDINATOR and (chat, message) == (BUREAU, TICKET_MESSAGE)


# ------------------------------------------------------------------------------------------------- notes

WHITESPACE = " \t\n\r\x0b\x0c\u3000\u00a0\u2028\u2029\x1c\x85"
NOTES = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=WHITESPACE, max_size=12),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"]), max_size=20),
    st.integers(MAX_NOTE_LENGTH - 3, MAX_NOTE_LENGTH + 3).flatmap(
        lambda n: st.tuples(st.text(alphabet=WHITESPACE, max_size=3), st.just("字" * n), st.text(max_size=3)).map(
            "".join
        )
    ),
    st.text(min_size=MAX_NOTE_LENGTH - 10, max_size=MAX_NOTE_LENGTH + 10),
)


@SOME
@given(
    text=NOTES,
    via=st.sampled_from(["stored request", "request text only", "the checklist", "another message"]),
    actor=st.sampled_from([LIAISONS[FIN], LIAISONS[FIN], LIAISONS[EDU], STRANGER]),
)
def test_a_note_of_any_text(text: str, via: str, actor: Actor) -> None:
    """A reply to the bot's request for a note: recorded as written (stripped) when it is a liaison's note of 1–500
    characters; otherwise refused with a reason, and nothing changes."""
    rt = WORLD.fresh()
    measure = WORLD.measures[FIN][0]
    request = checklist.note_request(rt.item(measure), Status.DONE, FIN).text
    reply_to: MessageId = NOTE_REQUEST
    request_text = request
    if via == "request text only":  # the reply overtook the write of the pending note
        rt.store.delete_pending_note(CHATS[FIN], NOTE_REQUEST)
    elif via == "the checklist":  # a reply to the checklist while it shows the measure
        prompt = WORLD.live[FIN]
        rt.remember_view(replace(prompt, focus=measure))
        reply_to, request_text = prompt.message_id or 0, ""
    elif via == "another message":
        reply_to, request_text = 4242, "本轮督办清单已发送。"
    before = state(rt.store)
    outcome = reporting.note(rt, CHATS[FIN], reply_to, text, actor, NOW, request_text, NOW)
    after = state(rt.store)
    event(f"answer: {outcome.reason.value if isinstance(outcome, reporting.Refused) else type(outcome).__name__}")
    if via == "another message":
        assert outcome == reporting.NotANote(True)
    elif actor != LIAISONS[FIN]:
        assert outcome == reporting.Refused(Refusal.NOT_LIAISON)
    elif via == "the checklist":  # nothing reported on the measure yet: no report to annotate
        assert outcome == reporting.Refused(Refusal.NOTHING_TO_NOTE)
    elif not text.strip():
        assert outcome == reporting.Refused(Refusal.NOTE_REQUIRED)
    elif len(text.strip()) > MAX_NOTE_LENGTH:
        assert outcome == reporting.Refused(Refusal.NOTE_TOO_LONG)
    else:
        assert isinstance(outcome, reporting.NoteRecorded)
        live = rt.current_round()
        assert live is not None
        stored = rt.store.reports(live.id)[(measure, FIN)]
        assert stored == outcome.report and stored.note == text.strip() and stored.status is Status.DONE
        assert changed(before, after) <= {"_reports", "_audit", "_notes"}
        return
    if isinstance(outcome, reporting.Refused):
        assert CJK.search(messages.REFUSALS[outcome.reason])
    assert after == before


# ------------------------------------------------------------------------------------------------- commands

KNOWN_NAMES = [
    FIN,
    "市人社局",
    "财政局",
    "人力资源社会保障局",
    "各区县政府",
    "市",
    "局",
    "市宇宙局",
    "商河县",
    "高新区",
    "市财政局 市教育局",
]
ARGUMENTS = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Nd"]), min_size=1, max_size=8),  # any decimal digits: ８, ٣ …
    st.integers(-5, 70).map(str),
    ODD_NUMBERS,
    st.sampled_from(KNOWN_NAMES),
    st.text(alphabet="0123456789", min_size=4000, max_size=4400),
)


@SOME
@given(argument=ARGUMENTS, template=st.sampled_from(["live", "no_round"]))
@example("²", "live")  # found: ValueError from int()
@example("9" * 4400, "live")  # found: int() refuses more than 4300 digits
@example("８", "live")  # a full-width 8 is measure 8
def test_status_and_measure_answer_any_argument(argument: str, template: str) -> None:
    """/status X and /measure X answer in Chinese, whatever X is, and read only."""
    rt = WORLD.fresh(template)
    before = state(rt.store)
    said = [
        answers.status_answer(queries.status_of(rt, argument, NOW), rt.matrix, rt.office, rt.tz),
        answers.measure_answer(queries.measure_of(rt, argument), rt.matrix, rt.office, rt.tz),
        answers.overdue_answer(queries.overdue_of(rt, NOW), rt.matrix, rt.tz, NOW),
    ]
    for answer in said:
        assert isinstance(answer, str) and CJK.search(answer)
    assert state(rt.store) == before
    number = argument.strip()
    if number.isdecimal() and len(number) <= 6 and MATRIX.measure(int(number)) is not None:
        assert said[1].startswith(f"【措施{int(number)}】")
        event("a measure")
    else:
        event("no measure")


@SOME
@given(written=st.one_of(ARGUMENTS, st.sampled_from(sorted(WORLD.rt.respondents))))
def test_invite_any_name(written: str) -> None:
    """/invite X: a code for the one department X names, or the candidates and an example; nothing else stored."""
    rt = WORLD.fresh()
    before = state(rt.store)
    outcome = binding.invite(rt, written, COORDINATOR, NOW, code="TESTCODE")
    event(type(outcome).__name__)
    if isinstance(outcome, binding.NoSuchRespondent):
        assert len(rt.find_respondent(written)) != 1
        assert CJK.search(messages.no_such_respondent(outcome.written, outcome.candidates, rt.office))
        assert state(rt.store) == before
    else:
        assert [outcome.invite.respondent] == rt.find_respondent(written)
        assert changed(before, state(rt.store)) == {"_invites"}


CODES = st.one_of(
    st.text(max_size=20),
    st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=8, max_size=8),
    st.tuples(st.sampled_from([VALID_CODE, USED_CODE, EXPIRED_CODE]), st.one_of(st.none(), MUTATIONS)).map(
        lambda c: c[0] if c[1] is None else mutate(c[0], *c[1])
    ),
    st.sampled_from([VALID_CODE.lower(), f"  {VALID_CODE}\n", f"{VALID_CODE} {VALID_CODE}"]),
)
BIND_CHATS = st.sampled_from([(CHATS[FIN], True), (-4040, True), (-4041, False), (STRANGER.user_id, False)])


@SOME
@given(code=CODES, where=BIND_CHATS, actor=PRESSERS)
def test_bind_with_any_code(code: str, where: tuple[int, bool], actor: Actor) -> None:
    """/bind X: refused with a reason unless X is the valid, unused invite and the chat is a free group."""
    rt = WORLD.fresh()
    chat, is_group = where
    before = state(rt.store)
    outcome = binding.bind(rt, code, chat_id=chat, is_group=is_group, title="某群", actor=actor, now=NOW)
    event(f"answer: {outcome.value if isinstance(outcome, BindRefusal) else 'bound'}")
    if isinstance(outcome, BindRefusal):
        assert CJK.search(messages.BIND_REFUSALS[outcome])
        assert state(rt.store) == before
        return
    assert isinstance(outcome, Bound)
    assert code.strip().upper() == VALID_CODE and is_group and chat != CHATS[FIN]
    assert outcome.binding == Binding(COM, chat, frozenset({actor.user_id}), True, "某群")
    assert changed(before, state(rt.store)) <= {"_invites", "_bindings", "_audit", "_prompts"}


DATES = st.one_of(
    st.dates(dt.date(2020, 9, 1), dt.date(2022, 9, 30)).map(dt.date.isoformat),
    st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
    st.dates(dt.date(2021, 1, 1), dt.date(2022, 12, 31)).map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    st.sampled_from(["0001-01-01", "9999-12-31", "2021-02-30", "2021-13-01", "２０２１-09-28", "0000-00-00", "明天"]),
    st.from_regex(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}", fullmatch=True),
    st.text(max_size=10),
)


def _days_later(start: dt.date, days: int) -> str:
    try:
        return (start + dt.timedelta(days=days)).isoformat()
    except OverflowError:
        return start.isoformat()


YUETAN = st.one_of(
    st.builds(  # any day, and a deadline a few days later
        lambda unit, held, days: f"{unit} {held.isoformat()} 明确专人负责 整改期限{_days_later(held, days)}",
        st.sampled_from([FIN, "市人社局", "商河县"]),
        st.dates(),
        st.integers(0, 40),
    ),
    st.builds(
        lambda unit, held, points, deadline, label: f"{unit} {held} {points} {label}{deadline}",
        st.one_of(st.sampled_from([FIN, "市教育局", *KNOWN_NAMES]), st.text(min_size=1, max_size=6)),
        DATES,
        st.one_of(st.just("明确专人负责"), st.text(max_size=12)),
        DATES,
        st.sampled_from(["整改期限", "整改期限：", "整改期限: ", ""]),
    ),
    st.text(max_size=60),
)


@SOME
@given(text=YUETAN)
@example(f"{FIN} 0001-01-01 明确专人负责 整改期限0001-01-01")  # found: every later tick failed (OverflowError)
@example(f"{FIN} 9999-12-30 明确专人负责 整改期限9999-12-31")
def test_yuetan_with_any_arguments(text: str) -> None:
    """/yuetan: the usage with an example for anything it cannot read; what it records, the ladder can follow."""
    rt = WORLD.fresh()
    before = state(rt.store)
    recorded = interviews.record_interview(rt, text, COORDINATOR, BUREAU, NOW)
    event(f"answer: {recorded.problem.value if isinstance(recorded, InterviewRefused) else 'recorded'}")
    if isinstance(recorded, InterviewRefused):
        usage = bureau.yuetan_usage(rt.office, NOW.date())
        assert usage in bureau.interview_refused(recorded, rt.office, NOW.date())
        assert state(rt.store) == before
        return
    outcome = recorded.interview
    assert outcome.held_on is not None and outcome.rectify_by is not None
    assert outcome in rt.store.interviews()
    assert changed(before, state(rt.store)) <= {"_interviews", "_audit"}
    deadline = pendulum.datetime(outcome.rectify_by.year, outcome.rectify_by.month, outcome.rectify_by.day, tz=TZ)
    for moment in (NOW, deadline.subtract(days=1), deadline.add(hours=18)):  # the bot's tick, before and after
        ladder.due_steps(rt, rt.ladder, moment)
    assert digests.digest(rt, rt.ladder, NOW) is not None


# ------------------------------------------------------------------------------------------------- settings files


def toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml(value: object) -> str:
    """A value written as TOML (the standard library reads TOML but does not write it)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_string(str(k))} = {toml(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


SCALARS = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(),
    st.booleans(),
    st.text(max_size=12),
    st.dates(),
    st.times(),
    st.datetimes(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=5,
)


@MANY
@given(value=VALUES)
def test_the_toml_writer_of_these_tests(value: object) -> None:
    import tomllib

    read = tomllib.loads(f"x = {toml(value)}")["x"]
    assert toml(read) == toml(value)


SETTINGS_TEXT = (CONFIG / "settings.toml").read_text(encoding="utf-8")
SETTINGS_KEYS = [
    "timezone",
    "data_dir",
    "plan.file",
    "plan.departments",
    "calendar.overrides",
    "rounds.weekday",
    "rounds.opens_at",
    "rounds.due_workdays",
    "rounds.due_at",
    "escalation.remind_workdays_before",
    "escalation.escalate_workdays_after",
    "escalation.interview_after_rounds",
    "escalation.interview_workdays_after_escalation",
    "digest.weekday",
    "digest.at",
    "telegram.token",
    "telegram.base_url",
    "people.coordinators",
    "chats.bureau",
    "chats.leaders",
]


# a slip anywhere may spoil any key of any section the file has (and the top-level keys)
SPOILABLE = (
    *(k.split(".")[0] for k in SETTINGS_KEYS),
    *re.findall(r"^\[+([a-z_]+)", SETTINGS_TEXT, flags=re.MULTILINE),
    "bindings",
    "liaisons",
)


def with_value(text: str, key: str, value: str) -> str:
    """The settings file with `key` set to `value` (a TOML value, as written)."""
    section, _, name = key.rpartition(".")
    lines = text.splitlines()
    start = lines.index(f"[{section}]") + 1 if section else 0
    for i in range(start, len(lines)):
        if lines[i].startswith("["):
            break
        if re.match(rf"{re.escape(name)}\s*=", lines[i]):
            lines[i] = f"{name} = {value}"
            return "\n".join(lines) + "\n"
    raise AssertionError(f"{key} is not in the settings file")


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def expect_config_error(error: ConfigError, path: Path, *keys: str) -> None:
    """The message names the file, and the key is one of `keys` (or inside one of them), or "" for the file."""
    assert str(path) in str(error) and str(error).startswith("配置错误")
    assert CJK.search(error.problem)
    assert error.key == "" or any(error.key == k or error.key.startswith((f"{k}.", f"{k}[")) for k in keys), error.key


# strings that nearly are what a key wants: paths, times, weekdays, zones, addresses, tokens
NEAR_VALUES = st.lists(
    st.sampled_from(
        [
            "..",
            "/",
            "plans",
            "计划.txt",
            "\x00",
            " ",
            "~",
            "\\",
            "\n",
            "9",
            ":",
            "00",
            "24",
            "60",
            "周",
            "一",
            "八",
            "Asia/",
            "Shanghai",
            "http",
            "://",
            "127.0.0.1",
            "123456789",
            "AAH",
            "-",
            "_",
            "ｘ",
        ]
    ),
    max_size=6,
).map("".join)


@SOME
@given(key=st.sampled_from(SETTINGS_KEYS), value=st.one_of(VALUES, NEAR_VALUES))
@example("data_dir", "../da\x00ta")  # found: ValueError (embedded null byte) from Path.resolve
@example("plan.file", "\x00")
def test_a_wrong_value_in_settings_names_the_file_and_the_key(
    tmp_path_factory: pytest.TempPathFactory, key: str, value: object
) -> None:
    path = write(tmp_path_factory.mktemp("settings"), "settings.toml", with_value(SETTINGS_TEXT, key, toml(value)))
    try:
        load_settings(path, environ={})
    except ConfigError as error:
        event("refused")
        expect_config_error(error, path, key)
        assert error.key == key
    else:
        event("accepted")


ENVIRONMENT = [
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_BASE_URL",
    "SUPERVISOR_COORDINATORS",
    "SUPERVISOR_BUREAU_CHAT",
    "SUPERVISOR_LEADERS_CHAT",
    "SUPERVISOR_DATA_DIR",
    "SUPERVISOR_CLOCK_START",
    "SUPERVISOR_CLOCK_SPEED",
]
ENVIRONMENT_VALUES = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=30),  # no NUL
    st.integers().map(str),
    st.floats().map(str),
    st.sampled_from(
        [
            "2021-09-06T08:00",
            "2021-02-30T08:00",
            "0001-01-01",
            "http://127.0.0.1:8081",
            "ftp://x",
            "123456789:" + "A" * 20,
            "123456789:" + "A" * 19,
            "1, 2，3",
            "1,,2",
            "-1001234567890",
            "٣",
            "²",
            "nan",
            "inf",
            "1e309",
            "0",
            " ",
        ]
    ),
)


@SOME
@given(environ=st.dictionaries(st.sampled_from(ENVIRONMENT), ENVIRONMENT_VALUES, max_size=3))
def test_any_environment_variables(environ: dict[str, str]) -> None:
    """What the environment overrides: a problem names the variable, never a traceback."""
    try:
        load_settings(CONFIG / "settings.toml", environ=environ)
    except ConfigError as error:
        event("refused")
        assert error.path == "环境变量" and error.key in environ and CJK.search(error.problem)
    else:
        event("accepted")


SETTINGS_SECTIONS = ["plan", "calendar", "rounds", "escalation", "digest", "telegram", "people", "chats", "bindings"]


@SOME
@given(section=st.sampled_from([*SETTINGS_SECTIONS, "liaisons"]), value=VALUES)
def test_a_section_that_is_not_a_table(tmp_path_factory: pytest.TempPathFactory, section: str, value: object) -> None:
    """`rounds = 5` where `[rounds]` should be; `[bindings]` and `[liaisons]` with any keys and values."""
    lines = SETTINGS_TEXT.splitlines()
    start = lines.index(f"[{section}]")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
    if section in ("bindings", "liaisons") and isinstance(value, dict):
        body = [f"[{section}]", *(f"{toml_string(str(k))} = {toml(v)}" for k, v in value.items())]
        text = "\n".join([*lines[:start], *body, *lines[end:]])
    else:
        text = "\n".join([f"{section} = {toml(value)}", *lines[:start], *lines[end:]])
    path = write(tmp_path_factory.mktemp("settings"), "settings.toml", text + "\n")
    try:
        load_settings(path, environ={})
    except ConfigError as error:
        event("refused")
        expect_config_error(error, path, section)
        assert error.key
    else:
        event("accepted")


TEXT_SLIPS = st.lists(
    st.tuples(st.integers(0, 10_000), st.sampled_from(["cut", "drop", "add", "change"]), TEXT),
    min_size=1,
    max_size=4,
)


def slipped(text: str, slips: list[tuple[int, str, str]]) -> str:
    for position, kind, ch in slips:
        text = mutate(text, position * len(text) // 10_000, kind, ch)
    return text


@SOME
@given(slips=TEXT_SLIPS, garbage=st.one_of(st.none(), st.binary(max_size=40)))
def test_a_broken_settings_file(
    tmp_path_factory: pytest.TempPathFactory, slips: list[tuple[int, str, str]], garbage: bytes | None
) -> None:
    """Characters dropped, added or changed anywhere in settings.toml, or bytes that are not text."""
    content: str | bytes = slipped(SETTINGS_TEXT, slips) if garbage is None else garbage
    path = write(tmp_path_factory.mktemp("settings"), "settings.toml", content)
    try:
        load_settings(path, environ={})
    except ConfigError as error:
        event("refused")
        expect_config_error(error, path, *SPOILABLE)
    else:
        event("accepted")


NAMES = st.one_of(st.sampled_from(["市财政局", "市教育局", "市人社局", "财政局", " ", ""]), st.text(max_size=8))
DEPARTMENT_ENTRIES = st.dictionaries(
    st.sampled_from(["name", "aliases", "members", "note"]),
    st.one_of(NAMES, st.lists(NAMES, max_size=3), VALUES),
    max_size=4,
)
REGISTRY_DOCUMENTS = st.one_of(
    st.fixed_dictionaries({"department": st.lists(st.one_of(DEPARTMENT_ENTRIES, VALUES), max_size=4)}),
    st.fixed_dictionaries({"department": VALUES}),
    st.dictionaries(st.text(max_size=4), VALUES, max_size=2),
)


def toml_document(data: dict[str, object]) -> str:
    return "".join(f"{toml_string(k)} = {toml(v)}\n" for k, v in data.items())


DEPARTMENTS_TEXT = DEPARTMENTS.read_text(encoding="utf-8")


@SOME
@given(
    document=st.one_of(REGISTRY_DOCUMENTS.map(toml_document), TEXT_SLIPS.map(lambda s: slipped(DEPARTMENTS_TEXT, s)))
)
def test_a_broken_department_registry(tmp_path_factory: pytest.TempPathFactory, document: str) -> None:
    path = write(tmp_path_factory.mktemp("registry"), "departments.toml", document)
    try:
        load_registry(path)
    except ConfigError as error:
        event("refused")
        expect_config_error(error, path, "department")
    else:
        event("accepted")


def _date_range(pair: tuple[dt.date, int]) -> str:
    start, days = pair
    try:
        return f"{start.isoformat()}..{(start + dt.timedelta(days=days)).isoformat()}"
    except OverflowError:
        return start.isoformat()


DATE_ITEMS = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.tuples(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), st.integers(-10, 400)).map(_date_range),
    st.tuples(st.dates(), st.dates()).map(lambda p: f"{p[0].isoformat()}..{p[1].isoformat()}"),
    st.sampled_from(["2027-02-30", "2027-1-1", "2027-01-01..", "..2027-01-01", "2027/01/01", "20270101", "0000-01-01"]),
    st.text(max_size=12),
)
CALENDAR_TABLES = st.dictionaries(
    st.sampled_from(["holidays", "workdays", "Holidays", "days"]),
    st.one_of(st.lists(DATE_ITEMS, max_size=4), VALUES),
    max_size=3,
)
YEARS = st.one_of(
    st.integers(1990, 2100).map(str),
    st.sampled_from(["²", "٢٠٢٧", "２０２７", "0000", "99999", ""]),
    st.text(max_size=5),
)


@SOME
@given(document=st.dictionaries(YEARS, st.one_of(CALENDAR_TABLES, VALUES), max_size=3))
@example({"²": {"holidays": []}})  # found: accepted as a year, then int("²") failed in check-config
@example({"2027": {"holidays": ["0001-01-01..9999-12-31"]}})  # found: 23 s and 520 MB to load
def test_a_broken_calendar_override_file(tmp_path_factory: pytest.TempPathFactory, document: dict[str, object]) -> None:
    """Years that are no years, dates that are no dates, ranges backwards or thousands of years long."""
    path = write(tmp_path_factory.mktemp("calendar"), "calendar_overrides.toml", toml_document(document))
    try:
        load_calendar(path)
    except ConfigError as error:
        event("refused")
        expect_config_error(error, path, *document)
    else:
        event("accepted")
        assert covered_years(path)  # check-config reads the years next


# ------------------------------------------------------------------------------------------------- plan text

JINAN_LINES = JINAN_TEXT.splitlines()
SMALL_PLAN = (
    "一、稳定就业\n（一）支持企业\n1.做好甲工作，2021年12月底前完成。（市财政局、市教育局等负责）\n"
    "2.做好乙工作。（牵头单位：市人社局；责任单位：市财政局）\n二、保障措施\n3.做好丙工作。（市教育局牵头，市财政局配合）\n"
)
LINE_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "一、",
            "十一、新的部分",
            "（二十）",
            "99.",
            "1.",
            "（负责）",
            "（牵头单位：）",
            "（牵头单位：；责任单位：、）",
            "(市财政局",
            "市财政局负责)",
            "附件",
            "—71—",
            "2021年13月底前",
            "0000年底前",
            "至0000年",
            "2021年2月30日至2021年1月",
            "列第一位者为牵头单位，下同",
            "\ufeff",
        ]
    ),
)
LINE_EDITS = st.lists(
    st.tuples(st.sampled_from(["delete", "duplicate", "swap", "insert", "slip"]), st.integers(0, 10_000), LINE_TEXT),
    min_size=1,
    max_size=6,
)


def edited(lines: list[str], edits: list[tuple[str, int, str]]) -> str:
    lines = list(lines)
    for kind, where, text in edits:
        if not lines:
            lines = [text]
            continue
        i = where % len(lines)
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = (i + 1 + where // len(lines)) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "insert":
            lines.insert(i, text)
        else:  # the text slipped into the line, anywhere
            at = where % (len(lines[i]) + 1)
            lines[i] = lines[i][:at] + text + lines[i][at:]
    return "\n".join(lines)


def check_plan(text: str) -> None:
    """A plan, or PlanFormatError naming a line of the text and what was expected."""
    try:
        result = import_plan(text, REGISTRY)
    except PlanFormatError as error:
        event("refused")
        assert 1 <= error.line <= max(1, len(text.splitlines()))
        assert str(error).startswith(f"第{error.line}行") and CJK.search(error.message)
    else:
        event("imported")
        assert result.matrix.measures


@SOME
@given(edits=LINE_EDITS, small=st.booleans())
def test_a_mangled_plan_names_the_line(edits: list[tuple[str, int, str]], small: bool) -> None:
    """Lines of the Jinan plan (or a small one) deleted, repeated, swapped, inserted or slipped."""
    check_plan(edited(SMALL_PLAN.splitlines() if small else JINAN_LINES, edits))


@SOME
@given(text=st.one_of(st.text(), st.lists(LINE_TEXT, max_size=8).map("\n".join)))
@example("一、甲\n1.2021年13月底前完成。（市财政局负责）")  # found: calendar.IllegalMonthError
@example("一、甲\n1.0000年底前完成。（市财政局负责）")  # found: ValueError, year 0 is out of range
@example("一、甲\n1.工作延续至0000年。（市财政局负责）")
def test_text_that_is_no_plan(text: str) -> None:
    check_plan(text)


@SOME
@given(data=st.binary(max_size=200))
def test_a_plan_file_of_any_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = write(tmp_path_factory.mktemp("plan"), "plan.txt", data)
    try:
        text = read_plan_text(path)
    except PlanFormatError as error:
        assert str(path) in str(error)
        return
    check_plan(text)


# ------------------------------------------------------------------------------------------------- check-config


def check_config(settings_file: Path) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERVISOR_", "TELEGRAM_"))}
    environ |= {"SUPERVISOR_SETTINGS": str(settings_file), "TELEGRAM_BASE_URL": "http://127.0.0.1:8081"}
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), "check-config"],
        capture_output=True,
        text=True,
        env=environ,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )


def test_check_config_with_a_broken_settings_file(tmp_path: Path) -> None:
    broken = write(tmp_path, "settings.toml", SETTINGS_TEXT.replace('weekday = "周一"', "weekday = [周一]", 1))
    result = check_config(broken)
    assert result.returncode != 0
    assert "配置错误" in result.stdout and str(broken) in result.stdout and "TOML 格式错误" in result.stdout
    assert "Traceback" not in result.stderr


def test_check_config_with_a_broken_registry_and_calendar(tmp_path: Path) -> None:
    registry = write(tmp_path, "departments.toml", DEPARTMENTS_TEXT.replace('name = "市财政局"', "name = 5", 1))
    calendar = write(tmp_path, "calendar.toml", '[2027]\nholidays = ["2027-01-01..9999-12-31"]\n')
    text = SETTINGS_TEXT.replace('file = "plans/', f'file = "{CONFIG}/plans/')
    text = text.replace('departments = "departments.toml"', f'departments = "{registry}"')
    text = text.replace('overrides = "calendar_overrides.toml"', f'overrides = "{calendar}"')
    result = check_config(write(tmp_path, "settings.toml", text))
    assert result.returncode != 0
    assert f"{registry}，配置项 department[4].name" in result.stdout
    assert f"{calendar}，配置项 2027.holidays" in result.stdout
    assert "Traceback" not in result.stderr

"""Bad input through the real bot (issue 5): hypothesis posts arbitrary commands, note replies and button presses
into a world of the real Application and the sandbox, and checks that every one is answered in Chinese, that
nothing is stored that should not be, and that a valid press still works afterwards.

Each test keeps one world for all its examples (hypothesis runs them on the test's event loop, one after another).
`pytest tests/e2e/test_bad_input.py --hypothesis-show-statistics` gives the number of inputs each test posted.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import string
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from supervisor_bot.core.matrix import Role
from supervisor_bot.core.reports import MAX_NOTE_LENGTH, Refusal
from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import CallbackAnswer, OutgoingRecord, RateLimits
from supervisor_bot.telegram.app import SYSTEM_BUSY, build_front
from supervisor_bot.views import bureau, callbacks, messages, tickets
from supervisor_bot.views.callbacks import Act, Press, encode
from tests.e2e import harness
from tests.e2e.harness import COORDINATOR, MONDAY, STRANGER, World, a_world, eventually

FIN, EDU = "市财政局", "市教育局"
BUREAU = harness.BUREAU_CHAT
CJK = re.compile(r"[\u4e00-\u9fff]")
REFUSED = {*messages.REFUSALS.values(), bureau.NOT_COORDINATOR, bureau.UNKNOWN_TICKET}

# examples per test: about 15 ms (a command) to 80 ms (a note: a press, a request, a reply) each on the sandbox;
# BAD_INPUT_SCALE=10 runs ten times as many
SCALE = float(os.environ.get("BAD_INPUT_SCALE", "1"))
E2E = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def bound(name: str) -> bool:
    return name in (FIN, EDU)


class Stage(logging.Handler):
    """The world, and the errors the bot logs while handling updates (a handler that failed)."""

    def __init__(self, world: World, old_prompt: str, old_message: int) -> None:
        super().__init__(logging.ERROR)
        self.world = world
        self.old_prompt = old_prompt  # 市财政局's checklist in the first round, now closed
        self.old_message = old_message
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.errors.append(f"{record.getMessage()}: {record.exc_info[1] if record.exc_info else ''}")

    def __repr__(self) -> str:  # hypothesis prints the arguments of a failing example: not the whole world
        return f"Stage(old_prompt={self.old_prompt!r}, old_message={self.old_message})"


@pytest.fixture
async def stage(tmp_path: Path) -> AsyncIterator[Stage]:
    """市财政局 and 市教育局 bound; the first round opened and closed by the second, which is live. Telegram's
    20 messages a minute per group are not the subject here: the bot's limits run 100 times faster and the
    sandbox's are lifted (the rate limiter's own tests cover them)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(harness, "build_front", functools.partial(build_front, time_scale=100.0))
        async with a_world(tmp_path, bind=bound) as world:
            world.sandbox.set_limits(RateLimits(group_messages=100_000, total_messages=100_000))
            for user in (STRANGER, world.liaisons[FIN]):
                world.sandbox.create_private_chat(user)
            await world.tick(MONDAY)
            old = prompts(world)[FIN], world.checklist(FIN)["message_id"]
            await world.tick(MONDAY.add(weeks=1))
            world.clock.set(MONDAY.add(weeks=1, days=1, hours=1))  # Tuesday: the second round is open
            here = Stage(world, *old)
            logging.getLogger("supervisor_bot").addHandler(here)
            try:
                yield here
            finally:
                logging.getLogger("supervisor_bot").removeHandler(here)


async def press(world: World, chat: int, message: int, user: int, data: str) -> CallbackAnswer:
    """Press a button (any data) and wait for the answer; an accepted press may or may not redraw the
    checklist (not when it would look the same), so this waits for nothing more."""
    query = world.sandbox.press_button(chat, message, user, raw_data=data)
    return await world.sandbox.wait_for_callback_answer(query, timeout=harness.WAIT_SECONDS)


def stored(world: World) -> dict[str, Any]:
    """What the store holds, read through the Store's own methods."""
    store = world.runtime.store
    rounds = store.rounds()
    return {
        "rounds": rounds,
        "bindings": sorted(store.bindings(), key=lambda b: b.respondent),
        "reports": {r.id: store.reports(r.id) for r in rounds},
        "audit": {r.id: store.audit(r.id) for r in rounds} | {"-": store.audit(None)},
        "prompts": sorted(store.prompts(), key=lambda p: p.id),
        "interviews": store.interviews(),
        "closures": store.closures(),
        "extensions": store.extensions(),
        "tickets": store.tickets(),
    }


def changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {key for key in before if before[key] != after[key]}


# what people type: anything but lone surrogates (Telegram carries UTF-8), and no empty message
TYPED = st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=60)


# ------------------------------------------------------------------------------------------------- commands

COMMANDS = st.one_of(
    st.sampled_from(
        ["start", "help", "status", "overdue", "measure", "invite", "bind", "yuetan", "remind", "round", "digest"]
    ),
    st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=1, max_size=32),
)
ARGUMENTS = st.one_of(
    st.just(""),
    TYPED,
    st.sampled_from([FIN, "市人社局", "财政局", "市", "8", "８", "²", "0", "64", "-1", "ABCD2345", "9" * 40]),
    st.text(alphabet=st.characters(categories=["Nd"]), min_size=1, max_size=6),  # any decimal digits: ８, ٣ …
    st.builds(
        lambda unit, held, deadline: f"{unit} {held} 要点 整改期限{deadline}",
        st.sampled_from([FIN, "商河县", "市宇宙局"]),
        st.sampled_from(["2021-09-10", "0001-01-01", "2021-02-30", "明天"]),
        st.sampled_from(["2021-09-24", "0001-01-01", "9999-12-31", "2021-09-01"]),
    ),
)
SPEAKERS = st.sampled_from(
    [
        LIAISON_IN_GROUP := ("市财政局's liaison in its group", FIN, FIN),
        ("a stranger in 市财政局's group", FIN, "stranger"),
        ("市教育局's liaison in 市财政局's group", FIN, EDU),
        ("a stranger in private", "stranger", "stranger"),
        ("市财政局's liaison in private", "liaison", FIN),
        COORDINATOR_IN_PRIVATE := ("the coordinator in private", "coordinator", "coordinator"),
        ("the coordinator in the bureau's group", "bureau", "coordinator"),
    ]
)


def where(world: World, chat: str, who: str) -> tuple[int, int]:
    chats = {"stranger": STRANGER, "liaison": world.liaisons[FIN], "coordinator": COORDINATOR, "bureau": BUREAU}
    users = {"stranger": STRANGER, "coordinator": COORDINATOR}
    return chats.get(chat) or world.chats[chat], users.get(who) or world.liaisons[who]


@settings(E2E, max_examples=int(200 * SCALE))
@given(command=COMMANDS, arguments=ARGUMENTS, speaker=SPEAKERS)
@example("status", "²", LIAISON_IN_GROUP)  # found: "²".isdigit(), and int() refuses it
@example("measure", "٣", LIAISON_IN_GROUP)
@example("yuetan", f"{FIN} 0001-01-01 要点 整改期限0001-01-01", COORDINATOR_IN_PRIVATE)  # found: ticks then failed
async def test_any_command_with_any_arguments_is_answered(
    stage: Stage, command: str, arguments: str, speaker: tuple[str, str, str]
) -> None:
    """Every command, known or not, from anyone, anywhere, with anything after it: a reply in Chinese, never
    the error handler's 系统繁忙. Only a coordinator's commands store anything (an invite, a 约谈), and the tick
    after them still runs. /round and /digest by a coordinator are left to the tests of their own (they open a
    round, and draw charts)."""
    stage.errors.clear()
    world = stage.world
    label, chat_name, who = speaker
    chat, user = where(world, chat_name, who)
    coordinator = user == COORDINATOR
    if coordinator and command.lower() in ("round", "digest"):
        command = "overdue"
    event(f"from {label}")
    before = stored(world)
    answer = await world.command(chat, user, command, arguments)
    assert answer.text and CJK.search(answer.text) and answer.text != SYSTEM_BUSY, answer.text
    allowed = {"interviews", "audit"} if coordinator else set()
    assert changed(before, stored(world)) <= allowed
    if coordinator:  # what a coordinator's command stored, the next tick must be able to follow
        await world.tick()
    assert not stage.errors


# ------------------------------------------------------------------------------------------------- notes


def co_measure(world: World) -> int:
    """A measure 市财政局 co-operates on: its 已完成 goes to no one for verification."""
    return next(d.measure.number for d in world.runtime.duties[FIN] if d.role is Role.CO)


NOTES = st.one_of(
    TYPED,
    st.text(alphabet=" \t\n\u3000\u00a0", min_size=1, max_size=5),
    st.integers(MAX_NOTE_LENGTH - 2, MAX_NOTE_LENGTH + 2).map(lambda n: "进" * n),
    st.text(
        alphabet=st.characters(exclude_categories=["Cs"]), min_size=MAX_NOTE_LENGTH - 5, max_size=MAX_NOTE_LENGTH + 5
    ),
)


@settings(E2E, max_examples=int(100 * SCALE))
@given(text=NOTES, who=st.sampled_from([FIN, FIN, EDU, "stranger"]))
async def test_any_reply_to_a_note_request_is_answered(stage: Stage, text: str, who: str) -> None:
    """市财政局's liaison chooses 已完成; the bot asks for a note; someone replies with anything. The liaison's
    note of 1–500 characters is recorded as written and confirmed in place of the request; anything else gets
    a refusal in Chinese, and the report stays as it was."""
    stage.errors.clear()
    world = stage.world
    chat, measure = world.chats[FIN], co_measure(world)
    prompt = next(p for p in world.runtime.store.prompts() if p.respondent == FIN)
    mark = world.sandbox.mark()
    chose = await press(
        world,
        chat,
        int(prompt.message_id or 0),
        world.liaisons[FIN],
        encode(Press(Act.STATUS, prompt.id, measure, Status.DONE)),
    )
    assert not chose.show_alert
    request = await world.wait(
        lambda r: r.chat_id == chat and r.method == "sendMessage" and "简要说明完成情况" in (r.text or ""), after=mark
    )
    user = STRANGER if who == "stranger" else world.liaisons[who]
    live = world.runtime.current_round()
    assert live is not None
    before = stored(world)
    mark = world.sandbox.mark()
    world.sandbox.post_message(chat, user, text, reply_to_message_id=request.message_id)

    def answer(r: OutgoingRecord) -> bool:
        return r.chat_id == chat and (r.method == "sendMessage" or (r.is_edit and r.message_id == request.message_id))

    reply = await world.wait(answer, after=mark)
    assert reply.text and CJK.search(reply.text) and reply.text != SYSTEM_BUSY
    assert not stage.errors
    note = text.strip()
    if who == FIN and note and len(note) <= MAX_NOTE_LENGTH and not re.match(r"/[A-Za-z0-9_]", text):
        event("recorded")
        assert reply.is_edit and reply.text.startswith("已记录")
        report = world.runtime.store.reports(live.id)[(measure, FIN)]
        assert (report.status, report.note) == (Status.DONE, note)
        assert changed(before, stored(world)) <= {"reports", "audit"}
        return
    event("refused")
    assert reply.method == "sendMessage"
    if not text.startswith("/"):
        expected = Refusal.NOT_LIAISON if who != FIN else Refusal.NOTE_REQUIRED if not note else Refusal.NOTE_TOO_LONG
        assert reply.text == messages.REFUSALS[expected]
    assert changed(before, stored(world)) == set()


# ------------------------------------------------------------------------------------------------- buttons


def prompts(world: World) -> dict[str, str]:
    return {p.respondent: p.id for p in world.runtime.store.prompts()}


def valid(prompt_id: str, measures: list[int]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda act, number, status: encode(
            Press(act, prompt_id)
            if act is Act.BACK
            else Press(act, prompt_id, number, status if act is Act.STATUS else None)
        ),
        st.sampled_from(Act),
        st.sampled_from(measures),
        st.sampled_from(Status),
    )


def cut(data: str, at: int) -> str:
    return data[: at % max(1, len(data))]


FORGED = st.one_of(
    st.text(max_size=64),
    st.text(min_size=65, max_size=120),
    st.binary(max_size=64).map(lambda b: b.decode("utf-8", "replace")),
    st.lists(
        st.one_of(
            st.sampled_from(["pg", "ms", "st", "nt", "bk", "tx", "tg", "tr", "tb", "cs", "ct", "d", "x", "²", "８"]),
            st.text(alphabet=string.digits + string.ascii_lowercase, min_size=1, max_size=13),
        ),
        min_size=1,
        max_size=5,
    ).map("|".join),
)


@settings(E2E, max_examples=int(150 * SCALE))
@given(data=st.data(), kind=st.sampled_from(["forged", "truncated", "another department's", "the closed round's"]))
async def test_any_button_data_is_answered_and_a_valid_press_still_works(
    stage: Stage, data: st.DataObject, kind: str
) -> None:
    """Callback data forged, cut short, copied from 市教育局's checklist or from the first round's, pressed by
    anyone on 市财政局's live or old checklist or on 市教育局's: every press gets an answer; a refusal is a
    Chinese alert and changes nothing. Then the liaison's own valid press works."""
    stage.errors.clear()
    world, old_id, old_message = stage.world, stage.old_prompt, stage.old_message
    live = prompts(world)
    fin_measures = [d.measure.number for d in world.runtime.duties[FIN]]
    edu_measures = [d.measure.number for d in world.runtime.duties[EDU]]
    if kind == "forged":
        raw = data.draw(FORGED, "data")
    elif kind == "truncated":
        raw = cut(data.draw(valid(live[FIN], fin_measures), "valid data"), data.draw(st.integers(0, 64), "cut at"))
    elif kind == "another department's":
        raw = data.draw(valid(live[EDU], edu_measures), "data")
    else:
        raw = data.draw(valid(old_id, fin_measures), "data")
    chat, message = data.draw(
        st.sampled_from(
            [
                (world.chats[FIN], world.checklist(FIN)["message_id"]),
                (world.chats[FIN], old_message),
                (world.chats[EDU], world.checklist(EDU)["message_id"]),
            ]
        ),
        "pressed on",
    )
    user = data.draw(st.sampled_from([world.liaisons[FIN], world.liaisons[EDU], STRANGER, COORDINATOR]), "by")
    number = data.draw(st.sampled_from(fin_measures), "then the liaison opens")  # drawn first: a replay draws alike
    event(f"data: {kind}")
    before = stored(world)
    answer = await press(world, chat, message, user, raw)
    decoded = callbacks.decode(raw)
    if answer.show_alert:
        event("refused")
        assert answer.text in REFUSED, answer.text
        assert changed(before, stored(world)) == set()
        if decoded is None and not re.match(tickets.PATTERN, raw):
            assert answer.text == messages.REFUSALS[Refusal.FORGED]
        elif decoded is None:  # the bureau's handler takes it: no ticket of this chat
            assert answer.text == (bureau.UNKNOWN_TICKET if user == COORDINATOR else bureau.NOT_COORDINATOR)
    else:  # only data the bot made, pressed by a liaison on their own department's live checklist, is taken
        event("accepted")
        assert decoded is not None and decoded.prompt_id in live.values()
        owner = next(name for name, prompt_id in live.items() if prompt_id == decoded.prompt_id)
        assert user == world.liaisons[owner]
        assert (chat, message) == (world.chats[owner], world.checklist(owner)["message_id"])
    # and the bot is alive and still right: the liaison opens a measure on the live checklist
    checklist = world.checklist(FIN)["message_id"]
    opened = await press(
        world, world.chats[FIN], checklist, world.liaisons[FIN], encode(Press(Act.MEASURE, live[FIN], number))
    )
    assert not opened.show_alert
    await eventually(lambda: world.checklist(FIN)["text"].startswith(f"【措施{number}】"))
    assert not stage.errors

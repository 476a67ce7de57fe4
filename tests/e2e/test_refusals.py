"""Everything that is not a liaison reporting on its own measure from its own chat is refused, and changes nothing."""

from __future__ import annotations

from pathlib import Path

from supervisor_bot.core.reports import Refusal
from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.views.callbacks import Act, Press, encode
from supervisor_bot.views.messages import REFUSALS
from tests.e2e.harness import MONDAY, STRANGER, World, a_world

FIN = "市财政局"
EDU = "市教育局"


def bound(name: str) -> bool:
    return name in (FIN, EDU)


def prompt_id(world: World, respondent: str) -> str:
    return next(p.id for p in world.runtime.store.prompts() if p.respondent == respondent)


def nothing_recorded(world: World) -> bool:
    return world.runtime.store.reports("2021-W36") == {} and world.runtime.store.audit("2021-W36") == []


async def test_a_stranger_in_the_department_chat(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        await world.tick(MONDAY)
        answer = await world.press(
            FIN, encode(Press(Act.STATUS, prompt_id(world, FIN), 9, Status.IN_PROGRESS)), user_id=STRANGER
        )
        assert answer == REFUSALS[Refusal.NOT_LIAISON]
        assert nothing_recorded(world)


async def test_another_departments_liaison(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        await world.tick(MONDAY)
        answer = await world.press(
            FIN, encode(Press(Act.STATUS, prompt_id(world, FIN), 9, Status.IN_PROGRESS)), user_id=world.liaisons[EDU]
        )
        assert answer == REFUSALS[Refusal.NOT_LIAISON]
        assert nothing_recorded(world)


async def test_a_measure_that_is_not_the_departments(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        await world.tick(MONDAY)
        answer = await world.press(FIN, encode(Press(Act.STATUS, prompt_id(world, FIN), 1, Status.IN_PROGRESS)))
        assert answer == REFUSALS[Refusal.NOT_THEIRS]
        assert nothing_recorded(world)


async def test_callback_data_copied_from_another_chat(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        await world.tick(MONDAY)
        finance_button = encode(Press(Act.STATUS, prompt_id(world, FIN), 9, Status.DONE))
        answer = await world.press(EDU, finance_button)  # pressed on 市教育局's checklist, in its chat
        assert answer == REFUSALS[Refusal.WRONG_CHAT]
        assert nothing_recorded(world)


async def test_forged_and_truncated_callback_data(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        await world.tick(MONDAY)
        pid = prompt_id(world, FIN)
        for data in ("st|zzzz|9|d", f"st|{pid}|9|x", f"st|{pid}|9", "hello", f"st|{pid}|99999|d", "x" * 64):
            assert await world.press(FIN, data) == REFUSALS[Refusal.FORGED], data
        assert nothing_recorded(world)


async def test_a_button_on_an_old_message(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        await world.tick(MONDAY)
        pid = prompt_id(world, FIN)
        chat = world.chats[FIN]
        mark = world.sandbox.mark()
        await world.command(chat, world.liaisons[FIN], "help")
        old_message = next(r.message_id for r in world.sandbox.sent(chat) if r.seq > mark)
        assert old_message is not None
        query = world.sandbox.press_button(
            chat, old_message, world.liaisons[FIN], raw_data=encode(Press(Act.PAGE, pid, 1))
        )
        answer = await world.sandbox.wait_for_callback_answer(query, timeout=10)
        assert answer.text == REFUSALS[Refusal.STALE]


async def test_a_closed_round(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        await world.tick(MONDAY)
        old = prompt_id(world, FIN)
        old_message = world.checklist(FIN)["message_id"]
        await world.tick(MONDAY.add(weeks=1))
        chat = world.chats[FIN]
        query = world.sandbox.press_button(
            chat, old_message, world.liaisons[FIN], raw_data=encode(Press(Act.STATUS, old, 9, Status.DONE))
        )
        answer = await world.sandbox.wait_for_callback_answer(query, timeout=10)
        assert answer.text in (REFUSALS[Refusal.FORGED], REFUSALS[Refusal.ROUND_CLOSED])
        assert world.runtime.store.reports("2021-W36") == {}


async def test_a_note_from_a_stranger(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        await world.tick(MONDAY)
        chat = world.chats[FIN]
        mark = world.sandbox.mark()
        await world.press(FIN, encode(Press(Act.STATUS, prompt_id(world, FIN), 9, Status.BLOCKED)))
        request = await world.wait(RecordFilter(chat_id=chat, text_contains="说明遇到的困难"), after=mark)
        mark = world.sandbox.mark()
        world.sandbox.post_message(chat, STRANGER, "我来替他们报", reply_to_message_id=request.message_id)
        refusal = await world.wait(RecordFilter(chat_id=chat, method="sendMessage"), after=mark)
        assert refusal.text == REFUSALS[Refusal.NOT_LIAISON]
        assert (9, FIN) not in world.runtime.store.reports("2021-W36")

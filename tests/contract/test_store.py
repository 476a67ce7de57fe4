"""The same contract on every Store backend: in memory, TinyDB on disk and PostgreSQL (also across a reopen)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pendulum
import pytest

from storage.memory import MemoryStore
from storage.tinydb_store import TinyStore
from supervisor_bot.composition.lifecycle import DurableStore as Store
from supervisor_bot.core.bindings import Binding, Invite
from supervisor_bot.core.oversight import Closure, ClosureState, Extension, Interview, Resolution
from supervisor_bot.core.people import Actor
from supervisor_bot.core.prompts import PendingNote, Prompt
from supervisor_bot.core.reports import AuditEntry, Report
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.status import Status
from supervisor_bot.core.tickets import Ticket, TicketKind

NOW = pendulum.datetime(2021, 9, 6, 9, 0, tz="Asia/Shanghai")
ALICE = Actor(101, "张三")


def a_round(round_id: str = "2021-W36", days: int = 0) -> Round:
    opened = NOW.add(days=days)
    return Round(round_id, round_id[:8], opened, opened.add(days=3))


def a_report(measure: int = 8, status: Status = Status.IN_PROGRESS, note: str = "") -> Report:
    return Report("2021-W36", measure, "市财政局", status, note, NOW, ALICE, -1001)


def an_audit(action: str = "report", measure: int | None = 8) -> AuditEntry:
    return AuditEntry(NOW, ALICE, -1001, action, "2021-W36", measure, "市财政局", None, "in_progress", None)


class Backend:
    """Makes a store, and makes it again from what it left behind (a restart)."""

    def __init__(
        self,
        make: Callable[[], Store],
        reopen: Callable[[Store], Store],
        folder: Path,
        keeps_files: bool = False,
        opened: list[TinyStore] | None = None,
    ) -> None:
        self.make = make
        self.reopen = reopen
        self.folder = folder  # the data folder (佐证材料 are downloaded into it)
        self.keeps_files = keeps_files  # the store holds the files themselves (a database)
        self.opened = opened if opened is not None else []  # the files' stores still open: closed at the end


def _memory(tmp: Path) -> Backend:
    return Backend(MemoryStore, lambda store: store, tmp)


def _tiny(tmp: Path) -> Backend:
    opened: list[TinyStore] = []

    def make() -> Store:
        opened.append(TinyStore(tmp))
        return opened[-1]

    def reopen(store: Store) -> Store:
        assert isinstance(store, TinyStore)
        store.close()
        opened.remove(store)
        return make()

    return Backend(make, reopen, tmp, opened=opened)


def _postgres(url: str, tmp: Path, grouped: bool) -> Backend:
    """`grouped`: as the bot opens it — one transaction per batch, and what it read kept until it writes."""
    from storage.postgres.store import PgStore

    def reopen(store: Store) -> Store:
        store.flush()
        store.close()
        return PgStore(url, group_commit=grouped, files=tmp)

    return Backend(lambda: PgStore(url, group_commit=grouped, files=tmp), reopen, tmp, keeps_files=True)


@pytest.fixture(params=["memory", "tinydb", "postgresql", "postgresql-grouped"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param.startswith("postgresql"):
        yield _postgres(request.getfixturevalue("database"), tmp_path / "data", request.param.endswith("grouped"))
    else:
        made = _memory(tmp_path / "data") if request.param == "memory" else _tiny(tmp_path / "data")
        yield made
        for store in made.opened:
            store.close()


def test_bindings_with_their_audit(backend: Backend) -> None:
    store = backend.make()
    binding = Binding("市财政局", -1001, frozenset({101}), True, "市财政局督办群")
    store.save_binding(binding, an_audit("bind", None))
    store.save_binding(binding.with_liaison(202), an_audit("bind", None))
    store = backend.reopen(store)
    assert store.bindings() == [binding.with_liaison(202)]
    assert [a.action for a in store.audit(None)] == ["bind", "bind"]
    store.delete_binding("市财政局", an_audit("unbind", None))
    assert store.bindings() == []
    assert len(store.audit(None)) == 3


def test_invites(backend: Backend) -> None:
    store = backend.make()
    invite = Invite("ABCD2345", "市财政局", ALICE, NOW, NOW.add(hours=72))
    store.save_invite(invite)
    used = Invite("ABCD2345", "市财政局", ALICE, NOW, NOW.add(hours=72), NOW.add(hours=1), Actor(7, "李四"), -1001)
    store.save_invite(used)
    store = backend.reopen(store)
    assert store.invite("ABCD2345") == used
    assert store.invite("NOPE") is None


def test_rounds_in_opening_order(backend: Backend) -> None:
    store = backend.make()
    second, first = a_round("2021-W37", days=7), a_round("2021-W36")
    store.save_round(second)
    store.save_round(first)
    store.save_round(first.closed(second.opened_at))
    store = backend.reopen(store)
    assert store.rounds() == [first.closed(second.opened_at), second]


def test_reports_latest_wins_and_audit_keeps_everything(backend: Backend) -> None:
    store = backend.make()
    store.save_reports("2021-W36", [a_report(8)], [an_audit()])
    store.save_reports("2021-W36", [a_report(8, Status.DONE, "已完成")], [an_audit()])
    store.save_reports("2021-W36", [a_report(9)], [an_audit(measure=9)])
    store = backend.reopen(store)
    reports = store.reports("2021-W36")
    assert reports[(8, "市财政局")].status is Status.DONE
    assert reports[(8, "市财政局")].note == "已完成"
    assert set(reports) == {(8, "市财政局"), (9, "市财政局")}
    assert len(store.audit("2021-W36")) == 3
    assert store.reports("2021-W37") == {}


def test_prompts_and_pending_notes(backend: Backend) -> None:
    store = backend.make()
    store.save_prompt(Prompt("p1", "2021-W36", "市财政局", -1001))
    store.save_prompt(Prompt("p1", "2021-W36", "市财政局", -1001, message_id=5, page=2, focus=8))
    store.save_prompt(Prompt("p2", "2021-W36", "市教育局", -1002, message_id=6))
    note = PendingNote("2021-W36", "市财政局", 8, Status.DONE, -1001, 7, ALICE, NOW)
    store.save_pending_note(PendingNote("2021-W36", "市财政局", 9, None, -1001, "m9", ALICE, NOW.add(minutes=1)))
    store.save_pending_note(note)
    store = backend.reopen(store)
    assert [n.message_id for n in store.pending_notes(-1001)] == [7, "m9"], "a chat's, oldest first"
    assert store.pending_notes(-1002) == []
    assert store.prompt("p1") == Prompt("p1", "2021-W36", "市财政局", -1001, 5, 2, 8)
    assert store.pending_note(-1001, 7) == note
    assert store.pending_note(-1001, 8) is None
    store.delete_prompts("市财政局")
    assert [p.id for p in store.prompts()] == ["p2"]
    store.delete_prompts()
    assert store.prompts() == []
    store.delete_pending_note(-1001, 7)
    assert store.pending_note(-1001, 7) is None
    assert [n.message_id for n in store.pending_notes(-1001)] == ["m9"]


def test_done_keys_per_round_and_counters(backend: Backend) -> None:
    store = backend.make()
    store.record_steps("2021-W36", [("urge:市财政局", [])], NOW)
    assert store.next_id("prompt") == 1
    assert store.next_id("prompt", 10) == 2  # reserves 2…11
    store = backend.reopen(store)
    assert store.done("2021-W36") == {"urge:市财政局"}
    assert store.done("2021-W37") == set()
    assert store.next_id("prompt") == 12


def test_many_prompts_at_once(backend: Backend) -> None:
    store = backend.make()
    store.save_prompts([Prompt(f"p{i}", "2021-W36", f"单位{i}", -i) for i in range(1, 48)])
    store.save_prompts([Prompt("p1", "2021-W36", "单位1", -1, message_id=99), Prompt("p48", "2021-W36", "单位48", -48)])
    store = backend.reopen(store)
    assert len(store.prompts()) == 48
    assert store.prompt("p1") == Prompt("p1", "2021-W36", "单位1", -1, message_id=99)


def test_tinydb_files_are_small_and_whole(tmp_path: Path) -> None:
    store = TinyStore(tmp_path)
    for week in (36, 37):
        store.save_reports(f"2021-W{week}", [a_report()], [an_audit()])
    store.save_round(a_round())
    store.close()
    assert sorted(p.name for p in (tmp_path / "rounds").iterdir()) == ["2021-W36.jsonl", "2021-W37.jsonl"]
    json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))  # complete JSON
    for path in (tmp_path / "rounds").iterdir():  # a complete JSON array per line
        assert all(isinstance(json.loads(line), list) for line in path.read_text(encoding="utf-8").splitlines())
    assert not list(tmp_path.rglob("*.tmp"))


def test_an_old_round_file_is_not_rewritten(tmp_path: Path) -> None:
    store = TinyStore(tmp_path)
    store.save_reports("2021-W36", [a_report()], [an_audit()])
    old = (tmp_path / "rounds" / "2021-W36.jsonl").stat().st_mtime_ns
    for _ in range(5):
        store.save_reports("2021-W37", [a_report()], [an_audit()])
    assert (tmp_path / "rounds" / "2021-W36.jsonl").stat().st_mtime_ns == old
    store.close()


def test_supervision_records(backend: Backend) -> None:
    store = backend.make()
    ext = Extension(8, "市财政局", dt.date(2021, 9, 30), ALICE, NOW)
    store.save_extension(ext, an_audit("extend"))
    store.save_extension(Extension(8, "市财政局", dt.date(2021, 10, 8), ALICE, NOW.add(days=1)), an_audit("extend"))
    closure = Closure(9, "市财政局", ClosureState.PENDING, "已完成", NOW)
    store.save_closure(closure, an_audit("closure"))
    store.save_closure(
        Closure(9, "市财政局", ClosureState.CLOSED, "已完成", NOW, ALICE, NOW.add(hours=2)), an_audit("close")
    )
    interview = Interview("市民营经济局", NOW, NOW.add(days=3), ("连续2轮逾期",), (3, 7))
    store.save_interview(interview, an_audit("propose"))
    store.save_interview(
        Interview(
            "市民营经济局",
            NOW,
            NOW.add(days=3),
            ("连续2轮逾期",),
            (3, 7),
            dt.date(2021, 9, 10),
            "要点",
            dt.date(2021, 9, 30),
            ALICE,
        ),
        an_audit("interview"),
    )
    store.save_ticket(Ticket("t1", TicketKind.ESCALATION, "2021-W36", "市财政局", (8, 9), -1))
    store.save_ticket(Ticket("t2", TicketKind.CLOSURE, "2021-W37", "市财政局", (9,), -1, 5))
    store.save_resolution(Resolution("2021-W36", 8, "市财政局", ALICE, NOW), an_audit("resolve"))
    store.record_steps(
        "2021-W36",
        [("escalate:市财政局", [(8, "市财政局"), (9, "市财政局")]), ("urge:市财政局", [(8, "市财政局")])],
        NOW,
    )
    store.mark_lasting_done("digest:2021-W36", {"done": 3})
    store.mark_lasting_done("rectify:x")
    store = backend.reopen(store)
    assert [e.until for e in store.extensions()] == [dt.date(2021, 10, 8)]
    assert [c.state for c in store.closures()] == [ClosureState.CLOSED]
    assert [i.held_on for i in store.interviews()] == [dt.date(2021, 9, 10)]
    store.delete_tickets({"2021-W36", "2021-W37"}, TicketKind.ESCALATION)
    assert [t.id for t in store.tickets()] == ["t2"]  # a closure's ticket stays until it is decided
    assert [r.measure for r in store.resolutions("2021-W36")] == [8]
    assert store.escalated("2021-W36") == {(8, "市财政局"): NOW, (9, "市财政局"): NOW}
    assert store.done("2021-W36") >= {"escalate:市财政局", "urge:市财政局"}
    assert store.lasting_done() == {"digest:2021-W36", "rectify:x"}
    assert store.digest_totals("digest:2021-W36") == {"done": 3}
    assert store.digest_totals("rectify:x") is None


def test_group_commit_writes_nothing_until_flush(tmp_path: Path) -> None:
    store = TinyStore(tmp_path, group_commit=True)
    store.save_reports("2021-W36", [a_report()], [an_audit()])
    store.save_round(a_round())
    assert store.reports("2021-W36")  # readable at once …
    assert not (tmp_path / "rounds" / "2021-W36.jsonl").exists()  # … but not on disk yet
    store.flush()
    store.close()
    again = TinyStore(tmp_path)
    assert again.reports("2021-W36")[(8, "市财政局")] == a_report()
    assert again.rounds() == [a_round()]
    again.close()


def test_handled_updates_are_remembered(backend: Backend) -> None:
    store = backend.make()
    store.mark_update_handled(41)
    store.mark_update_handled(42)
    store.save_round(a_round())  # the ids ride along with a real write
    store.flush()
    assert backend.reopen(store).handled_updates() == {41, 42}


def test_handled_updates_reach_the_disk_with_the_next_write_in_the_same_line(tmp_path: Path) -> None:
    store = TinyStore(tmp_path, group_commit=True)
    store.save_round(a_round())
    store.flush()
    store.mark_update_handled(7)  # a read-only command: no write of its own, no fsync of its own
    store.flush()
    assert not (tmp_path / "updates.jsonl").exists() and not (tmp_path / "rounds").exists()
    store.mark_update_handled(8)
    store.save_reports("2021-W36", [a_report()], [an_audit()])
    store.flush()
    (line,) = (tmp_path / "rounds" / "2021-W36.jsonl").read_text().splitlines()
    assert {"kind": "handled", "ids": [7, 8]} in json.loads(line)  # with the report it caused: one write
    store.mark_update_handled(9)
    store.save_binding(Binding("市财政局", -1001, frozenset({ALICE.user_id}), True, ""), an_audit("bind", None))
    store.flush()  # no round's log written: the ids go to their own, before the state file
    assert [json.loads(line) for line in (tmp_path / "updates.jsonl").read_text().splitlines()] == [[9]]
    store.close()
    again = TinyStore(tmp_path)
    assert again.handled_updates() == {7, 8, 9}
    again.close()


def test_only_the_latest_handled_updates_are_kept(tmp_path: Path) -> None:
    store = TinyStore(tmp_path)
    for update_id in range(1, 6001):
        store.mark_update_handled(update_id)
    store.close()
    kept = TinyStore(tmp_path).handled_updates()
    assert min(kept) == 1001 and max(kept) == 6000 and len(kept) == 5000


def test_a_kept_revision_grows_with_every_write(backend: Backend) -> None:
    """Answers worked out from the store are kept while its revision stands (services.overdue): every kind of
    write must raise it. A store that keeps none (memory; the database opened by any process but the active bot)
    says None throughout."""
    store = backend.make()
    binding = Binding("市财政局", -1001, frozenset({101}), True, "市财政局督办群")
    closure = Closure(8, "市财政局", ClosureState.PENDING, "已完成", NOW)
    writes: list[Callable[[], None]] = [
        lambda: store.save_round(a_round()),
        lambda: store.save_binding(binding, an_audit("bind", None)),
        lambda: store.save_reports("2021-W36", [a_report()], [an_audit()]),
        lambda: store.save_reports("2021-W36", [a_report(status=Status.DONE)], [an_audit()]),
        lambda: store.save_extension(Extension(8, "市财政局", NOW.date(), ALICE, NOW), an_audit("extend")),
        lambda: store.save_closure(closure, an_audit("close")),
        lambda: store.save_resolution(Resolution("2021-W36", 8, "市财政局", ALICE, NOW), an_audit("resolve")),
        lambda: store.delete_binding("市财政局", an_audit("unbind", None)),
    ]
    seen = [store.revision()]
    for write in writes:
        write()
        seen.append(store.revision())
        store.flush()
    if seen[0] is None:
        assert set(seen) == {None}
    else:
        kept = [r for r in seen if r is not None]
        assert len(kept) == len(seen)
        assert kept == sorted(set(kept)), f"a write left the revision where it was: {kept}"

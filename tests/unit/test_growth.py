"""What keeps costs flat as history grows (issue 6, growth): state.json's change log, the decoded state tables,
counted working days, the matrix's index of roles and the digest's 约谈 list."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pendulum
import pytest
from tinydb import Query, TinyDB

from storage import state_storage
from storage.state_storage import JournaledJSONStorage
from storage.tinydb_store import TinyStore
from supervisor_bot.core.calendar import WorkCalendar
from supervisor_bot.core.digest import State, build_digest
from supervisor_bot.core.ladder import LadderConfig
from supervisor_bot.core.matrix import Role
from supervisor_bot.core.oversight import Interview
from supervisor_bot.core.people import Actor
from supervisor_bot.core.plan_import import ImportResult
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.respondents import respondents
from supervisor_bot.core.rounds import Round
from supervisor_bot.settings.calendar import load_calendar
from tests.conftest import CONFIG

TZ = "Asia/Shanghai"
NOW = pendulum.datetime(2021, 9, 17, 17, 0, tz=TZ)
ALICE = Actor(7, "协调员")


# ------------------------------------------------------------------------------------------ state.json's log


def _db(path: Path) -> TinyDB:
    return TinyDB(path, storage=JournaledJSONStorage)


def test_a_change_appends_only_its_table_and_reads_back_without_the_snapshot(tmp_path: Path) -> None:
    db = _db(tmp_path / "state.json")
    db.table("big").insert_multiple({"n": n, "text": "x" * 100} for n in range(100))
    db.table("small").insert({"n": 1})
    lines = (tmp_path / "state.jsonl").read_bytes().splitlines()
    assert [[change["table"] for change in json.loads(line)] for line in lines] == [["big"], ["small"]]
    assert not (tmp_path / "state.json").exists()  # nothing rewritten whole: the log holds it all
    again = _db(tmp_path / "state.json")  # as after a crash: no close
    assert len(again.table("big")) == 100 and again.table("small").all() == [{"n": 1}]


def test_the_snapshot_is_rewritten_once_the_log_outgrows_it_and_on_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state_storage, "COMPACT_AT", 1000)
    db = _db(tmp_path / "state.json")
    n = 0
    while not (tmp_path / "state.json").exists():  # a line per insert, each with the whole table
        n += 1
        db.table("t").insert({"n": n, "text": "y" * 50})
    assert n < 20 and (tmp_path / "state.jsonl").stat().st_size == 0
    db.table("t").insert({"n": n + 1})
    assert len(json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))["t"]) == n
    assert len(_db(tmp_path / "state.json").table("t")) == n + 1  # the snapshot, with the log's line over it
    db.close()
    assert (tmp_path / "state.jsonl").stat().st_size == 0
    assert len(json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))["t"]) == n + 1


def test_later_changes_write_only_the_documents_that_changed(tmp_path: Path) -> None:
    db = _db(tmp_path / "state.json")
    db.table("t").insert_multiple({"n": n} for n in range(10))
    db.table("t").update({"n": 100}, Query().n == 3)  # TinyDB changes the document in place
    db.table("t").remove(Query().n == 5)
    db.table("t").insert({"n": 10})
    lines = [json.loads(line) for line in (tmp_path / "state.jsonl").read_bytes().splitlines()]
    assert [list(change) for line in lines for change in line] == [["table", "docs"]] + [["table", "set", "remove"]] * 3
    assert [line[0]["set"] for line in lines[1:]] == [{"4": {"n": 100}}, {}, {"11": {"n": 10}}]
    assert lines[2][0]["remove"] == ["6"]
    expected = [0, 1, 2, 100, 4, 6, 7, 8, 9, 10]
    assert [d["n"] for d in _db(tmp_path / "state.json").table("t").all()] == expected


def test_any_sequence_of_changes_reads_back_as_it_was_written(tmp_path: Path) -> None:
    rng = random.Random(2021)
    db = _db(tmp_path / "state.json")
    expected: dict[str, dict[int, int]] = {"a": {}, "b": {}}
    for step in range(300):
        name = rng.choice("ab")
        table, docs = db.table(name), expected[name]
        choice = rng.random()
        if choice < 0.5 or not docs:
            doc_id = table.insert({"v": step})
            docs[doc_id] = step
        elif choice < 0.8:
            doc_id = rng.choice(sorted(docs))
            table.update({"v": -step}, doc_ids=[doc_id])
            docs[doc_id] = -step
        elif choice < 0.95:
            doc_id = rng.choice(sorted(docs))
            table.remove(doc_ids=[doc_id])
            del docs[doc_id]
        else:
            table.truncate()
            docs.clear()
        if rng.random() < 0.1:  # as after a crash (no close), or a clean stop
            if rng.random() < 0.5:
                db.close()
            db = _db(tmp_path / "state.json")
    for name, docs in expected.items():
        assert {d.doc_id: d["v"] for d in _db(tmp_path / "state.json").table(name).all()} == docs


def test_a_torn_last_line_of_the_log_is_dropped(tmp_path: Path) -> None:
    db = _db(tmp_path / "state.json")
    db.table("t").insert({"n": 1})
    with (tmp_path / "state.jsonl").open("ab") as handle:
        handle.write(b'[{"table": "t", "docs": {"1": {"n"')
    assert _db(tmp_path / "state.json").table("t").all() == [{"n": 1}]


def test_an_old_state_json_without_a_log_is_read_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "state.json").write_text(json.dumps({"t": {"1": {"n": 1}}}), encoding="utf-8")
    db = _db(tmp_path / "state.json")
    assert db.table("t").all() == [{"n": 1}]
    db.table("t").insert({"n": 2})
    assert [d["n"] for d in _db(tmp_path / "state.json").table("t").all()] == [1, 2]


# ------------------------------------------------------------------------------------------ decoded state tables


def test_decoded_tables_follow_updates_made_in_place(tmp_path: Path) -> None:
    store = TinyStore(tmp_path)
    first = Interview("市财政局", NOW, NOW.add(days=3), ("连续2轮逾期未报送或未完成",), (8,))
    other = Interview("市商务局", NOW.add(hours=1), NOW.add(days=3), ("连续2轮逾期未报送或未完成",), (9,))
    store.save_interview(first, AuditEntry(NOW, ALICE, -1, "propose_interview"))
    store.save_interview(other, AuditEntry(NOW, ALICE, -1, "propose_interview"))
    assert [i.held for i in store.interviews()] == [False, False]
    held = Interview(
        "市财政局", NOW, NOW.add(days=3), first.reasons, first.items, dt.date(2021, 9, 22), "要点", dt.date(2021, 10, 8)
    )
    store.save_interview(held, AuditEntry(NOW, ALICE, -1, "interview"))  # TinyDB updates the document in place
    assert store.interviews() == [held, other]
    store.close()
    assert TinyStore(tmp_path).interviews() == [held, other]


# ------------------------------------------------------------------------------------------ working days


def test_working_days_are_counted_as_the_calendar_walks_them() -> None:
    calendar = load_calendar(CONFIG / "calendar_overrides.toml")

    def walked(start: dt.date, end: dt.date) -> int:
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += calendar.is_workday(day)
        return count

    rng = random.Random(6)
    for _ in range(3000):
        start = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 2900))
        end = start + dt.timedelta(days=rng.randint(-10, 1900))
        assert calendar.workdays_between(start, end) == walked(start, end), (start, end)
    assert WorkCalendar().workdays_between(dt.date(2021, 9, 6), dt.date(2026, 9, 7)) == 5 * 261


# ------------------------------------------------------------------------------------------ the matrix's roles


def test_roles_of_a_department_are_the_measures_naming_it_in_plan_order(jinan: ImportResult) -> None:
    matrix = jinan.matrix
    for department in matrix.departments:
        expected = [m for m in matrix.measures if m.role_of(department.name) is not None]
        assert [m for m, _ in matrix.roles_of(department.name)] == expected
        assert [r for _, r in matrix.roles_of(department.name)] == [m.role_of(department.name) for m in expected]
        assert matrix.measures_of(department.name, Role.LEAD) == tuple(
            m for m in expected if m.role_of(department.name) is Role.LEAD
        )
    assert matrix.roles_of("没有这个单位") == ()


# ------------------------------------------------------------------------------------------ the digest's 约谈


def test_the_digest_lists_the_interviews_of_the_week_and_those_still_being_rectified(jinan: ImportResult) -> None:
    round_ = Round("2021-W37", "2021-W37", NOW.subtract(days=4).replace(hour=9), NOW.subtract(days=1))

    def held(unit: str, on: dt.date, rectify_by: dt.date) -> Interview:
        return Interview(unit, NOW.subtract(days=30), NOW.subtract(days=28), ("r",), (), on, "要点", rectify_by, ALICE)

    interviews = (
        held("市财政局", dt.date(2021, 8, 2), dt.date(2021, 8, 20)),  # long done: not listed
        held("市商务局", dt.date(2021, 9, 1), dt.date(2021, 9, 30)),  # still being rectified
        held("历下区", dt.date(2021, 9, 15), dt.date(2021, 9, 29)),  # held this week
    )
    state = State(jinan.matrix, respondents(jinan.matrix), round_, {}, (), interviews=interviews)
    calendar = load_calendar(CONFIG / "calendar_overrides.toml")
    digest = build_digest(state, NOW, LadderConfig(), calendar, TZ, "周报", None)
    assert [line.respondent for line in digest.interviews_held] == ["市商务局", "历下区"]

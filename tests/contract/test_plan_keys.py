"""Several plans in one store, on every backend: each record keeps its plan's key across a reopen; a plan's view
(storage.plan_scope) reads only its own records and stamps what it writes; bindings are shared; a revision or a
deletion in one plan never touches another; a one-plan store's records are adopted by a plan's key."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from storage.plan_scope import PlanScope
from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.evidence import Evidence
from supervisor_bot.core.outbox import Intent
from supervisor_bot.core.oversight import Closure, ClosureState, Extension, Interview
from supervisor_bot.core.plan_rekey import Rekeying
from supervisor_bot.core.prompts import PendingNote, Prompt
from supervisor_bot.core.reports import AuditEntry, Report
from supervisor_bot.core.rounds import Round, next_round_id, round_id
from supervisor_bot.core.status import Status
from supervisor_bot.core.tickets import Ticket, TicketKind
from supervisor_bot.ports.store import EVERY_PLAN
from tests.contract.test_store import ALICE, NOW, Backend, backend

__all__ = ["backend"]  # the fixture: memory and TinyDB

UNIT = "市财政局"


def _round(plan: str, week: str, days: int = 0) -> Round:
    opened = NOW.add(days=days)
    return Round(round_id(week, plan), week, opened, opened.add(days=3), plan=plan)


def _audit(round_: str | None, measure: int | None = 3) -> AuditEntry:
    return AuditEntry(NOW, ALICE, -1001, "extend", round_, measure, UNIT)


def _fill(store: PlanScope, week: str) -> Round:
    """The same measure number, the same unit, in the plan `store` views."""
    r = _round(store.plan, week)
    store.save_round(r)
    store.save_reports(r.id, [Report(r.id, 3, UNIT, Status.BLOCKED, "缺资金", NOW, ALICE, -1001)], [_audit(r.id)])
    store.save_prompt(Prompt(f"{store.plan}p", r.id, UNIT, -1001, 7))
    store.save_pending_note(PendingNote(r.id, UNIT, 3, None, -1001, len(store.plan), ALICE, NOW))
    store.save_extension(Extension(3, UNIT, dt.date(2021, 10, 1), ALICE, NOW), _audit(None))
    store.save_closure(Closure(3, UNIT, ClosureState.PENDING, "完成", NOW), _audit(None))
    store.save_interview(Interview(UNIT, NOW, NOW.add(days=2), ("连续两轮",), (3,)), _audit(None))
    store.save_ticket(Ticket(f"{store.plan}t", TicketKind.ESCALATION, r.id, UNIT, (3,), -9))
    path = f"evidence/{r.id}/{UNIT}/3-a.pdf"
    store.save_evidence(Evidence(f"{store.plan}e", r.id, 3, UNIT, "a.pdf", path, 9, NOW, ALICE, -1001), _audit(r.id))
    store.mark_lasting_done("digest:x", {"done": len(store.plan)})
    store.save_intent(Intent("prompt:1", -1001))
    return r


def test_round_ids_carry_the_plan_key() -> None:
    assert round_id("2021-W36") == "2021-W36"
    assert round_id("2025-06", "营商环境") == "营商环境-2025-06"
    taken = [_round("营商环境", "2025-06")]
    assert next_round_id("2025-06", taken, "营商环境") == "营商环境-2025-06-2"
    assert next_round_id("2025-06", taken, "稳就业") == "稳就业-2025-06"


def test_every_record_keeps_its_plan_and_each_plan_sees_its_own(backend: Backend) -> None:
    store = backend.make()
    store.save_binding(Binding(UNIT, -1001, frozenset({101}), True), _audit(None, None))
    _fill(PlanScope(store, "稳就业"), "2021-W36")
    _fill(PlanScope(store, "营商环境"), "2021-09")
    store = backend.reopen(store)
    jobs, business = PlanScope(store, "稳就业"), PlanScope(store, "营商环境")
    for scope, other in ((jobs, business), (business, jobs)):
        assert [r.plan for r in scope.rounds()] == [scope.plan]
        assert {r.plan for r in store.rounds()} == {"稳就业", "营商环境"}
        for listed in (scope.prompts(), scope.extensions(), scope.closures(), scope.interviews(), scope.tickets()):
            assert [x.plan for x in listed] == [scope.plan]
        assert [e.plan for e in scope.evidence()] == [scope.plan]
        assert scope.prompt(f"{other.plan}p") is None and scope.prompt(f"{scope.plan}p") is not None
        assert scope.pending_note(-1001, len(other.plan)) is None
        assert scope.pending_note(-1001, len(scope.plan)) is not None
        assert {a.plan for a in scope.audit(None) if a.measure is not None} == {scope.plan}
        assert scope.bindings() == store.bindings()  # one bound group serves every plan
        assert scope.lasting_done() == {"digest:x"}
        assert scope.digest_totals("digest:x") == {"done": len(scope.plan)}
        assert list(scope.intents()) == ["prompt:1"]
    assert len(store.extensions()) == len(store.closures()) == len(store.interviews()) == 2


def test_deleting_and_revising_in_one_plan_leave_the_other_alone(backend: Backend) -> None:
    store = backend.make()
    jobs, business = PlanScope(store, "稳就业"), PlanScope(store, "营商环境")
    mine, theirs = _fill(jobs, "2021-W36"), _fill(business, "2021-W36")
    jobs.delete_prompts()
    assert jobs.prompts() == [] and len(business.prompts()) == 1
    jobs.delete_tickets({mine.id, theirs.id}, TicketKind.ESCALATION)
    assert jobs.tickets() == [] and len(business.tickets()) == 1
    jobs.apply_plan_change(Rekeying(moves={3: 5}), [_audit(None, 5)])
    store = backend.reopen(store)
    jobs, business = PlanScope(store, "稳就业"), PlanScope(store, "营商环境")
    assert [e.measure for e in jobs.extensions()] == [5]
    assert [e.measure for e in business.extensions()] == [3]
    assert list(jobs.reports(mine.id)) == [(5, UNIT)]
    assert list(business.reports(theirs.id)) == [(3, UNIT)]
    jobs.delete_prompts(UNIT, EVERY_PLAN)  # a unit bound anew: its checklists in every plan
    assert store.prompts() == []


def test_a_one_plan_store_is_adopted_by_a_plan_key(backend: Backend) -> None:
    store = backend.make()
    old = Round("2021-W36", "2021-W36", NOW, NOW.add(days=3))
    store.save_round(old)
    store.save_binding(Binding(UNIT, -1001, frozenset({101}), True), _audit(None, None))
    store.save_extension(Extension(3, UNIT, dt.date(2021, 10, 1), ALICE, NOW), _audit(None))
    store.save_prompt(Prompt("p", old.id, UNIT, -1001, 7))
    store.mark_lasting_done("digest:2021-W36#1", {"done": 2})
    store.save_intent(Intent("prompt:p", -1001))
    store.adopt("稳就业")
    store.adopt("稳就业")  # run again after a crash: the same
    store = backend.reopen(store)
    jobs = PlanScope(store, "稳就业")
    assert jobs.rounds() == [replace(old, plan="稳就业")]
    assert [e.plan for e in jobs.extensions()] == ["稳就业"] and [p.id for p in jobs.prompts()] == ["p"]
    assert [a.plan for a in store.audit(None) if a.measure is not None] == ["稳就业"]
    bind_entries = [a for a in store.audit(None) if a.measure is None]
    assert bind_entries and all(a.plan == "" for a in bind_entries)  # a binding belongs to no plan
    assert jobs.lasting_done() == {"digest:2021-W36#1"} and jobs.digest_totals("digest:2021-W36#1") == {"done": 2}
    assert list(jobs.intents()) == ["prompt:p"]  # the digest is not sent again, the message is still settled
    assert PlanScope(store, "营商环境").rounds() == []

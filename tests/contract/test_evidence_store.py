"""佐证材料 records on every Store backend: kept in order, with their audit entry in their round, across a reopen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from supervisor_bot.core.evidence import Evidence
from supervisor_bot.core.reports import AuditEntry
from tests.contract.test_store import ALICE, NOW, Backend, backend

__all__ = ["backend"]  # the fixture: memory and TinyDB


def an_evidence(number: str, at: dt.datetime, name: str = "验收报告.pdf") -> Evidence:
    path = f"evidence/2021-W36/市财政局/9-{name}"
    return Evidence(number, "2021-W36", 9, "市财政局", name, path, 1234, at, ALICE, -1001)


def its_audit(evidence: Evidence) -> AuditEntry:
    return AuditEntry(
        evidence.at,
        ALICE,
        -1001,
        "evidence",
        evidence.round_id,
        evidence.measure,
        evidence.respondent,
        note=evidence.path,
    )


def test_evidence_is_kept_in_order_with_its_audit(backend: Backend) -> None:
    store = backend.make()
    assert store.evidence() == []
    later = an_evidence("2", NOW.add(hours=1), "照片-AbC.jpg")
    first = an_evidence("1", NOW)
    store.save_evidence(later, its_audit(later))
    store.save_evidence(first, its_audit(first))
    store = backend.reopen(store)
    assert store.evidence() == [first, later]
    audit = [a for a in store.audit("2021-W36") if a.action == "evidence"]
    assert [a.note for a in audit] == [later.path, first.path]
    assert store.audit(None) == []  # a round's evidence is audited in the round's own log
    assert store.evidence()[1].actor == ALICE and store.evidence()[1].at == NOW.add(hours=1)


def test_evidence_ids_and_string_chats(backend: Backend) -> None:
    store = backend.make()
    item = Evidence("7", "2021-W36", 9, "市财政局", "a.pdf", "evidence/x/a.pdf", 1, NOW, ALICE, "wecom-chat")
    store.save_evidence(item, its_audit(item))
    store = backend.reopen(store)
    assert [(e.id, e.chat_id) for e in store.evidence()] == [("7", "wecom-chat")]


def test_a_file_saved_with_its_record_is_there_on_another_machine(backend: Backend, tmp_path: Path) -> None:
    """Downloaded into the data folder, then saved: where the store keeps files (the database) it comes back into
    another machine's empty folder; where the folder is the store, the folder alone holds it."""
    store = backend.make()
    item = an_evidence("1", NOW)
    content = b"%PDF-1.4 " + bytes(range(256)) * 40
    (backend.folder / item.path).parent.mkdir(parents=True)
    (backend.folder / item.path).write_bytes(content)
    store.save_evidence(item, its_audit(item))
    store = backend.reopen(store)
    assert store.evidence_file(item, backend.folder)
    elsewhere = tmp_path / "standby-data"
    assert store.evidence_file(item, elsewhere) is backend.keeps_files
    if backend.keeps_files:
        assert (elsewhere / item.path).read_bytes() == content
    outside = Evidence("2", "2021-W36", 9, "市财政局", "x.pdf", "../../escape.pdf", 1, NOW, ALICE, -1001)
    store.save_evidence(outside, its_audit(outside))
    assert not store.evidence_file(outside, elsewhere) and not (tmp_path.parent / "escape.pdf").exists()

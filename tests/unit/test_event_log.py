"""The append-only event log: one line per batch; a torn last line is cut off, any other damage is reported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storage.atomic_storage import StorageCorrupted
from storage.event_log import EventLog


def test_batches_are_lines_and_read_back_in_order(tmp_path: Path) -> None:
    log = EventLog(tmp_path / "r.jsonl", deferred=True)
    log.append([{"n": 1}])
    log.append([{"n": 2}, {"n": 3}])
    assert not (tmp_path / "r.jsonl").exists() and log.dirty
    log.flush()
    log.append([{"n": 4}])
    log.flush()
    assert (tmp_path / "r.jsonl").read_bytes().count(b"\n") == 2
    assert EventLog(tmp_path / "r.jsonl").read() == [{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}]


def test_a_torn_last_line_is_a_batch_never_confirmed_and_is_cut_off(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    EventLog(path).append([{"n": 1}])
    with path.open("ab") as handle:
        handle.write(b'[{"n": 2}, {"n"')  # the process died in the middle of a write
    log = EventLog(path)
    assert log.read() == [{"n": 1}]
    log.append([{"n": 3}])  # appends after the good part, not after the torn one
    assert EventLog(path).read() == [{"n": 1}, {"n": 3}]


def test_damage_anywhere_else_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'[{"n": 1}]\n[{"n": oops}]\n[{"n": 3}]\n')
    with pytest.raises(StorageCorrupted, match=r"r\.jsonl 第2行已损坏"):
        EventLog(path).read()


def test_a_failed_write_leaves_the_file_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.jsonl"
    log = EventLog(path, deferred=True)
    log.append([{"n": 1}])
    log.flush()
    before = path.read_bytes()
    log.append([{"n": 2}])

    def broken(_: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken)
    monkeypatch.setattr(os, "fdatasync", broken, raising=False)  # what an append is synced with, where there is one
    with pytest.raises(OSError, match="disk full"):
        log.flush()
    monkeypatch.undo()
    assert path.read_bytes() == before and not log.dirty
    log.append([{"n": 3}])
    log.flush()
    assert EventLog(path).read() == [{"n": 1}, {"n": 3}]


@pytest.mark.parametrize("kept_open", [False, True])
def test_a_log_kept_open_reads_back_the_same_across_a_failure_and_a_rewrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept_open: bool
) -> None:
    """A round's log keeps its file open between flushes: a failed flush, or a rewrite that replaces the file,
    must leave no write going to a descriptor of the old file."""
    path = tmp_path / "r.jsonl"
    log = EventLog(path, deferred=True, kept_open=kept_open)
    log.append([{"n": 1}])
    log.flush()
    log.append([{"n": 2}])

    def broken(_: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken)
    monkeypatch.setattr(os, "fdatasync", broken, raising=False)
    with pytest.raises(OSError, match="disk full"):
        log.flush()
    monkeypatch.undo()
    log.append([{"n": 3}])
    log.flush()
    assert EventLog(path).read() == [{"n": 1}, {"n": 3}]
    log.rewrite([{"n": 0}])  # the file replaced by another (compaction)
    log.append([{"n": 4}])
    log.flush()
    assert EventLog(path).read() == [{"n": 0}, {"n": 4}]
    log.close()
    log.append([{"n": 5}])  # closed, and written again: opened afresh
    log.flush()
    log.close()
    assert EventLog(path).read() == [{"n": 0}, {"n": 4}, {"n": 5}]

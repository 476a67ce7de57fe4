"""`main.py store migrate`: a data folder copied into an empty database, or a database into an empty data folder,
then checked — every table's row count and checksum read back from the copy against the original's, and the
佐证材料 files (in the database: bytea beside their records) the same way."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from storage.postgres import transfer
from storage.postgres.store import PgStore
from storage.transfer import Dump, Tally, has_data, read_files, tally, write_files

FILES = "佐证材料文件"


class NotEmpty(RuntimeError):
    """The copy's destination already holds data: nothing was written."""


@dataclass(frozen=True)
class Checked:
    table: str
    source: Tally
    copy: Tally

    @property
    def ok(self) -> bool:
        return self.source == self.copy


def _files_tally(found: Iterable[tuple[str, bytes]]) -> Tally:
    lines = sorted(f"{path}\t{hashlib.sha256(content).hexdigest()}".encode() for path, content in found)
    return Tally(len(lines), hashlib.sha256(b"\n".join(lines)).hexdigest())


def _folder_files(data_dir: Path, dump: Dump) -> list[tuple[str, bytes]]:
    paths = [str(doc["path"]) for _, doc in dump.get("evidence", [])]
    return [(p, (data_dir / p).read_bytes()) for p in paths if (data_dir / p).is_file()]


def _compare(source: Dump, copy: Dump, source_files: Tally, copy_files: Tally) -> list[Checked]:
    before, after = tally(source), tally(copy)
    return [Checked(t, before[t], after[t]) for t in before] + [Checked(FILES, source_files, copy_files)]


def to_database(data_dir: Path, url: str) -> list[Checked]:
    dump = read_files(data_dir)
    files = _folder_files(data_dir, dump)
    ids = {str(doc["path"]): str(doc["id"]) for _, doc in dump.get("evidence", [])}
    store = PgStore(url)
    try:
        with store.tx.lock:
            conn = store.tx.conn()
            if not transfer.is_empty(conn):
                store.tx.end(commit=False)
                raise NotEmpty("数据库中已有数据")
            transfer.load(conn, dump)
            for path, content in files:
                transfer.put_content(conn, ids[path], content)
            store.tx.end(commit=True)
            copy = transfer.read(store.tx.conn())
            copied = _files_tally(transfer.contents(store.tx.conn()))
            store.tx.end(commit=True)
    finally:
        store.close()
    return _compare(dump, copy, _files_tally(files), copied)


def to_files(url: str, data_dir: Path) -> list[Checked]:
    if has_data(data_dir):
        raise NotEmpty(f"数据目录 {data_dir} 中已有数据")
    store = PgStore(url)
    try:
        with store.tx.lock:
            dump = transfer.read(store.tx.conn())
            files = list(transfer.contents(store.tx.conn()))
            store.tx.end(commit=True)
    finally:
        store.close()
    root = data_dir.resolve()
    if any(not (root / path).resolve().is_relative_to(root) for path, _ in files):
        raise ValueError("佐证材料的路径超出数据目录")  # never written outside the folder, whatever the database says
    write_files(data_dir, dump)
    for path, content in files:
        target = data_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    copy = read_files(data_dir)
    return _compare(dump, copy, _files_tally(files), _files_tally(_folder_files(data_dir, copy)))

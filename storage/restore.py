"""A backup put back: the whole archive checked before anything is written, unpacked into a fresh folder beside the
data folder and renamed into its place — never a file outside it, never a half-restored folder.

`tarfile`'s own `filter="data"` is not relied on: a chain of links whose real path passes PATH_MAX slips past it
on some Pythons. A backup (storage.backup) holds regular files and folders with relative names, so nothing
else is accepted: no link of either kind, no device, no fifo, no absolute name, no `..`, no size past reason.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from storage.backup import NOT_BACKED_UP

MAX_MEMBERS = 1_000_000
MAX_MEMBER_BYTES = 1 << 30  # one file: 1 GiB (a 佐证材料 is at most 20 MB; a province's state, tens of MB)
MAX_TOTAL_BYTES = 64 << 30
_LOCKS = frozenset({"bot.lock", "write.lock"})  # left by a bot that ran on the folder: no data


class BadArchive(ValueError):
    """The archive is not a backup this bot could have made; the message (Chinese) names the member."""


class FolderInUse(FileExistsError):
    """The data folder holds data already."""


@dataclass(frozen=True)
class Restored:
    files: int
    size: int  # bytes
    left_out: tuple[str, ...]  # members that are no data of a restored bot (an older backup's dashboard key)


def _kind(member: tarfile.TarInfo) -> str:
    if member.issym():
        return f"符号链接（指向 {member.linkname}）"
    if member.islnk():
        return f"硬链接（指向 {member.linkname}）"
    if member.ischr() or member.isblk():
        return "设备文件"
    if member.isfifo():
        return "管道（FIFO）"
    return "非普通文件"


def _parts(member: tarfile.TarInfo) -> tuple[str, ...]:
    """The member's path inside the data folder, refused unless relative, without `..` and printable."""
    name = member.name
    if not name or "\x00" in name or "\\" in name or any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        raise BadArchive(f"备份文件中的“{name!r}”名称含有不允许的字符，未恢复任何文件")
    path = PurePosixPath(name)
    if path.is_absolute():
        raise BadArchive(f"备份文件中的“{name}”是绝对路径，未恢复任何文件")
    parts = tuple(p for p in path.parts if p != ".")
    if ".." in parts:
        raise BadArchive(f"备份文件中的“{name}”含有“..”，会写到数据目录之外，未恢复任何文件")
    return parts


def _checked(archive: tarfile.TarFile) -> list[tuple[tarfile.TarInfo, tuple[str, ...]]]:
    """Every member, checked before anything is written."""
    members = archive.getmembers()  # reads the archive to its end: a truncated one fails here
    if len(members) > MAX_MEMBERS:
        raise BadArchive(f"备份文件含有{len(members)}个条目，超出合理范围，未恢复任何文件")
    checked: list[tuple[tarfile.TarInfo, tuple[str, ...]]] = []
    seen: set[tuple[str, ...]] = set()
    total = 0
    for member in members:
        parts = _parts(member)
        if not (member.isreg() or member.isdir()):
            raise BadArchive(
                f"备份文件中的“{member.name}”是{_kind(member)}，备份只应含普通文件和文件夹，未恢复任何文件"
            )
        if not parts:
            continue  # the folder itself (`.`)
        if parts in seen:
            raise BadArchive(f"备份文件中的“{member.name}”出现了不止一次，未恢复任何文件")
        seen.add(parts)
        if member.size > MAX_MEMBER_BYTES or member.size < 0:
            raise BadArchive(f"备份文件中的“{member.name}”大小为{member.size}字节，超出合理范围，未恢复任何文件")
        total += member.size
        if total > MAX_TOTAL_BYTES:
            raise BadArchive(f"备份文件解开后超过{MAX_TOTAL_BYTES >> 30} GiB（到“{member.name}”为止），未恢复任何文件")
        checked.append((member, parts))
    return checked


def _open(archive_path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive_path, "r:gz")
    except (tarfile.ReadError, tarfile.CompressionError, EOFError, zlib.error, OSError):
        raise BadArchive(f"{archive_path} 不是 gzip 压缩的 tar 备份文件（或已损坏），未恢复任何文件") from None


def _write(archive: tarfile.TarFile, member: tarfile.TarInfo, path: Path) -> None:
    source = archive.extractfile(member)
    if source is None:
        raise BadArchive(f"备份文件中的“{member.name}”无法读出，未恢复任何文件")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as out:
        written = 0
        while chunk := source.read(1 << 20):
            written += len(chunk)
            if written > member.size:
                break
            out.write(chunk)
        if written != member.size:
            raise BadArchive(f"备份文件中的“{member.name}”与其记录的大小不符（已截断？），未恢复任何文件")
        out.flush()
        os.fsync(out.fileno())


def _unpack(archive: tarfile.TarFile, checked: list[tuple[tarfile.TarInfo, tuple[str, ...]]], into: Path) -> int:
    """The checked members written under `into` (a fresh, empty folder); the bytes written."""
    size = 0
    for member, parts in checked:
        path = into.joinpath(*parts)
        if member.isdir():
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            continue
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write(archive, member, path)
        size += member.size
    return size


def _holds_data(folder: Path) -> bool:
    return folder.is_dir() and any(p.name not in _LOCKS for p in folder.iterdir())


def restore_backup(archive_path: Path, data_dir: Path) -> Restored:
    """A backup unpacked into an empty (or new) data folder. Raises BadArchive (nothing written) or FolderInUse."""
    if _holds_data(data_dir):
        raise FolderInUse(data_dir)
    with _open(archive_path) as archive:
        try:
            checked = _checked(archive)
        except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
            raise BadArchive(f"{archive_path} 已截断或损坏（{type(error).__name__}），未恢复任何文件") from None
        kept = [(m, p) for m, p in checked if "/".join(p) not in NOT_BACKED_UP]
        left_out = tuple(sorted("/".join(p) for m, p in checked if "/".join(p) in NOT_BACKED_UP))
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        fresh = data_dir.parent / f".{data_dir.name}.restoring-{secrets.token_hex(4)}"
        fresh.mkdir(mode=0o700)
        try:
            try:
                size = _unpack(archive, kept, fresh)
            except (tarfile.TarError, EOFError, zlib.error) as error:
                raise BadArchive(f"{archive_path} 已截断或损坏（{type(error).__name__}），未恢复任何文件") from None
            _put_in_place(fresh, data_dir)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
    return Restored(sum(1 for m, _ in kept if m.isreg()), size, left_out)


def _put_in_place(fresh: Path, data_dir: Path) -> None:
    """The unpacked folder renamed over the (empty) data folder: the data folder is whole or untouched."""
    if data_dir.is_dir():
        if _holds_data(data_dir):
            raise FolderInUse(data_dir)
        for name in _LOCKS:  # a restoring process holds bot.lock's descriptor: the lock ends with the rename
            (data_dir / name).unlink(missing_ok=True)
    fresh.rename(data_dir)  # replaces an empty folder atomically
    fd = os.open(data_dir.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

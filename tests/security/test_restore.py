"""`restore` with hostile archives: each is refused with exit 2 and a Chinese message naming the member, no
traceback, nothing written outside the data folder, no half-restored folder left behind; and `backup` keeps the
copy private (0600) and leaves the dashboard's key out."""

from __future__ import annotations

import gzip
import io
import os
import stat
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from storage import restore
from storage.backup import make_backup
from storage.restore import restore_backup
from storage.tinydb_store import TinyStore
from supervisor_bot.cli.main import EXIT_ALREADY_RUNNING, EXIT_BAD_INPUT, main
from supervisor_bot.composition.lock import data_dir_lock
from supervisor_bot.web.auth import SECRET_FILE, SESSIONS_FILE

Build = Callable[[tarfile.TarFile, Path], None]


def _file(archive: tarfile.TarFile, name: str, data: bytes = b"x") -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def _special(archive: tarfile.TarFile, name: str, kind: bytes, link: str = "") -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    archive.addfile(info)


def _dotdot(archive: tarfile.TarFile, outside: Path) -> None:
    _file(archive, "state.json", b"{}")
    _file(archive, "../" * 8 + str(outside).lstrip("/"), b"pwned")


def _absolute(archive: tarfile.TarFile, outside: Path) -> None:
    _file(archive, str(outside), b"pwned")


def _symlink(archive: tarfile.TarFile, outside: Path) -> None:
    _special(archive, "rounds", tarfile.SYMTYPE, str(outside.parent))
    _file(archive, f"rounds/{outside.name}", b"pwned")


def _hardlink(archive: tarfile.TarFile, outside: Path) -> None:
    _special(archive, "state.json", tarfile.LNKTYPE, str(outside))


def _path_max_chain(archive: tarfile.TarFile, outside: Path) -> None:
    """CVE-2025-4517's shape: links nested until the real path passes PATH_MAX, where os.path.realpath stops
    resolving — the `data` filter then takes an escaping link for one inside."""
    component = "d" * 247
    steps = "abcdefghijklmnop"
    path = ""
    for step in steps:
        _special(archive, f"{path}{component}", tarfile.DIRTYPE)
        _special(archive, f"{path}{step}", tarfile.SYMTYPE, component)
        path = f"{path}{component}/"
    chain = "/".join(steps)
    _special(archive, "l" * 254, tarfile.SYMTYPE, chain + "/.." * len(steps))
    _special(archive, "escape", tarfile.SYMTYPE, "l" * 254 + "/../" * 8 + str(outside.parent).lstrip("/"))
    _file(archive, f"escape/{outside.name}", b"pwned")


def _fifo(archive: tarfile.TarFile, outside: Path) -> None:
    _special(archive, "updates.jsonl", tarfile.FIFOTYPE)


def _device(archive: tarfile.TarFile, outside: Path) -> None:
    _special(archive, "state.json", tarfile.CHRTYPE)


HOSTILE: dict[str, tuple[Build, str]] = {
    "dotdot": (_dotdot, "含有“..”"),
    "absolute": (_absolute, "是绝对路径"),
    "symlink": (_symlink, "是符号链接"),
    "hardlink": (_hardlink, "是硬链接"),
    "path_max_chain": (_path_max_chain, "是符号链接"),
    "fifo": (_fifo, "是管道（FIFO）"),
    "device": (_device, "是设备文件"),
}


@pytest.fixture
def deployment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "deploy" / "data"
    monkeypatch.setenv("SUPERVISOR_DATA_DIR", str(data))
    return data


def _refused(archive: Path, data: Path, outside: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["restore", str(archive)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "Traceback" not in err
    assert not outside.exists(), "the archive wrote outside the data folder"
    assert not (data.exists() and any(p.name not in {"bot.lock", "write.lock"} for p in data.iterdir()))
    assert not [p for p in data.parent.iterdir() if "restoring" in p.name], "a half-restored folder was left"
    return err


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_archive_is_refused_naming_its_member(
    kind: str, tmp_path: Path, deployment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside" / "pwned.txt"
    outside.parent.mkdir()
    build, said = HOSTILE[kind]
    archive = tmp_path / f"{kind}.tar.gz"
    with tarfile.open(archive, "w:gz", format=tarfile.GNU_FORMAT) as made:
        build(made, outside)
    err = _refused(archive, deployment, outside, capsys)
    assert said in err, err


def test_a_file_that_is_no_gzip_or_is_cut_short_is_refused(
    tmp_path: Path, deployment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source"
    store = TinyStore(source)
    store.next_id("ticket")
    store.close()
    (source / "rounds").mkdir()
    (source / "rounds" / "2021-W36.jsonl").write_bytes(os.urandom(300_000))  # does not compress
    good = make_backup(source, tmp_path / "good.tar.gz").path
    plain = tmp_path / "plain.tar.gz"
    plain.write_text("这不是备份文件\n", encoding="utf-8")
    bare = tmp_path / "bare.tar.gz"  # a tar, not gzipped
    with tarfile.open(bare, "w") as made:
        _file(made, "state.json", b"{}")
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    nowhere = tmp_path / "nowhere"
    for archive, said in ((plain, "不是 gzip"), (bare, "不是 gzip"), (cut, "已截断或损坏")):
        assert said in _refused(archive, deployment, nowhere, capsys)
    body = gzip.decompress(good.read_bytes())
    short = tmp_path / "short.tar.gz"  # a whole gzip stream around a tar whose last file stops short
    short.write_bytes(gzip.compress(body[: len(body) - 200_000]))
    assert "已截断或损坏" in _refused(short, deployment, nowhere, capsys)
    assert main(["restore", str(good)]) == 0  # the same folder takes the whole copy afterwards


def test_sizes_past_reason_are_refused(
    tmp_path: Path, deployment: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(restore, "MAX_MEMBER_BYTES", 1000)
    archive = tmp_path / "big.tar.gz"
    with tarfile.open(archive, "w:gz") as made:
        _file(made, "state.json", b"{}" + b" " * 2000)
    assert "超出合理范围" in _refused(archive, deployment, tmp_path / "nowhere", capsys)


def test_restore_refuses_while_a_bot_runs(tmp_path: Path, deployment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "b.tar.gz"
    with tarfile.open(archive, "w:gz") as made:
        _file(made, "state.json", b"{}")
    with data_dir_lock(deployment):  # as a running bot holds it
        assert main(["restore", str(archive)]) == EXIT_ALREADY_RUNNING
    assert f"PID {os.getpid()}" in capsys.readouterr().err
    assert not (deployment / "state.json").exists()


def test_backups_are_private_and_leave_the_dashboards_key_out(tmp_path: Path, deployment: Path) -> None:
    source = tmp_path / "source"
    store = TinyStore(source)
    store.next_id("ticket")
    store.close()
    (source / SECRET_FILE).write_text("ab" * 32, encoding="ascii")
    (source / SESSIONS_FILE).write_text("{}", encoding="utf-8")
    made = make_backup(source, tmp_path / "copy.tar.gz").path
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    with tarfile.open(made) as archive:
        names = set(archive.getnames())
    assert "state.json" in names and SECRET_FILE not in names and SESSIONS_FILE not in names
    older = tmp_path / "older.tar.gz"  # a copy made before: it holds the key, which is not put back
    with tarfile.open(older, "w:gz") as archive:
        archive.add(source / "state.json", "state.json")
        archive.add(source / SECRET_FILE, SECRET_FILE)
    restored = restore_backup(older, deployment)
    assert restored.left_out == (SECRET_FILE,)
    assert (deployment / "state.json").is_file() and not (deployment / SECRET_FILE).exists()

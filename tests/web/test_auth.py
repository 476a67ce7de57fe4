"""Login links, sessions and CSRF tokens: signed, short-lived, single use; the secret kept 0600 across restarts."""

from __future__ import annotations

import stat
from pathlib import Path

from supervisor_bot.web.auth import LINK_SECONDS, SESSION_SECONDS, SESSIONS_FILE, Person, Signer, load_secret

T0 = 1_800_000_000.0
ME = Person(7, "王协调")


def test_the_secret_is_made_once_private_and_kept(tmp_path: Path) -> None:
    first = load_secret(tmp_path)
    assert len(first) == 32 and load_secret(tmp_path) == first
    assert stat.S_IMODE((tmp_path / "web-secret").stat().st_mode) == 0o600


def test_a_link_is_good_once_for_ten_minutes_and_only_with_its_signature(tmp_path: Path) -> None:
    signer = Signer(load_secret(tmp_path), T0)
    token = signer.login_token(ME, T0)
    assert signer.redeem(token, T0 + LINK_SECONDS - 1) == ME
    assert signer.redeem(token, T0 + 1) is None  # replayed
    late = signer.login_token(ME, T0)
    assert signer.redeem(late, T0 + LINK_SECONDS) is None
    other = Signer(b"x" * 32, T0)
    assert other.redeem(signer.login_token(ME, T0), T0) is None  # another secret: forged
    payload, _, signature = signer.login_token(ME, T0).partition(".")
    assert signer.redeem(payload[:-2] + "AA." + signature, T0) is None
    assert signer.redeem("garbage", T0) is None and signer.redeem("", T0) is None


def test_a_link_from_before_a_restart_is_refused(tmp_path: Path) -> None:
    token = Signer(load_secret(tmp_path), T0).login_token(ME, T0)
    restarted = Signer(load_secret(tmp_path), T0 + 60)
    assert restarted.redeem(token, T0 + 61) is None


def test_sessions_last_eight_hours_and_survive_a_restart(tmp_path: Path) -> None:
    kept = tmp_path / SESSIONS_FILE
    signer = Signer(load_secret(tmp_path), T0, sessions_file=kept)
    cookie = signer.start_session(ME, "coordinator:", T0)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    restarted = Signer(load_secret(tmp_path), T0 + 3600, sessions_file=kept)
    session = restarted.session(cookie, T0 + SESSION_SECONDS - 1)
    assert session is not None and session.person == ME and session.role == "coordinator:"
    assert restarted.session(cookie, T0 + SESSION_SECONDS) is None
    restarted.end_session(session)
    assert Signer(load_secret(tmp_path), T0 + 3601, sessions_file=kept).session(cookie, T0 + 3602) is None
    assert signer.session(cookie[:-1] + ("A" if cookie[-1] != "A" else "B"), T0) is None
    assert signer.session(None, T0) is None


def test_a_csrf_token_belongs_to_its_session(tmp_path: Path) -> None:
    signer = Signer(load_secret(tmp_path), T0)
    mine = signer.session(signer.start_session(ME, "", T0), T0)
    theirs = signer.session(signer.start_session(Person(8, "李领导"), "", T0), T0)
    assert mine is not None and theirs is not None
    assert signer.csrf_ok(mine, signer.csrf(mine))
    assert not signer.csrf_ok(mine, signer.csrf(theirs)) and not signer.csrf_ok(mine, "")

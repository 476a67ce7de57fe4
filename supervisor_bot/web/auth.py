"""Login links, sessions and CSRF tokens, signed with one secret kept in the data folder.

- The secret: 32 random bytes, made once and kept in `web-secret` (mode 0600) beside the bot's data. It is never
  in a backup: a restored bot makes a new one, and every session made before ends.
- A login link carries `user id · name · issued at · nonce`, HMAC-SHA256-signed; it is good for 10 minutes and
  once. Opening it (GET, HEAD: a link preview, a mail scanner) spends nothing: only the page's button (a POST)
  does. Used nonces are remembered until they would have expired; a link issued before the process started is
  refused (the used nonces live in memory, so a restart must not make a used link good again).
- A session is recorded server-side (`web-sessions.json`, 0600, so it survives a restart) with the role the
  person had at login; the cookie is its signed id. Logging out, a change of role (a coordinator or leader taken
  off the settings, a liaison unbound) or a restore ends it at once: the next request finds no session. Valid 8
  hours. Its CSRF token is the HMAC of its id: a form carries it, a forged form cannot.
Times here are the wall clock's (a fast demo clock must not expire a session in a second).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from supervisor_bot.core.people import UserId

LINK_SECONDS = 10 * 60
SESSION_SECONDS = 8 * 60 * 60
SECRET_FILE = "web-secret"
SESSIONS_FILE = "web-sessions.json"


def load_secret(data_dir: Path) -> bytes:
    """The signing secret, made on first use (0600) and read back afterwards."""
    path = data_dir / SECRET_FILE
    if path.exists():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(secret.hex())
    return secret


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        return None


@dataclass(frozen=True)
class Person:
    user_id: UserId  # the messenger's id of the person (Telegram's integer; another messenger's string)
    name: str


@dataclass(frozen=True)
class Session:
    person: Person
    expires: float
    nonce: str  # the session's id
    role: str = ""  # who the person was at login (services.viewers.Viewer.role): another role ends the session


@dataclass
class Signer:
    secret: bytes
    started: float  # wall time the process started: links issued earlier are refused
    sessions_file: Path | None = None  # where sessions are kept (None: in memory only)
    _used: dict[str, float] = field(default_factory=dict)  # login nonce → when it would have expired
    _sessions: dict[str, Session] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._sessions = _read_sessions(self.sessions_file, self.started)

    def _sign(self, purpose: str, payload: str) -> str:
        return _b64(hmac.new(self.secret, f"{purpose}|{payload}".encode(), hashlib.sha256).digest())

    def _pack(self, purpose: str, fields: Mapping[str, object]) -> str:
        payload = _b64(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode())
        return f"{payload}.{self._sign(purpose, payload)}"

    def _unpack(self, purpose: str, token: str) -> dict[str, object] | None:
        payload, _, signature = token.partition(".")
        if not signature or not hmac.compare_digest(signature, self._sign(purpose, payload)):
            return None
        raw = _unb64(payload)
        try:
            found = json.loads(raw) if raw is not None else None
        except ValueError:
            return None
        return found if isinstance(found, dict) else None

    # login links
    def login_token(self, person: Person, now: float) -> str:
        return self._pack("login", {"u": person.user_id, "n": person.name, "t": now, "r": secrets.token_urlsafe(12)})

    def _link(self, token: str, now: float) -> tuple[Person, str, float] | None:
        fields = self._unpack("login", token)
        if fields is None:
            return None
        user, name, issued, nonce = fields.get("u"), fields.get("n"), fields.get("t"), fields.get("r")
        if not (isinstance(user, int | str) and isinstance(name, str) and isinstance(issued, int | float)):
            return None
        if not isinstance(nonce, str) or not self.started <= issued <= now < issued + LINK_SECONDS:
            return None
        for old in [n for n, until in self._used.items() if until <= now]:
            del self._used[old]
        if nonce in self._used:
            return None
        return Person(user, name), nonce, issued

    def check_link(self, token: str, now: float) -> Person | None:
        """The person a login link names, if it is good — without spending it (opening the link does not)."""
        found = self._link(token, now)
        return found[0] if found is not None else None

    def redeem(self, token: str, now: float) -> Person | None:
        """The person a login link names, once: None if forged, expired, from before a restart, or used."""
        found = self._link(token, now)
        if found is None:
            return None
        person, nonce, issued = found
        self._used[nonce] = issued + LINK_SECONDS
        return person

    # sessions
    def start_session(self, person: Person, role: str, now: float) -> str:
        """A new session, recorded; the cookie that names it."""
        session = Session(person, now + SESSION_SECONDS, secrets.token_urlsafe(24), role)
        self._sessions = {k: s for k, s in self._sessions.items() if s.expires > now}
        self._sessions[session.nonce] = session
        self._save()
        return self._pack("session", {"s": session.nonce})

    def session(self, cookie: str | None, now: float) -> Session | None:
        fields = self._unpack("session", cookie) if cookie else None
        nonce = fields.get("s") if fields is not None else None
        found = self._sessions.get(nonce) if isinstance(nonce, str) else None
        if found is None or now >= found.expires:
            return None
        return found

    def end_session(self, session: Session) -> None:
        if self._sessions.pop(session.nonce, None) is not None:
            self._save()

    def _save(self) -> None:
        if self.sessions_file is not None:
            _write_sessions(self.sessions_file, self._sessions.values())

    def csrf(self, session: Session) -> str:
        return self._sign("csrf", session.nonce)

    def csrf_ok(self, session: Session, token: str) -> bool:
        return bool(token) and hmac.compare_digest(token, self.csrf(session))


def _read_sessions(path: Path | None, now: float) -> dict[str, Session]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8")) if path is not None else []
    except (OSError, ValueError):
        return {}  # none kept, or unreadable: everyone logs in again
    sessions: dict[str, Session] = {}
    for doc in raw if isinstance(raw, list) else []:
        try:
            found = Session(Person(doc["u"], str(doc["n"])), float(doc["e"]), str(doc["s"]), str(doc["r"]))
        except (KeyError, TypeError, ValueError):
            continue
        if found.expires > now and isinstance(found.person.user_id, int | str):
            sessions[found.nonce] = found
    return sessions


def _write_sessions(path: Path, sessions: Iterable[Session]) -> None:
    """Atomically, mode 0600 (a session's id is as good as its cookie)."""
    docs = [{"u": s.person.user_id, "n": s.person.name, "e": s.expires, "s": s.nonce, "r": s.role} for s in sessions]
    temporary = path.with_name(f".{path.name}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        json.dump(docs, file, ensure_ascii=False)
    temporary.replace(path)

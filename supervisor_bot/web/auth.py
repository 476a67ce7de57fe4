"""Login links, sessions and CSRF tokens, signed with one secret kept in the data folder.

- The secret: 32 random bytes, made once and kept in `web-secret` (mode 0600) beside the bot's data, so
  sessions survive a restart.
- A login link carries `user id · name · issued at · nonce`, HMAC-SHA256-signed; it is good for 10 minutes and
  once: used nonces are remembered until they would have expired. A link issued before the process started is
  refused (the used nonces live in memory, so a restart must not make a used link good again).
- A session is a signed cookie (stateless: nothing server-side to lose), `user id · name · expires · nonce`,
  valid 8 hours. Its CSRF token is the HMAC of its nonce: a form carries it, a forged form cannot.
Times here are the wall clock's (a fast demo clock must not expire a session in a second).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from supervisor_bot.core.people import UserId

LINK_SECONDS = 10 * 60
SESSION_SECONDS = 8 * 60 * 60
SECRET_FILE = "web-secret"


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
    nonce: str


@dataclass
class Signer:
    secret: bytes
    started: float  # wall time the process started: links issued earlier are refused
    _used: dict[str, float] = field(default_factory=dict)  # login nonce → when it would have expired

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

    def redeem(self, token: str, now: float) -> Person | None:
        """The person a login link names, once: None if forged, expired, from before a restart, or used."""
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
        self._used[nonce] = issued + LINK_SECONDS
        return Person(user, name)

    # sessions
    def session_cookie(self, person: Person, now: float) -> str:
        fields = {"u": person.user_id, "n": person.name, "e": now + SESSION_SECONDS, "r": secrets.token_urlsafe(12)}
        return self._pack("session", fields)

    def session(self, cookie: str | None, now: float) -> Session | None:
        fields = self._unpack("session", cookie) if cookie else None
        if fields is None:
            return None
        user, name, expires, nonce = fields.get("u"), fields.get("n"), fields.get("e"), fields.get("r")
        if not (isinstance(user, int | str) and isinstance(name, str) and isinstance(expires, int | float)):
            return None
        if not isinstance(nonce, str) or now >= expires:
            return None
        return Session(Person(user, name), expires, nonce)

    def csrf(self, session: Session) -> str:
        return self._sign("csrf", session.nonce)

    def csrf_ok(self, session: Session, token: str) -> bool:
        return bool(token) and hmac.compare_digest(token, self.csrf(session))

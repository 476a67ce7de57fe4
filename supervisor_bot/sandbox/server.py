"""The Sandbox: a local Telegram Bot API server plus the in-process API a test uses to act as people."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import signal
from collections.abc import Callable
from types import TracebackType
from typing import Self

from aiohttp import web

from . import people
from .botapi import TOKEN_RE, BotApi
from .control import ControlApi
from .errors import SandboxError
from .faults import Fault, FaultEvent, FaultKind
from .limits import Clock, RateLimits
from .records import CallbackAnswer, JsonDict, OutgoingRecord
from .world import BotIdentity, ChatState, Notifier, World, commands_key

DEFAULT_TOKEN = "7000000001:AAsandbox-supervisor-bot-token"
DEFAULT_PORT = 8081
_LOOPBACK = "127.0.0.1"


class Sandbox:
    """A fake Telegram: python-telegram-bot talks to it through ``base_url``; tests act as people."""

    def __init__(
        self,
        host: str = _LOOPBACK,
        port: int = 0,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "supervisor_sandbox_bot",
        bot_first_name: str = "督办机器人",
        privacy_mode: bool = True,
        limits: RateLimits | None = None,
        clock: Clock | None = None,
        callback_ttl: float = 15.0,
        seed: int | None = 0,
    ) -> None:
        if host not in (_LOOPBACK, "localhost"):
            raise ValueError("the sandbox only listens on 127.0.0.1")
        if not TOKEN_RE.fullmatch(token):
            raise ValueError("token must look like 123456:ABC… (digits, colon, 20+ of [A-Za-z0-9_-])")
        self.host = _LOOPBACK
        self.port = port
        self.world = World(
            BotIdentity(token, bot_first_name, bot_username),
            privacy_mode=privacy_mode,
            limits=limits,
            clock=clock,
            callback_ttl=callback_ttl,
            seed=seed,
        )
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    # --- lifecycle -------------------------------------------------------

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.add_routes(BotApi(self.world, self._closing).routes())
        app.add_routes(ControlApi(self).routes())
        return app

    async def start(self) -> str:
        """Start listening; returns the base url, e.g. ``http://127.0.0.1:8081``."""
        if self._runner is not None:
            raise RuntimeError("sandbox already started")
        self._closing = asyncio.Event()  # fresh events: a restart may run in another event loop
        self.world.changed = Notifier()
        self.world.updates.reopen()
        runner = web.AppRunner(self.build_app(), access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        port = runner.addresses[0][1]
        self._url = f"http://{self.host}:{port}"
        return self._url

    async def stop(self) -> None:
        """Stop listening; waiting long polls and injected delays end at once."""
        self._closing.set()
        self.world.updates.close()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("sandbox not started")
        return self._url

    @property
    def bot_api_url(self) -> str:
        """What to pass to ``ApplicationBuilder.base_url``."""
        return f"{self.url}/bot"

    @property
    def file_url(self) -> str:
        """What to pass to ``ApplicationBuilder.base_file_url``."""
        return f"{self.url}/file/bot"

    @property
    def token(self) -> str:
        return self.world.bot.token

    @property
    def bot_user(self) -> JsonDict:
        return self.world.bot.user()

    def reset(self) -> None:
        """Forget users, chats, messages, logs, faults and limits; the bot and update ids stay."""
        self.world.reset()

    # --- people and chats ------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        *,
        last_name: str | None = None,
        language_code: str | None = None,
    ) -> JsonDict:
        return self.world.add_user(user_id, first_name, username, last_name, language_code)

    def create_private_chat(self, user_id: int) -> JsonDict:
        """The user's private chat with the bot (as if they pressed Start); its id is the user id."""
        user = self.world.user(user_id)
        chat = ChatState(
            id=user_id,
            type="private",
            username=user.get("username"),
            first_name=user["first_name"],
            last_name=user.get("last_name"),
        )
        return self.world.add_chat(chat).to_json()

    def create_group(self, title: str, chat_id: int | None = None, *, with_bot: bool = True) -> JsonDict:
        """A basic group (negative id). ``with_bot=False`` leaves the bot out until add_bot_to_chat()."""
        return self._create_group("group", title, chat_id, None, with_bot)

    def create_supergroup(
        self, title: str, chat_id: int | None = None, *, username: str | None = None, with_bot: bool = True
    ) -> JsonDict:
        """A supergroup (-100… id)."""
        return self._create_group("supergroup", title, chat_id, username, with_bot)

    def _create_group(
        self, kind: str, title: str, chat_id: int | None, username: str | None, with_bot: bool
    ) -> JsonDict:
        if chat_id is None:
            chat_id = self.world.new_group_id(supergroup=kind == "supergroup")
        if chat_id >= 0 or (kind == "supergroup" and not str(chat_id).startswith("-100")):
            raise SandboxError(f"{chat_id} is not a valid {kind} id")
        chat = ChatState(
            id=chat_id, type=kind, title=title, username=username, bot_status="member" if with_bot else "left"
        )
        return self.world.add_chat(chat).to_json()

    def add_bot_to_chat(self, chat_id: int, by_user_id: int | None = None, *, as_admin: bool = False) -> None:
        people.add_bot_to_chat(self.world, chat_id, by_user_id, as_admin=as_admin)

    def remove_bot_from_chat(self, chat_id: int, by_user_id: int | None = None, *, kicked: bool = True) -> None:
        people.remove_bot_from_chat(self.world, chat_id, by_user_id, kicked=kicked)

    def migrate_chat(self, group_id: int, by_user_id: int | None = None) -> int:
        return people.migrate_chat(self.world, group_id, by_user_id)

    def post_message(
        self,
        chat_id: int,
        user_id: int,
        text: str | None = None,
        *,
        reply_to_message_id: int | None = None,
        document: tuple[str, bytes, str] | None = None,
        caption: str | None = None,
    ) -> JsonDict:
        """User writes a message (``document=(filename, bytes, mime)`` for a file); returns the Message."""
        return people.post_message(
            self.world,
            chat_id,
            user_id,
            text,
            reply_to_message_id=reply_to_message_id,
            document=document,
            caption=caption,
        )

    def post_command(
        self,
        chat_id: int,
        user_id: int,
        command: str,
        args: str = "",
        *,
        address_bot: bool = False,
        reply_to_message_id: int | None = None,
    ) -> JsonDict:
        """User sends ``/command args`` (``/command@bot`` with ``address_bot``), with a bot_command entity."""
        text = people.command_text(command, args, bot_username=self.world.bot.username if address_bot else None)
        return self.post_message(chat_id, user_id, text, reply_to_message_id=reply_to_message_id)

    def press_button(
        self,
        chat_id: int,
        message_id: int,
        user_id: int,
        *,
        data: str | None = None,
        text: str | None = None,
        raw_data: str | None = None,
    ) -> str:
        """Press an inline button by ``data`` or label ``text``, or forge ``raw_data``; returns the query id."""
        return people.press_button(self.world, chat_id, message_id, user_id, data=data, text=text, raw_data=raw_data)

    # --- what the bot did ------------------------------------------------

    def outgoing(self, chat_id: int | None = None, *, after: int = 0) -> list[OutgoingRecord]:
        """Every recorded bot action (sends, edits, deletes, callback answers), oldest first; ``after`` skips
        the first records (a ``mark()``), so that a watcher reads each record once."""
        return [r for r in self.world.log[after:] if chat_id is None or r.chat_id == chat_id]

    def sent(self, chat_id: int | None = None, *, after: int = 0) -> list[OutgoingRecord]:
        """Only the records that created messages (sendMessage, sendDocument, sendPhoto)."""
        return [r for r in self.outgoing(chat_id, after=after) if r.is_send]

    def mark(self) -> int:
        """The current length of the outgoing log; pass it as ``after=`` to wait only for newer records."""
        return len(self.world.log)

    def messages_in(self, chat_id: int) -> list[JsonDict]:
        """Current state (after edits and deletions) of every message in the chat, by message_id."""
        return self.world.messages_in(chat_id)

    def message(self, chat_id: int, message_id: int) -> JsonDict | None:
        """Current state of one message, or None if it does not exist (any more)."""
        found = self.world.message(chat_id, message_id)
        return None if found is None else copy.deepcopy(found)

    def callback_answer(self, query_id: str) -> CallbackAnswer | None:
        return self.world.answers.get(query_id)

    def commands(self, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        """Commands the bot registered with setMyCommands for that scope and language."""
        return copy.deepcopy(self.world.commands.get(commands_key(scope, language_code), []))

    @property
    def pending_updates(self) -> list[JsonDict]:
        """Updates the bot has not confirmed yet."""
        return self.world.updates.pending

    @property
    def last_update_id(self) -> int:
        """The id of the newest update queued for the bot."""
        return self.world.updates.last_id

    def redeliver(self, update_id: int) -> None:
        """Send an update again, as Telegram does after a bot died before confirming it."""
        self.world.updates.redeliver(update_id)

    async def wait_for(
        self,
        predicate: Callable[[OutgoingRecord], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the documented API
        *,
        after: int = 0,
    ) -> OutgoingRecord:
        """The first outgoing record (from index ``after``) satisfying ``predicate``, waiting up to ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        index = after
        while True:
            found = self.world.find_records(predicate, index)
            if found is not None:
                return found
            index = max(after, len(self.world.log))
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = [f"{r.method}({r.chat_id}): {r.text or r.caption!r}" for r in self.world.log[-5:]]
                raise TimeoutError(f"no matching outgoing record within {timeout}s; last records: {recent}")
            with contextlib.suppress(TimeoutError):
                await self.world.changed.wait(remaining)

    async def wait_for_callback_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the documented API
    ) -> CallbackAnswer:
        """The bot's answer to a pressed button, waiting up to ``timeout`` seconds for it."""
        await self.wait_for(lambda r: r.callback_query_id == query_id, timeout)
        return self.world.answers[query_id]

    # --- faults and limits -----------------------------------------------

    def inject_fault(
        self,
        kind: FaultKind | str,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        count: int | None = 1,
        probability: float | None = None,
        delay: float = 0.0,
        retry_after: int = 5,
        status: int = 502,
    ) -> int:
        """Arm a fault for the next ``count`` matching calls (None: no limit), each hit with ``probability``.

        Kinds: "delay", "429", "5xx", "drop", "drop_after" (see FaultKind). Returns the fault id.
        """
        fault = Fault(
            kind=FaultKind(kind),
            method=method,
            chat_id=chat_id,
            count=count,
            probability=probability,
            delay=delay,
            retry_after=retry_after,
            status=status,
        )
        return self.world.faults.add(fault)

    def clear_faults(self) -> None:
        self.world.faults.clear()

    @property
    def fault_log(self) -> list[FaultEvent]:
        return list(self.world.faults.log)

    def set_limits(self, limits: RateLimits) -> None:
        self.world.limiter.limits = limits
        self.world.limiter.reset()


def run_forever(host: str = _LOOPBACK, port: int = DEFAULT_PORT) -> None:
    """Serve a sandbox until Ctrl-C or SIGTERM (blocking)."""
    asyncio.run(_serve(host, port))


async def _serve(host: str, port: int) -> None:
    sandbox = Sandbox(host, port)
    url = await sandbox.start()
    print(f"Telegram Bot API sandbox: {url}  (base_url={url}/bot  token={sandbox.token})", flush=True)
    print("督办机器人沙箱已启动，按 Ctrl-C 停止 / Sandbox running, press Ctrl-C to stop", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
        await sandbox.stop()
        print("沙箱已停止 / Sandbox stopped", flush=True)

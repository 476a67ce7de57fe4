"""A small client for the 智能机器人 long connection over aiohttp's WebSocket: subscribe, heartbeat, reconnect
with backoff, acks matched by req_id, and a stop when another connection of the same bot takes over."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from supervisor_bot.wecom import frames
from supervisor_bot.wecom.frames import Frame

log = logging.getLogger("supervisor_bot")
Handler = Callable[[Frame], Awaitable[None]]


@dataclass(frozen=True)
class Endpoint:
    url: str
    bot_id: str
    secret: str = field(repr=False)  # never logged
    ca_file: str = ""  # a CA bundle for a private deployment's certificate; empty: the system's
    heartbeat: float = 30.0  # seconds between pings; two unanswered: the connection is dead
    ack_timeout: float = 5.0
    backoff: tuple[float, float] = (1.0, 60.0)  # first and longest wait before connecting again
    connect_wait: float = 10.0  # how long a send waits for a connection before giving up (nothing sent)


class Unanswered(enum.Enum):
    NOT_SENT = "not sent"  # no connection: nothing left this process
    NO_ACK = "no ack"  # sent, but no answer in time (or the connection dropped): it may have arrived


class WeComClient:
    def __init__(self, endpoint: Endpoint, on_frame: Handler) -> None:
        self.endpoint = endpoint
        self.on_frame = on_frame
        self.ready = asyncio.Event()  # connected and subscribed
        self.stopped = asyncio.Event()  # stopped for good: asked to, or taken over
        self.taken_over = False
        self.connections = 0  # subscriptions that succeeded (a test counts reconnects)
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._pending: dict[str, asyncio.Future[Frame]] = {}
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}  # per req_id: the lock, and how many hold or await it
        self._tasks: set[asyncio.Task[None]] = set()
        self._missed = 0
        self._stopping = False

    async def run(self) -> None:
        """Connect, and connect again after every loss (waiting longer each time) until stopped or taken over."""
        ssl_context = ssl.create_default_context(cafile=self.endpoint.ca_file) if self.endpoint.ca_file else None
        failures = 0
        async with aiohttp.ClientSession() as session:
            while not self._stopping:
                subscribed = await self._connection(session, ssl_context)
                failures = 0 if subscribed else failures + 1
                if self.stopped.is_set():
                    break
                first, longest = self.endpoint.backoff
                delay = min(first * 2 ** max(failures - 1, 0), longest)
                log.info("WeCom: connecting again in %.0f s", delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopped.wait(), delay)
        self.stopped.set()

    async def _connection(self, session: aiohttp.ClientSession, ssl_context: ssl.SSLContext | None) -> bool:
        """One connection, from connect to close; True if it was subscribed."""
        try:
            async with session.ws_connect(self.endpoint.url, ssl=ssl_context or True, autoping=True) as ws:
                if not await self._subscribe(ws):
                    return False
                self._ws, self._missed = ws, 0
                self.connections += 1
                self.ready.set()
                log.info("WeCom: connected and subscribed as bot %s", self.endpoint.bot_id)
                beat = asyncio.create_task(self._heartbeat(ws))
                try:
                    await self._read(ws)
                finally:
                    beat.cancel()
                    self._lost()
                return True
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            log.warning("WeCom: connection to %s failed: %s", self.endpoint.url, error)
            return False

    async def _subscribe(self, ws: aiohttp.ClientWebSocketResponse) -> bool:
        body = {"bot_id": self.endpoint.bot_id, "secret": self.endpoint.secret}
        request = Frame(frames.SUBSCRIBE, frames.new_req_id(frames.SUBSCRIBE), body)
        await ws.send_str(request.dumps())
        try:
            message = await ws.receive(timeout=self.endpoint.ack_timeout * 2)
        except TimeoutError:
            log.warning("WeCom: no answer to the subscription")
            return False
        answer = frames.loads(message.data) if message.type is aiohttp.WSMsgType.TEXT else None
        if answer is None or answer.errcode != 0:
            code = answer.errcode if answer is not None else None
            reason = answer.errmsg if answer is not None else message.type.name
            log.error(
                "WeCom: subscription refused (errcode %s: %s): check [wecom] bot_id and WECOM_BOT_SECRET", code, reason
            )
            return False
        return True

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                continue
            frame = frames.loads(message.data)
            if frame is None:
                continue
            if frame.cmd in (frames.MSG_CALLBACK, frames.EVENT_CALLBACK):
                if _event_type(frame) == "disconnected_event":
                    self._took_over()
                    await ws.close()
                    return
                self._spawn(frame)
            elif frame.req_id.startswith(frames.PING):
                self._missed = 0
            else:
                waiting = self._pending.pop(frame.req_id, None)
                if waiting is not None and not waiting.done():
                    waiting.set_result(frame)

    def _spawn(self, frame: Frame) -> None:
        task = asyncio.create_task(self._handle(frame))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, frame: Frame) -> None:
        try:
            await self.on_frame(frame)
        except Exception:  # one message's failure must not end the connection
            log.exception("WeCom: handling %s %s failed", frame.cmd, frame.req_id)

    def _took_over(self) -> None:
        log.error(
            "WeCom: another connection of bot %s took over (disconnected_event); this one stops and does not "
            "reconnect — is a second instance running?",
            self.endpoint.bot_id,
        )
        self.taken_over = True
        self._stopping = True
        self.stopped.set()

    async def _heartbeat(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        while not ws.closed:
            await asyncio.sleep(self.endpoint.heartbeat)
            if self._missed >= 2:
                log.warning("WeCom: two pings unanswered; the connection is dead, connecting again")
                await ws.close()
                return
            self._missed += 1
            with contextlib.suppress(ConnectionError, aiohttp.ClientError):
                await ws.send_str(Frame(frames.PING, frames.new_req_id(frames.PING)).dumps())

    def _lost(self) -> None:
        self._ws = None
        self.ready.clear()
        for waiting in self._pending.values():
            if not waiting.done():
                waiting.set_exception(ConnectionResetError("the connection dropped before the ack"))
        self._pending.clear()

    async def request(self, cmd: str, body: dict[str, Any], req_id: str = "") -> Frame | Unanswered:
        """Send a frame and wait for its ack (the same req_id); frames sharing a req_id go one after another."""
        req_id = req_id or frames.new_req_id(cmd)
        lock, users = self._locks.get(req_id, (asyncio.Lock(), 0))
        self._locks[req_id] = (lock, users + 1)
        try:
            async with lock:
                return await self._exchange(Frame(cmd, req_id, body))
        finally:
            _, users = self._locks[req_id]
            if users == 1:
                del self._locks[req_id]
            else:
                self._locks[req_id] = (lock, users - 1)

    async def _exchange(self, frame: Frame) -> Frame | Unanswered:
        if not self.ready.is_set() and not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.ready.wait(), self.endpoint.connect_wait)
        ws = self._ws
        if ws is None or ws.closed:
            return Unanswered.NOT_SENT
        waiting: asyncio.Future[Frame] = asyncio.get_running_loop().create_future()
        self._pending[frame.req_id] = waiting
        try:
            await ws.send_str(frame.dumps())
        except (ConnectionError, aiohttp.ClientError):
            self._pending.pop(frame.req_id, None)
            return Unanswered.NOT_SENT
        try:
            return await asyncio.wait_for(waiting, self.endpoint.ack_timeout)
        except (TimeoutError, ConnectionResetError):
            self._pending.pop(frame.req_id, None)
            return Unanswered.NO_ACK

    async def stop(self) -> None:
        """Stop for good: close the connection and let the handlers in flight finish."""
        self._stopping = True
        self.stopped.set()
        if self._ws is not None:
            await self._ws.close()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=10)


def _event_type(frame: Frame) -> str:
    event = frame.body.get("event")
    return str(event.get("eventtype", "")) if isinstance(event, dict) else ""

"""The application shell: the runtime, the clock, the store's worker and the messenger, for every front."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import pendulum

from supervisor_bot.app.clock import Clock
from supervisor_bot.app.runner import ServiceRunner
from supervisor_bot.app.send_window import SendWindow
from supervisor_bot.core.people import ChatId
from supervisor_bot.ports.messenger import Messenger
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import fmt

log = logging.getLogger("supervisor_bot")
LATE = dt.timedelta(hours=1)  # work carried out this late is logged as caught up (the bot was down)


@dataclass
class Shell:
    """What the ticks, the ladder, the digest and every front's handlers share. Messenger-neutral."""

    runtime: Runtime
    clock: Clock
    runner: ServiceRunner
    messenger: Messenger
    digest_dir: Path
    tick_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # one send in flight per chat: a crash puts at most one message per chat in doubt, and a chat's messages
    # keep their order
    chat_gates: defaultdict[ChatId, asyncio.Lock] = field(default_factory=lambda: defaultdict(asyncio.Lock))
    # the messages in flight across chats and plans (a round's fan-out, the ladder): what the rate needs, no more
    send_window: SendWindow = field(default_factory=SendWindow)
    plans: tuple[Runtime, ...] = ()  # every plan's runtime in a `[[plans]]` deployment; (): `runtime` alone
    folder: Path | None = None  # the data folder, when it is not the digests' parent (a plan's own shell)

    def __post_init__(self) -> None:
        for rt in self.plans:  # the plans know each other: 约谈 counts rounds in a row across plans
            rt.siblings = self.plans

    @property
    def runtimes(self) -> tuple[Runtime, ...]:
        return self.plans or (self.runtime,)

    def on(self, runtime: Runtime) -> Shell:
        """The shell for one plan: its runtime (on its view of the store), its digests in `digests/<key>/`;
        the runner, the messenger, the tick lock, the chats' gates and the send window shared."""
        if not runtime.plan:
            return self if runtime is self.runtime else replace(self, runtime=runtime)
        return replace(self, runtime=runtime, digest_dir=self.data_dir / "digests" / runtime.plan, folder=self.data_dir)

    def each_plan(self) -> list[Shell]:
        return [self.on(rt) for rt in self.runtimes]

    def now(self) -> pendulum.DateTime:
        return self.clock.now()

    def today(self) -> dt.date:
        """Today where the deployment is (examples in messages count from it)."""
        return self.clock.now().in_timezone(self.runtime.tz).date()

    @property
    def data_dir(self) -> Path:
        """The data folder (digests/ and evidence/ are in it)."""
        return self.folder or self.digest_dir.parent


@dataclass(frozen=True)
class ShellParts:
    """What the application brings to a messenger's front: the Shell is built around the front's messenger."""

    runtime: Runtime
    clock: Clock
    runner: ServiceRunner
    digest_dir: Path
    plans: tuple[Runtime, ...] = ()

    def shell(self, messenger: Messenger) -> Shell:
        return Shell(self.runtime, self.clock, self.runner, messenger, self.digest_dir, plans=self.plans)


def as_scheduled(due: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """The moment an action is recorded at: its scheduled time when it was carried out on time (a tick comes a
    little after it, and a fast clock's tick a lot: that is no delay to report), else when it was done — late,
    and said so."""
    return due if due is not None and due <= now and now - due <= LATE else now


def caught_up(shell: Shell, due: dt.datetime | None, now: dt.datetime) -> str:
    """A note for the log when work is carried out well after its time."""
    if due is None or now - due <= LATE:
        return ""
    return f" (caught up: due {fmt.day_time(due, shell.runtime.tz)})"

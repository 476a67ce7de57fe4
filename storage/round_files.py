"""The rounds' append-only logs, each folded into what it holds; the recent ones kept open in memory."""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from storage import codec
from storage.event_log import EventLog
from supervisor_bot.core import plan_rekey
from supervisor_bot.core.oversight import Resolution
from supervisor_bot.core.reports import AuditEntry, Report

OPEN_ROUND_FILES = 12  # the recent rounds the ladder looks back on stay in memory
_SAFE = re.compile(r"[^\w-]")  # a plan's key in Chinese stays readable in the file's name


@dataclass
class RoundFile:
    log: EventLog
    reports: dict[tuple[int, str], Report] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    done: set[str] = field(default_factory=set)
    resolutions: list[Resolution] = field(default_factory=list)
    escalated: dict[tuple[int, str], dt.datetime] = field(default_factory=dict)
    handled: set[int] = field(default_factory=set)  # Telegram updates whose effects are in this log

    def apply(self, event: codec.Doc) -> None:
        kind = event["kind"]
        if kind == "step":
            self.done.add(event["key"])
            if event["key"].startswith("escalate:"):
                at = codec.moment(event["at"])
                for measure, respondent in event["items"]:
                    self.escalated.setdefault((int(measure), respondent), at)
        elif kind == "resolution":
            self.resolutions.append(codec.resolution(event["resolution"]))
        elif kind == "report":
            report = codec.report(event["report"])
            self.reports[report.key] = report
        elif kind == "audit":
            self.audit.append(codec.audit(event["entry"]))
        elif kind == "handled":
            self.handled.update(event["ids"])
        elif kind == "plan":
            self._replan(plan_rekey.Rekeying.from_doc(event["rekeying"]))

    def _replan(self, rk: plan_rekey.Rekeying) -> None:
        """The plan was revised: what the log held so far follows its measures to their new numbers."""
        reports = (plan_rekey.report(rk, r) for r in self.reports.values())
        self.reports = {r.key: r for r in reports if r is not None}
        self.audit = [a for a in (plan_rekey.audit(rk, a) for a in self.audit) if a is not None]
        self.resolutions = [r for r in (plan_rekey.resolution(rk, r) for r in self.resolutions) if r is not None]
        self.escalated = plan_rekey.escalated(rk, self.escalated)


class RoundFiles:
    """A round's file by its id, read and folded on first use; the least recently used closed past a dozen."""

    def __init__(self, folder: Path, deferred: bool) -> None:
        self.folder = folder
        self.deferred = deferred
        self._open: OrderedDict[str, RoundFile] = OrderedDict()
        self.writes = 0  # appends, and logs dropped after a failed flush: a version of what they hold

    def get(self, round_id: str) -> RoundFile:
        if round_id in self._open:
            self._open.move_to_end(round_id)
            return self._open[round_id]
        file = RoundFile(EventLog(self.folder / f"{_SAFE.sub('_', round_id)}.jsonl", self.deferred, kept_open=True))
        for event in file.log.read():
            file.apply(event)
        self._open[round_id] = file
        while len(self._open) > OPEN_ROUND_FILES:
            _, evicted = self._open.popitem(last=False)
            evicted.log.flush()
            evicted.log.close()
        return file

    def append(self, round_id: str, events: list[codec.Doc]) -> None:
        file = self.get(round_id)
        if events:
            self.writes += 1
            file.log.append(events)
            for event in events:
                file.apply(event)

    def dirty_logs(self) -> list[EventLog]:
        """The logs with writes not yet on disk, the most recently used last."""
        return [file.log for file in self._open.values() if file.log.dirty]

    def clear(self) -> None:
        """Forget what is in memory (after a failed write: the files are the truth)."""
        for file in self._open.values():
            file.log.close()
        self._open.clear()
        self.writes += 1

    def close(self) -> None:
        for file in self._open.values():
            file.log.flush()
            file.log.close()
        self._open.clear()

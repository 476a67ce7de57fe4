"""Injected faults: delays, 429s, 5xx answers and dropped connections, by count or seeded chance."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import ApiError, too_many_requests
from .records import JsonDict

_GATEWAY_PHRASES = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class FaultKind(StrEnum):
    DELAY = "delay"
    """Wait ``delay`` seconds, then answer normally."""
    TOO_MANY_REQUESTS = "429"
    """Answer 429 with ``retry_after``; the request is not applied."""
    SERVER_ERROR = "5xx"
    """Answer ``status`` (502 by default) with Telegram's error JSON; not applied."""
    DROP = "drop"
    """Close the connection without an answer; not applied."""
    DROP_AFTER = "drop_after"
    """Apply the request (the message is really sent), then close the connection unanswered."""


@dataclass(frozen=True)
class Fault:
    """A fault rule: which calls it hits (method and/or chat) and how often (count and/or chance)."""

    kind: FaultKind
    method: str | None = None
    chat_id: int | None = None
    count: int | None = 1
    probability: float | None = None
    delay: float = 0.0
    retry_after: int = 5
    status: int = 502

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> ApiError:
        """The error answer of a 429 or 5xx fault."""
        if self.kind is FaultKind.TOO_MANY_REQUESTS:
            return too_many_requests(self.retry_after)
        return ApiError(self.status, _GATEWAY_PHRASES.get(self.status, "Internal Server Error"))

    def to_json(self) -> JsonDict:
        return {
            "kind": self.kind.value,
            "method": self.method,
            "chat_id": self.chat_id,
            "count": self.count,
            "probability": self.probability,
            "delay": self.delay,
            "retry_after": self.retry_after,
            "status": self.status,
        }

    @classmethod
    def from_json(cls, data: JsonDict) -> Fault:
        kind = FaultKind(str(data["kind"]))
        chat_id = data.get("chat_id")
        probability = data.get("probability")
        count = data.get("count", 1)
        return cls(
            kind=kind,
            method=data.get("method"),
            chat_id=None if chat_id is None else int(chat_id),
            count=None if count is None else int(count),
            probability=None if probability is None else float(probability),
            delay=float(data.get("delay", 0.0)),
            retry_after=int(data.get("retry_after", 5)),
            status=int(data.get("status", 502)),
        )


@dataclass(frozen=True)
class FaultEvent:
    """One fault that actually fired."""

    seq: int
    fault_id: int
    kind: FaultKind
    method: str
    chat_id: int | None
    timestamp: float

    def to_json(self) -> JsonDict:
        return {
            "seq": self.seq,
            "fault_id": self.fault_id,
            "kind": self.kind.value,
            "method": self.method,
            "chat_id": self.chat_id,
            "timestamp": self.timestamp,
        }


@dataclass(frozen=True)
class Decision:
    """What to do with one request: wait ``delay`` seconds, then apply ``action`` (None = answer)."""

    delay: float = 0.0
    action: Fault | None = None


@dataclass
class _Rule:
    fault_id: int
    fault: Fault
    remaining: int | None = field(default=None)


class FaultInjector:
    """Holds the active fault rules and the log of faults that fired."""

    def __init__(self, seed: int | None = 0) -> None:
        self._random = random.Random(seed)
        self._rules: list[_Rule] = []
        self._next_id = 1
        self.log: list[FaultEvent] = []

    def add(self, fault: Fault) -> int:
        if fault.probability is not None and not 0.0 <= fault.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        if fault.count is not None and fault.count < 1:
            raise ValueError("count must be at least 1 (or None for no limit)")
        fault_id = self._next_id
        self._next_id += 1
        self._rules.append(_Rule(fault_id, fault, fault.count))
        return fault_id

    def clear(self) -> None:
        self._rules.clear()

    def reset(self, seed: int | None = 0) -> None:
        self._rules.clear()
        self.log.clear()
        self._random = random.Random(seed)

    def active(self) -> list[tuple[int, Fault, int | None]]:
        """``(fault_id, fault, calls left or None)`` for every rule still armed."""
        return [(rule.fault_id, rule.fault, rule.remaining) for rule in self._rules]

    def decide(self, method: str, chat_id: int | None) -> Decision:
        delay = 0.0
        action: Fault | None = None
        for rule in list(self._rules):
            fault = rule.fault
            if not fault.matches(method, chat_id):
                continue
            if fault.kind is not FaultKind.DELAY and action is not None:
                continue
            if fault.probability is not None and self._random.random() >= fault.probability:
                continue
            self._fire(rule, method, chat_id)
            if fault.kind is FaultKind.DELAY:
                delay += fault.delay
            else:
                action = fault
        return Decision(delay=delay, action=action)

    def _fire(self, rule: _Rule, method: str, chat_id: int | None) -> None:
        self.log.append(FaultEvent(len(self.log) + 1, rule.fault_id, rule.fault.kind, method, chat_id, time.time()))
        if rule.remaining is not None:
            rule.remaining -= 1
            if rule.remaining <= 0:
                self._rules.remove(rule)

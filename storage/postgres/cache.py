"""What the active bot has read, kept until it writes the same table — as the files backend keeps its tables
decoded. Valid because the active bot is the deployment's only writer (the advisory lock, storage.postgres.lock;
a dashboard process writes only its queue): nothing changes a table behind its back. A failed transaction drops
everything (what was read inside it may have been its own writes). Off for any other process."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Hashable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class ReadCache:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._tables: dict[str, dict[Hashable, Any]] = {}
        self.revision = 0  # raised with every write (and failure) that drops what was kept: the store's revision

    def get(self, table: str, key: Hashable, load: Callable[[], T]) -> T:
        if not self.enabled:
            return load()
        kept = self._tables.setdefault(table, {})
        if key not in kept:
            kept[key] = load()
        value: T = copy.copy(kept[key])  # the caller's own list, dict or set: the values in it are frozen
        return value

    def drop(self, tables: tuple[str, ...]) -> None:
        self.revision += 1
        for table in tables:
            self._tables.pop(table, None)

    def clear(self) -> None:
        self.revision += 1
        self._tables.clear()


class _Cached(Protocol):
    cache: ReadCache


S = TypeVar("S", bound=_Cached)


def reads(table: str) -> Callable[[Callable[Concatenate[S, P], T]], Callable[Concatenate[S, P], T]]:
    """A read of `table`, kept (by its arguments) until the table is written."""

    def wrap(method: Callable[Concatenate[S, P], T]) -> Callable[Concatenate[S, P], T]:
        @functools.wraps(method)
        def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
            key = (method.__name__, args, tuple(sorted(kwargs.items())))
            return self.cache.get(table, key, lambda: method(self, *args, **kwargs))

        return run

    return wrap


def writes(*tables: str) -> Callable[[Callable[Concatenate[S, P], T]], Callable[Concatenate[S, P], T]]:
    """A write of `tables` ("*": any): what was kept of them is dropped, before and after."""

    def wrap(method: Callable[Concatenate[S, P], T]) -> Callable[Concatenate[S, P], T]:
        @functools.wraps(method)
        def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
            forget = self.cache.clear if "*" in tables else functools.partial(self.cache.drop, tables)
            forget()
            try:
                return method(self, *args, **kwargs)
            finally:
                forget()

        return run

    return wrap

"""Commands that only read (`digest`, `score`): the bot assembled on a consistent copy of the store, never the
live folder — a bot may be running on it, and whatever such a command writes (its store's clean close rewrites
the snapshot) must not reach the bot's files. On PostgreSQL: a read-only connection (the database refuses any
write), the plans read as a dashboard process reads them."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.backup import copy_for_reading
from supervisor_bot.composition.assemble import Assembled, assemble, assemble_reader
from supervisor_bot.composition.deployment import open_database
from supervisor_bot.settings.settings import Settings


@contextmanager
def assembled_for_reading(settings: Settings) -> Iterator[Assembled]:
    """The store's files copied under the data folder's write lock (as a backup takes them: every flush whole or
    not at all), the bot assembled on the copy, the copy removed afterwards."""
    if settings.storage.postgresql:
        store = open_database(settings, name="supervisor-bot reader", read_only=True)
        try:
            runtimes, clock = assemble_reader(settings, store)
            yield Assembled(runtimes[0], store, clock, (), runtimes)
        finally:
            store.close()
        return
    with tempfile.TemporaryDirectory(prefix="supervisor-bot-reading-") as folder:
        copy = Path(folder) / "data"
        copy_for_reading(settings.data_dir, copy)
        assembled = assemble(dataclasses.replace(settings, data_dir=copy))
        try:
            yield assembled
        finally:
            assembled.store.close()

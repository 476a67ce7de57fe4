"""The last import of the plan file, kept in the data folder (`imported-plan.pickle`) under the key of what it was
made from, so that a start with the same plan reads it back instead of reading the document again.

It is derived data: a file that is missing, damaged or made by other code reads as absent, and the plan is then
imported from its file as on the first start."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

from storage.atomic_storage import write_atomically
from supervisor_bot.core.plan_import import ImportResult

FILE = "imported-plan.pickle"
log = logging.getLogger(__name__)


def read_imported(data_dir: Path, key: str) -> ImportResult | None:
    """The import stored under `key`, or None (none stored, another key, or unreadable)."""
    try:
        stored_key, result = pickle.loads((data_dir / FILE).read_bytes())
    except FileNotFoundError:
        return None
    except Exception as error:  # noqa: BLE001 — unpickling old or damaged bytes fails in many ways; all mean "absent"
        log.info("the stored plan import %s is not usable (%s): the plan file is read", data_dir / FILE, error)
        return None
    return result if stored_key == key and isinstance(result, ImportResult) else None


def write_imported(data_dir: Path, key: str, result: ImportResult) -> None:
    """Kept for the next start; a failure to write only costs that start a read of the document."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        write_atomically(data_dir / FILE, pickle.dumps((key, result), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as error:
        log.warning("could not keep the plan's import in %s: %s", data_dir / FILE, error)

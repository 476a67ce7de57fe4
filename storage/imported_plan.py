"""The last import of the plan file, kept in the data folder (`imported-plan.pickle`) under the key of what it was
made from, so that a start with the same plan reads it back instead of reading the document again.

It is derived data: a file that is missing, damaged or made by other code reads as absent, and the plan is then
imported from its file as on the first start. It holds the matrix and the import's problems as a plain tuple: reading
it loads the matrix's classes, not the importer's (a plan with problems loads their class, ImportProblem)."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from storage.atomic_storage import write_atomically
from supervisor_bot.core.matrix import Matrix

if TYPE_CHECKING:
    from supervisor_bot.core.plan_measures import ImportProblem

FILE = "imported-plan.pickle"
log = logging.getLogger(__name__)


def read_imported(data_dir: Path, key: str) -> tuple[Matrix, tuple[ImportProblem, ...]] | None:
    """The matrix and problems stored under `key`, or None (none stored, another key, or unreadable)."""
    try:
        stored_key, matrix, problems = pickle.loads((data_dir / FILE).read_bytes())
    except FileNotFoundError:
        return None
    except Exception as error:  # unpickling old or damaged bytes fails in many ways: all mean "absent"
        log.info("the stored plan import %s is not usable (%s): the plan file is read", data_dir / FILE, error)
        return None
    if stored_key != key or not isinstance(matrix, Matrix) or not isinstance(problems, tuple):
        return None
    return matrix, problems


def write_imported(data_dir: Path, key: str, matrix: Matrix, problems: tuple[ImportProblem, ...]) -> None:
    """Kept for the next start; a failure to write only costs that start a read of the document."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        write_atomically(data_dir / FILE, pickle.dumps((key, matrix, problems), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as error:
        log.warning("could not keep the plan's import in %s: %s", data_dir / FILE, error)

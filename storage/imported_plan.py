"""The last import of the plan file, kept in the plan's folder (`imported-plan.json`) under the key of what it was
made from, so that a start with the same plan reads it back instead of reading the document again.

It is derived data: a file that is missing, damaged, of another shape or made from other files reads as absent, and
the plan is then imported from its file as on the first start. It is JSON read field by field (storage.matrix_codec),
never unpickled: a file someone placed in the data folder — a restored archive, say — is data, never code."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from storage.atomic_storage import write_atomically
from storage.matrix_codec import matrix, matrix_doc, problem_doc, problems
from supervisor_bot.core.matrix import Matrix

if TYPE_CHECKING:
    from supervisor_bot.core.plan_measures import ImportProblem

FILE = "imported-plan.json"
FORMAT = 1  # the document's shape; another reads as absent
log = logging.getLogger(__name__)


def read_imported(data_dir: Path, key: str) -> tuple[Matrix, tuple[ImportProblem, ...]] | None:
    """The matrix and problems stored under `key`, or None (none stored, another key, or unreadable)."""
    path = data_dir / FILE
    try:
        doc = orjson.loads(path.read_bytes())
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("key") != key:
            return None
        return matrix(doc["matrix"]), problems(doc["problems"])
    except FileNotFoundError:
        return None
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:  # all mean "absent"
        log.info("the stored plan import %s is not usable (%s): the plan file is read", path, error)
        return None


def write_imported(data_dir: Path, key: str, imported: Matrix, found: tuple[ImportProblem, ...]) -> None:
    """Kept for the next start; a failure to write only costs that start a read of the document."""
    doc = {"format": FORMAT, "key": key, "matrix": matrix_doc(imported), "problems": [problem_doc(p) for p in found]}
    try:
        data = orjson.dumps(doc)
        data_dir.mkdir(parents=True, exist_ok=True)
        write_atomically(data_dir / FILE, data)
    except (OSError, orjson.JSONEncodeError) as error:
        log.warning("could not keep the plan's import in %s: %s", data_dir / FILE, error)

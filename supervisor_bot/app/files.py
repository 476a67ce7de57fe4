"""A file a front fetched for the application (佐证材料), written whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_whole(dest: Path, data: bytes) -> None:
    """Written to a temporary name of its own (a leading dot and a random part: never a kept file's name, which
    starts with its measure's number — `x.pdf.part` is a name a liaison may send), then renamed into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, part = tempfile.mkstemp(dir=dest.parent, prefix=".download-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        Path(part).replace(dest)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise

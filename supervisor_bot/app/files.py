"""A file a front fetched for the application (佐证材料), written whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path


def write_whole(dest: Path, data: bytes) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    with part.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    part.replace(dest)

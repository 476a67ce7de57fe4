"""getFile: where to download a file the bot was sent or sent itself."""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from ..params import Params
from ..world import World

DOWNLOAD_LIMIT = 20 * 1024 * 1024


async def get_file(world: World, params: Params) -> Any:
    file_id = params.string("file_id") or ""
    stored = world.files.get(file_id)
    path = world.file_path_of(file_id)
    if stored is None or path is None:
        raise bad_request("invalid file_id")
    if stored.size > DOWNLOAD_LIMIT:  # a bot may download files up to 20 MB
        raise bad_request("file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": path,
    }

"""Bot API request parameters from a query string, JSON, urlencoded or multipart body."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .errors import bad_request


@dataclass(frozen=True)
class FilePart:
    """A file part of a multipart request."""

    filename: str
    content: bytes = field(repr=False)
    mime_type: str


@dataclass(frozen=True)
class Params:
    """Method parameters with the lenient typing Telegram applies ("123" is an int, "true" a bool)."""

    values: dict[str, Any]
    files: dict[str, FilePart] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def string(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value, ensure_ascii=False)

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            return None

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            return None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return value != 0
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes", "on")
        return False

    def nested(self, name: str, *, error: str) -> Any:
        """A nested object: given either as JSON text or already decoded (JSON bodies)."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(error) from None
        return value

    def file(self, name: str) -> FilePart | None:
        """The uploaded part for ``name``, following ``attach://<part>`` references."""
        direct = self.files.get(name)
        if direct is not None:
            return direct
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            return self.files.get(value.removeprefix("attach://"))
        return None


async def read_params(request: web.Request) -> Params:
    """Merge the query string with whatever body the client sent."""
    values: dict[str, Any] = dict(request.query)
    files: dict[str, FilePart] = {}
    content_type = request.content_type
    if request.can_read_body and content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON object")
        values.update(body)
    elif request.can_read_body and content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = FilePart(
                    filename=value.filename or key,
                    content=value.file.read(),
                    mime_type=value.content_type or "application/octet-stream",
                )
            else:
                values[key] = value
    return Params(values=values, files=files)

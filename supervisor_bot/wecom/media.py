"""Files both ways: inbound media are fetched from their five-minute URL and AES-256-CBC decrypted with the
message's own key (IV: the key's first 16 bytes; PKCS#7 to 32 bytes); outbound files are uploaded in chunks."""

from __future__ import annotations

import base64
import enum
import hashlib
import math
import ssl

import aiohttp
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from supervisor_bot.wecom import frames
from supervisor_bot.wecom.client import Unanswered, WeComClient


class Fetch(enum.Enum):
    EXPIRED = "expired"  # the URL's five minutes are over (or it was never valid): ask for the file again
    FAILED = "failed"  # unreachable, or not decryptable


def decrypt(data: bytes, aeskey: str) -> bytes:
    key = base64.b64decode(aeskey + "=" * (-len(aeskey) % 4))
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(256).unpadder()
    return unpadder.update(plain) + unpadder.finalize()


async def fetch(url: str, aeskey: str, ca_file: str = "") -> tuple[bytes, str | None] | Fetch:
    """The file decrypted, and its name as the download gives it (Content-Disposition)."""
    context = ssl.create_default_context(cafile=ca_file) if ca_file else None
    try:
        async with aiohttp.ClientSession() as session, session.get(url, ssl=context or True) as response:
            if response.status in (403, 404, 410):
                return Fetch.EXPIRED
            response.raise_for_status()
            data = await response.read()
            name = response.content_disposition.filename if response.content_disposition else None
    except (aiohttp.ClientError, OSError, TimeoutError):
        return Fetch.FAILED
    try:
        return decrypt(data, aeskey), name
    except ValueError:
        return Fetch.FAILED


async def upload(client: WeComClient, data: bytes, kind: str, filename: str) -> str | int | Unanswered:
    """init → chunk × N (≤ 512 KB each, ≤ 100) → finish: the media_id, or the error code, or no answer."""
    count = max(1, math.ceil(len(data) / frames.CHUNK_BYTES))
    if count > frames.MAX_CHUNKS:
        return -2
    init = {
        "type": kind,
        "filename": filename,
        "total_size": len(data),
        "total_chunks": count,
        "md5": hashlib.md5(data, usedforsecurity=False).hexdigest(),
    }
    answer = await client.request(frames.UPLOAD_INIT, init)
    if not isinstance(answer, frames.Frame) or answer.errcode != 0:
        return answer.errcode or -1 if isinstance(answer, frames.Frame) else answer
    upload_id = answer.body.get("upload_id", "")
    for index in range(count):
        chunk = data[index * frames.CHUNK_BYTES : (index + 1) * frames.CHUNK_BYTES]
        part = {"upload_id": upload_id, "chunk_index": index, "base64_data": base64.b64encode(chunk).decode()}
        answer = await client.request(frames.UPLOAD_CHUNK, part)
        if not isinstance(answer, frames.Frame) or answer.errcode != 0:
            return answer.errcode or -1 if isinstance(answer, frames.Frame) else answer
    answer = await client.request(frames.UPLOAD_FINISH, {"upload_id": upload_id})
    if not isinstance(answer, frames.Frame) or answer.errcode != 0:
        return answer.errcode or -1 if isinstance(answer, frames.Frame) else answer
    return str(answer.body.get("media_id", ""))

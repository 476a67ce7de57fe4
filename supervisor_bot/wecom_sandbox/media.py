"""Files in the sandbox: uploads in chunks (init → chunk × N → finish, checked against the limits) and inbound
files encrypted as WeCom encrypts them (AES-256-CBC, IV = the key's first 16 bytes, PKCS#7 to 32 bytes)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from supervisor_bot.wecom_sandbox import limits

Answer = tuple[int, str, dict[str, Any]]


def encrypt(data: bytes, key: bytes) -> bytes:
    padder = padding.PKCS7(256).padder()
    padded = padder.update(data) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


@dataclass
class Upload:
    kind: str
    filename: str
    total_size: int
    total_chunks: int
    md5: str
    chunks: dict[int, bytes] = field(default_factory=dict)


@dataclass
class Uploads:
    pending: dict[str, Upload] = field(default_factory=dict)
    media: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # media_id → (name, data)
    chunk_sizes: list[int] = field(default_factory=list)  # every chunk received (a test reads them)

    def init(self, body: dict[str, Any]) -> Answer:
        try:
            upload = Upload(
                str(body["type"]),
                str(body["filename"]),
                int(body["total_size"]),
                int(body["total_chunks"]),
                str(body.get("md5", "")),
            )
        except (KeyError, ValueError, TypeError):
            return limits.INVALID_PARAMETER, "type, filename, total_size, total_chunks required", {}
        if upload.kind not in ("file", "image", "voice", "video") or not upload.filename:
            return limits.INVALID_PARAMETER, "bad type or filename", {}
        if not 1 <= upload.total_chunks <= limits.MAX_CHUNKS:
            return limits.INVALID_PARAMETER, f"total_chunks must be 1 to {limits.MAX_CHUNKS}", {}
        if upload.total_size > upload.total_chunks * limits.CHUNK_BYTES:
            return limits.INVALID_PARAMETER, "chunks larger than 512 KB", {}
        upload_id = secrets.token_hex(8)
        self.pending[upload_id] = upload
        return limits.OK, "ok", {"upload_id": upload_id}

    def chunk(self, body: dict[str, Any]) -> Answer:
        upload = self.pending.get(str(body.get("upload_id", "")))
        if upload is None:
            return limits.EXPIRED_MEDIA, "unknown upload_id", {}
        index = body.get("chunk_index")
        if not isinstance(index, int) or not 0 <= index < upload.total_chunks:
            return limits.INVALID_PARAMETER, "chunk_index out of range", {}
        try:
            data = base64.b64decode(str(body.get("base64_data", "")), validate=True)
        except (binascii.Error, ValueError):
            return limits.INVALID_PARAMETER, "base64_data is not base64", {}
        if len(data) > limits.CHUNK_BYTES:
            return limits.INVALID_PARAMETER, "a chunk is at most 512 KB", {}
        self.chunk_sizes.append(len(data))
        upload.chunks[index] = data
        return limits.OK, "ok", {}

    def finish(self, body: dict[str, Any]) -> Answer:
        upload = self.pending.pop(str(body.get("upload_id", "")), None)
        if upload is None:
            return limits.EXPIRED_MEDIA, "unknown upload_id", {}
        if sorted(upload.chunks) != list(range(upload.total_chunks)):
            return limits.INVALID_PARAMETER, "chunks missing", {}
        data = b"".join(upload.chunks[i] for i in range(upload.total_chunks))
        if len(data) != upload.total_size:
            return limits.INVALID_PARAMETER, "total_size differs from the chunks", {}
        if upload.md5 and hashlib.md5(data, usedforsecurity=False).hexdigest() != upload.md5:
            return limits.INVALID_PARAMETER, "md5 differs", {}
        media_id = "media_" + secrets.token_hex(10)
        self.media[media_id] = (upload.filename, data)
        return limits.OK, "ok", {"type": upload.kind, "media_id": media_id, "created_at": str(int(time.time()))}

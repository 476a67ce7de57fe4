"""A tiny HTTP proxy for tests: forwards absolute-form requests (plain http) and tunnels CONNECT (https), one
request per client connection, and remembers what went through it."""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit


class TinyProxy:
    def __init__(self) -> None:
        self.seen: list[str] = []  # request lines, as the client sent them
        self._server: asyncio.Server | None = None
        self.url = ""

    async def __aenter__(self) -> TinyProxy:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        line, *headers = head.decode("latin-1").split("\r\n")
        self.seen.append(line)
        method, target, version = line.split(" ", 2)
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            up_reader, up_writer = await asyncio.open_connection(host, int(port))
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
            return
        url = urlsplit(target)
        length = next((int(h.split(":", 1)[1]) for h in headers if h.lower().startswith("content-length:")), 0)
        body = await reader.readexactly(length) if length else b""
        kept = [h for h in headers if h and not h.lower().startswith(("connection:", "proxy-", "keep-alive:"))]
        path = url.path + (f"?{url.query}" if url.query else "")
        request = "\r\n".join([f"{method} {path} {version}", *kept, "Connection: close", "", ""]).encode("latin-1")
        up_reader, up_writer = await asyncio.open_connection(url.hostname, url.port or 80)
        up_writer.write(request + body)
        await up_writer.drain()
        answer = await up_reader.read()  # until the server closes (Connection: close)
        up_writer.close()
        writer.write(answer)
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        writer.close()


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    sink.close()

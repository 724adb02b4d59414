"""The HTTP protocol the app's workers speak: uvicorn's httptools one (a C parser: under load the
pure-Python h11 parser cost more CPU than the pages themselves), with Nagle's algorithm off on every
connection.

With more than one worker, uvicorn binds the listening socket itself without naming its protocol
(TCP), and asyncio then leaves Nagle's algorithm on for the connections accepted from it: a response
written in two parts (its head, then its body) waits for the browser's delayed acknowledgement, 40 ms
on Linux, on every request. Measured here: 44 ms a page with two workers, 1.5 ms with one.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["NoDelayProtocol"]


class NoDelayProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol, setting ``TCP_NODELAY`` on each connection it serves."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        connection = transport.get_extra_info("socket")
        if connection is not None and connection.family in (socket.AF_INET, socket.AF_INET6):
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)

"""The workers' HTTP protocol turns Nagle's algorithm off, on a socket bound the way uvicorn binds it
for several workers (where asyncio leaves it on, and every response waited 40 ms)."""

from __future__ import annotations

import asyncio
import socket

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from crimeprev.web.server import NoDelayProtocol


async def _app(scope: object, receive: object, send: object) -> None:  # never called: no request is sent
    raise AssertionError("no request expected")


async def _nodelay_of(protocol: type[H11Protocol]) -> int:
    config = uvicorn.Config(app=_app, log_level="warning")
    config.load()
    listening = socket.socket(family=socket.AF_INET)  # as uvicorn's bind_socket: no protocol named
    listening.bind(("127.0.0.1", 0))
    made: asyncio.Queue[int] = asyncio.Queue()

    class Probe(protocol):  # type: ignore[valid-type, misc]
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            made.put_nowait(transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    server = await asyncio.get_running_loop().create_server(
        lambda: Probe(config=config, server_state=ServerState(), app_state={}), sock=listening
    )
    _, writer = await asyncio.open_connection(*listening.getsockname())
    try:
        return await asyncio.wait_for(made.get(), timeout=10)
    finally:
        writer.close()
        server.close()


def test_connections_of_a_uvicorn_bound_socket_send_without_delay() -> None:
    assert asyncio.run(_nodelay_of(H11Protocol)) == 0  # the defect: Nagle left on
    assert asyncio.run(_nodelay_of(NoDelayProtocol)) != 0

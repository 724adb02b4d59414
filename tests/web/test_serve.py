"""``crimeprev serve`` as a user starts it: the CLI, on the demo store, with two worker processes.

Each request may be served by either worker, so what one worker records must be seen by the other:
the session, the sign-in limit and the papers being made live in the app store.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx2
import pytest

from crimeprev.model.accounts import Role
from crimeprev.store.app_store import open_app_store
from crimeprev.web.passwords import hash_password

PASSWORD = "correct horse battery staple"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:300]
    return found.group(1)


@pytest.fixture(scope="module")
def served(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app_db = f"sqlite:///{tmp_path_factory.mktemp('serve') / 'app.sqlite'}"
    store = open_app_store(app_db)
    store.add_account("analyst", Role.ANALYST, hash_password(PASSWORD), [], by="admin", now=datetime.now(UTC))
    store.close()
    port = _free_port()
    command = [sys.executable, "-m", "crimeprev", "--store", str(demo_store), "serve", "--port", str(port),
               "--workers", "2", "--half-year", "2024-03", "--app-db", app_db]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=os.environ)
    assert server.stdout is not None
    first = server.stdout.readline()
    assert "with 2 worker(s)" in first, first
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=60)
        server.stdout.close()


def _client(base: str) -> httpx2.Client:
    # the workers take a few seconds to start: connecting is retried meanwhile
    return httpx2.Client(base_url=base, transport=httpx2.HTTPTransport(retries=40), timeout=120)


def test_two_workers_serve_the_figures_and_share_the_session(served: str) -> None:
    with _client(served) as client:
        token = _token(client.get("/login").text)
        done = client.post("/login", data={"name": "analyst", "password": PASSWORD, "csrf": token})
        assert done.status_code in (200, 303)
        pages = [client.get("/strands/knife-crime") for _ in range(8)]  # spread over both workers
    assert all(p.status_code == 200 and "Signed in as analyst" in p.text for p in pages)
    # the demo's knife crime: 2,910 then 2,725 (the store's own figures, not an empty page)
    assert all(">2,910<" in p.text and ">2,725<" in p.text for p in pages)


def test_a_paper_started_on_one_worker_is_followed_on_any(served: str) -> None:
    with _client(served) as client:
        token = _token(client.get("/login").text)
        signed = client.post("/login", data={"name": "analyst", "password": PASSWORD, "csrf": token})
        csrf = _token(signed.text if signed.status_code == 200 else client.get("/").text)
        started = client.post("/paper", data={"csrf": csrf, "as_of": "2024-03", "formats": "html"})
        assert started.status_code == 303
        job = started.headers["location"].split("job=")[1]
        followed = [client.get("/paper", params={"job": job}).text for _ in range(8)]
    assert all("Making the paper to 2024-03" in f or "is ready" in f for f in followed), followed[0][-3000:]


def test_the_sign_in_limit_counts_every_workers_attempts(served: str) -> None:
    refused = 0
    with _client(served) as client:
        for _ in range(12):
            token = _token(client.get("/login").text)
            answer = client.post("/login", data={"name": "nobody", "password": "wrong password!!", "csrf": token})
            refused += "Too many attempts from here" in answer.text
    # ten a minute from one address, whichever worker was asked (each worker counting its own would
    # let all twelve through)
    assert refused >= 2

"""Benchmark: the web app under 50 concurrent clients on loopback, with an ingest halfway (issue 13).

Starts ``crimeprev serve`` on a store (the demo store with ``--store``; else a small generated one),
signs in 50 clients (async HTTP), and has each load the overview and a strand page in turn for
``--seconds``; halfway, ``crimeprev ingest`` loads a new file into the same store, which the pages
must keep serving through (each request opens its own read connection; the figures are computed
again after the load). Prints requests per second and p50/p95/p99 latency per page, the errors, and
the ingest's own time. Target: p95 under 200 ms. Run: ``python bench/web.py [--store DEMO_STORE]
[--clients N] [--seconds S] [--smoke] [--markdown PATH]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2

from ingest import make_file
from results import Section

TARGET_P95_MS = 200
PASSWORD = "bench password for the load test"
PAGES = {"overview": "/", "strand page": "/strands/knife-crime"}


def crimeprev() -> list[str]:
    script = Path(sys.executable).with_name("crimeprev")
    return [str(script)] if script.exists() else [sys.executable, "-m", "crimeprev"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def sign_in(client: httpx2.AsyncClient) -> None:
    form = await client.get("/login")
    token = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    done = await client.post("/login", data={"name": "bench", "password": PASSWORD, "csrf": token})
    done.raise_for_status()


class KeepAlive:
    """One keep-alive HTTP/1.1 connection, written lean on asyncio streams: the 50 clients share the
    machine's two cores with the server, and a full HTTP client library spends more CPU per request
    than the page costs to serve, so it, not the app, would be measured."""

    def __init__(self, host: str, port: int, cookie: str) -> None:
        self.host, self.port, self.cookie = host, port, cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        request = f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nCookie: {self.cookie}\r\n\r\n"
        self.writer.write(request.encode())
        status = int((await self.reader.readline()).split()[1])
        length, chunked = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if not chunked:
            return status, await self.reader.readexactly(length)
        body = b""
        while size := int((await self.reader.readline()).strip(), 16):
            body += await self.reader.readexactly(size)
            await self.reader.readline()
        await self.reader.readline()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def client_loop(
    base: str, cookie: str, deadline: float, times: dict[str, list[float]], errors: list[str]
) -> None:
    host, port = base.removeprefix("http://").split(":")
    connection = KeepAlive(host, int(port), cookie)
    turn = 0
    try:
        while time.perf_counter() < deadline:
            name = list(PAGES)[turn % len(PAGES)]
            turn += 1
            start = time.perf_counter()
            try:
                status, body = await connection.get(PAGES[name])
                if status != 200 or b"Signed in as" not in body:
                    errors.append(f"{name}: {status}")
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as e:
                errors.append(f"{name}: {type(e).__name__}")
                connection.close()
                connection = KeepAlive(host, int(port), cookie)
                continue
            times[name].append(time.perf_counter() - start)
    finally:
        connection.close()


async def load(
    base: str, clients: int, seconds: float, ingest: list[str]
) -> tuple[dict[str, list[float]], list[str], float]:
    times: dict[str, list[float]] = {name: [] for name in PAGES}
    errors: list[str] = []
    # One sign-in, its session shared by every client: sign-in is rate-limited per address (10 a
    # minute), and what is measured is serving pages, not signing in.
    async with httpx2.AsyncClient(base_url=base, follow_redirects=True, timeout=60) as first:
        await sign_in(first)
        cookie = "; ".join(f"{name}={value}" for name, value in first.cookies.items())
        # Warm-up, not measured: each worker computes the figures on its first request.
        warm = [first.get(path) for _ in range(clients) for path in PAGES.values()]
        await asyncio.gather(*warm)
    deadline = time.perf_counter() + seconds
    loops = [asyncio.create_task(client_loop(base, cookie, deadline, times, errors)) for _ in range(clients)]
    await asyncio.sleep(seconds / 2)
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(*ingest, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, stderr = await process.communicate()
    if process.returncode != 0:
        errors.append(f"ingest failed: {stderr.decode()[-300:]}")
    ingest_seconds = time.perf_counter() - started
    await asyncio.gather(*loops)
    return times, errors, ingest_seconds


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def serve_and_load(
    cli: list[str], store: Path, app_db: Path, extra: Path, workers: int, clients: int, seconds: float
) -> tuple[dict[str, list[float]], list[str], float]:
    """One run: ``crimeprev serve --workers N`` on the store, the clients for ``seconds``, an ingest
    of ``extra`` halfway."""
    port = free_port()
    server = subprocess.Popen(
        [
            *cli,
            "--store",
            str(store),
            "serve",
            "--port",
            str(port),
            "--half-year",
            "2024-03",
            "--app-db",
            str(app_db),
            "--workers",
            str(workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        ingest = [*cli, "--store", str(store), "ingest", "police-uk", str(extra)]
        return asyncio.run(load(base, clients, seconds, ingest))
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None, help="A demo store (default: a small generated one).")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", default="1,2", help="Worker counts to run side by side (default 1,2).")
    parser.add_argument("--smoke", action="store_true", help="5 clients for 6 seconds on a small store.")
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args()
    clients, seconds = (5, 6.0) if args.smoke else (args.clients, args.seconds)
    counts = [int(w) for w in args.workers.split(",")]
    cli = crimeprev()
    runs: dict[int, tuple[dict[str, list[float]], list[str], float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = args.store
        if store is None or args.smoke:
            store = folder / "small.duckdb"
            make_file(folder / "2023-01-essex-street.csv", 20_000)
            subprocess.run(
                [*cli, "--store", str(store), "ingest", "police-uk", str(folder / "2023-01-essex-street.csv")],
                check=True,
                capture_output=True,
            )
        app_db = folder / "app.sqlite"
        subprocess.run(
            [
                *cli,
                "--store",
                str(store),
                "users",
                "add",
                "bench",
                "--role",
                "viewer",
                "--password-stdin",
                "--app-db",
                str(app_db),
            ],
            input=PASSWORD + "\n",
            text=True,
            check=True,
            capture_output=True,
        )
        for i, workers in enumerate(counts):
            extra = folder / f"2024-{4 + i:02d}-essex-street.csv"  # a new month each run: each ingest loads
            make_file(extra, 50_000, seed=11 + i)
            runs[workers] = serve_and_load(cli, store, app_db, extra, workers, clients, seconds)
    total = sum(len(v) for times, _, _ in runs.values() for v in times.values())
    errors = [e for _, errs, _ in runs.values() for e in errs]
    ingests = ", ".join(f"{s:.1f} s" for _, _, s in runs.values())
    section = Section(
        "web",
        f"{clients} clients on loopback for {seconds:.0f} s against `crimeprev serve --workers N` "
        f"({'the demo store' if args.store and not args.smoke else 'a small generated store'}), sharing one "
        f"signed-in session and loading the overview and a strand page in turn (after a warm-up, not measured, "
        f"in which each worker computes the figures); halfway, `crimeprev ingest` loaded 50,000 more rows into "
        f"the same store ({ingests}), and the pages kept the previous load's figures while the new ones were "
        f"computed. One run per worker count, side by side; {total:,} requests, {len(errors)} errors"
        + (f" (first: {errors[0]})" if errors else "")
        + ". The machine's 2 cores also run the 50 clients and the ingest.",
        packages=("fastapi", "uvicorn"),
        header=("page", "workers", "requests/s", "x 1 worker", "p50 ms", "p95 ms", "p99 ms"),
    )
    best = float("inf")
    baseline = {name: len(runs[counts[0]][0][name]) / seconds for name in PAGES}
    for workers, (times, _, _) in runs.items():
        worst = 0.0
        for name, values in times.items():
            if not values:
                section.row(name, workers, "0", "", "", "", "")
                continue
            p95 = percentile(values, 95) * 1000
            worst = max(worst, p95)
            rate = len(values) / seconds
            section.row(
                name,
                workers,
                f"{rate:.1f}",
                f"{rate / baseline[name]:.2f}" if baseline[name] else "",
                f"{percentile(values, 50) * 1000:.0f}",
                f"{p95:.0f}",
                f"{percentile(values, 99) * 1000:.0f}",
            )
        best = min(best, worst)
    section.target(
        f"p95 under {TARGET_P95_MS} ms for both pages", best < TARGET_P95_MS, f"best worst-page p95 {best:.0f} ms"
    )
    section.target("no request failed, through the ingest", not errors, f"{len(errors)} errors")
    section.publish(args.markdown)


if __name__ == "__main__":
    main()

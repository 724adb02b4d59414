"""``crimeprev serve``: the web app on the current store."""

from __future__ import annotations

from pathlib import Path

import typer

from crimeprev.cli.insights import STRATEGY
from crimeprev.cli.output import console
from crimeprev.cli.users import APP_DB
from crimeprev.model.errors import ConfigError


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this machine only)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    strategy_file: Path | None = STRATEGY,
    app_db: str | None = APP_DB,
    half_year: str | None = typer.Option(
        None, "--half-year", help="The half-year shown, by its last month (default: today's half-year)."
    ),
    secure_cookies: bool = typer.Option(
        False, "--secure-cookies", help="Mark cookies Secure: set this when a TLS proxy serves the app."
    ),
    metadata: Path | None = typer.Option(None, "--metadata", help="The paper's cover details (report metadata YAML)."),
    operations: Path | None = typer.Option(None, "--operations", help="The operations ledger the paper evaluates."),
    proxies: str = typer.Option(
        "127.0.0.1",
        "--proxy",
        help="Addresses (comma-separated) of the TLS proxy in front of the app, whose X-Forwarded-For and "
        "X-Forwarded-Proto are trusted: sign-in limits then count each user's own address.",
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        help="Worker processes (one per core serves the most pages; each computes the figures once per "
        "load of the store). Sessions, papers and the sign-in limit are shared through the app store.",
    ),
) -> None:
    """Serve the web app: strands, figures, delivery actions and narrative for signed-in accounts."""
    import os
    import shutil
    import tempfile

    import uvicorn

    from crimeprev.delivery.actions import check_half_year
    from crimeprev.store.app_store import open_app_store, resolve_app_db
    from crimeprev.web.app import SETTINGS_ENV, Settings
    from crimeprev.web.server import NoDelayProtocol

    if half_year is not None:
        check_half_year(half_year, "--half-year")
    for given, option in ((metadata, "--metadata"), (operations, "--operations")):
        if given is not None and not given.is_file():
            raise ConfigError(f"{option} {given}: no such file")
    store: Path = ctx.obj
    if not store.exists():
        console.print(f"[yellow]no store at {store}: the pages will show no figures until one is loaded[/yellow]")
    papers = Path(tempfile.mkdtemp(prefix="crimeprev-papers-"))  # shared by the workers, removed on stop
    settings = Settings(
        app_db=resolve_app_db(store, app_db),
        store=store,
        strategy=strategy_file,
        half_year=half_year,
        secure_cookies=secure_cookies,
        metadata=metadata,
        operations=operations,
        papers=papers,
    )
    open_app_store(settings.app_db).close()  # migrated once, here, before the workers open it
    os.environ[SETTINGS_ENV] = settings.to_json()
    console.print(f"serving {store} on http://{host}:{port} with {workers} worker(s) (Ctrl-C to stop)")
    try:
        uvicorn.run(
            "crimeprev.web.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            http=NoDelayProtocol,
            proxy_headers=True,
            forwarded_allow_ips=proxies,
            log_level="warning",
        )
    finally:
        shutil.rmtree(papers, ignore_errors=True)

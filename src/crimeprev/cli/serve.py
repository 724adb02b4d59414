"""``crimeprev serve``: the web app on the current store."""

from __future__ import annotations

from pathlib import Path

import typer

from crimeprev.cli.insights import STRATEGY
from crimeprev.cli.output import console
from crimeprev.cli.users import APP_DB


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
) -> None:
    """Serve the web app: strands, delivery actions and narrative for signed-in accounts."""
    import uvicorn

    from crimeprev.delivery.actions import check_half_year
    from crimeprev.store.app_store import resolve_app_db
    from crimeprev.web.app import Settings, create_app

    if half_year is not None:
        check_half_year(half_year, "--half-year")
    settings = Settings(
        app_db=resolve_app_db(ctx.obj, app_db),
        strategy=strategy_file,
        half_year=half_year,
        secure_cookies=secure_cookies,
    )
    console.print(f"serving on http://{host}:{port} (Ctrl-C to stop)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")

"""``crimeprev users add|list``: the web app's accounts, kept in the app store."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import typer
from rich.table import Table

from crimeprev.cli.output import console, print_json
from crimeprev.model.accounts import Role
from crimeprev.model.errors import InputError

app = typer.Typer(help="Accounts of the web app: scrutiny viewers, strand leads, analysts and admins.")
APP_DB = typer.Option(
    None,
    "--app-db",
    help="App store: a SQLite file or a database URL (default: $CRIMEPREV_APP_DB, else SQLite beside the store).",
    show_default=False,
)


@app.command("add")
def add_user(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The sign-in name."),
    role: Role = typer.Option(..., "--role", help="viewer, lead, analyst or admin."),
    strands: list[str] = typer.Option([], "--strand", help="A strand a lead may edit (repeat for several)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
    app_db: str | None = APP_DB,
) -> None:
    """Add an account; its password is read from standard input and only its Argon2 hash is kept."""
    from crimeprev.store.access_log import current_user
    from crimeprev.store.app_store import open_app_store, resolve_app_db
    from crimeprev.web.passwords import hash_password

    if not password_stdin:
        raise InputError("password", "give the password on standard input with --password-stdin (never as an argument)")
    password = sys.stdin.readline().rstrip("\r\n")
    store = open_app_store(resolve_app_db(ctx.obj, app_db))
    try:
        account = store.add_account(
            name, role, hash_password(password), strands, by=current_user(), now=datetime.now(UTC)
        )
    finally:
        store.close()
    bound = f", strands: {', '.join(account.strands)}" if account.strands else ""
    console.print(f"added {account.name} ({account.role.value}{bound})")


@app.command("list")
def list_users(
    ctx: typer.Context,
    app_db: str | None = APP_DB,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """The accounts: name, role, the strands a lead edits, whether the account is locked."""
    from crimeprev.store.app_store import open_app_store, resolve_app_db

    store = open_app_store(resolve_app_db(ctx.obj, app_db))
    try:
        accounts = store.accounts()
    finally:
        store.close()
    now = datetime.now(UTC)
    locked = {a.name: a.locked_until is not None and a.locked_until > now for a in accounts}
    if as_json:
        print_json(
            [
                {"name": a.name, "role": a.role.value, "strands": list(a.strands), "locked": locked[a.name]}
                for a in accounts
            ]
        )
        return
    table = Table("name", "role", "strands", "locked")
    for a in accounts:
        table.add_row(a.name, a.role.value, ", ".join(a.strands) or "-", "yes" if locked[a.name] else "")
    console.print(
        table if accounts else "no accounts yet: add one with crimeprev users add NAME --role admin --password-stdin"
    )

"""``crimeprev users``: accounts added from standard input, listed, refused with a clear error."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from crimeprev.cli.app import app
from crimeprev.store.app_store import open_app_store, resolve_app_db
from crimeprev.web.passwords import check_password

PASSWORD = "correct horse battery staple\n"


def run(tmp_path: Path, *args: str, stdin: str = "") -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--store", str(tmp_path / "crimeprev.duckdb"), *args], input=stdin)
    return result.exit_code, result.output


def test_an_account_is_added_from_standard_input_and_listed(tmp_path: Path) -> None:
    code, out = run(tmp_path, "users", "add", "lead.knife", "--role", "lead", "--strand", "knife-crime",
                    "--password-stdin", stdin=PASSWORD)  # fmt: skip
    assert code == 0 and "added lead.knife (lead, strands: knife-crime)" in out
    code, out = run(tmp_path, "users", "list", "--json")
    assert code == 0 and json.loads(out) == [
        {"name": "lead.knife", "role": "lead", "strands": ["knife-crime"], "locked": False}
    ]
    store = open_app_store(resolve_app_db(tmp_path / "crimeprev.duckdb"))
    account = store.account("lead.knife")
    store.close()
    assert account is not None and check_password(account.password_hash, PASSWORD.strip())
    assert PASSWORD.strip() not in (tmp_path / "crimeprev-app.sqlite").read_bytes().decode("latin-1")


def test_refusals_say_what_to_do(tmp_path: Path) -> None:
    code, out = run(tmp_path, "users", "add", "bob", "--role", "viewer")
    assert code == 1 and "--password-stdin" in out
    code, out = run(tmp_path, "users", "add", "bob", "--role", "viewer", "--password-stdin", stdin="short\n")
    assert code == 1 and "at least 12 characters" in out
    code, out = run(tmp_path, "users", "add", "bob", "--role", "lead", "--password-stdin", stdin=PASSWORD)
    assert code == 1 and "--strand" in out
    code, out = run(tmp_path, "users", "add", "bob", "--role", "boss", "--password-stdin", stdin=PASSWORD)
    assert code == 2 and "viewer" in out
    code, out = run(tmp_path, "users", "list")
    assert code == 0 and "no accounts yet" in out

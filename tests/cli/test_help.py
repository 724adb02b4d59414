"""Every command has --help, and every command and option is documented in docs/cli.md."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from crimeprev.cli.app import app

DOCS = Path(__file__).parents[2] / "docs" / "cli.md"


def all_commands() -> list[tuple[str, ...]]:
    group = typer.main.get_command(app)
    found: list[tuple[str, ...]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, (*path, name))
        else:
            found.append(path)

    walk(group, ())
    return found


COMMANDS = all_commands()


def test_the_expected_commands_exist() -> None:
    names = {" ".join(c) for c in COMMANDS}
    assert {
        "ingest police-uk",
        "ingest extract",
        "ingest measures",
        "status",
        "quarantine",
        "demo-data",
        "demo",
    } <= names


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_has_help_and_is_documented(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout
    docs = DOCS.read_text()
    assert f"crimeprev {' '.join(command)}" in docs
    click_command = typer.main.get_command(app)
    for name in command:
        click_command = click_command.commands[name]  # type: ignore[attr-defined]
    for param in click_command.params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert opt in docs, f"{opt} of {' '.join(command)} is not in docs/cli.md"

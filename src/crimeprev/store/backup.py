"""Backing up and restoring a whole store: the catalog and every active partition file, as one file.

A backup is a tar file holding ``catalog.duckdb`` (and its write-ahead log, if a writer left
one), ``data/…`` (the active Parquet partitions, in the store's own layout) and a manifest with
the SHA-256 of each. It is taken through a read-only connection, which shares the store with
other readers but keeps any writer out until it is done, so the catalog and the files it lists
are one consistent state. Superseded partition files are not needed and not copied.

A restore checks every file against the manifest and that the restored catalog opens and lists
only files it has, before it touches the store; then it swaps the store's files for the restored
ones, so a failed restore leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crimeprev.model.errors import StoreError
from crimeprev.store.layout import data_dir
from crimeprev.store.staging import running_ingests
from crimeprev.store.warehouse import Warehouse

MANIFEST = "crimeprev-backup.json"
CATALOG = "catalog.duckdb"
FORMAT = 1


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """What a backup holds."""

    path: Path
    files: int
    bytes: int
    schema_version: int
    releases: int
    taken_at: str


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _wal(store: Path) -> Path:
    return store.with_name(store.name + ".wal")


def backup_store(store: Path, target: Path, *, now: datetime | None = None) -> BackupSummary:
    """Write a backup of ``store`` to the new file ``target`` (refused if it exists)."""
    if target.exists():
        raise StoreError(f"{target} already exists: give a new file name for the backup")
    if not target.parent.is_dir():
        raise StoreError(f"{target}: the folder {target.parent} does not exist")
    taken_at = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()
    with Warehouse.open(store, read_only=True) as warehouse:  # writers wait until the copy is done
        active = [row[0] for row in warehouse.query("SELECT path FROM partitions WHERE superseded_by IS NULL")]
        releases = int(warehouse.query("SELECT count(*) FROM releases")[0][0])
        members = [(store, CATALOG)]
        if _wal(store).exists():
            members.append((_wal(store), CATALOG + ".wal"))
        members += [(warehouse.data_dir / relative, f"data/{relative}") for relative in active]
        missing = [str(source) for source, _ in members if not source.is_file()]
        if missing:
            raise StoreError(f"the store lists files that are not there ({', '.join(missing[:3])}): not backed up")
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "taken_at": taken_at,
            "schema_version": warehouse.schema_version,
            "releases": releases,
            "files": {name: {"sha256": _sha256(source), "bytes": source.stat().st_size} for source, name in members},
        }
        partial = target.with_name(f".{target.name}.partial")
        try:
            with tarfile.open(partial, "w") as tar:
                data = json.dumps(manifest, indent=2).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
                for source, name in members:
                    tar.add(source, arcname=name, recursive=False)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    total = sum(int(f["bytes"]) for f in manifest["files"].values())
    return BackupSummary(target, len(members), total, int(manifest["schema_version"]), releases, taken_at)


def restore_store(backup: Path, store: Path, *, replace: bool = False) -> BackupSummary:
    """Restore ``backup`` as ``store``; an existing store is replaced only when ``replace`` is set."""
    if not backup.is_file():
        raise StoreError(f"{backup}: no such backup file")
    if store.exists() and not replace:
        raise StoreError(f"{store} exists: restoring would replace it; run again with --replace to do so")
    with tempfile.TemporaryDirectory(dir=store.parent, prefix=".crimeprev-restore-") as work:
        staged = Path(work) / store.name
        manifest = _unpack(backup, staged)
        _check_staged(staged, backup)
        if store.exists():
            Warehouse.open(store).close()  # fails at once if another process is using the store
            if running_ingests(store):  # parsing files it would commit into the restored store
                raise StoreError(f"an ingest into {store} is running: restore it when the ingest has finished")
        trash = Path(work) / "replaced"
        trash.mkdir()
        for path in (store, _wal(store), data_dir(store)):
            if path.exists():
                shutil.move(str(path), trash / path.name)
        try:
            for path in (staged, _wal(staged), data_dir(staged)):  # staged under the store's own name
                if path.exists():
                    shutil.move(str(path), store.parent / path.name)
        except BaseException:
            for path in (store, _wal(store), data_dir(store)):
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink(missing_ok=True)
            for path in trash.iterdir():
                shutil.move(str(path), store.parent / path.name)
            raise
    files = manifest["files"]
    return BackupSummary(
        backup,
        len(files),
        sum(int(f["bytes"]) for f in files.values()),
        int(manifest["schema_version"]),
        int(manifest["releases"]),
        str(manifest["taken_at"]),
    )


def _unpack(backup: Path, staged: Path) -> dict[str, Any]:
    """Extract the backup's files as a store at ``staged``, each checked against the manifest."""
    try:
        with tarfile.open(backup, "r") as tar:
            try:
                manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
            except (KeyError, AttributeError, ValueError):
                raise StoreError(f"{backup} is not a crimeprev backup (no readable {MANIFEST})") from None
            if manifest.get("format") != FORMAT:
                raise StoreError(f"{backup}: backup format {manifest.get('format')!r} is not one this crimeprev reads")
            names = {m.name for m in tar.getmembers() if m.isfile()} - {MANIFEST}
            if names != set(manifest["files"]):
                raise StoreError(f"{backup}: its files do not match its manifest; the backup is damaged")
            for member in tar.getmembers():
                if member.name == MANIFEST or not member.isfile():
                    continue
                target = _staged_path(staged, member.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None
                with target.open("wb") as out:
                    shutil.copyfileobj(source, out)
                if _sha256(target) != manifest["files"][member.name]["sha256"]:
                    raise StoreError(f"{backup}: {member.name} does not match its checksum; the backup is damaged")
    except tarfile.TarError as e:
        raise StoreError(f"{backup} is not a readable backup ({e})") from None
    return dict(manifest)


def _staged_path(staged: Path, name: str) -> Path:
    if name == CATALOG:
        return staged
    if name == CATALOG + ".wal":
        return _wal(staged)
    relative = Path(name).relative_to("data")
    if relative.is_absolute() or ".." in relative.parts:
        raise StoreError(f"a backup member {name!r} points outside the store")
    return data_dir(staged) / relative


def _check_staged(staged: Path, backup: Path) -> None:
    """The restored catalog opens, and every partition it lists as active is there."""
    with Warehouse.open(staged) as warehouse:  # a private copy: brought to this version's schema if older
        active = [row[0] for row in warehouse.query("SELECT path FROM partitions WHERE superseded_by IS NULL")]
        missing = [p for p in active if not (warehouse.data_dir / p).is_file()]
    if missing:
        raise StoreError(f"{backup}: the catalog lists files the backup does not hold ({', '.join(missing[:3])})")

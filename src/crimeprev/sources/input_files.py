"""Finding the files to ingest in the paths a user gives, with a clear error for each bad one.

Folders are walked without following links to folders (a link loop cannot trap the walk); a
file that cannot be read (a broken link, a folder where a file should be, no permission) is named
in a one-line error before anything is loaded.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from crimeprev.model.errors import InputError


def find_input_files(
    paths: Sequence[Path], *, wanted: Callable[[str], bool], recursive: bool, none_found: str
) -> list[Path]:
    """The files to read: each path that is a file, and the ``wanted`` files in each folder.

    ``none_found`` is the message for a folder holding no wanted file. Raises :class:`InputError`
    for a path that does not exist, a folder that cannot be walked, and a file that cannot be
    opened for reading.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(_walk(path, wanted, recursive=recursive))
            if not found:
                raise InputError(str(path), none_found)
            files.extend(found)
        elif path.exists():
            files.append(path)
        elif path.is_symlink():
            raise InputError(str(path), "a link to a file that does not exist")
        else:
            raise InputError(str(path), "no such file or folder")
    for file in files:
        _check_readable(file)
    return files


def _walk(folder: Path, wanted: Callable[[str], bool], *, recursive: bool) -> Iterator[Path]:
    def refuse(error: OSError) -> None:
        raise InputError(str(error.filename or folder), f"cannot read this folder ({error.strerror or error})")

    for root, folders, names in os.walk(folder, onerror=refuse, followlinks=False):
        for name in names:
            if wanted(name):
                yield Path(root) / name
        if not recursive:
            folders.clear()


def _check_readable(path: Path) -> None:
    if path.is_symlink() and not path.exists():
        raise InputError(str(path), "a link to a file that does not exist")
    if path.is_dir():
        raise InputError(str(path), "is a folder where a file was expected")
    try:
        with path.open("rb") as f:
            f.read(1)
    except OSError as e:
        raise InputError(str(path), f"cannot read the file ({e.strerror or e})") from None

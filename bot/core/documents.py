"""Markdown files of pinned documents: named by the config file only, read only under ``[bot] documents_dir``.

A value typed in a chat (``/doc set``, ``/set pinned.foundation``) is always
text, never a path: a chat admin must not make the bot read, post or probe the
server's files. Only a value written in the config file may name a ``.md``
file, and only one inside the folder the config names; the path is resolved
(symlinks too) and checked again at every read, so a link swapped later
cannot lead outside either.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.core.settings.pinned import is_markdown_path

FIELDS = ("foundation", "routine")  # pinned settings that may name a file; ``extra`` is a list of them


def resolve(documents_dir: str, value: str) -> Path | None:
    """The file a config value names, if it is inside ``documents_dir``; None otherwise (or when it is text)."""
    if not documents_dir or not is_markdown_path(value):
        return None
    root = Path(documents_dir).expanduser().resolve()
    path = (root / Path(value.strip()).expanduser()).resolve()
    return path if path.is_relative_to(root) else None


def file_values(pinned: Any) -> Iterable[tuple[str, str]]:
    """(field path, value) of every pinned setting that names a file."""
    for name in FIELDS:
        v = getattr(pinned, name, "")
        if is_markdown_path(v):
            yield name, v
    for i, v in enumerate(getattr(pinned, "extra", [])):
        if is_markdown_path(v):
            yield f"extra[{i}]", v


def problems(documents_dir: str, where: str, pinned: Any) -> list[str]:
    """Config errors for the files one settings table names (``where`` is its path, e.g. ``defaults.pinned``)."""
    out = []
    for name, value in file_values(pinned):
        field = f"{where}.{name}"
        if not documents_dir:
            out.append(f"{field}: {value.strip()!r} names a Markdown file; set [bot] documents_dir to the folder it is in")
            continue
        path = resolve(documents_dir, value)
        if path is None:
            out.append(f"{field}: {value.strip()!r} is outside [bot] documents_dir; keep the documents in that folder")
        elif not path.is_file():
            out.append(f"{field}: the Markdown file {value.strip()!r} is not in {documents_dir!r}; create it or write the text inline")
    return out

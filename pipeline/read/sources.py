"""Find input files, fingerprint them, and read text files in whatever encoding they came in."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = (".pdf", ".txt")


class SourceError(ValueError):
    """A path that cannot be ingested; the message is one line for the user."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    sha256: str
    kind: str  # 'pdf' | 'txt'
    size: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def kind_of(path: Path) -> str:
    """'pdf' by magic bytes or suffix, 'txt' for .txt; anything else is refused."""
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" in head:
        return "pdf"
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return "pdf"  # the PDF reader will say what is wrong with it
    if suffix == ".txt":
        return "txt"
    raise SourceError(f"{path}: not a .pdf or .txt file")


def paths_to_sources(paths: list[Path]) -> list[SourceFile]:
    """Expand directories (recursively, sorted) and fingerprint every file.

    Raises SourceError for a path that does not exist; a directory's files of
    other kinds are skipped silently, a named file of another kind is an error.
    """
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise SourceError(f"{path}: no such file or directory")
        if path.is_dir():
            found.extend(
                sorted(
                    child
                    for child in path.rglob("*")
                    if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES and not child.name.startswith(".")
                )
            )
        else:
            found.append(path)
    sources = []
    seen: set[Path] = set()
    for path in found:
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        sources.append(source_of(path))
    return sources


def source_of(path: Path) -> SourceFile:
    try:
        return SourceFile(path=path, sha256=sha256_of(path), kind=kind_of(path), size=path.stat().st_size)
    except OSError as error:
        raise SourceError(f"{path}: cannot read ({error.strerror or error})") from error


DEFAULT_ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 is a superset of GBK and GB2312


def read_text(path: Path) -> str:
    """Decode a text file: UTF-8 (with or without BOM), else GB18030/GBK, else
    charset-normalizer's best guess.  Windows line endings become \\n."""
    data = path.read_bytes()
    if not data.strip():
        raise SourceError(f"{path}: file is empty")
    for encoding in DEFAULT_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise SourceError(f"{path}: cannot tell the text encoding")
        text = str(best)
    return text.replace("\r\n", "\n").replace("\r", "\n")

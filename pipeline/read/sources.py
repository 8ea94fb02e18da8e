"""Find input files, fingerprint them, and read text files in whatever encoding they came in."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class SourceFault:
    """A file that was found but cannot be fingerprinted (unreadable, or named and of another
    kind): a failure of that file alone, recorded like any other (pipeline.ingest.record_fault)."""

    path: Path
    error: str  # one line, starting with the path
    error_class: str  # e.g. PermissionError, SourceError
    kind: str | None  # 'pdf' | 'txt' by the name's suffix, None for another suffix
    size: int | None  # None when even stat failed


@dataclass
class Found:
    """What discovery found: the files to ingest, and the files that failed already."""

    sources: list[SourceFile] = field(default_factory=list)
    faults: list[SourceFault] = field(default_factory=list)

    def __add__(self, other: Found) -> Found:
        return Found(self.sources + other.sources, self.faults + other.faults)


def paths_to_files(paths: list[Path]) -> list[Path]:
    """Expand directories (recursively, sorted; only .pdf/.txt, no hidden files) and drop
    repeats of one file.  Raises SourceError for a path that does not exist."""
    found: list[Path] = []
    for path in map(Path, paths):
        if not path.exists():
            raise SourceError(f"{path}: no such file or directory")
        if path.is_dir():
            found.extend(sorted(
                child for child in path.rglob("*")
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES and not child.name.startswith(".")
            ))
        else:
            found.append(path)
    unique, seen = [], set()
    for path in found:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(path)
    return unique


def paths_to_found(paths: list[Path]) -> Found:
    """Fingerprint every file under ``paths``; a file that cannot be read (or a named file of
    another kind) is a ``SourceFault`` of its own and does not stop the others.  Raises
    SourceError only for a path that does not exist."""
    found = Found()
    for path in paths_to_files(paths):
        try:
            found.sources.append(source_of(path))
        except SourceError as error:
            found.faults.append(fault_of(path, error))
    return found


def paths_to_sources(paths: list[Path]) -> list[SourceFile]:
    """``paths_to_found``'s sources; raises SourceError for the first fault, if any
    (for callers that want all of the files or none)."""
    found = paths_to_found(paths)
    if found.faults:
        raise SourceError(found.faults[0].error)
    return found.sources


def fault_of(path: Path, error: SourceError) -> SourceFault:
    """The fault record for a file ``source_of`` refused."""
    cause = error.__cause__
    try:
        size = path.stat().st_size
    except OSError:
        size = None
    suffix = path.suffix.lower().lstrip(".")
    return SourceFault(path=path, error=str(error).splitlines()[0], error_class=type(cause or error).__name__,
                       kind=suffix if suffix in ("pdf", "txt") else None, size=size)


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

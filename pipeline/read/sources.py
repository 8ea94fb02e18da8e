"""Find input files, fingerprint them, and read text files in whatever encoding they came in."""

from __future__ import annotations

import codecs
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


# Encodings a Chinese text file comes in when it is not UTF-8: GB18030 (a superset of GBK and
# GB2312, mainland files) or Big5 (Taiwan, Hong Kong); UTF-16/32 (Windows "Unicode") only with
# their BOM, since almost any bytes decode as UTF-16.  Big5 bytes mostly decode as GB18030
# without error, into nonsense (and random bytes as Big5), so the candidates are told apart
# by charset-normalizer's reading of a sample: how messy the decoded text is (chaos) and how
# much its characters are those frequent in Chinese (coherence), not by trying them in turn.
ENCODING_CANDIDATES = ("gb18030", "big5")
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))  # UTF-32 LE's BOM starts with UTF-16 LE's: tried first
ENCODING_SAMPLE_BYTES = 256 * 1024  # charset-normalizer reads chunks of this much of the file
DEFAULT_MAX_ENCODING_MESS = 0.1  # chaos (0 clean … 1 noise) above which a reading is not trusted
DEFAULT_MIN_ENCODING_COHERENCE = 0.05  # likeness to Chinese character frequencies below which it is not either
# (a ten-line notice scores 0.19 to 0.25, the sample issue 0.15; a single line can score 0 and is refused)


def bytes_to_encoding(data: bytes, *, max_mess: float = DEFAULT_MAX_ENCODING_MESS,
                      min_coherence: float = DEFAULT_MIN_ENCODING_COHERENCE) -> str | None:
    """The encoding of a text that is not UTF-8: its BOM's, else the candidate that reads a
    sample of ``data`` cleanly (mess at most ``max_mess``) as Chinese (coherence at least
    ``min_coherence``), the best such first; None when none fits."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:ENCODING_SAMPLE_BYTES], cp_isolation=list(ENCODING_CANDIDATES), threshold=max_mess)
    fitting = [match for match in matches if match.coherence >= min_coherence]
    return fitting[0].encoding if fitting else None


def bytes_to_text(data: bytes, name: str = "file") -> str:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, else the encoding
    ``bytes_to_encoding`` finds with confidence; refuses (``SourceError``) when none fits
    or the whole file does not decode in the encoding its sample suggested."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    encoding = bytes_to_encoding(data)
    if encoding is None:
        raise SourceError(
            f"{name}: cannot tell the text encoding (not UTF-8, and not read with confidence as Chinese in "
            f"{' or '.join(ENCODING_CANDIDATES)}); save it as UTF-8"
        )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise SourceError(f"{name}: not valid {encoding} at byte {error.start} (its first part reads as {encoding}); "
                          "save it as UTF-8") from error


def read_text(path: Path) -> str:
    """Decode a text file (``bytes_to_text``); Windows line endings become \\n."""
    data = path.read_bytes()
    if not data.strip():
        raise SourceError(f"{path}: file is empty")
    text = bytes_to_text(data, str(path))
    return text.replace("\r\n", "\n").replace("\r", "\n")

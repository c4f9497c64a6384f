"""Zip archives and gzip files of curve files, unpacked within bounds.

An upload may be a .zip of exports (one level of nested .zip allowed) or a gzipped file.
Every size is checked while reading, not only as the archive declares it, so a zip bomb
(a small archive that unpacks to gigabytes) is refused before it fills the memory.
"""

from __future__ import annotations

import gzip
import io
import zipfile

from .formats import CurveFileError
from .table import _size

#: Most members of an archive, most bytes it may unpack to, and most bytes of one member.
MAX_MEMBERS = 2_000
MAX_UNPACKED_BYTES = 200_000_000
MAX_MEMBER_BYTES = 30_000_000
#: Nested archives: a zip inside the uploaded zip is read, one inside that is refused.
MAX_DEPTH = 1


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06"


def is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def gunzip(data: bytes, name: str, max_bytes: int = MAX_MEMBER_BYTES) -> bytes:
    """The content of a gzip file, at most ``max_bytes`` [bytes] (CurveFileError beyond)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (OSError, EOFError) as err:
        raise CurveFileError(f"{name} is a damaged gzip file ({err}).") from None
    if len(out) > max_bytes:
        raise CurveFileError(
            f"{name} unpacks to more than {_size(max_bytes)}; IndentLab reads files up to that."
        )
    return out


def unzip(data: bytes, name: str, depth: int = 0) -> list[tuple[str, bytes]]:
    """(name, bytes) of every file in a zip archive, nested zips unpacked one level deep.

    Parameters
    ----------
    data : bytes
        The archive.
    name : str
        Its name, for messages and as a prefix of member names in nested archives.
    depth : int
        Nesting level of this archive (0 for the uploaded one).

    Returns
    -------
    list of (str, bytes)
        Files in archive order; folders, hidden files and macOS resource forks left out.

    Raises
    ------
    CurveFileError
        A damaged archive, more than MAX_MEMBERS files, more than MAX_UNPACKED_BYTES in
        total or MAX_MEMBER_BYTES in one file (counted while unpacking), an encrypted
        member, or a zip nested deeper than MAX_DEPTH.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise CurveFileError(
            f"{name} is not a readable zip archive ({err}). Is the upload complete? Zip the "
            "files again and upload the new archive."
        ) from None
    if len(infos) > MAX_MEMBERS:
        raise CurveFileError(
            f"{name} holds {len(infos):,} files; IndentLab reads archives of at most "
            f"{MAX_MEMBERS:,} files. Split it into smaller archives."
        )
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNPACKED_BYTES:
        raise CurveFileError(
            f"{name} unpacks to {_size(declared)}; IndentLab reads archives that unpack to "
            f"at most {_size(MAX_UNPACKED_BYTES)}."
        )
    files, total = [], 0
    with archive:
        for info in infos:
            base = info.filename.rsplit("/", 1)[-1]
            if info.is_dir() or not base or base.startswith(".") or "__MACOSX" in info.filename:
                continue
            if info.flag_bits & 0x1:
                raise CurveFileError(f"{name}: {info.filename} is encrypted; unzip it first.")
            try:
                with archive.open(info) as member:
                    content = member.read(MAX_MEMBER_BYTES + 1)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as err:
                raise CurveFileError(
                    f"{name}: {info.filename} cannot be unpacked ({err}). Zip the files again."
                ) from None
            if len(content) > MAX_MEMBER_BYTES:
                raise CurveFileError(
                    f"{name}: {info.filename} unpacks to more than {_size(MAX_MEMBER_BYTES)}."
                )
            total += len(content)
            if total > MAX_UNPACKED_BYTES:
                raise CurveFileError(
                    f"{name} unpacks to more than {_size(MAX_UNPACKED_BYTES)} (its declared "
                    "sizes were wrong); IndentLab stops there."
                )
            label = f"{name}/{info.filename}" if depth else info.filename
            if is_zip(content) and not base.lower().endswith((".xlsx", ".xlsm", ".ods")):
                if depth + 1 > MAX_DEPTH:
                    raise CurveFileError(
                        f"{name}: {info.filename} is a zip inside a zip inside a zip; IndentLab "
                        "unpacks one level of nested archives. Unpack it first."
                    )
                files.extend(unzip(content, label, depth + 1))
                if len(files) > MAX_MEMBERS:
                    raise CurveFileError(
                        f"{name} holds more than {MAX_MEMBERS:,} files with its nested "
                        "archives. Split it into smaller archives."
                    )
            else:
                files.append((label, content))
    if not files:
        raise CurveFileError(f"{name} is an empty archive: it holds no files.")
    return files

"""Uploaded photos (现场照片): stored by content hash behind a small interface, on local disk by
default. A report or an action carries only the photo's URL and SHA-256 (DESIGN §5); the bytes
live here, or in object storage behind the same interface."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

from grid_router.exceptions import GridRouterError


class PhotoError(GridRouterError):
    """An upload that is not a photo we accept; the message says why."""


@dataclass(frozen=True, slots=True)
class StoredPhoto:
    sha256: str
    content_type: str
    size: int


class PhotoStorage(Protocol):
    def put(self, data: bytes) -> StoredPhoto: ...

    def get(self, sha256: str) -> tuple[bytes, str] | None: ...


# Known by their first bytes, whatever the client says the type is.
_SIGNATURES: Final = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff(data: bytes) -> str | None:
    """The image type of `data` by its magic bytes: JPEG, PNG or WebP; None otherwise."""
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


class LocalPhotoStorage:
    """Photos as files named by their SHA-256 under `root` (written atomically)."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self._root = root
        self._max = max_bytes

    def put(self, data: bytes) -> StoredPhoto:
        if not data:
            raise PhotoError("the upload is empty")
        if len(data) > self._max:
            raise PhotoError(f"the photo has {len(data)} bytes; at most {self._max} are accepted")
        kind = sniff(data)
        if kind is None:
            raise PhotoError("only JPEG, PNG and WebP photos are accepted")
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest, kind)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        return StoredPhoto(digest, kind, len(data))

    def get(self, sha256: str) -> tuple[bytes, str] | None:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            return None
        for _, kind in (*_SIGNATURES, (b"", "image/webp")):
            path = self._path(sha256, kind)
            if path.exists():
                return path.read_bytes(), kind
        return None

    def _path(self, digest: str, kind: str) -> Path:
        return self._root / digest[:2] / f"{digest}.{kind.split('/')[1]}"

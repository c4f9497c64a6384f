"""A learner's progress as a signed file they can download and upload again later.

The file is UTF-8 JSON: ``{"format": "indentlab-progress", "version": 1, "progress": ...,
"signature": "<hex>"}``, where the signature is HMAC-SHA256 over the canonical JSON (sorted
keys, no spaces) of everything else. Editing any byte of the content makes :func:`load`
refuse the file. The secret comes from the argument, else the environment variable
``INDENTLAB_PROGRESS_SECRET``, else :data:`DEV_SECRET`, which is public: set a real secret
(e.g. from ``st.secrets``) wherever files must not be forged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from typing import Any

FORMAT = "indentlab-progress"
VERSION = 1
#: Larger files are refused before they are parsed [bytes].
MAX_BYTES = 256 * 1024
SECRET_ENV = "INDENTLAB_PROGRESS_SECRET"
#: The secret used when none is given or set: fine on a laptop, forgeable anywhere else.
DEV_SECRET = "indentlab-development-progress-secret"


def dump(progress: Mapping[str, Mapping[str, Any]], secret: str | bytes | None = None) -> bytes:
    """The signed file of ``progress`` (as from :meth:`classroom.Store.progress`): a mapping
    from exercise id to JSON values. Raises ValueError if it is not JSON or too large."""
    if not isinstance(progress, Mapping) or not all(isinstance(k, str) for k in progress):
        raise ValueError("progress must be a mapping from exercise id (text) to its record.")
    body = {"format": FORMAT, "version": VERSION, "progress": progress}
    try:
        signature = _sign(body, secret)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"progress must hold only JSON values (text, numbers): {exc}") from None
    data = json.dumps({**body, "signature": signature}, ensure_ascii=False, indent=1)
    raw = data.encode("utf-8")
    if len(raw) > MAX_BYTES:
        raise ValueError(f"The progress file would be {len(raw)} bytes, over {MAX_BYTES}.")
    return raw


def load(raw: bytes, secret: str | bytes | None = None) -> dict[str, dict[str, Any]]:
    """The progress saved by :func:`dump`; ValueError with a clear message when the file is
    too large, not a progress file, of an unknown version, or changed after it was saved."""
    if not isinstance(raw, bytes | bytearray):
        raise ValueError("A progress file must be given as bytes.")
    if len(raw) > MAX_BYTES:
        raise ValueError(
            f"This file is too large to be a progress file ({len(raw)} bytes, at most {MAX_BYTES})."
        )
    try:
        data = json.loads(bytes(raw).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("This is not an IndentLab progress file (not readable JSON).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("This is not an IndentLab progress file.")
    signature = data.pop("signature", None)
    if not isinstance(signature, str) or not hmac.compare_digest(signature, _sign(data, secret)):
        raise ValueError(
            "This progress file was changed after it was saved (or saved by another copy of "
            "IndentLab): its signature does not match."
        )
    if data.get("version") != VERSION or not isinstance(data.get("progress"), dict):
        raise ValueError(f"Unknown progress file version {data.get('version')!r}.")
    return data["progress"]


def _sign(body: Mapping[str, Any], secret: str | bytes | None) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(_secret(secret), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def _secret(secret: str | bytes | None) -> bytes:
    if secret is None:
        secret = os.environ.get(SECRET_ENV) or DEV_SECRET
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if not secret:
        raise ValueError("The progress-file secret must not be empty.")
    return secret

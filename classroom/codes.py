"""Class codes, instructor keys, learner ids and tokens, and the checks on what learners type.

Nothing here touches the database: these are plain functions on strings.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata

#: Letters and digits of a class code: no 0/O, 1/I/L, so a code read aloud is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
NICKNAME_MAX_CHARS = 40
EXERCISE_MAX_CHARS = 80
#: Longer answers are cut to this many characters before they are stored.
ANSWER_MAX_CHARS = 500

# scrypt cost (RFC 7914): n=2**14, r=8 uses 16 MiB and some 50 ms per check.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def new_class_code() -> str:
    """A random class code of :data:`CODE_LENGTH` characters from :data:`CODE_ALPHABET`."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """A class code as typed ("abc-234 ") in its stored form ("ABC234").

    Raises ValueError when it cannot be a class code.
    """
    if not isinstance(code, str):
        raise ValueError(f"A class code must be text. Got {type(code).__name__}.")
    cleaned = "".join(code.split()).replace("-", "").upper()
    if len(cleaned) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in cleaned):
        raise ValueError(
            f"There is no class with code {code[:20]!r}: a class code has {CODE_LENGTH} "
            f"letters and digits ({CODE_ALPHABET})."
        )
    return cleaned


def new_secret() -> str:
    """A random, URL-safe secret (32 bytes): instructor keys and learner tokens."""
    return secrets.token_urlsafe(32)


def new_learner_id() -> str:
    """A random learner id (16 bytes, URL-safe): only its holder can record as that learner."""
    return secrets.token_urlsafe(16)


def hash_key(key: str) -> str:
    """A salted scrypt hash of an instructor key, as ``scrypt$n$r$p$salt$hash`` (base64)."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(key, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    return "$".join(
        ["scrypt", str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P), _b64(salt), _b64(digest)]
    )


def verify_key(key: str, stored: str) -> bool:
    """Whether ``key`` matches a hash made by :func:`hash_key` (constant-time comparison)."""
    if not isinstance(key, str) or len(key) > 200:
        return False
    try:
        name, n, r, p, salt, digest = stored.split("$")
        if name != "scrypt":
            return False
        expected = base64.urlsafe_b64decode(digest)
        got = _scrypt(key, base64.urlsafe_b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a learner token is stored (tokens are random, so
    an unsalted fast hash is enough: it keeps a copied database from revealing them)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise ValueError("Unknown learner token: start again with a new token.")
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def clean_nickname(nickname: str) -> tuple[str, str]:
    """The nickname to store and the key under which it must be unique in a class.

    Surrounding spaces are removed and the text is NFC-normalised; it must then have 1 to
    :data:`NICKNAME_MAX_CHARS` printable characters (no control characters, no line breaks).
    The unique key is case-folded, so "Anna" and "anna" cannot both join one class. HTML or
    SQL in a nickname is kept as plain text: escaping it for display is the UI's job.
    """
    if not isinstance(nickname, str):
        raise ValueError(f"A nickname must be text. Got {type(nickname).__name__}.")
    text = unicodedata.normalize("NFC", nickname.strip())
    if not 1 <= len(text) <= NICKNAME_MAX_CHARS:
        raise ValueError(
            f"A nickname must have 1 to {NICKNAME_MAX_CHARS} characters. Got {len(text)}."
        )
    if not text.isprintable():
        raise ValueError(
            "A nickname must contain only printable characters (no line breaks, tabs or "
            "control characters)."
        )
    return text, unicodedata.normalize("NFKC", text).casefold()


def clean_exercise(exercise_id: str) -> str:
    """An exercise id: 1 to :data:`EXERCISE_MAX_CHARS` printable characters."""
    if (
        not isinstance(exercise_id, str)
        or not 1 <= len(exercise_id) <= EXERCISE_MAX_CHARS
        or not exercise_id.isprintable()
    ):
        raise ValueError(
            f"exercise_id must be 1 to {EXERCISE_MAX_CHARS} printable characters. "
            f"Got {str(exercise_id)[:EXERCISE_MAX_CHARS]!r}."
        )
    return exercise_id


def clean_answer(answer: object) -> str | None:
    """An answer as stored: None stays None, anything else becomes text cut to
    :data:`ANSWER_MAX_CHARS` characters."""
    if answer is None:
        return None
    return str(answer)[:ANSWER_MAX_CHARS]


def clean_passed(passed: object) -> bool:
    """``passed`` as a bool; anything but True/False (or numpy's) raises ValueError."""
    if passed is True or passed is False or type(passed).__name__ == "bool_":
        return bool(passed)
    raise ValueError(f"passed must be True or False. Got {passed!r}.")


def _scrypt(key: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(key.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")

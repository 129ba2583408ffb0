"""Looks for secrets in captured bytes and files, in every encoding a leak is likely to take (test helper).

A secret can leak as itself, or transformed on the way out: base64 (standard or URL-safe, and at
any of the three byte offsets, so it is found in the middle of a longer base64 blob such as an HTTP
`Authorization: Basic` header or a JSON-encoded `Data`), percent-encoded (a form body or a query
string), hex (lower or upper case, e.g. a debug dump of `Data`), or UTF-16 (a `String` dumped in
UTF-16 code units).

Usage:

    secrets = {"vapi key": key, "auth token": token}
    found = scan_blobs(secrets, {"stdout": sb.stdout_bytes, "stderr": sb.stderr_bytes})
    found += scan_paths(secrets, [home, fake_server_log])
    assert not found, describe(found)

or simply `assert_no_secrets(secrets, blobs={...}, paths=[...])`.

Secrets shorter than `MIN_SECRET_LENGTH` are refused: short strings match by chance.
"""
from __future__ import annotations

import base64
import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

MIN_SECRET_LENGTH = 12


@dataclass(frozen=True)
class Needle:
    encoding: str
    data: bytes
    ignore_case: bool


@dataclass(frozen=True)
class Hit:
    secret: str  # the label of the secret, never its value
    encoding: str
    where: str  # "stdout", a file path, ...
    offset: int

    def __str__(self) -> str:
        return f"secret {self.secret!r} found {self.encoding} in {self.where} at byte {self.offset}"


def _base64_inner(data: bytes, offset: int, alphabet: str) -> bytes:
    """The base64 characters that depend only on `data` when it starts `offset` bytes into a blob."""
    padded = b"\0" * offset + data
    encoded = base64.b64encode(padded)
    if alphabet == "urlsafe":
        encoded = encoded.translate(bytes.maketrans(b"+/", b"-_"))
    first = -(-offset * 8 // 6)  # ceil: first character holding no filler bits
    last = (len(padded) * 8) // 6  # characters after this one mix in padding bits
    return encoded[first:last]


def needles(secret: str | bytes) -> list[Needle]:
    """Every encoding of `secret` the scanner looks for.

    A `str` secret is matched as UTF-8 text (raw text is matched ignoring case); a `bytes` secret
    (e.g. a raw key) is matched byte for byte and in its base64, hex and percent-encoded forms.
    """
    if len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(f"secrets shorter than {MIN_SECRET_LENGTH} characters match by chance")
    is_text = isinstance(secret, str)
    raw = secret.encode("utf-8") if is_text else bytes(secret)
    found = [
        Needle("raw", raw, is_text),
        Needle("base64", base64.b64encode(raw), False),
        Needle("base64url", base64.urlsafe_b64encode(raw), False),
        Needle("base64url-unpadded", base64.urlsafe_b64encode(raw).rstrip(b"="), False),
        Needle("url-encoded", urllib.parse.quote(raw, safe="").encode(), True),
        Needle("form-encoded", urllib.parse.quote_plus(raw, safe="").encode(), True),
        Needle("hex", raw.hex().encode(), True),  # ignore_case covers upper-case hex too
        Needle("hex-upper", raw.hex().upper().encode(), True),
    ]
    if is_text:
        found += [
            Needle("utf-16le", secret.encode("utf-16-le"), True),
            Needle("utf-16be", secret.encode("utf-16-be"), True),
            Needle("json-unicode-escaped", "".join(f"\\u{ord(c):04x}" for c in secret).encode(), True),
        ]
    for offset in range(3):
        for alphabet in ("standard", "urlsafe"):
            found.append(Needle(f"base64({alphabet}) at offset {offset}", _base64_inner(raw, offset, alphabet), False))
    # Drop duplicates (e.g. a URL-safe secret is its own URL encoding) keeping the first name.
    unique: dict[tuple[bytes, bool], Needle] = {}
    for needle in found:
        unique.setdefault((needle.data if not needle.ignore_case else needle.data.lower(), needle.ignore_case), needle)
    return list(unique.values())


def scan_bytes(secrets: Mapping[str, str | bytes], data: bytes | bytearray, where: str) -> list[Hit]:
    data = bytes(data)
    lowered = data.lower()
    hits = []
    for label, secret in secrets.items():
        for needle in needles(secret):
            haystack, pattern = (lowered, needle.data.lower()) if needle.ignore_case else (data, needle.data)
            at = haystack.find(pattern)
            if at >= 0:
                hits.append(Hit(label, needle.encoding, where, at))
    return hits


def scan_blobs(secrets: Mapping[str, str | bytes], blobs: Mapping[str, bytes | bytearray]) -> list[Hit]:
    hits = []
    for where, data in blobs.items():
        hits += scan_bytes(secrets, data, where)
    return hits


def files_under(paths: Iterable[os.PathLike | str]) -> list[Path]:
    """Every regular file at or under `paths` (folders are walked, missing paths skipped)."""
    result = []
    for path in map(Path, paths):
        if path.is_file():
            result.append(path)
        elif path.is_dir():
            result += sorted(p for p in path.rglob("*") if p.is_file())
    return result


def read_files(paths: Iterable[os.PathLike | str]) -> dict[str, bytes]:
    """Snapshot of every file at or under `paths` (use while a process runs: `-wal`/`-shm` vanish at close)."""
    snapshot = {}
    for file in files_under(paths):
        try:
            snapshot[str(file)] = file.read_bytes()
        except FileNotFoundError:  # removed while we walked (e.g. a checkpointed -wal)
            pass
    return snapshot


def scan_paths(secrets: Mapping[str, str | bytes], paths: Iterable[os.PathLike | str]) -> list[Hit]:
    return scan_blobs(secrets, read_files(paths))


def describe(hits: list[Hit]) -> str:
    return "secrets leaked:\n" + "\n".join(f"  {hit}" for hit in hits)


def assert_no_secrets(secrets: Mapping[str, str | bytes], blobs: Mapping[str, bytes | bytearray] | None = None,
                      paths: Iterable[os.PathLike | str] = ()) -> None:
    hits = scan_blobs(secrets, blobs or {}) + scan_paths(secrets, paths)
    assert not hits, describe(hits)


def self_check() -> None:
    """The scanner finds what it claims to find (run by the vault secrets test)."""
    secret = "sk-live-ZZTOPSECRET-selfcheck-0123"
    raw = secret.encode()
    samples = {
        "raw": b"xx" + raw + b"yy",
        "upper": raw.upper(),
        "b64": b"Basic " + base64.b64encode(raw),
        "b64 inside 1": base64.b64encode(b"k:" + raw + b":z"),
        "b64 inside 2": base64.b64encode(b"ab:" + raw),
        "b64 inside 3": base64.urlsafe_b64encode(b"a" + raw + b"\xff\xfe"),
        "url": urllib.parse.quote("key=" + secret + "&x", safe="").encode(),
        "hex": raw.hex().encode(),
        "HEX": raw.hex().upper().encode(),
        "utf16": ("[" + secret + "]").encode("utf-16-le"),
    }
    for name, blob in samples.items():
        assert scan_bytes({"s": secret}, blob, name), f"scanner missed the secret in {name}"
    assert not scan_bytes({"s": secret}, b"sk-live-ZZTOPSECRET-selfcheck-0124", "near miss")
    key = bytes(range(200, 232))
    assert scan_bytes({"k": key}, b"..." + key + b"...", "raw key")
    assert scan_bytes({"k": key}, base64.b64encode(b"x" + key), "base64 key")
    assert not scan_bytes({"s": secret}, b"hint \xe2\x80\xa60123 AC\xe2\x80\xa6abcd", "hints")

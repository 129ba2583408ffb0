#!/usr/bin/env python3
"""Fake Vapi + Twilio upstream for Switchboard tests and benchmarks.

Single file, Python 3.11 standard library only.  One ``ThreadingHTTPServer``
on 127.0.0.1 serves BOTH APIs from the server root:

* Vapi:   ``/phone-number``, ``/phone-number/{id}``, ``/v2/phone-number``, ``/call``
* Twilio: ``/2010-04-01/Accounts/{AC}.json``,
          ``/2010-04-01/Accounts/{AC}/IncomingPhoneNumbers.json``,
          ``/2010-04-01/Accounts/{AC}/IncomingPhoneNumbers/{PN}.json``
* Control API (no auth, never recorded): ``/__control/...``

Behaviour follows ../shared/reference/api-facts.md.  Choices made where the
real API is UNCONFIRMED are marked "CHOICE" below and listed in README.md.

Usage: see README.md next to this file, or ``--help``.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import collections
import bisect
import hashlib
import hmac
import http.server
import json
import math
import os
import random
import re
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import traceback
import uuid
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import parse_qs, quote, urlencode, urlsplit

__all__ = [
    "FakeUpstream",
    "DEFAULT_VAPI_KEY",
    "DEFAULT_ACCOUNT_SID",
    "DEFAULT_AUTH_TOKEN",
    "DEFAULT_ORG_ID",
    "VAPI_401_BODY",
    "TWILIO_401_BODY",
    "main",
]

# --------------------------------------------------------------------------- constants

DEFAULT_VAPI_KEY = "vapi-fake-private-key-5b0c7e2a-91d4-4f3e-a8c6-2d7f1e9b3a40"
DEFAULT_ACCOUNT_SID = "AC5f8e3a91c2d47b60e1f9a8c3d2b7e645"
DEFAULT_AUTH_TOKEN = "9c1e7b3f5a2d4e6f8091a2b3c4d5e6f7"
DEFAULT_ORG_ID = "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"

VAPI_401_BODY = {
    "message": "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.",
    "error": "Unauthorized",
    "statusCode": 401,
}
TWILIO_401_BODY = {
    "code": 20003,
    "detail": "Your AccountSid or AuthToken was incorrect.",
    "message": "Authenticate",
    "more_info": "https://www.twilio.com/docs/errors/20003",
    "status": 401,
}
VAPI_ALREADY_IMPORTED = "Phone number already imported"
VAPI_TWILIO_AUTH_FAILED = (
    "Twilio Error: Authenticate. Please check your Twilio Account SID and Auth Token (or API Key and Secret)."
)
VAPI_WEBHOOK_VOICE = "https://api.vapi.ai/twilio/inbound_call"
VAPI_WEBHOOK_SMS = "https://api.vapi.ai/twilio/sms"

DEFAULT_CONFIG: dict = {
    # credentials
    "vapiKey": DEFAULT_VAPI_KEY,
    "accountSid": DEFAULT_ACCOUNT_SID,
    "authToken": DEFAULT_AUTH_TOKEN,
    "orgId": DEFAULT_ORG_ID,
    # Twilio account object
    "accountStatus": "active",  # active | suspended | closed
    "accountType": "Full",  # Full | Trial
    "accountFriendlyName": "Switchboard Test Account",
    # Vapi free numbers
    "vapiNumberStatus": "active",  # status of newly created provider=vapi numbers: active | activating
    "activationGets": 2,  # GET /phone-number/{id} calls until an "activating" number turns "active"
    "unavailableAreaCodes": ["999"],
    "freeNumberLimit": None,  # None = unlimited; else max count of provider=vapi numbers
    # faults
    "retryAfter": "1",  # Retry-After header value for 429 faults (None = omit)
    # seeding
    "ties": True,  # seeded Vapi numbers include identical createdAt timestamps
    "tieEvery": 50,  # DESC positions p with p % tieEvery == 0 share createdAt with p-1
    "twilioNonVoiceEvery": 10,  # every k-th seeded Twilio number lacks voice (0 = never)
    "twilioLongNameEvery": 13,  # every k-th seeded Twilio number gets a >40 char friendly_name (0 = never)
    "twilioStrictPaging": True,  # Page>0 without PageToken -> 400 21481
    "randomSeed": 20240601,
    # request recording
    "recordRequests": True,
    "maxRecordedRequests": 50000,  # oldest records are dropped beyond this
}

NEST_REASON = {
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    409: "Conflict",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

PROVIDERS = ["vapi", "twilio", "byo-phone-number", "vonage", "telnyx"]
_COMMON_DTO = {
    "fallbackDestination": "dest",
    "hooks": "array",
    "name": "name",
    "assistantId": "string",
    "workflowId": "string",
    "squadId": "string",
    "server": "server",
}
_TWILIO_CRED_FIELDS = {
    "twilioAccountSid": "string",
    "twilioAuthToken": "string",
    "twilioApiKey": "string",
    "twilioApiSecret": "string",
}
CREATE_DTOS = {
    "vapi": {"provider": "provider", **_COMMON_DTO, "numberDesiredAreaCode": "areacode", "sipUri": "string",
             "authentication": "sipauth"},
    "twilio": {"provider": "provider", **_COMMON_DTO, "number": "string", **_TWILIO_CRED_FIELDS, "smsEnabled": "bool"},
    "byo-phone-number": {"provider": "provider", **_COMMON_DTO, "credentialId": "string", "number": "len3_40",
                         "numberE164CheckEnabled": "bool"},
    "vonage": {"provider": "provider", **_COMMON_DTO, "number": "string", "credentialId": "string"},
    "telnyx": {"provider": "provider", **_COMMON_DTO, "number": "string", "credentialId": "string"},
}
CREATE_REQUIRED = {
    "vapi": (),
    "twilio": ("number", "twilioAccountSid"),
    "byo-phone-number": ("credentialId",),
    "vonage": ("number", "credentialId"),
    "telnyx": ("number", "credentialId"),
}
UPDATE_DTOS = {
    "vapi": {"provider": "provider", **_COMMON_DTO, "sipUri": "string", "authentication": "sipauth"},
    "twilio": dict(CREATE_DTOS["twilio"]),
    "byo-phone-number": dict(CREATE_DTOS["byo-phone-number"]),
    "vonage": dict(CREATE_DTOS["vonage"]),
    "telnyx": dict(CREATE_DTOS["telnyx"]),
}
DEST_KEYS = {
    "number": {"type", "number", "extension", "message", "callerId", "transferPlan", "description",
               "numberE164CheckEnabled", "name"},
    "sip": {"type", "sipUri", "message", "callerId", "transferPlan", "sipHeaders", "description", "name"},
}
SERVER_KEYS = {"url", "headers", "timeoutSeconds", "credentialId", "backoffPlan", "staticIpAddressesEnabled",
               "encryptedPaths"}
SIPAUTH_KEYS = {"realm", "username", "password"}
DATE_FILTERS = ("createdAtGt", "createdAtLt", "createdAtGe", "createdAtLe",
                "updatedAtGt", "updatedAtLt", "updatedAtGe", "updatedAtLe")
V1_LIST_PARAMS = {"limit", *DATE_FILTERS}
V2_LIST_PARAMS = {"search", "page", "sortOrder", "sortBy", "limit", *DATE_FILTERS}
CALL_LIST_PARAMS = {"id", "assistantId", "phoneNumberId", "limit", *DATE_FILTERS}
CALL_ODD_KINDS = ("costString", "costNull", "noStartedAt", "endedAtNull", "successEvaluationFalse", "unknownType",
                  "noId", "noCreatedAt", "notAnObject")

E164_RE = re.compile(r"^\+[1-9]\d{1,14}$")
LOOSE_NUMBER_RE = re.compile(r"^\+?[a-zA-Z0-9]+$")
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
VAPI_SIP_URI_RE = re.compile(r"^sip:[^@\s]+@sip(\.eu)?\.vapi\.ai$")
AREA_CODES = ["415", "628", "510", "650", "212", "646", "718", "312", "773", "206", "303", "512", "617",
              "702", "305", "404", "214", "503", "720", "919"]
LONG_NAMES = [
    "Customer Support Line \u2014 West Coast Overflow",
    "Main Reception / After-Hours Answering Service",
    "Marketing Campaign Spring Tracking Number (TV)",
]

TW_ACCOUNT_RE = re.compile(r"^/2010-04-01/Accounts/([^/]+)\.json$")
TW_LIST_RE = re.compile(r"^/2010-04-01/Accounts/([^/]+)/IncomingPhoneNumbers\.json$")
TW_ONE_RE = re.compile(r"^/2010-04-01/Accounts/([^/]+)/IncomingPhoneNumbers/([^/]+)\.json$")
TW_ANY_ACCOUNT_RE = re.compile(r"^/2010-04-01/Accounts/([^/]+?)(?:\.json)?(?:/|$)")

FAULT_KINDS = ("delay", "status", "reset", "garbage", "truncate", "lose_reply", "raw")
FAULT_KEYS = {"kind", "provider", "method", "path", "pathRegex", "times", "skip", "delayMs", "ms", "status", "body",
              "headers", "retryAfter", "contentType", "perform"}
FAULT_PERFORM_DEFAULT = {"delay": True, "status": False, "reset": False, "garbage": False, "truncate": True,
                         "lose_reply": True, "raw": False}
# What a `raw` fault writes instead of an HTTP response (then it closes the connection): not HTTP at all.
DEFAULT_RAW = b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\nProtocol mismatch.\r\n"
DEFAULT_GARBAGE = b"<html><head><title>502 Bad Gateway</title></head><body>upstream hiccup</body></html>\n{\"res"

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
SEED_VAPI_NEWEST_MS = 1748779200000  # 2025-06-01T12:00:00.000Z; seeds go backwards from here
SEED_TWILIO_OLDEST_S = 1673740800  # 2023-01-15T00:00:00Z; seeds go forwards from here
ACCOUNT_CREATED = "Mon, 09 Jan 2023 17:04:11 +0000"

_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def _dumps(obj) -> bytes:
    return _encoder.encode(obj).encode("utf-8")


def _camel(key: str) -> str:
    if "_" not in key:
        return key
    head, *rest = key.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def iso_from_ms(ms: int) -> str:
    dt = EPOCH + timedelta(milliseconds=ms)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def parse_iso_us(value) -> int | None:
    """ISO-8601 string -> microseconds since epoch (naive = UTC); None if invalid."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return (dt - EPOCH) // timedelta(microseconds=1)


def rfc2822(seconds: int) -> str:
    return format_datetime(datetime.fromtimestamp(seconds, tz=timezone.utc))


def friendly_from_e164(number: str) -> str:
    if number.startswith("+1") and len(number) == 12:
        d = number[2:]
        return f"({d[0:3]}) {d[3:6]}-{d[6:10]}"
    return number


class Response:
    __slots__ = ("status", "body", "headers")

    def __init__(self, status: int, body: bytes = b"", headers=None):
        self.status = status
        self.body = body
        self.headers = list(headers or [])


def _json_response(status: int, obj, headers=None) -> Response:
    hdrs = [("Content-Type", "application/json; charset=utf-8")]
    hdrs.extend(headers or [])
    return Response(status, _dumps(obj), hdrs)


def _nest_error(status: int, message) -> Response:
    return _json_response(status, {"message": message, "error": NEST_REASON.get(status, "Error"), "statusCode": status})


def _twilio_error(status: int, code: int, message: str, extra=None) -> Response:
    body = {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status}
    if extra:
        body.update(extra)
    return _json_response(status, body)


def _twilio_401() -> Response:
    return _json_response(401, TWILIO_401_BODY, [("WWW-Authenticate", 'Basic realm="Twilio API"')])


class Request:
    __slots__ = ("method", "target", "path", "query", "headers", "body", "provider")

    def __init__(self, method: str, target: str, headers: dict, body: bytes):
        self.method = method.upper()
        self.target = target
        parts = urlsplit(target)
        self.path = parts.path or "/"
        self.query = parse_qs(parts.query, keep_blank_values=True)
        self.headers = headers
        self.body = body
        if self.path.startswith("/__control"):
            self.provider = "control"
        elif self.path.startswith("/2010-04-01"):
            self.provider = "twilio"
        else:
            self.provider = "vapi"

    def q1(self, name):
        vals = self.query.get(name)
        if not vals:
            return None
        return vals[-1]

    def json_body(self):
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            return None


class _VRec:
    """A Vapi phone-number object plus its pre-serialised JSON."""

    __slots__ = ("obj", "blob", "cus", "uus", "gets_left", "hay")

    def __init__(self, obj: dict):
        self.obj = obj
        self.gets_left = 0
        self.refresh()

    def refresh(self):
        self.blob = _dumps(self.obj)
        self.cus = parse_iso_us(self.obj.get("createdAt")) or 0
        self.uus = parse_iso_us(self.obj.get("updatedAt")) or 0
        self.hay = " ".join(str(self.obj.get(k) or "") for k in ("name", "number", "sipUri")).lower()


class _CRec:
    """A Vapi call (or a deliberately broken array element) plus its pre-serialised JSON. `cus`, `uus`
    and `pid` are the values filters use even when the object itself lacks them."""

    __slots__ = ("obj", "blob", "cus", "uus", "pid", "cid")

    def __init__(self, obj, cus: int, uus: int, pid: str, cid: str):
        self.obj, self.cus, self.uus, self.pid, self.cid = obj, cus, uus, pid, cid
        self.blob = _dumps(obj)


class _TRec:
    """A Twilio IncomingPhoneNumber record plus its pre-serialised JSON."""

    __slots__ = ("obj", "blob")

    def __init__(self, obj: dict):
        self.obj = obj
        self.refresh()

    def refresh(self):
        self.blob = _dumps(self.obj)

    @property
    def sid(self):
        return self.obj["sid"]


class ControlError(Exception):
    pass


# --------------------------------------------------------------------------- state + behaviour


class _Store:
    def __init__(self, config: dict, startup_seed: dict | None, log_path: str | None):
        self.lock = threading.RLock()
        self._log_lock = threading.Lock()
        self._secret = os.urandom(16)
        self._startup_config = self._validated_config(dict(DEFAULT_CONFIG), config)
        self._startup_seed = startup_seed or {}
        self._log_fh = open(log_path, "a", encoding="utf-8", buffering=1) if log_path else None
        self.reset(reseed=True)

    # ---------------------------------------------------------------- lifecycle / control

    def reset(self, reseed: bool = False):
        with self.lock:
            self.cfg = json.loads(json.dumps(self._startup_config))
            self.rng = random.Random(self.cfg["randomSeed"])
            self._v: dict[str, _VRec] = {}
            self._v_by_number: dict[str, str] = {}
            self._v_dirty = True
            self._v_sorted: list[_VRec] = []  # ascending by (createdAt, id)
            self._v_sortkeys: list[tuple] = []  # parallel (createdAt us, id) keys
            self._v_keys: list[int] = []  # parallel createdAt us keys (for bisect)
            self._t: list[_TRec] = []
            self._t_by_sid: dict[str, _TRec] = {}
            self._t_by_number: dict[str, _TRec] = {}
            self._t_index: dict[str, int] | None = None
            self._numbers_in_use: set[str] = set()
            self._calls: dict[str, list[_CRec]] = {}  # phoneNumberId -> ascending by (createdAt, id)
            self._call_by_id: dict[str, _CRec] = {}
            self._call_key_cache: dict[str, tuple] = {}
            self._faults: list[dict] = []
            self._fault_seq = 0
            self._requests: collections.deque = collections.deque(maxlen=int(self.cfg["maxRecordedRequests"]))
            self._req_seq = 0
            if reseed and self._startup_seed:
                self.seed(**self._startup_seed)

    @staticmethod
    def _validated_config(base: dict, updates: dict) -> dict:
        for key, value in (updates or {}).items():
            key = _camel(key)
            if key not in DEFAULT_CONFIG:
                raise ControlError(f"unknown config key {key!r}; known: {sorted(DEFAULT_CONFIG)}")
            if key == "unavailableAreaCodes":
                value = [str(v) for v in (value or [])]
            if key == "accountStatus" and value not in ("active", "suspended", "closed"):
                raise ControlError("accountStatus must be active|suspended|closed")
            if key == "vapiNumberStatus" and value not in ("active", "activating", "blocked"):
                raise ControlError("vapiNumberStatus must be active|activating|blocked")
            if key == "retryAfter" and value is not None:
                value = str(value)
            base[key] = value
        return base

    def configure(self, updates: dict) -> dict:
        with self.lock:
            old_sid = self.cfg["accountSid"]
            self.cfg = self._validated_config(self.cfg, updates)
            if self._requests.maxlen != int(self.cfg["maxRecordedRequests"]):
                self._requests = collections.deque(self._requests, maxlen=int(self.cfg["maxRecordedRequests"]))
            if self.cfg["accountSid"] != old_sid:
                for rec in self._t:
                    self._tw_set_account(rec.obj, self.cfg["accountSid"])
                    rec.refresh()
            return dict(self.cfg)

    def get_config(self) -> dict:
        with self.lock:
            return json.loads(json.dumps(self.cfg))

    # ---------------------------------------------------------------- helpers

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _hex(self, n: int) -> str:
        return f"{self.rng.getrandbits(4 * n):0{n}x}"

    def _fresh_number(self, area: str) -> str:
        for _ in range(10000):
            num = f"+1{area}{self.rng.randint(200, 999)}{self.rng.randint(0, 9999):04d}"
            if num not in self._numbers_in_use:
                self._numbers_in_use.add(num)
                return num
        raise RuntimeError(f"area code {area} exhausted")

    def _v_add(self, obj: dict, bulk: bool = False) -> _VRec:
        rec = _VRec(obj)
        old = self._v.get(obj["id"])
        if old is not None:
            self._v_remove(old)
        self._v[obj["id"]] = rec
        if obj.get("number"):
            self._v_by_number[obj["number"]] = obj["id"]
            self._numbers_in_use.add(obj["number"])
        if bulk:
            self._v_dirty = True
        elif not self._v_dirty:  # O(log n) search + memmove instead of a full re-sort
            key = (rec.cus, obj["id"])
            i = bisect.bisect_right(self._v_sortkeys, key)
            self._v_sortkeys.insert(i, key)
            self._v_keys.insert(i, rec.cus)
            self._v_sorted.insert(i, rec)
        return rec

    def _v_remove(self, rec: _VRec):
        self._v.pop(rec.obj["id"], None)
        num = rec.obj.get("number")
        if num and self._v_by_number.get(num) == rec.obj["id"]:
            del self._v_by_number[num]
            if num not in self._t_by_number:
                self._numbers_in_use.discard(num)
        if not self._v_dirty:
            key = (rec.cus, rec.obj["id"])
            i = bisect.bisect_left(self._v_sortkeys, key)
            if i < len(self._v_sorted) and self._v_sorted[i] is rec:
                del self._v_sortkeys[i], self._v_keys[i], self._v_sorted[i]
            else:
                self._v_dirty = True

    def _v_sorted_view(self):
        if self._v_dirty:
            recs = sorted(self._v.values(), key=lambda r: (r.cus, r.obj["id"]))
            self._v_sorted = recs
            self._v_sortkeys = [(r.cus, r.obj["id"]) for r in recs]
            self._v_keys = [r.cus for r in recs]
            self._v_dirty = False
        return self._v_sorted, self._v_keys

    def _tw_set_account(self, obj: dict, account_sid: str):
        obj["account_sid"] = account_sid
        obj["uri"] = f"/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers/{obj['sid']}.json"

    def _t_add(self, obj: dict) -> _TRec:
        rec = _TRec(obj)
        self._t.append(rec)
        self._t_by_sid[obj["sid"]] = rec
        self._t_by_number[obj["phone_number"]] = rec
        self._numbers_in_use.add(obj["phone_number"])
        self._t_index = None
        return rec

    def _t_positions(self) -> dict:
        if self._t_index is None:
            self._t_index = {r.sid: i for i, r in enumerate(self._t)}
        return self._t_index

    # ---------------------------------------------------------------- seeding

    def seed(self, vapi=0, twilio=0, twilioNonVoiceEvery=None, importedFraction=None, imported=None,
             ties=None, tieEvery=None, twilioLongNameEvery=None, **unknown) -> dict:
        if unknown:
            raise ControlError(f"unknown seed keys {sorted(unknown)}")
        with self.lock:
            cfg = self.cfg
            non_voice_every = cfg["twilioNonVoiceEvery"] if twilioNonVoiceEvery is None else int(twilioNonVoiceEvery)
            long_every = cfg["twilioLongNameEvery"] if twilioLongNameEvery is None else int(twilioLongNameEvery)
            ties = cfg["ties"] if ties is None else bool(ties)
            tie_every = int(cfg["tieEvery"] if tieEvery is None else tieEvery)

            # ---- Twilio
            new_tw: list[_TRec] = []
            tw_specs = [{} for _ in range(int(twilio))] if isinstance(twilio, int) else list(twilio or [])
            base_s = SEED_TWILIO_OLDEST_S
            if self._t:
                base_s = max(base_s, max(self._tw_created_s(r.obj) for r in self._t) + 3600)
            for i, spec in enumerate(tw_specs):
                if not isinstance(spec, dict):
                    raise ControlError("twilio seed entries must be objects")
                created_s = base_s + i * 3600 + self.rng.randint(0, 59)
                obj = self._make_twilio(spec, len(self._t), created_s, non_voice_every, long_every)
                new_tw.append(self._t_add(obj))

            # ---- which Twilio numbers get imported into Vapi
            to_import: list[_TRec] = []
            if imported:
                for ref in imported:
                    rec = self._t_by_sid.get(ref) or self._t_by_number.get(ref)
                    if rec is None:
                        raise ControlError(f"imported: {ref!r} is not a Twilio number (sid or phone_number)")
                    if rec.obj["phone_number"] in self._v_by_number:
                        raise ControlError(f"imported: {ref!r} is already imported")
                    to_import.append(rec)
            if importedFraction:
                pool = new_tw if new_tw else self._t
                chosen = {id(r) for r in to_import}
                pool = [r for r in pool if r.obj["capabilities"].get("voice")
                        and r.obj["phone_number"] not in self._v_by_number and id(r) not in chosen]
                k = int(round(float(importedFraction) * len(pool)))
                to_import.extend(self.rng.sample(pool, min(k, len(pool))))

            # ---- Vapi objects (native + imported), interleaved, on one DESC timeline
            v_specs = [{} for _ in range(int(vapi))] if isinstance(vapi, int) else list(vapi or [])
            items: list[tuple[str, object]] = [("spec", s) for s in v_specs] + [("import", r) for r in to_import]
            self.rng.shuffle(items)
            newest_ms = SEED_VAPI_NEWEST_MS
            if self._v:
                seeded = [r.cus // 1000 for r in self._v.values() if r.cus // 1000 <= SEED_VAPI_NEWEST_MS]
                if seeded:
                    newest_ms = min(seeded) - 60_000
            stamps = []
            t = newest_ms
            for p in range(len(items)):
                if p > 0:
                    if ties and tie_every > 0 and p % tie_every == 0:
                        pass  # identical createdAt with position p-1 (deliberate tie)
                    else:
                        t -= 37_000 + self.rng.randint(1, 999)
                stamps.append(t)
            added_v = []
            for (what, payload), ms in zip(items, stamps):
                if what == "import":
                    obj = self._make_imported(payload, ms)
                else:
                    if not isinstance(payload, dict):
                        raise ControlError("vapi seed entries must be objects")
                    obj = self._make_vapi_seed(payload, ms, len(self._v))
                added_v.append(self._v_add(obj, bulk=True))
            for rec in to_import:
                vobj = self._v[self._v_by_number[rec.obj["phone_number"]]].obj
                self._apply_import_side_effect(rec, bool(vobj.get("smsEnabled", True)))
            return {
                "vapi": {"added": len(added_v), "total": len(self._v)},
                "twilio": {"added": len(new_tw), "total": len(self._t),
                           "nonVoice": sum(1 for r in new_tw if not r.obj["capabilities"].get("voice"))},
                "imported": [r.obj["phone_number"] for r in to_import],
            }

    @staticmethod
    def _tw_created_s(obj) -> int:
        try:
            from email.utils import parsedate_to_datetime
            return int(parsedate_to_datetime(obj["date_created"]).timestamp())
        except Exception:
            return SEED_TWILIO_OLDEST_S

    def _make_twilio(self, spec: dict, index: int, created_s: int, non_voice_every: int, long_every: int) -> dict:
        n = index + 1
        number = spec.get("phone_number")
        if number:
            self._numbers_in_use.add(number)
        else:
            number = self._fresh_number(AREA_CODES[index % len(AREA_CODES)])
        if non_voice_every and n % non_voice_every == 0:
            caps = {"fax": False, "mms": True, "sms": True, "voice": False} if (n // non_voice_every) % 2 \
                else {"fax": True, "mms": False, "sms": False, "voice": False}
        else:
            caps = {"fax": False, "mms": True, "sms": True, "voice": True}
        caps.update(spec.get("capabilities") or {})
        friendly = friendly_from_e164(number)
        if long_every and n % long_every == 0:
            friendly = f"{LONG_NAMES[(n // long_every) % len(LONG_NAMES)]} #{n}"
        sid = spec.get("sid") or ("PN" + self._hex(32))
        date = rfc2822(created_s)
        obj = {
            "account_sid": self.cfg["accountSid"],
            "address_requirements": "none",
            "address_sid": None,
            "api_version": "2010-04-01",
            "beta": False,
            "bundle_sid": None,
            "capabilities": caps,
            "date_created": date,
            "date_updated": date,
            "emergency_address_sid": None,
            "emergency_address_status": "unregistered",
            "emergency_status": "Inactive",
            "friendly_name": friendly,
            "identity_sid": None,
            "origin": "twilio",
            "phone_number": number,
            "sid": sid,
            "sms_application_sid": "",
            "sms_fallback_method": "POST",
            "sms_fallback_url": "",
            "sms_method": "POST",
            "sms_url": "https://demo.twilio.com/welcome/sms/reply" if caps.get("sms") else "",
            "status": "in-use",
            "status_callback": "",
            "status_callback_method": "POST",
            "trunk_sid": None,
            "type": "local",
            "uri": "",
            "voice_application_sid": "",
            "voice_caller_id_lookup": False,
            "voice_fallback_method": "POST",
            "voice_fallback_url": "",
            "voice_method": "POST",
            "voice_receive_mode": "voice" if caps.get("voice") else "fax",
            "voice_url": "https://demo.twilio.com/welcome/voice/" if caps.get("voice") else "",
        }
        for k, v in spec.items():
            if k != "capabilities":
                obj[k] = v
        self._tw_set_account(obj, obj.get("account_sid") or self.cfg["accountSid"])
        return obj

    def _make_vapi_seed(self, spec: dict, ms: int, index: int) -> dict:
        provider = spec.get("provider", "vapi")
        iso = iso_from_ms(ms)
        obj = {"id": spec.get("id") or self._uuid(), "orgId": self.cfg["orgId"]}
        if provider == "vapi":
            if "number" in spec:
                pass
            elif not spec.get("sipUri"):
                area = spec.get("numberDesiredAreaCode") or AREA_CODES[index % len(AREA_CODES)]
                obj["number"] = self._fresh_number(area)
                obj["numberDesiredAreaCode"] = area
        elif provider == "twilio":
            if "number" not in spec:
                obj["number"] = self._fresh_number(AREA_CODES[index % len(AREA_CODES)])
            obj["twilioAccountSid"] = self.cfg["accountSid"]
            obj["twilioAuthToken"] = self.cfg["authToken"]
            obj["smsEnabled"] = True
        elif provider in ("vonage", "telnyx", "byo-phone-number"):
            if "number" not in spec:
                obj["number"] = self._fresh_number(AREA_CODES[index % len(AREA_CODES)])
            obj["credentialId"] = self._uuid()
        obj.update({"createdAt": iso, "updatedAt": iso, "provider": provider, "status": "active"})
        if provider == "vapi" and "name" not in spec and index % 3 != 2:
            obj["name"] = f"Seed line {index + 1:05d}"
        if provider == "vapi" and index % 5 == 1 and "fallbackDestination" not in spec:
            obj["fallbackDestination"] = {"type": "number", "number": "+14155550100"}
        if index % 4 == 3 and "assistantId" not in spec:
            obj["assistantId"] = self._uuid()
        obj.update(spec)
        for k in [k for k, v in obj.items() if v is None]:
            del obj[k]
        return obj

    def _make_imported(self, trec: _TRec, ms: int) -> dict:
        iso = iso_from_ms(ms)
        sms = self.rng.random() < 0.5
        obj = {
            "id": self._uuid(),
            "orgId": self.cfg["orgId"],
            "number": trec.obj["phone_number"],
            "createdAt": iso,
            "updatedAt": iso,
            "provider": "twilio",
            "status": "active",
            "twilioAccountSid": self.cfg["accountSid"],
            "twilioAuthToken": self.cfg["authToken"],
            "smsEnabled": sms,
        }
        friendly = trec.obj.get("friendly_name") or ""
        if self.rng.random() < 0.6:
            obj["name"] = friendly[:40]
        return obj

    def _apply_import_side_effect(self, trec: _TRec, sms_enabled: bool):
        # Import rewrites the voice webhook; smsEnabled (default true) also rewrites messaging.
        o = trec.obj
        o["voice_url"] = VAPI_WEBHOOK_VOICE
        o["voice_method"] = "POST"
        if sms_enabled:
            o["sms_url"] = VAPI_WEBHOOK_SMS
            o["sms_method"] = "POST"
        o["date_updated"] = rfc2822(int(time.time()))
        trec.refresh()

    # ---------------------------------------------------------------- faults

    def add_faults(self, faults) -> list[dict]:
        if isinstance(faults, dict) and "faults" in faults and "kind" not in faults:
            faults = faults["faults"]
        if isinstance(faults, dict):
            faults = [faults]
        if not isinstance(faults, list):
            raise ControlError("fault body must be an object, a list, or {\"faults\": [...]}")
        prepared = []
        for f in faults:
            if not isinstance(f, dict):
                raise ControlError("each fault must be an object")
            f = {_camel(k): v for k, v in f.items()}
            if "ms" in f:
                f.setdefault("delayMs", f.pop("ms"))
            bad = set(f) - FAULT_KEYS
            if bad:
                raise ControlError(f"unknown fault keys {sorted(bad)}; known: {sorted(FAULT_KEYS)}")
            if f.get("kind") not in FAULT_KINDS:
                raise ControlError(f"fault kind must be one of {list(FAULT_KINDS)}")
            if f.get("provider") not in (None, "vapi", "twilio"):
                raise ControlError("fault provider must be 'vapi' or 'twilio'")
            if f["kind"] == "delay" and not isinstance(f.get("delayMs"), (int, float)):
                raise ControlError("delay fault needs numeric delayMs")
            f.setdefault("times", 1)
            f.setdefault("skip", 0)
            if f["times"] is not None and (not isinstance(f["times"], int) or f["times"] < 1):
                raise ControlError("times must be a positive integer or null (unlimited)")
            if f["kind"] == "status":
                f.setdefault("status", 500)
            if f.get("pathRegex"):
                try:
                    re.compile(f["pathRegex"])
                except re.error as e:
                    raise ControlError(f"bad pathRegex: {e}") from None
            prepared.append(f)
        with self.lock:
            for f in prepared:
                self._fault_seq += 1
                f["id"] = self._fault_seq
                f["hits"] = 0
                self._faults.append(f)
            return [dict(f) for f in prepared]

    def list_faults(self) -> list[dict]:
        with self.lock:
            return [dict(f) for f in self._faults]

    def clear_faults(self):
        with self.lock:
            self._faults.clear()

    def take_fault(self, req: Request) -> dict | None:
        with self.lock:
            for f in self._faults:
                if f.get("provider") and f["provider"] != req.provider:
                    continue
                if f.get("method") and f["method"].upper() != req.method:
                    continue
                if f.get("path") and not req.path.startswith(f["path"]):
                    continue
                if f.get("pathRegex") and not re.search(f["pathRegex"], req.target):
                    continue
                if f["skip"] > 0:
                    f["skip"] -= 1
                    continue
                f["hits"] += 1
                if f["times"] is not None:
                    f["times"] -= 1
                    if f["times"] <= 0:
                        self._faults.remove(f)
                return dict(f)
        return None

    def fault_response(self, f: dict, provider: str) -> Response:
        if f["kind"] == "garbage":
            body = f.get("body", DEFAULT_GARBAGE)
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body)
            body = body.encode("utf-8") if isinstance(body, str) else body
            resp = Response(200, body, [("Content-Type", f.get("contentType", "application/json; charset=utf-8"))])
        else:  # status
            status = int(f.get("status", 500))
            if "body" in f:
                body = f["body"]
                if isinstance(body, str):
                    resp = Response(status, body.encode("utf-8"),
                                    [("Content-Type", f.get("contentType", "application/json; charset=utf-8"))])
                else:
                    resp = _json_response(status, body)
            elif provider == "twilio":
                if status == 401:
                    resp = _twilio_401()
                else:
                    reason = NEST_REASON.get(status, "Error")
                    resp = _twilio_error(status, int(f"20{status}") if 100 <= status <= 599 else 20500, reason)
            else:
                if status == 401:
                    resp = _json_response(401, VAPI_401_BODY)
                elif status == 500:
                    resp = _json_response(500, {"statusCode": 500, "message": "Internal server error"})
                else:
                    reason = NEST_REASON.get(status, "Error")
                    resp = _nest_error(status, reason)
            retry_after = f["retryAfter"] if "retryAfter" in f else (self.cfg["retryAfter"] if status == 429 else None)
            if retry_after is not None:
                resp.headers.append(("Retry-After", str(retry_after)))
        for k, v in (f.get("headers") or {}).items():
            resp.headers.append((k, str(v)))
        return resp

    # ---------------------------------------------------------------- request records / log

    def record(self, req: Request) -> dict:
        text = req.body.decode("utf-8", errors="replace") if req.body else ""
        entry = {
            "seq": 0,
            "time": time.time(),
            "provider": req.provider,
            "method": req.method,
            "path": req.path,
            "target": req.target,
            "query": {k: (v[0] if len(v) == 1 else v) for k, v in req.query.items()},
            "headers": dict(req.headers),
            "body": text,
            "json": req.json_body(),
            "fault": None,
            "status": None,
        }
        with self.lock:
            self._req_seq += 1
            entry["seq"] = self._req_seq
            if self.cfg["recordRequests"]:
                self._requests.append(entry)
        return entry

    def requests(self, provider=None, method=None, path=None, since=None) -> list[dict]:
        with self.lock:
            out = list(self._requests)
        if provider:
            out = [r for r in out if r["provider"] == provider]
        if method:
            out = [r for r in out if r["method"] == method.upper()]
        if path:
            out = [r for r in out if r["path"].startswith(path)]
        if since is not None:
            out = [r for r in out if r["seq"] > int(since)]
        return [dict(r) for r in out]

    def clear_requests(self):
        with self.lock:
            self._requests.clear()

    def log(self, entry: dict, resp: Response | None, delivered: bool):
        if self._log_fh is None:
            return
        line = {
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "provider": entry.get("provider"),
            "method": entry.get("method"),
            "target": entry.get("target"),
            "requestHeaders": entry.get("headers"),
            "requestBody": entry.get("body"),
            "fault": entry.get("fault"),
            "status": resp.status if resp is not None else None,
            "delivered": delivered,
            "responseHeaders": dict(resp.headers) if resp is not None else None,
            "responseBody": resp.body.decode("utf-8", errors="replace") if resp is not None else None,
        }
        data = json.dumps(line, ensure_ascii=False) + "\n"
        with self._log_lock:
            try:
                self._log_fh.write(data)
            except ValueError:
                pass

    def close_log(self):
        with self._log_lock:
            if self._log_fh is not None:
                self._log_fh.close()
                self._log_fh = None

    # ---------------------------------------------------------------- state dump

    def state(self) -> dict:
        with self.lock:
            recs, _ = self._v_sorted_view()
            return {
                "vapi": [json.loads(r.blob) for r in reversed(recs)],
                "twilio": [json.loads(r.blob) for r in self._t],
                "counts": {"vapi": len(self._v), "twilio": len(self._t)},
            }

    # ---------------------------------------------------------------- dispatch

    def dispatch(self, req: Request) -> Response:
        if req.provider == "twilio":
            return self._twilio(req)
        return self._vapi(req)

    # ================================================================ Vapi

    def _vapi(self, req: Request) -> Response:
        path = req.path.rstrip("/") or "/"
        m = req.method
        if path == "/phone-number" and m in ("GET", "POST"):
            handler = self._v_list if m == "GET" else self._v_create
            args = ()
        elif path == "/v2/phone-number" and m == "GET":
            handler, args = self._v_list_v2, ()
        elif path == "/call" and m == "GET":
            handler, args = self._v_calls, ()
        elif path.startswith("/phone-number/") and path.count("/") == 2 and m in ("GET", "PATCH", "DELETE"):
            handler = {"GET": self._v_get, "PATCH": self._v_patch, "DELETE": self._v_delete}[m]
            args = (path.split("/")[2],)
        else:
            return _nest_error(404, f"Cannot {m} {req.path}")
        auth = req.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        with self.lock:
            if scheme.lower() != "bearer" or token.strip() != self.cfg["vapiKey"]:
                return _json_response(401, VAPI_401_BODY)
            if args and not UUID_RE.match(args[0]):
                return _nest_error(400, "Validation failed (uuid is expected)")
            return handler(req, *args)

    # ---- query validation helpers

    @staticmethod
    def _unknown_params(req: Request, allowed) -> list[str]:
        return [f"property {k} should not exist" for k in req.query if k not in allowed]

    @staticmethod
    def _num_param(req: Request, name, default, lo, hi, errs):
        vals = req.query.get(name)
        if not vals:
            return default
        raw = vals[-1] if len(vals) == 1 else None
        try:
            if raw is None:
                raise ValueError
            v = float(raw)
            if math.isnan(v) or math.isinf(v):
                raise ValueError
        except ValueError:
            errs.append(f"{name} must be a number conforming to the specified constraints")
            return default
        if lo is not None and v < lo:
            errs.append(f"{name} must not be less than {lo}")
        if hi is not None and v > hi:
            errs.append(f"{name} must not be greater than {hi}")
        return int(v)

    @staticmethod
    def _date_params(req: Request, errs) -> dict:
        out = {}
        for k in DATE_FILTERS:
            vals = req.query.get(k)
            if not vals:
                continue
            us = parse_iso_us(vals[-1]) if len(vals) == 1 else None
            if us is None:
                errs.append(f"{k} must be a valid ISO 8601 date string")
            else:
                out[k] = us
        return out

    def _v_filtered(self, f: dict) -> list[_VRec]:
        """Records matching the date filters, ascending by (createdAt, id)."""
        recs, keys = self._v_sorted_view()
        lo, hi = 0, len(recs)
        if "createdAtGt" in f:
            lo = max(lo, bisect.bisect_right(keys, f["createdAtGt"]))
        if "createdAtGe" in f:
            lo = max(lo, bisect.bisect_left(keys, f["createdAtGe"]))
        if "createdAtLt" in f:
            hi = min(hi, bisect.bisect_left(keys, f["createdAtLt"]))
        if "createdAtLe" in f:
            hi = min(hi, bisect.bisect_right(keys, f["createdAtLe"]))
        if hi <= lo:
            return []
        sel = recs if (lo == 0 and hi == len(recs)) else recs[lo:hi]
        upd = [(k[9:], v) for k, v in f.items() if k.startswith("updatedAt")]
        if upd:
            ops = {"Gt": lambda a, b: a > b, "Lt": lambda a, b: a < b, "Ge": lambda a, b: a >= b,
                   "Le": lambda a, b: a <= b}
            sel = [r for r in sel if all(ops[op](r.uus, v) for op, v in upd)]
        return sel

    def _v_list(self, req: Request) -> Response:
        # CHOICE: sorted by createdAt DESCENDING (ties broken by id DESC) - real default UNCONFIRMED.
        errs = self._unknown_params(req, V1_LIST_PARAMS)
        limit = self._num_param(req, "limit", 100, 0, 1000, errs)
        filters = self._date_params(req, errs)
        if errs:
            return _nest_error(400, errs)
        sel = self._v_filtered(filters)
        take = sel[max(0, len(sel) - limit):] if limit > 0 else []
        body = b"[" + b",".join(r.blob for r in reversed(take)) + b"]"
        return Response(200, body, [("Content-Type", "application/json; charset=utf-8")])

    def _v_list_v2(self, req: Request) -> Response:
        errs = self._unknown_params(req, V2_LIST_PARAMS)
        limit = self._num_param(req, "limit", 100, 0, 1000, errs)
        page = self._num_param(req, "page", 1, 1, None, errs)
        order = req.q1("sortOrder") or "DESC"
        if order not in ("ASC", "DESC"):
            errs.append("sortOrder must be one of the following values: ASC, DESC")
        sort_by = req.q1("sortBy") or "createdAt"
        if sort_by not in ("createdAt", "duration", "cost"):
            errs.append("sortBy must be one of the following values: createdAt, duration, cost")
        search = req.q1("search")
        if search is not None and len(search) > 100:
            errs.append("search must be shorter than or equal to 100 characters")
        filters = self._date_params(req, errs)
        if errs:
            return _nest_error(400, errs)
        sel = self._v_filtered(filters)
        if search:
            needle = search.lower()
            sel = [r for r in sel if needle in r.hay]
        total = len(sel)
        start = (page - 1) * limit
        if limit <= 0 or start >= total:
            chunk = []
        elif order == "ASC":
            chunk = sel[start:start + limit]
        else:
            end = total - start
            chunk = sel[max(0, end - limit):end]
            chunk.reverse()
        total_pages = math.ceil(total / limit) if limit > 0 else 0
        meta = {"itemsPerPage": limit, "totalItems": total, "currentPage": page, "totalPages": total_pages,
                "hasNextPage": page < total_pages, "sortOrder": order}
        body = b'{"results":[' + b",".join(r.blob for r in chunk) + b'],"metadata":' + _dumps(meta) + b"}"
        return Response(200, body, [("Content-Type", "application/json; charset=utf-8")])

    def _v_calls(self, req: Request) -> Response:
        """GET /call: a bare array (api-facts 1.12.3), newest first (CHOICE: the real order is UNCONFIRMED)."""
        errs = self._unknown_params(req, CALL_LIST_PARAMS)
        limit = self._num_param(req, "limit", 100, 0, 1000, errs)
        filters = self._date_params(req, errs)
        if errs:
            return _nest_error(400, errs)
        pid = req.q1("phoneNumberId")
        recs = self._calls.get(pid, []) if pid is not None else sorted(
            (r for rs in self._calls.values() for r in rs), key=lambda r: (r.cus, r.cid))
        keys = [r.cus for r in recs] if pid is None else None
        if keys is None:
            keys = self._call_keys(pid)
        lo, hi = 0, len(recs)
        if "createdAtGt" in filters:
            lo = max(lo, bisect.bisect_right(keys, filters["createdAtGt"]))
        if "createdAtGe" in filters:
            lo = max(lo, bisect.bisect_left(keys, filters["createdAtGe"]))
        if "createdAtLt" in filters:
            hi = min(hi, bisect.bisect_left(keys, filters["createdAtLt"]))
        if "createdAtLe" in filters:
            hi = min(hi, bisect.bisect_right(keys, filters["createdAtLe"]))
        sel = recs[lo:hi] if hi > lo else []
        upd = [(k[9:], v) for k, v in filters.items() if k.startswith("updatedAt")]
        if upd:
            ops = {"Gt": lambda a, b: a > b, "Lt": lambda a, b: a < b, "Ge": lambda a, b: a >= b,
                   "Le": lambda a, b: a <= b}
            sel = [r for r in sel if all(ops[op](r.uus, v) for op, v in upd)]
        for name in ("id", "assistantId"):
            want = req.q1(name)
            if want is not None:
                sel = [r for r in sel if isinstance(r.obj, dict) and r.obj.get(name) == want]
        take = sel[max(0, len(sel) - limit):] if limit > 0 else []
        body = b"[" + b",".join(r.blob for r in reversed(take)) + b"]"
        return Response(200, body, [("Content-Type", "application/json; charset=utf-8")])

    def _call_keys(self, pid: str) -> list[int]:
        cache = self._call_key_cache
        recs = self._calls.get(pid, [])
        hit = cache.get(pid)
        if hit is None or hit[0] is not recs or len(hit[1]) != len(recs):
            hit = (recs, [r.cus for r in recs])
            cache[pid] = hit
        return hit[1]

    def _c_insert(self, rec: _CRec):
        old = self._call_by_id.get(rec.cid)
        if old is not None:
            self._calls[old.pid].remove(old)
            self._call_key_cache.pop(old.pid, None)
        bisect.insort(self._calls.setdefault(rec.pid, []), rec, key=lambda r: (r.cus, r.cid))
        self._call_by_id[rec.cid] = rec
        self._call_key_cache.pop(rec.pid, None)

    def _make_call(self, pid: str, cus: int, odd: str | None) -> _CRec:
        rng = self.rng
        cid = self._uuid()
        ms = cus // 1000
        kind = rng.choices(("inboundPhoneCall", "outboundPhoneCall"), (7, 3))[0]
        in_progress = rng.random() < 0.03
        start = ms + rng.randint(500, 5000)
        end = start + rng.randint(5_000, 900_000)
        now = _now_ms()
        if end + 1200 > now:  # a call cannot have ended, or been updated, in the future
            in_progress = True
        updated = (end + 1200) if not in_progress else min(start + 1000, max(ms, now))
        obj = {
            "id": cid, "orgId": self.cfg["orgId"], "type": kind, "phoneNumberId": pid,
            "status": "in-progress" if in_progress else "ended",
            "createdAt": iso_from_ms(ms), "updatedAt": iso_from_ms(updated), "startedAt": iso_from_ms(start),
            "cost": round(rng.uniform(0.01, 2.5), 4),
            "customer": {"number": f"+1415{rng.randint(2000000, 9999999)}"},
            "costBreakdown": {"transport": 0.01, "stt": 0.02, "llm": 0.03, "tts": 0.01, "vapi": 0.05, "total": 0.12},
            "messages": [{"role": "bot", "message": "Hello, thanks for calling."}, {"role": "user", "message": "Hi"}],
            "artifact": {"transcript": "AI: Hello, thanks for calling.\nUser: Hi", "recordingUrl": None},
            "analysis": {"summary": "A short call.", "successEvaluation": "true"},
        }
        if not in_progress:
            obj["endedAt"] = iso_from_ms(end)
            obj["endedReason"] = rng.choice(("customer-ended-call", "assistant-ended-call", "silence-timed-out"))
        uus = updated * 1000
        if odd == "costString":
            obj["cost"] = str(obj["cost"])
        elif odd == "costNull":
            obj["cost"] = None
        elif odd == "noStartedAt":
            obj.pop("startedAt", None)
        elif odd == "endedAtNull":
            obj["endedAt"] = None
        elif odd == "successEvaluationFalse":
            obj["analysis"]["successEvaluation"] = False
        elif odd == "unknownType":
            obj["type"] = "vapi.websocketCall"
        elif odd == "noId":
            obj.pop("id")
        elif odd == "noCreatedAt":
            obj.pop("createdAt")
        elif odd == "notAnObject":
            obj = None
        return _CRec(obj, cus, uus, pid, cid)

    def seed_calls(self, phoneNumberId, count=0, since=None, until=None, oddEvery=0, sameInstant=0, calls=None,
                   **unknown) -> dict:
        """Adds `count` calls of `phoneNumberId` spread evenly over [since, until) (ISO; default: the 30 days
        before now), every `oddEvery`-th one schema-odd (cycling CALL_ODD_KINDS), plus `sameInstant` calls
        sharing one createdAt in the middle, plus explicit `calls` objects (merged over generated ones)."""
        if unknown:
            raise ControlError(f"unknown call seed keys {sorted(unknown)}")
        with self.lock:
            now_ms = _now_ms()
            hi = (parse_iso_us(until) // 1000) if until else now_ms
            lo = (parse_iso_us(since) // 1000) if since else hi - 30 * 86_400_000
            if (since and parse_iso_us(since) is None) or (until and parse_iso_us(until) is None) or lo >= hi:
                raise ControlError("since/until must be ISO dates with since < until")
            count, odd_every, same = int(count), int(oddEvery or 0), int(sameInstant or 0)
            added = 0
            odd_index = 0
            for i in range(count):
                ms = lo + (hi - lo) * i // max(1, count) + self.rng.randint(0, max(0, (hi - lo) // max(1, count) - 1))
                ms = min(ms, hi - 1)
                odd = None
                if odd_every and (i + 1) % odd_every == 0:
                    odd = CALL_ODD_KINDS[odd_index % len(CALL_ODD_KINDS)]
                    odd_index += 1
                self._c_insert(self._make_call(phoneNumberId, ms * 1000, odd))
                added += 1
            mid = lo + (hi - lo) // 2
            for _ in range(same):
                self._c_insert(self._make_call(phoneNumberId, mid * 1000, None))
                added += 1
            for spec in calls or []:
                if not isinstance(spec, dict):
                    raise ControlError("calls entries must be objects")
                cus = parse_iso_us(spec.get("createdAt")) or now_ms * 1000
                base = self._make_call(phoneNumberId, cus, None)
                obj = {**base.obj, **spec}
                cid = obj.get("id") or base.cid
                uus = parse_iso_us(obj.get("updatedAt")) or cus
                self._c_insert(_CRec(obj, cus, uus, phoneNumberId, cid))
                added += 1
            return {"added": added, "total": len(self._calls.get(phoneNumberId, []))}

    def update_call(self, callId, **fields) -> dict:
        """Changes a seeded call (e.g. ends it): `updatedAt` becomes now unless given."""
        with self.lock:
            rec = self._call_by_id.get(callId)
            if rec is None or not isinstance(rec.obj, dict):
                raise ControlError(f"no call {callId!r}")
            obj = {**rec.obj, **fields}
            if "updatedAt" not in fields:
                obj["updatedAt"] = iso_from_ms(max(_now_ms(), rec.uus // 1000 + 1))
            self._c_insert(_CRec(obj, rec.cus, parse_iso_us(obj["updatedAt"]) or rec.uus, rec.pid, rec.cid))
            return obj

    def calls(self, phoneNumberId=None) -> list:
        """The raw call array elements (objects, or null for broken ones), oldest first."""
        with self.lock:
            pids = [phoneNumberId] if phoneNumberId is not None else list(self._calls)
            return [json.loads(r.blob) for pid in pids for r in self._calls.get(pid, [])]

    def _v_get(self, req: Request, pid: str) -> Response:
        rec = self._v.get(pid)
        if rec is None:
            return _nest_error(404, "Not Found")
        if rec.gets_left > 0:
            rec.gets_left -= 1
            if rec.gets_left == 0 and rec.obj.get("status") == "activating":
                rec.obj["status"] = "active"
                rec.obj["updatedAt"] = iso_from_ms(max(_now_ms(), rec.uus // 1000 + 1))
                rec.refresh()  # createdAt unchanged: sort position unchanged
        return Response(200, rec.blob, [("Content-Type", "application/json; charset=utf-8")])

    def _v_delete(self, req: Request, pid: str) -> Response:
        rec = self._v.get(pid)
        if rec is None:
            return _nest_error(404, "Not Found")
        self._v_remove(rec)
        return Response(200, rec.blob, [("Content-Type", "application/json; charset=utf-8")])

    # ---- body validation (NestJS/class-validator flavoured)

    @staticmethod
    def _parse_body(req: Request):
        """Returns (body, error_response)."""
        ctype = req.headers.get("content-type", "")
        if not req.body or "json" not in ctype.lower():
            # CHOICE: like Express' json parser, a non-JSON content type leaves the body empty.
            return {}, None
        try:
            return json.loads(req.body), None
        except json.JSONDecodeError as e:
            return None, _nest_error(400, f"Unexpected token in JSON at position {e.pos}")
        except UnicodeDecodeError:
            return None, _nest_error(400, "Unexpected token in JSON at position 0")

    def _check_field(self, key: str, kind: str, value) -> list[str]:
        if kind == "string":
            return [] if isinstance(value, str) else [f"{key} must be a string"]
        if kind == "name":
            if not isinstance(value, str):
                return [f"{key} must be a string"]
            return [f"{key} must be shorter than or equal to 40 characters"] if len(value) > 40 else []
        if kind == "len3_40":
            if not isinstance(value, str):
                return [f"{key} must be a string"]
            if len(value) < 3:
                return [f"{key} must be longer than or equal to 3 characters"]
            return [f"{key} must be shorter than or equal to 40 characters"] if len(value) > 40 else []
        if kind == "areacode":
            if not isinstance(value, str):
                return [f"{key} must be a string"]
            if len(value) < 3:
                return [f"{key} must be longer than or equal to 3 characters"]
            if len(value) > 3:
                return [f"{key} must be shorter than or equal to 3 characters"]
            return []
        if kind == "bool":
            return [] if isinstance(value, bool) else [f"{key} must be a boolean value"]
        if kind == "array":
            return [] if isinstance(value, list) else [f"{key} must be an array"]
        if kind == "dest":
            return self._check_dest(key, value)
        if kind == "server":
            if not isinstance(value, dict):
                return [f"nested property {key} must be either object or array"]
            errs = [f"{key}.property {k} should not exist" for k in value if k not in SERVER_KEYS]
            if "url" in value and not isinstance(value["url"], str):
                errs.append(f"{key}.url must be a string")
            ts = value.get("timeoutSeconds")
            if ts is not None:
                if isinstance(ts, bool) or not isinstance(ts, (int, float)):
                    errs.append(f"{key}.timeoutSeconds must be a number conforming to the specified constraints")
                elif ts < 1:
                    errs.append(f"{key}.timeoutSeconds must not be less than 1")
                elif ts > 300:
                    errs.append(f"{key}.timeoutSeconds must not be greater than 300")
            return errs
        if kind == "sipauth":
            if not isinstance(value, dict):
                return [f"nested property {key} must be either object or array"]
            errs = [f"{key}.property {k} should not exist" for k in value if k not in SIPAUTH_KEYS]
            for f in ("username", "password"):
                v = value.get(f)
                if not isinstance(v, str):
                    errs.append(f"{key}.{f} must be a string")
                elif len(v) < 20:
                    errs.append(f"{key}.{f} must be longer than or equal to 20 characters")
                elif len(v) > 40:
                    errs.append(f"{key}.{f} must be shorter than or equal to 40 characters")
            return errs
        return []

    def _check_dest(self, key: str, value) -> list[str]:
        if not isinstance(value, dict):
            return [f"nested property {key} must be either object or array"]
        typ = value.get("type")
        if typ not in DEST_KEYS:
            return [f"{key}.type must be one of the following values: number, sip"]
        errs = [f"{key}.property {k} should not exist" for k in value if k not in DEST_KEYS[typ]]
        for k in ("callerId",):
            if k in value and (not isinstance(value[k], str) or len(value[k]) > 40):
                errs.append(f"{key}.{k} must be shorter than or equal to 40 characters")
        if "message" in value and not isinstance(value["message"], (str, dict)):
            errs.append(f"{key}.message must be a string")
        if "description" in value and not isinstance(value["description"], str):
            errs.append(f"{key}.description must be a string")
        if typ == "number":
            num = value.get("number")
            check = value.get("numberE164CheckEnabled", True)
            if "numberE164CheckEnabled" in value and not isinstance(check, bool):
                errs.append(f"{key}.numberE164CheckEnabled must be a boolean value")
                check = True
            if not isinstance(num, str) or not num:
                errs.append(f"{key}.number should not be empty")
                errs.append(f"{key}.number must be a string")
            elif len(num) < 3:
                errs.append(f"{key}.number must be longer than or equal to 3 characters")
            elif len(num) > 40:
                errs.append(f"{key}.number must be shorter than or equal to 40 characters")
            elif check and not E164_RE.match(num):
                errs.append(f"{key}.number must be a valid phone number in the E.164 format. "
                            "Hot tip, you may be missing the country code (Eg. US: +1).")
            elif not check and not LOOSE_NUMBER_RE.match(num):
                errs.append(f"{key}.number must match /^\\+?[a-zA-Z0-9]+$/ regular expression")
            ext = value.get("extension")
            if ext is not None and (not isinstance(ext, str) or not 1 <= len(ext) <= 10):
                errs.append(f"{key}.extension must be shorter than or equal to 10 characters")
        else:
            uri = value.get("sipUri")
            if not isinstance(uri, str) or not uri:
                errs.append(f"{key}.sipUri should not be empty")
                errs.append(f"{key}.sipUri must be a string")
            elif not uri.startswith(("sip:", "sips:")):
                errs.append(f"{key}.sipUri must be a valid SIP URI")
            if "sipHeaders" in value and not isinstance(value["sipHeaders"], dict):
                errs.append(f"{key}.sipHeaders must be an object")
        return errs

    def _validate_dto(self, body: dict, dto: dict, required) -> list[str]:
        errs = [f"property {k} should not exist" for k in body if k not in dto]
        for key, kind in dto.items():
            if kind == "provider":
                continue
            value = body.get(key)
            if key in required:
                if value is None or value == "":
                    errs.append(f"{key} should not be empty")
                    if not isinstance(value, str):
                        errs.append(f"{key} must be a string")
                    continue
            if value is None:  # @IsOptional(): undefined and null skip validation
                continue
            errs.extend(self._check_field(key, kind, value))
        return errs

    def _v_create(self, req: Request) -> Response:
        body, err = self._parse_body(req)
        if err:
            return err
        provider = body.get("provider") if isinstance(body, dict) else None
        if provider not in CREATE_DTOS:
            return _nest_error(400, ["provider must be one of the following values: " + ", ".join(PROVIDERS)])
        errs = self._validate_dto(body, CREATE_DTOS[provider], CREATE_REQUIRED[provider])
        if errs:
            return _nest_error(400, errs)
        now = iso_from_ms(_now_ms())
        base = {"id": self._uuid(), "orgId": self.cfg["orgId"]}
        optional = [k for k in ("name", "assistantId", "workflowId", "squadId", "fallbackDestination", "server",
                                "hooks") if body.get(k) is not None]
        if provider == "vapi":
            return self._v_create_vapi(body, base, now, optional)
        if provider == "twilio":
            return self._v_create_twilio(body, base, now, optional)
        # byo-phone-number / vonage / telnyx: accepted loosely
        obj = dict(base)
        if body.get("number"):
            obj["number"] = body["number"]
        obj.update({"createdAt": now, "updatedAt": now, "provider": provider, "status": "active",
                    "credentialId": body["credentialId"]})
        if provider == "byo-phone-number" and "numberE164CheckEnabled" in body:
            obj["numberE164CheckEnabled"] = body["numberE164CheckEnabled"]
        for k in optional:
            obj[k] = body[k]
        rec = self._v_add(obj)
        return Response(201, rec.blob, [("Content-Type", "application/json; charset=utf-8")])

    def _v_create_vapi(self, body, base, now, optional) -> Response:
        obj = dict(base)
        sip_uri = body.get("sipUri")
        if sip_uri is not None:
            if not VAPI_SIP_URI_RE.match(sip_uri):
                return _nest_error(400, ["sipUri must be a valid Vapi SIP URI, e.g. sip:<username>@sip.vapi.ai"])
            if any(r.obj.get("sipUri") == sip_uri for r in self._v.values()):
                return _nest_error(400, "SIP URI is already in use. Please choose a different username.")
        limit = self.cfg["freeNumberLimit"]
        area = body.get("numberDesiredAreaCode")
        if sip_uri is None or area is not None:
            if limit is not None:
                count = sum(1 for r in self._v.values() if r.obj.get("provider") == "vapi" and r.obj.get("number"))
                if count >= int(limit):
                    return _nest_error(400, f"You can only have up to {limit} free Vapi numbers. "
                                            "Please import a number from Twilio, Vonage or Telnyx instead.")
            if area is None:
                # CHOICE: no area code requested -> pick one from the pool.
                area = self.rng.choice(AREA_CODES)
            if area in self.cfg["unavailableAreaCodes"] or not area.isdigit():
                return _nest_error(400, f"No phone numbers are available for area code {area}. "
                                        "Please try a different area code.")
            obj["number"] = self._fresh_number(area)
        obj.update({"createdAt": now, "updatedAt": now, "provider": "vapi",
                    "status": self.cfg["vapiNumberStatus"]})
        if area is not None:
            obj["numberDesiredAreaCode"] = area
        if sip_uri is not None:
            obj["sipUri"] = sip_uri
        if body.get("authentication") is not None:
            obj["authentication"] = body["authentication"]
        for k in optional:
            obj[k] = body[k]
        rec = self._v_add(obj)
        if obj["status"] == "activating":
            rec.gets_left = max(1, int(self.cfg["activationGets"]))
        return Response(201, rec.blob, [("Content-Type", "application/json; charset=utf-8")])

    def _v_create_twilio(self, body, base, now, optional) -> Response:
        cfg = self.cfg
        token_ok = body.get("twilioAuthToken") is not None and body.get("twilioAuthToken") == cfg["authToken"]
        if body["twilioAccountSid"] != cfg["accountSid"] or not token_ok or cfg["accountStatus"] != "active":
            return _nest_error(400, VAPI_TWILIO_AUTH_FAILED)
        number = body["number"]
        trec = self._t_by_number.get(number)
        if trec is None:
            return _nest_error(400, f"Number {number} not found on Twilio account. "
                                    "Please provide the number in E.164 format, including the country code.")
        if number in self._v_by_number:
            return _nest_error(400, VAPI_ALREADY_IMPORTED)
        sms = body.get("smsEnabled")
        sms = True if sms is None else sms
        obj = dict(base)
        obj.update({"number": number, "createdAt": now, "updatedAt": now, "provider": "twilio", "status": "active",
                    "twilioAccountSid": body["twilioAccountSid"], "twilioAuthToken": body["twilioAuthToken"],
                    "smsEnabled": sms})
        for k in ("twilioApiKey", "twilioApiSecret"):
            if body.get(k) is not None:
                obj[k] = body[k]
        for k in optional:
            obj[k] = body[k]
        rec = self._v_add(obj)
        self._apply_import_side_effect(trec, sms)
        return Response(201, rec.blob, [("Content-Type", "application/json; charset=utf-8")])

    def _v_patch(self, req: Request, pid: str) -> Response:
        rec = self._v.get(pid)
        if rec is None:
            return _nest_error(404, "Not Found")
        body, err = self._parse_body(req)
        if err:
            return err
        if not isinstance(body, dict):
            return _nest_error(400, ["an object is expected"])
        provider = rec.obj["provider"]
        errs = self._validate_dto(body, UPDATE_DTOS[provider], ())
        if body.get("provider") is not None and body["provider"] != provider:
            errs.append(f"provider must be one of the following values: {provider}")
        if errs:
            return _nest_error(400, errs)
        old_number = rec.obj.get("number")
        for k, v in body.items():
            if k == "provider":
                continue
            if v is None:
                rec.obj.pop(k, None)
            else:
                rec.obj[k] = v
        new_number = rec.obj.get("number")
        if new_number != old_number:
            if old_number and self._v_by_number.get(old_number) == pid:
                del self._v_by_number[old_number]
            if new_number:
                self._v_by_number[new_number] = pid
        rec.obj["updatedAt"] = iso_from_ms(max(_now_ms(), rec.uus // 1000 + 1))
        rec.refresh()  # createdAt is not patchable: sort position unchanged
        return Response(200, rec.blob, [("Content-Type", "application/json; charset=utf-8")])

    # ================================================================ Twilio

    def _twilio(self, req: Request) -> Response:
        m_any = TW_ANY_ACCOUNT_RE.match(req.path)
        path_sid = m_any.group(1) if m_any else None
        with self.lock:
            cfg = self.cfg
            auth = req.headers.get("authorization", "")
            scheme, _, cred = auth.partition(" ")
            user = pw = None
            if scheme.lower() == "basic":
                try:
                    user, _, pw = base64.b64decode(cred.strip(), validate=True).decode("utf-8").partition(":")
                except (binascii.Error, UnicodeDecodeError, ValueError):
                    user = pw = None
            if (user != cfg["accountSid"] or pw != cfg["authToken"]
                    or (path_sid is not None and path_sid != cfg["accountSid"])
                    or cfg["accountStatus"] == "closed"):
                return _twilio_401()
            m = TW_ACCOUNT_RE.match(req.path)
            if m:
                return self._tw_account(req) if req.method == "GET" else self._tw_405()
            if cfg["accountStatus"] == "suspended":
                # CHOICE: a suspended account can still fetch itself (status "suspended"), other calls get 20003.
                return _twilio_401()
            m = TW_LIST_RE.match(req.path)
            if m:
                return self._tw_list(req) if req.method == "GET" else self._tw_405()
            m = TW_ONE_RE.match(req.path)
            if m:
                if req.method != "GET":
                    return self._tw_405()
                rec = self._t_by_sid.get(m.group(2))
                if rec is None:
                    return self._tw_404(req)
                return Response(200, rec.blob, [("Content-Type", "application/json; charset=utf-8")])
            return self._tw_404(req)

    @staticmethod
    def _tw_404(req: Request) -> Response:
        return _twilio_error(404, 20404, f"The requested resource {req.path} was not found")

    @staticmethod
    def _tw_405() -> Response:
        return _twilio_error(405, 20004, "Method not allowed")

    def _tw_account(self, req: Request) -> Response:
        sid = self.cfg["accountSid"]
        subs = {name: f"/2010-04-01/Accounts/{sid}/{path}.json" for name, path in (
            ("addresses", "Addresses"), ("applications", "Applications"), ("balance", "Balance"),
            ("calls", "Calls"), ("incoming_phone_numbers", "IncomingPhoneNumbers"), ("keys", "Keys"),
            ("messages", "Messages"), ("usage", "Usage"))}
        obj = {
            "auth_token": self.cfg["authToken"],
            "date_created": ACCOUNT_CREATED,
            "date_updated": ACCOUNT_CREATED,
            "friendly_name": self.cfg["accountFriendlyName"],
            "owner_account_sid": sid,
            "sid": sid,
            "status": self.cfg["accountStatus"],
            "subresource_uris": subs,
            "type": self.cfg["accountType"],
            "uri": f"/2010-04-01/Accounts/{sid}.json",
        }
        return _json_response(200, obj)

    def _token(self, offset: int, anchor: str | None) -> str:
        payload = f"{offset}:{anchor or ''}".encode()
        sig = hmac.new(self._secret, payload, hashlib.sha256).hexdigest()[:16]
        return "PT" + base64.urlsafe_b64encode(payload).decode().rstrip("=") + sig

    def _untoken(self, token: str):
        if len(token) < 20 or not token.startswith("PT"):
            return None
        b64, sig = token[2:-16], token[-16:]
        try:
            payload = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
        except (binascii.Error, ValueError):
            return None
        want = hmac.new(self._secret, payload, hashlib.sha256).hexdigest()[:16]
        if not hmac.compare_digest(want, sig):
            return None
        off, _, anchor = payload.decode().partition(":")
        return int(off), anchor or None

    def _tw_list(self, req: Request) -> Response:
        sid = self.cfg["accountSid"]
        raw_size = req.q1("PageSize")
        try:
            page_size = 50 if raw_size in (None, "") else int(raw_size)
        except ValueError:
            return _twilio_error(400, 20001, f"Invalid PageSize: {raw_size}")
        if page_size < 1 or page_size > 1000:
            return _twilio_error(400, 20001, "PageSize must be between 1 and 1000")
        raw_page = req.q1("Page")
        try:
            page = 0 if raw_page in (None, "") else int(raw_page)
        except ValueError:
            return _twilio_error(400, 20001, f"Invalid Page: {raw_page}")
        if page < 0:
            return _twilio_error(400, 20001, "Page must be greater than or equal to 0")
        token = req.q1("PageToken")

        filters = []
        for name in ("FriendlyName", "Beta", "PhoneNumber", "Origin"):
            v = req.q1(name)
            if v is not None:
                filters.append((name, v))
        items = self._t
        if filters:
            items = [r for r in items if self._tw_match(r.obj, filters)]
            positions = {r.sid: i for i, r in enumerate(items)}
        else:
            positions = self._t_positions()

        if token:
            decoded = self._untoken(token)
            if decoded is None:
                return _twilio_error(400, 21481, "Invalid PageToken")
            offset, anchor = decoded
            if anchor is not None and anchor in positions:
                offset = positions[anchor]
        elif page > 0 and self.cfg["twilioStrictPaging"]:
            return _twilio_error(400, 21481, "Invalid PageToken")
        else:
            offset = page * page_size
        offset = max(0, min(offset, len(items)))
        chunk = items[offset:offset + page_size]

        base = f"/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json"

        def uri(pg: int, tok: str | None) -> str:
            params = list(filters) + [("PageSize", page_size), ("Page", pg)]
            if tok:
                params.append(("PageToken", tok))
            return base + "?" + urlencode(params, quote_via=quote)

        nxt = offset + page_size
        next_uri = uri(page + 1, self._token(nxt, items[nxt].sid)) if nxt < len(items) else None
        prev_uri = None
        if offset > 0:
            prev_off = max(0, offset - page_size)
            prev_uri = uri(max(0, page - 1), self._token(prev_off, items[prev_off].sid))
        env = {
            "end": offset + len(chunk) - 1 if chunk else offset,
            "first_page_uri": uri(0, None),
            "next_page_uri": next_uri,
            "page": page,
            "page_size": page_size,
            "previous_page_uri": prev_uri,
            "start": offset,
            "uri": uri(page, token),
        }
        head = _dumps(env)[:-1]
        body = head + b',"incoming_phone_numbers":[' + b",".join(r.blob for r in chunk) + b"]}"
        return Response(200, body, [("Content-Type", "application/json; charset=utf-8")])

    @staticmethod
    def _tw_match(obj: dict, filters) -> bool:
        for name, v in filters:
            if name == "FriendlyName" and obj.get("friendly_name") != v:
                return False
            if name == "Origin" and obj.get("origin") != v:
                return False
            if name == "Beta" and v.lower() == "false" and obj.get("beta"):
                return False
            if name == "PhoneNumber":
                pat = re.escape(v).replace(r"\*", r"\d")
                if not re.search(pat, obj.get("phone_number") or ""):
                    return False
        return True

    # ================================================================ control API

    def control(self, req: Request) -> Response:
        path = req.path.rstrip("/")
        m = req.method
        try:
            body = req.json_body() if req.body else {}
            if req.body and body is None:
                raise ControlError("body must be JSON")
            if path == "/__control/health" and m == "GET":
                return _json_response(200, {"ok": True})
            if path == "/__control/reset" and m == "POST":
                self.reset(reseed=bool((body or {}).get("reseed", False)))
                return _json_response(200, {"ok": True})
            if path == "/__control/config":
                if m == "GET":
                    return _json_response(200, self.get_config())
                if m == "POST":
                    if not isinstance(body, dict):
                        raise ControlError("config body must be an object")
                    return _json_response(200, self.configure(body))
            if path == "/__control/seed" and m == "POST":
                if not isinstance(body, dict):
                    raise ControlError("seed body must be an object")
                return _json_response(200, self.seed(**{_camel(k): v for k, v in body.items()}))
            if path in ("/__control/fault", "/__control/faults"):
                if m == "POST":
                    return _json_response(200, {"queued": self.add_faults(body)})
                if m == "GET":
                    return _json_response(200, {"faults": self.list_faults()})
                if m == "DELETE":
                    self.clear_faults()
                    return _json_response(200, {"ok": True})
            if path == "/__control/faults/clear" and m == "POST":
                self.clear_faults()
                return _json_response(200, {"ok": True})
            if path == "/__control/requests" and m == "GET":
                reqs = self.requests(provider=req.q1("provider"), method=req.q1("method"), path=req.q1("path"),
                                     since=req.q1("since"))
                return _json_response(200, {"requests": reqs, "count": len(reqs)})
            if path == "/__control/requests/clear" and m == "POST":
                self.clear_requests()
                return _json_response(200, {"ok": True})
            if path == "/__control/state" and m == "GET":
                return _json_response(200, self.state())
            if path == "/__control/calls":
                if m == "POST":
                    if not isinstance(body, dict):
                        raise ControlError("calls body must be an object")
                    return _json_response(200, self.seed_calls(**{_camel(k): v for k, v in body.items()}))
                if m == "GET":
                    return _json_response(200, {"calls": self.calls(req.q1("phoneNumberId"))})
            if path == "/__control/calls/update" and m == "POST":
                if not isinstance(body, dict) or "id" not in body:
                    raise ControlError("body must be an object with id")
                fields = {k: v for k, v in body.items() if k != "id"}
                return _json_response(200, self.update_call(body["id"], **fields))
            return _json_response(404, {"error": f"no control endpoint {m} {req.path}"})
        except (ControlError, TypeError, ValueError) as e:
            return _json_response(400, {"error": str(e)})


# --------------------------------------------------------------------------- HTTP plumbing


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeUpstream/1.0"
    sys_version = ""

    def setup(self):
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def log_message(self, format, *args):  # noqa: A002 - never log to stdout/stderr
        pass

    def _read_body(self) -> bytes:
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _head_bytes(self, resp: Response, content_length: int) -> bytes:
        reason = self.responses.get(resp.status, ("",))[0]
        lines = [f"HTTP/1.1 {resp.status} {reason}", f"Date: {self.date_time_string()}",
                 f"Server: {self.server_version}"]
        for k, v in resp.headers:
            lines.append(f"{k}: {v}")
        lines.append(f"Content-Length: {content_length}")
        if self.close_connection:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _send(self, resp: Response):
        self.wfile.write(self._head_bytes(resp, len(resp.body)) + resp.body)

    def _rst(self):
        """Abort the connection: SO_LINGER 0 makes close() send RST instead of FIN."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        try:
            self.connection.close()
        except OSError:
            pass
        try:
            self.rfile.close()  # drops the last reference -> real close() -> RST
        except OSError:
            pass

    def _handle(self):
        store: _Store = self.server.store
        body = self._read_body()
        headers: dict[str, str] = {}
        for k, v in self.headers.items():
            k = k.lower()
            headers[k] = f"{headers[k]}, {v}" if k in headers else v
        req = Request(self.command, self.path, headers, body)
        if req.provider == "control":
            self._send(store.control(req))
            return
        entry = store.record(req)
        fault = store.take_fault(req)
        resp: Response | None = None
        try:
            if fault is None:
                resp = store.dispatch(req)
                entry["status"] = resp.status
                self._send(resp)
                store.log(entry, resp, True)
                return
            kind = fault["kind"]
            entry["fault"] = kind
            if fault.get("delayMs"):
                time.sleep(float(fault["delayMs"]) / 1000.0)
            perform = fault.get("perform", FAULT_PERFORM_DEFAULT[kind])
            real = store.dispatch(req) if perform else None
            if kind == "delay":
                resp = real
            elif kind in ("status", "garbage"):
                resp = store.fault_response(fault, req.provider)
            elif kind in ("reset", "lose_reply"):
                self._rst()
                store.log(entry, real, False)
                return
            elif kind == "raw":
                body = fault.get("body", DEFAULT_RAW)
                body = body.encode("utf-8") if isinstance(body, str) else body
                self.close_connection = True
                self.wfile.write(body)
                self.wfile.flush()
                store.log(entry, real, False)
                return
            elif kind == "truncate":
                full = real if real is not None else store.fault_response({"kind": "status", "status": 200,
                                                                           "body": {"ok": True}}, req.provider)
                cut = len(full.body) // 2
                claimed = max(len(full.body), cut + 16)
                entry["status"] = full.status
                self.close_connection = True
                self.wfile.write(self._head_bytes(full, claimed) + full.body[:cut])
                store.log(entry, full, False)
                # Don't advertise "Connection: close"; just stop - the peer sees EOF short of Content-Length.
                return
            entry["status"] = resp.status
            self._send(resp)
            store.log(entry, resp, True)
        except (ConnectionError, BrokenPipeError):
            self.close_connection = True

    def _dispatch_any(self):
        try:
            self._handle()
        except (ConnectionError, BrokenPipeError, OSError):
            self.close_connection = True
        except Exception:  # a bug in the fake: answer 500 and report on stderr
            traceback.print_exc(file=sys.stderr)
            try:
                self._send(_json_response(500, {"statusCode": 500, "message": "fake_upstream internal error"}))
            except OSError:
                self.close_connection = True

    # http.server looks these up by name
    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = do_OPTIONS = _dispatch_any


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512

    def __init__(self, addr, store: _Store):
        self.store = store
        self._conns: set = set()
        self._conns_lock = threading.Lock()
        super().__init__(addr, _Handler)

    def server_bind(self):
        # Skip HTTPServer.server_bind's getfqdn() (slow reverse DNS in sandboxes).
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = host
        self.server_port = port

    def process_request(self, request, client_address):
        with self._conns_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._conns_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def close_all_connections(self):
        with self._conns_lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, BrokenPipeError, TimeoutError, OSError)):
            return
        super().handle_error(request, client_address)  # prints to stderr


# --------------------------------------------------------------------------- public Python API


class FakeUpstream:
    """In-process fake of Vapi + Twilio.

    >>> fake = FakeUpstream(); fake.start()
    >>> fake.base_url            # e.g. "http://127.0.0.1:54321" - use for BOTH Vapi and Twilio
    >>> fake.seed(vapi=100, twilio=50, imported_fraction=0.2)
    >>> fake.fault("status", status=429, provider="vapi")
    >>> fake.requests(provider="twilio")
    >>> fake.stop()
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, vapi_key: str = DEFAULT_VAPI_KEY,
                 account_sid: str = DEFAULT_ACCOUNT_SID, auth_token: str = DEFAULT_AUTH_TOKEN,
                 log_path: str | None = None, seed_vapi: int = 0, seed_twilio: int = 0, seed: dict | None = None,
                 **config):
        cfg = {"vapiKey": vapi_key, "accountSid": account_sid, "authToken": auth_token}
        cfg.update({_camel(k): v for k, v in config.items()})
        seed = {_camel(k): v for k, v in (seed or {}).items()}
        if seed_vapi:
            seed["vapi"] = int(seed_vapi)
        if seed_twilio:
            seed["twilio"] = int(seed_twilio)
        self.host = host
        self._requested_port = port
        self._store = _Store(cfg, seed, log_path)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle
    def start(self) -> "FakeUpstream":
        if self._server is not None:
            return self
        self._server = _Server((self.host, self._requested_port), self._store)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="fake-upstream", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        srv, self._server = self._server, None
        if srv is not None:
            srv.shutdown()
            srv.close_all_connections()
            srv.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._store.close_log()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeUpstream not started")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    vapi_base_url = base_url
    twilio_base_url = base_url

    def url(self, path: str) -> str:
        return self.base_url + path

    # ---- credentials (current config)
    @property
    def vapi_key(self) -> str:
        return self._store.cfg["vapiKey"]

    @property
    def account_sid(self) -> str:
        return self._store.cfg["accountSid"]

    @property
    def auth_token(self) -> str:
        return self._store.cfg["authToken"]

    # ---- control API mirror
    def reset(self, reseed: bool = False):
        self._store.reset(reseed=reseed)

    def configure(self, **updates) -> dict:
        return self._store.configure(updates)

    def config(self) -> dict:
        return self._store.get_config()

    def seed(self, vapi=0, twilio=0, **kw) -> dict:
        return self._store.seed(vapi=vapi, twilio=twilio, **{_camel(k): v for k, v in kw.items()})

    def fault(self, kind: str, **kw) -> dict:
        return self._store.add_faults([{"kind": kind, **kw}])[0]

    def add_faults(self, faults) -> list[dict]:
        return self._store.add_faults(faults)

    def faults(self) -> list[dict]:
        return self._store.list_faults()

    def clear_faults(self):
        self._store.clear_faults()

    def requests(self, provider=None, method=None, path=None, since=None) -> list[dict]:
        return self._store.requests(provider=provider, method=method, path=path, since=since)

    def clear_requests(self):
        self._store.clear_requests()

    def state(self) -> dict:
        return self._store.state()

    def vapi_numbers(self) -> list[dict]:
        return self.state()["vapi"]

    def seed_calls(self, phone_number_id: str, count: int = 0, **kw) -> dict:
        return self._store.seed_calls(phone_number_id, count, **{_camel(k): v for k, v in kw.items()})

    def update_call(self, call_id: str, **fields) -> dict:
        return self._store.update_call(call_id, **fields)

    def calls(self, phone_number_id: str | None = None) -> list:
        return self._store.calls(phone_number_id)

    def twilio_numbers(self) -> list[dict]:
        return self.state()["twilio"]


# --------------------------------------------------------------------------- CLI


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Fake Vapi + Twilio upstream (stdlib only).")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    ap.add_argument("--port-file", help="write the bound port here (atomically) before printing READY")
    ap.add_argument("--seed-vapi", type=int, default=0)
    ap.add_argument("--seed-twilio", type=int, default=0)
    ap.add_argument("--twilio-non-voice-every", type=int, default=None)
    ap.add_argument("--imported-fraction", type=float, default=None,
                    help="fraction of seeded voice-capable Twilio numbers also imported into Vapi")
    ap.add_argument("--no-ties", action="store_true", help="seed Vapi numbers with strictly distinct createdAt")
    ap.add_argument("--account-sid", default=DEFAULT_ACCOUNT_SID)
    ap.add_argument("--auth-token", default=DEFAULT_AUTH_TOKEN)
    ap.add_argument("--vapi-key", default=DEFAULT_VAPI_KEY)
    ap.add_argument("--log-file", default=None, help="append one JSON line per exchange (full bodies)")
    args = ap.parse_args(argv)

    config = {}
    if args.twilio_non_voice_every is not None:
        config["twilioNonVoiceEvery"] = args.twilio_non_voice_every
    if args.no_ties:
        config["ties"] = False
    seed = {}
    if args.imported_fraction:
        seed["importedFraction"] = args.imported_fraction
    fake = FakeUpstream(args.host, args.port, vapi_key=args.vapi_key, account_sid=args.account_sid,
                        auth_token=args.auth_token, log_path=args.log_file, seed_vapi=args.seed_vapi,
                        seed_twilio=args.seed_twilio, seed=seed, **config)

    stop = threading.Event()

    def _on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    fake.start()
    if args.port_file:
        tmp = f"{args.port_file}.tmp{os.getpid()}"
        with open(tmp, "w") as fh:
            fh.write(f"{fake.port}\n")
        os.replace(tmp, args.port_file)
    sys.stdout.write(f"READY {fake.port}\n")
    sys.stdout.flush()
    while not stop.wait(0.5):
        pass
    fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Upstream error texts that echo a secret in any encoding never get out: not on stdout (errors), not on
stderr (trace logs), not in the ledger's `detail` column, not anywhere in the home folder.

The fake answers with messages holding each secret raw, upper-cased, URL-encoded, hex, base64 and
base64url at all three alignments, and 12- to 20-character slices of it. Every byte switchboard wrote
is then scanned for every encoding (secrets_scan.py) and for every 12-character slice of each secret.
"""
from __future__ import annotations

import base64
import os
import urllib.parse
import uuid

from secrets_scan import describe, read_files, scan_blobs
from test_numbers_support import call, error_of

TRACE = ["--log-level", "trace"]


def encodings(secret: str) -> list[str]:
    raw = secret.encode()
    forms = [secret, secret.upper(), urllib.parse.quote(secret, safe=""), raw.hex(), raw.hex().upper()]
    for prefix in (b"", b"x", b"xy"):
        b64 = base64.b64encode(prefix + raw + b"!").decode()
        forms += [b64, b64.replace("+", "-").replace("/", "_")]
    forms += [secret[:20], secret[-20:], secret[3:15], secret[7:19]]
    return forms


def slices(secret: str, n: int = 12) -> list[str]:
    return [secret[i:i + n] for i in range(len(secret) - n + 1)]


def test_echoed_secrets_in_every_encoding_never_leave(spawn, fake, upstream_env, home):
    secrets = {
        "vapi key": f"sk-live-ECHO{uuid.uuid4().hex}",
        "account sid": "AC" + os.urandom(16).hex(),
        "auth token": os.urandom(16).hex(),
    }
    fake.configure(vapiKey=secrets["vapi key"], accountSid=secrets["account sid"], authToken=secrets["auth token"])
    fake.seed(twilio=4, twilioNonVoiceEvery=0)
    sb = spawn(env={**upstream_env, "SWITCHBOARD_LOG_LEVEL": "trace"}, args=TRACE)
    call(sb, "setCredentials", {"vapiPrivateKey": secrets["vapi key"], "twilioAccountSid": secrets["account sid"],
                                "twilioAuthToken": secrets["auth token"]})
    echo = " | ".join(form for secret in secrets.values() for form in encodings(secret))

    # A Vapi refusal of a purchase: its message is returned, logged and stored in the ledger.
    fake.fault("status", provider="vapi", method="POST", status=400, times=None,
               body={"message": ["bad: " + echo], "error": "Bad Request " + echo, "statusCode": 400})
    twilio = [t for t in fake.twilio_numbers() if t["capabilities"]["voice"]]
    for params in ({"areaCode": "415"}, {"areaCode": "628", "idempotencyKey": "echo-1"}):
        err = error_of(sb, "createNumber", params)
        assert err["code"] == 1003 and err["message"].startswith("Vapi API error: 400 - bad: ")
    assert error_of(sb, "importNumber", {"sid": twilio[0]["sid"]})["code"] == 1003
    fake.clear_faults()
    # A Twilio refusal of a read and a Vapi one.
    fake.fault("status", provider="twilio", status=400, times=None,
               body={"code": 20001, "message": echo, "more_info": echo, "status": 400})
    assert error_of(sb, "listTwilio")["code"] == 1003
    fake.clear_faults()
    fake.fault("status", provider="vapi", method="GET", status=422, times=None, body={"message": echo})
    assert error_of(sb, "listNumbers")["code"] == 1003
    fake.clear_faults()

    ops = call(sb, "listOperations")["operations"]
    assert len(ops) == 3 and all(o["outcome"] == "failed" and "[redacted]" in o["detail"] for o in ops), ops
    files = read_files([home])
    sb.stop()

    blobs = {"stdout": bytes(sb.stdout_bytes), "stderr": bytes(sb.stderr_bytes),
             **{f"home:{path}": data for path, data in files.items()}}
    assert b"[redacted]" in blobs["stdout"] and len(blobs["stderr"]) > 1000
    hits = scan_blobs(secrets, blobs)
    assert not hits, describe(hits)
    for label, secret in secrets.items():
        for where, data in blobs.items():
            lowered = data.lower()
            for piece in slices(secret):
                assert piece.lower().encode() not in lowered, f"a 12-character slice of {label} is in {where}"

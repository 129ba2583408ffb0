"""No Numbers method ever lets a credential out: every number method is driven (successes and every
kind of failure, with upstream bodies that echo the secrets) at trace log level, then every byte of
switchboard's stdout and stderr (and its home folder) is scanned for the Vapi key, the Account SID
and the auth token in raw, base64, url-encoded, hex and UTF-16 forms (secrets_scan.py).
The fake's own log DOES hold them (request headers, echoed twilioAuthToken / auth_token), which
proves the run exercised them."""
from __future__ import annotations

import os
import time
import uuid

from secrets_scan import read_files, scan_blobs, scan_paths, describe
from test_numbers_support import error_of, posts, twilio_list_requests, vapi_list_requests, wait_until

TRACE = ["--log-level", "trace"]


def make_secrets() -> dict[str, str]:
    sid_body = os.urandom(16).hex()
    return {
        "vapi key": f"sk-live-ZZNUMBERS-{uuid.uuid4().hex}",
        "account sid": "AC" + sid_body,
        "account sid body": sid_body,
        "auth token": os.urandom(16).hex(),
    }


def test_number_methods_never_reveal_secrets(spawn, fake, upstream_env, tmp_path, home):
    s = make_secrets()
    key, sid, token = s["vapi key"], s["account sid"], s["auth token"]
    wrong_key = f"sk-live-ZZWRONG-{uuid.uuid4().hex}"
    wrong_token = os.urandom(16).hex()
    fake.configure(vapiKey=key, accountSid=sid, authToken=token)
    fake.seed(vapi=1200, twilio=1100, imported_fraction=0.3)

    env = {**upstream_env, "SWITCHBOARD_LOG_LEVEL": "trace"}
    sb = spawn(env=env, args=TRACE)
    home_snapshots: dict[str, bytes] = {}

    def ok(method, params=None):
        reply = sb.request(method, params, timeout=30)
        assert "result" in reply, (method, reply)
        return reply["result"]

    def fails(method, params=None, code=None):
        err = error_of(sb, method, params, timeout=30)
        if code is not None:
            assert err["code"] == code, (method, params, err)
        return err

    ok("setCredentials", {"vapiPrivateKey": key, "twilioAccountSid": sid, "twilioAuthToken": token,
                          "transferPhoneNumber": "+14155550100"})
    ok("getCredentialStatus")
    assert ok("verifyCredentials") == {"vapi": {"configured": True, "ok": True},
                                       "twilio": {"configured": True, "ok": True}}

    # listings, with partial results and progress; imported Vapi objects echo twilioAuthToken
    assert ok("listNumbers")["count"] > 1200
    ok("listNumbers", {"partialResultToken": "p", "workDoneToken": "w"})
    ok("listTwilio", {"includeNonVoice": True, "partialResultToken": "tp", "workDoneToken": "tw"})
    twilio = fake.twilio_numbers()
    vapi_numbers = {v.get("number") for v in fake.vapi_numbers()}
    free = [t for t in twilio if t["capabilities"]["voice"] and t["phone_number"] not in vapi_numbers]
    taken = [t for t in twilio if t["phone_number"] in vapi_numbers]

    # imports: by sid, by number, with a key (replayed), conflict, unknown sid (Twilio's 404 text
    # names the Account SID), a number not in the account (Vapi 400)
    ok("importNumber", {"sid": free[0]["sid"], "idempotencyKey": "s-imp-1"})
    ok("importNumber", {"sid": free[0]["sid"], "idempotencyKey": "s-imp-1"})
    ok("importNumber", {"phoneNumber": free[1]["phone_number"], "name": "Secret test"})
    fails("importNumber", {"sid": taken[0]["sid"]}, 1008)
    fails("importNumber", {"sid": "PN" + "0" * 32}, 1007)
    fails("importNumber", {"phoneNumber": "+19995550000"})
    fails("importNumber", {"sid": "PN" + "0" * 31}, -32602)

    # creates: success, upstream 400, lost reply (the fake logs the created object), replay
    ok("createNumber", {"areaCode": "415", "name": "S1", "idempotencyKey": "s-cr-1"})
    fails("createNumber", {"areaCode": "999"}, 1003)
    fake.fault("lose_reply", provider="vapi", method="POST")
    fails("createNumber", {"areaCode": "628", "idempotencyKey": "s-cr-lost"}, 1006)
    ok("createNumber", {"areaCode": "628", "idempotencyKey": "s-cr-lost"})
    fake.fault("lose_reply", provider="vapi", method="POST")
    fails("importNumber", {"sid": free[2]["sid"]}, 1006)

    # lookup, filters, usage and bulk release (issue 21)
    some = fake.vapi_numbers()[:3]
    ok("getNumber", {"number": free[1]["phone_number"]})
    fails("getNumber", {"number": "+19995550001"}, 1007)
    ok("listNumbers", {"search": "415", "provider": "twilio", "partialResultToken": "sp"})
    for v in some:
        fake.seed_calls(v["id"], 30, odd_every=4)
    ok("getUsage", {"ids": [v["id"] for v in some], "partialResultToken": "up", "workDoneToken": "uw"})
    ok("getUsage", {"ids": [v["id"] for v in some]})
    fails("deleteNumbers", {"ids": [some[2]["id"]], "confirm": "release 2 numbers"}, -32602)
    ok("deleteNumbers", {"ids": [some[2]["id"], str(uuid.UUID(int=7, version=4))], "confirm": "release 2 numbers"})

    # upstream error bodies that echo every secret
    echo = f"key={key} sid={sid} token={token}"
    fake.fault("status", provider="twilio", status=400, times=None,
               body={"code": 20001, "message": echo, "more_info": echo, "status": 400})
    fails("listTwilio", None, 1003)
    fails("importNumber", {"sid": free[3]["sid"]}, 1003)
    fake.clear_faults()
    fake.fault("status", provider="vapi", status=400, times=None,
               body={"message": [echo, "second " + echo], "error": echo, "statusCode": 400})
    fails("listNumbers", None, 1003)
    fails("createNumber", {"areaCode": "415"}, 1003)
    fails("getUsage", {"ids": [some[0]["id"]]}, 1014)
    fails("getNumber", {"number": "+14155550100"}, 1003)
    fake.clear_faults()
    fake.fault("status", provider="vapi", status=500, times=None, body={"statusCode": 500, "message": echo})
    fails("listNumbers", None, 1004)
    fake.clear_faults()
    fake.fault("garbage", provider="vapi", times=None, body=f"<html>{echo}</html>{{\"x")
    fails("listNumbers", None, 1004)
    fake.clear_faults()
    fake.fault("garbage", provider="twilio", times=None, body=f"<html>{echo}</html>")
    fails("listTwilio", None, 1004)
    fake.clear_faults()
    fake.fault("status", provider="vapi", status=429, retryAfter="0", times=None, body={"message": echo})
    fails("listNumbers", None, 1005)
    fake.clear_faults()
    fake.fault("truncate", provider="twilio", times=None)
    fails("listTwilio", None, 1004)
    fake.clear_faults()
    fake.fault("reset", provider="vapi", times=None)
    fails("listNumbers", None, 1004)
    fake.clear_faults()
    fake.fault("status", provider="vapi", method="POST", status=409, body={"message": echo, "error": "Conflict"})
    fails("createNumber", {"areaCode": "415"})
    fake.fault("status", provider="vapi", method="POST", status=302, headers={"Location": f"http://{key}.example/"})
    fails("createNumber", {"areaCode": "415"})

    # 401s, a suspended account (its body carries auth_token), verify with every failure
    fake.fault("status", provider="twilio", status=401, times=None)
    fails("listTwilio", None, 1002)
    fake.clear_faults()
    fake.configure(accountStatus="suspended")
    ok("verifyCredentials")
    fails("listTwilio", None, 1002)
    fake.configure(accountStatus="active")
    ok("setCredentials", {"vapiPrivateKey": wrong_key, "twilioAuthToken": wrong_token})
    fails("listNumbers", None, 1002)
    fails("listTwilio", None, 1002)
    fails("importNumber", {"sid": free[4]["sid"]}, 1002)
    ok("verifyCredentials")
    home_snapshots.update(read_files([home]))
    ok("setCredentials", {"vapiPrivateKey": key, "twilioAuthToken": token})

    # cancellation mid-listing
    fake.fault("delay", provider="vapi", method="GET", pathRegex=r"[?&]page=2(&|$)", delayMs=800)
    rid = sb.start_request("listNumbers", {"partialResultToken": "cp"})
    wait_until(lambda: any(r["query"].get("page") == "2" for r in vapi_list_requests(fake)))
    sb.notify("$/cancelRequest", {"id": rid})
    assert sb.response(rid)["error"]["code"] == -32800

    ok("listOperations", {"limit": 1000})
    ok("listProfiles")
    home_snapshots.update(read_files([home]))
    sb.stop()
    time.sleep(0.1)

    assert posts(fake) and twilio_list_requests(fake)
    blobs = {"stdout": bytes(sb.stdout_bytes), "stderr": bytes(sb.stderr_bytes)}
    assert len(blobs["stderr"]) > 1000, "trace logging should have written something"
    secrets = {**s, "wrong vapi key": wrong_key, "wrong auth token": wrong_token}
    hits = scan_blobs(secrets, blobs)
    assert not hits, describe(hits)
    hits = scan_blobs(secrets, {f"home:{p}": data for p, data in home_snapshots.items()})
    hits += scan_paths(secrets, [home])
    assert not hits, describe(hits)

    # the fake's log does hold them: the test really put them on the wire and in upstream bodies
    fake_log = tmp_path / "fake-upstream.log"
    found = {(h.secret, h.encoding) for h in scan_paths({"vapi key": key, "account sid": sid, "auth token": token},
                                                       [fake_log])}
    assert {"vapi key", "account sid", "auth token"} <= {name for name, _ in found}
    text = fake_log.read_text()
    assert f'"twilioAuthToken": "{token}"' in text or f'\\"twilioAuthToken\\":\\"{token}\\"' in text

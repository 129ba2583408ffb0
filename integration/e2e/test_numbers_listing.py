"""listNumbers and listTwilio against the fake: every page, nothing missed or repeated, exact shapes,
partial results and work-done progress."""
from __future__ import annotations

from collections import Counter

from test_numbers_support import (
    call, check_number_shape, check_twilio_shape, create_directly, expected_number, expected_twilio,
    twilio_list_requests, vapi_list_requests, wait_until,
)

# ---------------------------------------------------------------------------------------------
# listNumbers


def test_list_numbers_is_built_field_by_field(connected, fake):
    """Every Number equals the fake's object mapped field by field; no upstream extra survives
    (orgId, twilioAuthToken, twilioAccountSid, credentialId, numberDesiredAreaCode, server, hooks, ...)."""
    fake.seed(vapi=30, twilio=20, imported_fraction=0.5)
    fake.seed(vapi=[
        {"sipUri": "sip:front-desk@sip.vapi.ai", "name": "SIP only"},          # no number at all
        {"provider": "byo-phone-number", "name": "BYO"},                       # credentialId upstream
        {"provider": "vonage"},
        {"fallbackDestination": {"type": "number", "number": "+14155550111", "extension": "42",
                                 "message": "Transferring", "callerId": "+14155550199"}},
        {"fallbackDestination": {"type": "sip", "sipUri": "sip:desk@example.com", "sipHeaders": {"X-A": "1"}}},
        {"status": "activating", "server": {"url": "https://hooks.example.com/vapi",
                                            "headers": {"x-secret": "server-header-value-0123456789"}},
         "hooks": [{"on": "call.ringing", "do": []}], "authentication": {"username": "u" * 20, "password": "p" * 20}},
        {"provider": "twilio", "smsEnabled": False, "twilioApiSecret": "api-secret-value-0123456789"},
    ])
    state = fake.state()["vapi"]
    result = call(connected, "listNumbers")
    assert result["count"] == len(state) == len(result["numbers"])
    assert set(result) == {"numbers", "count"}
    got = {n["id"]: n for n in result["numbers"]}
    for obj in state:
        check_number_shape(got[obj["id"]])
        assert got[obj["id"]] == expected_number(obj)
    twilio_numbers = [n for n in result["numbers"] if n["provider"] == "twilio"]
    assert twilio_numbers and any(n["voiceOnly"] is False for n in twilio_numbers)
    assert any(n["voiceOnly"] is True and n.get("smsEnabled") is False for n in twilio_numbers)
    sip_only = [n for n in result["numbers"] if n.get("sipUri")]
    assert sip_only and "number" not in sip_only[0]


def test_list_numbers_empty_account(connected, fake):
    assert call(connected, "listNumbers") == {"numbers": [], "count": 0}
    assert len(vapi_list_requests(fake)) == 1


def test_list_numbers_walks_every_page_with_createdAtLe_pin(connected, fake):
    """2,500+ numbers with deliberate createdAt ties across each 1000 boundary: every id once, newest first."""
    fake.seed(vapi=2500, twilio=300, imported_fraction=0.5)
    state = fake.state()["vapi"]
    assert len(state) > 2500
    result = call(connected, "listNumbers")
    ids = [n["id"] for n in result["numbers"]]
    assert not [i for i, c in Counter(ids).items() if c > 1], "duplicates"
    assert set(ids) == {v["id"] for v in state}, "missed numbers"
    assert result["count"] == len(state)
    assert ids == [v["id"] for v in state], "not newest first"

    pages = vapi_list_requests(fake)
    assert len(pages) == 3
    newest = state[0]["createdAt"]
    for i, req in enumerate(pages, start=1):
        q = req["query"]
        assert q["limit"] == "1000" and q["page"] == str(i) and q["sortOrder"] == "DESC"
        assert "cursor" not in q
        if i == 1:
            assert "createdAtLe" not in q
        else:
            assert q["createdAtLe"] == newest


def test_list_numbers_ignores_numbers_created_during_the_walk(connected, fake):
    """A number created between page 1 and page 2 neither shifts pages (no repeat, no miss)."""
    fake.seed(vapi=2100)
    before = [v["id"] for v in fake.state()["vapi"]]
    fake.fault("delay", provider="vapi", method="GET", pathRegex=r"[?&]page=2(&|$)", delayMs=600)
    rid = connected.start_request("listNumbers")
    wait_until(lambda: any(r["query"].get("page") == "2" for r in vapi_list_requests(fake)))
    created = [create_directly(fake) for _ in range(3)]
    reply = connected.response(rid, timeout=20)
    ids = [n["id"] for n in reply["result"]["numbers"]]
    assert len(ids) == len(set(ids)), "duplicates"
    assert set(before) <= set(ids), "missed numbers"
    assert set(ids) <= set(before) | {c["id"] for c in created}


def test_list_numbers_partial_results(connected, fake):
    fake.seed(vapi=2500)
    state = fake.state()["vapi"]
    rid = connected.start_request("listNumbers", {"partialResultToken": "nums"})
    reply = connected.response(rid, timeout=20)
    partial = connected.progress("nums")
    assert reply["result"] == {"numbers": [], "count": len(state)}
    assert len(partial) >= 3 and all(isinstance(p, list) for p in partial)
    assert all(len(p) <= 1000 for p in partial)
    streamed = [n for page in partial for n in page]
    for n in streamed:
        check_number_shape(n)
    ids = [n["id"] for n in streamed]
    assert len(ids) == len(set(ids))
    assert ids == [v["id"] for v in state]
    by_id = {v["id"]: v for v in state}
    assert all(n == expected_number(by_id[n["id"]]) for n in streamed[:50])
    connected.drain(0.3)
    assert connected.progress("nums") == [], "partial results after the reply"


def test_list_numbers_work_done_progress(connected, fake):
    fake.seed(vapi=2500)
    rid = connected.start_request("listNumbers", {"workDoneToken": "wd-nums", "partialResultToken": 77})
    reply = connected.response(rid, timeout=20)
    values = connected.progress("wd-nums")
    partial = connected.progress(77)
    assert reply["result"]["count"] == 2500 and reply["result"]["numbers"] == []
    assert sum(len(p) for p in partial) == 2500
    kinds = [v["kind"] for v in values]
    assert kinds[0] == "begin" and kinds[-1] == "end"
    assert kinds.count("begin") == 1 and kinds.count("end") == 1
    assert values[0].get("title")
    percentages = [v["percentage"] for v in values if "percentage" in v]
    assert percentages == sorted(percentages) and all(0 <= p <= 100 for p in percentages)
    connected.drain(0.3)
    assert connected.progress("wd-nums") == [] and connected.progress(77) == []


def test_progress_ends_before_a_failure_reply(connected, fake):
    fake.seed(vapi=1500)
    fake.fault("status", provider="vapi", method="GET", status=400, pathRegex=r"[?&]page=2(&|$)",
               body={"message": ["page broke"], "error": "Bad Request", "statusCode": 400})
    rid = connected.start_request("listNumbers", {"workDoneToken": "wd-fail"})
    reply = connected.response(rid, timeout=20)
    assert reply["error"]["code"] == 1003
    kinds = [v["kind"] for v in connected.progress("wd-fail")]
    assert kinds[0] == "begin" and kinds.count("begin") == 1
    assert kinds[-1] == "end" and kinds.count("end") == 1
    connected.drain(0.3)
    assert connected.progress("wd-fail") == []


def test_list_numbers_other_profile(connected, spawn, fake):
    """`profile` selects the credentials: a second profile holding a wrong key fails, default still works."""
    fake.seed(vapi=5)
    call(connected, "setCredentials", {"profile": "client-b", "vapiPrivateKey": "sk-wrong-key-for-client-b"})
    err = connected.request("listNumbers", {"profile": "client-b"})["error"]
    assert err["code"] == 1002 and err["data"]["kind"] == "upstream.unauthorized"
    assert call(connected, "listNumbers", {"profile": "default"})["count"] == 5
    auths = {r["headers"]["authorization"] for r in vapi_list_requests(fake)}
    assert auths == {"Bearer sk-wrong-key-for-client-b", f"Bearer {fake.vapi_key}"}


# ---------------------------------------------------------------------------------------------
# listTwilio


def test_list_twilio_every_page_voice_only_with_imported(connected, fake):
    fake.seed(vapi=2500, twilio=2500, imported_fraction=0.2)
    want = expected_twilio(fake)
    assert 2000 < len(want) < 2500 and sum(w["imported"] for w in want) > 300
    result = call(connected, "listTwilio")
    assert set(result) == {"numbers", "count", "vapiChecked"}
    assert result["vapiChecked"] is True
    for item in result["numbers"]:
        check_twilio_shape(item)
    sids = [n["sid"] for n in result["numbers"]]
    assert len(sids) == len(set(sids)), "duplicates"
    assert result["numbers"] == want
    assert result["count"] == len(want)
    assert all(n["capabilities"]["voice"] for n in result["numbers"])

    pages = twilio_list_requests(fake)
    assert len(pages) == 3
    assert pages[0]["query"] == {"PageSize": "1000"}
    for req in pages[1:]:
        assert req["query"]["PageSize"] == "1000" and req["query"]["PageToken"].startswith("PT")
    assert all(r["path"] == f"/2010-04-01/Accounts/{fake.account_sid}/IncomingPhoneNumbers.json" for r in pages)


def test_list_twilio_include_non_voice(connected, fake):
    fake.seed(twilio=1200, imported_fraction=0.1)
    want = expected_twilio(fake, include_non_voice=True)
    assert len(want) == 1200
    result = call(connected, "listTwilio", {"includeNonVoice": True})
    assert result["numbers"] == want and result["count"] == 1200
    non_voice = [n for n in result["numbers"] if not n["capabilities"]["voice"]]
    assert len(non_voice) == 120
    assert any(n["capabilities"]["fax"] for n in non_voice) and any(n["capabilities"]["sms"] for n in non_voice)
    assert call(connected, "listTwilio", {"includeNonVoice": False})["count"] == 1080


def test_list_twilio_without_vapi_key_is_unchecked(spawn, fake, upstream_env):
    fake.seed(vapi=10, twilio=30, imported_fraction=0.5)
    sb = spawn(env=upstream_env)
    call(sb, "setCredentials", {"twilioAccountSid": fake.account_sid, "twilioAuthToken": fake.auth_token})
    result = call(sb, "listTwilio")
    assert result["vapiChecked"] is False
    assert result["count"] == 27
    assert all(n["imported"] is False and "vapiId" not in n for n in result["numbers"])
    assert fake.requests(provider="vapi") == []


def test_list_twilio_partial_results(connected, fake):
    fake.seed(vapi=1500, twilio=2500, imported_fraction=0.3)
    want = expected_twilio(fake)
    rid = connected.start_request("listTwilio", {"partialResultToken": "tw", "workDoneToken": "tw-wd"})
    reply = connected.response(rid, timeout=20)
    assert reply["result"] == {"numbers": [], "count": len(want), "vapiChecked": True}
    streamed = [n for page in connected.progress("tw") for n in page]
    assert streamed == want
    kinds = [v["kind"] for v in connected.progress("tw-wd")]
    assert kinds[0] == "begin" and kinds[-1] == "end" and kinds.count("end") == 1
    connected.drain(0.3)
    assert connected.progress("tw") == [] and connected.progress("tw-wd") == []


def test_list_twilio_imported_reflects_an_import(connected, fake):
    fake.seed(twilio=12)
    target = next(t for t in fake.twilio_numbers() if t["capabilities"]["voice"])
    before = call(connected, "listTwilio")
    assert not next(n for n in before["numbers"] if n["sid"] == target["sid"])["imported"]
    number = call(connected, "importNumber", {"sid": target["sid"]})
    after = call(connected, "listTwilio")
    row = next(n for n in after["numbers"] if n["sid"] == target["sid"])
    assert row["imported"] is True and row["vapiId"] == number["id"]


def _twilio_page(fake, numbers, next_page_uri):
    base = f"/2010-04-01/Accounts/{fake.account_sid}/IncomingPhoneNumbers.json"
    return {"end": len(numbers) - 1, "first_page_uri": base + "?PageSize=1000&Page=0", "next_page_uri": next_page_uri,
            "page": 0, "page_size": 1000, "previous_page_uri": None, "start": 0, "uri": base + "?PageSize=1000&Page=0",
            "incoming_phone_numbers": numbers}


def test_list_twilio_refuses_a_next_page_on_another_origin(connected, fake):
    """A next_page_uri pointing elsewhere would carry the Basic credentials there: refused."""
    fake.seed(twilio=3)
    page = _twilio_page(fake, fake.twilio_numbers(),
                        f"http://127.0.0.2:{fake.port}/2010-04-01/Accounts/{fake.account_sid}/IncomingPhoneNumbers.json?Page=1")
    fake.fault("status", provider="twilio", method="GET", status=200, body=page)
    reply = connected.request("listTwilio")
    assert "error" in reply, reply
    assert reply["error"]["code"] == 1004 and reply["error"]["data"]["provider"] == "twilio"
    assert len(twilio_list_requests(fake)) == 1


def test_list_twilio_follows_an_absolute_next_page_on_the_same_origin(connected, fake):
    fake.seed(twilio=6)
    fake.configure(twilioStrictPaging=False)
    everything = fake.twilio_numbers()
    base = f"/2010-04-01/Accounts/{fake.account_sid}/IncomingPhoneNumbers.json"
    page = _twilio_page(fake, everything[:3], fake.base_url + base + "?PageSize=3&Page=1")
    fake.fault("status", provider="twilio", method="GET", status=200, body=page)
    result = call(connected, "listTwilio", {"includeNonVoice": True})
    assert [n["sid"] for n in result["numbers"]] == [t["sid"] for t in everything]
    second = twilio_list_requests(fake)[1]
    assert second["query"] == {"PageSize": "3", "Page": "1"}


def test_list_methods_reject_unknown_or_mistyped_params(connected, fake):
    cases = [("listNumbers", {"limit": 5}, "/limit"), ("listNumbers", {"profile": 7}, "/profile"),
             ("listTwilio", {"voiceOnly": True}, "/voiceOnly"), ("listTwilio", {"includeNonVoice": "yes"},
                                                                "/includeNonVoice"),
             ("verifyCredentials", {"vapi": True}, "/vapi")]
    for method, params, field in cases:
        reply = connected.request(method, params)
        assert reply.get("error", {}).get("code") == -32602, (method, reply)
        assert reply["error"]["data"]["field"] == field
    assert fake.requests() == []

"""importNumber and createNumber: the exact bodies posted to Vapi, param validation before any
network call, conflicts decided before posting, and the operations ledger."""
from __future__ import annotations

import pytest

from test_numbers_support import (
    call, check_number_shape, error_of, expected_number, posts, vapi_by_id, vapi_list_requests,
)

LONG_TWILIO_NAME_EVERY = 13


def voice_numbers(fake, imported: bool = False):
    vapi_numbers = {v.get("number") for v in fake.state()["vapi"]}
    return [t for t in fake.twilio_numbers()
            if t["capabilities"]["voice"] and (t["phone_number"] in vapi_numbers) == imported]


def twilio_body(fake, number: str, name: str | None) -> dict:
    body = {"provider": "twilio", "number": number, "twilioAccountSid": fake.account_sid,
            "twilioAuthToken": fake.auth_token, "smsEnabled": False}
    if name is not None:
        body["name"] = name
    return body


# ---------------------------------------------------------------------------------------------
# importNumber


def test_import_by_sid_posts_exact_body_and_truncates_friendly_name(connected, fake):
    fake.seed(twilio=40)
    long_named = [t for t in voice_numbers(fake) if len(t["friendly_name"]) > 40 and "\u2014" in t["friendly_name"]]
    assert long_named, "the fake should seed a long friendly name with an em dash"
    target = long_named[0]
    original_sms_url = target["sms_url"]
    number = call(connected, "importNumber", {"sid": target["sid"]})

    [post] = posts(fake)
    assert post["json"] == twilio_body(fake, target["phone_number"], target["friendly_name"][:40])
    assert len(post["json"]["name"]) == 40
    assert post["headers"]["content-type"].startswith("application/json")
    assert post["headers"]["authorization"] == f"Bearer {fake.vapi_key}"

    # the SID was resolved through Twilio, the Vapi list was checked, then one POST
    order = [(r["provider"], r["method"], r["path"]) for r in fake.requests()]
    sid_path = f"/2010-04-01/Accounts/{fake.account_sid}/IncomingPhoneNumbers/{target['sid']}.json"
    assert order[0] == ("twilio", "GET", sid_path)
    assert ("vapi", "GET", "/v2/phone-number") in order[1:-1]
    assert order[-1] == ("vapi", "POST", "/phone-number")

    check_number_shape(number)
    created = vapi_by_id(fake)[number["id"]]
    assert number == expected_number(created)
    assert number["smsEnabled"] is False and number["voiceOnly"] is True and number["provider"] == "twilio"
    assert "twilioAuthToken" not in number and "twilioAccountSid" not in number

    # smsEnabled:false leaves the Twilio messaging webhook alone; the voice webhook moved to Vapi
    after = next(t for t in fake.twilio_numbers() if t["sid"] == target["sid"])
    assert after["sms_url"] == original_sms_url
    assert after["voice_url"] == "https://api.vapi.ai/twilio/inbound_call"


@pytest.mark.parametrize("friendly, expected", [
    ("A" * 39 + "\u2014 West", "A" * 39 + "\u2014"),            # BMP character on the boundary: kept
    ("A" * 39 + "\U0001F4DE tail", "A" * 39),                  # 2 UTF-16 units would make 41: dropped whole
    ("B" * 40, "B" * 40),
])
def test_import_by_sid_cuts_friendly_name_to_40_utf16_units(connected, fake, friendly, expected):
    fake.seed(twilio=[{"friendly_name": friendly}])
    target = fake.twilio_numbers()[0]
    number = call(connected, "importNumber", {"sid": target["sid"]})
    assert posts(fake)[0]["json"] == twilio_body(fake, target["phone_number"], expected)
    assert number["name"] == expected


def test_import_by_sid_with_name(connected, fake):
    fake.seed(twilio=5)
    target = voice_numbers(fake)[0]
    name = "Main line \u2014 reception desk"
    number = call(connected, "importNumber", {"sid": target["sid"], "name": name})
    [post] = posts(fake)
    assert post["json"] == twilio_body(fake, target["phone_number"], name)
    assert number["name"] == name


def test_import_by_sid_short_friendly_name_is_reused(connected, fake):
    fake.seed(twilio=5)
    target = voice_numbers(fake)[0]
    assert len(target["friendly_name"]) <= 40
    call(connected, "importNumber", {"sid": target["sid"]})
    assert posts(fake)[0]["json"] == twilio_body(fake, target["phone_number"], target["friendly_name"])


def test_import_by_phone_number(connected, fake):
    fake.seed(twilio=5)
    first, second = voice_numbers(fake)[:2]
    n1 = call(connected, "importNumber", {"phoneNumber": first["phone_number"]})
    n2 = call(connected, "importNumber", {"phoneNumber": second["phone_number"], "name": "Support"})
    p1, p2 = posts(fake)
    # the number is looked up in the Twilio account, whose friendly name is reused when no name is given
    assert p1["json"] == twilio_body(fake, first["phone_number"], first["friendly_name"])
    assert p2["json"] == twilio_body(fake, second["phone_number"], "Support")
    assert n1["name"] == first["friendly_name"] and n2["name"] == "Support"
    lookups = fake.requests(provider="twilio")
    assert [r["query"].get("PhoneNumber") for r in lookups] == [first["phone_number"], second["phone_number"]]
    state = vapi_by_id(fake)
    assert n1 == expected_number(state[n1["id"]]) and n2 == expected_number(state[n2["id"]])


def test_import_name_of_exactly_40_utf16_units_is_accepted(connected, fake):
    fake.seed(twilio=3)
    target = voice_numbers(fake)[0]
    name = "\u00e9" * 39 + "\u2014"
    number = call(connected, "importNumber", {"sid": target["sid"], "name": name})
    assert number["name"] == name and posts(fake)[0]["json"]["name"] == name


@pytest.mark.parametrize("params, field", [
    ({"sid": "PN" + "a" * 32, "name": "x" * 41}, "/name"),
    ({"phoneNumber": "+14155550123", "name": "\u2014" * 41}, "/name"),
    ({"phoneNumber": "+14155550123", "name": "\U0001F4DE" * 21}, "/name"),   # 42 UTF-16 units
    ({"phoneNumber": "+14155550123", "name": ""}, "/name"),
    ({"sid": "PN" + "a" * 32, "phoneNumber": "+14155550123"}, None),
    ({}, None),
    ({"name": "only a name"}, None),
    ({"sid": "PN123"}, "/sid"),
    ({"sid": "AC" + "a" * 32}, "/sid"),
    ({"phoneNumber": "4155550123"}, "/phoneNumber"),
    ({"phoneNumber": "+0155550123"}, "/phoneNumber"),
    ({"phoneNumber": 14155550123}, "/phoneNumber"),
    ({"phoneNumber": "+14155550123", "idempotencyKey": ""}, "/idempotencyKey"),
    ({"phoneNumber": "+14155550123", "smsEnabled": True}, None),
    ({"phoneNumber": "+14155550123", "profile": "bad profile!"}, "/profile"),
])
def test_import_invalid_params_make_no_request(connected, fake, params, field):
    fake.seed(twilio=3)
    err = error_of(connected, "importNumber", params)
    assert err["code"] == -32602, err
    if field is not None:
        assert err["data"]["field"] == field
    else:
        assert err["data"]["field"] in ("", "/sid", "/phoneNumber", "/smsEnabled")
    assert fake.requests() == [], "no upstream request may be made for invalid params"
    # the value is never echoed back
    for value in params.values():
        if isinstance(value, str) and len(value) > 3:
            assert value not in str(err)


def test_import_already_imported_is_conflict_without_post(connected, fake):
    fake.seed(vapi=20, twilio=20, imported_fraction=0.5)
    target = voice_numbers(fake, imported=True)[0]
    vapi_id = next(v["id"] for v in fake.state()["vapi"] if v.get("number") == target["phone_number"])
    for params in ({"sid": target["sid"]}, {"phoneNumber": target["phone_number"], "name": "Again"}):
        err = error_of(connected, "importNumber", params)
        assert err["code"] == 1008
        assert err["data"]["kind"] == "conflict"
        assert err["data"]["vapiId"] == vapi_id
    assert posts(fake) == []


def test_import_conflict_reported_by_vapi_on_a_stale_list(connected, fake):
    """The list said "not there" (stale), Vapi answers 400 "Phone number already imported": conflict."""
    fake.seed(twilio=5)
    target = voice_numbers(fake)[0]
    call(connected, "importNumber", {"phoneNumber": target["phone_number"]})
    fake.fault("status", provider="vapi", method="GET", path="/v2/phone-number", status=200, times=None,
               body={"results": [], "metadata": {"itemsPerPage": 1000, "totalItems": 0, "currentPage": 1,
                                                 "totalPages": 0, "hasNextPage": False, "sortOrder": "DESC"}})
    err = error_of(connected, "importNumber", {"phoneNumber": target["phone_number"]})
    assert err["code"] == 1008 and err["data"]["kind"] == "conflict"
    assert len(posts(fake)) == 2


def test_import_unknown_sid_is_not_found(connected, fake):
    fake.seed(twilio=5)
    err = error_of(connected, "importNumber", {"sid": "PN" + "0" * 32})
    assert err["code"] == 1007
    assert err["data"]["kind"] == "notFound"
    assert err["data"].get("provider") == "twilio"
    assert fake.account_sid not in str(err)
    assert posts(fake) == []


def test_import_number_not_in_twilio_account_fails(connected, fake):
    fake.seed(twilio=5)
    err = error_of(connected, "importNumber", {"phoneNumber": "+19995550123"})
    assert err["code"] == 1007, err
    assert err["data"]["kind"] == "notFound" and err["data"]["resource"] == "twilioNumber"
    assert posts(fake) == [] and len(vapi_by_id(fake)) == 0


def test_import_with_refused_twilio_credentials_posts_nothing(connected, fake):
    """A suspended Twilio account refuses the lookup (401): upstream.unauthorized from Twilio, and
    nothing is posted to Vapi; no secret in the error."""
    fake.seed(twilio=5)
    target = voice_numbers(fake)[0]
    fake.configure(accountStatus="suspended")
    err = error_of(connected, "importNumber", {"phoneNumber": target["phone_number"]})
    assert err["code"] == 1002 and err["data"]["kind"] == "upstream.unauthorized"
    assert err["data"]["provider"] == "twilio"
    assert posts(fake) == []
    assert fake.auth_token not in str(err) and fake.account_sid not in str(err)


# ---------------------------------------------------------------------------------------------
# createNumber


def test_create_number_exact_body_with_name_and_fallback(connected, fake):
    number = call(connected, "createNumber", {"areaCode": "415", "name": "Sales", "fallbackNumber": "+14155550177"})
    [post] = posts(fake)
    assert post["json"] == {"provider": "vapi", "numberDesiredAreaCode": "415", "name": "Sales",
                            "fallbackDestination": {"type": "number", "number": "+14155550177"}}
    check_number_shape(number)
    assert number == expected_number(vapi_by_id(fake)[number["id"]])
    assert number["provider"] == "vapi" and number["number"].startswith("+1415")
    assert number["fallbackDestination"] == {"type": "number", "number": "+14155550177"}
    assert "numberDesiredAreaCode" not in number and "orgId" not in number


def test_create_number_falls_back_to_transfer_number(connected, fake):
    number = call(connected, "createNumber", {"areaCode": "628"})
    assert posts(fake)[0]["json"] == {"provider": "vapi", "numberDesiredAreaCode": "628",
                                      "fallbackDestination": {"type": "number", "number": "+14155550100"}}
    assert number["fallbackDestination"] == {"type": "number", "number": "+14155550100"}
    assert "name" not in number


def test_create_number_without_any_fallback(connected, fake):
    call(connected, "setCredentials", {"transferPhoneNumber": None})
    number = call(connected, "createNumber", {"areaCode": "510", "name": "No fallback"})
    assert posts(fake)[0]["json"] == {"provider": "vapi", "numberDesiredAreaCode": "510", "name": "No fallback"}
    assert "fallbackDestination" not in number


def test_create_number_activating_status_passed_through(connected, fake):
    fake.configure(vapiNumberStatus="activating")
    number = call(connected, "createNumber", {"areaCode": "212"})
    assert number["status"] == "activating"


@pytest.mark.parametrize("area", ["41", "4155", "abc", "", " 415", "415 ", "\uff14\uff11\uff15", "4a5", 415, None,
                                  "missing"])
def test_create_number_bad_area_code(connected, fake, area):
    params = {"name": "x"} if area == "missing" else {"areaCode": area}
    err = error_of(connected, "createNumber", params)
    assert err["code"] == -32602
    assert err["message"] == "Valid 3-digit area code is required"
    assert err["data"]["field"] == "/areaCode"
    assert fake.requests() == []


@pytest.mark.parametrize("params, field", [
    ({"areaCode": "415", "name": "n" * 41}, "/name"),
    ({"areaCode": "415", "fallbackNumber": "4155550100"}, "/fallbackNumber"),
    ({"areaCode": "415", "fallbackNumber": "+1 415 555 0100"}, "/fallbackNumber"),
    ({"areaCode": "415", "areacode": "415"}, "/areacode"),
    ({"areaCode": "415", "numberDesiredAreaCode": "415"}, "/numberDesiredAreaCode"),
    ({"areaCode": "415", "idempotencyKey": "k" * 256}, "/idempotencyKey"),
])
def test_create_number_invalid_params_make_no_request(connected, fake, params, field):
    err = error_of(connected, "createNumber", params)
    assert err["code"] == -32602 and err["data"]["field"] == field
    assert fake.requests() == []


def test_create_number_unavailable_area_code_is_upstream_error(connected, fake):
    err = error_of(connected, "createNumber", {"areaCode": "999"})
    assert err["code"] == 1003
    assert err["message"].startswith("Vapi API error: 400 - ")
    data = err["data"]
    assert data["kind"] == "upstream.error" and data["provider"] == "vapi" and data["status"] == 400
    assert data["upstreamCode"] == "Bad Request"
    assert "999" in data["upstreamMessage"]
    assert len(posts(fake)) == 1, "a 400 is not retried"
    assert vapi_by_id(fake) == {}


# ---------------------------------------------------------------------------------------------
# listOperations


def test_operations_ledger_records_every_import_and_create(connected, fake):
    fake.seed(twilio=10, vapi=3)
    free = voice_numbers(fake)
    imported = call(connected, "importNumber", {"phoneNumber": free[0]["phone_number"]})
    conflict = error_of(connected, "importNumber", {"sid": free[0]["sid"]})
    created = call(connected, "createNumber", {"areaCode": "415"})
    failed = error_of(connected, "createNumber", {"areaCode": "999"})
    missing = error_of(connected, "importNumber", {"sid": "PN" + "f" * 32})
    assert (conflict["code"], failed["code"], missing["code"]) == (1008, 1003, 1007)

    ops = call(connected, "listOperations")["operations"]
    assert len(ops) == 5
    assert [o["id"] for o in ops] == sorted((o["id"] for o in ops), reverse=True), "newest first"
    newest_first = list(reversed(ops))
    rows = [(o["method"], o["outcome"], o.get("numberId"), o.get("errorKind")) for o in newest_first]
    assert rows == [
        ("importNumber", "succeeded", imported["id"], None),
        ("importNumber", "failed", None, "conflict"),
        ("createNumber", "succeeded", created["id"], None),
        ("createNumber", "failed", None, "upstream.error"),
        ("importNumber", "failed", None, "notFound"),
    ]
    assert newest_first[0]["target"] == free[0]["phone_number"]
    assert newest_first[2]["target"] == created["number"]
    assert newest_first[3]["target"] == "999"
    for o in ops:
        assert o["at"].endswith("Z")
        assert set(o) <= {"id", "at", "method", "target", "outcome", "numberId", "errorKind", "detail"}
        assert fake.auth_token not in str(o) and fake.account_sid not in str(o)

    assert call(connected, "listOperations", {"limit": 2})["operations"] == ops[:2]
    assert call(connected, "listOperations", {"before": ops[1]["id"]})["operations"] == ops[2:]
    # a cursor is an operation id: 0, negative or not an integer is refused, naming the param
    for bad in (0, -5, 1.5, "3"):
        err = error_of(connected, "listOperations", {"before": bad})
        assert err["code"] == -32602 and err["data"]["field"] == "/before", (bad, err)
    assert call(connected, "listOperations", {"profile": "someone-else"})["operations"] == []
    # listing and verifying change nothing upstream: no ledger rows
    call(connected, "listNumbers")
    call(connected, "listTwilio")
    call(connected, "verifyCredentials")
    assert len(call(connected, "listOperations")["operations"]) == 5
    assert len(vapi_list_requests(fake)) >= 1


def test_concurrent_imports_of_one_number_buy_once(connected, fake):
    """Both requests pass the list check before either posts; Vapi refuses the second: conflict."""
    fake.seed(twilio=3)
    target = voice_numbers(fake)[0]
    fake.fault("delay", provider="vapi", method="POST", delayMs=400, times=2)
    a = connected.start_request("importNumber", {"sid": target["sid"]})
    b = connected.start_request("importNumber", {"phoneNumber": target["phone_number"]})
    replies = [connected.response(a), connected.response(b)]
    assert sorted("result" in r for r in replies) == [False, True], replies
    err = next(r["error"] for r in replies if "error" in r)
    assert err["code"] == 1008 and err["data"]["kind"] == "conflict"
    assert len(vapi_by_id(fake)) == 1

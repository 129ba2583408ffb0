"""Shared helpers for the Numbers end-to-end tests (test_numbers_*.py). Holds no tests.

The Numbers methods (listNumbers, listTwilio, importNumber, createNumber, verifyCredentials,
listOperations) are driven against integration/fake_upstream; these helpers turn the fake's state into the
values switchboard must return and read the fake's recorded requests.
"""
from __future__ import annotations

import json
import time
import urllib.request

from switchboard_process import RPCFailure

# The members a Number may have: built field by field, never a forwarded upstream object.
NUMBER_KEYS = {"id", "provider", "number", "name", "status", "createdAt", "updatedAt", "smsEnabled", "voiceOnly",
               "fallbackDestination", "assistantId", "sipUri"}
NUMBER_REQUIRED = {"id", "provider", "createdAt", "voiceOnly"}
DESTINATION_KEYS = {"type", "number", "sipUri", "extension"}
TWILIO_NUMBER_KEYS = {"sid", "phoneNumber", "friendlyName", "capabilities", "imported", "vapiId"}

TWILIO_MESSAGE = ("Twilio credentials not configured. Please add your Twilio Account SID and Auth Token in API "
                  "Configuration.")
VAPI_MESSAGE = "Vapi API key not configured. Please add your Vapi Private API Key in API Configuration."

TRANSFER = "+14155550100"
VAPI_LIST = "/v2/phone-number"


def creds(fake, transfer: str | None = TRANSFER) -> dict:
    params = {"vapiPrivateKey": fake.vapi_key, "twilioAccountSid": fake.account_sid,
              "twilioAuthToken": fake.auth_token}
    if transfer is not None:
        params["transferPhoneNumber"] = transfer
    return params


def expected_number(obj: dict) -> dict:
    """The Number switchboard must return for the fake's Vapi object `obj`."""
    out = {k: obj[k] for k in ("id", "provider", "number", "name", "status", "createdAt", "updatedAt", "smsEnabled",
                               "assistantId", "sipUri") if obj.get(k) is not None}
    out["voiceOnly"] = obj.get("smsEnabled") is not True
    dest = obj.get("fallbackDestination")
    if dest is not None:
        out["fallbackDestination"] = {k: dest[k] for k in DESTINATION_KEYS if dest.get(k) is not None}
    return out


def check_number_shape(number: dict):
    assert set(number) <= NUMBER_KEYS, f"unexpected members {set(number) - NUMBER_KEYS}"
    assert NUMBER_REQUIRED <= set(number)
    if "fallbackDestination" in number:
        assert set(number["fallbackDestination"]) <= DESTINATION_KEYS


def check_twilio_shape(item: dict):
    assert set(item) <= TWILIO_NUMBER_KEYS, f"unexpected members {set(item) - TWILIO_NUMBER_KEYS}"
    assert {"sid", "phoneNumber", "friendlyName", "capabilities", "imported"} <= set(item)
    assert set(item["capabilities"]) == {"voice", "sms", "mms", "fax"}
    assert all(type(v) is bool for v in item["capabilities"].values())
    assert ("vapiId" in item) == item["imported"]


def expected_twilio(fake, include_non_voice: bool = False) -> list[dict]:
    """listTwilio's numbers, computed from the fake's state (Twilio list order)."""
    state = fake.state()
    by_number = {v["number"]: v["id"] for v in state["vapi"] if v.get("number")}
    out = []
    for t in state["twilio"]:
        caps = t["capabilities"]
        if not include_non_voice and not caps.get("voice"):
            continue
        item = {"sid": t["sid"], "phoneNumber": t["phone_number"], "friendlyName": t["friendly_name"],
                "capabilities": {k: bool(caps.get(k)) for k in ("voice", "sms", "mms", "fax")},
                "imported": t["phone_number"] in by_number}
        if item["imported"]:
            item["vapiId"] = by_number[t["phone_number"]]
        out.append(item)
    return out


def error_of(sb, method: str, params=None, timeout: float = 20.0) -> dict:
    """The error object of a request that must fail."""
    reply = sb.request(method, params, timeout=timeout)
    assert "error" in reply, f"{method} {params!r} was expected to fail, got {reply!r}"
    return reply["error"]


def call(sb, method: str, params=None, timeout: float = 20.0):
    try:
        return sb.call(method, params, timeout=timeout)
    except RPCFailure as failure:
        raise AssertionError(f"{method} {params!r} failed: {failure.error!r}") from None


def upstream_requests(fake, **filters) -> list[dict]:
    return fake.requests(**filters)


def vapi_list_requests(fake) -> list[dict]:
    return fake.requests(provider="vapi", method="GET", path=VAPI_LIST)


def twilio_list_requests(fake) -> list[dict]:
    return [r for r in fake.requests(provider="twilio", method="GET") if r["path"].endswith("/IncomingPhoneNumbers.json")]


def posts(fake) -> list[dict]:
    return fake.requests(provider="vapi", method="POST", path="/phone-number")


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


def create_directly(fake, area_code: str = "415", name: str | None = None) -> dict:
    """Creates a Vapi number on the fake behind switchboard's back (as another client would)."""
    body = {"provider": "vapi", "numberDesiredAreaCode": area_code}
    if name is not None:
        body["name"] = name
    req = urllib.request.Request(fake.base_url + "/phone-number", data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {fake.vapi_key}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def vapi_by_id(fake) -> dict[str, dict]:
    return {v["id"]: v for v in fake.state()["vapi"]}


def env_for(fake, **extra) -> dict:
    env = {"SWITCHBOARD_VAPI_BASE_URL": fake.base_url, "SWITCHBOARD_TWILIO_BASE_URL": fake.base_url,
           "SWITCHBOARD_HTTP_BACKOFF_MS": "20", "SWITCHBOARD_HTTP_TIMEOUT_MS": "5000"}
    env.update({k: str(v) for k, v in extra.items()})
    return env

"""Self-tests for fake_upstream.py (stdlib HTTP clients only).

Run: python3 -m pytest -q integration/fake_upstream  (from the repository root)
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from fake_upstream import (  # noqa: E402
    DEFAULT_ACCOUNT_SID,
    TWILIO_401_BODY,
    VAPI_401_BODY,
    FakeUpstream,
)

ISO_MS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
RFC2822_RE = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
OTHER_SID = "AC" + "0" * 32


# --------------------------------------------------------------------------- helpers


class Client:
    """Keep-alive HTTP client speaking to the fake."""

    def __init__(self, fake: FakeUpstream):
        self.fake = fake
        self.conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=10)

    def close(self):
        self.conn.close()

    def raw(self, method, path, body=None, headers=None):
        hdrs = dict(headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            if isinstance(data, str):
                data = data.encode()
            hdrs.setdefault("Content-Type", "application/json")
        try:
            self.conn.request(method, path, body=data, headers=hdrs)
            resp = self.conn.getresponse()
            payload = resp.read()
        except Exception:
            self.conn.close()
            raise
        try:
            parsed = json.loads(payload) if payload else None
        except ValueError:
            parsed = None
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, payload, parsed

    def vapi(self, method, path, body=None, key=None, headers=None):
        hdrs = {"Authorization": f"Bearer {self.fake.vapi_key if key is None else key}"}
        hdrs.update(headers or {})
        return self.raw(method, path, body, hdrs)

    def twilio(self, path, user=None, password=None, method="GET"):
        user = self.fake.account_sid if user is None else user
        password = self.fake.auth_token if password is None else password
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        return self.raw(method, path, headers={"Authorization": f"Basic {token}"})


def tw_list_path(fake, query=""):
    return f"/2010-04-01/Accounts/{fake.account_sid}/IncomingPhoneNumbers.json" + (f"?{query}" if query else "")


def control(fake, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(fake.url(path), data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def raw_exchange(port, request: bytes, timeout=5.0) -> bytes:
    """Send raw bytes, return everything received until EOF; raises ConnectionResetError on RST."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(request)
        chunks = []
        while True:
            b = s.recv(65536)
            if not b:
                return b"".join(chunks)
            chunks.append(b)
    finally:
        s.close()


@pytest.fixture(scope="module")
def fake():
    f = FakeUpstream()
    f.start()
    yield f
    f.stop()


@pytest.fixture
def client(fake):
    fake.reset()
    c = Client(fake)
    yield c
    c.close()


# --------------------------------------------------------------------------- Vapi listing


def test_v1_list_defaults_limits_and_sort(fake, client):
    fake.seed(vapi=250)
    st, hdr, _, items = client.vapi("GET", "/phone-number")
    assert st == 200 and isinstance(items, list) and len(items) == 100  # default limit 100
    assert hdr["content-type"].startswith("application/json")
    created = [i["createdAt"] for i in items]
    assert created == sorted(created, reverse=True)  # DESC
    st, _, _, items = client.vapi("GET", "/phone-number?limit=1000")
    assert st == 200 and len(items) == 250
    st, _, _, items = client.vapi("GET", "/phone-number?limit=1")
    assert len(items) == 1
    nums = fake.vapi_numbers()
    st, _, _, items = client.vapi("GET", f"/phone-number?limit=100&createdAtLe={nums[199]['createdAt']}")
    assert [i["id"] for i in items] == [i["id"] for i in nums[199:]]  # fewer than limit left: all of them
    st, _, _, items = client.vapi("GET", "/phone-number?limit=100&createdAtLt=2000-01-01T00:00:00Z")
    assert st == 200 and items == []
    st, _, _, body = client.vapi("GET", "/phone-number?limit=1001")
    assert st == 400
    assert body == {"message": ["limit must not be greater than 1000"], "error": "Bad Request", "statusCode": 400}
    st, _, _, body = client.vapi("GET", "/phone-number?limit=10&page=2")
    assert st == 400 and body["message"] == ["property page should not exist"]
    st, _, _, body = client.vapi("GET", "/phone-number?createdAtLt=yesterday")
    assert st == 400 and body["message"] == ["createdAtLt must be a valid ISO 8601 date string"]


def test_v1_object_shapes(fake, client):
    fake.seed(vapi=30, twilio=10, imported_fraction=1.0)
    st, _, _, items = client.vapi("GET", "/phone-number?limit=1000")
    assert st == 200
    providers = {i["provider"] for i in items}
    assert providers == {"vapi", "twilio"}
    for i in items:
        assert UUID_RE.match(i["id"]) and i["orgId"]
        assert ISO_MS_RE.match(i["createdAt"]) and ISO_MS_RE.match(i["updatedAt"])
        assert i["status"] == "active"
        assert "name" not in i or len(i["name"]) <= 40
        if i["provider"] == "twilio":
            assert i["twilioAccountSid"] == fake.account_sid
            assert i["twilioAuthToken"] == fake.auth_token  # echoed on purpose
            assert isinstance(i["smsEnabled"], bool)
            assert "numberDesiredAreaCode" not in i
        else:
            assert re.match(r"^\+1\d{10}$", i["number"]) and len(i["numberDesiredAreaCode"]) == 3
            assert "twilioAuthToken" not in i and "smsEnabled" not in i


def _naive_walk(client, limit):
    seen, cursor, calls = {}, None, 0
    while True:
        q = f"limit={limit}" + (f"&createdAtLt={cursor}" if cursor else "")
        st, _, _, items = client.vapi("GET", f"/phone-number?{q}")
        calls += 1
        assert st == 200
        for i in items:
            seen[i["id"]] = i
        if len(items) < limit:
            return seen
        cursor = items[-1]["createdAt"]


def _safe_walk(client, limit):
    seen, cursor = {}, None
    while True:
        q = f"limit={limit}" + (f"&createdAtLe={cursor}" if cursor else "")
        st, _, _, items = client.vapi("GET", f"/phone-number?{q}")
        assert st == 200
        new = [i for i in items if i["id"] not in seen]
        for i in new:
            seen[i["id"]] = i
        if len(items) < limit or not new:
            return seen
        cursor = items[-1]["createdAt"]


def test_v1_createdat_ties_defeat_naive_walker(fake, client):
    fake.seed(vapi=250)
    created = [n["createdAt"] for n in fake.vapi_numbers()]
    assert len(set(created)) < len(created)  # ties present by default
    assert len(_naive_walk(client, 100)) < 250  # createdAtLt walker skips tied items
    assert len(_safe_walk(client, 100)) == 250  # createdAtLe + de-dup finds all
    # date filter semantics
    pivot = created[100]
    _, _, _, lt = client.vapi("GET", f"/phone-number?limit=1000&createdAtLt={pivot}")
    _, _, _, le = client.vapi("GET", f"/phone-number?limit=1000&createdAtLe={pivot}")
    _, _, _, gt = client.vapi("GET", f"/phone-number?limit=1000&createdAtGt={pivot}")
    assert all(i["createdAt"] < pivot for i in lt) and all(i["createdAt"] > pivot for i in gt)
    assert len(lt) + len(gt) + created.count(pivot) == 250 and len(le) == len(lt) + created.count(pivot)

    fake.reset()
    fake.configure(ties=False)
    fake.seed(vapi=250)
    created = [n["createdAt"] for n in fake.vapi_numbers()]
    assert len(set(created)) == 250
    assert len(_naive_walk(client, 100)) == 250


def test_v2_pages_list_2500_completely(fake, client):
    fake.seed(vapi=2400, twilio=120, imported_fraction=1.0)
    total = len(fake.vapi_numbers())
    assert total > 2500
    ids, page, pages = [], 1, 0
    while True:
        st, _, _, body = client.vapi("GET", f"/v2/phone-number?page={page}&limit=100")
        assert st == 200 and set(body) == {"results", "metadata"}
        meta = body["metadata"]
        if page == 1:
            assert meta == {"itemsPerPage": 100, "totalItems": total, "currentPage": 1,
                            "totalPages": -(-total // 100), "hasNextPage": True, "sortOrder": "DESC"}
        ids.extend(i["id"] for i in body["results"])
        pages += 1
        if not meta["hasNextPage"]:
            break
        page += 1
    assert pages == -(-total // 100)
    assert len(ids) == len(set(ids)) == total
    assert ids == [n["id"] for n in fake.vapi_numbers()]  # DESC by createdAt, same order as state

    asc, page = [], 1
    while True:
        _, _, _, body = client.vapi("GET", f"/v2/phone-number?page={page}&limit=1000&sortOrder=ASC")
        asc.extend(body["results"])
        if not body["metadata"]["hasNextPage"]:
            break
        page += 1
    assert [i["id"] for i in asc] == ids[::-1]

    _, _, _, body = client.vapi("GET", "/v2/phone-number?page=999&limit=100")
    assert body["results"] == [] and body["metadata"]["hasNextPage"] is False


def test_v2_validation_and_search(fake, client):
    fake.seed(vapi=[{"name": "Sales East"}, {"name": "Support"}, {"name": "sales west"}])
    st, _, _, body = client.vapi("GET", "/v2/phone-number?search=SALES")
    assert st == 200 and sorted(i["name"] for i in body["results"]) == ["Sales East", "sales west"]
    assert body["metadata"]["totalItems"] == 2
    for q, msg in [("limit=1001", "limit must not be greater than 1000"),
                   ("page=0", "page must not be less than 1"),
                   ("sortOrder=up", "sortOrder must be one of the following values: ASC, DESC"),
                   ("cursor=abc", "property cursor should not exist")]:
        st, _, _, body = client.vapi("GET", f"/v2/phone-number?{q}")
        assert st == 400 and body["message"] == [msg] and body["statusCode"] == 400


def test_v2_search_pages_with_results_and_metadata(fake, client):
    fake.seed(vapi=[{"name": f"desk 14155550123 {i}"} for i in range(250)] + [{"name": "other"}] * 5)
    fake.seed(vapi=[{"number": "+14155550123"}, {"number": "+141555501234"}])
    seen = []
    for page in (1, 2, 3):
        st, _, _, body = client.vapi("GET", f"/v2/phone-number?search=14155550123&limit=100&page={page}")
        assert st == 200 and set(body) == {"results", "metadata"}
        meta = body["metadata"]
        assert (meta["itemsPerPage"], meta["totalItems"], meta["currentPage"], meta["totalPages"]) == (100, 252, page, 3)
        assert meta["hasNextPage"] is (page < 3)
        seen += [r["id"] for r in body["results"]]
    assert len(seen) == len(set(seen)) == 252
    st, _, _, body = client.vapi("GET", "/v2/phone-number?search=%2B14155550123")  # a "+" sent as %2B
    assert sorted(r["number"] for r in body["results"]) == ["+14155550123", "+141555501234"]


# --------------------------------------------------------------------------- Vapi calls


def _calls(client, query):
    st, _, _, body = client.vapi("GET", "/call" + (f"?{query}" if query else ""))
    return st, body


def test_calls_bare_array_filters_limit_and_order(fake, client):
    fake.seed(vapi=2)
    a, b = [v["id"] for v in fake.vapi_numbers()]
    fake.seed_calls(a, 250, since="2026-01-01T00:00:00Z", until="2026-01-31T00:00:00Z")
    fake.seed_calls(b, 10, since="2026-01-01T00:00:00Z", until="2026-01-31T00:00:00Z")
    st, body = _calls(client, f"phoneNumberId={a}")
    assert st == 200 and isinstance(body, list) and len(body) == 100  # default limit 100, no envelope
    created = [c["createdAt"] for c in body]
    assert created == sorted(created, reverse=True), "newest first (CHOICE)"
    assert all(c["phoneNumberId"] == a and ISO_MS_RE.match(c["createdAt"]) for c in body)
    st, body = _calls(client, f"phoneNumberId={a}&limit=1000")
    assert len(body) == 250
    st, body = _calls(client, f"phoneNumberId={a}&limit=1000&createdAtGe=2026-01-10T00:00:00Z&createdAtLt=2026-01-20T00:00:00Z")
    assert body and all("2026-01-10" <= c["createdAt"] < "2026-01-20" for c in body)
    assert len(body) == sum(1 for c in fake.calls(a) if "2026-01-10" <= c["createdAt"] < "2026-01-20")
    st, body = _calls(client, "limit=1000")
    assert len(body) == 260, "no phoneNumberId: every call"
    first = fake.calls(a)[0]
    st, body = _calls(client, f"id={first['id']}")
    assert [c["id"] for c in body] == [first["id"]]
    for q, msg in [("limit=1001", "limit must not be greater than 1000"), ("page=2", "property page should not exist"),
                   ("cursor=x", "property cursor should not exist"), ("createdAtGe=soon", "createdAtGe must be a valid ISO 8601 date string")]:
        st, body = _calls(client, q)
        assert st == 400 and body["message"] == [msg]
    st, _, _, body = client.vapi("GET", "/call", key="wrong")
    assert st == 401 and body == VAPI_401_BODY


def test_calls_schema_odd_objects_updates_and_same_instant(fake, client):
    fake.seed(vapi=1)
    pid = fake.vapi_numbers()[0]["id"]
    summary = fake.seed_calls(pid, 90, since="2026-02-01T00:00:00Z", until="2026-02-02T00:00:00Z", odd_every=10,
                              same_instant=3)
    assert summary == {"added": 93, "total": 93}
    st, body = _calls(client, f"phoneNumberId={pid}&limit=1000")
    assert len(body) == 93
    assert body.count(None) == 1, "one element is not an object"
    objects = [c for c in body if c is not None]
    assert any(isinstance(c.get("cost"), str) for c in objects)
    assert any("cost" in c and c["cost"] is None for c in objects)
    assert any("id" not in c for c in objects) and any("createdAt" not in c for c in objects)
    assert any(c.get("analysis", {}).get("successEvaluation") is False for c in objects)
    assert any(c.get("type") == "vapi.websocketCall" for c in objects)
    stamps = [c["createdAt"] for c in objects if "createdAt" in c]
    assert max(stamps.count(t) for t in stamps) >= 3, "sameInstant calls share one createdAt"
    ended = next(c for c in objects if c.get("status") == "ended" and "id" in c and "createdAt" in c)
    updated = fake.update_call(ended["id"], cost=9.5)
    st, body = _calls(client, f"phoneNumberId={pid}&updatedAtGt={ended['updatedAt']}")
    assert [c["id"] for c in body if c and c.get("id") == ended["id"]] == [ended["id"]]
    assert updated["updatedAt"] > ended["updatedAt"] and updated["cost"] == 9.5
    st, body = control(fake, "GET", f"/__control/calls?phoneNumberId={pid}")
    assert st == 200 and len(body["calls"]) == 93
    st, body = control(fake, "POST", "/__control/calls", {"phoneNumberId": pid, "count": 2})
    assert st == 200 and body["total"] == 95
    assert len(fake.calls()) == 95


# --------------------------------------------------------------------------- Twilio listing


def test_twilio_next_page_uri_lists_2500(fake, client):
    fake.seed(twilio=2500)
    for size, expected_pages in ((1000, 3), (None, 50)):
        path = tw_list_path(fake, f"PageSize={size}" if size else "")
        sids, pages = [], 0
        while path:
            st, _, _, env = client.twilio(path)
            assert st == 200
            assert set(env) == {"first_page_uri", "next_page_uri", "previous_page_uri", "page", "page_size",
                                "start", "end", "uri", "incoming_phone_numbers"}
            n = len(env["incoming_phone_numbers"])
            assert env["page"] == pages and env["page_size"] == (size or 50)
            assert env["start"] == len(sids) and env["end"] == len(sids) + n - 1
            assert (env["previous_page_uri"] is None) == (pages == 0)
            assert env["first_page_uri"].endswith(f"PageSize={size or 50}&Page=0")
            if env["next_page_uri"]:
                assert env["next_page_uri"].startswith("/2010-04-01/Accounts/")
                assert "PageToken=" in env["next_page_uri"]
            sids.extend(r["sid"] for r in env["incoming_phone_numbers"])
            pages += 1
            path = env["next_page_uri"]
        assert pages == expected_pages
        assert len(sids) == len(set(sids)) == 2500
    recs = fake.twilio_numbers()
    assert sum(1 for r in recs if not r["capabilities"]["voice"]) == 250  # every 10th
    r = recs[0]
    assert re.match(r"^PN[0-9a-f]{32}$", r["sid"]) and r["account_sid"] == fake.account_sid
    assert set(r["capabilities"]) == {"voice", "sms", "mms", "fax"}
    assert RFC2822_RE.match(r["date_created"]) and r["status"] == "in-use"
    assert re.match(r"^\(\d{3}\) \d{3}-\d{4}$", r["friendly_name"]) and r["phone_number"].startswith("+1")
    assert r["uri"] == f"/2010-04-01/Accounts/{fake.account_sid}/IncomingPhoneNumbers/{r['sid']}.json"
    assert any(len(x["friendly_name"]) > 40 for x in recs)  # every 13th has a long name


def test_twilio_previous_page_and_filters(fake, client):
    fake.seed(twilio=30)
    _, _, _, p0 = client.twilio(tw_list_path(fake, "PageSize=10"))
    _, _, _, p1 = client.twilio(p0["next_page_uri"])
    _, _, _, back = client.twilio(p1["previous_page_uri"])
    assert [r["sid"] for r in back["incoming_phone_numbers"]] == [r["sid"] for r in p0["incoming_phone_numbers"]]
    target = fake.twilio_numbers()[7]["phone_number"]
    _, _, _, env = client.twilio(tw_list_path(fake, "PhoneNumber=" + target.replace("+", "%2B")))
    assert [r["phone_number"] for r in env["incoming_phone_numbers"]] == [target]
    _, _, _, env = client.twilio(tw_list_path(fake, "PhoneNumber=" + target[2:5] + "*" + target[6:]))
    assert target in [r["phone_number"] for r in env["incoming_phone_numbers"]]


def test_twilio_paging_errors(fake, client):
    fake.seed(twilio=120)
    st, _, _, body = client.twilio(tw_list_path(fake, "PageSize=1001"))
    assert st == 400 and body["code"] == 20001 and body["status"] == 400
    _, _, _, p0 = client.twilio(tw_list_path(fake, "PageSize=50"))
    forged = re.sub(r"PageToken=[^&]+", "PageToken=PTbm90LWEtcmVhbC10b2tlbg0123456789abcdef", p0["next_page_uri"])
    st, _, _, body = client.twilio(forged)
    assert st == 400
    assert body == {"code": 21481, "message": "Invalid PageToken",
                    "more_info": "https://www.twilio.com/docs/errors/21481", "status": 400}
    st, _, _, body = client.twilio(tw_list_path(fake, "PageSize=50&Page=1"))  # hand-built page
    assert st == 400 and body["code"] == 21481
    fake.configure(twilio_strict_paging=False)
    st, _, _, body = client.twilio(tw_list_path(fake, "PageSize=50&Page=1"))
    assert st == 200 and body["start"] == 50


def test_twilio_fetch_one_and_404(fake, client):
    fake.seed(twilio=3)
    rec = fake.twilio_numbers()[1]
    st, _, _, body = client.twilio(f"/2010-04-01/Accounts/{fake.account_sid}/IncomingPhoneNumbers/{rec['sid']}.json")
    assert st == 200 and body == rec
    missing = "PN" + "f" * 32
    path = f"/2010-04-01/Accounts/{fake.account_sid}/IncomingPhoneNumbers/{missing}.json"
    st, _, _, body = client.twilio(path)
    assert st == 404
    assert body == {"code": 20404, "message": f"The requested resource {path} was not found",
                    "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}
    assert fake.account_sid in body["message"]


def test_twilio_account_fetch(fake, client):
    path = f"/2010-04-01/Accounts/{fake.account_sid}.json"
    st, _, _, acct = client.twilio(path)
    assert st == 200
    assert acct["sid"] == fake.account_sid and acct["owner_account_sid"] == fake.account_sid
    assert acct["status"] == "active" and acct["type"] == "Full" and acct["auth_token"] == fake.auth_token
    assert RFC2822_RE.match(acct["date_created"]) and acct["uri"] == path and acct["friendly_name"]
    fake.configure(account_status="suspended")
    st, _, _, acct = client.twilio(path)
    assert st == 200 and acct["status"] == "suspended"
    st, _, _, body = client.twilio(tw_list_path(fake))
    assert st == 401 and body == TWILIO_401_BODY


# --------------------------------------------------------------------------- auth


def test_vapi_auth_failures(fake, client):
    for key in ("", "wrong-key", fake.vapi_key + "x"):
        for method, path in (("GET", "/phone-number"), ("GET", "/v2/phone-number"), ("POST", "/phone-number")):
            st, _, _, body = client.vapi(method, path, body={"provider": "vapi"} if method == "POST" else None,
                                         key=key)
            assert st == 401 and body == VAPI_401_BODY
    st, _, _, body = client.raw("GET", "/phone-number?limit=1")  # no header at all
    assert st == 401 and body == VAPI_401_BODY
    st, _, _, body = client.raw("GET", "/phone-number", headers={"Authorization": f"Basic {fake.vapi_key}"})
    assert st == 401
    st, _, _, body = client.vapi("GET", "/phone-number?limit=1")
    assert st == 200 and body == []


def test_twilio_auth_failures(fake, client):
    fake.seed(twilio=2)
    cases = [
        (None, "wrong-token", tw_list_path(fake)),
        (OTHER_SID, None, tw_list_path(fake)),
        (None, None, f"/2010-04-01/Accounts/{OTHER_SID}/IncomingPhoneNumbers.json"),  # path SID mismatch
        (None, "wrong-token", f"/2010-04-01/Accounts/{fake.account_sid}.json"),
    ]
    for user, pw, path in cases:
        st, hdr, _, body = client.twilio(path, user=user, password=pw)
        assert st == 401 and body == TWILIO_401_BODY
        assert hdr.get("www-authenticate", "").startswith("Basic")
    st, _, _, body = client.raw("GET", tw_list_path(fake))
    assert st == 401 and body == TWILIO_401_BODY
    st, _, _, _ = client.twilio(tw_list_path(fake))
    assert st == 200


# --------------------------------------------------------------------------- Vapi get/create/import/patch/delete


def test_get_one_404_and_non_uuid(fake, client):
    fake.seed(vapi=2)
    n = fake.vapi_numbers()[0]
    st, _, _, body = client.vapi("GET", f"/phone-number/{n['id']}")
    assert st == 200 and body == n
    st, _, _, body = client.vapi("GET", "/phone-number/6f1c4b8e-1111-4222-8333-444455556666")
    assert st == 404 and body == {"message": "Not Found", "error": "Not Found", "statusCode": 404}
    st, _, _, body = client.vapi("GET", "/phone-number/PN123")
    assert st == 400 and body["error"] == "Bad Request" and body["statusCode"] == 400


def test_create_free_vapi_number(fake, client):
    body = {"provider": "vapi", "numberDesiredAreaCode": "415", "name": "Sales",
            "fallbackDestination": {"type": "number", "number": "+14155550100"}}
    st, _, _, obj = client.vapi("POST", "/phone-number", body)
    assert st == 201
    assert set(obj) == {"id", "orgId", "number", "numberDesiredAreaCode", "createdAt", "updatedAt", "provider",
                        "status", "name", "fallbackDestination"}
    assert re.match(r"^\+1415\d{7}$", obj["number"]) and obj["status"] == "active" and obj["provider"] == "vapi"
    assert ISO_MS_RE.match(obj["createdAt"]) and UUID_RE.match(obj["id"])
    _, _, _, items = client.vapi("GET", "/phone-number?limit=1")
    assert items == [obj]
    st, _, _, obj2 = client.vapi("POST", "/phone-number",
                                 {"provider": "vapi", "fallbackDestination": {"type": "sip", "sipUri": "sip:a@b.c"}})
    assert st == 201 and obj2["number"] != obj["number"]


@pytest.mark.parametrize("body,messages", [
    ({"provider": "vapi", "areaCode": "415"}, ["property areaCode should not exist"]),
    ({"provider": "vapi", "numberDesiredAreaCode": "415", "smsEnabled": False},
     ["property smsEnabled should not exist"]),
    ({"provider": "vapi", "name": "x" * 41}, ["name must be shorter than or equal to 40 characters"]),
    ({"provider": "vapi", "numberDesiredAreaCode": "41"},
     ["numberDesiredAreaCode must be longer than or equal to 3 characters"]),
    ({"numberDesiredAreaCode": "415"},
     ["provider must be one of the following values: vapi, twilio, byo-phone-number, vonage, telnyx"]),
    ({"provider": "vapi", "fallbackDestination": {"type": "number", "number": "4155550100"}},
     ["fallbackDestination.number must be a valid phone number in the E.164 format. "
      "Hot tip, you may be missing the country code (Eg. US: +1)."]),
    ({"provider": "vapi", "fallbackDestination": {"type": "number", "number": "+14155550100", "foo": 1}},
     ["fallbackDestination.property foo should not exist"]),
    ({"provider": "vapi", "fallbackDestination": {"type": "phone", "number": "+14155550100"}},
     ["fallbackDestination.type must be one of the following values: number, sip"]),
    ({"provider": "twilio", "twilioAccountSid": DEFAULT_ACCOUNT_SID, "twilioPhoneNumberSid": "PN" + "a" * 32},
     ["property twilioPhoneNumberSid should not exist", "number should not be empty", "number must be a string"]),
])
def test_create_validation_errors(fake, client, body, messages):
    st, _, _, err = client.vapi("POST", "/phone-number", body)
    assert st == 400
    assert err == {"message": messages, "error": "Bad Request", "statusCode": 400}
    assert fake.vapi_numbers() == []


def test_create_unavailable_area_code_and_activating(fake, client):
    st, _, _, err = client.vapi("POST", "/phone-number", {"provider": "vapi", "numberDesiredAreaCode": "999"})
    assert st == 400 and isinstance(err["message"], str) and "999" in err["message"]
    fake.configure(unavailable_area_codes=["415"], vapi_number_status="activating", activation_gets=2)
    st, _, _, err = client.vapi("POST", "/phone-number", {"provider": "vapi", "numberDesiredAreaCode": "415"})
    assert st == 400
    st, _, _, obj = client.vapi("POST", "/phone-number", {"provider": "vapi", "numberDesiredAreaCode": "628"})
    assert st == 201 and obj["status"] == "activating"
    statuses = [client.vapi("GET", f"/phone-number/{obj['id']}")[3]["status"] for _ in range(3)]
    assert statuses == ["activating", "active", "active"]


def test_import_twilio_number(fake, client):
    fake.seed(twilio=5)
    rec = fake.twilio_numbers()[0]
    body = {"provider": "twilio", "number": rec["phone_number"], "twilioAccountSid": fake.account_sid,
            "twilioAuthToken": fake.auth_token, "name": "Main line", "smsEnabled": False}
    st, _, _, obj = client.vapi("POST", "/phone-number", body)
    assert st == 201
    assert obj["provider"] == "twilio" and obj["number"] == rec["phone_number"] and obj["smsEnabled"] is False
    assert obj["twilioAuthToken"] == fake.auth_token and obj["twilioAccountSid"] == fake.account_sid
    assert obj["status"] == "active" and obj["name"] == "Main line"
    _, _, _, listed = client.vapi("GET", "/phone-number")
    assert listed[0]["twilioAuthToken"] == fake.auth_token  # echoed in lists too
    after = fake.twilio_numbers()[0]
    assert after["voice_url"] == "https://api.vapi.ai/twilio/inbound_call"
    assert after["sms_url"] == rec["sms_url"]  # smsEnabled:false leaves messaging alone

    st, _, _, err = client.vapi("POST", "/phone-number", body)
    assert st == 400
    assert err == {"message": "Phone number already imported", "error": "Bad Request", "statusCode": 400}

    other = fake.twilio_numbers()[1]["phone_number"]
    for bad in ({"twilioAuthToken": "nope"}, {"twilioAccountSid": OTHER_SID}, {"number": "+19995550000"},
                {"number": other[1:]}):
        st, _, _, err = client.vapi("POST", "/phone-number", {**body, "number": other, **bad})
        assert st == 400 and isinstance(err["message"], str), bad
        assert fake.auth_token not in json.dumps(err)
    st, _, _, obj = client.vapi("POST", "/phone-number", {**body, "number": other, "smsEnabled": True})
    assert st == 201 and fake.twilio_numbers()[1]["sms_url"] == "https://api.vapi.ai/twilio/sms"


def test_patch_and_delete(fake, client):
    fake.seed(vapi=[{"name": "Old", "assistantId": "a1", "fallbackDestination":
                     {"type": "number", "number": "+14155550100"}}], twilio=1, imported_fraction=1.0)
    nums = {n["provider"]: n for n in fake.vapi_numbers()}
    vid, tid = nums["vapi"]["id"], nums["twilio"]["id"]
    st, _, _, obj = client.vapi("PATCH", f"/phone-number/{vid}",
                                {"name": "New", "assistantId": None, "fallbackDestination": None})
    assert st == 200 and obj["name"] == "New"
    assert "assistantId" not in obj and "fallbackDestination" not in obj
    assert obj["updatedAt"] > nums["vapi"]["updatedAt"] and obj["createdAt"] == nums["vapi"]["createdAt"]
    st, _, _, err = client.vapi("PATCH", f"/phone-number/{vid}", {"smsEnabled": True})
    assert st == 400 and err["message"] == ["property smsEnabled should not exist"]
    st, _, _, err = client.vapi("PATCH", f"/phone-number/{vid}", {"bogus": 1})
    assert st == 400 and err["message"] == ["property bogus should not exist"]
    st, _, _, obj = client.vapi("PATCH", f"/phone-number/{tid}", {"smsEnabled": False})
    assert st == 200 and obj["smsEnabled"] is False
    missing = "6f1c4b8e-1111-4222-8333-444455556666"
    assert client.vapi("PATCH", f"/phone-number/{missing}", {"name": "x"})[0] == 404
    st, _, _, deleted = client.vapi("DELETE", f"/phone-number/{vid}")
    assert st == 200 and deleted["id"] == vid and deleted["name"] == "New"
    assert client.vapi("GET", f"/phone-number/{vid}")[0] == 404
    assert client.vapi("DELETE", f"/phone-number/{vid}")[0] == 404
    assert [n["id"] for n in fake.vapi_numbers()] == [tid]


def test_unknown_routes(fake, client):
    st, _, _, body = client.vapi("PUT", "/phone-number")
    assert st == 404 and body["message"] == "Cannot PUT /phone-number"
    st, _, _, body = client.twilio(f"/2010-04-01/Accounts/{fake.account_sid}/Calls.json")
    assert st == 404 and body["code"] == 20404


# --------------------------------------------------------------------------- faults


def test_fault_delay(fake, client):
    fake.add_faults([{"kind": "delay", "ms": 300, "provider": "vapi", "path": "/phone-number"}])
    t = time.monotonic()
    assert client.vapi("GET", "/phone-number")[0] == 200
    assert time.monotonic() - t >= 0.29
    t = time.monotonic()
    assert client.vapi("GET", "/phone-number")[0] == 200
    assert time.monotonic() - t < 0.2


def test_fault_status_429_both_providers(fake, client):
    fake.fault("status", status=429, provider="vapi", times=2)
    for _ in range(2):
        st, hdr, _, body = client.vapi("GET", "/phone-number")
        assert st == 429 and hdr["retry-after"] == "1"
        assert body["statusCode"] == 429
    assert client.vapi("GET", "/phone-number")[0] == 200
    fake.fault("status", status=429, provider="twilio", retry_after="3")
    st, hdr, _, body = client.twilio(tw_list_path(fake))
    assert st == 429 and hdr["retry-after"] == "3"
    assert body == {"code": 20429, "message": "Too Many Requests",
                    "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}
    fake.fault("status", status=429, provider="twilio", retry_after=None)
    st, hdr, _, _ = client.twilio(tw_list_path(fake))
    assert st == 429 and "retry-after" not in hdr
    fake.fault("status", status=503, body={"custom": True}, headers={"X-Extra": "1"})
    st, hdr, _, body = client.vapi("GET", "/phone-number")
    assert st == 503 and body == {"custom": True} and hdr["x-extra"] == "1"


def test_fault_status_with_perform(fake, client):
    fake.fault("status", status=500, method="POST", perform=True)
    st, _, _, body = client.vapi("POST", "/phone-number", {"provider": "vapi", "numberDesiredAreaCode": "415"})
    assert st == 500 and body == {"statusCode": 500, "message": "Internal server error"}
    assert len(fake.vapi_numbers()) == 1  # the operation happened anyway


def _request_bytes(fake, method="GET", path="/phone-number", body=None):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: Bearer {fake.vapi_key}"]
    data = b""
    if body is not None:
        data = json.dumps(body).encode()
        lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


def test_fault_reset_sends_rst(fake, client):
    fake.fault("reset", provider="vapi")
    with pytest.raises(ConnectionResetError):
        raw_exchange(fake.port, _request_bytes(fake))
    fake.fault("reset")
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
        client.vapi("GET", "/phone-number")
    assert client.vapi("GET", "/phone-number")[0] == 200  # http.client reconnects
    recs = fake.requests()
    assert [r["fault"] for r in recs] == ["reset", "reset", None]
    assert recs[0]["status"] is None


def test_fault_garbage(fake, client):
    fake.fault("garbage", provider="twilio")
    st, hdr, raw, parsed = client.twilio(tw_list_path(fake))
    assert st == 200 and parsed is None and raw
    with pytest.raises(ValueError):
        json.loads(raw)


def test_fault_truncate(fake, client):
    fake.seed(vapi=20)
    fake.fault("truncate", path="/phone-number")
    with pytest.raises(http.client.IncompleteRead):
        client.vapi("GET", "/phone-number")
    assert client.vapi("GET", "/phone-number")[0] == 200


def test_fault_lose_reply_performs_operation(fake, client):
    fake.fault("lose_reply", method="POST", path="/phone-number")
    with pytest.raises(ConnectionResetError):
        raw_exchange(fake.port, _request_bytes(fake, "POST", "/phone-number",
                                               {"provider": "vapi", "numberDesiredAreaCode": "415"}))
    assert len(fake.vapi_numbers()) == 1  # created, but the client never heard
    rec = fake.requests(method="POST")[0]
    assert rec["fault"] == "lose_reply" and rec["json"]["numberDesiredAreaCode"] == "415"


def test_fault_matching_rules(fake, client):
    fake.seed(twilio=120)
    # second page only (regex on the full target), provider filter, skip
    fake.fault("status", status=500, provider="twilio", path_regex=r"PageToken=")
    fake.fault("status", status=502, provider="vapi", skip=1)
    assert client.vapi("GET", "/phone-number")[0] == 200  # skipped once
    assert client.vapi("GET", "/phone-number")[0] == 502
    _, _, _, p0 = client.twilio(tw_list_path(fake))
    assert client.twilio(p0["next_page_uri"])[0] == 500
    assert client.twilio(p0["next_page_uri"])[0] == 200
    assert fake.faults() == []
    fake.fault("status", status=500, times=None, method="DELETE")
    assert len(fake.faults()) == 1 and client.vapi("GET", "/phone-number")[0] == 200
    fake.clear_faults()
    assert fake.faults() == []
    with pytest.raises(Exception):
        fake.fault("explode")


# --------------------------------------------------------------------------- control API over HTTP


def test_control_api_over_http(fake, client):
    assert control(fake, "POST", "/__control/reset") == (200, {"ok": True})
    st, cfg = control(fake, "POST", "/__control/config", {"vapiKey": "k2", "authToken": "tok2"})
    assert st == 200 and cfg["vapiKey"] == "k2" and cfg["authToken"] == "tok2"
    assert client.vapi("GET", "/phone-number", key="k2")[0] == 200
    assert control(fake, "POST", "/__control/config", {"nope": 1})[0] == 400

    st, summary = control(fake, "POST", "/__control/seed",
                          {"vapi": 3, "twilio": 10, "twilioNonVoiceEvery": 5, "importedFraction": 0.5})
    assert st == 200 and summary["twilio"] == {"added": 10, "total": 10, "nonVoice": 2}
    assert len(summary["imported"]) == 4 and summary["vapi"]["added"] == 7
    tw = fake.twilio_numbers()
    free = [r for r in tw if r["capabilities"]["voice"] and r["phone_number"] not in summary["imported"]][0]
    st, summary = control(fake, "POST", "/__control/seed",
                          {"vapi": [{"name": "Explicit", "provider": "vapi"}],
                           "twilio": [{"phone_number": "+14155550123", "friendly_name": "Custom"}],
                           "imported": [free["sid"]]})
    assert st == 200 and summary["imported"] == [free["phone_number"]]
    st, state = control(fake, "GET", "/__control/state")
    assert st == 200 and len(state["vapi"]) == 9 and len(state["twilio"]) == 11
    assert any(n.get("name") == "Explicit" for n in state["vapi"])
    assert state["vapi"][0]["createdAt"] >= state["vapi"][-1]["createdAt"]
    imported = [n for n in state["vapi"] if n["provider"] == "twilio"]
    assert len(imported) == 5 and all(n["twilioAuthToken"] == "tok2" for n in imported)

    st, q = control(fake, "POST", "/__control/fault", {"kind": "status", "status": 429, "provider": "vapi"})
    assert st == 200 and q["queued"][0]["kind"] == "status"
    assert control(fake, "GET", "/__control/faults")[1]["faults"][0]["status"] == 429
    assert control(fake, "POST", "/__control/fault", {"kind": "nope"})[0] == 400
    assert client.vapi("GET", "/phone-number?limit=2", key="k2")[0] == 429

    control(fake, "POST", "/__control/requests/clear")
    client.vapi("POST", "/phone-number", {"provider": "vapi", "numberDesiredAreaCode": "212"}, key="k2",
                headers={"X-Trace": "abc"})
    client.twilio(tw_list_path(fake, "PageSize=5"), password="tok2")
    st, reqs = control(fake, "GET", "/__control/requests")
    assert st == 200 and reqs["count"] == 2
    post, tget = reqs["requests"]
    assert post["method"] == "POST" and post["path"] == "/phone-number" and post["provider"] == "vapi"
    assert post["headers"]["authorization"] == "Bearer k2" and post["headers"]["x-trace"] == "abc"
    assert json.loads(post["body"]) == post["json"] == {"provider": "vapi", "numberDesiredAreaCode": "212"}
    assert post["status"] == 201 and post["fault"] is None and isinstance(post["time"], float)
    assert tget["query"] == {"PageSize": "5"} and tget["body"] == "" and tget["json"] is None
    _, only_tw = control(fake, "GET", "/__control/requests?provider=twilio")
    assert only_tw["count"] == 1
    control(fake, "POST", "/__control/requests/clear")
    assert control(fake, "GET", "/__control/requests")[1]["count"] == 0
    control(fake, "POST", "/__control/config", {"maxRecordedRequests": 2})
    for _ in range(4):
        client.vapi("GET", "/phone-number?limit=1", key="k2")
    assert [r["seq"] for r in fake.requests()] == [r["seq"] for r in fake.requests()][-2:] and len(fake.requests()) == 2
    assert control(fake, "GET", "/__control/health") == (200, {"ok": True})


def test_keep_alive_and_chunked_body(fake, client):
    for _ in range(5):
        assert client.vapi("GET", "/phone-number?limit=1")[0] == 200
    sock = client.conn.sock
    assert client.vapi("GET", "/phone-number?limit=1")[0] == 200
    assert client.conn.sock is sock  # same TCP connection reused
    # chunked request body
    client.conn.putrequest("POST", "/phone-number")
    client.conn.putheader("Authorization", f"Bearer {fake.vapi_key}")
    client.conn.putheader("Content-Type", "application/json")
    client.conn.putheader("Transfer-Encoding", "chunked")
    client.conn.endheaders()
    data = json.dumps({"provider": "vapi", "numberDesiredAreaCode": "646"}).encode()
    for part in (data[:10], data[10:]):
        client.conn.send(b"%x\r\n%s\r\n" % (len(part), part))
    client.conn.send(b"0\r\n\r\n")
    resp = client.conn.getresponse()
    assert resp.status == 201 and json.loads(resp.read())["number"].startswith("+1646")


def test_listing_10000_is_fast(fake, client):
    fake.seed(vapi=10000)
    t = time.monotonic()
    n, page = 0, 1
    while True:
        _, _, _, body = client.vapi("GET", f"/v2/phone-number?page={page}&limit=100")
        n += len(body["results"])
        if not body["metadata"]["hasNextPage"]:
            break
        page += 1
    assert n == 10000
    assert time.monotonic() - t < 5.0


# --------------------------------------------------------------------------- CLI


def test_cli_ready_port_file_log_and_sigterm(tmp_path):
    port_file = tmp_path / "port"
    log_file = tmp_path / "fake.log"
    proc = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "fake_upstream.py"), "--port", "0", "--port-file", str(port_file),
         "--seed-vapi", "5", "--seed-twilio", "4", "--imported-fraction", "0.5", "--log-file", str(log_file),
         "--auth-token", "cli-secret-token-1234"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        m = re.match(r"^READY (\d+)\n$", line)
        assert m, line
        port = int(m.group(1))
        assert int(port_file.read_text().strip()) == port
        fake = type("F", (), {"port": port, "vapi_key": FakeUpstream().vapi_key, "account_sid": DEFAULT_ACCOUNT_SID,
                              "auth_token": "cli-secret-token-1234",
                              "url": lambda self, p: f"http://127.0.0.1:{port}{p}"})()
        c = Client(fake)
        st, _, _, items = c.vapi("GET", "/phone-number")
        assert st == 200 and len(items) == 7 and any(i["provider"] == "twilio" for i in items)
        st, _, _, env = c.twilio(f"/2010-04-01/Accounts/{DEFAULT_ACCOUNT_SID}/IncomingPhoneNumbers.json")
        assert st == 200 and len(env["incoming_phone_numbers"]) == 4
        c.close()
        st, state = control(fake, "GET", "/__control/state")
        assert st == 200 and state["counts"] == {"vapi": 7, "twilio": 4}
        control(fake, "POST", "/__control/reset", {"reseed": True})
        assert control(fake, "GET", "/__control/state")[1]["counts"] == {"vapi": 7, "twilio": 4}
        # The fake writes a log line after it has sent the reply: wait for the second one.
        deadline = time.time() + 10
        while len(log_file.read_text().splitlines()) < 2 and time.time() < deadline:
            time.sleep(0.01)
        log = log_file.read_text()
        assert len(log.splitlines()) == 2
        assert "cli-secret-token-1234" in json.loads(log.splitlines()[0])["responseBody"]
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert out == ""  # nothing but the READY line ever reaches stdout


@pytest.mark.parametrize("path_entry,module", [(HERE, "fake_upstream"), (os.path.dirname(HERE), "fake_upstream")])
def test_importable_both_ways(path_entry, module):
    code = ("import sys; sys.path.insert(0, %r); from %s import FakeUpstream; "
            "f = FakeUpstream(seed_vapi=2).start(); import urllib.request as u; "
            "r = u.urlopen(f.url('/__control/state')); print(r.status); f.stop()") % (path_entry, module)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and out.stdout.strip() == "200", out.stderr

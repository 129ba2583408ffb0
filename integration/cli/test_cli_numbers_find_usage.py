"""`switchboard numbers find`, the `numbers list` filters, `numbers usage` and bulk `numbers release`:
each on the same service methods as `switchboard call` (getNumber {number}, listNumbers filters,
getUsage, deleteNumbers), checked against the fake upstream."""
import re

from cli_support import error_json

WINDOW = ["--since", "2026-10-01", "--until", "2026-11-01"]
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def table(text: str) -> list[list[str]]:
    return [re.split(r"\s{2,}", line.strip()) for line in text.splitlines() if line.strip()]


def test_find_keeps_the_exact_number_among_near_matches(creds, fake):
    fake.seed(vapi=[{"number": "+14155550123", "name": "exact"},
                    {"number": "+141555501234", "name": "longer"},
                    {"number": "+16505550199", "name": "ops 14155550123"}])
    expected = creds.call("getNumber", {"number": "+14155550123"})
    assert expected["name"] == "exact"
    assert creds.json("numbers", "find", "+14155550123", "--json") == expected, "--json is exactly the RPC result"
    rows = table(creds.ok("numbers", "find", "+14155550123"))
    assert rows[0][:2] == ["NUMBER", "NAME"] and len(rows) == 2 and rows[1][:2] == ["+14155550123", "exact"]

    missing = creds("numbers", "find", "+1415555012", "--json")  # a prefix of all three: none equal
    assert missing.returncode == 66 and error_json(missing)["data"]["kind"] == "notFound"
    text = creds("numbers", "find", "+19995550000")
    assert text.returncode == 66 and text.stdout == b"" and text.stderr.decode().startswith("switchboard: ")
    bad = creds("numbers", "find", "4155550123", "--json")
    assert bad.returncode == 65 and error_json(bad)["data"]["field"] == "/number"


def test_list_filters_are_the_listnumbers_filters(creds, fake):
    fake.seed(vapi=[
        {"provider": "vapi", "number": "+14155550001", "name": "Sales", "status": "active", "assistantId": "asst-1"},
        {"provider": "vapi", "number": "+16285550002", "name": "Support", "status": "activating", "assistantId": "asst-2"},
        {"provider": "twilio", "number": "+14155550003", "name": "Main line", "status": "active"},
        {"provider": "vapi", "number": "+12125550004", "name": "NY desk", "status": "blocked", "assistantId": "asst-1"},
    ])
    cases = [
        (["--search", "555000"], {"search": "555000"}),
        (["--provider", "twilio"], {"provider": "twilio"}),
        (["--area-code", "415"], {"areaCode": "415"}),
        (["--assistant", "asst-1"], {"assistantId": "asst-1"}),
        (["--status", "active", "--provider", "vapi"], {"status": "active", "provider": "vapi"}),
    ]
    for args, params in cases:
        expected = creds.call("listNumbers", params)
        assert creds.json("numbers", "list", *args, "--json") == expected, args
        rows = table(creds.ok("numbers", "list", *args))
        assert [r[0] for r in rows[1:]] == [n["number"] for n in expected["numbers"]], args
    assert sorted(r[0] for r in table(creds.ok("numbers", "list", "--assistant", "asst-1"))[1:]) == [
        "+12125550004", "+14155550001"]
    assert creds.ok("numbers", "list", "--area-code", "212", "--status", "active") == "No number matches these filters.\n"
    bad = creds("numbers", "list", "--status", "gone", "--json")
    assert bad.returncode == 65 and error_json(bad)["data"]["field"] == "/status"


def test_usage_table_json_cache_and_exit_statuses(creds, fake):
    fake.seed(vapi=[{"number": "+14155550111", "name": "Sales"}, {"number": "+16285550222", "name": "Support"}])
    by_number = {v["number"]: v for v in fake.state()["vapi"]}
    sales, support = by_number["+14155550111"], by_number["+16285550222"]
    fake.seed_calls(sales["id"], 9, since="2026-10-01T00:00:00Z", until="2026-10-31T00:00:00Z")
    fake.seed_calls(support["id"], 4, since="2026-10-01T00:00:00Z", until="2026-10-31T00:00:00Z")

    fake.clear_requests()
    result = creds.json("numbers", "usage", sales["id"], support["id"], *WINDOW, "--json")
    assert set(result) == {"usage", "since", "until", "requests"}
    assert (result["since"], result["until"]) == ("2026-10-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z")
    assert [(u["id"], u["calls"]) for u in result["usage"]] == [(sales["id"], 9), (support["id"], 4)]
    assert result["requests"] == len(fake.requests(provider="vapi", method="GET", path="/call")) >= 2
    assert not any(u["fromCache"] for u in result["usage"])

    # the same as `switchboard call getUsage`, answered from the cache this time (no request to Vapi)
    fake.clear_requests()
    params = {"since": "2026-10-01T00:00:00Z", "until": "2026-11-01T00:00:00Z", "maxAgeSeconds": 3600}
    rpc = creds.call("getUsage", params)
    cli = creds.json("numbers", "usage", *WINDOW, "--max-age", "3600", "--json")
    strip = lambda r: [{k: v for k, v in u.items() if k != "syncedAt"} for u in r["usage"]]  # noqa: E731
    assert strip(cli) == strip(rpc) and all(u["fromCache"] for u in cli["usage"])
    assert fake.requests(provider="vapi", method="GET", path="/call") == []

    # the table joins listNumbers: number and name beside each usage row
    out = creds("numbers", "usage", *WINDOW, "--max-age", "3600")
    assert out.returncode == 0, out.stderr
    rows = table(out.stdout.decode())
    assert rows[0][:3] == ["NUMBER", "NAME", "CALLS"] and "MINUTES" in rows[0] and "COST USD" in rows[0]
    shown = {r[0]: r for r in rows[1:]}
    assert shown["+14155550111"][1:3] == ["Sales", "9"] and shown["+16285550222"][1:3] == ["Support", "4"]
    assert "requests to Vapi" in out.stderr.decode()

    bad = creds("numbers", "usage", "--since", "2026-11-02", "--until", "2026-11-01", "--json")
    assert bad.returncode == 65 and error_json(bad)["data"]["field"] == "/until"
    fake.fault("status", provider="vapi", method="GET", path="/call", status=400, times=None)
    refused = creds("numbers", "usage", sales["id"], "--since", "2026-09-01", "--until", "2026-11-01", "--json")
    assert refused.returncode == 84 and error_json(refused)["data"]["kind"] == "usage.refused"


def test_bulk_release_wrong_then_right_typed_text(creds, fake):
    fake.seed(vapi=4)
    ids = [v["id"] for v in fake.state()["vapi"][:3]]
    numbers = [v["number"] for v in fake.state()["vapi"][:3]]
    fake.clear_requests()
    wrong = creds("numbers", "release", *ids, stdin="release 2 numbers\n")
    assert wrong.returncode == 65
    err = wrong.stderr.decode()
    assert 'Type "release 3 numbers"' in err and "nothing was released" in err
    assert all(n in err for n in numbers), "the numbers are shown before the question"
    assert fake.requests(method="DELETE") == [], "nothing sent on a wrong answer"

    right = creds("numbers", "release", *ids, stdin="release 3 numbers\n")
    assert right.returncode == 0, right.stderr
    rows = table(right.stdout.decode())
    assert rows[0][:3] == ["ID", "NUMBER", "RESULT"]
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [(i, n, "released") for i, n in zip(ids, numbers)]
    assert "3 released, 0 failed" in right.stderr.decode()
    assert [d["path"] for d in fake.requests(method="DELETE")] == [f"/phone-number/{i}" for i in ids]


def test_bulk_release_with_confirm_option_reports_each_id(creds, fake):
    fake.seed(vapi=3)
    ids = [v["id"] for v in fake.state()["vapi"][:2]]
    fake.clear_requests()
    wrong = creds("numbers", "release", *ids, "--confirm", "release 3 numbers", "--json")
    assert wrong.returncode == 65 and error_json(wrong)["data"]["field"] == "/confirm"
    assert fake.requests(method="DELETE") == []

    result = creds("numbers", "release", ids[0], UNKNOWN_ID, ids[1], "--confirm", "release 3 numbers", "--json")
    assert result.returncode == 66, "not zero: one id failed, with the status of its class (notFound)"
    body = __import__("json").loads(result.stdout)
    assert (body["released"], body["failed"]) == (2, 1)
    assert [r["ok"] for r in body["results"]] == [True, False, True]
    assert len(fake.requests(method="DELETE")) == 3

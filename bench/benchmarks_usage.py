"""Lookup and usage benchmarks: `getNumber {number}` on a 10,000-number account, and `getUsage` for
100 numbers with 50,000 calls, cold and cached, against the fake upstream (its own process).

Baselines in the same run: for the lookup, what a client without `search` must do (list the whole
account with `listNumbers` and filter); for usage, the bare HTTP floor of the same `GET /call`
requests (`curl`, one keep-alive connection, nothing parsed).
"""
from __future__ import annotations

import atexit
import shutil
import subprocess
import time
import urllib.parse

from benchmarks_numbers import FakeUpstreamProcess, fake_credentials
from harness import Context, Proc, Result, RpcClient, benchmark, fmt, now_ns, ns_to_ms, percentile

SECTION = "Lookup and usage"
BENCHMARKS: list = []

N_NUMBERS = 10_000
USAGE_NUMBERS = 100
CALLS_PER_NUMBER = 500       # 50,000 calls in all
DAY_MS = 86_400_000


def _requests(fake: FakeUpstreamProcess, path: str) -> list[dict]:
    return fake.control("/__control/requests?" + urllib.parse.urlencode({"provider": "vapi", "path": path}))["requests"]


def _clear(fake: FakeUpstreamProcess):
    fake.control("/__control/requests/clear", {})


def _switchboard(ctx: Context, fake: FakeUpstreamProcess, vapi_key: str):
    home = ctx.new_home()
    env = ctx.env(home, {"SWITCHBOARD_VAPI_BASE_URL": fake.base_url, "SWITCHBOARD_TWILIO_BASE_URL": fake.base_url})
    proc = Proc.start([str(ctx.binary)], env=env, home=home, stderr_path=home.with_suffix(".stderr"))
    rpc = RpcClient(proc)
    rpc.call("setCredentials", {"vapiPrivateKey": vapi_key})
    return proc, rpc


def _timed(rpc: RpcClient, method: str, params) -> tuple[float, object]:
    t0 = now_ns()
    result = rpc.call(method, params)
    return ns_to_ms(now_ns() - t0), result


@benchmark(BENCHMARKS, "number_lookup", "getNumber {number} on a 10,000-number account")
def number_lookup(ctx: Context) -> Result:
    vapi_key, _, _ = fake_credentials()
    fake = FakeUpstreamProcess(ctx, ["--seed-vapi", str(N_NUMBERS)])
    atexit.register(fake.stop)
    try:
        numbers = [v["number"] for v in fake.control("/__control/state")["vapi"] if v.get("number")]
        runs = ctx.pick(30, 8)
        step = max(1, len(numbers) // runs)
        targets = numbers[::step][:runs]
        proc, rpc = _switchboard(ctx, fake, vapi_key)
        with proc:
            rpc.call("getNumber", {"number": targets[0]})  # warm-up: connection, store
            lookup_ms, lookup_reqs = [], []
            for number in targets:
                _clear(fake)
                ms, got = _timed(rpc, "getNumber", {"number": number})
                if got["number"] != number:
                    raise AssertionError(f"getNumber returned {got['number']} for {number}")
                lookup_ms.append(ms)
                lookup_reqs.append(len(_requests(fake, "/v2/phone-number")))
            listing_ms, listing_reqs = [], []
            for _ in range(ctx.pick(5, 2)):
                _clear(fake)
                ms, listed = _timed(rpc, "listNumbers", {})
                if listed["count"] != N_NUMBERS:
                    raise AssertionError(f"listNumbers counted {listed['count']}")
                listing_ms.append(ms)
                listing_reqs.append(len(_requests(fake, "/v2/phone-number")))
            rss = proc.status_kib("VmHWM")
    finally:
        fake.stop()
    med, p90 = percentile(lookup_ms, 50), percentile(lookup_ms, 90)
    base = percentile(listing_ms, 50)
    r = Result(description=(
        f"One switchboard process, {N_NUMBERS:,} Vapi numbers in the fake account. `getNumber {{number}}` for "
        f"{len(targets)} numbers spread over the account (one warm-up first): Vapi has no exact number filter, so it "
        "searches `/v2/phone-number?search=<digits>` and keeps the exact match. Baseline, same process and fake: "
        "what a client must do without `search` — `listNumbers` (all 10 pages of 1000) and filter."))
    r.table(["Way", "Median ms", "p90 ms", "Requests per lookup"], [
        ["`getNumber {number}` (search on the digits)", fmt(med), fmt(p90), f"{max(lookup_reqs)}"],
        ["baseline: `listNumbers` then filter", fmt(base), fmt(percentile(listing_ms, 90)), f"{max(listing_reqs)}"],
    ])
    r.target("getNumber {number} on 10,000 numbers (median)", f"{med:.1f} ms, {max(lookup_reqs)} request", "1 request",
             max(lookup_reqs) == 1)
    r.note(f"Peak RSS of the switchboard process over the run: {rss / 1024:.1f} MiB.")
    r.note("The fake's `search` scans its 10,000 numbers in Python for each request; most of the lookup time is the "
           "fake's, and Vapi's own search speed is unknown.")
    r.data = {"lookup_ms": lookup_ms, "lookup_requests": lookup_reqs, "listing_ms": listing_ms,
              "listing_requests": listing_reqs, "vmhwm_kib": rss}
    return r


def _floor_ms(fake: FakeUpstreamProcess, vapi_key: str, urls: list[str], ctx: Context) -> float | None:
    curl = shutil.which("curl")
    if not curl or not urls:
        return None
    config = ctx.tmp_path("usage-floor.curl")
    lines = [f'header = "Authorization: Bearer {vapi_key}"', 'header = "Accept: application/json"']
    for url in urls:
        lines += [f'url = "{url}"', 'output = "/dev/null"']
    config.write_text("\n".join(lines) + "\n")
    t0 = now_ns()
    subprocess.run([curl, "-s", "-K", str(config)], check=True)
    return ns_to_ms(now_ns() - t0)


@benchmark(BENCHMARKS, "usage_100_numbers", "getUsage for 100 numbers with 50,000 calls, cold and cached")
def usage_100_numbers(ctx: Context) -> Result:
    vapi_key, _, _ = fake_credentials()
    per_number = ctx.pick(CALLS_PER_NUMBER, 100)
    fake = FakeUpstreamProcess(ctx, ["--seed-vapi", str(USAGE_NUMBERS)])
    atexit.register(fake.stop)
    rows, data = [], {}
    try:
        ids = [v["id"] for v in fake.control("/__control/state")["vapi"]]
        now = int(time.time() * 1000)
        since = now - 30 * DAY_MS
        t0 = time.monotonic()
        for pid in ids:
            fake.control("/__control/calls", {"phoneNumberId": pid, "count": per_number, "oddEvery": 97,
                                              "since": _iso(since), "until": _iso(now - 1000)})
        ctx.log(f"seeded {per_number * len(ids):,} calls in {time.monotonic() - t0:.1f} s")
        params = {"ids": ids, "since": _iso(since)}
        runs = ctx.pick(3, 1)
        cold, warm, fresh = [], [], []
        cold_reqs = refresh_reqs = cached_reqs = 0
        floor_urls: list[str] = []
        rss = 0
        for _ in range(runs):
            proc, rpc = _switchboard(ctx, fake, vapi_key)
            with proc:
                _clear(fake)
                ms, out = _timed(rpc, "getUsage", params)
                cold.append(ms)
                reqs = _requests(fake, "/call")
                cold_reqs = len(reqs)
                floor_urls = [fake.base_url + r["target"] for r in reqs]
                total = sum(u["calls"] for u in out["usage"])
                if total < per_number * len(ids) * 0.95:
                    raise AssertionError(f"getUsage counted {total} calls")
                _clear(fake)
                ms, out = _timed(rpc, "getUsage", params)
                warm.append(ms)
                refresh_reqs = len(_requests(fake, "/call"))
                _clear(fake)
                ms, out = _timed(rpc, "getUsage", {**params, "until": out["until"], "maxAgeSeconds": 3600})
                fresh.append(ms)
                cached_reqs = len(_requests(fake, "/call"))
                rss = max(rss, proc.status_kib("VmHWM"))
        floor = _floor_ms(fake, vapi_key, floor_urls, ctx)
    finally:
        fake.stop()
    rows = [
        ["cold (empty cache)", fmt(percentile(cold, 50)), f"{cold_reqs}"],
        ["incremental refresh (cache, `maxAgeSeconds` 0)", fmt(percentile(warm, 50)), f"{refresh_reqs}"],
        ["cached (`maxAgeSeconds` 3600)", fmt(percentile(fresh, 50)), f"{cached_reqs}"],
    ]
    if floor is not None:
        rows.append(["floor: `curl` fetching the cold run's `GET /call` URLs, unparsed", fmt(floor), f"{cold_reqs}"])
    r = Result(description=(
        f"{len(ids)} numbers × {per_number} calls ({len(ids) * per_number:,} calls, every 97th schema-odd) over 30 days "
        "in the fake; `getUsage {ids, since}` on a fresh store (cold), again at once (incremental: only calls updated "
        "since), and again with `maxAgeSeconds` (answered from the store). Median of "
        f"{len(cold)} fresh processes; up to 4 numbers are read at once."))
    r.table(["Run", "Median ms", "`GET /call` requests"], rows)
    r.target("getUsage 100 numbers / 50,000 calls, cached", f"{percentile(fresh, 50):.1f} ms, {cached_reqs} requests",
             "0 requests", cached_reqs == 0)
    r.target("getUsage incremental refresh", f"{refresh_reqs} requests", "≤ 1 per number", refresh_reqs <= len(ids))
    r.note(f"Peak RSS of the switchboard process: {rss / 1024:.1f} MiB (each page of 500 calls is ~0.4 MB of JSON; "
           "real calls with transcripts are larger).")
    r.data = {"cold_ms": cold, "refresh_ms": warm, "cached_ms": fresh, "cold_requests": cold_reqs,
              "refresh_requests": refresh_reqs, "cached_requests": cached_reqs, "floor_ms": floor, "vmhwm_kib": rss,
              "calls": len(ids) * per_number}
    return r


def _iso(ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000)) + f".{ms % 1000:03d}Z"

"""Vault benchmarks: what the credential store costs at start-up and per request.

- cold start: spawn → reply to `getCredentialStatus` with an existing store, with an empty home
  (the first use creates `switchboard.sqlite` and `master.key`), and spawn → `ping` (no store
  access) with the same existing store, so the store's share is visible;
- throughput: `getCredentialStatus` pipelined on one process and its sequential round trip
  (beside `ping` on the same process); `setCredentials` (each one a durable SQLite transaction)
  the same way, with the number of fsyncs each costs when `strace` is available.
"""
from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import threading

import perf_profile
from harness import (gc_paused, PAGE, Context, Proc, Result, RpcClient, benchmark, fmt, fmt_int, own_cpu_seconds, ns_to_ms,
                     ns_to_us, now_ns, percentile, summarize)
from spawn_call import mount_of, timed_call

SECTION = "Vault"
BENCHMARKS: list = []

# Well-formed values of the fake upstream's kind (no real account); the store only checks the format.
CREDENTIALS = {
    "vapiPrivateKey": "vapi-bench-private-key-0b5e9d1c-7a2f-4c3e-9e8d-5f6a7b8c9d0e",
    "twilioAccountSid": "AC0123456789abcdef0123456789abcdef",
    "twilioAuthToken": "0123456789abcdef0123456789abcdef",
    "transferPhoneNumber": "+14155550100",
}


def line(id, method, params=None) -> bytes:
    msg = {"jsonrpc": "2.0", "id": id, "method": method}
    if params is not None:
        msg["params"] = params
    return json.dumps(msg, separators=(",", ":")).encode() + b"\n"


def store_home(ctx: Context):
    """A home whose store holds all four fields of profile `default` (set by one process that is
    then stopped). Made once per run."""
    if "vault_store_home" in ctx.shared:
        return ctx.shared["vault_store_home"]
    home = ctx.new_home()
    with ctx.spawn(home) as p:
        status = RpcClient(p).call("setCredentials", CREDENTIALS)
        if p.stop() != 0:
            raise RuntimeError(f"switchboard exited non-zero: {p.stderr_tail()}")
    if not (status["vapi"]["configured"] and status["twilio"]["configured"]):
        raise AssertionError(f"setCredentials did not configure both providers: {status}")
    for name in ("switchboard.sqlite", "master.key"):
        if not (home / name).exists():
            raise AssertionError(f"{name} missing from the prepared home")
    ctx.shared["vault_store_home"] = home
    return home


def check_status(reply: bytes, id: int, configured: bool):
    msg = json.loads(reply)
    result = msg.get("result")
    if msg.get("id") != id or not result or result.get("profile") != "default" \
            or result["vapi"]["configured"] != configured or result["twilio"]["configured"] != configured:
        raise AssertionError(f"unexpected getCredentialStatus reply: {reply[:300]!r}")


# ---------------------------------------------------------------------------------------------
# 1. cold start
# ---------------------------------------------------------------------------------------------
@benchmark(BENCHMARKS, "vault_cold_start", "Cold start with the credential store")
def vault_cold_start(ctx: Context) -> Result:
    runs, warmups = ctx.pick(30, 10), 3
    home = store_home(ctx)
    status_req, ping_req = line(1, "getCredentialStatus"), line(1, "ping")
    argv = [str(ctx.binary)]
    cases = {
        "existing": "existing store → `getCredentialStatus`",
        "empty": "empty home → `getCredentialStatus` (creates the store and `master.key`)",
        "ping": "existing store → `ping` (the store is not opened)",
    }
    first = {k: [] for k in cases}
    exits = {k: [] for k in cases}
    for i in range(warmups + runs):
        for name in cases:   # interleaved, so drift hits all three alike
            h = ctx.new_home() if name == "empty" else home
            with gc_paused():
                run = timed_call(argv, ctx.env(h), ping_req if name == "ping" else status_req,
                                 h.with_suffix(".stderr"), bufsize=65536)
            if name == "ping":
                if json.loads(run["reply"]) != {"jsonrpc": "2.0", "id": 1, "result": {}}:
                    raise AssertionError(f"unexpected ping reply {run['reply'][:200]!r}")
            else:
                check_status(run["reply"], 1, configured=(name == "existing"))
            if name == "empty" and not ((h / "master.key").exists() and (h / "switchboard.sqlite").exists()):
                raise AssertionError("the first use did not create switchboard.sqlite and master.key")
            if i >= warmups:
                first[name].append(ns_to_ms(run["wall_ns"]))
                exits[name].append(ns_to_ms(run["exit_ns"]))
    ctx.log(f"{runs} runs each after {warmups} warm-ups")

    s = {k: summarize(v) for k, v in first.items()}
    e = {k: summarize(v) for k, v in exits.items()}
    fs = mount_of(home)
    r = Result(description=(
        "Time from `subprocess.Popen` to the complete reply line of one request written right after the spawn. "
        "*Existing store*: one home prepared beforehand by a process that ran `setCredentials` (all four fields) and "
        "exited; each run opens it (WAL-mode SQLite via GRDB, migrations checked, master key read and verified) and "
        "decrypts the four fields. *Empty home*: a fresh empty `SWITCHBOARD_HOME` each run, so the request creates "
        "`switchboard.sqlite` (schema migrations) and a new `master.key`. *`ping`*: the same existing store, but `ping` "
        f"never opens it: spawn and engine only. {runs} runs after {warmups} warm-ups, interleaved. Homes are on "
        f"{fs}."))
    rows = []
    for name, label in cases.items():
        x = s[name]
        rows.append([label, x["n"], fmt(x["min"]), fmt(x["median"]), fmt(x["p90"]), fmt(x["max"])])
    r.table(["Case", "Runs", "Min ms", "Median ms", "p90 ms", "Max ms"], rows)
    r.table(["Case", "Median ms", "p90 ms", "Max ms"],
            [[label, fmt(e[n]["median"]), fmt(e[n]["p90"]), fmt(e[n]["max"])] for n, label in cases.items()],
            title="Close stdin → exit (informational, same runs; includes the store's checkpoint and close)")
    open_cost = s["existing"]["median"] - s["ping"]["median"]
    create_cost = s["empty"]["median"] - s["ping"]["median"]
    r.table(["What the store costs", "Median ms"], [
        ["opening an existing store + reading one profile (existing − `ping`)", fmt(open_cost)],
        ["creating the store + `master.key` on first use (empty − `ping`)", fmt(create_cost)],
    ])
    r.target("spawn → getCredentialStatus, existing store (median)", f"{s['existing']['median']:.2f} ms",
             "none set (the issue gives no Vault target)", None)
    r.target("store's share of a cold start (existing store − ping)", f"{open_cost:.2f} ms",
             "none set", None)
    r.note("Engine's spawn → `ping` (section Engine) uses a fresh empty home; the `ping` row here uses the "
           "existing store's home, which `ping` never opens, so it is the same measure.")
    r.data = {"first_reply_ms": s, "exit_after_eof_ms": e, "open_cost_ms": open_cost, "create_cost_ms": create_cost,
              "filesystem": fs, "raw_ms": first}
    return r


# ---------------------------------------------------------------------------------------------
# 2. throughput and round trips
# ---------------------------------------------------------------------------------------------
def pipelined(proc: Proc, payload: bytes, n: int) -> dict:
    """One thread writes the pre-encoded requests; this thread reads 1 MiB chunks and counts
    newlines. requests/s = n ÷ (first write → last reply)."""
    t0_box = [0]

    def writer():
        t0_box[0] = now_ns()
        proc.send(payload)

    chunks, count = [], 0
    cpu0, own0 = proc.cpu_seconds(), own_cpu_seconds()
    thread = threading.Thread(target=writer, daemon=True)
    with gc_paused():
        thread.start()
        while count < n:
            chunk = os.read(proc.out_fd, PAGE)
            if not chunk:
                raise EOFError(f"stdout closed after {count} of {n} replies: {proc.stderr_tail()!r}")
            chunks.append(chunk)
            count += chunk.count(b"\n")
        t1 = now_ns()
    thread.join()
    elapsed = t1 - t0_box[0]
    return {"n": n, "elapsed_ns": elapsed, "rps": n / (elapsed / 1e9), "server_cpu_s": proc.cpu_seconds() - cpu0,
            "harness_cpu_s": own_cpu_seconds() - own0, "data": b"".join(chunks)}


def verify_replies(data: bytes, first_id: int, n: int, check) -> None:
    lines = data.split(b"\n")
    if lines.pop() != b"" or len(lines) != n:
        raise AssertionError(f"{len(lines)} reply lines for {n} requests")
    seen = bytearray(n)
    for raw in lines:
        msg = json.loads(raw)
        id = msg.get("id")
        if type(id) is not int or not first_id <= id < first_id + n or seen[id - first_id]:
            raise AssertionError(f"unexpected or repeated id in {raw[:200]!r}")
        seen[id - first_id] = 1
        if "result" not in msg:
            raise AssertionError(f"error reply {raw[:300]!r}")
        check(msg["result"])


def status_ok(result):
    if result["profile"] != "default" or not result["vapi"]["configured"] or not result["twilio"]["configured"]:
        raise AssertionError(f"unexpected status {result}")


def set_ok(result):
    if result["profile"] != "default" or not result["fields"]["transferPhoneNumber"]["set"]:
        raise AssertionError(f"unexpected setCredentials result {result}")


def set_payload(first_id: int, n: int) -> bytes:
    # Each request really changes the stored value (alternating transfer numbers).
    return b"".join(line(i, "setCredentials", {"transferPhoneNumber": f"+1415555{i % 10_000:04d}"})
                    for i in range(first_id, first_id + n))


def round_trips(proc: Proc, requests: dict, count: int, warmups: int) -> dict:
    """Sequential round trips on one process, alternating between the request kinds of `requests`
    ({name: (bytes, check)}) so drift hits them alike. Returns {name: [µs...]}."""
    out = {name: [] for name in requests}
    ids = 1_000_000
    with gc_paused():
        for i in range(warmups + count):
            for name, (template, check) in requests.items():
                ids += 1
                payload = template.replace(b'"id":0', b'"id":%d' % ids, 1)
                t0 = now_ns()
                proc.send(payload)
                reply = proc.read_line()
                t1 = now_ns()
                if i < warmups or i % 97 == 0:
                    msg = json.loads(reply)
                    if msg.get("id") != ids or "result" not in msg:
                        raise AssertionError(f"unexpected reply {reply[:200]!r}")
                    check(msg["result"])
                if i >= warmups:
                    out[name].append(ns_to_us(t1 - t0))
    return out


def fsyncs_per_request(ctx: Context, payload: bytes, n: int, home) -> float | None:
    """`strace -f -c` counting fsync/fdatasync over `switchboard < payload`; None without strace."""
    strace = shutil.which("strace")
    if not strace:
        return None
    req_file, out_file = ctx.tmp_path("strace.requests"), ctx.tmp_path("strace.summary")
    req_file.write_bytes(payload)
    with open(req_file, "rb") as fin:
        done = subprocess.run([strace, "-f", "-c", "-e", "trace=fsync,fdatasync,sync_file_range", "-o", str(out_file),
                               str(ctx.binary)], stdin=fin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=ctx.env(home), timeout=300)
    if done.returncode != 0 or not out_file.exists():
        return None
    calls = 0
    for row in out_file.read_text().splitlines():
        parts = row.split()
        if parts and parts[-1] in ("fsync", "fdatasync", "sync_file_range") and len(parts) >= 5:
            calls += int(parts[3])
    return calls / n


def us_row(label: str, values: list[float]) -> list:
    return [label, len(values), fmt(percentile(values, 50), 1), fmt(percentile(values, 90), 1),
            fmt(percentile(values, 99), 1), fmt(max(values), 1)]


@benchmark(BENCHMARKS, "vault_throughput", "getCredentialStatus and setCredentials: throughput and round trips")
def vault_throughput(ctx: Context) -> Result:
    home = store_home(ctx)
    n, runs = ctx.pick(20_000, 2_000), ctx.pick(5, 3)
    seq = ctx.pick(2_000, 500)
    n_set, set_runs, seq_set = ctx.pick(2_000, 200), ctx.pick(3, 1), ctx.pick(300, 50)
    payload = b"".join(line(i, "getCredentialStatus") for i in range(1, n + 1))

    def one_status_run(count, data, binary=None) -> dict:
        with ctx.spawn(home, binary=binary) as p:
            p.send(line(0, "getCredentialStatus"))   # opens the store before the clock starts
            check_status(p.read_line(), 0, True)
            run = pipelined(p, data, count)
            run["vmhwm_kib"] = p.status_kib("VmHWM")
        verify_replies(run.pop("data"), 1, count, status_ok)
        return run

    one_status_run(n // 10, b"".join(line(i, "getCredentialStatus") for i in range(1, n // 10 + 1)))  # warm-up
    status_runs, base_runs = [], []
    for i in range(runs):
        status_runs.append(one_status_run(n, payload))
        if ctx.baseline:
            base_runs.append(one_status_run(n, payload, binary=ctx.baseline))
        ctx.log(f"getCredentialStatus run {i + 1}/{runs}: {status_runs[-1]['rps']:,.0f}/s")

    # sequential round trips, getCredentialStatus alternating with ping on one process
    def status_round_trips(binary=None):
        with ctx.spawn(home, binary=binary) as p:
            return round_trips(p, {"getCredentialStatus": (line(0, "getCredentialStatus"), status_ok),
                                   "ping": (line(0, "ping"), lambda res: None)}, seq, 200)
    lat = status_round_trips()
    base_lat = status_round_trips(ctx.baseline) if ctx.baseline else None

    # setCredentials: a fresh store per run (created by one untimed setCredentials)
    set_runs_out = []
    for i in range(set_runs):
        h = ctx.new_home()
        with ctx.spawn(h) as p:
            RpcClient(p).call("setCredentials", CREDENTIALS)
            run = pipelined(p, set_payload(1, n_set), n_set)
        verify_replies(run.pop("data"), 1, n_set, set_ok)
        set_runs_out.append(run)
        ctx.log(f"setCredentials run {i + 1}/{set_runs}: {run['rps']:,.0f}/s")
    h = ctx.new_home()
    with ctx.spawn(h) as p:
        RpcClient(p).call("setCredentials", CREDENTIALS)
        set_lat = round_trips(p, {"setCredentials": (line(0, "setCredentials", {"transferPhoneNumber": "+14155550199"}),
                                                     set_ok)}, seq_set, 20)
    h = ctx.new_home()
    with ctx.spawn(h) as p:
        RpcClient(p).call("setCredentials", CREDENTIALS)
    syncs_set = fsyncs_per_request(ctx, set_payload(1, 200), 200, h)
    syncs_get = fsyncs_per_request(ctx, b"".join(line(i, "getCredentialStatus") for i in range(1, 201)), 200, home)

    rps = sorted(x["rps"] for x in status_runs)
    med_rps = percentile(rps, 50)
    set_rps = percentile([x["rps"] for x in set_runs_out], 50)
    nproc = len(os.sched_getaffinity(0))
    r = Result(description=(
        f"**Pipelined**: N requests (pre-encoded) written by one thread as fast as the pipe takes them while the main "
        "thread reads the replies (1 MiB reads, newlines counted, no parsing while timing); requests/s = N ÷ (first "
        "write → last reply); afterwards every id must come back once with the expected result. `getCredentialStatus`: "
        f"N = {n:,} on a process whose store (profile `default`, all four fields) is already open, median of {runs} "
        f"runs (one process each) after a warm-up of N/10. `setCredentials`: N = {n_set:,} on a fresh store, each request "
        f"changing `transferPhoneNumber`, median of {set_runs}. **Round trips**: one request written, its reply read, "
        f"repeated ({seq:,} `getCredentialStatus` alternating with `ping` on one process after 200 warm-ups; "
        f"{seq_set:,} `setCredentials` after 20). Homes are on {mount_of(home)}."))
    r.table(["Request", "N", "Runs", "Median req/s", "Best req/s", "Server CPUs busy", "Server CPU µs / request"], [
        ["`getCredentialStatus` (read: 4 AES-GCM opens + 1 SQLite read)", f"{n:,}", len(status_runs), fmt_int(med_rps),
         fmt_int(rps[-1]),
         fmt(percentile([x["server_cpu_s"] / (x["elapsed_ns"] / 1e9) for x in status_runs], 50)),
         fmt(percentile([x["server_cpu_s"] / x["n"] * 1e6 for x in status_runs], 50), 1)],
        ["`setCredentials` (one durable write transaction each)", f"{n_set:,}", len(set_runs_out), fmt_int(set_rps),
         fmt_int(max(x["rps"] for x in set_runs_out)),
         fmt(percentile([x["server_cpu_s"] / (x["elapsed_ns"] / 1e9) for x in set_runs_out], 50)),
         fmt(percentile([x["server_cpu_s"] / x["n"] * 1e6 for x in set_runs_out], 50), 1)],
    ], title="Pipelined throughput")
    r.table(["Request", "Round trips", "p50 µs", "p90 µs", "p99 µs", "Max µs"], [
        us_row("`getCredentialStatus`", lat["getCredentialStatus"]),
        us_row("`ping` (same process, alternating)", lat["ping"]),
        us_row("`setCredentials`", set_lat["setCredentials"]),
        *([us_row("`getCredentialStatus`, baseline build (`--baseline`)", base_lat["getCredentialStatus"]),
           us_row("`ping`, baseline build (same process, alternating)", base_lat["ping"])] if base_lat else []),
    ], title="Sequential round trips (one request in flight)")
    if base_runs:
        r.note(f"Baseline build (`--baseline`), same runs interleaved: `getCredentialStatus` pipelined "
               f"{percentile([x['rps'] for x in base_runs], 50):,.0f} req/s (median of {len(base_runs)}).")
    r.target("getCredentialStatus pipelined (median)", f"{med_rps:,.0f} req/s", "none set", None)
    r.target("getCredentialStatus round trip p50 / p99",
             f"{percentile(lat['getCredentialStatus'], 50):,.0f} / {percentile(lat['getCredentialStatus'], 99):,.0f} µs",
             "none set", None)
    if base_lat:
        ours, theirs = percentile(lat["getCredentialStatus"], 50), percentile(base_lat["getCredentialStatus"], 50)
        r.target("getCredentialStatus round trip p50 vs the baseline build", f"{ours:,.0f} vs {theirs:,.0f} µs",
                 "no worse (within 10 %: the runs' noise)", ours <= 1.1 * theirs)
    r.target("setCredentials pipelined (median)", f"{set_rps:,.0f} req/s", "none set", None)
    per_status = percentile(lat["getCredentialStatus"], 50) - percentile(lat["ping"], 50)
    r.note(f"The store's cost per `getCredentialStatus` round trip is about {per_status:,.0f} µs over a `ping` "
           "(p50 difference): a read transaction on a pooled SQLite reader plus four AES-256-GCM opens and the hints.")
    what = ("Each `setCredentials` is one `BEGIN IMMEDIATE` … `COMMIT` on the single SQLite writer connection, in WAL mode "
            "with `PRAGMA synchronous = FULL`, so every commit is made durable (the WAL is synced) before the reply; "
            "requests on one profile run one at a time by protocol (changes to a profile run alone, in arrival order).")
    if syncs_set is not None:
        what += (f" Measured with `strace -f -c` over 200 requests: {syncs_set:.2f} fsync/fdatasync calls per "
                 f"`setCredentials`, {syncs_get:.2f} per `getCredentialStatus`.")
    r.note(what)
    r.note(f"{nproc} CPUs. The pipelined harness (a writer and a reader thread) shares them with the server; the "
           "`Server CPUs busy` column shows how much of them the server used.")

    # Where the CPU goes in pipelined getCredentialStatus (optional, needs perf)
    ok, why = perf_profile.available_for(str(ctx.binary))
    profile = None
    if ok:
        req_file = ctx.tmp_path("status5k.jsonl")
        count = ctx.pick(5_000, 1_000)
        req_file.write_bytes(b"".join(line(i, "getCredentialStatus") for i in range(1, count + 1)))
        data_path = ctx.tmp_path("status.perf.data")
        perf_profile.record([str(ctx.binary)], ctx.env(home), data_path, stdin_path=req_file)
        profile = perf_profile.classify(data_path, perf_profile.VAULT_RULES)
        r.table(["Category (innermost matching frame)", "Share of CPU samples"],
                [[name, f"{100 * share:.1f} %"] for name, _, share in profile["categories"]],
                title=f"Where the CPU goes: `switchboard < {count:,} getCredentialStatus requests` "
                      f"(`perf record -g`, {profile['samples']:,} samples, not a timed run)")
        sched = next((s for name, _, s in profile["categories"] if "AccessScheduler" in name), 0.0)
        if sched > 0.1:
            r.note(f"**Finding:** {100 * sched:.0f} % of the CPU of pipelined `getCredentialStatus` goes to the per-profile "
                   "ordering (`JSONRPC.AccessScheduler.release`): every release copies the profile's waiter array "
                   "(`guard var queue = state.queues[key]` leaves a second reference, so `remove(at:)` copies) and "
                   "walks it, so the cost grows with the backlog of requests queued on the same profile.")
    else:
        r.note(f"No CPU profile: {why}.")

    r.data = {"status_runs": status_runs, "status_rps_median": med_rps, "set_runs": set_runs_out, "set_rps_median": set_rps,
              "round_trip_us": {k: summarize(v) for k, v in {**lat, **set_lat}.items()},
              "fsyncs_per_set": syncs_set, "fsyncs_per_status": syncs_get, "profile": profile}
    return r

"""Engine benchmarks: process start, pipelined throughput, round-trip latency, memory.

All of them use `ping` (→ `{}`), so they measure the JSON-RPC engine and the process itself,
not any upstream service. Each function is registered in BENCHMARKS and returns a Result.
"""
from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import threading
import time

from harness import (gc_paused, Context, Proc, Result, benchmark, correlation, fmt, fmt_int, fmt_mib, meets_cell,
                     ns_to_ms, ns_to_us, now_ns, own_cpu_seconds, percentile, ping_batch, summarize,
                     system_busy_seconds,
                     PAGE)

SECTION = "Engine"
BENCHMARKS: list = []

PING_1 = b'{"jsonrpc":"2.0","id":1,"method":"ping"}\n'
PING_0 = b'{"jsonrpc":"2.0","id":0,"method":"ping"}\n'

TARGET_SPAWN_MS = 5.0    # issue 20
TARGET_RPS = 120_000
TARGET_P99_US = 1000.0
TARGET_IDLE_MIB = 30.0


def cat_path() -> str:
    return shutil.which("cat") or "/bin/cat"


def expect_ping_reply(line: bytes, id: int):
    msg = json.loads(line)
    if msg != {"jsonrpc": "2.0", "id": id, "result": {}}:
        raise AssertionError(f"unexpected reply to ping {id}: {line[:200]!r}")


# ---------------------------------------------------------------------------------------------
# 1. spawn → first reply
# ---------------------------------------------------------------------------------------------
def spawn_once(argv: list[str], env: dict, stderr_path) -> tuple[int, int, bytes]:
    """Returns (ns from Popen to the reply line, ns from closing stdin to exit, reply line)."""
    with open(stderr_path, "wb") as err:
        t0 = now_ns()
        p = Proc.start(argv, env=env, stderr=err, stderr_path=stderr_path)
        try:
            os.write(p.in_fd, PING_1)
            line = p.read_line(bufsize=4096)
            t1 = now_ns()
            p.close_stdin()
            t2 = now_ns()
            p.wait_blocking()
            t3 = now_ns()
        finally:
            p.close()
    return t1 - t0, t3 - t2, line


@benchmark(BENCHMARKS, "spawn_first_reply", "Spawn → first reply")
def spawn_first_reply(ctx: Context) -> Result:
    runs, warmups = ctx.pick(30, 10), 3
    subjects = {"switchboard": [str(ctx.binary)], "cat": [cat_path()]}
    if ctx.baseline:
        subjects["switchboard, baseline build"] = [str(ctx.baseline)]
    first: dict[str, list[int]] = {k: [] for k in subjects}
    exits: dict[str, list[int]] = {k: [] for k in subjects}
    for i in range(warmups + runs):
        for name, argv in subjects.items():  # interleaved, so drift hits both alike
            home = ctx.new_home()             # a fresh, empty SWITCHBOARD_HOME per spawn
            with gc_paused():
                ns, exit_ns, line = spawn_once(argv, ctx.env(home), home.with_suffix(".stderr"))
            if name.startswith("switchboard"):
                expect_ping_reply(line, 1)
            elif line + b"\n" != PING_1:
                raise AssertionError(f"cat echoed {line!r}")
            if i >= warmups:
                first[name].append(ns)
                exits[name].append(exit_ns)
    ctx.log(f"{runs} runs each after {warmups} warm-ups")

    r = Result(description=(
        "Time from `subprocess.Popen` to reading the complete reply line of one `ping` written "
        "immediately after the spawn (fresh empty `SWITCHBOARD_HOME` each time). The `cat` row "
        "does the same with `cat` echoing the line back: the floor set by fork/exec, pipes and "
        f"the Python harness. {runs} runs after {warmups} warm-ups, interleaved."))
    def label(name):
        if name == "switchboard, baseline build":
            return f"`switchboard`, baseline build (`{ctx.baseline.name}`, `--baseline`)"
        return f"`{name}`" + (" (baseline)" if name == "cat" else "")

    rows, data = [], {}
    for name, values in first.items():
        s = summarize([ns_to_ms(v) for v in values])
        e = summarize([ns_to_ms(v) for v in exits[name]])
        data[name] = {"first_reply_ms": s, "exit_after_eof_ms": e}
        if name == "switchboard":
            target, meets = f"median ≤ {TARGET_SPAWN_MS:g} ms", s["median"] <= TARGET_SPAWN_MS
            r.target("spawn → first reply (median)", f"{s['median']:.2f} ms", target, meets)
        else:
            target, meets = "—", None
        rows.append([label(name), len(values), fmt(s["min"]), fmt(s["median"]), fmt(s["p90"]), fmt(s["max"]),
                     target, meets_cell(meets)])
    r.table(["Process", "Runs", "Min ms", "Median ms", "p90 ms", "Max ms", "Target", "Meets target?"], rows)
    r.table(["Process", "Median ms", "p90 ms", "Max ms"],
            [[label(n), fmt(d["exit_after_eof_ms"]["median"]), fmt(d["exit_after_eof_ms"]["p90"]),
              fmt(d["exit_after_eof_ms"]["max"])] for n, d in data.items()],
            title="Close stdin → process exit (informational, same runs)")
    over = data["switchboard"]["first_reply_ms"]["median"] - data["cat"]["first_reply_ms"]["median"]
    r.note(f"Switchboard's own share of the median (minus the `cat` floor): {over:.2f} ms.")
    if ctx.baseline:
        base = data["switchboard, baseline build"]["first_reply_ms"]["median"] - data["cat"]["first_reply_ms"]["median"]
        r.note(f"The baseline build's own share, same runs: {base:.2f} ms.")
    r.data = data
    return r


# ---------------------------------------------------------------------------------------------
# 2. pipelined throughput (+ pipe-to-file, + harness ceiling with a line echo)
# ---------------------------------------------------------------------------------------------
def pipelined_run(proc: Proc, payload: bytes, n: int) -> dict:
    """One writer thread writes the pre-encoded payload; this thread reads 1 MiB chunks and
    counts newlines. Returns timing, CPU and the raw reply bytes (verified by the caller)."""
    t0_box = [0]

    def writer():
        t0_box[0] = now_ns()
        proc.send(payload)

    chunks, count, fd = [], 0, proc.out_fd
    server_cpu0, own_cpu0, busy0 = proc.cpu_seconds(), own_cpu_seconds(), system_busy_seconds()
    thread = threading.Thread(target=writer, daemon=True)
    with gc_paused():
        thread.start()
        while count < n:
            chunk = os.read(fd, PAGE)
            if not chunk:
                raise EOFError(f"stdout closed after {count} of {n} replies; stderr: {proc.stderr_tail()!r}")
            chunks.append(chunk)
            count += chunk.count(b"\n")
        t1 = now_ns()
    thread.join()
    elapsed_ns = t1 - t0_box[0]
    return {
        "n": n, "elapsed_ns": elapsed_ns, "rps": n / (elapsed_ns / 1e9),
        "server_cpu_s": proc.cpu_seconds() - server_cpu0, "harness_cpu_s": own_cpu_seconds() - own_cpu0,
        "machine_busy_s": system_busy_seconds() - busy0,
        "chunks": chunks, "reads": len(chunks), "bytes_read": sum(map(len, chunks)),
    }


def verify_ping_replies(data: bytes, first_id: int, n: int) -> dict:
    """Every id first_id..first_id+n-1 exactly once, each `{"result":{}}`. Returns order facts."""
    lines = data.split(b"\n")
    if lines[-1] != b"":
        raise AssertionError("reply stream does not end with a newline")
    lines.pop()
    if len(lines) != n:
        raise AssertionError(f"{len(lines)} reply lines for {n} requests")
    seen = bytearray(n)
    out_of_order, previous = 0, first_id - 1
    loads = json.loads
    for line in lines:
        msg = loads(line)
        id = msg.get("id")
        if type(id) is not int or not first_id <= id < first_id + n:
            raise AssertionError(f"unexpected id in {line[:200]!r}")
        if seen[id - first_id]:
            raise AssertionError(f"id {id} answered twice")
        if msg.get("result") != {} or msg.get("jsonrpc") != "2.0":
            raise AssertionError(f"unexpected reply {line[:200]!r}")
        seen[id - first_id] = 1
        if id != previous + 1:
            out_of_order += 1
        previous = id
    return {"replies": n, "all_ids_once": True, "out_of_order": out_of_order}


def throughput_switchboard_once(ctx: Context, payload: bytes, n: int, binary=None) -> dict:
    with ctx.spawn(binary=binary) as p:
        p.send(PING_0)              # wait until the server answers: start-up is not timed here
        expect_ping_reply(p.read_line(), 0)
        run = pipelined_run(p, payload, n)
        run["vmhwm_kib"] = p.status_kib("VmHWM")
        run["vmrss_after_kib"] = p.status_kib("VmRSS")
        run["exit_code"] = p.stop()
    run.update(verify_ping_replies(b"".join(run.pop("chunks")), 1, n))
    return run


# An echo that writes every line with its own write(2), as a server answering one request at a
# time does (`cat` would echo 64 KiB blocks, which flatters the harness).
LINE_ECHO = ["grep", "--line-buffered", ""]


def throughput_echo_once(ctx: Context, payload: bytes, n: int) -> dict:
    home = ctx.new_home()
    with Proc.start(LINE_ECHO, env=ctx.env(home)) as p:
        run = pipelined_run(p, payload, n)
    data = b"".join(run.pop("chunks"))
    if data != payload:
        raise AssertionError(f"{LINE_ECHO[0]} did not echo the payload")
    return run


def file_to_null_once(ctx: Context, request_file, stdout=subprocess.DEVNULL) -> dict:
    """`switchboard < file > /dev/null`: Popen → exit, including start-up and exit."""
    home = ctx.new_home()
    with open(request_file, "rb") as fin, open(home.with_suffix(".stderr"), "wb") as err:
        busy0, own0 = system_busy_seconds(), own_cpu_seconds()
        t0 = now_ns()
        p = Proc.start([str(ctx.binary)], env=ctx.env(home), stdin=fin, stdout=stdout, stderr=err)
        code = p.wait_blocking()
        t1 = now_ns()
        busy, own = system_busy_seconds() - busy0, own_cpu_seconds() - own0
    if code != 0:
        raise AssertionError(f"switchboard exited {code}: {home.with_suffix('.stderr').read_text()[-2000:]}")
    ru = p.rusage
    return {"elapsed_ns": t1 - t0, "server_cpu_s": ru.ru_utime + ru.ru_stime, "maxrss_kib": ru.ru_maxrss,
            "harness_cpu_s": own, "machine_busy_s": busy}


@benchmark(BENCHMARKS, "throughput", "Pipelined throughput")
def throughput(ctx: Context) -> Result:
    n, runs = ctx.pick(200_000, 20_000), ctx.pick(5, 3)
    payload = ping_batch(1, n)
    request_file = ctx.tmp_path(f"pings-{n}.jsonl")
    request_file.write_bytes(payload)

    # warm-up (page cache, CPU frequency), not recorded
    throughput_switchboard_once(ctx, ping_batch(1, n // 10), n // 10)

    piped, to_null, echo, base = [], [], [], []
    for i in range(runs):  # interleaved so drift hits all alike
        piped.append(throughput_switchboard_once(ctx, payload, n))
        if ctx.baseline:
            base.append(throughput_switchboard_once(ctx, payload, n, binary=ctx.baseline))
        run = file_to_null_once(ctx, request_file)
        run["rps"] = n / (run["elapsed_ns"] / 1e9)
        to_null.append(run)
        echo.append(throughput_echo_once(ctx, payload, n))
        ctx.log(f"run {i + 1}/{runs}: pipelined {piped[-1]['rps']:,.0f}/s, "
                f"file→/dev/null {to_null[-1]['rps']:,.0f}/s, line echo {echo[-1]['rps']:,.0f}/s")

    # one untimed file→file run to check that the pipe-to-file figure is for complete answers
    out_file = ctx.tmp_path("file-replies.jsonl")
    with open(out_file, "wb") as fout:
        file_to_null_once(ctx, request_file, stdout=fout)
    file_check = verify_ping_replies(out_file.read_bytes(), 1, n)
    out_file.unlink()

    ctx.shared["throughput_runs"] = piped
    ctx.shared["file_runs"] = to_null

    def stats(rs):
        rates = [x["rps"] for x in rs]
        return {"median": percentile(rates, 50), "best": max(rates), "worst": min(rates), "all": rates}

    sp, sf, sc = stats(piped), stats(to_null), stats(echo)
    ok = sp["median"] >= TARGET_RPS
    r = Result(description=(
        f"N = {n:,} `ping` requests (pre-encoded, ~{len(payload) / n:.0f} bytes each) written as fast as "
        "possible by one thread while another reads the replies in 1 MiB `os.read` chunks and "
        "counts newlines. requests/s = N ÷ (first write → last reply). The server is started and "
        "answers one ping before timing starts. Afterwards every id is checked to have come back "
        f"exactly once with `{{}}`. {runs} runs (after one warm-up at N/10).\n\n"
        "Second figure, **pipe-to-file**: `switchboard < requests.jsonl > /dev/null`, N ÷ (spawn → "
        "exit), so it *includes* start-up and exit; no Python in the data path. An extra untimed "
        "run writing to a file checked that all N replies come out. Third, the **harness ceiling**: "
        "the same pipelined harness against `grep --line-buffered ''`, which echoes every request "
        "line back with its own `write(2)`: the rate the Python writer/reader sustains when the "
        "other end does next to nothing."))
    r.table(["Mode", "N", "Runs", "Median req/s", "Best req/s", "Worst req/s", "Target", "Meets target?"], [
        ["pipelined over pipes (Python writer + reader)", fmt_int(n), runs, fmt_int(sp["median"]),
         fmt_int(sp["best"]), fmt_int(sp["worst"]), f"≥ {TARGET_RPS:,} req/s", meets_cell(ok)],
        ["pipe-to-file: `switchboard < file > /dev/null`", fmt_int(n), runs, fmt_int(sf["median"]),
         fmt_int(sf["best"]), fmt_int(sf["worst"]), f"(≥ {TARGET_RPS:,} req/s)",
         meets_cell(sf["median"] >= TARGET_RPS)],
        ["harness ceiling: same harness against a line echo", fmt_int(n), runs, fmt_int(sc["median"]),
         fmt_int(sc["best"]), fmt_int(sc["worst"]), "—", "—"],
        *([[f"pipelined, baseline build (`--baseline`)", fmt_int(n), runs, fmt_int(stats(base)["median"]),
            fmt_int(stats(base)["best"]), fmt_int(stats(base)["worst"]), "no worse than this build's", "—"]]
          if base else []),
    ])
    r.target("pipelined throughput (median)", f"{sp['median']:,.0f} req/s", f"≥ {TARGET_RPS:,} req/s", ok)
    if base:
        sb_ = stats(base)["median"]
        r.target("pipelined throughput vs the baseline build (medians, same runs)",
                 f"{sp['median']:,.0f} vs {sb_:,.0f} req/s", "no worse (within 10 %: the runs' noise)",
                 sp["median"] >= 0.9 * sb_)

    def cores(rs, key):
        return percentile([x[key] / (x["elapsed_ns"] / 1e9) for x in rs], 50)

    def us_per_req(rs, key):
        return percentile([x[key] / x.get("n", n) * 1e6 for x in rs], 50)

    def per_read(rs):
        return fmt_int(percentile([x["bytes_read"] / x["reads"] for x in rs], 50))

    def other(rs):  # CPU used by the rest of the machine while the run was timed
        return percentile([max(0.0, x["machine_busy_s"] - x["server_cpu_s"] - x["harness_cpu_s"])
                           / (x["elapsed_ns"] / 1e9) for x in rs], 50)

    nproc = len(os.sched_getaffinity(0))
    r.table(["Mode", "Server CPU (cores busy)", "Harness CPU (cores busy)", "Other processes (cores busy)",
             "Server CPU µs / request", "Harness bytes per read"], [
        ["pipelined", fmt(cores(piped, "server_cpu_s")), fmt(cores(piped, "harness_cpu_s")), fmt(other(piped)),
         fmt(us_per_req(piped, "server_cpu_s")), per_read(piped)],
        ["pipe-to-file", fmt(cores(to_null, "server_cpu_s")), fmt(cores(to_null, "harness_cpu_s")) + " (waiting)",
         fmt(other(to_null)), fmt(percentile([x["server_cpu_s"] / n * 1e6 for x in to_null], 50)), "—"],
        ["line-echo ceiling", fmt(cores(echo, "server_cpu_s")) + " (grep)", fmt(cores(echo, "harness_cpu_s")),
         fmt(other(echo)), "—", per_read(echo)],
    ], title=f"Where the CPU went (medians; this machine has {nproc} CPUs; server and other CPU have 10 ms resolution)")

    r.table(["Run", "Pipelined req/s", "Server CPU s", "VmHWM MiB", "Pipe-to-file req/s", "Server CPU s",
             "Line echo req/s"],
            [[i + 1, fmt_int(p["rps"]), fmt(p["server_cpu_s"]), fmt_mib(p["vmhwm_kib"]), fmt_int(f["rps"]),
              fmt(f["server_cpu_s"]), fmt_int(c["rps"])]
             for i, (p, f, c) in enumerate(zip(piped, to_null, echo))],
            title="Every run (in the order measured)")

    busy = cores(piped, "server_cpu_s") + cores(piped, "harness_cpu_s")
    disturbed = max(other(piped), other(to_null))
    if disturbed > 0.15:
        r.note(f"⚠️ Other processes kept up to {disturbed:.2f} CPUs busy during the timed runs (median): "
               "these figures are disturbed by other load on the machine; rerun on an idle machine.")
    order = percentile([x["out_of_order"] for x in piped], 50)
    r.note(f"All {n:,} ids came back exactly once in every run (replies out of sequence: median "
           f"{order:,.0f} per run; the file run: {file_check['out_of_order']:,}).")
    if sc["median"] < 2 * sp["median"]:
        r.note(f"⚠️ The harness ceiling (line echo, {sc['median']:,.0f}/s) is less than twice the "
               "switchboard figure: the Python harness may be limiting the pipelined figure.")
    else:
        r.note(f"The harness alone sustains {sc['median']:,.0f}/s against a line echo "
               f"({sc['median'] / sp['median']:.1f}× the switchboard figure), so Python's own speed "
               "is not the limit.")
    if busy >= 0.85 * nproc:
        gap = sf["median"] / sp["median"]
        text = (f"During the pipelined runs server + harness kept {busy:.2f} of {nproc} CPUs busy, so "
                f"they compete for CPU (the harness's share: {cores(piped, 'harness_cpu_s'):.2f} CPUs). ")
        if gap > 1.15:
            text = "⚠️ " + text + (f"Without Python in the path (pipe-to-file) the server is {gap:.2f}× "
                                   "faster: on this machine the harness lowers the pipelined figure.")
        else:
            text += (f"Without Python in the path (pipe-to-file, start-up included) the median is "
                     f"{gap:.2f}× the pipelined one, so that competition does not measurably lower it.")
        r.note(text)
    rates = [x["rps"] for x in piped] + [x["rps"] for x in to_null]
    peaks = [x["vmhwm_kib"] for x in piped] + [x["maxrss_kib"] for x in to_null]
    corr = correlation(rates, peaks)
    spread = max(rates) / min(rates)
    if spread > 1.25:
        r.note(f"The runs vary by {spread:.1f}× (slowest to fastest)"
               + (f"; slow runs are the ones whose peak RSS grew most (correlation of req/s with peak "
                  f"RSS: {corr:+.2f}), i.e. the server let a larger backlog of read-but-unanswered "
                  "requests build up." if corr <= -0.5 else "."))
    r.data = {"n": n, "runs": runs, "rate_peak_rss_correlation": corr, "pipelined": sp, "pipe_to_file": sf, "line_echo_ceiling": sc,
              "pipelined_runs": piped, "pipe_to_file_runs": to_null, "line_echo_runs": echo,
              "file_check": file_check, "nproc": nproc}
    return r


# ---------------------------------------------------------------------------------------------
# 3. round-trip latency, unloaded
# ---------------------------------------------------------------------------------------------
def round_trips(proc: Proc, first_id: int, count: int) -> tuple[list[int], list[bytes]]:
    requests = [b'{"jsonrpc":"2.0","id":%d,"method":"ping"}\n' % i for i in range(first_id, first_id + count)]
    times, lines = [], []
    fd, read_line = proc.in_fd, proc.read_line
    with gc_paused():
        for req in requests:
            t0 = now_ns()
            os.write(fd, req)
            line = read_line(4096)
            times.append(now_ns() - t0)
            lines.append(line)
    return times, lines


@benchmark(BENCHMARKS, "latency", "Round-trip latency, unloaded")
def latency(ctx: Context) -> Result:
    n, warm = ctx.pick(5_000, 1_000), 200
    with ctx.spawn() as p:
        round_trips(p, 1, warm)
        sb_times, lines = round_trips(p, warm + 1, n)
    for i, line in enumerate(lines):
        expect_ping_reply(line, warm + 1 + i)
    with Proc.start([cat_path()], env=ctx.env(ctx.new_home())) as p:
        round_trips(p, 1, warm)
        cat_times, _ = round_trips(p, warm + 1, n)

    sb = summarize([ns_to_us(t) for t in sb_times])
    ct = summarize([ns_to_us(t) for t in cat_times])
    ok = sb["p99"] <= TARGET_P99_US
    r = Result(description=(
        f"{n:,} sequential `ping` round trips on one process (write one request, block until its "
        f"reply line is read), after {warm} warm-ups. Python GC is off inside the loop. The `cat` "
        "row is the same loop against `cat`: the pipe + harness floor."))
    r.table(["Process", "Round trips", "p50 µs", "p90 µs", "p99 µs", "Max µs", "Target", "Meets target?"], [
        ["`switchboard`", fmt_int(n), fmt(sb["median"], 1), fmt(sb["p90"], 1), fmt(sb["p99"], 1),
         fmt(sb["max"], 1), f"p99 ≤ {TARGET_P99_US:,.0f} µs", meets_cell(ok)],
        ["`cat` (baseline)", fmt_int(n), fmt(ct["median"], 1), fmt(ct["p90"], 1), fmt(ct["p99"], 1),
         fmt(ct["max"], 1), "—", "—"],
    ])
    r.target("round trip p99, unloaded", f"{sb['p99']:,.1f} µs", f"≤ {TARGET_P99_US:,.0f} µs", ok)
    r.note(f"Switchboard's own share of the p50 (minus the `cat` floor): {sb['median'] - ct['median']:,.1f} µs. "
           "The `cat` floor is mostly the cost of waking a blocked process (on a virtual machine it "
           "moves with the host's state), so compare the two rows, not runs on different days.")
    r.note(f"Throughput implied by one-at-a-time calls: {1e6 / sb['mean']:,.0f} calls/s (mean {sb['mean']:,.1f} µs).")
    r.data = {"switchboard_us": sb, "cat_us": ct, "warmups": warm}
    return r


# ---------------------------------------------------------------------------------------------
# 4. idle RSS
# ---------------------------------------------------------------------------------------------
@benchmark(BENCHMARKS, "idle_rss", "Idle memory (RSS)")
def idle_rss(ctx: Context) -> Result:
    runs, pings = ctx.pick(3, 1), 100
    samples = []
    for _ in range(runs):
        with ctx.spawn() as p:
            time.sleep(1.0)
            s = {"start_rss_kib": p.status_kib("VmRSS"), "start_hwm_kib": p.status_kib("VmHWM")}
            for i in range(1, pings + 1):
                p.send(b'{"jsonrpc":"2.0","id":%d,"method":"ping"}\n' % i)
                expect_ping_reply(p.read_line(), i)
            time.sleep(1.0)
            s["after_rss_kib"] = p.status_kib("VmRSS")
            s["after_hwm_kib"] = p.status_kib("VmHWM")
            samples.append(s)

    def med(key):
        return percentile([s[key] for s in samples], 50)

    rows, r = [], Result(description=(
        f"VmRSS from `/proc/<pid>/status` 1 s after spawn with no request, then after {pings} "
        f"sequential pings and 1 s idle; VmHWM (peak so far) alongside. """
        + (f"Median of {runs} processes." if runs > 1 else "One process.")))
    for label, rss, hwm in (("1 s after start, no requests", "start_rss_kib", "start_hwm_kib"),
                            (f"after {pings} pings + 1 s idle", "after_rss_kib", "after_hwm_kib")):
        mib = med(rss) / 1024
        ok = mib <= TARGET_IDLE_MIB
        rows.append([label, f"{mib:.1f}", fmt_mib(med(hwm)), f"≤ {TARGET_IDLE_MIB:g} MiB", meets_cell(ok)])
        r.target(f"idle RSS, {label}", f"{mib:.1f} MiB", f"≤ {TARGET_IDLE_MIB:g} MiB", ok)
    r.table(["State", "VmRSS MiB", "VmHWM MiB", "Target", "Meets target?"], rows)
    r.data = {"runs": samples, "pings": pings}
    return r


# ---------------------------------------------------------------------------------------------
# 5. peak RSS during the throughput run
# ---------------------------------------------------------------------------------------------
@benchmark(BENCHMARKS, "peak_rss", "Peak memory under pipelined load")
def peak_rss(ctx: Context) -> Result:
    piped = ctx.shared.get("throughput_runs")
    files = ctx.shared.get("file_runs", [])
    reused = piped is not None
    if not reused:  # run on its own (--only peak_rss): measure a few pipelined runs
        n = ctx.pick(200_000, 20_000)
        payload = ping_batch(1, n)
        piped = [throughput_switchboard_once(ctx, payload, n) for _ in range(ctx.pick(3, 1))]
    n = piped[0]["n"]
    hwm = [x["vmhwm_kib"] for x in piped]
    after = [x["vmrss_after_kib"] for x in piped]
    r = Result(description=(
        f"VmHWM (the kernel's peak-RSS mark) read from `/proc/<pid>/status` right after the last of "
        f"N = {n:,} pipelined replies arrived, before stdin is closed"
        + (" — the same processes as the throughput runs above." if reused else ".")))
    rows = [["pipelined over pipes: VmHWM", len(piped), fmt_mib(percentile(hwm, 50)), fmt_mib(max(hwm))],
            ["pipelined over pipes: VmRSS just after the last reply", len(piped),
             fmt_mib(percentile(after, 50)), fmt_mib(max(after))]]
    # No pipe-to-file row: `ru_maxrss` from wait4 includes the harness's own resident pages from
    # before the child's exec on Linux, so it would overstate the server's peak several times over.
    r.table(["Measure", "Runs", "Median MiB", "Max MiB"], rows)
    r.note("No target is set for peak RSS; compare with the idle figure above to see what a burst of "
           "pipelined requests costs in buffering.")
    r.data = {"n": n, "vmhwm_kib": hwm, "vmrss_after_kib": after,
              "pipe_to_file_maxrss_kib": [x["maxrss_kib"] for x in files]}
    return r

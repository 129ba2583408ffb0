"""Numbers benchmarks: `listTwilio` and `listNumbers` over 10,000 numbers against the fake upstream.

Beside Switchboard: the official Python SDKs doing the same listing against the same fake (a fresh
interpreter each time, `bench/sdk_listing.py`), and the floor: a bare HTTP client (`curl`, one
keep-alive connection) fetching the same page URLs without parsing them (`bench/floor_fetch.py`).
Own cost = wall time − floor. The fake runs as a separate process (`integration/fake_upstream`), never
inside the harness, so the harness's GIL does not slow it.
"""
from __future__ import annotations

import atexit
import json
import os
import re
import resource
import select
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import floor_fetch
import perf_profile
from harness import (BENCH_DIR, PAGE, ROOT, Context, CpuLoad, Proc, Result, RpcClient, benchmark, fmt, fmt_mib, meets_cell,
                     now_ns, ns_to_ms, own_cpu_seconds, percentile, proc_cpu_seconds, summarize, system_busy_seconds)
from spawn_call import timed_call, timed_run

SECTION = "Numbers"
BENCHMARKS: list = []

FAKE_SCRIPT = ROOT / "integration" / "fake_upstream" / "fake_upstream.py"
N_TWILIO = 10_000            # Twilio numbers in the fake account, all voice-capable
N_VAPI = 10_000              # Vapi numbers in total ...
N_IMPORTED = 1_000           # ... of which this many are imported Twilio numbers (provider "twilio")
TWILIO_ONLY = "twilio-only"  # a profile without a Vapi key: listTwilio lists Twilio alone
TARGET_OWN_RATIO = 1 / 6     # issue 20: Switchboard's own cost ≤ a sixth of the SDK's, quiet and loaded
TARGET_RSS_KIB = 40 * 1024   # issue 20: peak RSS ≤ 40 MiB
SDK_VENV = "sdk-venv"        # under bench/out (git-ignored)
SDK_PACKAGES = {"twilio": "twilio", "vapi": "vapi_server_sdk"}


def req(id, method, params=None) -> bytes:
    msg = {"jsonrpc": "2.0", "id": id, "method": method}
    if params is not None:
        msg["params"] = params
    return json.dumps(msg, separators=(",", ":")).encode() + b"\n"


# ---------------------------------------------------------------------------------------------
# The fake upstream, as its own process
# ---------------------------------------------------------------------------------------------
class FakeUpstreamProcess:
    def __init__(self, ctx: Context, args: list[str]):
        self.log_path = ctx.tmp_path("fake_upstream.stderr")
        self._err = open(self.log_path, "wb")
        self.popen = subprocess.Popen([sys.executable, str(FAKE_SCRIPT), "--port", "0", *args],
                                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._err)
        deadline, line = time.monotonic() + 180, b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or self.popen.poll() is not None:
                self.stop()
                raise RuntimeError(f"fake upstream did not start: {self.log_path.read_text()[-2000:]}")
            ready, _, _ = select.select([self.popen.stdout], [], [], min(left, 1.0))
            if ready:
                byte = os.read(self.popen.stdout.fileno(), 1)
                if not byte:
                    continue
                line += byte
        m = re.match(rb"READY (\d+)", line)
        if not m:
            self.stop()
            raise RuntimeError(f"unexpected first line from the fake: {line!r}")
        self.port = int(m.group(1))
        self.base_url = f"http://127.0.0.1:{self.port}"

    def control(self, path: str, body=None, method: str | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method or ("POST" if data else "GET"),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def stop(self):
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._err.close()


def fake_credentials() -> tuple[str, str, str]:
    sys.path.insert(0, str(FAKE_SCRIPT.parent))
    try:
        from fake_upstream import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_VAPI_KEY
    finally:
        sys.path.remove(str(FAKE_SCRIPT.parent))
    return DEFAULT_VAPI_KEY, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN


def fixture(ctx: Context) -> dict:
    """One fake (10,000 Twilio + 10,000 Vapi numbers), one switchboard home with its credentials,
    the page URLs of both listings and the `curl` configs; made once per run."""
    if "numbers_fixture" in ctx.shared:
        return ctx.shared["numbers_fixture"]
    vapi_key, sid, token = fake_credentials()
    t0 = time.monotonic()
    fake = FakeUpstreamProcess(ctx, [
        "--seed-twilio", str(N_TWILIO), "--twilio-non-voice-every", "0",             # all voice-capable
        "--seed-vapi", str(N_VAPI - N_IMPORTED), "--imported-fraction", str(N_IMPORTED / N_TWILIO)])
    atexit.register(fake.stop)
    ctx.log(f"fake upstream on port {fake.port} (seeded in {time.monotonic() - t0:.1f} s)")
    config = fake.control("/__control/config")
    base = fake.base_url

    home = ctx.new_home()
    env = ctx.env(home, {"SWITCHBOARD_VAPI_BASE_URL": base, "SWITCHBOARD_TWILIO_BASE_URL": base})
    with Proc.start([str(ctx.binary)], env=env, stderr_path=home.with_suffix(".stderr")) as p:
        rpc = RpcClient(p)
        rpc.call("setCredentials", {"vapiPrivateKey": vapi_key, "twilioAccountSid": sid, "twilioAuthToken": token})
        rpc.call("setCredentials", {"profile": TWILIO_ONLY, "twilioAccountSid": sid, "twilioAuthToken": token})

    twilio = floor_fetch.twilio_page_urls(base, sid, token, 1000)
    vapi = floor_fetch.vapi_page_urls(base, vapi_key, 1000)
    if twilio["items"] != N_TWILIO or twilio["voice"] != N_TWILIO:
        raise AssertionError(f"fake lists {twilio['items']} Twilio numbers ({twilio['voice']} voice), expected {N_TWILIO}")
    if vapi["items"] != N_VAPI:
        raise AssertionError(f"fake lists {vapi['items']} Vapi numbers, expected {N_VAPI}")
    tw_cfg, va_cfg = ctx.tmp_path("floor-twilio.curl"), ctx.tmp_path("floor-vapi.curl")
    floor_fetch.write_curl_config(tw_cfg, twilio["urls"], user=f"{sid}:{token}", headers=["Accept: application/json"])
    floor_fetch.write_curl_config(va_cfg, vapi["urls"], headers=[f"Authorization: Bearer {vapi_key}", "Accept: application/json"])
    for name, info in (("twilio", twilio), ("vapi", vapi)):
        url_file = ctx.tmp_path(f"floor-{name}.urls")
        url_file.write_text("\n".join(info["urls"]) + "\n")
        info["url_file"] = url_file
    fx = {
        "fake": fake, "base": base, "home": home, "env": env, "vapi_key": vapi_key, "sid": sid, "token": token,
        "twilio": twilio, "vapi": vapi, "twilio_curl": tw_cfg, "vapi_curl": va_cfg,
        "curl": shutil.which("curl"), "strict_paging": config.get("twilioStrictPaging"),
    }
    ctx.shared["numbers_fixture"] = fx
    return fx


# ---------------------------------------------------------------------------------------------
# The SDKs: found, or installed into bench/out/sdk-venv (never required)
# ---------------------------------------------------------------------------------------------
def _can_import(python: str, module: str) -> bool:
    try:
        return subprocess.run([python, "-c", f"import {module}"], capture_output=True, timeout=120).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def sdk_python(ctx: Context, module: str) -> tuple[str | None, str]:
    """An interpreter that can `import module` (twilio, vapi): bench/out/sdk-venv, else this
    python3, else a new bench/out/sdk-venv with `pip install` of the package. (None, reason) if
    none can be had; the benchmark then reports the SDK rows as unavailable."""
    key = f"sdk_python_{module}"
    if key in ctx.shared:
        return ctx.shared[key]
    venv = BENCH_DIR / "out" / SDK_VENV
    venv_python = venv / "bin" / "python"
    found: tuple[str | None, str]
    if venv_python.exists() and _can_import(str(venv_python), module):
        found = (str(venv_python), f"{venv_python.relative_to(ROOT) if venv_python.is_relative_to(ROOT) else venv_python}")
    elif _can_import(sys.executable, module):
        found = (sys.executable, sys.executable)
    else:
        package = SDK_PACKAGES[module]
        ctx.log(f"installing {package} into {venv} (pip) for the SDK comparison")
        try:
            if not venv_python.exists():
                subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
            pip = subprocess.run([str(venv_python), "-m", "pip", "install", "-q", package],
                                 capture_output=True, timeout=900)
            if pip.returncode != 0:
                raise RuntimeError(pip.stderr.decode(errors="replace").strip()[-300:])
            found = (str(venv_python), f"{venv_python} (installed now)") if _can_import(str(venv_python), module) \
                else (None, f"`pip install {package}` did not make `import {module}` work")
        except Exception as error:  # noqa: BLE001 - the SDK comparison is optional
            found = (None, f"could not install {package}: {error}")
    ctx.shared[key] = found
    return found


def sdk_env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith(("SWITCHBOARD_", "TWILIO_", "VAPI_"))}


# ---------------------------------------------------------------------------------------------
# One measurement of each subject
# ---------------------------------------------------------------------------------------------
def run_switchboard(ctx: Context, fx: dict, request: bytes, check=None, args=(), binary=None) -> dict:
    home = fx["home"]
    run = timed_call([str(binary or ctx.binary), *args], fx["env"], request, home.with_suffix(".stderr"))
    reply = run.pop("reply")
    run["reply_bytes"] = len(reply) + 1
    t0 = now_ns()
    msg = json.loads(reply)
    run["parse_ns"] = now_ns() - t0          # json.loads of the reply, in the harness (not timed above)
    if "error" in msg:
        raise RuntimeError(f"switchboard answered an error: {msg['error']}")
    if check:
        check(msg["result"])
    return run


def check_twilio(expect_vapi_checked: bool, expect_imported: int):
    def check(result):
        numbers = result["numbers"]
        if result["count"] != N_TWILIO or len(numbers) != N_TWILIO:
            raise AssertionError(f"listTwilio gave count {result['count']}, {len(numbers)} numbers; expected {N_TWILIO}")
        if len({n["sid"] for n in numbers}) != N_TWILIO:
            raise AssertionError("listTwilio repeated a SID")
        if result["vapiChecked"] != expect_vapi_checked:
            raise AssertionError(f"vapiChecked is {result['vapiChecked']}")
        imported = sum(1 for n in numbers if n["imported"])
        if imported != expect_imported:
            raise AssertionError(f"{imported} numbers marked imported, expected {expect_imported}")
    return check


def check_numbers(result):
    numbers = result["numbers"]
    if result["count"] != N_VAPI or len(numbers) != N_VAPI or len({n["id"] for n in numbers}) != N_VAPI:
        raise AssertionError(f"listNumbers gave count {result['count']}, {len(numbers)} numbers; expected {N_VAPI} distinct")


def run_floor(ctx: Context, fx: dict, which: str) -> dict:
    """`curl -K` fetching the pages of `which` (twilio|vapi) over one connection, output discarded."""
    info = fx[which]
    if fx["curl"]:
        run = timed_run(floor_fetch.curl_argv(fx["curl"], fx[f"{which}_curl"]), None, ctx.tmp_path("curl.stderr"))
        lines = run["stdout"].decode().split()
        codes, connects, sizes = lines[0::3], lines[1::3], lines[2::3]
        if run["exit_code"] != 0 or len(codes) != len(info["urls"]) or any(c != "200" for c in codes):
            raise RuntimeError(f"curl floor failed: exit {run['exit_code']}, {run['stdout'][:300]!r}")
        run["connections"] = sum(int(c) for c in connects)
        run["bytes"] = sum(int(float(s)) for s in sizes)
    else:  # fallback: a bare Python keep-alive client, reading bodies without parsing them
        headers = ([f"Authorization: {floor_fetch.twilio_auth_header(fx['sid'], fx['token'])}"] if which == "twilio"
                   else [f"Authorization: Bearer {fx['vapi_key']}"])
        run = timed_run([sys.executable, str(BENCH_DIR / "floor_fetch.py"), str(info["url_file"]), *headers], None,
                        ctx.tmp_path("floor.stderr"))
        rows = [line.split() for line in run["stdout"].decode().splitlines()]
        if run["exit_code"] != 0 or len(rows) != len(info["urls"]) or any(r[0] != "200" for r in rows):
            raise RuntimeError(f"python floor failed: {run['stdout'][:300]!r}")
        run["connections"] = 1
        run["bytes"] = sum(int(r[1]) for r in rows)
    if run["bytes"] != info["bytes"]:
        raise AssertionError(f"floor fetched {run['bytes']} bytes, the walk saw {info['bytes']}")
    run.pop("stdout", None)
    return run


def run_floor_both(ctx: Context, fx: dict) -> dict:
    """Both listings' pages at once (two curl processes started together): the floor for a
    listTwilio that also lists Vapi."""
    if not fx["curl"]:
        a, b = run_floor(ctx, fx, "twilio"), run_floor(ctx, fx, "vapi")
        return {"wall_ns": max(a["wall_ns"], b["wall_ns"])}
    with open(ctx.tmp_path("curl.stderr"), "ab") as err:
        t0 = now_ns()
        procs = [Proc.start(floor_fetch.curl_argv(fx["curl"], fx[f"{w}_curl"]), stdin=subprocess.DEVNULL, stderr=err)
                 for w in ("twilio", "vapi")]
        outs = [p.read_to_eof() for p in procs]
        codes = [p.wait_blocking() for p in procs]
        t1 = now_ns()
        for p in procs:
            p.close()
    if any(codes) or any(line.split()[0] != "200" for out in outs for line in out.decode().splitlines()):
        raise RuntimeError("curl floor (both) failed")
    return {"wall_ns": t1 - t0}


def run_sdk(ctx: Context, fx: dict, python: str, which: str) -> dict:
    argv = [python, str(BENCH_DIR / "sdk_listing.py"), which, fx["base"]]
    argv += [fx["sid"], fx["token"], "1000"] if which == "twilio" else [fx["vapi_key"], "1000"]
    run = timed_run(argv, sdk_env(), ctx.tmp_path(f"sdk-{which}.stderr"), until_line=True)
    if run["exit_code"] != 0:
        raise RuntimeError(f"{which} SDK listing failed: {ctx.tmp_path(f'sdk-{which}.stderr').read_text()[-1500:]}")
    out = json.loads(run.pop("stdout").splitlines()[0])
    expected = N_TWILIO if which == "twilio" else N_VAPI
    if out["count"] != expected:
        raise AssertionError(f"{which} SDK listed {out['count']} numbers, expected {expected}")
    run.update(sdk=out, vmhwm_kib=out.get("vmhwm_kib") or float("nan"))
    return run


def measure(ctx: Context, subjects: dict, runs: int, warmups: int, sparse: dict | None = None) -> dict:
    """Runs each subject `warmups + runs` times, interleaved (drift hits all alike). `sparse`:
    {name: n} for slow subjects measured only in the first n recorded iterations."""
    sparse = sparse or {}
    out: dict = {name: [] for name in subjects}
    load = BackgroundLoad(ctx)
    for i in range(warmups + runs):
        done = []
        for name, fn in subjects.items():
            if name in sparse and (i < warmups or i - warmups >= sparse[name]):
                continue
            run = fn()
            done.append(f"{name} {ns_to_ms(run['wall_ns']):.0f} ms")
            if i >= warmups:
                out[name].append(run)
        ctx.log(f"iteration {i + 1}/{warmups + runs}" + (" (warm-up)" if i < warmups else "") + ": " + ", ".join(done))
    out["_background_cpus"] = load.cpus()
    return out


class BackgroundLoad:
    """How many CPUs processes other than the harness, its (waited-for) children and the fake kept
    busy on average since creation: /proc/stat busy time minus getrusage(SELF), getrusage(CHILDREN)
    and the fake's /proc/<pid>/stat. CPU times, unlike ru_maxrss, are not inherited over exec."""

    def __init__(self, ctx: Context):
        self.fake_pid = ctx.shared["numbers_fixture"]["fake"].popen.pid if "numbers_fixture" in ctx.shared else None
        self.t0, self.snap0 = time.monotonic(), self._snap()

    def _snap(self) -> tuple[float, float, float, float]:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            fake = proc_cpu_seconds(self.fake_pid) if self.fake_pid else 0.0
        except (OSError, ValueError):
            fake = 0.0
        return system_busy_seconds(), own_cpu_seconds(), children.ru_utime + children.ru_stime, fake

    def cpus(self) -> float:
        busy, own, children, fake = (b - a for a, b in zip(self.snap0, self._snap()))
        return max(0.0, busy - own - children - fake) / max(1e-9, time.monotonic() - self.t0)


def background_note(r: Result, cpus: float):
    text = f"Other processes kept {cpus:.2f} CPUs busy on average during these runs (from /proc/stat, minus the harness, its children and the fake)."
    if cpus > 0.2:
        text += " **That is enough to disturb the figures: rerun on an idle machine (`--wait-idle`).**"
    r.note(text)


def med(runs: list, key: str = "wall_ns", scale=ns_to_ms) -> float:
    return percentile([scale(r[key]) for r in runs], 50) if runs else float("nan")


def mib(kib: float) -> str:
    return fmt_mib(kib) if kib == kib else "n/a"


def stats_row(label: str, what: str, runs: list, floor_ms: float | None) -> list:
    s = summarize([ns_to_ms(r["wall_ns"]) for r in runs])
    rss = percentile([r["vmhwm_kib"] for r in runs], 50) if runs and "vmhwm_kib" in runs[0] else float("nan")
    own = "—" if floor_ms is None else fmt(s["median"] - floor_ms, 0)
    return [label, what, len(runs), fmt(s["median"], 0), fmt(s["min"], 0), fmt(s["max"], 0), mib(rss), own]


STATS_HEADERS = ["Subject", "What it does", "Runs", "Median ms", "Min ms", "Max ms", "Peak RSS MiB (VmHWM, median)",
                 "Own cost ms (median − floor)"]


# ---------------------------------------------------------------------------------------------
# listTwilio
# ---------------------------------------------------------------------------------------------

def compare_with_sdk(r: Result, method: str, sdk_name: str, sdk_runs: list, sb: float, sb_rss: int, floor: float,
                     digits: int):
    """Records the issue's two targets for `method` against an SDK's runs (own cost = wall − HTTP floor)
    and returns the SDK figures: (wall ms, peak RSS KiB, own cost ms of Switchboard and of the SDK, ratio,
    SDK import ms, SDK listing ms)."""
    sdk_ms = med(sdk_runs)
    sdk_rss = percentile([x["vmhwm_kib"] for x in sdk_runs], 50)
    own_sb, own_sdk = sb - floor, sdk_ms - floor
    ratio = own_sb / own_sdk if own_sdk > 0 else float("inf")
    r.target(f"{method} own cost vs {sdk_name} (time − HTTP floor)",
             f"{own_sb:,.0f} ms vs {own_sdk:,.0f} ms (×{ratio:.{digits}f})", "≤ ⅙ of the SDK's (×0.17)",
             ratio <= TARGET_OWN_RATIO)
    r.target(f"{method} peak RSS vs {sdk_name}", f"{mib(sb_rss)} MiB vs {mib(sdk_rss)} MiB",
             f"≤ {TARGET_RSS_KIB // 1024} MiB and less than the SDK's", sb_rss <= TARGET_RSS_KIB and sb_rss < sdk_rss)
    imports = med(sdk_runs, "sdk", lambda s: s["import_ms"])
    lists = med(sdk_runs, "sdk", lambda s: s["list_ms"])
    return sdk_ms, sdk_rss, own_sb, own_sdk, ratio, imports, lists


def loaded_phase(ctx: Context, r: Result, method: str, sdk_name: str, subjects: dict, digits: int,
                 sdk_runs: int | None = None) -> dict:
    """Measures `sb`, `floor`, `sdk` (and `sb_baseline`) again while `CpuLoad` keeps every CPU busy
    with a busy loop, and records the own-cost target under that load. Returns the loaded figures."""
    keep = {k: v for k, v in subjects.items() if k in ("sb", "floor", "sdk", "sb_baseline")}
    runs = ctx.pick(5, 2)
    with CpuLoad() as load:
        ctx.log(f"{method}: measuring again with {load.count} busy-loop processes")
        m = measure(ctx, keep, runs, 1, sparse={"sdk": sdk_runs} if sdk_runs else None)
    floor, sb = med(m["floor"]), med(m["sb"])
    sb_rss = percentile([x["vmhwm_kib"] for x in m["sb"]], 50)
    rows = [stats_row("**Switchboard**, loaded", f"the same `{method}`", m["sb"], floor)]
    if "sb_baseline" in m:
        rows.append(stats_row("Switchboard baseline build, loaded", f"the same `{method}`", m["sb_baseline"], floor))
    out = {"busy_loops": load.count, "floor_ms": floor, "sb_ms": sb, "sb_rss_kib": sb_rss}
    if m.get("sdk"):
        sdk = med(m["sdk"])
        own_sb, own_sdk = sb - floor, sdk - floor
        ratio = own_sb / own_sdk if own_sdk > 0 else float("inf")
        sdk_label = sdk_name.removeprefix("the ").removesuffix("'s")
        rows.append(stats_row(f"{sdk_label}, loaded", "the same listing", m["sdk"], floor))
        r.target(f"{method} own cost vs {sdk_name}, loaded machine ({load.count} busy loops, one per CPU)",
                 f"{own_sb:,.0f} ms vs {own_sdk:,.0f} ms (×{ratio:.{digits}f})", "≤ ⅙ of the SDK's (×0.17)",
                 ratio <= TARGET_OWN_RATIO)
        out.update(sdk_ms=sdk, own_sb_ms=own_sb, own_sdk_ms=own_sdk, ratio=ratio)
    rows.append(stats_row("HTTP floor, loaded", "the same pages", m["floor"], None))
    r.table(STATS_HEADERS, rows, title=f"On a loaded machine: {load.count} busy-loop processes (one per CPU) "
            f"run beside every subject; {runs} runs after 1 warm-up, interleaved")
    return out

@benchmark(BENCHMARKS, "list_twilio", "listTwilio over 10,000 numbers: Switchboard, the twilio SDK, the HTTP floor")
def list_twilio(ctx: Context) -> Result:
    fx = fixture(ctx)
    runs, warmups = ctx.pick(10, 3), 1
    sdk, sdk_where = sdk_python(ctx, "twilio")
    req_tw_only = req(1, "listTwilio", {"profile": TWILIO_ONLY})
    req_both = req(1, "listTwilio")
    subjects = {
        "sb_twilio_only": lambda: run_switchboard(ctx, fx, req_tw_only, check_twilio(False, 0)),
        "sb_with_vapi": lambda: run_switchboard(ctx, fx, req_both, check_twilio(True, N_IMPORTED)),
        "floor": lambda: run_floor(ctx, fx, "twilio"),
        "floor_both": lambda: run_floor_both(ctx, fx),
        "sb_ping": lambda: run_switchboard(ctx, fx, req(1, "ping")),
        "sb_status": lambda: run_switchboard(ctx, fx, req(1, "getCredentialStatus", {"profile": TWILIO_ONLY})),
    }
    if sdk:
        subjects["sdk"] = lambda: run_sdk(ctx, fx, sdk, "twilio")
    if ctx.baseline:
        subjects["sb_baseline"] = lambda: run_switchboard(ctx, fx, req_tw_only, check_twilio(False, 0), binary=ctx.baseline)
    m = measure(ctx, subjects, runs, warmups)

    floor, floor_both = med(m["floor"]), med(m["floor_both"])
    sb, sb_both = med(m["sb_twilio_only"]), med(m["sb_with_vapi"])
    sb_rss = percentile([r["vmhwm_kib"] for r in m["sb_twilio_only"]], 50)
    floor_what = "`curl -K`: the same 10 page URLs over one keep-alive connection, bodies to /dev/null" \
        if fx["curl"] else "Python `http.client`, one keep-alive connection, bodies read, not parsed (no `curl` here)"
    rows = [
        stats_row("**Switchboard**, profile without a Vapi key", "`listTwilio` → 10,000 voice numbers (Twilio pages only)",
                  m["sb_twilio_only"], floor),
        *([stats_row(f"Switchboard baseline build (`--baseline`), profile without a Vapi key", "the same `listTwilio`",
                     m["sb_baseline"], floor)] if ctx.baseline else []),
        stats_row("Switchboard, profile with the Vapi key", "`listTwilio`, also lists the 10,000 Vapi numbers to fill "
                  "`imported` (1,000 are)", m["sb_with_vapi"], floor_both),
    ]
    data = {"fixture": {"twilio_pages": len(fx["twilio"]["urls"]), "twilio_bytes": fx["twilio"]["bytes"],
                        "vapi_pages": len(fx["vapi"]["urls"]), "vapi_bytes": fx["vapi"]["bytes"]}}
    r = Result(description=(
        f"A fake Twilio account with {N_TWILIO:,} numbers, all voice-capable (`--twilio-non-voice-every 0`), "
        f"and a fake Vapi account with {N_VAPI:,} numbers ({N_IMPORTED:,} of them imported Twilio numbers), served by "
        "`integration/fake_upstream` in its own process on 127.0.0.1. Every row is a fresh process timed from "
        "`Popen` to the complete result (Switchboard: the reply line to `listTwilio` written right after the "
        "spawn; SDK: a `python3` that imports `twilio` 9.x and runs "
        "`Client(sid, token).incoming_phone_numbers.list(page_size=1000)` with `client.api.base_url` pointed at the "
        "fake, so it follows every `next_page_uri` there; floor: `curl`). Peak RSS is the process's own VmHWM "
        "(`/proc/<pid>/status`; Switchboard's read after the reply, before stdin is closed; the SDK's read by the SDK "
        "process itself after its listing), not `wait4`'s `ru_maxrss`, which on Linux carries the parent's (here the "
        "harness's) peak over fork+exec. The floor's memory is not measured. "
        f"Own cost = the subject's median − the floor's median. {runs} runs after {warmups} warm-up, interleaved."))
    targets_ok = None
    if sdk:
        rows.append(stats_row(f"`twilio` {m['sdk'][0]['sdk']['version']} Python SDK",
                              "`incoming_phone_numbers.list(page_size=1000)` → 10,000 SDK objects", m["sdk"], floor))
        sdk_ms, sdk_rss, own_sb, own_sdk, ratio, imports, lists = compare_with_sdk(
            r, "listTwilio", "the twilio SDK's", m["sdk"], sb, sb_rss, floor, digits=2)
        data.update(sdk_ms=sdk_ms, sdk_rss_kib=sdk_rss, own_sb_ms=own_sb, own_sdk_ms=own_sdk, ratio=ratio,
                    sdk_import_ms=imports, sdk_list_ms=lists)
        targets_ok = ratio <= TARGET_OWN_RATIO and sb_rss <= TARGET_RSS_KIB and sb_rss < sdk_rss
    rows.append(stats_row("HTTP floor, Twilio pages", floor_what, m["floor"], None))
    rows.append(stats_row("HTTP floor, both listings", "the Twilio and the Vapi pages at once (two `curl`s), "
                          "the floor of the with-Vapi-key row", m["floor_both"], None))
    r.table(STATS_HEADERS, rows)

    if sdk:
        r.table(["Measure", "Switchboard", "twilio SDK", "Target", "Meets target?"], [
            ["Wall time, spawn → all 10,000 numbers (median)", f"{sb:,.0f} ms", f"{data['sdk_ms']:,.0f} ms", "—", "—"],
            ["HTTP floor (same pages, no parsing)", f"{floor:,.0f} ms", f"{floor:,.0f} ms", "—", "—"],
            ["Own cost (wall − floor)", f"{data['own_sb_ms']:,.0f} ms", f"{data['own_sdk_ms']:,.0f} ms",
             f"Switchboard ≤ ⅙ of the SDK ({data['own_sdk_ms'] / 6:,.0f} ms)", meets_cell(data["ratio"] <= TARGET_OWN_RATIO)],
            ["Own cost ratio Switchboard ÷ SDK", f"×{data['ratio']:.2f}", "×1", "≤ ×0.17",
             meets_cell(data["ratio"] <= TARGET_OWN_RATIO)],
            ["Peak RSS", f"{mib(sb_rss)} MiB", f"{mib(data['sdk_rss_kib'])} MiB",
             f"≤ {TARGET_RSS_KIB // 1024} MiB and less than the SDK",
             meets_cell(sb_rss <= TARGET_RSS_KIB and sb_rss < data["sdk_rss_kib"])],
        ], title="Against the target (profile without a Vapi key: the same work as the SDK)")
        r.note(f"The SDK's median splits into Python start-up ≈ {data['sdk_ms'] - imports - lists:,.0f} ms, "
               f"`import twilio.rest` ≈ {imports:,.0f} ms and the listing itself ≈ {lists:,.0f} ms "
               "(requests + JSON parsing + building an `IncomingPhoneNumberInstance` per number); measured inside "
               "the SDK process by `bench/sdk_listing.py`.")
    else:
        r.note(f"The twilio SDK comparison was skipped: {sdk_where}.")
    r.note(f"Switchboard with the Vapi key: {sb_both:,.0f} ms median, own cost {sb_both - floor_both:,.0f} ms over the "
           f"floor of fetching both listings at once ({floor_both:,.0f} ms); it lists Vapi (10 pages of "
           "`/v2/phone-number`) at the same time as Twilio and marks the 1,000 imported numbers.")
    tw_conn = percentile([x.get("connections", 1) for x in m["floor"]], 50)
    r.note(f"The floor fetched {len(fx['twilio']['urls'])} pages, {fx['twilio']['bytes'] / 1e6:.1f} MB, over "
           f"{tw_conn:.0f} connection(s); its page URLs (each `next_page_uri` with its `PageToken`) were collected by "
           f"one walk beforehand. The fake pages with `twilioStrictPaging` = {fx['strict_paging']} (the default: a "
           "`Page>0` without a token is refused), which the walk, Switchboard and the SDK all satisfy by following "
           "`next_page_uri`.")
    if sdk:
        r.note(f"SDK interpreter: `{sdk_where}` (installed by the benchmark into the git-ignored bench/out when missing).")
    for name, runs_ in m.items():
        if name.startswith("_"):
            continue
        data[name] = [{k: v for k, v in x.items() if k in ("wall_ns", "vmhwm_kib", "cpu_s", "first_byte_ns",
                                                            "reply_bytes", "parse_ns", "sdk")} for x in runs_]
    data["targets_met"] = targets_ok
    data["background_cpus"] = m["_background_cpus"]
    background_note(r, m["_background_cpus"])
    loaded_subjects = {"sb": subjects["sb_twilio_only"], "floor": subjects["floor"],
                       **{k: subjects[k] for k in ("sdk", "sb_baseline") if k in subjects}}
    data["loaded"] = loaded_phase(ctx, r, "listTwilio", "the twilio SDK's", loaded_subjects, digits=2)
    r.data = data
    ctx.shared["list_twilio"] = m
    return r


# ---------------------------------------------------------------------------------------------
# listNumbers
# ---------------------------------------------------------------------------------------------
@benchmark(BENCHMARKS, "list_numbers", "listNumbers over 10,000 numbers: Switchboard, the Vapi SDK, the HTTP floor")
def list_numbers(ctx: Context) -> Result:
    fx = fixture(ctx)
    runs, warmups = ctx.pick(10, 3), 1
    sdk_runs = ctx.pick(3, 1)
    sdk, sdk_where = sdk_python(ctx, "vapi")
    request = req(1, "listNumbers")
    subjects = {
        "sb": lambda: run_switchboard(ctx, fx, request, check_numbers),
        "floor": lambda: run_floor(ctx, fx, "vapi"),
        "sb_ping": lambda: run_switchboard(ctx, fx, req(1, "ping")),
        "sb_status": lambda: run_switchboard(ctx, fx, req(1, "getCredentialStatus")),
    }
    if sdk:
        subjects["sdk"] = lambda: run_sdk(ctx, fx, sdk, "vapi")
    if ctx.baseline:
        subjects["sb_baseline"] = lambda: run_switchboard(ctx, fx, request, check_numbers, binary=ctx.baseline)
    m = measure(ctx, subjects, runs, warmups, sparse={"sdk": sdk_runs})
    floor, sb = med(m["floor"]), med(m["sb"])
    sb_rss = percentile([x["vmhwm_kib"] for x in m["sb"]], 50)
    r = Result(description=(
        f"`listNumbers` over the fake Vapi account's {N_VAPI:,} numbers (10 pages of `GET /v2/phone-number?limit=1000`, "
        "newest first), a fresh process each time, `Popen` → the complete reply. Floor: `curl` fetching the 10 "
        "`/v2/phone-number?page=N&limit=1000&sortOrder=DESC&sortBy=createdAt` pages over one connection (Switchboard pins "
        "pages 2+ with `createdAtLe` instead; same sizes). SDK: `vapi_server_sdk` with `base_url` at the fake; it has "
        "no auto-pager for this endpoint, so `bench/sdk_listing.py` calls "
        "`phone_numbers.phone_number_controller_find_all_paginated(page=N, limit=1000)` until "
        f"`metadata.has_next_page` is false. {runs} runs after {warmups} warm-up (SDK: {sdk_runs}, it is slow), interleaved."))
    rows = [stats_row("**Switchboard**", "`listNumbers` → 10,000 numbers", m["sb"], floor)]
    if ctx.baseline:
        rows.append(stats_row("Switchboard baseline build (`--baseline`)", "the same `listNumbers`", m["sb_baseline"], floor))
    if sdk:
        rows.append(stats_row(f"`vapi_server_sdk` {m['sdk'][0]['sdk']['version']}",
                              "10 × `find_all_paginated(page=N, limit=1000)` → 10,000 pydantic models", m["sdk"], floor))
        sdk_ms, sdk_rss, own_sb, own_sdk, ratio, imports, lists = compare_with_sdk(
            r, "listNumbers", "the Vapi SDK's", m["sdk"], sb, sb_rss, floor, digits=3)
        r.note(f"The Vapi SDK's time is almost all in building its models: `import vapi` ≈ {imports:,.0f} ms, the "
               f"10 pages ≈ {lists:,.0f} ms, i.e. ≈ {lists / N_VAPI:.2f} ms per number (pydantic validation of "
               "the provider union), against the floor's "
               f"{floor:,.0f} ms for the HTTP.")
    else:
        r.note(f"The Vapi SDK comparison was skipped: {sdk_where}.")
    rows.append(stats_row("HTTP floor", "`curl -K`: the 10 pages over one keep-alive connection, bodies to /dev/null"
                          if fx["curl"] else "Python `http.client` (no `curl` here)", m["floor"], None))
    r.table(STATS_HEADERS, rows)
    r.note(f"The floor fetched {len(fx['vapi']['urls'])} pages, {fx['vapi']['bytes'] / 1e6:.1f} MB.")
    data = {}
    for name, runs_ in m.items():
        if name.startswith("_"):
            continue
        data[name] = [{k: v for k, v in x.items() if k in ("wall_ns", "vmhwm_kib", "cpu_s", "first_byte_ns",
                                                            "reply_bytes", "parse_ns", "sdk")} for x in runs_]
    data["background_cpus"] = m["_background_cpus"]
    background_note(r, m["_background_cpus"])
    data["loaded"] = loaded_phase(ctx, r, "listNumbers", "the Vapi SDK's", subjects, digits=3,
                                  sdk_runs=ctx.pick(2, 1))
    r.data = data
    ctx.shared["list_numbers"] = m
    return r


# ---------------------------------------------------------------------------------------------
# Where the time goes
# ---------------------------------------------------------------------------------------------
DEBUG_HTTP_RE = re.compile(r"HTTP (\w+) GET (\S+) -> (\d+) \(attempt (\d+), ([0-9.e-]+) seconds\)")


def debug_run(ctx: Context, fx: dict, request: bytes) -> dict:
    """One run with `--log-level debug`: the transport logs each page's duration (request sent →
    body received *and decoded*, since the event is emitted after the decode)."""
    stderr_path = fx["home"].with_suffix(".debug.stderr")
    stderr_path.write_bytes(b"")
    run = timed_call([str(ctx.binary), "--log-level", "debug"], fx["env"], request, stderr_path)
    time.sleep(0.05)
    pages: dict = {}
    for line in stderr_path.read_text(errors="replace").splitlines():
        m = DEBUG_HTTP_RE.search(line)
        if m:
            pages.setdefault(m.group(1), []).append(float(m.group(5)) * 1e3)
    return {"wall_ms": ns_to_ms(run["wall_ns"]), "pages": pages}


def profile_run(ctx: Context, fx: dict, request: bytes, name: str) -> dict | None:
    ok, why = perf_profile.available_for(str(ctx.binary))
    if not ok:
        return {"unavailable": why}
    stdin = ctx.tmp_path(f"{name}.request")
    stdin.write_bytes(request)
    data = ctx.tmp_path(f"{name}.perf.data")
    perf_profile.record([str(ctx.binary)], fx["env"], data, stdin_path=stdin)
    return perf_profile.classify(data, perf_profile.LISTING_RULES)


@benchmark(BENCHMARKS, "list_breakdown", "Where the listing time goes")
def list_breakdown(ctx: Context) -> Result:
    fx = fixture(ctx)
    runs = ctx.pick(5, 2)
    tw, nu = ctx.shared.get("list_twilio"), ctx.shared.get("list_numbers")
    if not tw:  # run alone (--only): measure what the table needs
        req_tw = req(1, "listTwilio", {"profile": TWILIO_ONLY})
        tw = measure(ctx, {"sb_twilio_only": lambda: run_switchboard(ctx, fx, req_tw, check_twilio(False, 0)),
                           "floor": lambda: run_floor(ctx, fx, "twilio"),
                           "sb_ping": lambda: run_switchboard(ctx, fx, req(1, "ping")),
                           "sb_status": lambda: run_switchboard(ctx, fx, req(1, "getCredentialStatus",
                                                                            {"profile": TWILIO_ONLY}))}, runs, 1)
    if not nu:
        nu = measure(ctx, {"sb": lambda: run_switchboard(ctx, fx, req(1, "listNumbers"), check_numbers),
                           "floor": lambda: run_floor(ctx, fx, "vapi"),
                           "sb_ping": lambda: run_switchboard(ctx, fx, req(1, "ping")),
                           "sb_status": lambda: run_switchboard(ctx, fx, req(1, "getCredentialStatus"))}, runs, 1)

    def parts(m, key):
        wall, ping, status, floor = med(m[key]), med(m["sb_ping"]), med(m["sb_status"]), med(m["floor"])
        transfer = percentile([ns_to_ms(x["wall_ns"] - x["first_byte_ns"]) for x in m[key]], 50)
        return {"wall": wall, "spawn": ping, "store": status - ping, "http": floor,
                "rest": wall - status - floor, "transfer": transfer,
                "cpu_ms": percentile([x["cpu_s"] * 1e3 for x in m[key]], 50),
                "reply_bytes": m[key][0]["reply_bytes"],
                "parse_ms": percentile([ns_to_ms(x["parse_ns"]) for x in m[key]], 50)}

    a, b = parts(tw, "sb_twilio_only"), parts(nu, "sb")
    r = Result(description=(
        "Switchboard's median wall time (spawn → reply) for `listTwilio` (profile without a Vapi key) and "
        "`listNumbers`, split into: spawn (spawn → reply to `ping`, same home), opening the credential store and "
        "reading the profile (spawn → `getCredentialStatus` minus spawn → `ping`), HTTP (the floor: `curl` fetching "
        "the same pages without parsing), and the rest, which is Switchboard's own work after the bytes arrive: "
        "decoding the upstream JSON, building the results, encoding and writing the reply. All medians of the runs "
        "of the two benchmarks above (fresh processes). The profile below splits that rest by CPU samples."))

    def pct(x, total):
        return f"{100 * x / total:.0f} %"

    r.table(["Part", "listTwilio ms", "share", "listNumbers ms", "share", "How it is measured"], [
        ["spawn → first reply", fmt(a["spawn"], 1), pct(a["spawn"], a["wall"]), fmt(b["spawn"], 1),
         pct(b["spawn"], b["wall"]), "spawn → `ping` reply (no store access)"],
        ["open the store, read the credentials", fmt(a["store"], 1), pct(a["store"], a["wall"]), fmt(b["store"], 1),
         pct(b["store"], b["wall"]), "spawn → `getCredentialStatus` − spawn → `ping`"],
        ["HTTP (10 pages)", fmt(a["http"], 1), pct(a["http"], a["wall"]), fmt(b["http"], 1), pct(b["http"], b["wall"]),
         "the floor: `curl` fetching the same pages, no parsing"],
        ["**the rest: decode, build, encode, write**", fmt(a["rest"], 1), pct(a["rest"], a["wall"]), fmt(b["rest"], 1),
         pct(b["rest"], b["wall"]), "wall − the three above"],
        ["  of which the reply through the pipe", fmt(a["transfer"], 1), pct(a["transfer"], a["wall"]),
         fmt(b["transfer"], 1), pct(b["transfer"], b["wall"]),
         "first byte of the reply → its newline, as the harness reads it (1 MiB reads)"],
        ["**total (spawn → reply)**", fmt(a["wall"], 1), "100 %", fmt(b["wall"], 1), "100 %", "median wall time"],
        ["CPU time of the process (user + system)", fmt(a["cpu_ms"], 0), pct(a["cpu_ms"], a["wall"]), fmt(b["cpu_ms"], 0),
         pct(b["cpu_ms"], b["wall"]), "`wait4` rusage; ≈ wall means the process is CPU-bound"],
        ["reply size", f"{a['reply_bytes']:,} B", "", f"{b['reply_bytes']:,} B", "", "one JSON-RPC line"],
        ["parsing the reply on the reading side", fmt(a["parse_ms"], 1), "(not in total)", fmt(b["parse_ms"], 1),
         "(not in total)", "`json.loads` in the harness: what a host pays to read it"],
    ], title="Wall time, part by part (medians)")

    # debug log: per-page durations as the transport sees them
    dbg_tw = debug_run(ctx, fx, req(1, "listTwilio", {"profile": TWILIO_ONLY}))
    dbg_nu = debug_run(ctx, fx, req(1, "listNumbers"))
    rows = []
    for label, dbg, floor_runs, prov in (("listTwilio", dbg_tw, tw["floor"], "twilio"), ("listNumbers", dbg_nu, nu["floor"], "vapi")):
        pages = dbg["pages"].get(prov, [])
        floor_ms = med(floor_runs)
        rows.append([label, len(pages), fmt(sum(pages), 1), fmt(sum(pages) / len(pages), 1) if pages else "—",
                     fmt(floor_ms / max(1, len(pages)), 1), fmt(dbg["wall_ms"], 0)])
    r.table(["Request", "Pages logged", "Σ per-page ms (HTTP + decode)", "Mean per page ms",
             "Floor per page ms (curl)", "Wall ms of this run"], rows,
            title="Per-page upstream time from `--log-level debug` (one run each)")
    r.note("The transport logs one line per HTTP attempt; its duration runs from sending the request to having the "
           "body *decoded* (the event is emitted after the page's reader ran), so Σ per-page − the floor ≈ the HTTP "
           "client's overhead over curl plus the JSON decoding. Pages overlap: the next page is requested as soon as "
           "the current one shows its locator (`next_page_uri`, or Vapi's page number and pin), one page ahead at "
           "most, so the per-page times add up to more than the listing's share of the wall time.")

    # perf profile
    profiles = {"listTwilio": profile_run(ctx, fx, req(1, "listTwilio", {"profile": TWILIO_ONLY}), "prof-twilio"),
                "listNumbers": profile_run(ctx, fx, req(1, "listNumbers"), "prof-numbers")}
    if "unavailable" in profiles["listTwilio"]:
        r.note(f"No CPU profile: {profiles['listTwilio']['unavailable']}.")
    else:
        names = []
        for p in profiles.values():
            for name, _, _ in p["categories"]:
                if name not in names:
                    names.append(name)
        shares = {k: {n: s for n, _, s in p["categories"]} for k, p in profiles.items()}
        cpu = {"listTwilio": a["cpu_ms"], "listNumbers": b["cpu_ms"]}
        rows = []
        for n in names:
            row = [n]
            for k in ("listTwilio", "listNumbers"):
                s = shares[k].get(n, 0.0)
                row += [f"{100 * s:.1f} %", fmt(s * cpu[k], 0)]
            rows.append(row)
        r.table(["Category (innermost matching frame)", "listTwilio share", "≈ CPU ms", "listNumbers share", "≈ CPU ms"],
                rows, title=f"Where the CPU goes (`perf record -g`, 2 kHz, one run each; "
                            f"{profiles['listTwilio']['samples']:,} and {profiles['listNumbers']['samples']:,} samples)")
        r.note("Each sample is charged to the innermost stack frame that matches a category (e.g. a `swift_release` "
               "called from `JSONArrayBuilder.append` counts as encoding the result). ≈ CPU ms = share × the "
               "median CPU time of the timed runs. The profiled run is not one of the timed runs.")
        enc = shares["listTwilio"].get(perf_profile.LISTING_RULES[0][0], 0.0)
        if enc > 0.3:
            r.note(f"**Finding:** {100 * enc:.0f} % of listTwilio's CPU goes into turning the `Encodable` result into a "
                   "`JSONValue` tree (`JSONRPC.JSONValueEncoder`): `EncodingNode.appendElement` copies the whole "
                   "element array on every append (`if case .array(var nodes) = storage { nodes.append(node); "
                   "storage = .array(nodes) }` keeps a second reference, so the append copies), which is quadratic in "
                   "the number of results: ~10,000² / 2 retain/release pairs for one reply.")
        r.data["profiles"] = profiles
    r.data.update(listTwilio=a, listNumbers=b, debug={"listTwilio": dbg_tw, "listNumbers": dbg_nu})
    return r


# ---------------------------------------------------------------------------------------------
# 50 concurrent listTwilio
# ---------------------------------------------------------------------------------------------
@benchmark(BENCHMARKS, "list_twilio_concurrent", "50 concurrent listTwilio calls on one process")
def list_twilio_concurrent(ctx: Context) -> Result:
    fx = fixture(ctx)
    n = ctx.pick(50, 10)
    singles_n = ctx.pick(3, 1)
    req_one = req(1, "listTwilio", {"profile": TWILIO_ONLY})
    check = check_twilio(False, 0)
    singles = [run_switchboard(ctx, fx, req_one, check) for _ in range(singles_n + 1)][1:]  # 1 warm-up
    single = med(singles)
    ctx.log(f"single call on a fresh process: {single:,.0f} ms (median of {singles_n})")

    payload = b"".join(req(i, "listTwilio", {"profile": TWILIO_ONLY}) for i in range(1, n + 1))
    fx["fake"].control("/__control/requests/clear", {})
    home = fx["home"]
    replies: dict[int, tuple[int, float]] = {}
    chunks = []
    load = BackgroundLoad(ctx)
    with open(home.with_suffix(".stderr"), "ab") as err:
        t0 = now_ns()
        p = Proc.start([str(ctx.binary)], env=fx["env"], stderr=err, stderr_path=home.with_suffix(".stderr"))
        try:
            t_write_epoch = time.time()
            p.send(payload)
            t_written = now_ns()
            buf = bytearray()
            while len(replies) < n:
                chunk = os.read(p.out_fd, PAGE)
                if not chunk:
                    raise EOFError(f"switchboard closed stdout after {len(replies)} replies: {p.stderr_tail()!r}")
                start = len(buf)
                buf += chunk
                nl = buf.find(b"\n", start)
                while nl >= 0:
                    line = bytes(buf[:nl])
                    del buf[:nl + 1]
                    m = re.match(rb'\{"jsonrpc":"2.0","id":(\d+)', line)
                    id = int(m.group(1)) if m else -len(replies) - 1
                    replies[id] = (now_ns(), time.time())
                    chunks.append(line)
                    nl = buf.find(b"\n")
            t1 = now_ns()
            hwm = p.status_kib("VmHWM")
            p.close_stdin()
            p.wait_blocking()
        finally:
            p.close()
    ru = p.rusage
    background = load.cpus()
    for line in chunks:
        msg = json.loads(line)
        if "error" in msg:
            raise RuntimeError(f"a concurrent listTwilio failed: {msg['error']}")
        check(msg["result"])
    if sorted(replies) != list(range(1, n + 1)):
        raise AssertionError(f"reply ids {sorted(replies)[:5]}… are not 1..{n}")

    wall = ns_to_ms(t1 - t0)
    reply_ms = sorted(ns_to_ms(t - t0) for t, _ in replies.values())
    records = fx["fake"].control("/__control/requests?provider=twilio")["requests"]
    pages = [rec for rec in records if rec["path"].endswith("/IncomingPhoneNumbers.json")]
    firsts = sorted(rec["time"] for rec in pages if "PageToken" not in rec["target"])
    events = [(t, +1) for t in firsts] + [(e, -1) for _, e in replies.values()]
    in_flight = peak = 0
    for _, d in sorted(events):
        in_flight += d
        peak = max(peak, in_flight)
    first_reply_epoch = min(e for _, e in replies.values())
    all_started_ms = (firsts[-1] - t_write_epoch) * 1e3 if len(firsts) == n else float("nan")
    overlapped = len(firsts) == n and firsts[-1] < first_reply_epoch
    ratio = wall / single
    cpu_s = ru.ru_utime + ru.ru_stime
    nproc = len(os.sched_getaffinity(0))

    r = Result(description=(
        f"One switchboard process; {n} `listTwilio` requests (profile without a Vapi key, {N_TWILIO:,} numbers each) "
        "written in one `write` right after the spawn; wall time from `Popen` until all replies are read. Beside it a "
        f"single call on a fresh process (median of {singles_n}). Overlap is read from the fake's request log: when "
        "each call asked for its first Twilio page, against when the replies came back."))
    r.table(["Measure", "Value"], [
        ["single call, fresh process (spawn → reply, median)", f"{single:,.0f} ms"],
        [f"{n} concurrent calls, one process (spawn → last reply)", f"{wall:,.0f} ms"],
        [f"ratio {n} concurrent ÷ single", f"×{ratio:.1f}"],
        [f"{n} calls one after another would take ≈ {n} × single", f"≈ {n * single:,.0f} ms (×{n})"],
        ["first / median / last reply after spawn", f"{reply_ms[0]:,.0f} / {percentile(reply_ms, 50):,.0f} / {reply_ms[-1]:,.0f} ms"],
        [f"all {n} calls had requested their first Twilio page", f"{all_started_ms:,.0f} ms after the write"
         if all_started_ms == all_started_ms else f"only {len(firsts)} first pages seen"],
        ["most calls in progress at once (first page requested, reply not yet back)", f"{peak} of {n}"],
        ["Twilio page requests the fake received", f"{len(pages):,} ({len(pages) / n:.0f} per call)"],
        ["server CPU time (user + system) / CPUs", f"{cpu_s:,.1f} s on {nproc} CPUs → ≥ {cpu_s / nproc * 1e3:,.0f} ms of wall"],
        ["CPUs the server kept busy on average (CPU time ÷ wall)", f"{cpu_s / (wall / 1e3):.2f} of {nproc}"],
        ["peak RSS (VmHWM at the last reply)", f"{hwm / 1024:,.0f} MiB (single call: "
         f"{percentile([x['vmhwm_kib'] for x in singles], 50) / 1024:,.0f} MiB)"],
    ])
    r.target(f"{n} concurrent listTwilio overlap", f"{peak} of {n} in progress at once; wall ×{ratio:.1f} a single call",
             f"they overlap (all in progress at once, not one after another: ×{n})", overlapped)
    r.note(f"The calls overlap: every call had asked for its first page before the first reply came back, and the "
           f"whole batch took ×{ratio:.1f} a single call instead of ×{n}." if overlapped else
           "The calls did NOT all overlap: some first pages were requested only after the first reply.")
    r.note(f"The batch is CPU-bound: {cpu_s:,.1f} s of CPU for {n} listings ({cpu_s / n * 1e3:,.0f} ms each) on {nproc} "
           f"CPUs cannot finish in less than ≈ {cpu_s / nproc:,.1f} s (×{cpu_s / nproc * 1e3 / single:.1f} a single call) "
           f"however well they overlap; the wall time ({wall / 1e3:,.1f} s) is mostly that per-call CPU cost (see *Where "
           "the listing time goes*). The HTTP client keeps at most 32 connections per host (Vapi and Twilio are one host "
           "here), so some page fetches queue behind others.")
    background_note(r, background)
    r.data = {"n": n, "single_ms": [ns_to_ms(x["wall_ns"]) for x in singles], "wall_ms": wall, "ratio": ratio,
              "reply_ms": reply_ms, "first_page_offsets_ms": [(t - t_write_epoch) * 1e3 for t in firsts],
              "peak_in_flight": peak, "overlapped": overlapped, "cpu_s": cpu_s, "vmhwm_kib": hwm,
              "twilio_page_requests": len(pages), "background_cpus": background, "written_ms": ns_to_ms(t_written - t0)}
    return r

"""Command-line benchmark: `switchboard numbers list --json` on 1,000 numbers, process start to exit,
beside what a Twilio-CLI user pays for the same listing: the official `twilio` Python SDK (which the
Twilio CLI's Python users script against) listing 1,000 numbers from a fresh interpreter.

The fake upstream runs as its own process (`integration/fake_upstream`); both subjects list from it.
"""
from __future__ import annotations

import atexit
import json

from benchmarks_numbers import FakeUpstreamProcess, fake_credentials, med, sdk_env, sdk_python
from harness import BENCH_DIR, Context, Proc, Result, RpcClient, benchmark, fmt, ns_to_ms, summarize
from spawn_call import timed_run

SECTION = "Command line"
BENCHMARKS: list = []
N = 1_000


def fixture(ctx: Context) -> dict:
    vapi_key, sid, token = fake_credentials()
    fake = FakeUpstreamProcess(ctx, ["--seed-twilio", str(N), "--twilio-non-voice-every", "0", "--seed-vapi", str(N)])
    atexit.register(fake.stop)
    home = ctx.new_home()
    env = ctx.env(home, {"SWITCHBOARD_VAPI_BASE_URL": fake.base_url, "SWITCHBOARD_TWILIO_BASE_URL": fake.base_url})
    with Proc.start([str(ctx.binary)], env=env, stderr_path=home.with_suffix(".stderr")) as p:
        RpcClient(p).call("setCredentials", {"vapiPrivateKey": vapi_key, "twilioAccountSid": sid, "twilioAuthToken": token})
    return {"fake": fake, "env": env, "home": home, "sid": sid, "token": token}


def run_cli(ctx: Context, fx: dict, subcommand: str = "list") -> dict:
    run = timed_run([str(ctx.binary), "numbers", subcommand, "--json"], fx["env"], fx["home"].with_suffix(".stderr"))
    if run["exit_code"] != 0:
        raise RuntimeError(f"switchboard numbers {subcommand} exited {run['exit_code']}")
    result = json.loads(run.pop("stdout"))
    if result["count"] != N or len(result["numbers"]) != N:
        raise AssertionError(f"switchboard listed {result['count']} numbers, expected {N}")
    return run


def run_sdk(ctx: Context, fx: dict, python: str) -> dict:
    argv = [python, str(BENCH_DIR / "sdk_listing.py"), "twilio", fx["fake"].base_url, fx["sid"], fx["token"], "1000"]
    run = timed_run(argv, sdk_env(), ctx.tmp_path("cli-sdk-twilio.stderr"))
    if run["exit_code"] != 0:
        raise RuntimeError(f"twilio SDK listing failed: {ctx.tmp_path('cli-sdk-twilio.stderr').read_text()[-1500:]}")
    out = json.loads(run.pop("stdout").splitlines()[0])
    if out["count"] != N:
        raise AssertionError(f"twilio SDK listed {out['count']} numbers, expected {N}")
    run["sdk"] = out
    return run


@benchmark(BENCHMARKS, "cli_numbers_list", "`switchboard numbers list --json` on 1,000 numbers beside the twilio SDK")
def cli_numbers_list(ctx: Context) -> Result:
    fx = fixture(ctx)
    runs, warmups = ctx.pick(15, 3), 1
    python, where = sdk_python(ctx, "twilio")
    subjects = {"cli": lambda: run_cli(ctx, fx), "cli_twilio": lambda: run_cli(ctx, fx, "twilio")}
    if python:
        subjects["sdk"] = lambda: run_sdk(ctx, fx, python)
    measured: dict = {name: [] for name in subjects}
    for i in range(warmups + runs):
        for name, fn in subjects.items():   # interleaved: drift hits both alike
            run = fn()
            if i >= warmups:
                measured[name].append(run)
    r = Result(description=(
        f"A fresh process each run, spawn → exit, {runs} runs after {warmups} warm-up, interleaved. "
        f"**Switchboard**: `switchboard numbers list --json` (the `listNumbers` RPC in-process: opens the store, "
        f"unseals the Vapi key, one `GET /v2/phone-number?limit=1000` page, prints the JSON result) over the fake's "
        f"{N:,} Vapi numbers; `switchboard numbers twilio --json` (`listTwilio`) is the same-endpoint counterpart of "
        f"the SDK row: {N:,} Twilio numbers, plus the Vapi list fetched alongside to mark each as imported. "
        f"**twilio SDK** (what a Twilio-CLI user scripting in Python pays for the same listing): "
        f"`python bench/sdk_listing.py twilio …` in a fresh interpreter — `import twilio`, "
        f"`Client(sid, token).incoming_phone_numbers.list(page_size=1000)` over the fake's {N:,} Twilio numbers, "
        "every item a built SDK object. Both list from the same fake upstream process on 127.0.0.1."))
    rows = []
    for name, label, what in (("cli", "**switchboard numbers list --json**", f"{N:,} Vapi numbers → JSON on stdout"),
                              ("cli_twilio", "switchboard numbers twilio --json",
                               f"{N:,} Twilio numbers, each matched against the {N:,} Vapi numbers (both listed at once)"),
                              ("sdk", f"`twilio` SDK {measured['sdk'][0]['sdk']['version'] if measured.get('sdk') else ''}",
                               f"fresh interpreter, `incoming_phone_numbers.list` → {N:,} objects")):
        if name not in measured:
            continue
        s = summarize([ns_to_ms(x["wall_ns"]) for x in measured[name]])
        cpu = summarize([x["cpu_s"] * 1e3 for x in measured[name]])
        rows.append([label, what, len(measured[name]), fmt(s["median"], 0), fmt(s["min"], 0), fmt(s["max"], 0),
                     fmt(cpu["median"], 0)])
    r.table(["Subject", "What it does", "Runs", "Median ms", "Min ms", "Max ms", "CPU ms (user+sys, median)"], rows)
    if python:
        cli_ms, sdk_ms = med(measured["cli"]), med(measured["sdk"])
        imports = med(measured["sdk"], "sdk", lambda s: s["import_ms"])
        r.target("numbers list (1,000) start → exit vs the twilio SDK", f"{cli_ms:,.0f} ms vs {sdk_ms:,.0f} ms "
                 f"(×{cli_ms / sdk_ms:.2f})", "faster than the SDK", cli_ms < sdk_ms)
        r.note(f"Of the SDK's time, `import twilio` alone is ≈ {imports:,.0f} ms (median).")
    else:
        r.note(f"The twilio SDK comparison was skipped: {where}.")
    r.data = {name: [{k: v for k, v in x.items() if k in ("wall_ns", "cpu_s", "sdk")} for x in runs_]
              for name, runs_ in measured.items()}
    return r

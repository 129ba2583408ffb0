"""importNumber on a 10,000-number Vapi account: upstream requests before the POST and wall time,
beside a baseline build (`--baseline`) in the same run. Its own fake (the listing fixture's numbers
must not change)."""
from __future__ import annotations

import json
import statistics

from benchmarks_numbers import FakeUpstreamProcess, fake_credentials, req
from harness import Context, Proc, Result, RpcClient, benchmark, fmt, meets_cell, ns_to_ms
from spawn_call import timed_call

SECTION = "Numbers"
BENCHMARKS = []
N_VAPI = 10_000
TARGET_VAPI_REQUESTS = 2


@benchmark(BENCHMARKS, "import_number", "importNumber on a 10,000-number account")
def import_number(ctx: Context) -> Result:
    runs = ctx.pick(8, 2)
    vapi_key, sid, token = fake_credentials()
    fake = FakeUpstreamProcess(ctx, ["--seed-twilio", str(2 * runs + 2), "--twilio-non-voice-every", "0",
                                     "--seed-vapi", str(N_VAPI), "--imported-fraction", "0"])
    try:
        base = fake.base_url
        home = ctx.new_home()
        env = ctx.env(home, {"SWITCHBOARD_VAPI_BASE_URL": base, "SWITCHBOARD_TWILIO_BASE_URL": base})
        with Proc.start([str(ctx.binary)], env=env, stderr_path=home.with_suffix(".stderr")) as p:
            RpcClient(p).call("setCredentials", {"vapiPrivateKey": vapi_key, "twilioAccountSid": sid,
                                                 "twilioAuthToken": token})
        in_vapi = {v.get("number") for v in fake.control("/__control/state")["vapi"]}
        twilio = [t for t in fake.control("/__control/state")["twilio"]
                  if t["capabilities"]["voice"] and t["phone_number"] not in in_vapi]
        subjects = {"switchboard": ctx.binary}
        if ctx.baseline:
            subjects["baseline build"] = ctx.baseline
        measured: dict[str, list[dict]] = {name: [] for name in subjects}
        for i in range(runs):
            for name, binary in subjects.items():  # interleaved
                target = twilio.pop()
                fake.control("/__control/requests/clear", {})
                run = timed_call([str(binary)], env, req(1, "importNumber", {"sid": target["sid"]}),
                                 home.with_suffix(".stderr"))
                reply = json.loads(run.pop("reply"))
                if "error" in reply:
                    raise RuntimeError(f"{name}: importNumber failed: {reply['error']}")
                log = fake.control("/__control/requests")["requests"]
                posts = [j for j, r in enumerate(log) if r["method"] == "POST"]
                if len(posts) != 1:
                    raise AssertionError(f"{name}: {len(posts)} POSTs")
                before = log[:posts[0]]
                run["vapi_before_post"] = sum(1 for r in before if r["provider"] == "vapi")
                run["twilio_before_post"] = sum(1 for r in before if r["provider"] == "twilio")
                measured[name].append(run)
    finally:
        fake.stop()

    r = Result(description=(
        f"`importNumber {{sid}}` of a Twilio number into a fake Vapi account holding {N_VAPI:,} numbers "
        "(`integration/fake_upstream` in its own process on 127.0.0.1): a fresh process per call, `Popen` → the reply, "
        "with the upstream requests the fake logged before the `POST /phone-number`. "
        f"{runs} runs per build, interleaved, each importing another number."))
    rows, data = [], {}
    for name, values in measured.items():
        wall = [ns_to_ms(v["wall_ns"]) for v in values]
        vapi = statistics.median(v["vapi_before_post"] for v in values)
        tw = statistics.median(v["twilio_before_post"] for v in values)
        meets = vapi <= TARGET_VAPI_REQUESTS if name == "switchboard" else None
        label = "**Switchboard**" if name == "switchboard" else f"Switchboard baseline build (`{ctx.baseline.name}`)"
        rows.append([label, len(values), f"{vapi:g}", f"{tw:g}", fmt(statistics.median(wall), 0), fmt(min(wall), 0),
                     fmt(max(wall), 0), f"≤ {TARGET_VAPI_REQUESTS} Vapi requests" if meets is not None else "—",
                     meets_cell(meets)])
        data[name] = {"wall_ms": wall, "vapi_before_post": vapi, "twilio_before_post": tw}
        if meets is not None:
            r.target("importNumber: Vapi requests before the POST (10,000 numbers)", f"{vapi:g}",
                     f"≤ {TARGET_VAPI_REQUESTS}", meets)
    r.table(["Subject", "Runs", "Vapi requests before the POST (median)", "Twilio requests before the POST",
             "Median ms", "Min ms", "Max ms", "Target", "Meets target?"], rows)
    r.data = data
    return r

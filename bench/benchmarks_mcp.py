"""MCP benchmarks: `switchboard mcp` beside the plain JSON-RPC face of the same binary.

- spawn → `initialize` reply (MCP `initialize` vs the JSON-RPC face's `initialize`), and spawn → `ping`
  on the JSON-RPC face as its floor;
- `tools/call listNumbers` on 1,000 numbers vs JSON-RPC `listNumbers`: spawn → the listing's reply
  (handshake first, as a host does) and sequential round trips on a running process.

Both faces run the same service code on the same engine transport; the difference is the MCP session
(the result's `structuredContent` plus text, progress put back into the result) and the handshake.
"""
from __future__ import annotations

import atexit
import json

from benchmarks_numbers import FakeUpstreamProcess, fake_credentials
from harness import Context, Proc, Result, benchmark, fmt, now_ns, ns_to_ms, percentile

SECTION = "MCP"
BENCHMARKS: list = []
N_NUMBERS = 1_000

MCP_INITIALIZE = {"protocolVersion": "2025-11-25", "capabilities": {},
                  "clientInfo": {"name": "bench", "version": "0"}}
RPC_INITIALIZE = {"processId": None, "clientInfo": {"name": "bench"}}


def frame(id, method, params=None) -> bytes:
    msg = {"jsonrpc": "2.0", "method": method}
    if id is not None:
        msg["id"] = id
    if params is not None:
        msg["params"] = params
    return json.dumps(msg, separators=(",", ":")).encode() + b"\n"


class Face:
    """How one face is spawned, greeted and asked for the listing."""

    def __init__(self, name: str, args: list[str], initialize: dict, initialized: str, listing: tuple[str, dict]):
        self.name, self.args, self.initialize, self.initialized, self.listing = name, args, initialize, initialized, listing

    def handshake(self, p: Proc) -> dict:
        p.send(frame(1, "initialize", self.initialize))
        reply = json.loads(p.read_line())
        if reply.get("id") != 1 or "result" not in reply:
            raise AssertionError(f"{self.name}: bad initialize reply {reply!r:.300}")
        p.send(frame(None, self.initialized, {}))
        return reply

    def list_numbers(self, p: Proc, id: int) -> tuple[int, bytes]:
        """Sends the listing, returns (ns until its reply line, the line)."""
        method, params = self.listing
        t0 = now_ns()
        p.send(frame(id, method, params))
        while True:
            line = p.read_line()
            if json.loads(line).get("id") == id:
                return now_ns() - t0, line

    def count(self, line: bytes) -> int:
        result = json.loads(line)["result"]
        return (result["structuredContent"] if "structuredContent" in result else result)["count"]


MCP = Face("MCP", ["mcp"], MCP_INITIALIZE, "notifications/initialized",
           ("tools/call", {"name": "listNumbers", "arguments": {}}))
RPC = Face("JSON-RPC", [], RPC_INITIALIZE, "initialized", ("listNumbers", {}))


def fixture(ctx: Context) -> dict:
    """A fake with 1,000 Vapi numbers and a home holding its key; made once per run."""
    if "mcp_fixture" in ctx.shared:
        return ctx.shared["mcp_fixture"]
    vapi_key, sid, token = fake_credentials()
    fake = FakeUpstreamProcess(ctx, ["--seed-vapi", str(N_NUMBERS)])
    atexit.register(fake.stop)
    home = ctx.new_home()
    env = {"SWITCHBOARD_VAPI_BASE_URL": fake.base_url, "SWITCHBOARD_TWILIO_BASE_URL": fake.base_url}
    with ctx.spawn(home, env=env) as p:
        RPC.handshake(p)
        p.send(frame(2, "setCredentials", {"vapiPrivateKey": vapi_key, "twilioAccountSid": sid, "twilioAuthToken": token}))
        if "result" not in json.loads(p.read_line()):
            raise AssertionError("setCredentials failed")
    ctx.shared["mcp_fixture"] = fixture = {"fake": fake, "home": home, "env": env}
    return fixture


def spawn_to(ctx: Context, face: Face, home, env, listing: bool) -> dict:
    """One fresh process: spawn → initialize reply (and → the listing's reply)."""
    t0 = now_ns()
    with ctx.spawn(home, args=face.args, env=env) as p:
        face.handshake(p)
        t1 = now_ns()
        out = {"initialize_ms": ns_to_ms(t1 - t0)}
        if listing:
            _, line = face.list_numbers(p, 2)
            out["listing_ms"] = ns_to_ms(now_ns() - t0)
            out["bytes"] = len(line) + 1
            if face.count(line) != N_NUMBERS:
                raise AssertionError(f"{face.name}: listing returned {face.count(line)} numbers")
        p.stop()
    return out


@benchmark(BENCHMARKS, "mcp_spawn_initialize", "Spawn → initialize reply: MCP vs JSON-RPC")
def mcp_spawn_initialize(ctx: Context) -> Result:
    runs, warmups = ctx.pick(30, 8), 3
    home = ctx.new_home()
    times = {"MCP": [], "JSON-RPC": [], "ping": []}
    for i in range(warmups + runs):
        for face in (MCP, RPC):
            r = spawn_to(ctx, face, home, None, listing=False)
            if i >= warmups:
                times[face.name].append(r["initialize_ms"])
        t0 = now_ns()
        with ctx.spawn(home) as p:
            p.send(frame(1, "ping"))
            p.read_line()
            if i >= warmups:
                times["ping"].append(ns_to_ms(now_ns() - t0))
            p.stop()
    r = Result(description=(
        f"A fresh process each run ({runs} runs after {warmups} warm-ups, interleaved): `switchboard mcp` answering "
        "MCP `initialize`, the plain face (`switchboard`) answering its own `initialize`, and the plain face "
        "answering `ping` (no handshake), from `Popen` to the complete reply line."))
    rows = []
    for name, label in (("MCP", "`switchboard mcp` → `initialize`"), ("JSON-RPC", "`switchboard` → `initialize`"),
                        ("ping", "`switchboard` → `ping`")):
        v = times[name]
        rows.append([label, fmt(min(v)), fmt(percentile(v, 50)), fmt(percentile(v, 90)), fmt(max(v))])
    r.table(["Process → reply", "min ms", "median ms", "p90 ms", "max ms"], rows)
    extra = percentile(times["MCP"], 50) - percentile(times["JSON-RPC"], 50)
    r.note(f"MCP's start-up costs {extra:+.2f} ms (median) over the JSON-RPC face's.")
    r.data = times
    return r


@benchmark(BENCHMARKS, "mcp_list_numbers", "tools/call listNumbers on 1,000 numbers: MCP vs JSON-RPC")
def mcp_list_numbers(ctx: Context) -> Result:
    fx = fixture(ctx)
    runs, warmups, round_trips = ctx.pick(10, 3), 1, ctx.pick(30, 8)
    spawn_times = {"MCP": [], "JSON-RPC": []}
    sizes = {}
    for i in range(warmups + runs):
        for face in (MCP, RPC):
            out = spawn_to(ctx, face, fx["home"], fx["env"], listing=True)
            sizes[face.name] = out["bytes"]
            if i >= warmups:
                spawn_times[face.name].append(out["listing_ms"])
    trips = {}
    for face in (MCP, RPC):
        with ctx.spawn(fx["home"], args=face.args, env=fx["env"]) as p:
            face.handshake(p)
            face.list_numbers(p, 2)  # warm: the store is open, the HTTP connection is up
            trips[face.name] = [ns_to_ms(face.list_numbers(p, 3 + k)[0]) for k in range(round_trips)]
            p.stop()
    r = Result(description=(
        f"The fake upstream (its own process) holds {N_NUMBERS:,} Vapi numbers (one page of Vapi's API). "
        "**Spawn → listing**: a fresh process, the handshake (`initialize`, wait for its reply, `initialized`), "
        f"then the listing; `Popen` → its reply line ({runs} runs after {warmups} warm-up, interleaved). "
        f"**Round trip**: one process after one warm listing, {round_trips} sequential listings. MCP's reply carries the "
        "numbers as `structuredContent` plus a short text; JSON-RPC's is the method result."))
    rows = []
    for name in ("MCP", "JSON-RPC"):
        s, t = spawn_times[name], trips[name]
        rows.append([name, fmt(percentile(s, 50)), fmt(percentile(t, 50)), fmt(percentile(t, 90)), f"{sizes[name]:,}"])
    r.table(["Face", "spawn → listing, median ms", "round trip median ms", "round trip p90 ms", "reply bytes"], rows)
    extra = percentile(trips["MCP"], 50) - percentile(trips["JSON-RPC"], 50)
    r.note(f"The MCP face adds {extra:+.2f} ms (median round trip) to the same listing.")
    r.data = {"spawn_ms": spawn_times, "round_trip_ms": trips, "reply_bytes": sizes}
    return r

#!/usr/bin/env python3
"""Money and secrets, measured: the figures of RELIABILITY.md's "Money and secrets" section.

For every fault class, `--trials` purchases each run under a fresh idempotency key against the fake
upstream (integration/fake_upstream, in this process on 127.0.0.1): the first attempt meets the
fault, then the host retries with the same key as protocol.md says (waiting `retryAfterMs` when told)
until it gets a number. The fake counts what it created: a key that ends with more than one number is
a duplicate purchase. Then every home-folder attack is tried against a fresh process (refused or
not), and every byte the processes wrote (stdout, stderr, home folder) is scanned for the secrets in
every encoding.

    swift build --product switchboard
    python3 bench/reliability_money.py [--binary .build/debug/switchboard] [--trials 20] [--markdown]

Runs as root for the "another user's folder" attacks (it chowns a folder to uid 4242); without root
those rows say "skipped (needs root)".
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "integration" / "fake_upstream"))
sys.path.insert(0, str(ROOT / "integration" / "e2e"))

from fake_upstream import FakeUpstream  # noqa: E402
from secrets_scan import scan_blobs  # noqa: E402

DEADLINE_MS = 500


class Process:
    """One switchboard over real pipes, line-delimited JSON-RPC."""

    def __init__(self, binary: str, home: Path, env: dict):
        full = {k: v for k, v in os.environ.items() if not k.startswith("SWITCHBOARD_")}
        full.update({"SWITCHBOARD_HOME": str(home), "SWITCHBOARD_LOG_LEVEL": "debug", **env})
        self.proc = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=full, bufsize=0)
        self.out = bytearray()
        self.err = bytearray()
        self.replies: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, args=(self.proc.stdout, self.out, True), daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, self.err, False), daemon=True).start()

    def _read(self, stream, sink, frames):
        buf = b""
        while chunk := stream.read(65536):
            sink += chunk
            if frames:
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    if line.strip():
                        self.replies.put(json.loads(line))

    def start(self, method, params):
        self.next_id += 1
        self.proc.stdin.write(json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method,
                                          "params": params}).encode() + b"\n")
        return self.next_id

    def notify(self, method, params):
        self.proc.stdin.write(json.dumps({"jsonrpc": "2.0", "method": method, "params": params}).encode() + b"\n")

    def wait_reply(self, rid, timeout=30):
        deadline = time.time() + timeout
        while True:
            msg = self.replies.get(timeout=max(0.01, deadline - time.time()))
            if msg.get("id") == rid:
                return msg

    def request(self, method, params=None, timeout=30):
        return self.wait_reply(self.start(method, params or {}), timeout)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(5)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


class Bench:
    def __init__(self, binary: str, work: Path):
        self.binary = binary
        self.work = work
        self.fake = FakeUpstream().start()
        self.secrets = {"vapi key": f"sk-live-REL{uuid.uuid4().hex}", "account sid": "AC" + os.urandom(16).hex(),
                        "auth token": os.urandom(16).hex()}
        self.fake.configure(vapiKey=self.secrets["vapi key"], accountSid=self.secrets["account sid"],
                            authToken=self.secrets["auth token"])
        self.home = work / "home"
        self.env = {"SWITCHBOARD_VAPI_BASE_URL": self.fake.base_url, "SWITCHBOARD_TWILIO_BASE_URL": self.fake.base_url,
                    "SWITCHBOARD_HTTP_TIMEOUT_MS": str(DEADLINE_MS), "SWITCHBOARD_HTTP_BACKOFF_MS": "10",
                    "SWITCHBOARD_IDEMPOTENCY_SETTLE_MS": "0"}
        self.processes: list[Process] = []
        self.sb = self.spawn()
        self.sb.request("setCredentials", {"vapiPrivateKey": self.secrets["vapi key"],
                                           "twilioAccountSid": self.secrets["account sid"],
                                           "twilioAuthToken": self.secrets["auth token"]})

    def spawn(self, home=None):
        p = Process(self.binary, home or self.home, self.env)
        self.processes.append(p)
        return p

    def numbers_named(self, tag):
        return [v for v in self.fake.state()["vapi"] if v.get("name") == tag]

    def retry_until_done(self, params, timeout=15):
        """The host protocol.md describes: an unknown outcome is retried under the same key (after
        `retryAfterMs`); any other error means "nothing was bought", so the host tries again under a
        new key: the route by which a server that misreports an outcome buys twice."""
        deadline = time.time() + timeout
        params = dict(params)
        while time.time() < deadline:
            reply = self.sb.request("createNumber", params)
            if "result" in reply:
                return reply["result"]
            data = reply["error"].get("data") or {}
            if reply["error"]["code"] == 1006:
                time.sleep(min(data.get("retryAfterMs", 100), 5000) / 1000 + 0.02)
            else:
                params["idempotencyKey"] = params["idempotencyKey"] + "+"
        raise AssertionError("no outcome in time")

    def trial(self, fault_class):
        tag = "rel-" + uuid.uuid4().hex[:12]
        params = {"areaCode": "415", "name": tag, "idempotencyKey": tag}
        kind, extra = fault_class
        if kind == "kill-in-flight":
            self.fake.fault("delay", provider="vapi", method="POST", delayMs=DEADLINE_MS // 2)
            self.sb.start("createNumber", params)
            self._wait(lambda: any(r["json"] and r["json"].get("name") == tag for r in self.fake.requests(method="POST")))
            self.sb.kill()
            self.sb = self.spawn()
        elif kind == "kill-after-unknown":
            self.fake.fault("lose_reply", provider="vapi", method="POST")
            self.sb.request("createNumber", params)
            self.sb.kill()
            self.sb = self.spawn()
        elif kind == "cancel-after-send":
            self.fake.fault("delay", provider="vapi", method="POST", delayMs=300)
            rid = self.sb.start("createNumber", params)
            self._wait(lambda: any(r["json"] and r["json"].get("name") == tag for r in self.fake.requests(method="POST")))
            self.sb.notify("$/cancelRequest", {"id": rid})
            self.sb.wait_reply(rid)
        else:
            self.fake.fault(kind, provider="vapi", method="POST", **extra)
            self.sb.request("createNumber", params)
        self.retry_until_done(params)
        if kind in ("delay", "kill-in-flight", "cancel-after-send"):
            # A POST held by a delay fault is still being processed: let it land before counting.
            time.sleep((DEADLINE_MS + 600) / 1000)
        self.fake.clear_faults()
        posts = [r for r in self.fake.requests(method="POST") if r["json"] and r["json"].get("name") == tag]
        return len(self.numbers_named(tag)), len(posts)

    @staticmethod
    def _wait(predicate, timeout=5):
        deadline = time.time() + timeout
        while not predicate():
            if time.time() > deadline:
                raise AssertionError("timed out waiting")
            time.sleep(0.005)

    def close(self):
        for p in self.processes:
            p.stop()
        self.fake.stop()


FAULTS = {
    "slow reply past the deadline (Vapi creates the number after it)": ("delay", {"delayMs": DEADLINE_MS + 400}),
    "500 after commit": ("status", {"status": 500, "perform": True}),
    "502 after commit": ("status", {"status": 502, "perform": True}),
    "503 after commit": ("status", {"status": 503, "perform": True}),
    "504 after commit": ("status", {"status": 504, "perform": True}),
    "500 before commit (nothing created)": ("status", {"status": 500, "perform": False}),
    "reset after commit": ("reset", {"perform": True}),
    "reset before commit": ("reset", {"perform": False}),
    "truncated reply after commit": ("truncate", {"perform": True}),
    "non-HTTP reply after commit": ("raw", {"perform": True}),
    "unreadable 2xx after commit": ("garbage", {"perform": True}),
    "kill -9 while the POST is in flight": ("kill-in-flight", {}),
    "kill -9 after an unknown outcome": ("kill-after-unknown", {}),
    "cancel after the POST was sent": ("cancel-after-send", {}),
}


def home_attacks(binary: str, work: Path) -> list[tuple[str, str]]:
    """Each attack: set up a home, run `switchboard` once, see whether the store opened."""
    results = []
    root = os.geteuid() == 0

    def attempt(home: Path, env=None) -> str:
        p = Process(binary, home, env or {"SWITCHBOARD_MASTER_KEY": ""})
        reply = p.request("getCredentialStatus")
        p.stop()
        err = reply.get("error")
        return "refused" if err and (err.get("data") or {}).get("kind") == "vault.unsafe" else "OPENED"

    def fresh(name):
        path = work / "attacks" / name
        path.mkdir(parents=True, mode=0o700)
        os.chmod(path, 0o700)
        return path

    home = fresh("0777")
    os.chmod(home, 0o777)
    results.append(("SWITCHBOARD_HOME writable by everyone (0777)", attempt(home)))
    home = fresh("0770")
    os.chmod(home, 0o770)
    results.append(("SWITCHBOARD_HOME writable by the group (0770)", attempt(home)))
    home = fresh("key0644")
    (home / "master.key").write_text(base64_key() + "\n")
    os.chmod(home / "master.key", 0o644)
    results.append(("master.key readable by others (0644)", attempt(home)))
    home = fresh("db0666")
    (home / "switchboard.sqlite").touch()
    os.chmod(home / "switchboard.sqlite", 0o666)
    results.append(("switchboard.sqlite writable by others (0666)", attempt(home)))
    for name in ("switchboard.sqlite", "switchboard.sqlite-wal", "master.key"):
        home = fresh("link-" + name)
        outside = work / "attacks" / ("outside-" + name)
        outside.touch()
        (home / name).symlink_to(outside)
        results.append((f"{name} is a symbolic link to a file outside the home", attempt(home)))
    if root:
        theirs = fresh("theirs")
        (theirs / "master.key").write_text(base64_key() + "\n")
        os.chmod(theirs / "master.key", 0o600)
        os.chown(theirs / "master.key", 4242, 4242)
        os.chmod(theirs, 0o777)
        os.chown(theirs, 4242, 4242)
        link = work / "attacks" / "linked-home"
        link.symlink_to(theirs)
        results.append(("SWITCHBOARD_HOME links to another user's 0777 folder with a planted key", attempt(link)))
        mine = fresh("planted-key")
        (mine / "master.key").write_text(base64_key() + "\n")
        os.chmod(mine / "master.key", 0o600)
        os.chown(mine / "master.key", 4242, 4242)
        results.append(("master.key planted by another user in the home", attempt(mine)))
    else:
        results.append(("another user's folder / planted key", "skipped (needs root)"))
    return results


def base64_key():
    import base64
    return base64.b64encode(os.urandom(32)).decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=str(ROOT / ".build" / "debug" / "switchboard"))
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--markdown", action="store_true", help="print the RELIABILITY.md table")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="switchboard-reliability-"))
    bench = Bench(args.binary, work)
    rows = []
    try:
        for label, fault in FAULTS.items():
            duplicates = posts_total = 0
            for _ in range(args.trials):
                numbers, posts = bench.trial(fault)
                duplicates += numbers > 1
                posts_total += posts
                assert numbers >= 1, f"{label}: no number after the retries"
            rows.append((label, args.trials, duplicates, posts_total))
            print(f"{label}: {args.trials} trials, {duplicates} duplicate purchases, {posts_total} POSTs", flush=True)
    finally:
        bench.close()
    attacks = home_attacks(args.binary, work)
    for label, outcome in attacks:
        print(f"{label}: {outcome}", flush=True)
    blobs = {}
    for i, p in enumerate(bench.processes):
        blobs[f"stdout {i}"] = bytes(p.out)
        blobs[f"stderr {i}"] = bytes(p.err)
    for path in bench.home.rglob("*"):
        if path.is_file():
            blobs[str(path)] = path.read_bytes()
    hits = scan_blobs(bench.secrets, blobs)
    total_bytes = sum(len(b) for b in blobs.values())
    print(f"secret scan: {len(hits)} hits in {total_bytes} bytes written", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    if args.markdown:
        print()
        print("| fault class (createNumber under one key) | trials | duplicate purchases | POSTs sent |")
        print("| --- | ---: | ---: | ---: |")
        for label, trials, dups, posts in rows:
            print(f"| {label} | {trials} | {dups} | {posts} |")
        print()
        print("| home-folder attack | outcome |")
        print("| --- | --- |")
        for label, outcome in attacks:
            print(f"| {label} | {outcome} |")
        print()
        print(f"Secret bytes found in {total_bytes} bytes of stdout, stderr and home folder: {len(hits)}")
    failed = any(d for _, _, d, _ in rows) or any(o == "OPENED" for _, o in attacks) or hits
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

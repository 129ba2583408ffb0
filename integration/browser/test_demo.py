"""scripts/demo: a newcomer gets the page over a seeded fake with no account, and Ctrl-C (SIGTERM
here) leaves nothing behind."""
import json
import os
import re
import select
import signal
import subprocess
import urllib.request
from pathlib import Path

from bridge_process import ROOT, URL_LINE
from switchboard_process import binary_path


def in_session(sid: int) -> list[int]:
    """Live processes of session `sid` (the demo runs in its own session)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if stat:
            fields = stat[stat.rindex(")") + 2:].split()
            if fields[0] != "Z" and int(fields[3]) == sid:
                found.append(int(entry.name))
    return found


def test_demo_serves_seeded_numbers_and_cleans_up(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SWITCHBOARD_")}
    env.update({"SWITCHBOARD_BIN": binary_path(), "TMPDIR": str(tmp_path)})
    demo = subprocess.Popen(["bash", str(ROOT / "scripts" / "demo")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        assert select.select([demo.stdout], [], [], 30)[0], "the demo printed no URL"
        line = demo.stdout.readline().decode().rstrip("\n")
        match = URL_LINE.match(line)
        assert match, line
        port, token = match.groups()

        def call(method):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/rpc", method="POST",
                data=json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": {}}).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=20) as response:
                return json.load(response)["result"]

        numbers = call("listNumbers")["numbers"]
        twilio = call("listTwilio")["numbers"]
        assert len(numbers) >= 24 and {n["provider"] for n in numbers} == {"vapi", "twilio"}
        assert len(twilio) >= 24 and any(t["imported"] for t in twilio) and not all(t["imported"] for t in twilio)
        assert call("getCredentialStatus")["fields"]["transferPhoneNumber"]["hint"] == "+14155550100"
        assert [p.name for p in Path(tmp_path).iterdir() if p.name.startswith("switchboard-demo.")]
    finally:
        demo.send_signal(signal.SIGTERM)
        demo.wait(20)
    assert not [p for p in Path(tmp_path).iterdir() if p.name.startswith("switchboard-demo.")], \
        "the demo left its throwaway folder"
    leftovers = in_session(demo.pid)
    assert not leftovers, f"processes of the demo still running: {leftovers}"
    stderr = demo.stderr.read().decode()
    assert re.search(r"Ctrl-C stops the demo", stderr)

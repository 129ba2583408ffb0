"""Several processes on ONE home folder: no "database is locked", no lost write."""
from __future__ import annotations

import threading
import time


N = 1000


def phone(process: int, i: int) -> str:
    return "+1%d55%07d" % (process + 2, i)


def payload(sb, profile: str, process: int, count: int, fields=("transferPhoneNumber", "vapiPrivateKey")) -> bytes:
    frames = []
    for i in range(count):
        params = {"profile": profile}
        if "transferPhoneNumber" in fields:
            params["transferPhoneNumber"] = phone(process, i)
        if "vapiPrivateKey" in fields:
            params["vapiPrivateKey"] = "sk-proc%d-key-%04d" % (process, i)
        frames.append(sb.frame({"jsonrpc": "2.0", "id": i, "method": "setCredentials", "params": params}))
    return b"".join(frames)


def pipeline(processes_and_payloads, timeout=90):
    """Writes every payload at the same moment (one thread per process), then reads every reply."""
    start = threading.Barrier(len(processes_and_payloads))
    errors = []

    def write(sb, data):
        try:
            start.wait()
            sb.write_raw(data)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=pair) for pair in processes_and_payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads), "a process stopped reading its stdin"


def collect(sb, count, timeout=90):
    """Replies by id (in arrival order), failing on the first error."""
    deadline = time.monotonic() + timeout
    replies = {}
    order = []
    while len(replies) < count:
        message = sb.next_message(timeout=max(0.1, deadline - time.monotonic()))
        if not isinstance(message, dict) or "id" not in message or "method" in message:
            continue
        assert "error" not in message, f"request {message['id']} failed: {message['error']}"
        replies[message["id"]] = message["result"]
        order.append(message["id"])
    return replies, order


def test_two_processes_writing_different_profiles(spawn, home):
    a = spawn()
    b = spawn()
    # Both processes open the (fresh) store with their first write, at the same moment.
    pipeline([(a, payload(a, "proc-a", 0, N)), (b, payload(b, "proc-b", 1, N))])
    for process, (sb, profile) in enumerate(((a, "proc-a"), (b, "proc-b"))):
        replies, _ = collect(sb, N)
        # Replies may be written out of order (match by id), but writes on one profile run in the
        # order they arrived: each reply shows its own write and updatedAt never goes back in id order.
        stamps = []
        for i in range(N):
            fields = replies[i]["fields"]
            assert replies[i]["profile"] == profile
            assert fields["transferPhoneNumber"]["hint"] == phone(process, i), i
            assert fields["vapiPrivateKey"]["hint"] == "…%04d" % i, i
            stamps.append(fields["transferPhoneNumber"]["updatedAt"])
        assert stamps == sorted(stamps), "writes on one profile ran out of arrival order (updatedAt went back)"
        assert len(set(stamps)) > 1

    reader = spawn()
    listed = {p["name"]: p for p in reader.call("listProfiles")["profiles"]}
    assert set(listed) == {"proc-a", "proc-b"}
    for process, profile in enumerate(("proc-a", "proc-b")):
        status = reader.call("getCredentialStatus", {"profile": profile})
        assert status["fields"]["transferPhoneNumber"]["hint"] == phone(process, N - 1)
        assert status["fields"]["vapiPrivateKey"]["hint"] == "…%04d" % (N - 1)
        assert listed[profile]["fieldsSet"] == ["vapiPrivateKey", "transferPhoneNumber"]
    assert reader.call("getCredentialStatus")["fields"]["vapiPrivateKey"] == {"set": False}
    # Everyone shares one master key.
    assert (home / "master.key").exists()
    for sb in (a, b, reader):
        sb.stop()
        assert sb.proc.returncode == 0
        assert b"locked" not in bytes(sb.stderr_bytes).lower() and b"busy" not in bytes(sb.stderr_bytes).lower()


def test_two_processes_writing_different_fields_of_one_profile(spawn):
    """No lost update: each write changes only its own field, even when another process wrote in between."""
    count = 300
    a = spawn()
    b = spawn()
    a.call("ping")
    b.call("ping")
    pipeline([(a, payload(a, "shared", 0, count, fields=("vapiPrivateKey",))),
              (b, payload(b, "shared", 1, count, fields=("transferPhoneNumber",)))])
    replies_a, _ = collect(a, count)
    replies_b, _ = collect(b, count)
    for i in range(count):
        assert replies_a[i]["fields"]["vapiPrivateKey"]["hint"] == "…%04d" % i
        assert replies_b[i]["fields"]["transferPhoneNumber"]["hint"] == phone(1, i)
    reader = spawn()
    status = reader.call("getCredentialStatus", {"profile": "shared"})
    assert status["fields"]["vapiPrivateKey"]["hint"] == "…%04d" % (count - 1)
    assert status["fields"]["transferPhoneNumber"]["hint"] == phone(1, count - 1)


def test_three_processes_race_to_create_a_fresh_store(spawn, home):
    """Several processes opening a new home at once agree on one master key: each reads what the others wrote."""
    procs = [spawn() for _ in range(3)]
    pipeline([(sb, sb.frame({"jsonrpc": "2.0", "id": 1, "method": "setCredentials",
                             "params": {"profile": "p%d" % n, "vapiPrivateKey": "sk-race-%d-abcd%d" % (n, n)}}))
              for n, sb in enumerate(procs)])
    for sb in procs:
        reply = sb.response(1, timeout=30)
        assert "result" in reply, reply
    for sb in procs:
        for n in range(3):
            status = sb.call("getCredentialStatus", {"profile": "p%d" % n})
            assert status["fields"]["vapiPrivateKey"]["hint"] == "…bcd%d" % n, status

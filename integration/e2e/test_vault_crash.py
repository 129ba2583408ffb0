"""SIGKILL in the middle of a stream of writes: every acknowledged write survives, nothing is half-written,
and the store opens cleanly afterwards."""
from __future__ import annotations

import random
import signal
import threading
import time

from switchboard_process import Switchboard

STREAM = 3000


def phone(seq: int) -> str:
    return "+1555%07d" % seq


def vapi_key(seq: int) -> str:
    return "sk-crash-%07d" % seq


def seq_of(status) -> int:
    """The sequence number of the stored write, checking both fields come from the same write."""
    fields = status["fields"]
    number = int(fields["transferPhoneNumber"]["hint"][5:])
    assert fields["vapiPrivateKey"]["hint"] == "…" + ("%07d" % number)[-4:], "fields of one write disagree"
    return number


def killable(home) -> Switchboard:
    """A process outside the `spawn` fixture: its stdout may end in the middle of a frame."""
    return Switchboard(home=home)


def stream_and_kill(home, first_seq: int, kill_after_acks: int, rng: random.Random):
    """Streams STREAM writes (seq first_seq, first_seq+1, …) and SIGKILLs the process after reading
    `kill_after_acks` replies. Returns the highest acknowledged seq (or None) and the highest one sent."""
    sb = killable(home)
    stop = threading.Event()
    sent = [first_seq - 1]

    def writer():
        seq = first_seq
        try:
            while seq < first_seq + STREAM and not stop.is_set():
                chunk = rng.randint(1, 40)
                frames = b"".join(
                    sb.frame({"jsonrpc": "2.0", "id": s, "method": "setCredentials",
                              "params": {"transferPhoneNumber": phone(s), "vapiPrivateKey": vapi_key(s)}})
                    for s in range(seq, min(seq + chunk, first_seq + STREAM)))
                sent[0] = min(seq + chunk, first_seq + STREAM) - 1  # before the write: may be partly sent
                sb.write_raw(frames)
                seq += chunk
        except (BrokenPipeError, OSError, ValueError):
            pass  # the process was killed

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    acked = None
    acks = 0
    deadline = time.monotonic() + 30
    try:
        while acks < kill_after_acks:
            message = sb.next_message(timeout=max(0.1, deadline - time.monotonic()))
            assert "error" not in message, message
            acks += 1
            acked = message["id"] if acked is None else max(acked, message["id"])
    finally:
        sb.signal(signal.SIGKILL)
        stop.set()
        sb.wait()
        thread.join(timeout=10)
    assert sb.proc.returncode == -signal.SIGKILL
    return acked, sent[0]


def test_acknowledged_writes_survive_sigkill(spawn, home):
    rng = random.Random()
    seed = rng.randrange(1 << 30)
    rng = random.Random(seed)
    last_acked = None
    highest_sent = -1
    next_seq = 0
    kill_points = [0, 1] + [rng.randint(2, 900) for _ in range(3)]
    rng.shuffle(kill_points)
    for round_number, kill_after in enumerate(kill_points):
        acked, sent = stream_and_kill(home, next_seq, kill_after, rng)
        if acked is not None:
            last_acked = acked
        highest_sent = max(highest_sent, sent)
        next_seq += STREAM

        reader = spawn()
        status = reader.call("getCredentialStatus")
        context = f"seed {seed}, round {round_number}, kill after {kill_after} acks, last acked {last_acked}"
        for name in ("vapiPrivateKey", "transferPhoneNumber"):
            assert "corrupt" not in status["fields"][name], context
        if last_acked is None:
            # Nothing acknowledged yet: empty or any write that was sent.
            if status["fields"]["transferPhoneNumber"]["set"]:
                assert seq_of(status) <= highest_sent, context
        else:
            stored = seq_of(status)
            assert last_acked <= stored <= highest_sent, f"stored {stored}; {context}"
        assert [p["name"] for p in reader.call("listProfiles")["profiles"]] in ([], ["default"]), context
        assert reader.call("ping") == {}
        reader.stop()
        assert reader.proc.returncode == 0


def test_sigkill_while_a_fresh_store_is_being_created(spawn, tmp_path):
    """Killed at a random moment during its first open (database, migrations, master.key), a new
    process still opens the store unlocked and uncorrupted."""
    rng = random.Random()
    for n in range(8):
        home = tmp_path / ("fresh-%d" % n)
        sb = killable(home)
        try:
            sb.start_request("setCredentials", {"vapiPrivateKey": "sk-first-write-%04d" % n})
            time.sleep(rng.uniform(0, 0.12))  # spawn to first reply takes ~0.1 s
        finally:
            sb.signal(signal.SIGKILL)
            sb.wait()
        again = spawn(home=home)
        status = again.call("getCredentialStatus")
        if status["fields"]["vapiPrivateKey"]["set"]:
            assert status["fields"]["vapiPrivateKey"]["hint"] == "…%04d" % n
        status = again.call("setCredentials", {"twilioAuthToken": "0" * 32})
        assert status["fields"]["twilioAuthToken"]["set"] is True
        again.stop()
        third = spawn(home=home)
        assert third.call("getCredentialStatus")["fields"]["twilioAuthToken"]["set"] is True
        third.stop()

"""initialize / shutdown / exit, end of input, signals and parent death."""
import signal
import subprocess
import sys
import time


def test_initialize_result_and_second_initialize(sb):
    result = sb.call("initialize", {"processId": None, "clientInfo": {"name": "pytest"}, "capabilities": {},
                                    "rootUri": None, "trace": "off"})
    assert result["serverInfo"]["name"] == "switchboard"
    assert result["serverInfo"]["version"]
    assert result["protocolVersion"]
    assert result["capabilities"]["transport"]["maxFrameBytes"] == 16 << 20
    sb.notify("initialized", {})
    again = sb.request("initialize", {})
    assert again["error"]["code"] == -32600


def test_requests_work_without_initialize(sb):
    assert sb.call("ping") == {}


def test_shutdown_then_requests_rejected_then_exit(sb):
    sb.call("initialize", {})
    assert sb.call("shutdown") is None
    reply = sb.request("ping")
    assert reply["error"]["code"] == -32600
    assert sb.request("rpc.discover")["error"]["code"] == -32600
    sb.notify("exit")
    assert sb.wait() == 0


def test_exit_without_shutdown_after_initialize_is_1(sb):
    sb.call("initialize", {})
    sb.notify("exit")
    assert sb.wait() == 1


def test_exit_without_initialize_is_0(sb):
    sb.notify("exit")
    assert sb.wait() == 0


def test_shutdown_cancels_in_flight_with_server_cancelled(sb):
    slow = sb.start_request("test/sleep", {"ms": 20000})
    time.sleep(0.2)
    assert sb.call("shutdown") is None
    assert sb.response(slow)["error"]["code"] == -32802


def test_eof_waits_for_in_flight_replies(sb):
    ids = [sb.start_request("test/sleep", {"ms": 300}) for _ in range(5)]
    sb.close_stdin()
    assert sb.wait() == 0
    frames = sb.stdout_frames()
    assert sorted(f["id"] for f in frames) == sorted(ids)
    assert all(f["result"] == {"sleptMs": 300} for f in frames)


def test_sigterm_exits_0_after_in_flight_replies(sb):
    rid = sb.start_request("test/sleep", {"ms": 500})
    time.sleep(0.1)
    sb.signal(signal.SIGTERM)
    assert sb.wait() == 0
    assert [f["id"] for f in sb.stdout_frames()] == [rid]


def test_sigint_exits_0(sb):
    assert sb.call("ping") == {}
    sb.signal(signal.SIGINT)
    assert sb.wait() == 0


def _sleeper():
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def test_exits_when_client_process_id_dies(spawn):
    parent = _sleeper()
    sb = spawn(args=["--clientProcessId", str(parent.pid)])
    assert sb.call("ping") == {}
    parent.kill()
    parent.wait()
    assert sb.wait(timeout=10) == 0


def test_exits_when_initialize_process_id_dies(sb):
    parent = _sleeper()
    sb.call("initialize", {"processId": parent.pid})
    parent.kill()
    parent.wait()
    assert sb.wait(timeout=10) == 0


def test_sigpipe_ignored_when_reader_goes_away(home):
    """The host closes its end of our stdout: writing a reply gets EPIPE, which ends the process
    cleanly (status 0) instead of killing it with SIGPIPE. Spawned by hand so no reader thread
    holds the pipe open."""
    import os
    from switchboard_process import binary_path
    env = {k: v for k, v in os.environ.items() if not k.startswith("SWITCHBOARD_")}
    env["SWITCHBOARD_HOME"] = str(home)
    proc = subprocess.Popen([binary_path()], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env)
    proc.stdout.close()  # nobody reads our stdout any more
    try:
        for i in range(200):
            proc.stdin.write(b'{"jsonrpc":"2.0","id":%d,"method":"ping"}\n' % i)
            proc.stdin.flush()
    except BrokenPipeError:
        pass
    code = proc.wait(timeout=10)
    assert code == 0, "EPIPE must end the process cleanly, not kill it with SIGPIPE"

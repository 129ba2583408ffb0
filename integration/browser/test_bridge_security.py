"""The bridge refuses whatever does not come from its own page with its token, and relays the rest:
checked against the real binary, with the fake upstream's request log and switchboard's debug log
showing that a refused request reached nobody."""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from bridge_process import BRIDGE, URL_LINE, wait_until
from switchboard_process import binary_path

LIST = {"jsonrpc": "2.0", "id": 1, "method": "listNumbers", "params": {}}


def assert_reached_nobody(bridge, fake):
    assert fake.requests() == [], "a refused request reached the fake upstream"
    assert bridge.upstream_calls_logged() == [], "switchboard logged an upstream call for a refused request"


def assert_csp(headers):
    csp = headers.get("content-security-policy", "")
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, headers
    assert headers.get("x-content-type-options") == "nosniff"


def test_first_line_is_the_page_url_with_a_fresh_token_and_only_loopback_is_bound(start_bridge, tmp_path):
    first = start_bridge()
    second = start_bridge(home=tmp_path / "other-home")
    assert URL_LINE.match(first.first_line)
    assert first.token != second.token and first.port != second.port
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.2", first.port), timeout=2).close()


def test_the_right_token_reaches_switchboard_and_upstream(connected_bridge, fake):
    status, headers, reply = connected_bridge.rpc(LIST)
    assert status == 200 and reply["id"] == 1 and "numbers" in reply["result"]
    assert_csp(headers)
    assert fake.requests(provider="vapi"), "control case: an accepted request must reach the fake"
    assert connected_bridge.upstream_calls_logged()


@pytest.mark.parametrize("case", ["no token", "wrong token", "malformed header", "foreign Origin", "null Origin",
                                  "foreign Host", "rebinding Host without port", "cross-site fetch"])
def test_refused_requests_reach_nobody(connected_bridge, fake, case):
    bridge = connected_bridge
    kwargs = {
        "no token": {"token": None},
        "wrong token": {"token": "A" * len(bridge.token)},
        "malformed header": {"token": None, "headers": {"Authorization": f"Basic {bridge.token}"}},
        "foreign Origin": {"headers": {"Origin": "http://evil.example"}},
        "null Origin": {"headers": {"Origin": "null"}},
        "foreign Host": {"host": f"evil.example:{bridge.port}"},
        "rebinding Host without port": {"host": "evil.example"},
        "cross-site fetch": {"headers": {"Sec-Fetch-Site": "cross-site"}},
    }[case]
    status, headers, reply = bridge.rpc(LIST, **kwargs)
    assert status == 403, (case, reply)
    assert_csp(headers)
    assert "result" not in reply
    # a refused write leaves no trace either
    status, _, _ = bridge.rpc({"jsonrpc": "2.0", "id": 2, "method": "setCredentials",
                               "params": {"profile": "intruder", "transferPhoneNumber": "+14155550199"}}, **kwargs)
    assert status == 403
    assert_reached_nobody(bridge, fake)
    assert [p["name"] for p in bridge.call("listProfiles")["profiles"]] == ["default"]


@pytest.mark.parametrize("method", ["deleteProfile", "clearCredentials", "rpc.discover", "shutdown", "exit",
                                    "initialize", "test/echo", "getNumber", "noSuchMethod"])
def test_methods_the_page_does_not_use_are_not_relayed(connected_bridge, fake, method):
    bridge = connected_bridge
    params = {"profile": "default"} if method in ("deleteProfile", "clearCredentials") else {}
    status, headers, reply = bridge.rpc({"jsonrpc": "2.0", "id": 7, "method": method, "params": params})
    assert status == 403 and reply["error"]["code"] == -32601 and reply["error"]["data"]["method"] == method
    assert_csp(headers)
    # a batch that smuggles one refused method in is refused whole
    status, _, reply = bridge.rpc([LIST, {"jsonrpc": "2.0", "id": 8, "method": method, "params": params}])
    assert status == 403
    assert_reached_nobody(bridge, fake)
    assert bridge.call("getCredentialStatus")["vapi"]["configured"] is True


def test_ping_and_non_object_bodies_are_refused(connected_bridge, fake):
    for body in ({"jsonrpc": "2.0", "id": 1, "method": "ping"}, [1, 2], "listNumbers", {"id": 1}):
        status, _, _ = connected_bridge.rpc(body)
        assert status == 403, body
    assert_reached_nobody(connected_bridge, fake)


def test_other_content_types_paths_and_verbs_are_refused(connected_bridge, fake):
    bridge = connected_bridge
    status, headers, _ = bridge.request("POST", "/rpc", body=json.dumps(LIST).encode(),
                                        headers={"Content-Type": "text/plain"})
    assert status == 415
    assert_csp(headers)
    assert bridge.request("GET", "/rpc")[0] == 405
    for path in ("/bridge.mjs", "/README.md", "/../README.md", "/js/../bridge.mjs", "/%2e%2e/README.md", "/js/nope.js"):
        status, headers, _ = bridge.request("GET", path, token=None)
        assert status == 404, path
        assert_csp(headers)
    assert_reached_nobody(bridge, fake)


def test_static_files_need_no_token_but_the_right_host(bridge):
    status, headers, body = bridge.request("GET", "/", token=None)
    assert status == 200 and b"Phone Numbers" in body
    assert headers["content-type"].startswith("text/html")
    assert_csp(headers)
    status, headers, _ = bridge.request("GET", "/js/app.js", token=None)
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert bridge.request("GET", "/", token=None, host="evil.example")[0] == 403
    assert bridge.request("GET", "/", token=None, host=f"localhost:{bridge.port}")[0] == 200


def test_batches_and_ids_from_two_tabs_do_not_collide(connected_bridge, fake):
    bridge = connected_bridge
    fake.fault("delay", provider="vapi", delayMs=400, times=1)
    replies = {}

    def tab(name, body):
        replies[name] = bridge.rpc(body)

    slow = threading.Thread(target=tab, args=("slow", LIST))
    slow.start()
    fast = threading.Thread(target=tab, args=("fast", {"jsonrpc": "2.0", "id": 1, "method": "getCredentialStatus"}))
    fast.start()
    slow.join(20)
    fast.join(20)
    assert replies["slow"][2]["id"] == 1 and "numbers" in replies["slow"][2]["result"]
    assert replies["fast"][2]["id"] == 1 and replies["fast"][2]["result"]["profile"] == "default"

    status, _, reply = bridge.rpc([{"jsonrpc": "2.0", "id": "a", "method": "listProfiles"},
                                   {"jsonrpc": "2.0", "id": 2.5, "method": "getCredentialStatus"}])
    assert status == 200 and [r["id"] for r in reply] == ["a", 2.5]
    assert "profiles" in reply[0]["result"] and "fields" in reply[1]["result"]
    status, _, reply = bridge.rpc([])
    assert status == 400 and reply["error"]["code"] == -32600


def test_progress_reaches_the_page_that_asked_over_server_sent_events(connected_bridge, fake):
    bridge = connected_bridge
    conn = http.client.HTTPConnection("127.0.0.1", bridge.port, timeout=20)
    conn.request("GET", "/events", headers={"Authorization": f"Bearer {bridge.token}"})
    events = conn.getresponse()
    assert events.status == 200 and events.getheader("content-type").startswith("text/event-stream")

    def next_event():
        block = b""
        while not block.endswith(b"\n\n"):
            block += events.fp.readline()
        data = [line[6:] for line in block.decode().splitlines() if line.startswith("data: ")]
        return json.loads("".join(data)) if data else next_event()

    stream = next_event()["stream"]
    status, _, reply = bridge.rpc({"jsonrpc": "2.0", "id": 1, "method": "listNumbers",
                                   "params": {"workDoneToken": "mine"}}, headers={"X-Bridge-Stream": stream})
    assert status == 200 and "result" in reply
    first = next_event()
    assert first["method"] == "$/progress" and first["params"]["token"] == "mine"
    assert first["params"]["value"]["kind"] == "begin"
    conn.close()


def alive(pid: int) -> bool:
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def test_switchboard_ends_with_the_bridge_and_the_bridge_with_switchboard(start_bridge, tmp_path):
    bridge = start_bridge()
    children = wait_until(bridge.children)
    assert len(children) == 1
    bridge.proc.send_signal(signal.SIGTERM)
    assert bridge.proc.wait(10) == 0
    assert wait_until(lambda: not alive(children[0]), 10), "switchboard outlived the bridge"

    other = start_bridge(home=tmp_path / "home-2")
    child = wait_until(other.children)[0]
    os.kill(child, signal.SIGKILL)
    assert other.proc.wait(10) != 0
    assert "switchboard exited" in other.log()

    # even a bridge killed outright takes switchboard with it (--clientProcessId)
    third = start_bridge(home=tmp_path / "home-3")
    child = wait_until(third.children)[0]
    third.proc.kill()
    third.proc.wait(10)
    assert wait_until(lambda: not alive(child), 15), "switchboard outlived a killed bridge"


def test_a_page_that_goes_away_cancels_its_request(connected_bridge, fake):
    bridge = connected_bridge
    fake.seed(twilio=6, twilio_non_voice_every=0)
    sids = [t["sid"] for t in fake.twilio_numbers()]
    fake.fault("delay", provider="twilio", path="/2010-04-01/Accounts/", delayMs=300, times=None)
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "importNumbers", "params": {"sids": sids}}).encode()
    sock = socket.create_connection(("127.0.0.1", bridge.port), timeout=10)
    sock.sendall(b"POST /rpc HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n"
                 b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                 % (bridge.port, bridge.token.encode(), len(body), body))
    assert wait_until(lambda: fake.requests(provider="twilio"), 10)
    sock.close()
    # the import stops at the SID it was working on: far fewer lookups than SIDs
    wait_until(lambda: False, 2.5)
    lookups = [r for r in fake.requests(provider="twilio") if "/IncomingPhoneNumbers/" in r["path"]]
    assert 1 <= len(lookups) < len(sids)
    assert len(fake.requests(provider="vapi", method="POST")) < len(sids)


def test_malformed_requests_get_an_answer_and_reach_nobody(connected_bridge, fake):
    bridge = connected_bridge
    for body in ({"jsonrpc": "1.0", "id": 1, "method": "listNumbers"},
                 {"id": 1, "method": "listNumbers"},
                 {"jsonrpc": "2.0", "id": {"x": 1}, "method": "listNumbers"},
                 [LIST, {"jsonrpc": "2.0", "id": [1], "method": "listNumbers"}]):
        status, _, reply = bridge.rpc(body)
        assert status == 400 and reply["error"]["code"] == -32600, body
    status, _, reply = bridge.request("POST", "/rpc", body=b"{not json")
    assert status == 400 and json.loads(reply)["error"]["code"] == -32700
    assert_reached_nobody(bridge, fake)
    status, _, reply = bridge.rpc({"jsonrpc": "2.0", "id": None, "method": "listProfiles"})
    assert status == 200 and reply["id"] is None and "profiles" in reply["result"]
    status, headers, reply = bridge.rpc({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 99}})
    assert status == 204 and reply is None
    assert_csp(headers)


@pytest.mark.parametrize("how", ["SWITCHBOARD_BIN", "PATH"])
def test_the_binary_is_found_as_the_clients_find_it(tmp_path, how):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SWITCHBOARD_")}
    env["SWITCHBOARD_HOME"] = str(tmp_path / "home")
    if how == "PATH":
        env["PATH"] = f"{os.path.dirname(binary_path())}{os.pathsep}{env.get('PATH', '')}"
    else:
        env["SWITCHBOARD_BIN"] = binary_path()
    proc = subprocess.Popen(["node", str(BRIDGE)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        line = proc.stdout.readline().decode().rstrip("\n")
        assert URL_LINE.match(line), (line, proc.stderr.read() if proc.poll() is not None else b"")
    finally:
        proc.terminate()
        assert proc.wait(10) == 0


def test_the_allow_list_is_exactly_the_methods_the_page_calls():
    """Every method the page's modules call is relayed, and nothing else is (besides $/cancelRequest,
    which rpc.js sends when a request is aborted)."""
    web = Path(BRIDGE).parent
    called = set()
    for module in (web / "js").glob("*.js"):
        called |= set(re.findall(r'rpc\.call\("([^"]+)"', module.read_text()))
    source = Path(BRIDGE).read_text()
    block = re.search(r"ALLOWED_METHODS = new Set\(\[(.*?)\]\)", source, re.S).group(1)
    allowed = set(re.findall(r'"([^"]+)"', block))
    assert {"getUsage", "deleteNumbers", "listNumbers"} <= called
    assert allowed == called | {"$/cancelRequest"}

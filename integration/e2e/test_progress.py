"""$/progress: work-done begin/report/end and partial results, never after the reply."""


def test_work_done_progress_sequence(sb):
    rid = sb.start_request("test/sleep", {"ms": 300, "steps": 3, "workDoneToken": "tok-1"})
    reply = sb.response(rid)
    assert reply["result"] == {"sleptMs": 300}
    values = sb.progress("tok-1")
    kinds = [v["kind"] for v in values]
    assert kinds[0] == "begin" and kinds[-1] == "end"
    assert kinds.count("begin") == 1 and kinds.count("end") == 1
    assert values[0]["title"]
    percentages = [v["percentage"] for v in values if "percentage" in v]
    assert percentages == sorted(percentages) and percentages[-1] == 100
    # nothing on the token after the reply
    sb.call("ping")
    sb.drain(0.2)
    assert sb.progress("tok-1") == []


def test_progress_precedes_reply_on_the_wire(sb):
    rid = sb.start_request("test/sleep", {"ms": 100, "steps": 2, "workDoneToken": 77, "partialResultToken": "p"})
    sb.response(rid)
    sb.stop()
    frames = sb.stdout_frames()
    reply_index = next(i for i, f in enumerate(frames) if f.get("id") == rid)
    assert all(f.get("method") == "$/progress" for f in frames[:reply_index])
    assert frames[reply_index + 1:] == []
    tokens = {f["params"]["token"] for f in frames[:reply_index]}
    assert tokens == {77, "p"}
    partials = [f["params"]["value"] for f in frames[:reply_index] if f["params"]["token"] == "p"]
    assert partials == [[1], [2]]


def test_cancelled_request_still_ends_progress(sb):
    import time
    rid = sb.start_request("test/sleep", {"ms": 10000, "steps": 100, "workDoneToken": "c"})
    time.sleep(0.3)
    sb.notify("$/cancelRequest", {"id": rid})
    assert sb.response(rid)["error"]["code"] == -32800
    kinds = [v["kind"] for v in sb.progress("c")]
    assert kinds[0] == "begin" and kinds[-1] == "end" and kinds.count("end") == 1


def test_no_progress_without_token(sb):
    sb.call("test/sleep", {"ms": 50, "steps": 5})
    sb.drain(0.1)
    assert sb._pending == []

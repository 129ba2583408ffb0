"""Concurrency, cancellation, progress and partial results through the Python clients."""
from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from switchboard_client import CallTimeout, ProgressEvent, RequestCancelled


# ---------------------------------------------------------------------------------------------
# 100 calls in flight


def test_hundred_calls_in_flight_sync(client):
    calls = [client.request("test/sleep", {"ms": 1500}) for _ in range(100)]
    assert not any(c.done() for c in calls), "all 100 are sent before the first reply"
    assert [c.result(60) for c in calls] == [{"sleptMs": 1500}] * 100


def test_hundred_calls_from_many_threads(connected, fake):
    fake.seed(vapi=5)
    barrier = threading.Barrier(20)

    def work(i):
        if i < 20:
            barrier.wait(10)
        if i % 2:
            return connected.list_numbers()["count"]
        return connected.call("test/echo", {"value": i})

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(work, range(100)))
    assert results == [5 if i % 2 else i for i in range(100)]


def test_hundred_calls_in_flight_async(async_client_factory):
    async def main():
        sb = await async_client_factory()
        try:
            calls = [sb.request("test/echo", {"value": i}) for i in range(50)]
            calls += [sb.request("test/sleep", {"ms": 200}) for _ in range(50)]
            results = await asyncio.gather(*calls)
            assert results[:50] == list(range(50)) and results[50:] == [{"sleptMs": 200}] * 50
        finally:
            await sb.close()

    asyncio.run(main())


# ---------------------------------------------------------------------------------------------
# Cancellation: every route sends $/cancelRequest, which the server answers with -32800


def test_timeout_sends_cancel_request(client):
    call = client.request("test/sleep", {"ms": 30000})
    with pytest.raises(CallTimeout):
        call.result(timeout=0.3)
    # The server got $/cancelRequest: the request ends with -32800 long before its 30 s.
    assert isinstance(call.future.exception(timeout=10), RequestCancelled)
    assert client.ping() == {}


def test_method_timeout_raises_call_timeout(connected, fake):
    fake.fault("delay", provider="vapi", method="GET", delayMs=3000)
    with pytest.raises(CallTimeout) as info:
        connected.list_numbers(timeout=0.3)
    assert isinstance(info.value, TimeoutError)
    assert connected.ping() == {}


def test_call_cancel_sends_cancel_request(connected, fake):
    fake.seed(twilio=3, twilio_non_voice_every=0)
    sids = [n["sid"] for n in fake.twilio_numbers()]
    fake.fault("delay", provider="twilio", method="GET", delayMs=800, times=None)
    started = threading.Event()
    call = connected.request("importNumbers", {"sids": sids},
                             on_progress=lambda v: v["kind"] == "begin" and started.set())
    assert started.wait(20), "importNumbers never began"
    call.cancel()
    with pytest.raises(RequestCancelled) as info:
        call.result(timeout=20)
    assert info.value.code == -32800
    assert "notAttempted" in info.value.data and len(info.value.data["notAttempted"]) >= 1


def test_future_cancel_sends_cancel_request(client):
    began, ended = threading.Event(), threading.Event()
    call = client.request("test/sleep", {"ms": 30000, "steps": 300},
                          on_progress=lambda v: (began if v["kind"] == "begin" else ended if v["kind"] == "end" else
                                                 threading.Event()).set())
    assert began.wait(15), "the request never started"
    assert call.future.cancel()
    # The server ends a cancelled request's progress with `end`; uncancelled, that takes 30 s.
    assert ended.wait(15), "no $/cancelRequest reached the server"
    assert client.ping() == {}


def test_async_task_cancel_sends_cancel_request(async_client_factory):
    async def main():
        sb = await async_client_factory()
        try:
            call = sb.request("test/sleep", {"ms": 30000})
            task = asyncio.ensure_future(call.result())
            await asyncio.sleep(0.2)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            with pytest.raises(RequestCancelled):
                await asyncio.wait_for(asyncio.shield(call.future), 10)

            with pytest.raises(CallTimeout):
                await sb.call("test/sleep", {"ms": 30000}, timeout=0.2)

            waiting = asyncio.ensure_future(sb.call("test/sleep", {"ms": 30000}))
            await asyncio.sleep(0.2)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            assert await sb.ping() == {}
        finally:
            await sb.close()

    asyncio.run(main())


# ---------------------------------------------------------------------------------------------
# Progress and partial results


def test_progress_and_partial_callbacks(connected, fake):
    fake.seed(twilio=2500, twilio_non_voice_every=0)
    progress, partial = [], []
    result = connected.list_twilio(on_progress=progress.append, on_partial=partial.append)
    kinds = [p["kind"] for p in progress]
    assert kinds[0] == "begin" and kinds[-1] == "end" and kinds.count("end") == 1
    assert len(partial) == 3, "one partial result per Twilio page of 1000"
    streamed = [n for page in partial for n in page]
    assert result["numbers"] == [] and result["count"] == 2500 == len(streamed)
    assert [n["sid"] for n in streamed] == [t["sid"] for t in fake.twilio_numbers()]


def test_progress_events_iterator(connected, fake):
    fake.seed(vapi=1200)
    call = connected.request("listNumbers", {}, events=True)
    events = list(call.events())
    assert all(isinstance(e, ProgressEvent) for e in events)
    work = [e.value for e in events if e.kind == "progress"]
    pages = [e.value for e in events if e.kind == "partial"]
    assert work[0]["kind"] == "begin" and work[-1]["kind"] == "end"
    assert sum(len(p) for p in pages) == 1200 and len(pages) == 2
    assert call.result(5) == {"numbers": [], "count": 1200}


def test_progress_of_import_numbers(connected, fake):
    fake.seed(twilio=3, twilio_non_voice_every=0)
    reports, results = [], []
    out = connected.import_numbers(sids=[n["sid"] for n in fake.twilio_numbers()],
                                   on_progress=reports.append, on_partial=results.append)
    assert out["imported"] == 3 and out["results"] == []
    assert [r["sid"] for page in results for r in page] == [n["sid"] for n in fake.twilio_numbers()]
    assert any(r.get("kind") == "report" for r in reports)


def test_progress_async(async_client_factory, fake, creds):
    fake.seed(vapi=1500)

    async def main():
        sb = await async_client_factory()
        try:
            await sb.set_credentials(**creds)
            pages, work = [], []
            result = await sb.list_numbers(on_partial=pages.append, on_progress=work.append)
            assert result["count"] == 1500 and sum(len(p) for p in pages) == 1500
            assert work[-1]["kind"] == "end"
            call = sb.request("listNumbers", {}, events=True)
            kinds = [e.kind async for e in call.events()]
            assert "partial" in kinds and "progress" in kinds
            assert (await call)["count"] == 1500
        finally:
            await sb.close()

    asyncio.run(main())


def test_other_notifications_reach_on_notification(binary, client_env):
    from switchboard_client import Switchboard
    seen = []
    with Switchboard(binary, env=client_env, on_notification=lambda m, p: seen.append((m, p))) as sb:
        # A token the client did not route: its progress goes to on_notification.
        sb.call("test/sleep", {"ms": 50, "steps": 2, "workDoneToken": "mine"})
    assert seen and all(m == "$/progress" and p["token"] == "mine" for m, p in seen)

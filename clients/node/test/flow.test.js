'use strict';
// 100 calls in flight, AbortSignal cancellation, progress and partial results, a killed server,
// Content-Length framing, and the three ways the binary is found.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { Switchboard, SwitchboardError, ServerExitedError, BinaryNotFoundError, findBinary } = require('..');
const { binaryPath, startFake, serverEnv, credentials, tempDir } = require('./helpers');

let fake;
test.before(async () => { fake = await startFake(); });
test.after(async () => { await fake.stop(); });
test.beforeEach(async () => { await fake.reset(); });

function open(extra = {}, options = {}) {
  return new Switchboard({ binary: binaryPath(), env: serverEnv(fake, extra), ...options });
}

test('100 calls in flight', async () => {
  const sb = open();
  try {
    await sb.setCredentials(credentials(fake));
    await fake.seed({ vapi: 5 });
    const calls = [];
    for (let i = 0; i < 100; i += 1) {
      if (i % 3 === 0) calls.push(sb.call('test/sleep', { ms: 200 }));
      else if (i % 3 === 1) calls.push(sb.call('test/echo', { value: i }));
      else calls.push(sb.listNumbers().then((r) => r.count));
    }
    const results = await Promise.all(calls);
    results.forEach((r, i) => assert.deepEqual(r, i % 3 === 0 ? { sleptMs: 200 } : i % 3 === 1 ? i : 5));
  } finally {
    await sb.dispose();
  }
});

test('AbortSignal sends $/cancelRequest; the call rejects with -32800 and its data', async () => {
  const sb = open();
  try {
    const controller = new AbortController();
    const pending = sb.call('test/sleep', { ms: 30000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const error = await pending.catch((e) => e);
    assert.ok(error instanceof SwitchboardError);
    assert.equal(error.code, -32800);

    const timedOut = await sb.call('test/sleep', { ms: 30000 }, { timeout: 200 }).catch((e) => e);
    assert.equal(timedOut.code, -32800);

    await sb.setCredentials(credentials(fake));
    await fake.seed({ twilio: 3, twilioNonVoiceEvery: 0 });
    const sids = (await fake.state()).twilio.map((t) => t.sid);
    await fake.fault({ kind: 'delay', provider: 'twilio', method: 'GET', delayMs: 800, times: null });
    const stop = new AbortController();
    const batch = await sb.importNumbers({ sids }, {
      signal: stop.signal,
      onProgress: (value) => { if (value.kind === 'begin') stop.abort(); },
    }).catch((e) => e);
    assert.equal(batch.code, -32800);
    assert.ok(Array.isArray(batch.data.notAttempted) && batch.data.notAttempted.length >= 1);

    const already = new AbortController();
    already.abort();
    assert.equal((await sb.ping({}, { signal: already.signal }).catch((e) => e)).code, -32800);
    assert.deepEqual(await sb.ping(), {});
  } finally {
    await sb.dispose();
  }
});

test('progress callbacks, partial results and progress events', async () => {
  const sb = open();
  try {
    await sb.setCredentials(credentials(fake));
    await fake.seed({ twilio: 2500, twilioNonVoiceEvery: 0 });
    const progress = [];
    const pages = [];
    const events = [];
    sb.on('progress', (params) => events.push(params));
    const result = await sb.listTwilio({}, { onProgress: (v) => progress.push(v), onPartial: (items) => pages.push(items) });
    assert.equal(progress[0].kind, 'begin');
    assert.equal(progress.at(-1).kind, 'end');
    assert.equal(pages.length, 3);
    assert.deepEqual(result.numbers, []);
    assert.equal(result.count, 2500);
    const streamed = pages.flat().map((n) => n.sid);
    assert.deepEqual(streamed, (await fake.state()).twilio.map((t) => t.sid));
    assert.equal(events.length, progress.length + pages.length, "every $/progress is also a 'progress' event");

    const own = await sb.call('test/sleep', { ms: 60, steps: 3, workDoneToken: 'mine' });
    assert.deepEqual(own, { sleptMs: 60 });
    assert.ok(events.some((e) => e.token === 'mine' && e.value.kind === 'end'));
  } finally {
    await sb.dispose();
  }
});

test('a killed server rejects every pending call with the tail of its stderr', async () => {
  const sb = open({}, { logLevel: 'debug' });
  const pending = [1, 2, 3, 4, 5].map(() => sb.call('test/sleep', { ms: 30000 }).catch((e) => e));
  assert.deepEqual(await sb.ping(), {});
  while (!sb.stderrTail()) await new Promise((resolve) => setTimeout(resolve, 20)); // its log is asynchronous
  sb.kill('SIGKILL');
  const errors = await Promise.all(pending);
  for (const error of errors) {
    assert.ok(error instanceof ServerExitedError);
    assert.equal(error.signal, 'SIGKILL');
    assert.match(error.message, /killed by SIGKILL with 5 call\(s\) pending/);
    assert.ok(error.stderrTail.length > 0 && error.message.includes(error.stderrTail));
  }
  await assert.rejects(sb.ping(), ServerExitedError);
  await sb.dispose();
});

test('the binary is found by option, SWITCHBOARD_BIN and PATH', async () => {
  const binary = binaryPath();
  const saved = { bin: process.env.SWITCHBOARD_BIN, path: process.env.PATH };
  const folder = tempDir('switchboard-path-');
  fs.symlinkSync(binary, path.join(folder, 'switchboard'));
  try {
    process.env.PATH = '/nonexistent';
    delete process.env.SWITCHBOARD_BIN;
    assert.equal(findBinary(binary), binary);
    assert.throws(() => findBinary(), BinaryNotFoundError);
    assert.throws(() => new Switchboard({ binary: path.join(folder, 'missing') }), BinaryNotFoundError);

    process.env.SWITCHBOARD_BIN = binary;
    assert.equal(findBinary(), binary);
    let sb = new Switchboard({ env: serverEnv(fake) });
    assert.equal(sb.binary, binary);
    assert.deepEqual(await sb.ping(), {});
    await sb.dispose();

    delete process.env.SWITCHBOARD_BIN;
    process.env.PATH = folder;
    sb = new Switchboard({ env: serverEnv(fake) });
    assert.equal(sb.binary, path.join(folder, 'switchboard'));
    assert.deepEqual(await sb.ping(), {});
    await sb.dispose();
  } finally {
    process.env.PATH = saved.path;
    if (saved.bin === undefined) delete process.env.SWITCHBOARD_BIN; else process.env.SWITCHBOARD_BIN = saved.bin;
  }
});

test('Content-Length framing, as vscode-jsonrpc StreamMessageWriter/Reader speak it', async () => {
  // vscode-jsonrpc is not installable here (no npm registry); this drives the server with the same
  // framing its StreamMessageWriter writes and StreamMessageReader reads, as the README shows.
  const child = spawn(binaryPath(), [], { env: { ...process.env, ...serverEnv(fake) }, stdio: ['pipe', 'pipe', 'ignore'] });
  const frame = (message) => {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
  };
  child.stdin.write(frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { clientInfo: { name: 'vscode' } } }));
  child.stdin.write(frame({ jsonrpc: '2.0', id: 2, method: 'test/echo', params: { value: 'héllo' } }));
  child.stdin.end();
  const chunks = [];
  for await (const chunk of child.stdout) chunks.push(chunk);
  let data = Buffer.concat(chunks);
  const replies = [];
  while (data.length) {
    const end = data.indexOf('\r\n\r\n');
    const length = Number(/Content-Length: (\d+)/i.exec(data.subarray(0, end).toString('ascii'))[1]);
    replies.push(JSON.parse(data.subarray(end + 4, end + 4 + length).toString('utf8')));
    data = data.subarray(end + 4 + length);
  }
  replies.sort((a, b) => a.id - b.id);
  assert.equal(replies[0].result.serverInfo.name, 'switchboard');
  assert.equal(replies[1].result, 'héllo');
});

'use strict';
// One error of each documented data.kind, as a SwitchboardError carrying code, kind, message and data.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Switchboard, SwitchboardError, ERROR_KINDS } = require('..');
const { binaryPath, startFake, serverEnv, credentials, tempDir } = require('./helpers');

let fake;
const seen = new Map();
test.before(async () => { fake = await startFake(); });
test.after(async () => { await fake.stop(); });
test.beforeEach(async () => { await fake.reset(); });

async function expectKind(kind, promise) {
  const error = await promise.then(() => { throw new Error(`expected ${kind}`); }, (e) => e);
  assert.ok(error instanceof SwitchboardError, String(error));
  assert.equal(error.kind, kind);
  assert.equal(error.data.kind, kind);
  assert.equal(error.code, ERROR_KINDS[kind]);
  assert.equal(error.family, kind.split('.')[0]);
  assert.ok(error.message.length > 0);
  seen.set(kind, error);
  return error;
}

function open(env) {
  return new Switchboard({ binary: binaryPath(), env });
}

test('credentials and upstream kinds', async () => {
  await fake.seed({ twilio: 2, twilioNonVoiceEvery: 0 });
  const sb = open(serverEnv(fake, { SWITCHBOARD_HTTP_MAX_RETRIES: '1' }));
  try {
    const missing = await expectKind('credentials.missing', sb.listNumbers());
    assert.deepEqual(missing.data.missing, ['vapiPrivateKey']);
    await sb.setCredentials(credentials(fake));
    assert.equal((await expectKind('upstream.error', sb.createNumber({ areaCode: '999' }))).data.status, 400);
    await fake.fault({ kind: 'status', provider: 'vapi', method: 'GET', status: 503, times: null });
    await expectKind('upstream.unavailable', sb.listNumbers());
    await fake.clearFaults();
    await fake.fault({ kind: 'status', provider: 'vapi', method: 'GET', status: 429, retryAfter: '0', times: null });
    await expectKind('upstream.rateLimited', sb.listNumbers());
    await fake.clearFaults();
    await fake.fault({ kind: 'lose_reply', provider: 'vapi', method: 'POST' });
    await expectKind('upstream.outcomeUnknown', sb.createNumber({ areaCode: '415' }));
    const twilio = (await fake.state()).twilio;
    const number = await sb.importNumber({ sid: twilio[0].sid });
    assert.equal((await expectKind('conflict', sb.importNumber({ sid: twilio[0].sid }))).data.vapiId, number.id);
    await expectKind('notFound', sb.getNumber({ id: crypto.randomUUID() }));
    await sb.setCredentials({ vapiPrivateKey: 'not-the-key' });
    await expectKind('upstream.unauthorized', sb.listNumbers());
  } finally {
    await sb.dispose();
  }
});

test('a number that cannot take voice calls', async () => {
  await fake.seed({ twilio: 4, twilioNonVoiceEvery: 2 });
  const sb = open(serverEnv(fake));
  try {
    await sb.setCredentials(credentials(fake));
    const faxOnly = (await fake.state()).twilio.find((t) => !t.capabilities.voice);
    const error = await expectKind('notVoiceCapable', sb.importNumber({ sid: faxOnly.sid }));
    assert.equal(error.data.phoneNumber, faxOnly.phone_number);
    assert.equal(error.data.capabilities.voice, false);
  } finally {
    await sb.dispose();
  }
});

test('usage kinds', async () => {
  await fake.seed({ vapi: 1 });
  const sb = open(serverEnv(fake));
  try {
    await sb.setCredentials(credentials(fake));
    const id = (await fake.state()).vapi[0].id;
    await fake.fault({ kind: 'status', provider: 'vapi', path: '/call', status: 400 });
    assert.equal((await expectKind('usage.refused', sb.getUsage({ ids: [id] }))).data.numberId, id);
    const window = { since: '2026-01-01T00:00:00Z', until: '2026-01-01T00:00:01Z' };
    await fake.control('POST', 'calls', { phoneNumberId: id, sameInstant: 1001, ...window });
    await expectKind('usage.tooDense', sb.getUsage({ ids: [id], ...window }));
  } finally {
    await sb.dispose();
  }
});

test('vault kinds', async () => {
  const shared = path.join(tempDir('switchboard-node-'), 'shared-home');
  fs.mkdirSync(shared);
  fs.chmodSync(shared, 0o777);
  let unsafe = open({ ...serverEnv(fake), SWITCHBOARD_HOME: shared });
  assert.equal((await expectKind('vault.unsafe', unsafe.getCredentialStatus())).data.reason, 'writableByOthers');
  await unsafe.dispose();

  const file = path.join(tempDir('switchboard-node-'), 'not-a-folder');
  fs.writeFileSync(file, 'x\n');
  let sb = open({ ...serverEnv(fake), SWITCHBOARD_HOME: file });
  await expectKind('vault.unavailable', sb.getCredentialStatus());
  await sb.dispose();

  sb = open(serverEnv(fake, { SWITCHBOARD_MASTER_KEY: 'not base64 at all' }));
  assert.equal((await expectKind('vault.locked', sb.getCredentialStatus())).data.reason, 'malformedKey');
  await sb.dispose();

  const env = serverEnv(fake, { SWITCHBOARD_MASTER_KEY: crypto.randomBytes(32).toString('base64') });
  sb = open(env);
  await sb.setCredentials({ vapiPrivateKey: 'sk-live-0123456789abcdef' });
  await sb.dispose();
  // Damage the stored key's last byte (the GCM tag) with the sqlite3 module of Python's standard library.
  execFileSync('python3', ['-c', `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
(box,) = db.execute("SELECT box FROM credentials WHERE profile='default' AND field='vapiPrivateKey'").fetchone()
box = bytearray(box); box[-1] ^= 1
db.execute("UPDATE credentials SET box=? WHERE profile='default' AND field='vapiPrivateKey'", (bytes(box),))
db.commit()
`, path.join(env.SWITCHBOARD_HOME, 'switchboard.sqlite')]);
  sb = open(env);
  assert.deepEqual((await expectKind('vault.corrupt', sb.listNumbers())).data.fields, ['vapiPrivateKey']);
  await sb.dispose();
});

test('every documented kind was raised', () => {
  assert.deepEqual([...seen.keys()].sort(), Object.keys(ERROR_KINDS).sort());
});

test('protocol errors carry code and data, no kind', async () => {
  const sb = open(serverEnv(fake));
  try {
    const error = await sb.createNumber({ areaCode: '41' }).catch((e) => e);
    assert.equal(error.code, -32602);
    assert.equal(error.kind, undefined);
    assert.equal(error.message, 'Valid 3-digit area code is required');
    assert.equal(error.data.field, '/areaCode');
    const unknown = await sb.call('noSuchMethod').catch((e) => e);
    assert.equal(unknown.code, -32601);
    assert.equal(unknown.data.method, 'noSuchMethod');
  } finally {
    await sb.dispose();
  }
});

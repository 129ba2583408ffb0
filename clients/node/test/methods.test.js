'use strict';
// Every RPC method through its generated camelCase method, against the real binary and the fake upstream.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Switchboard, SwitchboardError, METHODS } = require('..');
const { binaryPath, startFake, serverEnv, credentials } = require('./helpers');

let fake;
test.before(async () => { fake = await startFake(); });
test.after(async () => { await fake.stop(); });
test.beforeEach(async () => { await fake.reset(); });

test('every method once', async () => {
  await fake.seed({ vapi: 3, twilio: 6, twilioNonVoiceEvery: 0 });
  const called = new Set();
  const use = (name, value) => { called.add(name); return value; };
  const sb = new Switchboard({ binary: binaryPath(), env: serverEnv(fake) });
  try {
    const init = use('initialize', await sb.initialize({ clientInfo: { name: 'node-test' }, processId: process.pid }));
    assert.equal(init.serverInfo.name, 'switchboard');
    use('initialized', sb.initialized());
    assert.deepEqual(use('ping', await sb.ping()), {});
    const doc = use('rpcDiscover', await sb.rpcDiscover());
    const served = new Set(doc.methods.map((m) => m.name));
    for (const spec of Object.values(METHODS)) assert.ok(served.has(spec.method), spec.method);

    const status = use('setCredentials', await sb.setCredentials(credentials(fake)));
    assert.ok(status.vapi.configured && status.twilio.configured);
    assert.match(use('getCredentialStatus', await sb.getCredentialStatus()).fields.twilioAccountSid.hint, /^AC…/);
    const check = use('verifyCredentials', await sb.verifyCredentials({}));
    assert.ok(check.vapi.ok && check.twilio.ok);
    assert.deepEqual(use('listProfiles', await sb.listProfiles()).profiles.map((p) => p.name), ['default']);

    assert.equal(use('listNumbers', await sb.listNumbers({ profile: 'default' })).count, 3);
    const twilio = use('listTwilio', await sb.listTwilio({ includeNonVoice: true }));
    assert.equal(twilio.count, 6);
    const sids = twilio.numbers.map((n) => n.sid);
    const one = use('importNumber', await sb.importNumber({ sid: sids[0], name: 'Main line', idempotencyKey: 'n-1' }));
    assert.equal(one.smsEnabled, false);
    const many = use('importNumbers', await sb.importNumbers({ sids: sids.slice(1, 3), namePrefix: 'Acme ' }));
    assert.equal(many.imported, 2);
    const bulk = use('deleteNumbers', await sb.deleteNumbers({ ids: [one.id], confirm: 'release 1 numbers' }));
    assert.equal(bulk.released, 1);
    const created = use('createNumber', await sb.createNumber({ areaCode: '415', name: 'Sales' }));
    assert.equal(created.fallbackDestination.number, '+14155550100');
    assert.equal(use('getNumber', await sb.getNumber({ id: created.id })).id, created.id);
    assert.equal(use('getUsage', await sb.getUsage({ ids: [created.id] })).usage[0].calls, 0);
    const updated = use('updateNumber', await sb.updateNumber({ id: created.id, name: 'Sales (West)', fallbackNumber: null }));
    assert.equal(updated.name, 'Sales (West)');
    assert.equal(updated.fallbackDestination, undefined);
    assert.equal(use('deleteNumber', await sb.deleteNumber({ id: created.id, confirm: created.number })).id, created.id);
    const ops = use('listOperations', await sb.listOperations({ limit: 10 })).operations;
    assert.deepEqual(ops.slice(0, 2).map((o) => o.method), ['deleteNumber', 'updateNumber']);
    assert.equal(use('clearCredentials', await sb.clearCredentials()).vapi.configured, false);
    assert.deepEqual(use('deleteProfile', await sb.deleteProfile({ profile: 'default' })), { profile: 'default', deleted: true });

    assert.equal(use('shutdown', await sb.shutdown()), null);
    await assert.rejects(sb.ping(), (error) => error instanceof SwitchboardError && error.code === -32600);
    use('exit', sb.exit());
    assert.equal(await sb.exited, 0);
  } finally {
    await sb.dispose();
  }
  assert.deepEqual([...called].sort(), Object.keys(METHODS).sort());
});

test('call() by wire name, and the ESM entry point exports the same classes', async () => {
  const esm = await import(path.join(__dirname, '..', 'index.mjs'));
  assert.equal(esm.Switchboard, Switchboard);
  assert.equal(esm.default.Switchboard, Switchboard);
  const sb = new esm.Switchboard({ binary: binaryPath(), env: serverEnv(fake) });
  try {
    assert.deepEqual(await sb.call('test/echo', { value: [1, 'é', { a: null }] }), [1, 'é', { a: null }]);
    assert.deepEqual(await sb.call('ping'), {});
  } finally {
    assert.equal(await sb.dispose(), 0);
  }
});

test('the package resolves by name from CommonJS and ESM (package.json exports)', async () => {
  const pkg = require('../package.json');
  assert.equal(pkg.exports['.'].require, './index.js');
  assert.equal(pkg.exports['.'].import, './index.mjs');
  assert.equal(pkg.exports['.'].types, './index.d.ts');
  assert.deepEqual(pkg.dependencies, undefined, 'zero dependencies');
});

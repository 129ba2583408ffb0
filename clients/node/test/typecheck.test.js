'use strict';
// Type-checks test/typecheck/sample.ts against index.d.ts with tsc (Debian's node-typescript).
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

test('a host program type-checks against index.d.ts, and wrong calls are refused', () => {
  const run = spawnSync('tsc', ['-p', path.join(__dirname, 'typecheck')], { encoding: 'utf8' });
  assert.equal(run.error, undefined, 'tsc not found: scripts/install-deps.sh --test installs node-typescript');
  // sample.ts marks each wrong call with a ts-expect-error directive: an unused one is an error too.
  assert.equal(run.status, 0, run.stdout + run.stderr);
});

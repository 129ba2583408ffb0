'use strict';
// Test helpers: the real switchboard binary and the fake Vapi/Twilio upstream
// (integration/fake_upstream/fake_upstream.py), started as its own process.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** SWITCHBOARD_BIN, else the debug build in this checkout. */
function binaryPath() {
  const candidate = process.env.SWITCHBOARD_BIN || path.join(ROOT, '.build', 'debug', 'switchboard');
  if (!fs.existsSync(candidate)) throw new Error(`switchboard binary not built (${candidate}): run swift build or set SWITCHBOARD_BIN`);
  return path.resolve(candidate);
}

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts the fake upstream on a free port; resolves once it printed READY <port>. */
async function startFake() {
  const child = spawn('python3', [path.join(ROOT, 'integration', 'fake_upstream', 'fake_upstream.py'), '--port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const port = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fake upstream exited (${code})`)));
    lines.on('line', (line) => { if (line.startsWith('READY ')) resolve(Number(line.slice(6))); });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  async function control(method, route, body) {
    const response = await fetch(baseUrl + '/__control/' + route, {
      method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`control ${route}: ${response.status} ${await response.text()}`);
    return response.json();
  }
  const config = await control('GET', 'config');
  return {
    baseUrl,
    vapiKey: config.vapiKey,
    accountSid: config.accountSid,
    authToken: config.authToken,
    control,
    seed: (spec) => control('POST', 'seed', spec),
    fault: (spec) => control('POST', 'fault', spec),
    clearFaults: () => control('POST', 'faults/clear'),
    reset: () => control('POST', 'reset', {}),
    state: () => control('GET', 'state'),
    stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }),
  };
}

/** Environment for a server pointed at `fake`, with a fresh home and the test hooks on. */
function serverEnv(fake, extra = {}) {
  return {
    SWITCHBOARD_HOME: path.join(tempDir('switchboard-node-'), 'home'),
    SWITCHBOARD_VAPI_BASE_URL: fake.baseUrl,
    SWITCHBOARD_TWILIO_BASE_URL: fake.baseUrl,
    SWITCHBOARD_HTTP_BACKOFF_MS: '20',
    SWITCHBOARD_HTTP_TIMEOUT_MS: '5000',
    SWITCHBOARD_TEST_HOOKS: '1',
    ...extra,
  };
}

function credentials(fake) {
  return { vapiPrivateKey: fake.vapiKey, twilioAccountSid: fake.accountSid, twilioAuthToken: fake.authToken, transferPhoneNumber: '+14155550100' };
}

module.exports = { ROOT, binaryPath, tempDir, startFake, serverEnv, credentials };

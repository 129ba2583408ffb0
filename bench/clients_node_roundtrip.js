'use strict';
// Round trips from Node, for bench/benchmarks_clients.py: either through clients/node
// (`client`) or over bare pipes with line splitting and JSON.parse (`raw`).
//   node bench/clients_node_roundtrip.js client|raw METHOD COUNT WARMUPS
// The server is $SWITCHBOARD_BIN with the caller's environment. Prints {"times_ns": [...]} on stdout.
const { spawn } = require('node:child_process');
const path = require('node:path');
const { Switchboard } = require(path.join(__dirname, '..', 'clients', 'node'));

const [mode, method, countText, warmText] = process.argv.slice(2);
const count = Number(countText);
const warmups = Number(warmText);

async function viaClient() {
  const sb = new Switchboard({ binary: process.env.SWITCHBOARD_BIN });
  const times = [];
  for (let i = 0; i < warmups + count; i += 1) {
    const t0 = process.hrtime.bigint();
    const result = await sb.call(method, {});
    const t1 = process.hrtime.bigint();
    if (result === undefined) throw new Error('no result');
    if (i >= warmups) times.push(Number(t1 - t0));
  }
  await sb.dispose();
  return times;
}

async function viaRawPipes() {
  const child = spawn(process.env.SWITCHBOARD_BIN, [], { stdio: ['pipe', 'pipe', 'ignore'] });
  let buffered = [];
  let waiting = null;
  child.stdout.on('data', (chunk) => {
    let start = 0;
    let nl = chunk.indexOf(10);
    while (nl !== -1) {
      buffered.push(chunk.subarray(start, nl));
      const line = Buffer.concat(buffered);
      buffered = [];
      const resolve = waiting;
      waiting = null;
      resolve(JSON.parse(line.toString('utf8')));
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) buffered.push(chunk.subarray(start));
  });
  const times = [];
  for (let i = 0; i < warmups + count; i += 1) {
    const t0 = process.hrtime.bigint();
    const reply = await new Promise((resolve) => {
      waiting = resolve;
      child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: i + 1, method, params: {} }) + '\n');
    });
    const t1 = process.hrtime.bigint();
    if (reply.id !== i + 1 || reply.error) throw new Error(`unexpected reply ${JSON.stringify(reply).slice(0, 200)}`);
    if (i >= warmups) times.push(Number(t1 - t0));
  }
  child.stdin.end();
  await new Promise((resolve) => child.once('close', resolve));
  return times;
}

(mode === 'client' ? viaClient() : viaRawPipes()).then((times) => {
  process.stdout.write(JSON.stringify({ times_ns: times }) + '\n');
}, (error) => {
  process.stderr.write(String(error && error.stack || error) + '\n');
  process.exit(1);
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startCognigySimulator, type CognigySimulator } from '../../src/vendors/cognigy/simulator';
import { startGate, type Gate } from '../helpers/gate';
import { deleteNamespace, describeWithRedis, REDIS_URL, testNamespace } from '../helpers/redis';

/**
 * The built server (node dist/src/main.js) as an operator runs it, with
 * NODE_ENV unset: jest sets NODE_ENV=test for its children, and under that
 * Apollo leaves signals alone, which once hid a shutdown that never ended.
 * A SIGTERM while a request is in flight must: answer that request, refuse
 * new connections, close everything and exit 0 within the grace period + 2 s.
 */

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const START_TIMEOUT_MS = 60_000;
const DEFAULT_GRACE_MS = 10_000;
jest.setTimeout(240_000);

beforeAll(() => {
  // The test runs what `npm start` runs: the compiled server, built from this working copy.
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
});

interface Run {
  proc: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpMatchArray>;
}

const running: Run[] = [];
afterAll(async () => {
  // Only the processes this file started, by their own handle.
  for (const run of running) if (run.proc.exitCode === null && run.proc.signalCode === null) run.proc.kill('SIGKILL');
  await Promise.all(running.map((r) => r.exited));
});

function start(env: Record<string, string>): Run {
  const inherited = { ...process.env };
  for (const key of ['NODE_ENV', 'USAGEGRAPH_CONFIG', 'PORT', 'LOG_LEVEL', 'USAGEGRAPH_DEMO_LATENCY_MS']) delete inherited[key];
  const proc = spawn(process.execPath, [MAIN], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  const waiters: Array<() => void> = [];
  const notify = () => waiters.splice(0).forEach((w) => w());
  proc.stdout!.on('data', (chunk: Buffer) => ((out.stdout += chunk.toString('utf8')), notify()));
  proc.stderr!.on('data', (chunk: Buffer) => ((out.stderr += chunk.toString('utf8')), notify()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    proc.on('exit', (code, signal) => {
      done = true;
      notify();
      resolve({ code, signal, at: Date.now() });
    }),
  );
  const run: Run = {
    proc,
    stderr: () => out.stderr,
    exited,
    waitFor: (stream, pattern) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} on ${stream} within ${START_TIMEOUT_MS} ms:\n${out.stderr}`)), START_TIMEOUT_MS);
        const check = () => {
          const match = out[stream].match(pattern);
          if (match) return clearTimeout(timer), resolve(match);
          if (done) return clearTimeout(timer), reject(new Error(`the process exited before ${pattern} appeared on ${stream}:\n${out.stderr}`));
          waiters.push(check);
        };
        check();
      }),
  };
  running.push(run);
  return run;
}

const READY = /usagegraph ready: .* at (http:\/\/127\.0\.0\.1:(\d+))\/graphql\n/;

async function graphql(url: string, query: string): Promise<{ status: number; body: any }> {
  const res = await request(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }), headersTimeout: 60_000, bodyTimeout: 60_000 });
  return { status: res.statusCode, body: await res.body.json() };
}

/** Whether a TCP connection to the URL's port is refused (nothing listens there any more). */
function refuses(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

const REPORT = '{ usage(filter: { from: "2025-01", to: "2025-12" }, groupBy: [UNIT]) { totals { unit quantity } incomplete } }';

describe('demo mode, NODE_ENV unset', () => {
  it('answers the request in flight at SIGTERM, refuses new connections, closes every simulator and exits 0 within the grace period', async () => {
    // Every simulated vendor answer takes 300 ms, so the report needs several rounds of vendor calls.
    const run = start({ PORT: '0', LOG_LEVEL: 'debug', USAGEGRAPH_DEMO_LATENCY_MS: '300' });
    const url = (await run.waitFor('stdout', READY))[1];
    const demoLine = (await run.waitFor('stderr', /^.*"demo mode.*$/m))[0];
    const simulators = JSON.parse(demoLine).simulators as string[];
    expect(simulators).toHaveLength(4);

    const pending = graphql(url, REPORT);
    // A vendor call of this request has come back: it is in the middle of its work, with more rounds to go.
    await run.waitFor('stderr', /"msg":"upstream call"/);
    const signalled = Date.now();
    run.proc.kill('SIGTERM');
    await run.waitFor('stderr', /"shutting down"/);

    expect(await refuses(url)).toBe(true);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.usage.incomplete).toBe(false);
    expect(res.body.data.usage.totals.length).toBeGreaterThan(0);
    const { code, signal, at } = await run.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(at - signalled).toBeLessThan(DEFAULT_GRACE_MS + 2000);
    for (const simulator of simulators) expect(await refuses(simulator)).toBe(true);
    expect(run.stderr()).not.toContain('    at ');
  });
});

describeWithRedis('a configuration file with a real Redis cache, NODE_ENV unset', () => {
  const namespace = testNamespace('shutdown');
  let sim: CognigySimulator;
  let gate: Gate;
  const dir = mkdtempSync(join(tmpdir(), 'usagegraph-shutdown-'));

  beforeAll(async () => {
    sim = await startCognigySimulator({ seed: 11, until: new Date('2026-11-22T12:00:00Z') });
    gate = await startGate(sim.url);
  });
  afterAll(async () => {
    gate?.release();
    await gate?.close();
    await sim?.close();
    await deleteNamespace(namespace);
  });

  /** A config file pointing at the simulator through the gate, with the shared cache in Redis. */
  function configFile(name: string, shutdownGraceMs: number): string {
    const connection = { ...sim.connectionConfig('cognigy-test'), baseUrl: gate.url };
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ server: { port: 0, shutdownGraceMs }, cache: { url: `${REDIS_URL}/0`, namespace: `${namespace}-${name}` }, connections: [connection] }));
    return file;
  }

  it('finishes the held request after SIGTERM, refuses new connections meanwhile, and exits 0 within the grace period + 2 s', async () => {
    const run = start({ USAGEGRAPH_CONFIG: configFile('finish', DEFAULT_GRACE_MS) });
    const url = (await run.waitFor('stdout', READY))[1];

    const arrived = gate.hold();
    const pending = graphql(url, REPORT);
    await arrived; // the server now waits on the vendor for this request
    const signalled = Date.now();
    run.proc.kill('SIGTERM');
    await run.waitFor('stderr', /"shutting down"/);
    expect(await refuses(url)).toBe(true);
    gate.release();

    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.usage.incomplete).toBe(false);
    const { code, signal, at } = await run.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(at - signalled).toBeLessThan(DEFAULT_GRACE_MS + 2000);
  });

  it('aborts a request still running when the grace period ends, and still exits 0', async () => {
    const graceMs = 1500;
    const run = start({ USAGEGRAPH_CONFIG: configFile('abort', graceMs) });
    const url = (await run.waitFor('stdout', READY))[1];

    const arrived = gate.hold();
    const pending = graphql(url, REPORT).then(
      () => 'answered',
      () => 'connection closed',
    );
    await arrived; // held until after the process has gone
    const signalled = Date.now();
    run.proc.kill('SIGTERM');

    const { code, signal, at } = await run.exited;
    gate.release();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(at - signalled).toBeLessThan(graceMs + 2000);
    expect(await pending).toBe('connection closed');
    expect(run.stderr()).toContain('aborting requests still running after the grace period');
  });

  it('exits at once on a second signal', async () => {
    const run = start({ USAGEGRAPH_CONFIG: configFile('twice', 60_000) });
    const url = (await run.waitFor('stdout', READY))[1];

    const arrived = gate.hold();
    const pending = graphql(url, REPORT).catch(() => null);
    await arrived;
    run.proc.kill('SIGTERM');
    await run.waitFor('stderr', /"shutting down"/);
    const second = Date.now();
    run.proc.kill('SIGINT');

    const { code, at } = await run.exited;
    gate.release();
    await pending;
    expect(code).toBe(1);
    // "At once" rather than after the 60 s grace period.
    expect(at - second).toBeLessThan(10_000);
    expect(run.stderr()).toContain('second signal');
  });
});

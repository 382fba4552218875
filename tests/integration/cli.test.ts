import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { request } from 'undici';
import { startCognigySimulator, type CognigySimulator } from '../../src/vendors/cognigy/simulator';
import { startGate, type Gate } from '../helpers/gate';

/**
 * The real process, started the way an operator starts it (node + ts-node on
 * src/main.ts, cwd the repo root), observed only through its exit code,
 * stdout, stderr and HTTP.
 */

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'config');
/** Loading TypeScript through ts-node takes a few seconds on a small machine. */
const START_TIMEOUT_MS = 60_000;
jest.setTimeout(120_000);

interface Run {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first match of `pattern` in the stream; rejects if the process exits first. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpMatchArray>;
}

const running: Run[] = [];

function start(env: Record<string, string>): Run {
  const inherited = { ...process.env };
  for (const key of ['USAGEGRAPH_CONFIG', 'PORT', 'LOG_LEVEL']) delete inherited[key];
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  const waiters: Array<() => void> = [];
  const notify = () => waiters.splice(0).forEach((w) => w());
  proc.stdout!.on('data', (chunk: Buffer) => ((out.stdout += chunk.toString('utf8')), notify()));
  proc.stderr!.on('data', (chunk: Buffer) => ((out.stderr += chunk.toString('utf8')), notify()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('close', (code, signal) => {
      done = true;
      notify();
      resolve({ code, signal });
    }),
  );
  const run: Run = {
    proc,
    stdout: () => out.stdout,
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

afterAll(async () => {
  // Only the processes this file started, by their own handle.
  for (const run of running) if (run.proc.exitCode === null && run.proc.signalCode === null) run.proc.kill('SIGKILL');
  await Promise.all(running.map((r) => r.exited));
});

const READY = /usagegraph ready: .* at (http:\/\/127\.0\.0\.1:(\d+))\/graphql\n/;

async function graphql(url: string, query: string): Promise<{ status: number; body: any }> {
  // Bounded, so a hung server fails the test with a message instead of reaching the test timeout.
  const res = await request(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }), headersTimeout: 30_000, bodyTimeout: 30_000 });
  return { status: res.statusCode, body: await res.body.json() };
}

describe('start-up with a bad configuration', () => {
  const config = (file: string) => ({ USAGEGRAPH_CONFIG: join(FIXTURES, file) });
  const validCognigy = { ...config('cognigy.yaml'), COGNIGY_URL: 'http://127.0.0.1:9', COGNIGY_USERNAME: 'u', COGNIGY_PASSWORD: 'p' };
  it.each([
    ['a file that does not exist', config('no-such-file.yaml'), ['no-such-file.yaml', 'no such file']],
    ['a file that is not valid YAML', config('bad-yaml.yaml'), ['bad-yaml.yaml', 'line 3']],
    ['an unknown key', config('unknown-key.yaml'), ['connections[0].colour', 'unknown key']],
    ['a value of the wrong type', config('wrong-type.yaml'), ['server.port', 'expected number, received string']],
    ['an environment variable that is not set', config('missing-env.yaml'), ['USAGEGRAPH_TEST_UNSET_PASSWORD']],
    ['a PORT that is not a number', { ...validCognigy, PORT: 'http' }, ['PORT', '"http"']],
    ['a PORT that is not a number in demo mode', { PORT: 'http' }, ['PORT', '"http"']],
  ])('exits non-zero with one line on stderr naming %s, without a stack trace', async (_what, env, expected) => {
    const run = start(env);
    const { code } = await run.exited;

    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    const lines = run.stderr().split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^usagegraph: /);
    for (const part of expected) expect(lines[0]).toContain(part);
    expect(run.stderr()).not.toContain('    at ');
    expect(run.stdout()).not.toContain('usagegraph ready');
  });
});

describe('demo mode (no USAGEGRAPH_CONFIG)', () => {
  let run: Run;
  let url: string;
  beforeAll(async () => {
    run = start({ PORT: '0' });
    url = (await run.waitFor('stdout', READY))[1];
  });

  it('listens on an ephemeral port when PORT is 0 and prints the URL of the API', () => {
    const port = Number(run.stdout().match(READY)![2]);
    expect(port).toBeGreaterThan(0);
    expect(port).not.toBe(4000);
  });

  it('says on stderr that it runs in demo mode', () => {
    const logs = run
      .stderr()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(logs.some((l) => l.level === 'info' && /demo mode/.test(l.msg))).toBe(true);
  });

  it('answers a query about its seeded organisations over HTTP', async () => {
    const res = await graphql(url, '{ organisations { totalCount } }');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.organisations.totalCount).toBeGreaterThan(0);
  });

  it('prints an example query that the running server answers without errors', async () => {
    const example = run.stdout().match(/Example query \(paste into GraphiQL\):\n([\s\S]+?)\n\n/);
    expect(example).not.toBeNull();
    const res = await graphql(url, example![1]);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.usage.rows.length).toBeGreaterThan(0);
    expect(res.body.data.usage.incomplete).toBe(false);
  });

  it('exits with code 0 on SIGTERM', async () => {
    run.proc.kill('SIGTERM');
    const { code, signal } = await run.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(run.stderr()).toContain('"shutting down"');
  });
});

describe('start-up with a configuration file', () => {
  let sim: CognigySimulator;
  let gate: Gate;
  let run: Run;
  let url: string;
  let password: string;
  beforeAll(async () => {
    sim = await startCognigySimulator({ seed: 7, until: new Date('2026-11-22T12:00:00Z') });
    gate = await startGate(sim.url);
    const connection = sim.connectionConfig('unused');
    password = connection.password;
    run = start({
      USAGEGRAPH_CONFIG: join(FIXTURES, 'cognigy.yaml'),
      COGNIGY_URL: gate.url,
      COGNIGY_USERNAME: connection.username,
      COGNIGY_PASSWORD: password,
    });
    url = (await run.waitFor('stdout', READY))[1];
  });
  afterAll(async () => {
    gate?.release();
    await gate?.close();
    await sim?.close();
  });

  it('serves the connection the file configures, with the organisations the vendor has', async () => {
    const res = await graphql(url, '{ connections { name vendor } organisations { totalCount } }');

    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      connections: [{ name: 'cognigy-test', vendor: 'COGNIGY' }],
      organisations: { totalCount: sim.data.organisations.length },
    });
    expect(sim.count('/organisations') + sim.count('/billing')).toBeGreaterThan(0);
  });

  it('does not run in demo mode', () => {
    expect(run.stderr()).not.toMatch(/demo mode/);
    expect(run.stdout()).not.toContain('Example query');
  });

  it('never prints the password it read from the environment', () => {
    expect(run.stdout()).not.toContain(password);
    expect(run.stderr()).not.toContain(password);
  });

  it('finishes a request that is in flight when SIGTERM arrives, then exits with code 0', async () => {
    // Expected: every 2025 conversation of every organisation, straight from the simulator's data.
    let expected = 0;
    for (const organisation of sim.data.organisations) {
      for (const day of organisation.conversations) if (day.year === 2025) expected += day.conversations;
    }
    expect(expected).toBeGreaterThan(0);

    const arrived = gate.hold();
    const pending = graphql(url, '{ usage(filter: { from: "2025-01", to: "2025-12" }, groupBy: [UNIT]) { totals { unit quantity } incomplete } }');
    await arrived; // the server is now waiting on the vendor for this request
    run.proc.kill('SIGTERM');
    await run.waitFor('stderr', /"shutting down"/);
    gate.release();

    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.usage).toEqual({ totals: [{ unit: 'CONVERSATIONS', quantity: expected }], incomplete: false });
    const { code, signal } = await run.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });
});

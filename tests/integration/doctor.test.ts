import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCognigySimulator, type CognigySimulator } from '../../src/vendors/cognigy/simulator';

/** `usagegraph doctor` as an operator runs it, observed through exit code, stdout and stderr. */
const ROOT = join(__dirname, '..', '..');
jest.setTimeout(120_000);

function doctor(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const inherited = { ...process.env };
  delete inherited.USAGEGRAPH_CONFIG;
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli.ts', 'doctor', ...args], { cwd: ROOT, env: { ...inherited, ...env } });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => proc.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('usagegraph doctor', () => {
  it('checks every demo connection for real, shows progress and a table, and exits 0', async () => {
    const run = await doctor(['--demo']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['connection', 'vendor', 'auth', 'latency', 'records', 'problem']);
    for (const [name, vendor] of [['kore-demo', 'KORE_AI'], ['cognigy-demo', 'COGNIGY'], ['evo-demo', 'EVOVOICE'], ['talkdesk-demo', 'TALKDESK']]) {
      const row = lines.find((l) => l.startsWith(`${name} `))!.split(/\s+/);
      expect(row[1]).toBe(vendor);
      expect(row[2]).toBe('ok');
      expect(row[3]).toMatch(/^\d+$/);
      expect(Number(row[5])).toBeGreaterThan(0);
      expect(row[6]).toBe('none');
      expect(run.stderr).toContain(`${name}: ok`);
    }
    expect(run.stdout).toContain('all 4 connections work');
  });

  describe('against a configuration file', () => {
    let sim: CognigySimulator;
    let dir: string;
    beforeAll(async () => {
      sim = await startCognigySimulator({ seed: 7, until: new Date('2026-11-22T12:00:00Z') });
      dir = mkdtempSync(join(tmpdir(), 'usagegraph-doctor-'));
    });
    afterAll(async () => {
      await sim?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('exits 1 naming the connection whose password is wrong, with advice and without the secret', async () => {
      const good = sim.connectionConfig('cognigy-good');
      const file = join(dir, 'wrong-password.yaml');
      writeFileSync(
        file,
        [
          'connections:',
          `  - { name: cognigy-good, vendor: COGNIGY, baseUrl: "${good.baseUrl}", username: "${good.username}", password: "\${GOOD_PASSWORD}" }`,
          `  - { name: cognigy-finance, vendor: COGNIGY, baseUrl: "${good.baseUrl}", username: "${good.username}", password: "\${FINANCE_PASSWORD}" }`,
        ].join('\n'),
      );
      const wrong = 'Wr0ng-Pa55word-4711';
      const run = await doctor([], { USAGEGRAPH_CONFIG: file, GOOD_PASSWORD: good.password, FINANCE_PASSWORD: wrong });
      expect(run.code).toBe(1);
      const finance = run.stdout.split('\n').find((l) => l.startsWith('cognigy-finance '))!;
      expect(finance).toMatch(/COGNIGY\s+rejected\s+\d+ ms\s+-\s+UPSTREAM_UNAUTHORIZED: the vendor rejected the credentials/);
      expect(run.stdout.split('\n').find((l) => l.startsWith('cognigy-good '))).toMatch(/\sok\s.*none$/);
      expect(run.stdout).toContain('1 of 2 connections failed: cognigy-finance');
      expect(run.stdout + run.stderr).not.toContain(wrong);
      expect(run.stdout + run.stderr).not.toContain(good.password);
    });

    it('lists every problem of a broken configuration at once and exits 1', async () => {
      const file = join(dir, 'two-mistakes.yaml');
      writeFileSync(file, ['server: { port: "eighty" }', 'connections:', '  - { name: c, vendor: COGNIGY, baseUrl: "http://127.0.0.1:9", username: u, password: p, colour: blue }'].join('\n'));
      const run = await doctor([], { USAGEGRAPH_CONFIG: file });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('has 2 problems');
      expect(run.stderr).toContain('server.port: expected number, received string');
      expect(run.stderr).toContain('connections[0].colour: unknown key');
    });
  });
});

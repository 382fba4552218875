import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * The built server as an operator runs it: `node <build>/src/main.js` with
 * USAGEGRAPH_CONFIG, in its own process, observed through stdout and HTTP.
 */

const ROOT = join(__dirname, '..', '..');
/** The test's own build directory, so a build running for another test file never half-writes the files this one runs. */
export const TEST_BUILD_DIR = join(ROOT, 'dist', 'test-build');

/** Compiles the server (tsconfig.build.json) into TEST_BUILD_DIR; throws with the compiler's output when it fails. */
export function buildServer(): void {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(
    process.execPath,
    [tsc, '-p', 'tsconfig.build.json', '--outDir', TEST_BUILD_DIR, '--tsBuildInfoFile', join(TEST_BUILD_DIR, '.tsbuildinfo')],
    { cwd: ROOT, encoding: 'utf8', timeout: 600_000 },
  );
  if (run.status !== 0) throw new Error(`the build failed (${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`);
}

export interface ServerProcess {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  proc: ChildProcess;
  output(): string;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
}

/** Starts the built server with this config file and waits (up to `timeoutMs`) for its ready line. */
export function startServerProcess(configPath: string, timeoutMs = 120_000): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, USAGEGRAPH_CONFIG: configPath, LOG_LEVEL: 'warn' };
  delete env.PORT;
  const proc = spawn(process.execPath, [join(TEST_BUILD_DIR, 'src', 'main.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => proc.once('close', () => resolve()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(`no ready line within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${why}:\n${output}`)));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // The ready line names the URL it listens on (the configured host, an ephemeral port).
      const ready = output.match(/ready\b.*?(http:\/\/127\.0\.0\.1:\d+)/);
      if (ready && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ url: ready[1], proc, output: () => output, stop });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('close', (code) => fail(`the server exited (${code}) before it was ready`));
  });
}

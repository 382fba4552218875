import { spawnSync } from 'node:child_process';
import { startCpuLoad } from './cpu-load';

/**
 * Runs jest with the given arguments RUNS times in a row (default 5) while
 * other processes keep every CPU busy; stops at the first failing run.
 *   npm run test:under-load -- tests/integration/shared-cache.test.ts
 */
async function main(): Promise<void> {
  const runs = Number(process.env.RUNS ?? 5);
  const load = startCpuLoad();
  let passed = 0;
  try {
    for (let i = 1; i <= runs; i++) {
      const started = Date.now();
      const result = spawnSync('npx', ['jest', ...process.argv.slice(2)], { stdio: 'inherit' });
      process.stdout.write(`under load: run ${i}/${runs} ${result.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      if (result.status !== 0) break;
      passed += 1;
    }
  } finally {
    await load.stop();
  }
  process.stdout.write(`under load: ${passed} of ${runs} runs passed in a row\n`);
  process.exit(passed === runs ? 0 : 1);
}

void main();

#!/usr/bin/env node
import 'reflect-metadata';
import { runDoctor } from './doctor/run';

/** `usagegraph <command>`: the package's command line (the server itself starts with `npm start`). */
const USAGE = `usage: usagegraph doctor [--demo]

  doctor          read the configuration (USAGEGRAPH_CONFIG), list every problem in it,
                  then check each vendor connection for real and print a table;
                  exit code 1 when anything is wrong
  doctor --demo   the same against demo mode's built-in vendor simulators
`;

async function cli(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'doctor') return runDoctor(rest);
  process.stderr.write(USAGE);
  return command === undefined || command === '--help' ? 0 : 2;
}

cli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`usagegraph: ${(err as Error).message}\n`);
    process.exit(1);
  },
);

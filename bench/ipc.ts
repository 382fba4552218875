import { fork, type ChildProcess } from 'node:child_process';

/**
 * A child process driven by typed commands over IPC: each `send` resolves with
 * the child's answer to that command. The benchmark runs the server and the
 * vendor simulators in processes of their own, so neither shares an event loop
 * with the load generator or with the other.
 */
export class ChildProcessClient<Command> {
  private readonly child: ChildProcess;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(script: string, private readonly name: string, execArgv: string[] = process.execArgv) {
    this.child = fork(script, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
      const waiting = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error !== undefined) waiting?.reject(new Error(`${this.name} process: ${msg.error}`));
      else waiting?.resolve(msg.result);
    });
    this.child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`${this.name} process exited with ${code}`));
      this.pending.clear();
    });
  }

  send<T>(command: Command): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, command });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.disconnect();
    });
  }
}

/** The child side: answers each command with `handle`, and stops when the parent goes away. */
export function serveCommands<Command>(handle: (command: Command) => Promise<unknown>, stop: () => Promise<void>): void {
  process.on('message', (msg: { id: number; command: Command }) => {
    handle(msg.command).then(
      (result) => process.send?.({ id: msg.id, result }),
      (err: Error) => process.send?.({ id: msg.id, error: err.stack ?? err.message }),
    );
  });
  process.on('disconnect', () => {
    void stop().finally(() => process.exit(0));
  });
}

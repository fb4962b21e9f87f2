import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readlinkSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { dirname } from 'node:path';

/** Small process and network helpers of the engine harness (no engine knowledge here). */

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Starts a long-lived engine in its own process group, output appended to `logFile`; returns its pid. */
export function spawnDetached(
  command: string,
  args: string[],
  logFile: string,
  options: Pick<SpawnOptions, 'cwd' | 'env' | 'uid' | 'gid'> = {},
): number {
  mkdirSync(dirname(logFile), { recursive: true });
  const out = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', out, out] });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** SIGTERM to the process group, then SIGKILL after `graceMs`. Resolves once it is gone. */
export async function stopProcess(pid: number, graceMs = 30_000): Promise<'stopped' | 'killed'> {
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-pid, name);
    } catch {
      try {
        process.kill(pid, name);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  for (const deadline = Date.now() + graceMs; Date.now() < deadline; await sleep(100)) {
    if (!isAlive(pid)) return 'stopped';
  }
  signal('SIGKILL');
  while (isAlive(pid)) await sleep(50);
  return 'killed';
}

/** True when something accepts TCP connections on host:port. */
export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The process listening on `port` (from `ss -ltnp`, Linux), with its working directory when
 * readable; undefined when that cannot be told.
 */
export function portOwner(
  port: number,
): { pid: number; command: string; cwd?: string } | undefined {
  const result = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  const match = /users:\(\("([^"]*)",pid=(\d+)/.exec(result.stdout ?? '');
  if (result.status !== 0 || !match) return undefined;
  const pid = Number(match[2]);
  try {
    return { pid, command: match[1], cwd: readlinkSync(`/proc/${pid}/cwd`) };
  } catch {
    return { pid, command: match[1] };
  }
}

/** Sends one line over TCP and resolves with what comes back first (e.g. Redis PING). */
export function tcpExchange(port: number, line: string, timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error('timeout'));
    });
    socket.once('connect', () => socket.write(line));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString('utf8'));
    });
    socket.once('error', reject);
  });
}

/** GET (or other method) on 127.0.0.1; resolves with status and body, rejects on no answer. */
export function httpCall(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs?: number;
  } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.setTimeout(options.timeoutMs ?? 5_000, () => req.destroy(new Error('timeout')));
    req.once('error', reject);
    req.end(options.body);
  });
}

/**
 * Polls `check` until it resolves true; throws with `what` after `timeoutMs` or when `alive()`
 * turns false, and with the signal's reason once `signal` is aborted.
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  { timeoutMs, alive, signal }: { timeoutMs: number; alive?: () => boolean; signal?: AbortSignal },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    signal?.throwIfAborted();
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (alive && !alive()) throw new Error(`${what}: the process exited`);
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not healthy after ${timeoutMs / 1000}s${lastError ? ` (${lastError})` : ''}`,
      );
    }
    await sleep(250);
  }
}

/** Runs a command to completion, throwing with its output when it fails. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; what: string },
): string {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`${options.what}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
      .trim()
      .split('\n')
      .slice(-30)
      .join('\n');
    throw new Error(`${options.what} failed (exit ${result.status}):\n${output}`);
  }
  return result.stdout ?? '';
}

export function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 25): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

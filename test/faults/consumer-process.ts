import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ConsumerReport, ConsumerSettings } from './fault-event';

const REPO_ROOT = join(__dirname, '..', '..');

/** A running idempotent-consumer.ts process and what it has reported on stdout so far. */
export interface ConsumerProcess {
  child: ChildProcess;
  applied: number;
  refused: number;
  /** Its last lines of stderr and error reports, for failure messages. */
  problems: string[];
  /** Resolves when it reports `ready`; rejects if it exits or reports an error first. */
  ready: Promise<void>;
  exited: Promise<void>;
}

/** Starts the consumer program from source, as the stack starts the apps (no build step). */
export function startConsumer(settings: ConsumerSettings): ConsumerProcess {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join('test', 'faults', 'idempotent-consumer.ts')],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...settings,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const consumer: ConsumerProcess = {
    child,
    applied: 0,
    refused: 0,
    problems: [],
    exited,
    ready: Promise.resolve(),
  };
  consumer.ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (text) => {
      let line: ConsumerReport;
      try {
        line = JSON.parse(text) as ConsumerReport;
      } catch {
        return;
      }
      if (line.kind === 'ready') resolve();
      else if (line.kind === 'applied') consumer.applied += 1;
      else if (line.kind === 'refused') consumer.refused += 1;
      else {
        consumer.problems.push(line.message);
        reject(new Error(`consumer ${settings.FAULT_GENERATION} failed: ${line.message}`));
      }
    });
    createInterface({ input: child.stderr! }).on('line', (text) => {
      consumer.problems.push(text);
      if (consumer.problems.length > 40) consumer.problems.shift();
    });
    void exited.then(() =>
      reject(
        new Error(
          `consumer ${settings.FAULT_GENERATION} exited (${child.exitCode ?? child.signalCode}): ` +
            consumer.problems.join('\n'),
        ),
      ),
    );
  });
  consumer.ready.catch(() => undefined);
  return consumer;
}

/** SIGTERM (graceful), then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopConsumer(consumer: ConsumerProcess, graceMs = 10_000): Promise<void> {
  const { child } = consumer;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await consumer.exited;
  clearTimeout(timer);
}

/** Polls `check` every `everyMs` until it is true; throws `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  { timeoutMs, everyMs = 50 }: { timeoutMs: number; everyMs?: number },
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

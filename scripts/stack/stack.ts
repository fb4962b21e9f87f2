import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  createWriteStream,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ENGINES_DIR, LOGS_DIR, REPO_ROOT } from '../infra/paths';
import { isAlive, sleep, stopProcess } from '../infra/process-utils';

/** The seven apps of the stack and the port each serves (health, metrics; the API on the gateway). */
export const STACK_APPS = [
  { name: 'catalog', port: 3001 },
  { name: 'inventory', port: 3005 },
  { name: 'search', port: 3002 },
  { name: 'cart', port: 3003 },
  { name: 'order', port: 3004 },
  { name: 'recommendation', port: 3006 },
  { name: 'gateway', port: 3000 },
] as const;

export type StackAppName = (typeof STACK_APPS)[number]['name'];

export interface StackOptions {
  /** Engine endpoints: KAFKA_BROKERS, DYNAMODB_ENDPOINT, REDIS_URL, OPENSEARCH_URL. */
  endpoints: Record<string, string>;
  /** Added to every app's port, so a test stack can run beside a developer's. */
  portOffset?: number;
  /** Extra environment for every app (TABLE_PREFIX, MERCATO_SEED_PRODUCTS, LOG_LEVEL…). */
  env?: Record<string, string>;
  /** Where each app's stdout/stderr goes: `<logDir>/<app>.log`. */
  logDir?: string;
  log?: (line: string) => void;
  /** CPU cores per app for `taskset -c` (benchmarks pin the gateway away from the load generator). */
  pin?: Partial<Record<StackAppName, string>>;
}

export interface StackApp {
  name: StackAppName;
  port: number;
  url: string;
  process: ChildProcess;
  logFile: string;
}

export interface RunningStack {
  gatewayUrl: string;
  apps: StackApp[];
  /** Starts one app again (fault tests restart what they killed). */
  restart(name: StackAppName): Promise<StackApp>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 180_000;
/** How long startStack waits for another stack on the same broker to stop. */
const BROKER_WAIT_MS = 10 * 60_000;

/** Where `MERCATO_PROFILE_APPS` apps write their CPU profiles (one file per process, at exit). */
const PROFILES_DIR = join(REPO_ROOT, '.data', 'profiles');

/** Apps named in a comma-separated environment variable. */
const appsIn = (variable: string): string[] =>
  (process.env[variable] ?? '').split(',').map((a) => a.trim());

/**
 * Diagnostic flags for one app, from the environment (Node refuses both in NODE_OPTIONS):
 * - `MERCATO_PROFILE_APPS=catalog,inventory` runs those apps under V8's CPU profiler, one
 *   .cpuprofile per app in PROFILES_DIR at exit (open in Chrome DevTools or speedscope);
 * - `MERCATO_TRACE_GC_APPS=cart,order` has V8 log every GC of those apps to their stack log
 *   (`Mark-Compact (reduce)` is the memory reducer), with milliseconds since the app started.
 */
function diagnosticArgs(name: StackAppName): string[] {
  const args: string[] = [];
  if (appsIn('MERCATO_PROFILE_APPS').includes(name)) {
    mkdirSync(PROFILES_DIR, { recursive: true });
    args.push(
      '--cpu-prof',
      `--cpu-prof-dir=${PROFILES_DIR}`,
      `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`,
    );
  }
  if (appsIn('MERCATO_TRACE_GC_APPS').includes(name)) args.push('--trace-gc');
  return args;
}

/**
 * Starts the seven apps as seven Node processes wired through Kafka and a DynamoDB server,
 * from the TypeScript sources (@swc-node/register: no build step), and waits until each one's
 * /health/ready answers 200. Catalog and inventory start first: they own the data and seed it.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const logDir = options.logDir ?? join(LOGS_DIR, 'stack');
  mkdirSync(logDir, { recursive: true });
  const log = options.log ?? (() => undefined);
  const offset = options.portOffset ?? 0;

  const launch = (name: StackAppName): StackApp => {
    const port = STACK_APPS.find((a) => a.name === name)!.port + offset;
    const logFile = join(logDir, `${name}.log`);
    const out = createWriteStream(logFile, { flags: 'a' });
    const node = [
      process.execPath,
      ...diagnosticArgs(name),
      '-r',
      '@swc-node/register',
      join('apps', name, 'src', 'main.ts'),
    ];
    const cores = options.pin?.[name];
    const [command, ...args] = cores ? ['taskset', '-c', cores, ...node] : node;
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        MERCATO_BUS: 'kafka',
        HOST: '127.0.0.1',
        ...options.endpoints,
        ...options.env,
        PORT: String(port),
        KAFKA_CLIENT_ID: `mercato-${name}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    return { name, port, url: `http://127.0.0.1:${port}`, process: child, logFile };
  };

  const releaseBroker = await claimBroker(options.endpoints.KAFKA_BROKERS ?? '', log);
  const apps: StackApp[] = [];
  try {
    for (const group of [
      ['catalog', 'inventory'],
      ['search', 'cart', 'order', 'recommendation', 'gateway'],
    ] as const) {
      const started = group.map((name) => launch(name));
      apps.push(...started);
      await Promise.all(started.map((app) => waitReady(app)));
      started.forEach((app) => log(`${app.name} ready on ${app.url} (pid ${app.process.pid})`));
    }
    await waitForRoundTrip(apps.find((a) => a.name === 'gateway')!);
  } catch (error) {
    await Promise.all(apps.map((app) => stopApp(app)));
    releaseBroker();
    throw error;
  }

  const gateway = apps.find((a) => a.name === 'gateway')!;
  if (!(options.env?.MERCATO_ADMIN_PASSWORD ?? process.env.MERCATO_ADMIN_PASSWORD)) {
    // No built-in admin password: a new admin account's generated one is in the gateway's log.
    log(
      `admin account: set MERCATO_ADMIN_PASSWORD to choose its password; otherwise the gateway printed the generated one, once, in ${gateway.logFile} ("generated password is …")`,
    );
  }
  return {
    gatewayUrl: gateway.url,
    apps,
    async restart(name) {
      const index = apps.findIndex((a) => a.name === name);
      await stopApp(apps[index]);
      const app = launch(name);
      apps[index] = app;
      await waitReady(app);
      return app;
    },
    async stop() {
      // Gateway first (no new requests), the data owners last.
      for (const app of [...apps].reverse()) await stopApp(app);
      releaseBroker();
    },
  };
}

async function waitReady(app: StackApp): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'not listening yet';
  while (Date.now() < deadline) {
    if (app.process.exitCode !== null) {
      throw new Error(`${app.name} exited with ${app.process.exitCode}; see ${app.logFile}`);
    }
    try {
      const response = await fetch(`${app.url}/health/ready`);
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(250);
  }
  throw new Error(
    `${app.name} not ready after ${READY_TIMEOUT_MS / 1000} s (${last}); see ${app.logFile}`,
  );
}

/**
 * Ready processes are not yet a working store: Kafka assigns partitions to consumer groups a
 * moment after they join. Waits until a request goes gateway → Kafka → catalog and back.
 */
async function waitForRoundTrip(gateway: StackApp): Promise<void> {
  const deadline = Date.now() + 90_000;
  let last = '';
  while (Date.now() < deadline) {
    const response = await fetch(`${gateway.url}/v1/categories`).catch((error: Error) => error);
    if (response instanceof Response && response.ok) return;
    last = response instanceof Response ? String(response.status) : response.message;
    await sleep(250);
  }
  throw new Error(`the gateway could not reach the catalog over Kafka within 90 s (${last})`);
}

async function stopApp(app: StackApp): Promise<void> {
  if (app.process.exitCode !== null || app.process.pid === undefined) return;
  await stopProcess(app.process.pid, 15_000);
}

/**
 * One stack per Kafka broker at a time: every stack uses the same topics and consumer groups
 * (`catalog`, `gateway`…), so a second one would answer the first one's requests and take
 * partitions from it. A lock file per broker (holding the owner's pid; a dead owner's lock is
 * taken over) makes a second startStack wait, e.g. two fault suites run by parallel Jest workers.
 */
async function claimBroker(brokers: string, log: (line: string) => void): Promise<() => void> {
  mkdirSync(ENGINES_DIR, { recursive: true });
  const file = join(ENGINES_DIR, `stack-${brokers.replace(/[^A-Za-z0-9]/g, '_')}.lock`);
  const deadline = Date.now() + BROKER_WAIT_MS;
  for (let said = false; ; await sleep(500)) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let held = true;
      return () => {
        if (held) rmSync(file, { force: true });
        held = false;
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner: number;
    try {
      owner = Number(readFileSync(file, 'utf8').trim() || 'NaN');
    } catch {
      continue; // released in between
    }
    if (Number.isInteger(owner) && owner !== process.pid && !isAlive(owner)) {
      rmSync(file, { force: true }); // its owner died without stopping the stack
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `another stack (pid ${owner}) is using Kafka at ${brokers}; stop it first (${file})`,
      );
    }
    if (!said) log(`waiting for the stack of pid ${owner} on Kafka at ${brokers} to stop`);
    said = true;
  }
}

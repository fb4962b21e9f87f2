import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerAvailable, removeContainer, runsInDocker, startContainer } from './docker';
import { dynaliteEngine } from './dynalite';
import type { EngineName, LocalEngine } from './engine';
import { kafkaEngine } from './kafka';
import { openSearchEngine } from './opensearch';
import { ENDPOINTS_FILE, ENGINES_DIR, LOGS_DIR } from './paths';
import { isAlive, portOpen, portOwner, stopProcess, tail, waitFor } from './process-utils';
import { redisEngine } from './redis';

/**
 * The engine harness: provisions, starts, health-waits and stops Kafka, Redis, dynalite and
 * OpenSearch for integration tests and `npm run stack`. State lives in .data/engines, logs in
 * .data/logs, downloads in the user cache (OpenSearch's files as root: opensearch.ts). Starting
 * is idempotent: a healthy engine is reused. A start that fails, or is interrupted (SIGINT,
 * SIGTERM), stops every engine it launched before it returns, and only those.
 */
export type { EngineName } from './engine';
export const ENGINE_NAMES: readonly EngineName[] = ['kafka', 'redis', 'dynamodb', 'opensearch'];

export interface EngineStatus {
  name: EngineName;
  version: string;
  address: string;
  mode: 'local' | 'docker' | '-';
  state: 'running' | 'started' | 'stopped' | 'unhealthy';
  pid?: number;
  containerId?: string;
  /** Time this call spent getting it healthy (provisioning included), when it started it. */
  startMs?: number;
  endpoint: Record<string, string>;
  /** Where its config and data are (local path; absent when in memory or not recorded). */
  files?: string;
  runsAs?: string;
}

interface SavedState {
  mode: 'local' | 'docker';
  pid?: number;
  containerId?: string;
  version: string;
  startedAt: string;
  files?: string;
}

/** What a start throws when SIGINT or SIGTERM stopped it (after it stopped what it launched). */
export class EnginesStartInterrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`engine start interrupted by ${signal}`);
    this.name = 'EnginesStartInterrupted';
  }
}

type Log = (line: string) => void;

function engineOf(name: EngineName): LocalEngine {
  switch (name) {
    case 'kafka':
      return kafkaEngine();
    case 'redis':
      return redisEngine();
    case 'dynamodb':
      return dynaliteEngine();
    case 'opensearch':
      return openSearchEngine();
  }
}

export function parseEngineNames(names: readonly string[]): EngineName[] {
  if (names.length === 0) return [...ENGINE_NAMES];
  for (const name of names) {
    if (!(ENGINE_NAMES as readonly string[]).includes(name)) {
      throw new Error(`Unknown engine "${name}": expected one of ${ENGINE_NAMES.join(', ')}`);
    }
  }
  return names as EngineName[];
}

const stateFile = (name: EngineName): string => join(ENGINES_DIR, `${name}.state.json`);
const logFile = (name: EngineName): string => join(LOGS_DIR, `${name}.log`);

function readState(name: EngineName): SavedState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile(name), 'utf8')) as SavedState;
  } catch {
    return undefined;
  }
}

async function isHealthy(engine: LocalEngine): Promise<boolean> {
  try {
    return await engine.healthy();
  } catch {
    return false;
  }
}

async function statusOf(engine: LocalEngine): Promise<EngineStatus> {
  const saved = readState(engine.name);
  const base = {
    name: engine.name,
    version: saved?.version ?? engine.version,
    address: engine.address,
    endpoint: engine.endpoint,
    pid: saved?.pid,
    containerId: saved?.containerId,
    files: saved ? saved.files : engine.files,
    runsAs: engine.runsAs,
  };
  if (!saved) return { ...base, mode: '-', state: 'stopped' };
  if (saved.mode === 'local' && saved.pid && !isAlive(saved.pid)) {
    return { ...base, mode: 'local', state: 'stopped' };
  }
  return { ...base, mode: saved.mode, state: (await isHealthy(engine)) ? 'running' : 'unhealthy' };
}

/**
 * The message for a port that something else holds: who holds it (when `ss` can tell), which
 * state file was checked, and what to do, e.g. for the engines of another checkout or worktree.
 */
function portTakenMessage(engine: LocalEngine, port: number): string {
  const file = stateFile(engine.name);
  const saved = readState(engine.name);
  const owner = portOwner(port);
  const who = owner
    ? `${owner.command} (pid ${owner.pid}${owner.cwd ? `, working directory ${owner.cwd}` : ''})`
    : 'a process';
  const checked = saved?.pid
    ? `${file} names pid ${saved.pid}, which has exited`
    : `there is no ${file}`;
  const others = ENGINE_NAMES.filter((name) => name !== engine.name).map(
    (name) => engineOf(name).portVariables[0],
  );
  return (
    `${engine.name}: port ${port} is taken by ${who}, which this checkout's harness did not start ` +
    `(${checked}). If it is an engine of another checkout or worktree, stop it from there ` +
    `(npm run engines -- stop), or give this checkout's engines other ports: ` +
    `${engine.portVariables.join(', ')} (and ${others.join(', ')} for the others) in the ` +
    `environment of every command here; otherwise stop that process`
  );
}

/**
 * Starts one engine unless a healthy one is there; calls `launched` as soon as it has a process
 * or container (so a failed or interrupted start can stop it). Does not stop it on failure.
 */
async function startOne(
  engine: LocalEngine,
  useDocker: boolean,
  log: Log,
  signal: AbortSignal,
  launched: () => void,
): Promise<EngineStatus> {
  const current = await statusOf(engine);
  if (current.state === 'running') {
    log(`${engine.name}: already running (${current.mode}), reused`);
    return current;
  }
  if (current.state === 'unhealthy') {
    log(`${engine.name}: found unhealthy, restarting it`);
    await stopOne(engine, log);
  }
  for (const port of engine.ports) {
    if (await portOpen(port)) {
      throw new Error(portTakenMessage(engine, port));
    }
  }
  const began = Date.now();
  const docker = useDocker && runsInDocker(engine);
  mkdirSync(ENGINES_DIR, { recursive: true });
  let saved: SavedState;
  if (docker) {
    log(`${engine.name}: starting a container through Testcontainers (Docker path)`);
    saved = {
      mode: 'docker',
      containerId: await startContainer(engine),
      version: engine.version,
      startedAt: '',
    };
  } else {
    log(`${engine.name}: provisioning ${engine.version} (cached after the first run)`);
    engine.provision();
    signal.throwIfAborted();
    const where = [
      engine.runsAs ? `run by ${engine.runsAs}` : '',
      engine.files ? `config and data in ${engine.files}` : '',
      `log: ${logFile(engine.name)}`,
    ].filter(Boolean);
    log(`${engine.name}: starting ${engine.version} as a local process (${where.join('; ')})`);
    const pid = engine.start(logFile(engine.name));
    saved = { mode: 'local', pid, version: engine.version, startedAt: '', files: engine.files };
  }
  saved.startedAt = new Date().toISOString();
  writeFileSync(stateFile(engine.name), JSON.stringify(saved, null, 2));
  launched();
  try {
    await waitFor(`${engine.name} at ${engine.address}`, () => isHealthy(engine), {
      timeoutMs: engine.startTimeoutMs,
      alive: saved.pid ? () => isAlive(saved.pid!) : undefined,
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${reason}\n--- last lines of ${logFile(engine.name)} ---\n${tail(logFile(engine.name))}`,
    );
  }
  const startMs = Date.now() - began;
  log(`${engine.name}: healthy after ${(startMs / 1000).toFixed(1)}s`);
  return { ...(await statusOf(engine)), state: 'started', startMs };
}

async function stopOne(engine: LocalEngine, log: Log): Promise<void> {
  const saved = readState(engine.name);
  if (!saved) return;
  if (saved.mode === 'docker' && saved.containerId) {
    removeContainer(saved.containerId);
    log(`${engine.name}: container removed`);
  } else if (saved.pid && isAlive(saved.pid)) {
    const how = await stopProcess(saved.pid, engine.name === 'redis' ? 5_000 : 30_000);
    log(`${engine.name}: ${how} (pid ${saved.pid})`);
  }
  rmSync(stateFile(engine.name), { force: true });
}

/** Writes the endpoints of the running engines, one VAR=value a line, for tests and the stack. */
function writeEndpoints(statuses: EngineStatus[]): void {
  const lines = statuses
    .filter((s) => s.state === 'running' || s.state === 'started')
    .flatMap((s) => Object.entries(s.endpoint).map(([name, value]) => `${name}=${value}`));
  mkdirSync(ENGINES_DIR, { recursive: true });
  writeFileSync(
    ENDPOINTS_FILE,
    `# Written by scripts/infra/engines.sh; endpoints of the running engines.\n${lines.join('\n')}\n`,
  );
}

/** Reads .data/engines/endpoints.env (empty when absent). */
export function readEndpoints(): Record<string, string> {
  if (!existsSync(ENDPOINTS_FILE)) return {};
  const result: Record<string, string> = {};
  for (const line of readFileSync(ENDPOINTS_FILE, 'utf8').split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) result[match[1]] = match[2];
  }
  return result;
}

/**
 * Starts the named engines (all by default) one after the other, reusing healthy ones, and
 * writes endpoints.env. Throws on the first engine that cannot be had, saying why, after
 * stopping every engine this call launched (the failed one included); engines it found running
 * and reused stay up. SIGINT or SIGTERM while it runs does the same and throws
 * EnginesStartInterrupted (a synchronous step, such as a Maven download, finishes first).
 */
export async function startEngines(
  names: readonly EngineName[] = ENGINE_NAMES,
  log: Log = () => undefined,
): Promise<EngineStatus[]> {
  const launched: EngineName[] = [];
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupt.signal.aborted) {
      log(`${signal}: still stopping the engines this start launched`);
      return;
    }
    log(`${signal}: stopping the engines this start launched`);
    interrupt.abort(new EnginesStartInterrupted(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const useDocker = dockerAvailable();
    log(
      useDocker
        ? 'Docker engine found: Kafka, Redis and OpenSearch run through Testcontainers, dynalite locally'
        : 'No Docker engine: every engine runs as a local process',
    );
    const started: EngineStatus[] = [];
    for (const name of names) {
      interrupt.signal.throwIfAborted();
      started.push(
        await startOne(engineOf(name), useDocker, log, interrupt.signal, () => launched.push(name)),
      );
    }
    const all = await engineStatuses();
    interrupt.signal.throwIfAborted();
    writeEndpoints(all);
    return started;
  } catch (error) {
    throw await undoStart(names, launched, error, log);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Stops what a failed start launched and says so in the error it returns. */
async function undoStart(
  names: readonly EngineName[],
  launched: readonly EngineName[],
  error: unknown,
  log: Log,
): Promise<Error> {
  const failure = error instanceof Error ? error : new Error(String(error));
  if (launched.length === 0) {
    writeEndpoints(await engineStatuses());
    return failure;
  }
  log(`start failed: stopping ${launched.join(', ')}, launched by this start`);
  await stopEngines(launched, log);
  const kept = (await engineStatuses(names))
    .filter((s) => s.state === 'running')
    .map((s) => s.name);
  failure.message +=
    `\nStopped the engines this start launched: ${launched.join(', ')}.` +
    (kept.length > 0 ? ` Left running, as they were before it: ${kept.join(', ')}.` : '');
  return failure;
}

export async function stopEngines(
  names: readonly EngineName[] = ENGINE_NAMES,
  log: Log = () => undefined,
): Promise<void> {
  // Reverse order: clients (none here) before brokers; and OpenSearch, the slowest, first.
  for (const name of [...names].reverse()) await stopOne(engineOf(name), log);
  writeEndpoints(await engineStatuses());
}

export async function engineStatuses(
  names: readonly EngineName[] = ENGINE_NAMES,
): Promise<EngineStatus[]> {
  return Promise.all(names.map((name) => statusOf(engineOf(name))));
}

/** One line naming where the engines keep their files, e.g. under the table of formatTable. */
export function formatFiles(statuses: EngineStatus[]): string {
  const files = statuses
    .filter((s) => s.files)
    .map((s) => `${s.name} in ${s.files}${s.runsAs ? ` (owned by ${s.runsAs})` : ''}`);
  return `Files: ${[...files, `logs in ${LOGS_DIR}`].join('; ')}`;
}

export function formatTable(statuses: EngineStatus[]): string {
  const rows = [
    ['engine', 'version', 'address', 'mode', 'state', 'pid/container', 'start'],
    ...statuses.map((s) => [
      s.name,
      s.version,
      s.address,
      s.mode,
      s.state,
      s.pid ? String(s.pid) : (s.containerId?.slice(0, 12) ?? '-'),
      s.startMs === undefined ? '-' : `${(s.startMs / 1000).toFixed(1)}s`,
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

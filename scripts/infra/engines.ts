import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerAvailable, removeContainer, runsInDocker, startContainer } from './docker';
import { dynaliteEngine } from './dynalite';
import type { EngineName, LocalEngine } from './engine';
import { kafkaEngine } from './kafka';
import { openSearchEngine } from './opensearch';
import { ENDPOINTS_FILE, ENGINES_DIR, LOGS_DIR } from './paths';
import { isAlive, portOpen, stopProcess, tail, waitFor } from './process-utils';
import { redisEngine } from './redis';

/**
 * The engine harness: provisions, starts, health-waits and stops Kafka, Redis, dynalite and
 * OpenSearch for integration tests and `npm run stack`. State lives in .data/engines, logs in
 * .data/logs, downloads in the user cache. Starting is idempotent: a healthy engine is reused.
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
}

interface SavedState {
  mode: 'local' | 'docker';
  pid?: number;
  containerId?: string;
  version: string;
  startedAt: string;
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
  };
  if (!saved) return { ...base, mode: '-', state: 'stopped' };
  if (saved.mode === 'local' && saved.pid && !isAlive(saved.pid)) {
    return { ...base, mode: 'local', state: 'stopped' };
  }
  return { ...base, mode: saved.mode, state: (await isHealthy(engine)) ? 'running' : 'unhealthy' };
}

async function startOne(engine: LocalEngine, useDocker: boolean, log: Log): Promise<EngineStatus> {
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
      throw new Error(
        `${engine.name}: port ${port} is taken by a process this harness did not start; ` +
          `stop it or choose other ports (KAFKA_PORT, REDIS_PORT, DYNAMODB_PORT, OPENSEARCH_PORT)`,
      );
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
    log(
      `${engine.name}: starting ${engine.version} as a local process (log: ${logFile(engine.name)})`,
    );
    const pid = engine.start(logFile(engine.name));
    saved = { mode: 'local', pid, version: engine.version, startedAt: '' };
  }
  saved.startedAt = new Date().toISOString();
  writeFileSync(stateFile(engine.name), JSON.stringify(saved, null, 2));
  try {
    await waitFor(`${engine.name} at ${engine.address}`, () => isHealthy(engine), {
      timeoutMs: engine.startTimeoutMs,
      alive: saved.pid ? () => isAlive(saved.pid!) : undefined,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await stopOne(engine, () => undefined);
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
 * writes endpoints.env. Throws on the first engine that cannot be had, saying why.
 */
export async function startEngines(
  names: readonly EngineName[] = ENGINE_NAMES,
  log: Log = () => undefined,
): Promise<EngineStatus[]> {
  const useDocker = dockerAvailable();
  log(
    useDocker
      ? 'Docker engine found: Kafka, Redis and OpenSearch run through Testcontainers, dynalite locally'
      : 'No Docker engine: every engine runs as a local process',
  );
  const started: EngineStatus[] = [];
  for (const name of names) started.push(await startOne(engineOf(name), useDocker, log));
  writeEndpoints(await engineStatuses());
  return started;
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

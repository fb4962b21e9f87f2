import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmbeddedDynamoOptions {
  /** LevelDB folder; omitted → in memory (forgotten on close). */
  path?: string;
  /** Delete `path` before starting. */
  reset?: boolean;
  /** 0 (default) picks a free port. */
  port?: number;
}

/** A dynalite server running inside this process, listening on 127.0.0.1. */
export class EmbeddedDynamo {
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    readonly path: string | undefined,
    private readonly lockFile: string | undefined,
  ) {}

  static async start(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
    const lockFile = options.path ? `${options.path}.lock` : undefined;
    if (options.path && lockFile) {
      await acquireLock(lockFile, options.path);
      if (options.reset) await rm(options.path, { recursive: true, force: true });
      await mkdir(options.path, { recursive: true });
    }
    // dynalite ships no types; its factory returns a plain http.Server.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dynalite = require('dynalite') as (opts: Record<string, unknown>) => Server;
    const server = dynalite({
      path: options.path,
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        if (lockFile) void releaseLock(lockFile);
        reject(error);
      };
      server.once('error', fail);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', fail);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    return new EmbeddedDynamo(server, `http://127.0.0.1:${port}`, options.path, lockFile);
  }

  /** Stops listening and closes the store (flushes LevelDB when on disk). */
  async close(): Promise<void> {
    // Idle keep-alive sockets (our SDK clients') would otherwise hold close() open.
    this.server.closeIdleConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error?: Error) => (error ? reject(error) : resolve())),
    );
    if (this.lockFile) await releaseLock(this.lockFile);
  }
}

/**
 * One process per on-disk store: LevelDB allows a single opener, and dynalite crashes the
 * process on a locked store, so say it clearly instead. A lock left by a dead process is taken over.
 */
const lockedHere = new Set<string>();

async function acquireLock(lockFile: string, path: string): Promise<void> {
  if (lockedHere.has(lockFile)) {
    throw new Error(`the embedded DynamoDB store at ${path} is already open in this process`);
  }
  await mkdir(dirname(lockFile), { recursive: true });
  try {
    await writeFile(lockFile, String(process.pid), { flag: 'wx' });
    lockedHere.add(lockFile);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
    throw new Error(
      `the embedded DynamoDB store at ${path} is in use by process ${owner}; stop that process, ` +
        `or use another MERCATO_DATA_DIR, MERCATO_STORAGE=memory, or DYNAMODB_ENDPOINT`,
    );
  }
  await writeFile(lockFile, String(process.pid));
  lockedHere.add(lockFile);
}

async function releaseLock(lockFile: string): Promise<void> {
  lockedHere.delete(lockFile);
  await rm(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

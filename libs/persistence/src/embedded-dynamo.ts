import { rm, mkdir } from 'node:fs/promises';
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
  ) {}

  static async start(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
    if (options.path) {
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
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    return new EmbeddedDynamo(server, `http://127.0.0.1:${port}`, options.path);
  }

  /** Stops listening and closes the store (flushes LevelDB when on disk). */
  async close(): Promise<void> {
    // Idle keep-alive sockets (our SDK clients') would otherwise hold close() open.
    this.server.closeIdleConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error?: Error) => (error ? reject(error) : resolve())),
    );
  }
}

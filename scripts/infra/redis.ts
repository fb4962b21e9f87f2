import { spawnSync } from 'node:child_process';
import { envPort } from './paths';
import { commandExists, run, spawnDetached, tcpExchange } from './process-utils';
import type { LocalEngine } from './engine';

/** Debian's redis-server, no persistence: a cache and cart store for tests and the stack. */
function provisionRedis(): void {
  if (commandExists('redis-server')) return;
  if (process.getuid?.() !== 0 || !commandExists('apt-get')) {
    throw new Error(
      'redis-server is not installed: install it (Debian: apt-get install -y redis-server)',
    );
  }
  run('apt-get', ['update', '-q'], { what: 'apt-get update' });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'redis-server'], {
    what: 'apt-get install redis-server',
  });
}

function redisVersion(): string {
  if (!commandExists('redis-server')) return 'not installed';
  const out = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return /v=([\d.]+)/.exec(out)?.[1] ?? 'unknown';
}

export function redisEngine(): LocalEngine {
  const port = envPort('REDIS_PORT', 16379);
  return {
    name: 'redis',
    get version() {
      return redisVersion();
    },
    port,
    ports: [port],
    address: `127.0.0.1:${port}`,
    endpoint: { REDIS_URL: `redis://127.0.0.1:${port}` },
    portVariables: ['REDIS_PORT'],
    startTimeoutMs: 15_000,
    provision: provisionRedis,
    start(logFile) {
      return spawnDetached(
        'redis-server',
        [
          '--bind',
          '127.0.0.1',
          '--port',
          String(port),
          '--save',
          '',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
          '--maxmemory',
          '256mb',
          '--maxmemory-policy',
          'allkeys-lru',
          '--logfile',
          '',
        ],
        logFile,
      );
    },
    async healthy() {
      return (await tcpExchange(port, 'PING\r\n')).startsWith('+PONG');
    },
  };
}

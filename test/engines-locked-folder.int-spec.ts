import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describeWithEngines } from '@mercato/testing';
import { openSearchFilesDir } from '../scripts/infra/opensearch';
import { REPO_ROOT } from '../scripts/infra/paths';
import { httpCall, portOpen, tcpExchange } from '../scripts/infra/process-utils';

/**
 * `npm run engines -- start` from a clone of this repository inside a folder only its owner can
 * enter (mode 700, as /root on Debian): every engine starts, OpenSearch included (as root it runs
 * as an unprivileged user), and answers. A start that fails, or is interrupted with SIGINT, leaves
 * none of the engines it launched behind, and keeps the ones that were running before it.
 *
 * The clone's engines use their own ports (below), so the engines of this checkout (those the
 * integration layer runs on) stay untouched. The clone is this repository's HEAD with this
 * checkout's scripts/infra copied over it (so uncommitted harness changes are what is tested),
 * and node_modules linked from this checkout; downloads come from the shared caches.
 */
const PORTS = {
  KAFKA_PORT: 29092,
  KAFKA_CONTROLLER_PORT: 29093,
  REDIS_PORT: 26379,
  DYNAMODB_PORT: 28000,
  OPENSEARCH_PORT: 29200,
  OPENSEARCH_TRANSPORT_PORT: 29300,
} as const;
const ALL_PORTS = Object.values(PORTS);
const STEP_MS = 240_000;

interface Run {
  code: number | null;
  output: string;
}

describeWithEngines(
  'Engines started from a clone in a mode-700 folder',
  // The harness could start these here: Java, Maven and the download caches are in place.
  ['KAFKA_BROKERS', 'OPENSEARCH_URL'],
  () => {
    let base: string;
    let clone: string;
    let holder: Server | undefined;

    /** Runs scripts/infra/engines.sh in the clone; `whileRunning` may signal it. */
    const engines = (
      args: string[],
      whileRunning?: (pid: number, output: () => string) => void,
    ): Promise<Run> =>
      new Promise((resolve, reject) => {
        const env: NodeJS.ProcessEnv = { ...process.env, MERCATO_ENGINES_MODE: 'local' };
        for (const [name, port] of Object.entries(PORTS)) env[name] = String(port);
        // engines.sh execs node, so this pid is the harness itself.
        const child = spawn('bash', [join(clone, 'scripts', 'infra', 'engines.sh'), ...args], {
          cwd: clone,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('error', reject);
        child.once('exit', (code) => resolve({ code, output }));
        whileRunning?.(child.pid!, () => output);
      });

    /**
     * Live processes that belong to the clone's engines: started in the clone or in its
     * OpenSearch folder, or naming either on their command line.
     */
    const engineProcesses = (): string[] => {
      const marks = [clone, openSearchFilesDir(clone)];
      const found: string[] = [];
      for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
        try {
          const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
          let cwd = '';
          try {
            cwd = readlinkSync(`/proc/${pid}/cwd`);
          } catch {
            // a process of another user without access: its command line still counts
          }
          if (marks.some((mark) => cwd.startsWith(mark) || cmdline.includes(mark))) {
            found.push(`${pid} ${cmdline.slice(0, 100)}`);
          }
        } catch {
          // exited while being read
        }
      }
      return found;
    };

    const openPorts = async (): Promise<number[]> => {
      const open = await Promise.all(ALL_PORTS.map((port) => portOpen(port)));
      return ALL_PORTS.filter((_, i) => open[i]);
    };

    const endpointsFile = (): string =>
      readFileSync(join(clone, '.data', 'engines', 'endpoints.env'), 'utf8');

    beforeAll(async () => {
      const taken = await openPorts();
      if (taken.length > 0) {
        throw new Error(`ports ${taken.join(', ')} are taken; this suite starts engines on them`);
      }
      base = mkdtempSync(join(tmpdir(), 'mercato-locked-'));
      mkdirSync(join(base, 'locked'));
      chmodSync(join(base, 'locked'), 0o700);
      const cloned = spawnSync('git', ['clone', '-q', REPO_ROOT, join(base, 'locked', 'mercato')], {
        encoding: 'utf8',
      });
      if (cloned.status !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
      clone = realpathSync(join(base, 'locked', 'mercato'));
      cpSync(join(REPO_ROOT, 'scripts', 'infra'), join(clone, 'scripts', 'infra'), {
        recursive: true,
      });
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules'));
    });

    afterAll(async () => {
      holder?.close();
      if (!clone) return;
      await engines(['stop']);
      const files = openSearchFilesDir(clone);
      // As root, the clone's OpenSearch folder is <cache>/checkouts/<key>/opensearch.
      if (!files.startsWith(clone)) rmSync(dirname(files), { recursive: true, force: true });
      rmSync(base, { recursive: true, force: true });
    }, STEP_MS);

    it(
      'starts all four engines, OpenSearch included, which answer and write their data',
      async () => {
        expect(statSync(join(base, 'locked')).mode & 0o777).toBe(0o700);
        const start = await engines(['start']);
        expect({ code: start.code, output: start.output }).toMatchObject({ code: 0 });

        const files = openSearchFilesDir(clone);
        expect(start.output).toContain(`config and data in ${files}`);
        expect(start.output).toMatch(new RegExp(`Files: .*opensearch in ${files}`));
        if (process.getuid?.() === 0) {
          // Outside the locked folder, owned by the user OpenSearch runs as, and so is its process.
          expect(files.startsWith(base)).toBe(false);
          const engineUid = Number(
            spawnSync('id', ['-u', 'mercato-engines'], { encoding: 'utf8' }).stdout,
          );
          expect(statSync(files).uid).toBe(engineUid);
          const state = JSON.parse(
            readFileSync(join(clone, '.data', 'engines', 'opensearch.state.json'), 'utf8'),
          ) as { pid: number; files: string };
          expect(state.files).toBe(files);
          const uidLine = readFileSync(`/proc/${state.pid}/status`, 'utf8')
            .split('\n')
            .find((line) => line.startsWith('Uid:'));
          expect(uidLine?.split(/\s+/)[1]).toBe(String(engineUid));
        }

        const status = await engines(['status']);
        expect({ code: status.code, output: status.output }).toMatchObject({ code: 0 });
        expect(endpointsFile()).toContain(
          `OPENSEARCH_URL=http://127.0.0.1:${PORTS.OPENSEARCH_PORT}`,
        );

        expect(await tcpExchange(PORTS.REDIS_PORT, 'PING\r\n')).toBe('+PONG\r\n');
        const tables = await httpCall(`http://127.0.0.1:${PORTS.DYNAMODB_PORT}/`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-amz-json-1.0',
            'X-Amz-Target': 'DynamoDB_20120810.ListTables',
            Authorization:
              'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
            'X-Amz-Date': '20200101T000000Z',
          },
          body: '{}',
        });
        expect(tables.status).toBe(200);

        const admin = new Kafka({
          clientId: 'locked-folder-test',
          brokers: [`127.0.0.1:${PORTS.KAFKA_PORT}`],
          logLevel: logLevel.NOTHING,
        }).admin();
        await admin.connect();
        try {
          await admin.createTopics({ topics: [{ topic: 'locked-folder', numPartitions: 1 }] });
          expect(await admin.listTopics()).toContain('locked-folder');
        } finally {
          await admin.disconnect();
        }

        const os = `http://127.0.0.1:${PORTS.OPENSEARCH_PORT}`;
        const written = await httpCall(`${os}/locked-folder/_doc/1?refresh=true`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: '{"name":"written from a locked clone"}',
        });
        expect(written.status).toBe(201);
        const count = await httpCall(`${os}/locked-folder/_count`);
        expect(JSON.parse(count.body)).toMatchObject({ count: 1 });

        // The process check below sees the running engines: four of them.
        expect(engineProcesses()).toHaveLength(4);

        const stop = await engines(['stop']);
        expect(stop.code).toBe(0);
        expect(engineProcesses()).toEqual([]);
        expect(await openPorts()).toEqual([]);
      },
      STEP_MS,
    );

    it(
      'a start that fails stops the engines it launched and keeps the one running before it',
      async () => {
        const redis = await engines(['start', 'redis']);
        expect(redis.code).toBe(0);
        // OpenSearch's transport port taken by another process: its start fails after
        // Kafka and dynalite were launched.
        holder = createServer();
        await new Promise<void>((resolve) =>
          holder!.listen(PORTS.OPENSEARCH_TRANSPORT_PORT, '127.0.0.1', resolve),
        );

        const start = await engines(['start']);
        expect(start.code).toBe(1);
        expect(start.output).toMatch(
          new RegExp(
            `opensearch: port ${PORTS.OPENSEARCH_TRANSPORT_PORT} is taken by \\S+ \\(pid ${process.pid},`,
          ),
        );
        expect(start.output).toContain(
          `there is no ${join(clone, '.data', 'engines', 'opensearch.state.json')}`,
        );
        expect(start.output).toContain('redis: already running (local), reused');
        expect(start.output).toContain(
          'Stopped the engines this start launched: kafka, dynamodb. Left running, as they were before it: redis.',
        );

        const left = engineProcesses();
        expect(left).toHaveLength(1);
        expect(left[0]).toMatch(/redis-server/);
        expect(await openPorts()).toEqual([PORTS.REDIS_PORT, PORTS.OPENSEARCH_TRANSPORT_PORT]);
        expect(endpointsFile()).toMatch(/^REDIS_URL=.*$/m);
        expect(endpointsFile()).not.toMatch(/KAFKA_BROKERS|DYNAMODB_ENDPOINT|OPENSEARCH_URL/);

        await new Promise((resolve) => holder!.close(resolve));
        holder = undefined;
        expect((await engines(['stop'])).code).toBe(0);
        expect(engineProcesses()).toEqual([]);
      },
      STEP_MS,
    );

    it(
      'SIGINT while OpenSearch starts stops every engine that start launched',
      async () => {
        const opensearchState = join(clone, '.data', 'engines', 'opensearch.state.json');
        let sent = false;
        const start = await engines(['start'], (pid, output) => {
          const timer = setInterval(() => {
            // OpenSearch's process is there (its state file is written once it is spawned).
            if (existsSync(opensearchState) && !sent) {
              sent = true;
              process.kill(pid, 'SIGINT');
            }
            if (sent || /Endpoints in|\[engines\] .*failed/.test(output())) clearInterval(timer);
          }, 50);
        });
        expect(sent).toBe(true);
        expect({ code: start.code, output: start.output }).toMatchObject({ code: 130 });
        expect(start.output).toContain('SIGINT: stopping the engines this start launched');
        expect(start.output).toContain(
          'Stopped the engines this start launched: kafka, redis, dynamodb, opensearch.',
        );
        expect(start.output).toMatch(/opensearch: (stopped|killed) \(pid \d+\)/);
        expect(engineProcesses()).toEqual([]);
        expect(await openPorts()).toEqual([]);
        expect(
          readdirSync(join(clone, '.data', 'engines')).filter((f) => f.endsWith('.state.json')),
        ).toEqual([]);
      },
      STEP_MS,
    );
  },
);

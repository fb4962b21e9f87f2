import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, parse, relative, sep } from 'node:path';
import { cacheDir, checkoutKey, ENGINES_DIR, envPort, REPO_ROOT } from './paths';
import { commandExists, httpCall, run, spawnDetached } from './process-utils';
import { requireJava, requireMaven, type LocalEngine } from './engine';
import { provisionOpenSearchModules } from './opensearch-modules';

/**
 * OpenSearch from its minimal distribution on Maven Central
 * (org.opensearch.distribution.integ-test-zip:opensearch:<v>:zip): core plus transport-netty4,
 * no security plugin, no bundled JDK (it runs on the installed Java 17). The analysis-common and
 * lang-painless modules it lacks are added from their Maven Central jars (opensearch-modules.ts).
 */
export const OPENSEARCH_VERSION = process.env.OPENSEARCH_VERSION ?? '2.19.6';
/** OpenSearch refuses to run as root; as root the harness runs it as this system user. */
const RUN_AS = 'mercato-engines';

const isRoot = (): boolean => process.getuid?.() === 0;

/**
 * As root what OpenSearch reads and writes must be reachable by RUN_AS, and a checkout or cache
 * under /root (mode 700 on Debian) is not: as root the harness keeps them in /var/cache/mercato.
 */
function sharedBase(): string {
  return isRoot() && !process.env.MERCATO_CACHE_DIR ? '/var/cache/mercato' : cacheDir();
}

function distributionHome(): string {
  return join(sharedBase(), `opensearch-${OPENSEARCH_VERSION}`);
}

/**
 * This checkout's OpenSearch config, data and logs. As root they live outside the checkout, in
 * <base>/checkouts/<folder name>-<hash of its path>/opensearch, owned by RUN_AS (a clone in a
 * mode-700 folder works, and two clones do not share a node's data); otherwise in
 * .data/engines/opensearch.
 */
export function openSearchFilesDir(checkout = REPO_ROOT): string {
  return isRoot()
    ? join(sharedBase(), 'checkouts', checkoutKey(checkout), 'opensearch')
    : join(checkout, relative(REPO_ROOT, ENGINES_DIR), 'opensearch');
}

/** Creates the per-checkout folder (as root), enterable by RUN_AS, naming the checkout it serves. */
function prepareCheckoutFolder(work: string): void {
  const folder = dirname(work);
  mkdirSync(work, { recursive: true });
  for (const dir of [dirname(folder), folder]) chmodSync(dir, 0o755);
  writeFileSync(
    join(folder, 'checkout'),
    `${REPO_ROOT}\n# OpenSearch files of that checkout (scripts/infra/opensearch.ts); delete this folder once it is gone.\n`,
  );
}

/** Whether the RUN_AS user passes `test <flag> <path>` (-r, -w, -x). */
function userMay(flag: '-r' | '-w' | '-x', path: string): boolean {
  return (
    spawnSync('test', [flag, path], { uid: idOf('-u'), gid: idOf('-g'), stdio: 'ignore' })
      .status === 0
  );
}

/**
 * Fails before a start, naming the folder and the fix, when RUN_AS could not use `path` (a
 * parent it cannot enter, e.g. MERCATO_CACHE_DIR under /root, or a file it may not read/write).
 */
function requireAccess(path: string, flag: '-r' | '-w' | '-x', what: string): void {
  if (userMay(flag, path)) return;
  const root = parse(path).root;
  const parents = relative(root, dirname(path))
    .split(sep)
    .filter(Boolean)
    .map((_, i, parts) => join(root, ...parts.slice(0, i + 1)));
  const blocked = [root, ...parents].find((dir) => !userMay('-x', dir));
  const at = blocked ?? path;
  const { mode, uid } = statSync(at);
  const fix = blocked
    ? `let other users enter it (chmod o+x ${at})` +
      (process.env.MERCATO_CACHE_DIR
        ? ', or unset MERCATO_CACHE_DIR so that the harness, as root, uses /var/cache/mercato'
        : '')
    : `chown -R ${RUN_AS}:${RUN_AS} ${at}`;
  throw new Error(
    `opensearch runs as ${RUN_AS}, which cannot ${blocked ? 'enter' : what} ${at} ` +
      `(mode ${(mode & 0o7777).toString(8)}, owner uid ${uid}); fix: ${fix}`,
  );
}

function provisionOpenSearch(): void {
  requireJava('OpenSearch');
  const home = distributionHome();
  if (!existsSync(join(home, '.complete'))) {
    requireMaven('OpenSearch');
    const download = dirname(home);
    mkdirSync(download, { recursive: true });
    run(
      'mvn',
      [
        '-q',
        '-B',
        'dependency:copy',
        `-Dartifact=org.opensearch.distribution.integ-test-zip:opensearch:${OPENSEARCH_VERSION}:zip`,
        `-DoutputDirectory=${download}`,
      ],
      { what: `Resolving the OpenSearch ${OPENSEARCH_VERSION} integ-test-zip with Maven` },
    );
    const zip = join(download, `opensearch-${OPENSEARCH_VERSION}.zip`);
    // The zip holds one folder, opensearch-<version>, which is `home`.
    if (commandExists('unzip')) run('unzip', ['-q', '-o', zip, '-d', download], { what: 'unzip' });
    else run('python3', ['-m', 'zipfile', '-e', zip, download], { what: 'unzip (python3)' });
    run('chmod', ['-R', 'a+rX', home], { what: 'chmod' });
    run(
      'chmod',
      [
        'a+x',
        ...['opensearch', 'opensearch-env', 'opensearch-cli'].map((f) => join(home, 'bin', f)),
      ],
      {
        what: 'chmod bin',
      },
    );
    writeFileSync(join(home, '.complete'), new Date().toISOString());
  }
  if (isRoot()) ensureUser();
  provisionOpenSearchModules(
    home,
    OPENSEARCH_VERSION,
    isRoot() ? `${RUN_AS}:${RUN_AS}` : undefined,
  );
}

function ensureUser(): void {
  if (spawnSync('id', ['-u', RUN_AS], { stdio: 'ignore' }).status === 0) return;
  run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', RUN_AS], {
    what: `useradd ${RUN_AS} (OpenSearch does not run as root)`,
  });
}

function idOf(flag: '-u' | '-g'): number {
  return Number(spawnSync('id', [flag, RUN_AS], { encoding: 'utf8' }).stdout.trim());
}

function javaHome(): string {
  return dirname(
    dirname(realpathSync(run('sh', ['-c', 'command -v java'], { what: 'which java' }).trim())),
  );
}

export function openSearchEngine(): LocalEngine {
  const port = envPort('OPENSEARCH_PORT', 19200);
  const transportPort = envPort('OPENSEARCH_TRANSPORT_PORT', port + 100);
  const work = openSearchFilesDir();
  const url = `http://127.0.0.1:${port}`;
  return {
    name: 'opensearch',
    version: OPENSEARCH_VERSION,
    port,
    ports: [port, transportPort],
    address: url,
    endpoint: { OPENSEARCH_URL: url },
    files: work,
    portVariables: ['OPENSEARCH_PORT', 'OPENSEARCH_TRANSPORT_PORT'],
    runsAs: isRoot() ? RUN_AS : undefined,
    startTimeoutMs: 120_000,
    provision: provisionOpenSearch,
    start(logFile) {
      const home = distributionHome();
      const config = join(work, 'config');
      if (isRoot()) prepareCheckoutFolder(work);
      mkdirSync(join(work, 'data'), { recursive: true });
      mkdirSync(join(work, 'logs'), { recursive: true });
      mkdirSync(join(work, 'tmp'), { recursive: true });
      cpSync(join(home, 'config'), config, { recursive: true });
      // jvm.options names gc.log, heap dumps and error files relative to the (read-only) distribution.
      const jvmOptions = join(config, 'jvm.options');
      writeFileSync(
        jvmOptions,
        readFileSync(jvmOptions, 'utf8')
          .replaceAll('file=logs/', `file=${join(work, 'logs')}/`)
          .replaceAll('ErrorFile=logs/', `ErrorFile=${join(work, 'logs')}/`)
          .replaceAll('HeapDumpPath=data', `HeapDumpPath=${join(work, 'data')}`),
      );
      writeFileSync(
        join(config, 'opensearch.yml'),
        [
          '# Generated by scripts/infra (opensearch.ts): one node for development and tests.',
          'cluster.name: mercato-dev',
          'node.name: mercato-1',
          'discovery.type: single-node',
          'network.host: 127.0.0.1',
          `http.port: ${port}`,
          `transport.port: ${transportPort}`,
          `path.data: ${join(work, 'data')}`,
          `path.logs: ${join(work, 'logs')}`,
          // Tests create and drop indices all the time; keep a small disk from blocking writes.
          'cluster.routing.allocation.disk.threshold_enabled: false',
          'action.destructive_requires_name: false',
          '',
        ].join('\n'),
      );
      if (isRoot()) {
        run('chown', ['-R', `${RUN_AS}:${RUN_AS}`, work], { what: 'chown OpenSearch dirs' });
        requireAccess(join(home, 'bin', 'opensearch'), '-x', 'run');
        requireAccess(join(config, 'opensearch.yml'), '-r', 'read');
        requireAccess(join(work, 'data'), '-w', 'write to');
        requireAccess(join(work, 'logs'), '-w', 'write to');
      }
      return spawnDetached(join(home, 'bin', 'opensearch'), [], logFile, {
        cwd: work,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: work,
          OPENSEARCH_PATH_CONF: config,
          OPENSEARCH_JAVA_HOME: javaHome(),
          OPENSEARCH_TMPDIR: join(work, 'tmp'),
          OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx512m -XX:ActiveProcessorCount=2',
        },
        ...(isRoot() ? { uid: idOf('-u'), gid: idOf('-g') } : {}),
      });
    },
    async healthy() {
      const { status, body } = await httpCall(
        `${url}/_cluster/health?wait_for_status=yellow&timeout=1s`,
        { timeoutMs: 3_000 },
      );
      return status === 200 && /"status":"(green|yellow)"/.test(body);
    },
  };
}

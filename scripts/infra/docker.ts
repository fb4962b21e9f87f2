import { spawnSync } from 'node:child_process';
import type { LocalEngine } from './engine';
import { KAFKA_HEAP_OPTIONS, KAFKA_VERSION } from './kafka';
import { OPENSEARCH_VERSION } from './opensearch';

/**
 * The Docker path: where a Docker engine answers, Kafka, Redis and OpenSearch run as containers
 * started through Testcontainers (dynalite stays a local process). Container ports are bound to
 * the same host ports as the local path, so endpoints.env does not depend on the path taken.
 * Untested on the development machine (it has no Docker engine).
 */
export function dockerAvailable(): boolean {
  const mode = process.env.MERCATO_ENGINES_MODE ?? 'auto';
  if (mode === 'local') return false;
  const available =
    spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
      stdio: 'ignore',
      timeout: 10_000,
    }).status === 0;
  if (mode === 'docker' && !available) {
    throw new Error('MERCATO_ENGINES_MODE=docker but no Docker engine answers `docker info`');
  }
  return available;
}

interface ContainerSpec {
  image: string;
  port: number;
  env: Record<string, string>;
}

function containerSpec(engine: LocalEngine): ContainerSpec | undefined {
  switch (engine.name) {
    case 'kafka':
      return {
        image: `apache/kafka:${KAFKA_VERSION}`,
        port: 9092,
        env: {
          KAFKA_NODE_ID: '1',
          KAFKA_PROCESS_ROLES: 'broker,controller',
          KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
          KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${engine.port}`,
          KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
          KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
          KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
          KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
          KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
          KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
          KAFKA_HEAP_OPTS: KAFKA_HEAP_OPTIONS.join(' '),
        },
      };
    case 'redis':
      return { image: 'redis:7-alpine', port: 6379, env: {} };
    case 'opensearch':
      return {
        image: `opensearchproject/opensearch:${OPENSEARCH_VERSION}`,
        port: 9200,
        env: {
          'discovery.type': 'single-node',
          DISABLE_SECURITY_PLUGIN: 'true',
          DISABLE_INSTALL_DEMO_CONFIG: 'true',
          OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx512m',
        },
      };
    default:
      return undefined;
  }
}

/** Whether this engine has a container image in the Docker path (dynalite has none). */
export function runsInDocker(engine: LocalEngine): boolean {
  return containerSpec(engine) !== undefined;
}

/** Starts the engine's container and returns its id; the container outlives this process. */
export async function startContainer(engine: LocalEngine): Promise<string> {
  const spec = containerSpec(engine);
  if (!spec) throw new Error(`${engine.name} has no container in the Docker path`);
  // engines.sh start returns while the engines keep running; `stop` removes the containers.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const { GenericContainer } = await import('testcontainers');
  const container = await new GenericContainer(spec.image)
    .withName(`mercato-${engine.name}`)
    .withEnvironment(spec.env)
    .withExposedPorts({ container: spec.port, host: engine.port })
    .withStartupTimeout(engine.startTimeoutMs)
    .start();
  return container.getId();
}

export function removeContainer(id: string): void {
  spawnSync('docker', ['rm', '-f', id], { stdio: 'ignore', timeout: 60_000 });
}

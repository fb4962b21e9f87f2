import { commandExists } from './process-utils';

export type EngineName = 'kafka' | 'redis' | 'dynamodb' | 'opensearch';

/** One engine run as a local process: how to get it, start it and know that it serves. */
export interface LocalEngine {
  name: EngineName;
  version: string;
  /** The port clients use. */
  port: number;
  /** Every port it binds (checked free before a start). */
  ports: number[];
  address: string;
  /** What goes into .data/engines/endpoints.env. */
  endpoint: Record<string, string>;
  /** Where it keeps its config and data on disk (none: in memory). */
  files?: string;
  /** The user it runs as, when not the harness's own (OpenSearch refuses root). */
  runsAs?: string;
  /** The environment variables that set its ports, for messages. */
  portVariables: string[];
  startTimeoutMs: number;
  /** Downloads or installs what is missing (cached); synchronous tools, may take a while. */
  provision(): void;
  /** Starts the process detached, output to logFile; returns its pid. */
  start(logFile: string): number;
  healthy(): Promise<boolean>;
}

export function requireJava(engine: string): void {
  if (!commandExists('java')) {
    throw new Error(
      `${engine} needs Java 17 or newer and none is on PATH: install it (Debian: apt-get install -y openjdk-17-jre-headless), ` +
        'or run with a Docker engine so the harness uses Testcontainers',
    );
  }
}

export function requireMaven(engine: string): void {
  if (!commandExists('mvn')) {
    throw new Error(
      `${engine} is resolved from Maven Central with Maven and \`mvn\` is not on PATH: install it (Debian: apt-get install -y maven)`,
    );
  }
}

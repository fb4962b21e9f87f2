import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/** Where the harness keeps things: engine state and data in the repo's .data, downloads in a user cache. */
const up = resolve(__dirname, '..', '..');
/** The repo root, also when this runs compiled from dist/scripts/infra. */
export const REPO_ROOT = basename(up) === 'dist' ? dirname(up) : up;
export const ENGINES_DIR = join(REPO_ROOT, '.data', 'engines');
export const LOGS_DIR = join(REPO_ROOT, '.data', 'logs');
export const ENDPOINTS_FILE = join(ENGINES_DIR, 'endpoints.env');

/**
 * This checkout's name outside it: the folder's name and a hash of its path, so the files that an
 * engine keeps elsewhere (OpenSearch as root) stay apart for two clones or worktrees.
 */
export function checkoutKey(root = REPO_ROOT): string {
  const name = basename(root).replace(/[^A-Za-z0-9._-]/g, '_');
  return `${name}-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`;
}

/** Downloaded engines (Maven jars, OpenSearch), kept between runs and clones. */
export function cacheDir(): string {
  if (process.env.MERCATO_CACHE_DIR) return process.env.MERCATO_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mercato');
}

export function envPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${name}=${raw} is not a TCP port`);
  }
  return port;
}

/**
 * Queue URLs, reachability and the Redis keys a distributed sweep uses.
 *
 * Redis unreachable is an environment problem, not bad input: it is a {@link RedisUnreachableError}
 * (not a MechlabError), which the CLI reports as `error: cannot reach Redis at redis://HOST:PORT (…)`
 * with exit status 1, within `connectTimeoutMs` (3 s) — never a hang.
 */
import { MechlabError } from '@mechlab/core';
import type IORedis from 'ioredis';
import { RedisCommands, bullmqConnection, type RedisTarget } from './redis';

/** The bullmq queue every sweep's tasks go through (a worker serves any sweep). */
export const QUEUE_NAME = 'mechlab-sweep';

/** Redis key prefix of one sweep's state. */
export function sweepKey(sweepId: string, part: 'meta' | 'results' | 'done'): string {
  return `mechlab:sweep:${sweepId}:${part}`;
}

/** bullmq job id of a task: `<sweepId>_<taskId>` (bullmq forbids `:` in custom ids). */
export function jobId(sweepId: string, taskId: string): string {
  return `${sweepId}_${taskId}`;
}

/** Thrown when Redis cannot be reached (connection refused, timeout, dropped). */
export class RedisUnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach Redis at ${url} (${reason})`);
    this.name = 'RedisUnreachableError';
  }
}

/** A parsed `redis://HOST:PORT[/DB]` URL. */
export interface QueueTarget extends RedisTarget {
  /** Canonical `redis://host:port[/db]` (no password). */
  readonly url: string;
}

/**
 * Parse `--queue`. Accepts `redis://[:PASSWORD@]HOST[:PORT][/DB]` (port 6379 by default).
 * @throws MechlabError ERR_INVALID_INPUT naming `field`.
 */
export function parseQueueUrl(text: string, field = '--queue', connectTimeoutMs = 3000): QueueTarget {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${field} must be a redis://HOST:PORT URL, got ${JSON.stringify(text)}`,
      field,
    );
  }
  if (u.protocol !== 'redis:' || u.hostname === '') {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${field} must be a redis://HOST:PORT URL, got ${JSON.stringify(text)}`,
      field,
    );
  }
  const port = u.port === '' ? 6379 : Number(u.port);
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!(Number.isInteger(db) && db >= 0 && db <= 15)) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${field} database must be 0..15, got ${JSON.stringify(dbText)}`,
      field,
    );
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return {
    host,
    port,
    db,
    password: u.password === '' ? undefined : decodeURIComponent(u.password),
    connectTimeoutMs,
    url: `redis://${u.hostname}:${port}${db ? `/${db}` : ''}`,
  };
}

/** Open a connected client and PING it; fails fast with {@link RedisUnreachableError}. */
export async function openRedis(target: QueueTarget): Promise<RedisCommands> {
  const c = new RedisCommands(target);
  try {
    await c.connect();
    await withTimeout(c.send('PING', []), target.connectTimeoutMs ?? 3000, 'PING timed out');
    return c;
  } catch (e) {
    c.close();
    throw new RedisUnreachableError(target.url, reasonOf(c.lastError ?? e));
  }
}

/** A bullmq connection (its own socket) for a Queue or Worker; close with `disconnect()`. */
export function bullConnection(target: QueueTarget): IORedis {
  return bullmqConnection(target);
}

export function reasonOf(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  // Not `instanceof Error`: errors from node's core may come from another realm (jest's sandbox).
  const m = (e as { message?: unknown } | null)?.message;
  const msg = typeof m === 'string' ? m : String(e);
  return typeof code === 'string' && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(what)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

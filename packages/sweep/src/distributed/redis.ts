/**
 * The Redis driver: ioredis (bullmq's standard peer). `RedisCommands` is the small command surface the
 * coordinator and workers use for their own keys; bullmq gets its own ioredis connections.
 */
import type IORedis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { ioredis } from './lazy';

/** Where to connect. */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly db?: number | undefined;
  readonly password?: string | undefined;
  /** Give up connecting after this long (default 3000 ms). */
  readonly connectTimeoutMs?: number | undefined;
}

function options(t: RedisTarget): RedisOptions {
  return {
    host: t.host,
    port: t.port,
    db: t.db ?? 0,
    ...(t.password === undefined ? {} : { password: t.password }),
    connectTimeout: t.connectTimeoutMs ?? 3000,
  };
}

/**
 * A connection for mechlab's own commands. Fail-fast by design: no reconnect loop and no offline queue,
 * so an unreachable or vanished Redis rejects within `connectTimeoutMs` instead of hanging.
 */
export class RedisCommands {
  private readonly client: IORedis;
  /** The socket-level cause of the last failure (ECONNREFUSED …), kept for error messages. */
  lastError: Error | undefined;

  constructor(target: RedisTarget) {
    this.client = new (ioredis())({
      ...options(target),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    // Errors surface as rejected commands; keep the cause (a rejected connect() only says "Connection
    // is closed") and stop ioredis from logging it.
    this.client.on('error', (e: Error) => {
      this.lastError = e;
    });
  }

  connect(): Promise<void> {
    return this.client.connect();
  }

  /** Send one command; the reply comes back raw (`HGETALL` as a flat array, like the protocol). */
  send<T = unknown>(command: string, args: readonly (string | number)[]): Promise<T> {
    return this.client.call(command, ...args) as Promise<T>;
  }

  close(): void {
    this.client.disconnect();
  }
}

/**
 * A bullmq connection (its own socket). bullmq requires `maxRetriesPerRequest: null` for workers; it
 * reconnects with ioredis's default backoff, which is what a long-running worker wants once the
 * initial reachability check has passed.
 */
export function bullmqConnection(target: RedisTarget): IORedis {
  const c = new (ioredis())({ ...options(target), maxRetriesPerRequest: null });
  c.on('error', () => undefined);
  return c;
}

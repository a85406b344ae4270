/** The page's side of the compute workers: one request → one promise; a pool for sweeps. */
import type { Request, ResultOf, Response, WorkerError } from './protocol';

/** A worker's failure, carrying the field-naming message of the MechlabError behind it. */
export class ComputeError extends Error {
  constructor(readonly detail: WorkerError) {
    super(detail.message);
  }
}

function spawn(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
}

/** One worker, many requests (answered in order of completion by id). */
export class ComputeWorker {
  private readonly worker = spawn();
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker.onmessage = (ev: MessageEvent<Response>) => {
      const msg = ev.data;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new ComputeError(msg.error));
    };
    this.worker.onerror = (ev) => {
      for (const p of this.pending.values()) p.reject(new Error(`worker failed: ${ev.message}`));
      this.pending.clear();
    };
  }

  run<R extends Request>(req: R): Promise<ResultOf[R['kind']]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, req });
    });
  }

  terminate(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('cancelled'));
    this.pending.clear();
  }
}

let shared: ComputeWorker | undefined;

/** The page's long-lived worker for single computations (CCS, coalition). */
export function computeWorker(): ComputeWorker {
  shared ??= new ComputeWorker();
  return shared;
}

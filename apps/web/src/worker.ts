/**
 * The compute worker: every computation of the app runs here, the WebAssembly kernels included (one
 * module instance per worker — the AssemblyScript runtime is not shared across threads). The page
 * never blocks, and a sweep runs on several of these at once.
 */
import { isMechlabError } from '@mechlab/core';
import { coalitionRequest, randomCcsRequest, solveCcsRequest } from './compute';
import { initKernels } from './kernels-browser';
import type { Request, Response } from './protocol';
import { runSweepTask } from './sweep/task';

interface WorkerScope {
  onmessage: ((ev: MessageEvent<{ id: number; req: Request }>) => void) | null;
  postMessage(msg: Response, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

function compute(req: Request): { result: unknown; transfer: Transferable[] } {
  switch (req.kind) {
    case 'ccs':
      return { result: solveCcsRequest(req), transfer: [] };
    case 'random-ccs':
      return { result: randomCcsRequest(req), transfer: [] };
    case 'coalition':
      return { result: coalitionRequest(req), transfer: [] };
    case 'sweep-task': {
      const values = runSweepTask(req);
      return { result: values, transfer: [values.buffer] };
    }
  }
}

scope.onmessage = (ev) => {
  const { id, req } = ev.data;
  initKernels()
    .catch(() => false) // without the kernels, 'ts' still works and an explicit 'wasm' names the problem
    .then(() => {
      const { result, transfer } = compute(req);
      scope.postMessage({ id, ok: true, result }, transfer);
    })
    .catch((e: unknown) => {
      const error = isMechlabError(e)
        ? { message: e.message, code: e.code, ...(e.field === undefined ? {} : { field: e.field }) }
        : { message: e instanceof Error ? e.message : String(e) };
      scope.postMessage({ id, ok: false, error });
    });
};

/**
 * Opening an ONNX causal LM with onnxruntime-node: execution-provider choice with graceful fallback,
 * and the interface check (`input_ids`, `attention_mask` [, `position_ids`] → `logits`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { MechlabError } from '@mechlab/core';
import {
  inspectModelGraph,
  prepareReducedModel,
  sha256Hex,
  TARGETS_INPUT,
  type GraphFacts,
} from './graph-reduction';

// ONNX Runtime's default logger writes native lines ("[E:onnxruntime:…]") straight to stderr; the
// scorer reports every failure itself as one MechlabError, so keep ORT's logger to fatal only.
ort.env.logLevel = 'fatal';

/** Requested execution provider. `'auto'`: CUDA when its provider library is installed, else CPU. */
export type ProviderRequest = 'auto' | 'cpu' | 'cuda' | 'webgpu';

/** The provider a session actually runs on. */
export type Provider = 'cpu' | 'cuda' | 'webgpu';

/** Integer element types accepted for the id/mask/position inputs. */
export type IdElementType = 'int64' | 'int32';

/** An opened model and what was learnt about it. */
export interface OpenedModel {
  readonly session: ort.InferenceSession;
  readonly modelPath: string;
  readonly provider: Provider;
  /** Why a requested provider was not used (e.g. CUDA provider library missing), if it was not. */
  readonly providerNote: string | undefined;
  readonly inputNames: readonly string[];
  readonly hasPositionIds: boolean;
  /** Declared element type of each fed input. */
  readonly inputTypes: ReadonlyMap<string, IdElementType>;
  /** The static vocabulary dimension of `logits`, when the model declares one. */
  readonly logitsWidth: number | undefined;
  /** Whether the session runs the in-graph reduction (see graph-reduction.ts). */
  readonly reduced: boolean;
  /** Why the in-graph reduction was requested but not used. */
  readonly reductionNote: string | undefined;
  /** Path of the cached reduced graph (undefined when in memory or not reduced). */
  readonly reducedPath: string | undefined;
  /** Protobuf facts (position rows, opset…), when the model could be read. */
  readonly facts: GraphFacts | undefined;
  /** sha256 hex of `model.onnx` as read while opening it (reused by the results cache's model hash). */
  readonly modelSha256: string;
}

const REQUIRED = ['input_ids', 'attention_mask'] as const;
const OPTIONAL = ['position_ids'] as const;

/** Where onnxruntime-node looks for its CUDA provider libraries (installed separately from npm). */
function cudaProviderLibraries(): string[] {
  const dir = join(
    dirname(require.resolve('onnxruntime-node')),
    '..',
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
  return process.platform === 'win32'
    ? [join(dir, 'onnxruntime_providers_shared.dll'), join(dir, 'onnxruntime_providers_cuda.dll')]
    : [join(dir, 'libonnxruntime_providers_shared.so'), join(dir, 'libonnxruntime_providers_cuda.so')];
}

/**
 * Whether this onnxruntime-node build lists `cuda` and its provider library is on disk. (The npm tarball
 * ships the CPU provider only; CUDA's libraries come from the package's install script.)
 * Complexity: O(1).
 */
export function cudaAvailable(): { available: boolean; reason: string | undefined } {
  const listed = ort.listSupportedBackends().some((b) => b.name === 'cuda');
  if (!listed) return { available: false, reason: 'this onnxruntime-node build has no CUDA backend' };
  const missing = cudaProviderLibraries().filter((f) => !existsSync(f));
  if (missing.length > 0)
    return { available: false, reason: `CUDA provider library not installed (${missing.join(', ')})` };
  return { available: true, reason: undefined };
}

function firstLine(e: unknown): string {
  return String((e as Error).message ?? e)
    .split('\n')[0]!
    .slice(0, 300);
}

/**
 * Locate `model.onnx` in `dir`, open it on the requested provider (falling back to CPU when that fails)
 * and check its interface. Complexity: dominated by ONNX Runtime's session creation.
 * @throws MechlabError ERR_INVALID_INPUT naming `model` for a missing directory or file, a file ONNX
 *   Runtime rejects, or wrong input/output names
 */
export async function openModel(
  dir: string,
  request: ProviderRequest,
  options: { intraOpNumThreads?: number; reduce?: boolean; graphCacheDir?: string } = {},
): Promise<OpenedModel> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new MechlabError('ERR_INVALID_INPUT', `model: directory ${dir} not found`, 'model');
  }
  const modelPath = join(dir, 'model.onnx');
  if (!existsSync(modelPath))
    throw new MechlabError('ERR_INVALID_INPUT', `model: ${modelPath} not found`, 'model');

  let source: string | Uint8Array = modelPath;
  let reductionNote: string | undefined;
  let facts: GraphFacts | undefined;
  let reduced = false;
  let modelSha256: string;
  if (options.reduce === true) {
    const prepared = prepareReducedModel(modelPath, options.graphCacheDir);
    modelSha256 = prepared.sha256;
    if (prepared.ok) {
      source = prepared.graph.source;
      facts = prepared.graph.facts;
      reduced = true;
    } else {
      reductionNote = `graph reduction not possible: ${prepared.reason}; reducing in JS`;
      facts = prepared.facts;
    }
  } else {
    const bytes = readFileSync(modelPath);
    modelSha256 = sha256Hex(bytes);
    try {
      facts = inspectModelGraph(bytes);
    } catch {
      facts = undefined; // ONNX Runtime gives the error below
    }
  }

  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    logSeverityLevel: 4,
    ...(options.intraOpNumThreads !== undefined ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
  };
  const attempts: Provider[] = [];
  let providerNote: string | undefined;
  if (request === 'webgpu') attempts.push('webgpu');
  if (request === 'auto' || request === 'cuda') {
    // Without the provider libraries ONNX Runtime can only fail (noisily): do not even try.
    const cuda = cudaAvailable();
    if (cuda.available) attempts.push('cuda');
    else
      providerNote = `${request === 'auto' ? 'auto' : 'cuda'}: ${cuda.reason ?? 'CUDA unavailable'}; using CPU`;
  }
  attempts.push('cpu');

  let session: ort.InferenceSession | undefined;
  let provider: Provider = 'cpu';
  for (let k = 0; k < attempts.length; k++) {
    const p = attempts[k]!;
    try {
      // logSeverityLevel 4 (fatal only) keeps a failed attempt from printing ORT's own error log.
      const opts = { ...base, executionProviders: [p] };
      session =
        typeof source === 'string'
          ? await ort.InferenceSession.create(source, opts)
          : await ort.InferenceSession.create(source, opts);
      provider = p;
      break;
    } catch (e) {
      if (p === 'cpu' && reduced) {
        // The reduced graph failed where the user's may not: retry the original, reducing in JS.
        reduced = false;
        source = modelPath;
        reductionNote = `graph reduction rejected by ONNX Runtime (${firstLine(e)}); reducing in JS`;
        k--;
        continue;
      }
      if (p === 'cpu') {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `model: ${modelPath} is not a valid ONNX model (${firstLine(e)})`,
          'model',
        );
      }
      providerNote = `${p} provider failed (${firstLine(e)}); fell back to CPU`;
    }
  }
  if (session === undefined)
    throw new MechlabError('ERR_INVALID_INPUT', `model: cannot open ${modelPath}`, 'model');

  const names = session.inputNames.filter((n) => n !== TARGETS_INPUT);
  const allowed = new Set<string>([...REQUIRED, ...OPTIONAL]);
  const missing = REQUIRED.filter((n) => !names.includes(n));
  const extra = names.filter((n) => !allowed.has(n));
  if (missing.length > 0 || extra.length > 0) {
    await session.release();
    const want =
      missing.length > 0
        ? `expected input ${JSON.stringify(missing[0])}`
        : `unsupported input ${JSON.stringify(extra[0])} (only input_ids, attention_mask, position_ids are fed)`;
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `model: ${want}, model has ${JSON.stringify(names)}`,
      'model',
    );
  }
  if (!session.outputNames.includes('logits')) {
    const outs = [...session.outputNames];
    // (a reduced graph always keeps "logits": the surgery refuses models without it)
    await session.release();
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `model: expected output "logits", model has ${JSON.stringify(outs)}`,
      'model',
    );
  }

  const inputTypes = new Map<string, IdElementType>(names.map((n) => [n, 'int64']));
  for (const meta of session.inputMetadata) {
    if (!meta.isTensor || meta.name === TARGETS_INPUT) continue;
    if (meta.type !== 'int64' && meta.type !== 'int32') {
      await session.release();
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `model: input "${meta.name}" must be int64 or int32, model declares ${meta.type}`,
        'model',
      );
    }
    inputTypes.set(meta.name, meta.type);
  }
  let logitsWidth: number | undefined = facts?.logitsWidth;
  const out = session.outputMetadata.find((m) => m.name === 'logits');
  if (out !== undefined && out.isTensor) {
    const last = out.shape[out.shape.length - 1];
    if (typeof last === 'number' && last > 0) logitsWidth = last;
    if (out.type !== 'float32') {
      await session.release();
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `model: output "logits" must be float32, model declares ${out.type}`,
        'model',
      );
    }
  }
  return {
    session,
    modelPath,
    provider,
    providerNote,
    inputNames: names,
    hasPositionIds: names.includes('position_ids'),
    inputTypes,
    logitsWidth,
    reduced,
    reductionNote,
    reducedPath: reduced && typeof source === 'string' ? source : undefined,
    facts,
    modelSha256,
  };
}

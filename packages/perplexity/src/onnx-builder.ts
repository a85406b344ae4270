/**
 * A minimal ONNX writer/reader on top of `onnx-proto` (protobufjs). Enough to emit the tiny causal LM and
 * the malformed test models, and to read initializers back for independent checks. Tensors are stored as
 * little-endian `raw_data`, which keeps files compact and loads fast in ONNX Runtime.
 */
import { onnx } from 'onnx-proto';

/** Element types this writer supports (a subset of `onnx.TensorProto.DataType`). */
export type OnnxElementType = 'float32' | 'int32' | 'int64';

/** Dense tensor data matching an {@link OnnxElementType}. */
export type OnnxTensorData = Float32Array | Int32Array | BigInt64Array;

/** A constant tensor baked into the graph. */
export interface OnnxInitializer {
  readonly name: string;
  readonly type: OnnxElementType;
  readonly dims: readonly number[];
  readonly data: OnnxTensorData;
}

/** A graph input or output; a string dimension is symbolic (e.g. `'batch'`). */
export interface OnnxValueSpec {
  readonly name: string;
  readonly type: OnnxElementType;
  readonly shape: readonly (number | string)[];
}

/** One node; integer, integer-list and float attributes are supported. */
export interface OnnxNodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, number | readonly number[]>>;
  readonly floatAttributes?: Readonly<Record<string, number>>;
}

/** A whole single-graph model. */
export interface OnnxGraphSpec {
  readonly name: string;
  readonly inputs: readonly OnnxValueSpec[];
  readonly outputs: readonly OnnxValueSpec[];
  readonly initializers: readonly OnnxInitializer[];
  readonly nodes: readonly OnnxNodeSpec[];
  /** Free-form `metadata_props` entries (e.g. provenance of the tiny LM). */
  readonly metadata?: Readonly<Record<string, string>>;
}

const DATA_TYPE: Record<OnnxElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
};

function elementTypeOf(code: number): OnnxElementType | undefined {
  for (const [k, v] of Object.entries(DATA_TYPE)) if (v === code) return k as OnnxElementType;
  return undefined;
}

function tensorProto(t: OnnxInitializer): onnx.ITensorProto {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) {
    throw new RangeError(
      `initializer ${t.name}: dims ${JSON.stringify(t.dims)} need ${count} values, got ${t.data.length}`,
    );
  }
  // Copy into a fresh little-endian buffer (all supported platforms are little-endian; copy anyway so a
  // view over a larger ArrayBuffer never leaks neighbouring bytes).
  const raw = new Uint8Array(t.data.byteLength);
  raw.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return { name: t.name, dataType: DATA_TYPE[t.type], dims: [...t.dims], rawData: raw };
}

function valueInfo(v: OnnxValueSpec): onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: DATA_TYPE[v.type],
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function nodeProto(n: OnnxNodeSpec, index: number): onnx.INodeProto {
  const attribute: onnx.IAttributeProto[] = [];
  for (const [name, value] of Object.entries(n.attributes ?? {})) {
    if (typeof value === 'number')
      attribute.push({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
    else attribute.push({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...value] });
  }
  for (const [name, value] of Object.entries(n.floatAttributes ?? {})) {
    attribute.push({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value });
  }
  return { opType: n.op, name: `${n.op}_${index}`, input: [...n.inputs], output: [...n.outputs], attribute };
}

/**
 * Serialise a graph as an ONNX model (IR version 8, default-domain opset `opset`).
 * Complexity: O(total initializer bytes).
 * @throws RangeError when an initializer's data length disagrees with its dims
 */
export function encodeOnnxModel(graph: OnnxGraphSpec, opset = 13): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: 8,
    producerName: 'mechlab',
    producerVersion: '0.1.0',
    opsetImport: [{ domain: '', version: opset }],
    metadataProps: Object.entries(graph.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: graph.name,
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
      initializer: graph.initializers.map(tensorProto),
      node: graph.nodes.map(nodeProto),
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** An initializer read back from a model file. */
export interface DecodedInitializer {
  readonly type: OnnxElementType;
  readonly dims: readonly number[];
  readonly data: OnnxTensorData;
}

/**
 * Decode an ONNX model's initializers (raw-data tensors of the supported types only) and metadata.
 * Used by tests for the independent recomputation. Complexity: O(file size).
 * @throws Error when the bytes are not an ONNX model
 */
export function decodeOnnxInitializers(bytes: Uint8Array): {
  initializers: Map<string, DecodedInitializer>;
  metadata: Map<string, string>;
} {
  const model = onnx.ModelProto.decode(bytes);
  const initializers = new Map<string, DecodedInitializer>();
  for (const t of model.graph?.initializer ?? []) {
    const type = elementTypeOf(t.dataType ?? 0);
    if (type === undefined || t.rawData === null || t.rawData === undefined || t.rawData.length === 0)
      continue;
    const raw = new Uint8Array(t.rawData); // aligned copy
    const data =
      type === 'float32'
        ? new Float32Array(raw.buffer, 0, raw.byteLength / 4)
        : type === 'int32'
          ? new Int32Array(raw.buffer, 0, raw.byteLength / 4)
          : new BigInt64Array(raw.buffer, 0, raw.byteLength / 8);
    initializers.set(t.name ?? '', { type, dims: (t.dims ?? []).map((d) => Number(d)), data });
  }
  const metadata = new Map<string, string>();
  for (const p of model.metadataProps) metadata.set(p.key ?? '', p.value ?? '');
  return { initializers, metadata };
}

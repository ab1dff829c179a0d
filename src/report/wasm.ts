// WebAssembly, written out as bytes: a small encoder for the SIMD kernels of the report.
//
// The hot loops of the analysis (the per-sample scan, which also feeds the waveform overview, the
// K-weighting and the true-peak interpolator) are WebAssembly functions using 128-bit SIMD:
// plain JavaScript does one operation at a time, these do two to sixteen. They are small and
// generated from the opcodes below (no toolchain is needed to build them); each module imports its
// memory as env.memory. The tests compare every kernel with a plain JavaScript reference.

/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (32-bit values). */
function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const simd = (code: number, ...immediates: number[]): number[] => [0xfd, ...leb(code), ...immediates];
const bytesOf = (array: Float32Array | Float64Array | Int32Array | Int16Array): number[] => [...new Uint8Array(array.buffer, array.byteOffset, array.byteLength)];

/** The instructions the kernels use (WebAssembly core 2.0 with fixed-width SIMD). */
export const op = {
  localGet: (i: number): number[] => [0x20, i],
  localSet: (i: number): number[] => [0x21, i],
  localTee: (i: number): number[] => [0x22, i],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number): number[] => [0x0c, depth],
  brIf: (depth: number): number[] => [0x0d, depth],
  i32Const: (v: number): number[] => [0x41, ...sleb(v)],
  i32Store: (offset: number): number[] => [0x36, 2, ...leb(offset)],
  i32GeU: [0x4f],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32And: [0x71],
  f32Max: [0x97],
  /** v128.load / store with a 4-byte alignment hint (any address works). */
  load: (offset: number): number[] => simd(0x00, 2, ...leb(offset)),
  store: (offset: number): number[] => simd(0x0b, 2, ...leb(offset)),
  load32Zero: (offset: number): number[] => simd(0x5c, 2, ...leb(offset)),
  f32x4: (value: number): number[] => simd(0x0c, ...bytesOf(new Float32Array([value, value, value, value]))),
  f64x2: (value: number): number[] => simd(0x0c, ...bytesOf(new Float64Array([value, value]))),
  i16x8: (...lanes: number[]): number[] => simd(0x0c, ...bytesOf(new Int16Array(lanes))),
  i32x4: (...lanes: number[]): number[] => simd(0x0c, ...bytesOf(new Int32Array(lanes))),
  /** i8x16.shuffle of two vectors by byte index (0–15 the first, 16–31 the second). */
  shuffle: (...lanes: number[]): number[] => simd(0x0d, ...lanes),
  i16x8Splat: simd(0x10),
  i32x4Splat: simd(0x11),
  f32x4ExtractLane: (lane: number): number[] => simd(0x1f, lane),
  i16x8Eq: simd(0x2d),
  i16x8LtS: simd(0x2f),
  i32x4LtS: simd(0x39),
  and: simd(0x4e),
  or: simd(0x50),
  anyTrue: simd(0x53),
  i16x8MinS: simd(0x96),
  i16x8MaxS: simd(0x98),
  i32x4ExtendLowI16x8S: simd(0xa7),
  i32x4ExtendHighI16x8S: simd(0xa8),
  i32x4Add: simd(0xae),
  i32x4Sub: simd(0xb1),
  i32x4ExtmulLowI16x8S: simd(0xbc),
  i32x4ExtmulHighI16x8S: simd(0xbd),
  i64x2ExtendLowI32x4U: simd(0xc9),
  i64x2ExtendHighI32x4U: simd(0xca),
  i64x2Add: simd(0xce),
  f32x4Abs: simd(0xe0),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f32x4Max: simd(0xe9),
  f64x2Add: simd(0xf0),
  f64x2Sub: simd(0xf1),
  f64x2Mul: simd(0xf2),
  f32x4ConvertI32x4S: simd(0xfa),
  f64x2ConvertLowI32x4S: simd(0xfe),
  // For the true-peak skip test in 16-bit fixed point and the scan's planar copies.
  i32Load: (offset: number): number[] => [0x28, 2, ...leb(offset)],
  f32Const: (v: number): number[] => [0x43, ...bytesOf(new Float32Array([v]))],
  f32Sub: [0x93],
  f32Mul: [0x94],
  f32Min: [0x96],
  f32Floor: [0x8e],
  i32TruncSatF32S: [0xfc, 0x00],
  /** Four int16 at the address, sign-extended into i32x4 lanes. */
  load16x4S: (offset: number): number[] => simd(0x03, 1, ...leb(offset)),
  /** Stores the 64-bit lane `lane` (0 or 1) of a vector. */
  store64Lane: (offset: number, lane: number): number[] => simd(0x5b, 1, ...leb(offset), lane),
  bitselect: simd(0x52),
  i16x8GeU: simd(0x36),
  i16x8Abs: simd(0x80),
  i16x8Bitmask: simd(0x84),
  i16x8Q15mulrSatS: simd(0x82),
  i16x8ShrS: simd(0x8c),
  i16x8Add: simd(0x8e),
  i16x8Sub: simd(0x91),
};

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** One exported function of a module. */
export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  /** Locals after the parameters, as [count, type] runs. */
  locals: [number, number][];
  body: number[];
}

/**
 * A module of `functions` that imports its memory (of at least one 64 KiB page) as env.memory: a
 * shared one (a SharedArrayBuffer underneath, which other threads can fill) when `shared`.
 */
export function wasmModule(functions: WasmFunction[], shared = false): WebAssembly.Module {
  const vector = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
  const name = (s: string): number[] => [...leb(s.length), ...new TextEncoder().encode(s)];
  const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), ...vector(f.results.map((t) => [t]))]))),
    // Limits: flags 0 (minimum only) or 3 (shared, which needs a maximum: any, up to 4 GiB).
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, ...(shared ? [0x03, 1, ...leb(65536)] : [0x00, 1])]])),
    ...section(3, vector(functions.map((_, i) => leb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...leb(i)]))),
    ...section(10, vector(functions.map((f) => {
      const code = [...vector(f.locals.map(([count, type]) => [...leb(count), type])), ...f.body, ...op.end];
      return [...leb(code.length), ...code];
    }))),
  ]);
  return new WebAssembly.Module(bytes);
}

/** The kernels of one module, compiled when first needed for a plain memory and for a shared one. */
export class Kernels {
  private readonly modules = new Map<boolean, WebAssembly.Module>();

  constructor(private readonly functions: () => WasmFunction[]) {}

  /** The module's exports, instantiated over `memory`. */
  exports(memory: WebAssembly.Memory): WebAssembly.Exports {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    let module = this.modules.get(shared);
    if (!module) {
      module = wasmModule(this.functions(), shared);
      this.modules.set(shared, module);
    }
    return new WebAssembly.Instance(module, { env: { memory } }).exports;
  }
}

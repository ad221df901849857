// Structural checks of array files before MLX reads them (lib/io.ts): a
// truncated file, a header that lies about lengths or offsets, an absurd
// shape, an unknown dtype or broken JSON is an Error at load time — never a
// crash, a hang, or a read outside the data.
//
// What MLX 0.32.4 itself does with each format (and so what is checked here):
//   .npy          mlx/io/load.cpp: reads the header at fixed positions
//                 ("{'descr': '<f4', 'fortran_order': ..." — descr at bytes
//                 11..13, the order flag at byte 34), the shape between the
//                 last '(' and ')', and reads the data lazily at evaluation.
//                 The header is checked to be exactly numpy's dict syntax and
//                 the data to be exactly prod(shape) * itemsize bytes.
//   .safetensors  mlx/io/safetensors.cpp: an 8-byte length, a JSON header
//                 (nlohmann), tensors read lazily at data_offsets[0]. Every
//                 entry is checked: dtype, shape, offsets inside the data.
//   .gguf         mlx/io/gguf.cpp over gguflib: the file is mmapped and walked
//                 with unchecked pointer arithmetic, so every length, count,
//                 type, dimension and offset is checked here first, with
//                 gguflib's own layout rules (general.alignment, tensor data
//                 section after the tensor infos, block sizes of the types).
//
// Paths are read piecewise (headers only, through a small window), never the
// whole file: the data of a large model is not read twice.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export type CheckedFormat = 'npy' | 'safetensors' | 'gguf';

// ---------------------------------------------------------------------------
// Sources: a file (read on demand through a window) or bytes in memory.

interface Source {
  readonly size: number;
  /** Exactly n bytes at off; the caller has checked off + n <= size. */
  read(off: number, n: number): Uint8Array;
  close(): void;
}

class BytesSource implements Source {
  readonly size: number;
  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.byteLength;
  }
  read(off: number, n: number): Uint8Array {
    return this.bytes.subarray(off, off + n);
  }
  close(): void {}
}

const WINDOW = 1 << 20;

class FileSource implements Source {
  readonly size: number;
  private win = new Uint8Array(0);
  private winStart = 0;
  constructor(
    private readonly fd: number,
    private readonly label: string,
  ) {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`[load] Not a regular file: ${label}`);
    this.size = st.size;
  }
  private fill(buf: Uint8Array, off: number): void {
    let done = 0;
    while (done < buf.byteLength) {
      const got = readSync(this.fd, buf, done, buf.byteLength - done, off + done);
      if (got <= 0) throw new Error(`[load] ${this.label}: the file ended while reading it (did it change?).`);
      done += got;
    }
  }
  read(off: number, n: number): Uint8Array {
    if (off >= this.winStart && off + n <= this.winStart + this.win.byteLength) {
      return this.win.subarray(off - this.winStart, off - this.winStart + n);
    }
    if (n > WINDOW) {
      const out = new Uint8Array(n);
      this.fill(out, off);
      return out;
    }
    this.win = new Uint8Array(Math.min(WINDOW, this.size - off));
    this.winStart = off;
    this.fill(this.win, off);
    return this.win.subarray(0, n);
  }
  close(): void {
    closeSync(this.fd);
  }
}

function open(path: string | undefined, bytes: Uint8Array | undefined, label: string): Source {
  if (bytes) return new BytesSource(bytes);
  if (path === undefined) throw new TypeError('validate(): give a path or bytes.');
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new Error(`[load] Failed to open ${label}: ${(err as Error).message}`);
  }
  try {
    return new FileSource(fd, label);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

class Invalid extends Error {}

const INT32_MAX = 2 ** 31 - 1;

function u16(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8);
}
function u32(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16)) + b[i + 3] * 2 ** 24;
}
function u64(b: Uint8Array, i: number): bigint {
  return BigInt(u32(b, i)) | (BigInt(u32(b, i + 4)) << 32n);
}

/**
 * Throws an Error naming the problem when the file (a path) or bytes are not
 * a well-formed file of the format. `label` names the data in messages.
 */
export function validate(
  format: CheckedFormat,
  path: string | undefined,
  bytes: Uint8Array | undefined,
  label?: string,
): void {
  const name = label ?? path ?? 'buffer';
  const src = open(path, bytes, name);
  try {
    if (format === 'npy') checkNpy(src);
    else if (format === 'safetensors') checkSafetensors(src);
    else if (format === 'gguf') checkGguf(src);
    else throw new TypeError(`validate(): unknown format ${String(format)}.`);
  } catch (err) {
    if (err instanceof Invalid) throw new Error(`[load] ${name} is not a valid .${format} file: ${err.message}.`);
    throw err;
  } finally {
    src.close();
  }
}

// ---------------------------------------------------------------------------
// .npy

// descr (without the byte-order character) -> itemsize, for MLX's dtypes.
// V2 is MLX's spelling of bfloat16; c8 is complex64 (numpy's complex128, c16,
// has no MLX dtype).
const NPY_DTYPES: Record<string, number> = {
  b1: 1,
  i1: 1,
  u1: 1,
  i2: 2,
  u2: 2,
  f2: 2,
  V2: 2,
  i4: 4,
  u4: 4,
  f4: 4,
  i8: 8,
  u8: 8,
  f8: 8,
  c8: 8,
};

// numpy's header: the dict repr with keys in this order, then spaces and '\n'.
// numpy writes "'shape': (2, 3), }"; MLX writes "'shape': (2, 3, )}".
const NPY_HEADER =
  /^\{'descr': '([<>|])([A-Za-z]\d+)', 'fortran_order': (True|False), 'shape': \(([^()]*)\)(?:, )?\} *\n$/;
const NPY_SHAPE = /^(?:(0|[1-9]\d*)((?:, (?:0|[1-9]\d*))*)(,|, )?)?$/;
const NPY_MAX_HEADER = 1 << 20;

function checkNpy(src: Source): void {
  const { size } = src;
  if (size < 10)
    throw new Invalid(`it has ${size} bytes, fewer than the 10 of the magic string, version and header length`);
  const pre = src.read(0, 10);
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (magic.some((m, i) => pre[i] !== m)) throw new Invalid('the magic string \\x93NUMPY is missing');
  const [major, minor] = [pre[6], pre[7]];
  if ((major !== 1 && major !== 2) || minor !== 0) {
    throw new Invalid(`format version ${major}.${minor} is not supported (MLX reads 1.0 and 2.0)`);
  }
  let start = 10;
  let hlen: number;
  if (major === 1) hlen = u16(pre, 8);
  else {
    if (size < 12) throw new Invalid(`it has ${size} bytes, fewer than the 12 of a version 2.0 preamble`);
    hlen = u32(src.read(8, 4), 0);
    start = 12;
  }
  if (hlen > size - start) {
    throw new Invalid(`the header length ${hlen} runs past the end of the file (${size} bytes)`);
  }
  if (hlen > NPY_MAX_HEADER) throw new Invalid(`the header length ${hlen} is over 1 MiB`);
  const header = Buffer.from(src.read(start, hlen)).toString('latin1');
  const m = NPY_HEADER.exec(header);
  if (!m) {
    throw new Invalid(
      `the header is not numpy's {'descr': ..., 'fortran_order': ..., 'shape': (...), } followed by spaces and a newline: ${JSON.stringify(header.slice(0, 200))}`,
    );
  }
  const [, , descr, , shapeText] = m;
  const itemsize = NPY_DTYPES[descr];
  if (itemsize === undefined) throw new Invalid(`dtype '${m[1]}${descr}' has no MLX dtype`);
  const sm = NPY_SHAPE.exec(shapeText);
  if (!sm)
    throw new Invalid(`the shape (${shapeText}) is not a tuple of non-negative integers written as numpy writes it`);
  if (sm[1] !== undefined && !sm[2] && sm[3] === undefined) {
    throw new Invalid(`the shape (${shapeText}) is not a tuple: a 1-tuple is written (n,)`);
  }
  const dims =
    shapeText === ''
      ? []
      : shapeText
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
  let count = 1n;
  for (const d of dims) {
    if (d.length > 10 || Number(d) > INT32_MAX) throw new Invalid(`dimension ${d} of the shape is over 2^31 - 1`);
    count *= BigInt(d);
  }
  const have = BigInt(size - start - hlen);
  const want = count * BigInt(itemsize);
  if (have !== want) {
    throw new Invalid(
      `shape (${shapeText}) of ${itemsize}-byte items needs ${want} bytes of data but the file has ${have}`,
    );
  }
}

// ---------------------------------------------------------------------------
// .safetensors

// MLX 0.32.4's safetensors dtypes and their sizes (F8_E4M3 and F8_E8M0 load as
// raw uint8).
const ST_DTYPES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E4M3: 1,
  F8_E8M0: 1,
  U16: 2,
  I16: 2,
  F16: 2,
  BF16: 2,
  U32: 4,
  I32: 4,
  F32: 4,
  U64: 8,
  I64: 8,
  C64: 8,
};
// The JSON header limit of MLX (and of the Rust safetensors crate).
const ST_MAX_HEADER = 100_000_000;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkSafetensors(src: Source): void {
  const { size } = src;
  if (size < 8) throw new Invalid(`it has ${size} bytes, fewer than the 8 of the header length`);
  const n = u64(src.read(0, 8), 0);
  if (n === 0n) throw new Invalid('the header length is 0');
  if (n >= BigInt(ST_MAX_HEADER))
    throw new Invalid(`the header length ${n} is not below MLX's limit of ${ST_MAX_HEADER}`);
  const hlen = Number(n);
  if (hlen > size - 8) throw new Invalid(`the header length ${hlen} runs past the end of the file (${size} bytes)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(src.read(8, hlen));
  } catch {
    throw new Invalid('the JSON header is not UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    throw new Invalid(`the header is not JSON (${(err as Error).message})`);
  }
  if (!isObject(header)) throw new Invalid('the JSON header is not an object');
  const dataSize = size - 8 - hlen;
  for (const [key, entry] of Object.entries(header)) {
    const where = `tensor ${JSON.stringify(key)}`;
    if (key === '__metadata__') {
      if (entry === null) continue;
      if (!isObject(entry)) throw new Invalid('"__metadata__" is not an object');
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== 'string') throw new Invalid(`"__metadata__" value ${JSON.stringify(k)} is not a string`);
      }
      continue;
    }
    if (!isObject(entry)) throw new Invalid(`${where} is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry;
    if (typeof dtype !== 'string') throw new Invalid(`${where} has no string "dtype"`);
    const itemsize = ST_DTYPES[dtype];
    if (itemsize === undefined)
      throw new Invalid(`${where} has dtype ${JSON.stringify(dtype)}, which MLX does not load`);
    if (!Array.isArray(shape)) throw new Invalid(`${where} has no "shape" list`);
    let count = 1n;
    for (const d of shape) {
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > INT32_MAX) {
        throw new Invalid(`${where} has shape ${JSON.stringify(shape)}: dimensions must be integers in [0, 2^31 - 1]`);
      }
      count *= BigInt(d);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2)
      throw new Invalid(`${where} needs "data_offsets": [begin, end]`);
    const [begin, end] = offsets as unknown[];
    if (![begin, end].every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)) {
      throw new Invalid(`${where} has data_offsets ${JSON.stringify(offsets)}: offsets must be non-negative integers`);
    }
    const [b, e] = [begin as number, end as number];
    if (b > e) throw new Invalid(`${where} has data_offsets [${b}, ${e}] with begin after end`);
    if (e > dataSize)
      throw new Invalid(`${where} has data_offsets [${b}, ${e}] past the end of the data (${dataSize} bytes)`);
    const want = count * BigInt(itemsize);
    if (BigInt(e - b) !== want) {
      throw new Invalid(`${where} spans ${e - b} bytes but shape ${JSON.stringify(shape)} of ${dtype} needs ${want}`);
    }
  }
}

// ---------------------------------------------------------------------------
// .gguf

// Metadata value types (GGUF spec) and the sizes of the fixed-size ones.
const GGUF_SCALAR: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8 };
const GGUF_BOOL = 7;
const GGUF_STRING = 8;
const GGUF_ARRAY = 9;
const GGUF_UINT32 = 4;
const GGUF_FLOAT64 = 12;

// Tensor types MLX 0.32.4 loads: [name, weights per block, bytes per block].
// F32/F16/I8/I16/I32 are copied; Q4_0/Q4_1/Q8_0 become (weight, scales,
// biases); Q2_K/Q4_K/Q6_K/BF16 are converted to float16 by gguflib. Other
// types (Q5_*, Q8_1, Q3_K, Q5_K, Q8_K, I64, F64, IQ*) fail in MLX.
const GGUF_TENSOR: Record<number, [string, number, number]> = {
  0: ['F32', 1, 4],
  1: ['F16', 1, 2],
  2: ['Q4_0', 32, 18],
  3: ['Q4_1', 32, 20],
  8: ['Q8_0', 32, 34],
  10: ['Q2_K', 256, 82],
  12: ['Q4_K', 256, 144],
  14: ['Q6_K', 256, 210],
  24: ['I8', 1, 1],
  25: ['I16', 1, 2],
  26: ['I32', 1, 4],
  30: ['BF16', 1, 2],
};
// Unpacked by MLX into uint32 weights, with int32 arithmetic on the last dim.
const GGUF_MLX_QUANTIZED = new Set([2, 3, 8]);
// gguflib keeps up to 8 dimensions (GGUF_TENSOR_MAX_DIM; GGML uses 4, MLX writes up to 8).
const GGUF_MAX_DIMS = 8;
const GGUF_MAX_KEY = 65535;

class Cursor {
  off = 0;
  constructor(
    private readonly src: Source,
    off: number,
  ) {
    this.off = off;
  }
  left(): number {
    return this.src.size - this.off;
  }
  need(n: number, what: string): void {
    if (n > this.left())
      throw new Invalid(`${what} at offset ${this.off} runs past the end of the file (${this.src.size} bytes)`);
  }
  u32(what: string): number {
    this.need(4, what);
    const v = u32(this.src.read(this.off, 4), 0);
    this.off += 4;
    return v;
  }
  u64(what: string): bigint {
    this.need(8, what);
    const v = u64(this.src.read(this.off, 8), 0);
    this.off += 8;
    return v;
  }
  /** A length that must fit in what is left of the file (in units of `unit` bytes). */
  length(what: string, unit = 1): number {
    const at = this.off;
    const n = this.u64(what);
    if (n * BigInt(unit) > BigInt(this.left())) {
      throw new Invalid(`${what} ${n} at offset ${at} is more than the rest of the file holds (${this.left()} bytes)`);
    }
    return Number(n);
  }
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const b = this.src.read(this.off, n);
    this.off += n;
    return b;
  }
  skip(n: number, what: string): void {
    this.need(n, what);
    this.off += n;
  }
  /** n bools, each 0 or 1. */
  bools(n: number, what: string): void {
    this.need(n, what);
    for (let done = 0; done < n;) {
      const m = Math.min(n - done, WINDOW);
      const b = this.src.read(this.off + done, m);
      const bad = b.findIndex((x) => x > 1);
      if (bad >= 0) throw new Invalid(`${what} has the bool byte ${b[bad]} at offset ${this.off + done + bad}`);
      done += m;
    }
    this.off += n;
  }
}

function checkGguf(src: Source): void {
  const { size } = src;
  if (size < 24) throw new Invalid(`it has ${size} bytes, fewer than the 24 of the GGUF header`);
  const head = src.read(0, 24);
  if (Buffer.from(head.subarray(0, 4)).toString('latin1') !== 'GGUF') throw new Invalid('the magic "GGUF" is missing');
  const version = u32(head, 4);
  if (version !== 2 && version !== 3) throw new Invalid(`GGUF version ${version} is not supported (2 and 3 are)`);
  const tensorCount = u64(head, 8);
  const kvCount = u64(head, 16);
  // The smallest key/value is 13 bytes (empty key, type, one byte); the
  // smallest tensor info 24 (empty name, 0 dims, type, offset).
  if (kvCount * 13n + tensorCount * 24n > BigInt(size - 24)) {
    throw new Invalid(`${kvCount} key/values and ${tensorCount} tensors cannot fit in a file of ${size} bytes`);
  }
  const c = new Cursor(src, 24);
  let alignment = 32;
  for (let i = 0; i < Number(kvCount); i++) {
    const keyAt = c.off;
    const klen = c.length(`the length of key ${i}`);
    if (klen > GGUF_MAX_KEY)
      throw new Invalid(`key ${i} at offset ${keyAt} is ${klen} bytes long (at most ${GGUF_MAX_KEY})`);
    const key = Buffer.from(c.bytes(klen, `key ${i}`)).toString('utf8');
    const what = `the value of key ${JSON.stringify(key.slice(0, 80))}`;
    const type = c.u32(`the type of key ${JSON.stringify(key.slice(0, 80))}`);
    if (key === 'general.alignment') {
      if (type !== GGUF_UINT32) throw new Invalid(`general.alignment has value type ${type}, not uint32`);
      c.need(4, what);
      alignment = u32(src.read(c.off, 4), 0);
      if (alignment === 0 || alignment % 8 !== 0)
        throw new Invalid(`general.alignment ${alignment} is not a positive multiple of 8`);
    }
    ggufValue(c, type, what);
  }
  // Tensor infos.
  const tensors: Array<{ name: string; offset: bigint; bytes: bigint }> = [];
  for (let i = 0; i < Number(tensorCount); i++) {
    const at = c.off;
    const nlen = c.length(`the name length of tensor ${i}`);
    if (nlen > GGUF_MAX_KEY) throw new Invalid(`the name of tensor ${i} at offset ${at} is ${nlen} bytes long`);
    const name = Buffer.from(c.bytes(nlen, `the name of tensor ${i}`)).toString('utf8');
    const where = `tensor ${JSON.stringify(name.slice(0, 80))}`;
    const ndim = c.u32(`the dimension count of ${where}`);
    if (ndim > GGUF_MAX_DIMS) throw new Invalid(`${where} has ${ndim} dimensions (MLX reads at most ${GGUF_MAX_DIMS})`);
    const dims: bigint[] = [];
    for (let d = 0; d < ndim; d++) dims.push(c.u64(`dimension ${d} of ${where}`));
    const type = c.u32(`the type of ${where}`);
    const offset = c.u64(`the data offset of ${where}`);
    const info = GGUF_TENSOR[type];
    if (!info) throw new Invalid(`${where} has tensor type ${type}, which MLX does not load`);
    const [tname, perBlock, blockBytes] = info;
    let count = 1n;
    for (const d of dims) {
      if (d > BigInt(INT32_MAX)) throw new Invalid(`${where} has dimension ${d}, over 2^31 - 1`);
      count *= d;
    }
    if (perBlock > 1) {
      // GGML stores rows of whole blocks: the first (innermost) dimension is a
      // multiple of the block size.
      if (ndim === 0 || dims[0] % BigInt(perBlock) !== 0n) {
        throw new Invalid(
          `${where} of type ${tname} needs a first dimension that is a multiple of ${perBlock}, has [${dims.join(', ')}]`,
        );
      }
      if (GGUF_MLX_QUANTIZED.has(type) && dims[0] > BigInt(INT32_MAX >> 3)) {
        throw new Invalid(`${where} of type ${tname} has a first dimension over 2^28 - 1, which MLX cannot unpack`);
      }
    }
    if (offset % BigInt(alignment) !== 0n)
      throw new Invalid(`${where} has data offset ${offset}, not a multiple of the alignment ${alignment}`);
    tensors.push({ name: where, offset, bytes: (count / BigInt(perBlock)) * BigInt(blockBytes) });
  }
  if (tensors.length === 0) return;
  const dataStart = BigInt(c.off + ((alignment - (c.off % alignment)) % alignment));
  for (const t of tensors) {
    const end = dataStart + t.offset + t.bytes;
    if (end > BigInt(size)) {
      throw new Invalid(
        `${t.name} has ${t.bytes} bytes at offset ${t.offset} of the data section (at ${dataStart}), past the end of the file (${size} bytes)`,
      );
    }
  }
}

function ggufValue(c: Cursor, type: number, what: string): void {
  const fixed = GGUF_SCALAR[type];
  if (fixed !== undefined) {
    if (type === GGUF_BOOL) c.bools(1, what);
    else c.skip(fixed, what);
    return;
  }
  if (type === GGUF_STRING) {
    const n = c.length(`the string length of ${what}`);
    if (n > INT32_MAX) throw new Invalid(`${what} is a string of ${n} bytes`);
    c.skip(n, what);
    return;
  }
  if (type === GGUF_FLOAT64) {
    // MLX 0.32.4 stores it as float32 and then skips 4 bytes instead of 8: the
    // rest of the file is misread (a crash). Rejected until MLX reads them.
    throw new Invalid(`${what} is a float64, which MLX 0.32.4 misreads`);
  }
  if (type !== GGUF_ARRAY) throw new Invalid(`${what} has the unknown value type ${type}`);
  const etype = c.u32(`the element type of ${what}`);
  if (etype === GGUF_ARRAY) throw new Invalid(`${what} is an array of arrays, which MLX does not load`);
  if (etype === GGUF_FLOAT64) throw new Invalid(`${what} is an array of float64, which MLX 0.32.4 misreads`);
  if (etype === GGUF_STRING) {
    const n = c.length(`the array length of ${what}`, 8);
    if (n > INT32_MAX) throw new Invalid(`${what} is an array of ${n} strings`);
    for (let j = 0; j < n; j++) {
      const len = c.length(`the length of string ${j} of ${what}`);
      if (len > INT32_MAX) throw new Invalid(`string ${j} of ${what} is ${len} bytes long`);
      c.skip(len, `string ${j} of ${what}`);
    }
    return;
  }
  const esize = GGUF_SCALAR[etype];
  if (esize === undefined) throw new Invalid(`${what} is an array of the unknown value type ${etype}`);
  const n = c.length(`the array length of ${what}`, esize);
  if (n > INT32_MAX) throw new Invalid(`${what} is an array of ${n} elements`);
  if (etype === GGUF_BOOL) c.bools(n, what);
  else c.skip(n * esize, what);
}

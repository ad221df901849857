// Fuzzing mx.load: thousands of deterministic mutations of valid .npy, .npz,
// .safetensors and .gguf files (truncations at every header byte, flipped and
// overwritten bytes, lying lengths/counts/offsets, huge shapes, unknown dtypes
// and value types, broken JSON, corrupted zip directories, random havoc).
// Every load must either return arrays that evaluate (and read back) or throw
// an Error: never crash, hang, or throw a non-Error.
//
// The loads run in child processes (this file, started with
// MLX_IO_FUZZ_CHILD), one per format, two at a time. A child reports each case
// before and after running it, so a crash or a hang is pinned to its case: the
// test fails naming it, the input is kept in a file for reproduction, and a new
// child carries on with the next case.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

import { mx } from '../lib/index';
import type { array } from '../lib/index';

type Format = 'npy' | 'npz' | 'safetensors' | 'gguf';
const FORMATS: Format[] = ['npy', 'npz', 'safetensors', 'gguf'];
const MIN_CASES = 2000;

interface Case {
  name: string;
  bytes: Uint8Array;
  viaPath: boolean;
}

// ---------------------------------------------------------------------------
// Child: run the cases of a batch file, reporting each one on stdout.

interface ChildArgs {
  format: Format;
  batch: string;
  start: number;
  dir: string;
}

function readBatch(file: string): Array<{ bytes: Uint8Array; viaPath: boolean }> {
  const b = readFileSync(file);
  const out: Array<{ bytes: Uint8Array; viaPath: boolean }> = [];
  for (let p = 0; p < b.length;) {
    const viaPath = b[p] === 1;
    const n = b.readUInt32LE(p + 1);
    out.push({ viaPath, bytes: b.subarray(p + 5, p + 5 + n) });
    p += 5 + n;
  }
  return out;
}

/** A load that returned something other than arrays, strings and containers of them. */
class BadResult {
  constructor(readonly what: string) {}
}

function evaluate(result: unknown): number {
  const arrays: array[] = [];
  const visit = (v: unknown) => {
    if (v instanceof mx.array) arrays.push(v as array);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'string') return;
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
    else throw new BadResult(`load returned a ${typeof v} (${String(v)})`);
  };
  visit(result);
  for (const a of arrays) {
    mx.eval(a);
    if (a.nbytes <= 1 << 20) a.toTypedArray();
  }
  return arrays.length;
}

function runChild(args: ChildArgs): void {
  const cases = readBatch(args.batch);
  const file = path.join(args.dir, `case.${args.format}`);
  const say = (s: string) => writeSync(1, s + '\n');
  for (let i = args.start; i < cases.length; i++) {
    const { bytes, viaPath } = cases[i];
    say(`S ${i}`);
    let line: string;
    try {
      const metadata = (args.format === 'safetensors' || args.format === 'gguf') && i % 2 === 1;
      let result: unknown;
      if (viaPath) {
        writeFileSync(file, bytes);
        result = mx.load(file, { returnMetadata: metadata });
      } else {
        result = mx.load(bytes, { format: args.format, returnMetadata: metadata });
      }
      line = `ok ${evaluate(result)}`;
    } catch (err) {
      if (err instanceof BadResult) line = `bad ${err.what}`;
      else if (err instanceof Error)
        line = `err ${err.constructor.name}: ${err.message.replace(/\s+/g, ' ').slice(0, 160)}`;
      else line = `bad a non-Error was thrown: ${typeof err} ${String(err).slice(0, 80)}`;
    }
    say(`R ${i} ${line}`);
  }
  say('DONE');
}

// ---------------------------------------------------------------------------
// Deterministic helpers

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cat = (...parts: Array<Uint8Array | string>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
const u32b = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};
const u64b = (v: bigint | number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v)));
  return b;
};

interface Field {
  name: string;
  off: number;
  size: 1 | 2 | 4 | 8;
  kind?: 'vtype' | 'ttype' | 'ndim';
}

function readField(b: Uint8Array, f: Field): bigint {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (f.size === 1) return BigInt(buf[f.off]);
  if (f.size === 2) return BigInt(buf.readUInt16LE(f.off));
  if (f.size === 4) return BigInt(buf.readUInt32LE(f.off));
  return buf.readBigUInt64LE(f.off);
}

function withField(b: Uint8Array, f: Field, v: bigint): Buffer {
  const out = Buffer.from(b);
  const mask = (1n << BigInt(8 * f.size)) - 1n;
  const x = BigInt.asUintN(64, v) & mask;
  if (f.size === 1) out[f.off] = Number(x);
  else if (f.size === 2) out.writeUInt16LE(Number(x), f.off);
  else if (f.size === 4) out.writeUInt32LE(Number(x), f.off);
  else out.writeBigUInt64LE(x, f.off);
  return out;
}

function fieldValues(f: Field, v: bigint, size: number): bigint[] {
  const S = BigInt(size);
  if (f.kind === 'vtype') return [...Array(14).keys()].map(BigInt).concat([100n, 0xffffffffn]);
  if (f.kind === 'ttype') return [...Array(32).keys()].map(BigInt).concat([1000n, 0x80000000n]);
  if (f.kind === 'ndim') return [...Array(10).keys()].map(BigInt).concat([64n, 0xffffffffn]);
  if (f.size === 1) return [0n, 1n, 0x7fn, 0x80n, 0xffn];
  if (f.size === 2) return [0n, 1n, v - 1n, v + 1n, 0x7fffn, 0xffffn];
  if (f.size === 4) return [0n, 1n, v - 1n, v + 1n, v * 2n, S - 1n, S, 0x7fffffffn, 0x80000000n, 0xffffffffn];
  return [0n, 1n, v - 1n, v + 1n, S, S - 1n, 1n << 31n, (1n << 32n) + v, 1n << 40n, 1n << 63n, (1n << 64n) - 1n];
}

/** The generic mutations of a seed: truncations, field overwrites, byte flips, havoc. */
function mutate(
  label: string,
  b: Uint8Array,
  opts: { headerEnd: number; fields: Field[]; flips?: number[]; havoc: number; seed: number },
): Array<[string, Uint8Array]> {
  const out: Array<[string, Uint8Array]> = [];
  const { headerEnd, fields } = opts;
  // Truncations: at every byte of the header region, and inside the data.
  for (let n = 0; n < Math.min(b.length, headerEnd + 9); n++) out.push([`${label} cut at ${n}`, b.subarray(0, n)]);
  for (const n of new Set([b.length - 1, b.length - 2, b.length - 4, b.length - 8, (b.length + headerEnd) >> 1])) {
    if (n > headerEnd + 8 && n < b.length) out.push([`${label} cut at ${n}`, b.subarray(0, n)]);
  }
  out.push([`${label} +1 byte`, cat(b, Buffer.from([0x2a]))]);
  out.push([`${label} +64 bytes`, cat(b, Buffer.alloc(64, 0x7f))]);
  // Lying fields.
  for (const f of fields) {
    const v = readField(b, f);
    for (const x of new Set(fieldValues(f, v, b.length).map(String))) {
      if (BigInt(x) === v) continue;
      out.push([`${label} ${f.name}@${f.off} = ${x}`, withField(b, f, BigInt(x))]);
    }
  }
  // Flipped bytes.
  for (const xor of opts.flips ?? [0xff]) {
    for (let i = 0; i < Math.min(headerEnd, b.length); i++) {
      const m = Buffer.from(b);
      m[i] ^= xor;
      out.push([`${label} byte ${i} ^= 0x${xor.toString(16)}`, m]);
    }
  }
  // Havoc: 1-6 random bytes anywhere (mostly in the header).
  const r = rng(opts.seed);
  for (let k = 0; k < opts.havoc; k++) {
    const m = Buffer.from(b);
    const n = 1 + Math.floor(r() * 6);
    const where: string[] = [];
    for (let j = 0; j < n; j++) {
      const lim = r() < 0.8 ? Math.min(headerEnd + 8, m.length) : m.length;
      const i = Math.floor(r() * lim);
      m[i] = Math.floor(r() * 256);
      where.push(`${i}=${m[i]}`);
    }
    out.push([`${label} havoc ${where.join(',')}`, m]);
  }
  return out;
}

function sink(save: (s: { write(b: Uint8Array): void }) => void): Buffer {
  const parts: Uint8Array[] = [];
  save({ write: (b) => void parts.push(Buffer.from(b)) });
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------
// .npy

function npyFile(headerText: string, data: Uint8Array, version = 1, align = 64): Buffer {
  const pre = version === 1 ? 10 : 12;
  const pad = (align - ((pre + headerText.length + 1) % align)) % align;
  const h = headerText + ' '.repeat(pad) + '\n';
  const len = version === 1 ? Buffer.from([h.length & 0xff, h.length >> 8]) : u32b(h.length);
  return cat(Buffer.from([0x93]), 'NUMPY', Buffer.from([version, 0]), len, h, data);
}

const npyHeader = (descr: string, fortran: string, shape: string) =>
  `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': (${shape}), }`;

function npyFields(b: Uint8Array): { fields: Field[]; headerEnd: number } {
  const v2 = b[6] === 2;
  const hlen = v2 ? Buffer.from(b).readUInt32LE(8) : Buffer.from(b).readUInt16LE(8);
  const fields: Field[] = [
    { name: 'major', off: 6, size: 1 },
    { name: 'minor', off: 7, size: 1 },
    { name: 'header_len', off: 8, size: v2 ? 4 : 2 },
  ];
  return { fields, headerEnd: (v2 ? 12 : 10) + hlen };
}

const NPY_DESCRS = [
  '<f4',
  '>f4',
  '|f4',
  '=f4',
  '<f8',
  '>f8',
  '<f2',
  '<c8',
  '>c8',
  '<c16',
  '<i8',
  '<u8',
  '|b1',
  '<b1',
  '|i1',
  '|u1',
  '<V2',
  '|V2',
  '<V4',
  '<U4',
  '|S4',
  '|O',
  '<M8',
  '<m8',
  '<f16',
  '<i4 ',
  'f4',
  '<F4',
  '<e',
  '<d',
  '<f0',
  '<f3',
  '<f4\x00',
  "<f'",
  '',
];
const NPY_SHAPES = [
  '',
  '0,',
  '6,',
  '(6,)',
  '2, 3',
  '3, 2',
  '2,3',
  '2 ,3',
  '2, 3,',
  '2, 3, ',
  '6',
  '1, 6',
  '1, 1, 1, 1, 1, 1, 6',
  '-6,',
  '+6,',
  '06,',
  '0x6,',
  '6.0,',
  '1e1,',
  '2147483647,',
  '2147483648,',
  '4294967296,',
  '4294967302,',
  '1099511627776,',
  '9223372036854775807,',
  '18446744073709551616,',
  '99999999999999999999999,',
  '65536, 65536',
  '2147483647, 2147483647, 2147483647',
  '0, 2147483647',
  '2147483647, 0',
  'None,',
  ', 6',
  '6,,',
  ' 6,',
  '1, '.repeat(64) + '6',
  '0, '.repeat(40) + '1099511627776',
];
const NPY_ITEMSIZE: Record<string, number> = {
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

function npyCases(): Case[] {
  const f32 = mx.arange(12, { dtype: mx.float32 }).reshape(3, 4);
  const seeds: Array<[string, Buffer]> = [
    ['mlx f32 (3,4)', sink((s) => mx.save(s, f32))],
    ['mlx i64 (3,2) fortran', sink((s) => mx.save(s, mx.transpose(mx.arange(6, { dtype: mx.int64 }).reshape(2, 3))))],
    ['mlx bool (5,)', sink((s) => mx.save(s, mx.array([true, false, true, true, false])))],
    [
      'mlx bf16 (2,2)',
      sink((s) =>
        mx.save(
          s,
          mx.array(
            [
              [1, -2],
              [3.5, 1e30],
            ],
            mx.bfloat16,
          ),
        ),
      ),
    ],
    [
      'mlx c64 (2,)',
      sink((s) =>
        mx.save(
          s,
          mx.array(
            [
              { re: 1, im: -1 },
              { re: 0, im: 2 },
            ] as never,
            mx.complex64,
          ),
        ),
      ),
    ],
    ['mlx f16 ()', sink((s) => mx.save(s, mx.array(1.5, mx.float16)))],
    ['numpy <f4 (2, 3)', npyFile(npyHeader('<f4', 'False', '2, 3'), Buffer.alloc(24, 0x3f))],
    ['numpy <f8 (3,)', npyFile(npyHeader('<f8', 'False', '3,'), Buffer.alloc(24, 0x40))],
    ['numpy |b1 (0, 3)', npyFile(npyHeader('|b1', 'False', '0, 3'), Buffer.alloc(0))],
    ['numpy v2 <i2 (2, 2, 2)', npyFile(npyHeader('<i2', 'True', '2, 2, 2'), Buffer.alloc(16, 1), 2)],
  ];
  const out: Array<[string, Uint8Array]> = [];
  seeds.forEach(([label, b], k) => {
    const { fields, headerEnd } = npyFields(b);
    out.push([`${label} (valid)`, b]);
    out.push(
      ...mutate(label, b, { headerEnd, fields, flips: k < 6 ? [0xff, 0x20] : [0xff], havoc: 40, seed: 100 + k }),
    );
  });
  // Header texts: every descr and shape, with the data as it was and resized
  // to what the header says.
  const data = Buffer.alloc(24, 0x3e);
  const resized = (descr: string, shape: string): Buffer | undefined => {
    const item = NPY_ITEMSIZE[descr.slice(1)];
    if (!item || !/^[\d, ]*$/.test(shape)) return undefined;
    const n =
      shape
        .split(',')
        .filter((s) => s.trim() !== '')
        .reduce((x, d) => x * Number(d), 1) * item;
    return n <= 1 << 16 ? Buffer.alloc(n, 0x11) : undefined;
  };
  for (const descr of NPY_DESCRS) {
    out.push([`header descr ${JSON.stringify(descr)}`, npyFile(npyHeader(descr, 'False', '2, 3'), data)]);
    const r = resized(descr, '2, 3');
    if (r) out.push([`header descr ${JSON.stringify(descr)} resized`, npyFile(npyHeader(descr, 'True', '2, 3'), r)]);
  }
  for (const shape of NPY_SHAPES) {
    out.push([`header shape (${shape})`, npyFile(npyHeader('<f4', 'False', shape), data)]);
    const r = resized('<f4', shape);
    if (r) out.push([`header shape (${shape}) resized`, npyFile(npyHeader('<f4', 'False', shape), r)]);
    out.push([`header shape (${shape}) |u1`, npyFile(npyHeader('|u1', 'True', shape), data)]);
  }
  for (const fo of ['True', 'False', '1', '0', 'true', 'None', 'Tru', 'TrueX', '']) {
    out.push([`header fortran_order ${fo}`, npyFile(npyHeader('<f4', fo, '2, 3'), data)]);
  }
  const texts = [
    "{'fortran_order': False, 'descr': '<f4', 'shape': (2, 3), }",
    '{"descr": "<f4", "fortran_order": False, "shape": (2, 3), }',
    "{'descr':'<f4','fortran_order':False,'shape':(2,3),}",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1, }",
    "{'descr': '<f4', 'fortran_order': False, }",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), ",
    "{'descr': '<f4', 'fortran_order': False, 'shape': ((2, 3),), }",
    "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, )}",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\x00",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\t",
    '',
    '(',
    ')',
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } (6,)",
  ];
  for (const t of texts) {
    out.push([`header ${JSON.stringify(t)}`, npyFile(t, data)]);
    out.push([`header ${JSON.stringify(t)} unaligned`, npyFile(t, data, 1, 1)]);
  }
  // A header without its newline, and the version-3 header numpy writes for UTF-8 names.
  const h = npyHeader('<f4', 'False', '2, 3');
  out.push(['header without newline', cat(Buffer.from([0x93]), 'NUMPY', Buffer.from([1, 0, h.length, 0]), h, data)]);
  out.push(['version 3.0', npyFile(h, data, 3)]);
  return out.map(([name, bytes], i) => ({ name, bytes, viaPath: i % 3 === 0 }));
}

// ---------------------------------------------------------------------------
// .safetensors

function stFile(header: string | Buffer, data: Uint8Array, length?: bigint): Buffer {
  const h = typeof header === 'string' ? Buffer.from(header, 'utf8') : header;
  return cat(u64b(length ?? BigInt(h.length)), h, data);
}

function stSplit(b: Uint8Array): { json: Record<string, unknown>; text: string; data: Uint8Array } {
  const n = Number(Buffer.from(b).readBigUInt64LE(0));
  const text = Buffer.from(b.subarray(8, 8 + n)).toString('utf8');
  return { json: JSON.parse(text), text, data: b.subarray(8 + n) };
}

function stCases(): Case[] {
  const seeds: Array<[string, Buffer]> = [
    [
      'mlx with metadata',
      sink((s) =>
        mx.saveSafetensors(
          s,
          {
            a: mx.arange(6, { dtype: mx.float32 }).reshape(2, 3),
            b: mx.array([1, -2, 3, -4], mx.int8),
            c: mx.array(true),
            d: mx.array(
              [
                [1, 2],
                [3, 4],
              ],
              mx.bfloat16,
            ),
            e: mx.array([{ re: 1, im: 2 }] as never, mx.complex64),
            u: mx.array([1n, 2n ** 63n] as never, mx.uint64),
          },
          { k: 'v', u: 'žluť' },
        ),
      ),
    ],
    [
      'mlx without metadata',
      sink((s) => mx.saveSafetensors(s, { x: mx.array([1, 2, 3], mx.float16), y: mx.ones([2, 2], mx.uint16) })),
    ],
  ];
  // As the Rust safetensors writes it: __metadata__ first, header padded with
  // spaces to 8 bytes; also F8_E4M3, an empty tensor, offsets out of key order.
  const crafted =
    '{"__metadata__":{"format":"pt"},"w":{"dtype":"F8_E4M3","shape":[2,2],"data_offsets":[8,12]},' +
    '"z":{"dtype":"I32","shape":[0,5],"data_offsets":[12,12]},"s":{"dtype":"I64","shape":[],"data_offsets":[0,8]}}';
  seeds.push([
    'crafted',
    stFile(
      crafted + ' '.repeat((8 - (crafted.length % 8)) % 8),
      Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0x38, 0x40, 0xb8, 0x7e]),
    ),
  ]);

  const out: Array<[string, Uint8Array]> = [];
  const BAD_DTYPES: unknown[] = [
    'F32',
    'F16',
    'BF16',
    'I64',
    'U8',
    'BOOL',
    'C64',
    'F8_E4M3',
    'F8_E8M0',
    'F64',
    'F8_E5M2',
    'I4',
    '',
    'f32',
    7,
    null,
    ['F32'],
  ];
  const BAD_SHAPES: unknown[] = [
    [],
    [0],
    [1],
    [2 ** 31 - 1],
    [2 ** 31],
    [2 ** 40],
    [-1],
    [1.5],
    ['2'],
    null,
    {},
    [2, 3, 4, 5, 6, 7, 8, 9],
    [1e300],
    [2 ** 53],
    [2 ** 53 + 2],
    [65536, 65536],
    [0, 2 ** 40],
  ];
  const BAD_META: unknown[] = [
    { a: 1 },
    [],
    'x',
    1,
    { a: null },
    { a: { b: 'c' } },
    { a: ['x'] },
    null,
    {},
    { '': '' },
    true,
  ];
  seeds.forEach(([label, b], k) => {
    out.push([`${label} (valid)`, b]);
    const { json, text, data } = stSplit(b);
    const headerEnd = 8 + Buffer.byteLength(text);
    out.push(
      ...mutate(label, b, {
        headerEnd,
        fields: [{ name: 'header_len', off: 0, size: 8 }],
        flips: [0xff, 0x20],
        havoc: 120,
        seed: 200 + k,
      }),
    );
    for (const v of [99_999_999n, 100_000_000n, BigInt(b.length)])
      out.push([`${label} header_len = ${v}`, stFile(text, data, v)]);
    const dataSize = data.length;
    const rebuild = (name: string, j: Record<string, unknown>) =>
      out.push([`${label} ${name}`, stFile(JSON.stringify(j), data)]);
    for (const [key, entry] of Object.entries(json)) {
      const e = entry as Record<string, unknown>;
      if (key === '__metadata__') {
        for (const m of BAD_META) rebuild(`__metadata__ = ${JSON.stringify(m)}`, { ...json, __metadata__: m });
        continue;
      }
      const [b0, e0] = e.data_offsets as number[];
      const OFFS: unknown[] = [
        [e0, b0],
        [0, 2 ** 40],
        [b0, e0 + 1],
        [b0, e0 - 1],
        [b0 + 1, e0 + 1],
        [dataSize, dataSize + e0 - b0],
        [dataSize + 1, dataSize + 1],
        [b0],
        [b0, e0, e0],
        ['0', '4'],
        [-4, 0],
        [b0 + 0.5, e0 + 0.5],
        [2 ** 64, 2 ** 64 + 4],
        null,
        [b0, 2 ** 53],
        [2 ** 53, 2 ** 53 + e0 - b0],
        [],
      ];
      for (const d of BAD_DTYPES)
        rebuild(`${key}.dtype = ${JSON.stringify(d)}`, { ...json, [key]: { ...e, dtype: d } });
      for (const s of BAD_SHAPES)
        rebuild(`${key}.shape = ${JSON.stringify(s)}`, { ...json, [key]: { ...e, shape: s } });
      for (const o of OFFS)
        rebuild(`${key}.data_offsets = ${JSON.stringify(o)}`, { ...json, [key]: { ...e, data_offsets: o } });
      for (const drop of ['dtype', 'shape', 'data_offsets']) {
        const { [drop]: _, ...rest } = e;
        rebuild(`${key} without ${drop}`, { ...json, [key]: rest });
      }
      rebuild(`${key} with an extra field`, { ...json, [key]: { ...e, extra: [1, { x: 2 }] } });
      for (const v of [null, [], 'x', 1, true]) rebuild(`${key} = ${JSON.stringify(v)}`, { ...json, [key]: v });
      rebuild(`${key} renamed __metadata__`, { ...json, __metadata__: e });
    }
    // JSON text cut at every character (the length follows the cut).
    for (let n = 0; n < text.length; n += k === 0 ? 1 : 3)
      out.push([`${label} JSON cut at ${n}`, stFile(text.slice(0, n), data)]);
  });
  const { text, data } = stSplit(seeds[0][1]);
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const specials: Array<[string, string | Buffer]> = [
    ['top-level array', '[1, 2]'],
    ['top-level string', '"x"'],
    ['top-level null', 'null'],
    ['top-level number', '12'],
    ['empty object', '{}'],
    ['BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    [
      'invalid UTF-8 in a key',
      Buffer.concat([Buffer.from('{"'), Buffer.from([0xc3, 0x28]), Buffer.from(text.slice(2))]),
    ],
    [
      'invalid UTF-8 in metadata',
      Buffer.concat([
        Buffer.from(text.split('žluť')[0]),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(text.split('žluť')[1]),
      ]),
    ],
    ['escaped lone surrogate in metadata', text.replace('žluť', '\\udc00')],
    ['lone surrogate key', text.replace('"a"', '"\\ud800"')],
    ['deep nesting at the top', deep(100000)],
    ['deep nesting in __metadata__', text.replace('{"k"', `{"deep":${deep(50000)},"k"`)],
    ['deep nesting in a tensor', text.replace('"dtype"', `"deep":${deep(50000)},"dtype"`)],
    ['huge number', text.replace('"data_offsets":[0,', '"data_offsets":[1e400,')],
    ['negative zero offset', text.replace('"data_offsets":[0,', '"data_offsets":[-0,')],
    ['float offsets', text.replace('"data_offsets":[0,', '"data_offsets":[0.0,')],
    [
      'duplicate keys',
      text.replace('{"__metadata__"', '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"__metadata__"'),
    ],
    ['trailing garbage', text + 'x'],
    ['trailing NUL', text + '\u0000'],
    ['whitespace padding', '  \n\t' + text + '   '],
    ['__proto__ key', text.replace('"a"', '"__proto__"')],
    ['constructor key', text.replace('"a"', '"constructor"')],
  ];
  for (const [name, h] of specials) out.push([`special: ${name}`, stFile(h, data)]);
  return out.map(([name, bytes], i) => ({ name, bytes, viaPath: i % 3 === 0 }));
}

// ---------------------------------------------------------------------------
// .gguf

type GKV = [string, number, Buffer];
const gs = (s: string | Buffer) => {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  return cat(u64b(b.length), b);
};
const gkv = (key: string, type: number, payload: Buffer): GKV => [key, type, payload];
const garr = (etype: number, n: number, payload: Buffer) => cat(u32b(etype), u64b(n), payload);

function ggufFile(
  kvs: GKV[],
  tensors: Array<[string, number[], number, number]>,
  data: Buffer,
  alignment = 32,
): Buffer {
  const parts: Buffer[] = [Buffer.from('GGUF'), u32b(3), u64b(tensors.length), u64b(kvs.length)];
  for (const [k, t, p] of kvs) parts.push(gs(k), u32b(t), p);
  for (const [name, dims, type, off] of tensors)
    parts.push(gs(name), u32b(dims.length), ...dims.map((d) => u64b(d)), u32b(type), u64b(off));
  const head = Buffer.concat(parts);
  return cat(head, Buffer.alloc((alignment - (head.length % alignment)) % alignment), data);
}

const SCALAR_SIZE: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

/** The fields of a valid GGUF file (the layout lib/io-validate.ts checks). */
function ggufFields(b: Uint8Array): { fields: Field[]; headerEnd: number } {
  const buf = Buffer.from(b);
  const fields: Field[] = [
    { name: 'magic', off: 0, size: 4 },
    { name: 'version', off: 4, size: 4 },
    { name: 'tensor_count', off: 8, size: 8 },
    { name: 'kv_count', off: 16, size: 8 },
  ];
  let p = 24;
  const kvs = Number(buf.readBigUInt64LE(16));
  const nt = Number(buf.readBigUInt64LE(8));
  for (let i = 0; i < kvs; i++) {
    fields.push({ name: `key${i}.len`, off: p, size: 8 });
    p += 8 + Number(buf.readBigUInt64LE(p));
    fields.push({ name: `key${i}.type`, off: p, size: 4, kind: 'vtype' });
    const type = buf.readUInt32LE(p);
    p += 4;
    const value = (t: number, what: string, record: boolean) => {
      if (SCALAR_SIZE[t]) {
        if (record) fields.push({ name: `${what}.value`, off: p, size: SCALAR_SIZE[t] as 1 | 2 | 4 | 8 });
        p += SCALAR_SIZE[t];
      } else if (t === 8) {
        if (record) fields.push({ name: `${what}.strlen`, off: p, size: 8 });
        p += 8 + Number(buf.readBigUInt64LE(p));
      }
    };
    if (type === 9) {
      fields.push({ name: `key${i}.etype`, off: p, size: 4, kind: 'vtype' });
      const et = buf.readUInt32LE(p);
      fields.push({ name: `key${i}.alen`, off: p + 4, size: 8 });
      const n = Number(buf.readBigUInt64LE(p + 4));
      p += 12;
      for (let j = 0; j < n; j++) value(et, `key${i}[${j}]`, j < 3);
    } else value(type, `key${i}`, true);
  }
  for (let i = 0; i < nt; i++) {
    fields.push({ name: `tensor${i}.namelen`, off: p, size: 8 });
    p += 8 + Number(buf.readBigUInt64LE(p));
    fields.push({ name: `tensor${i}.ndim`, off: p, size: 4, kind: 'ndim' });
    const nd = buf.readUInt32LE(p);
    p += 4;
    for (let d = 0; d < nd; d++, p += 8) fields.push({ name: `tensor${i}.dim${d}`, off: p, size: 8 });
    fields.push({ name: `tensor${i}.type`, off: p, size: 4, kind: 'ttype' });
    fields.push({ name: `tensor${i}.offset`, off: p + 4, size: 8 });
    p += 12;
  }
  return { fields, headerEnd: p };
}

function ggufCases(): Case[] {
  const arr = (x: unknown, dt: unknown) => mx.array(x as never, dt as never);
  const mlxSeed = (file: string) => {
    mx.saveGguf(
      file,
      {
        w: mx.arange(6, { dtype: mx.float32 }).reshape(2, 3),
        h: arr([1, 2, 3, 4], mx.float16),
        i: arr([1, -2, 3, -4, 5, -6, 7, -8], mx.int8).reshape(2, 2, 2),
        j: arr([300, -300, 7], mx.int16),
        k: arr([123456], mx.int32),
      },
      {
        s: 'str',
        l: ['a', 'bc', ''],
        u8: arr(7, mx.uint8),
        b: arr([true, false], mx.bool_),
        i64: arr([-1, 5], mx.int64),
        f: arr(1.5, mx.float32),
        u16: arr([1, 2, 3], mx.uint16),
      },
    );
    return readFileSync(file);
  };
  const seeds: Array<[string, Buffer]> = [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mlx-node-gguf-seed-'));
  try {
    seeds.push(['mlx', mlxSeed(path.join(tmp, 'seed.gguf'))]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // Crafted: every metadata kind, alignment 64, quantized and converted types.
  const kvs: GKV[] = [
    gkv('general.alignment', 4, u32b(64)),
    gkv('u8', 0, Buffer.from([200])),
    gkv('i8', 1, Buffer.from([0x80])),
    gkv('u16', 2, Buffer.from([1, 2])),
    gkv('i16', 3, Buffer.from([0xff, 0xff])),
    gkv('i32', 5, u32b(-5)),
    gkv('f32', 6, Buffer.from(new Float32Array([2.5]).buffer)),
    gkv('bool', 7, Buffer.from([1])),
    gkv('str', 8, gs('hello')),
    gkv('u64', 10, u64b(2n ** 63n)),
    gkv('i64', 11, u64b(-7n)),
    gkv('a_str', 9, garr(8, 3, cat(gs('x'), gs(''), gs('yz')))),
    gkv('a_bool', 9, garr(7, 3, Buffer.from([1, 0, 1]))),
    gkv('a_i32', 9, garr(5, 2, cat(u32b(1), u32b(-1)))),
    gkv('a_empty', 9, garr(0, 0, Buffer.alloc(0))),
  ];
  const q = (n: number, bytes: number, fill: number) => Buffer.alloc((n / 32) * bytes, fill);
  const blocks: Array<[string, number[], number, Buffer]> = [
    ['f32.weight', [4], 0, Buffer.from(new Float32Array([1, 2, 3, 4]).buffer)],
    ['q4_0.weight', [32, 2], 2, q(64, 18, 0x21)],
    ['q4_1.weight', [32], 3, q(32, 20, 0x12)],
    ['q8_0.weight', [64], 8, q(64, 34, 0x05)],
    ['q2_k.weight', [256], 10, Buffer.alloc(82, 3)],
    ['q4_k.weight', [256], 12, Buffer.alloc(144, 4)],
    ['q6_k.weight', [256], 14, Buffer.alloc(210, 6)],
    ['bf16', [2, 2], 30, Buffer.from([0, 0x3f, 0, 0x40, 0x80, 0xbf, 0, 0])],
    ['i16', [3, 1, 1, 1], 25, Buffer.from([1, 0, 2, 0, 3, 0])],
  ];
  const tensors: Array<[string, number[], number, number]> = [];
  const dparts: Buffer[] = [];
  let off = 0;
  for (const [name, dims, type, data] of blocks) {
    tensors.push([name, dims, type, off]);
    const padded = cat(data, Buffer.alloc((64 - (data.length % 64)) % 64));
    dparts.push(padded);
    off += padded.length;
  }
  seeds.push(['crafted', ggufFile(kvs, tensors, Buffer.concat(dparts), 64)]);
  seeds.push(['crafted metadata only', ggufFile(kvs.slice(1), [], Buffer.alloc(0))]);

  const out: Array<[string, Uint8Array]> = [];
  seeds.forEach(([label, b], k) => {
    out.push([`${label} (valid)`, b]);
    const { fields, headerEnd } = ggufFields(b);
    out.push(
      ...mutate(label, b, { headerEnd, fields, flips: k === 0 ? [0xff, 0x01] : [0xff], havoc: 150, seed: 300 + k }),
    );
  });
  // Semantic cases.
  const one = (extra: GKV[], t: Array<[string, number[], number, number]>, data: Buffer, align = 32) =>
    ggufFile(extra, t, data, align);
  const f4 = Buffer.from(new Float32Array([1, 2, 3, 4]).buffer);
  for (const a of [0, 1, 3, 4, 8, 16, 64, 4096, 2 ** 31, 2 ** 32 - 1]) {
    out.push([
      `alignment ${a}`,
      one([gkv('general.alignment', 4, u32b(a))], [['t', [4], 0, 0]], f4, a > 0 && a <= 4096 ? a : 32),
    ]);
  }
  out.push(['alignment as u64', one([gkv('general.alignment', 10, u64b(64))], [['t', [4], 0, 0]], f4)]);
  out.push(['misspelled alignment key', one([gkv('general.alignmnet', 4, u32b(64))], [['t', [4], 0, 0]], f4, 64)]);
  for (let nd = 0; nd <= 10; nd++) {
    out.push([`ndim ${nd}`, one([], [['t', [4, ...Array(Math.max(0, nd - 1)).fill(1)].slice(0, nd), 0, 0]], f4)]);
  }
  for (const dims of [
    [2 ** 40],
    [2 ** 32 + 4],
    [2 ** 31],
    [2 ** 31 - 1],
    [0],
    [0, 2 ** 40],
    [2 ** 20, 2 ** 20, 2 ** 20],
    [96, 384307168202282300],
  ]) {
    out.push([`dims [${dims}]`, one([], [['t', dims, 0, 0]], f4)]);
    out.push([`dims [${dims}] q8_0`, one([], [['t.weight', dims, 8, 0]], Buffer.alloc(68))]);
  }
  for (const [name, t, payload] of [
    ['f64 scalar', 12, Buffer.alloc(8)],
    ['f64 array', 9, garr(12, 2, Buffer.alloc(16))],
    ['nested array', 9, garr(9, 1, garr(0, 1, Buffer.from([1])))],
    ['array of unknown type', 9, garr(13, 1, Buffer.alloc(8))],
    ['bool 2', 7, Buffer.from([2])],
    ['bool array with 255', 9, garr(7, 2, Buffer.from([1, 255]))],
    ['string array of 2^40', 9, garr(8, 2 ** 40, Buffer.alloc(0))],
    ['string of 2^40', 8, u64b(2 ** 40)],
    ['unknown type 13', 13, Buffer.alloc(8)],
  ] as Array<[string, number, Buffer]>) {
    out.push([`metadata ${name}`, one([gkv('k', t, payload), gkv('after', 8, gs('x'))], [['t', [4], 0, 0]], f4)]);
  }
  out.push([
    'two tensors, same name',
    one(
      [],
      [
        ['t', [4], 0, 0],
        ['t', [4], 0, 0],
      ],
      f4,
    ),
  ]);
  out.push([
    'quantized names shorter than .weight',
    one(
      [],
      [
        ['w', [32], 8, 0],
        ['w.scales', [1], 0, 64],
      ],
      cat(Buffer.alloc(64), f4),
    ),
  ]);
  out.push([
    'version 1',
    cat(
      Buffer.from('GGUF'),
      u32b(1),
      u32b(1),
      u32b(0),
      gs('t'),
      u32b(1),
      u64b(4),
      u32b(0),
      u64b(0),
      Buffer.alloc(32),
      f4,
    ),
  ]);
  return out.map(([name, bytes]) => ({ name, bytes, viaPath: true }));
}

// ---------------------------------------------------------------------------
// .npz

function zipFile(entries: Array<[string, Buffer]>, opts: { compress?: boolean; zip64?: boolean } = {}): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameB = Buffer.from(name);
    const body = opts.compress ? zlib.deflateRawSync(data) : data;
    const crc = zlib.crc32(data);
    const extraLocal = opts.zip64
      ? cat(Buffer.from([1, 0, 16, 0]), u64b(data.length), u64b(body.length))
      : Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(opts.zip64 ? 45 : 20, 4);
    local.writeUInt16LE(opts.compress ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(opts.zip64 ? 0xffffffff : body.length, 18);
    local.writeUInt32LE(opts.zip64 ? 0xffffffff : data.length, 22);
    local.writeUInt16LE(nameB.length, 26);
    local.writeUInt16LE(extraLocal.length, 28);
    const extraDir = opts.zip64
      ? cat(Buffer.from([1, 0, 24, 0]), u64b(data.length), u64b(body.length), u64b(offset))
      : Buffer.alloc(0);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(45, 4);
    dir.writeUInt16LE(opts.zip64 ? 45 : 20, 6);
    dir.writeUInt16LE(opts.compress ? 8 : 0, 10);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(opts.zip64 ? 0xffffffff : body.length, 20);
    dir.writeUInt32LE(opts.zip64 ? 0xffffffff : data.length, 24);
    dir.writeUInt16LE(nameB.length, 28);
    dir.writeUInt16LE(extraDir.length, 30);
    dir.writeUInt32LE(opts.zip64 ? 0xffffffff : offset, 42);
    chunks.push(local, nameB, extraLocal, body);
    central.push(dir, nameB, extraDir);
    offset += 30 + nameB.length + extraLocal.length + body.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  const tail: Buffer[] = [];
  if (opts.zip64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(0x06064b50, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeUInt16LE(45, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeBigUInt64LE(BigInt(entries.length), 24);
    rec.writeBigUInt64LE(BigInt(entries.length), 32);
    rec.writeBigUInt64LE(BigInt(dirBytes.length), 40);
    rec.writeBigUInt64LE(BigInt(offset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(offset + dirBytes.length), 8);
    loc.writeUInt32LE(1, 16);
    tail.push(rec, loc);
    end.writeUInt32LE(0xffffffff, 16);
  }
  return Buffer.concat([...chunks, dirBytes, ...tail, end]);
}

/** The structure fields of a zip: end record, zip64 records, directory entries, local headers. */
function zipFields(b: Uint8Array): { fields: Field[]; regions: Array<[number, number]> } {
  const buf = Buffer.from(b);
  let eocd = buf.length - 22;
  while (buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const fields: Field[] = [];
  const add = (name: string, off: number, size: 1 | 2 | 4 | 8) => fields.push({ name, off, size });
  for (const [n, o, s] of [
    ['eocd.sig', 0, 4],
    ['eocd.disk', 4, 2],
    ['eocd.dirdisk', 6, 2],
    ['eocd.count_disk', 8, 2],
    ['eocd.count', 10, 2],
    ['eocd.dir_size', 12, 4],
    ['eocd.dir_offset', 16, 4],
    ['eocd.comment_len', 20, 2],
  ] as Array<[string, number, 1 | 2 | 4 | 8]>)
    add(n, eocd + o, s);
  let dirOffset = buf.readUInt32LE(eocd + 16);
  const count = buf.readUInt16LE(eocd + 10);
  const regions: Array<[number, number]> = [[eocd - 76 > 0 ? eocd - 76 : 0, buf.length]];
  if (eocd >= 20 && buf.readUInt32LE(eocd - 20) === 0x07064b50) {
    const loc = eocd - 20;
    add('z64loc.sig', loc, 4);
    add('z64loc.record', loc + 8, 8);
    const rec = Number(buf.readBigUInt64LE(loc + 8));
    for (const [n, o, s] of [
      ['z64.sig', 0, 4],
      ['z64.size', 4, 8],
      ['z64.count_disk', 24, 8],
      ['z64.count', 32, 8],
      ['z64.dir_size', 40, 8],
      ['z64.dir_offset', 48, 8],
    ] as Array<[string, number, 1 | 2 | 4 | 8]>)
      add(n, rec + o, s);
    dirOffset = Number(buf.readBigUInt64LE(rec + 48));
  }
  let p = dirOffset;
  regions.push([dirOffset, eocd]);
  for (let i = 0; i < count; i++) {
    for (const [n, o, s] of [
      ['sig', 0, 4],
      ['made', 4, 2],
      ['need', 6, 2],
      ['flags', 8, 2],
      ['method', 10, 2],
      ['crc', 16, 4],
      ['csize', 20, 4],
      ['size', 24, 4],
      ['name_len', 28, 2],
      ['extra_len', 30, 2],
      ['comment_len', 32, 2],
      ['disk', 34, 2],
      ['local', 42, 4],
    ] as Array<[string, number, 1 | 2 | 4 | 8]>)
      add(`dir${i}.${n}`, p + o, s);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    let local = buf.readUInt32LE(p + 42);
    for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen;) {
      add(`dir${i}.extra.id`, e, 2);
      add(`dir${i}.extra.len`, e + 2, 2);
      const len = buf.readUInt16LE(e + 2);
      if (buf.readUInt16LE(e) === 1) {
        for (let q = 0; q + 8 <= len; q += 8) add(`dir${i}.zip64.${q / 8}`, e + 4 + q, 8);
        if (local === 0xffffffff) local = Number(buf.readBigUInt64LE(e + 4 + len - 8));
      }
      e += 4 + len;
    }
    for (const [n, o, s] of [
      ['sig', 0, 4],
      ['flags', 6, 2],
      ['method', 8, 2],
      ['crc', 14, 4],
      ['csize', 18, 4],
      ['size', 22, 4],
      ['name_len', 26, 2],
      ['extra_len', 28, 2],
    ] as Array<[string, number, 1 | 2 | 4 | 8]>)
      add(`local${i}.${n}`, local + o, s);
    regions.push([local, local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28) + 16]);
    p += 46 + nameLen + extraLen + buf.readUInt16LE(p + 32);
  }
  return { fields, regions };
}

function npzCases(): Case[] {
  const a = mx.arange(6, { dtype: mx.float32 }).reshape(2, 3);
  const bl = mx.array([true, false, true, true]);
  const npyA = sink((s) => mx.save(s, a));
  const npyB = sink((s) => mx.save(s, bl));
  const seeds: Array<[string, Buffer]> = [
    ['mlx savez', sink((s) => mx.savez(s, { a, b: bl }))],
    ['mlx savez_compressed', sink((s) => mx.savezCompressed(s, { a, b: bl }))],
    [
      'zip64 (as numpy writes)',
      zipFile(
        [
          ['a.npy', npyA],
          ['b.npy', npyB],
        ],
        { zip64: true },
      ),
    ],
    ['zip64 deflated', zipFile([['a.npy', npyA]], { zip64: true, compress: true })],
  ];
  const out: Array<[string, Uint8Array]> = [];
  seeds.forEach(([label, b], k) => {
    out.push([`${label} (valid)`, b]);
    const { fields, regions } = zipFields(b);
    // Truncations at every byte; flips over the directory and headers.
    const muts = mutate(label, b, { headerEnd: b.length, fields, flips: [], havoc: 150, seed: 400 + k });
    out.push(...muts);
    const seen = new Set<number>();
    for (const [from, to] of regions) {
      for (let i = from; i < Math.min(to, b.length); i++) {
        if (seen.has(i)) continue;
        seen.add(i);
        const m = Buffer.from(b);
        m[i] ^= 0xff;
        out.push([`${label} byte ${i} ^= 0xff`, m]);
      }
    }
    // Data bytes (stored or deflated): the CRC or inflate must catch them.
    for (let i = 0; i < b.length; i += 7) {
      const m = Buffer.from(b);
      m[i] ^= 0x01;
      out.push([`${label} byte ${i} ^= 0x01`, m]);
    }
  });
  // Valid zips around broken .npy entries (CRC right): the entry check must catch them.
  const inner = npyCases().filter((_, i) => i % 9 === 0);
  inner.forEach((c, i) => {
    out.push([
      `entry ${c.name}`,
      zipFile(
        [
          ['a.npy', Buffer.from(c.bytes)],
          ['b.npy', npyB],
        ],
        { compress: i % 2 === 1 },
      ),
    ]);
  });
  out.push(['empty archive', zipFile([])]);
  out.push(['entry not named .npy', zipFile([['x.bin', npyA]])]);
  out.push([
    'duplicate entry',
    zipFile([
      ['a.npy', npyA],
      ['a.npy', npyB],
    ]),
  ]);
  out.push(['empty entry', zipFile([['a.npy', Buffer.alloc(0)]], { compress: true })]);
  out.push(['not a zip', Buffer.from('PK\x03\x04 this is not a zip file at all', 'latin1')]);
  return out.map(([name, bytes], i) => ({ name, bytes, viaPath: i % 3 === 0 }));
}

// ---------------------------------------------------------------------------
// Parent: generate, run in children, check.

const GENERATORS: Record<Format, () => Case[]> = {
  npy: npyCases,
  npz: npzCases,
  safetensors: stCases,
  gguf: ggufCases,
};

interface Outcome {
  cases: number;
  ok: number;
  errors: number;
  failures: string[];
}

function writeBatch(file: string, cases: Case[]): void {
  const parts: Buffer[] = [];
  for (const c of cases) parts.push(Buffer.from([c.viaPath ? 1 : 0]), u32b(c.bytes.length), Buffer.from(c.bytes));
  writeFileSync(file, Buffer.concat(parts));
}

function runChildProcess(
  args: ChildArgs,
  onLine: (line: string) => void,
): Promise<{ code: number | null; signal: string | null; hung: boolean }> {
  const env: NodeJS.ProcessEnv = { ...process.env, MLX_IO_FUZZ_CHILD: JSON.stringify(args) };
  delete env.NODE_TEST_CONTEXT;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [__filename], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let hung = false;
    let timer: NodeJS.Timeout;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        hung = true;
        child.kill('SIGKILL');
      }, 15_000);
    };
    arm();
    let rest = '';
    child.stdout.on('data', (d: Buffer) => {
      arm();
      const lines = (rest + d.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      lines.forEach(onLine);
    });
    child.stderr.on('data', () => {});
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (rest) onLine(rest);
      resolve({ code, signal, hung });
    });
  });
}

async function fuzz(format: Format, dir: string, keep: string): Promise<Outcome> {
  const cases = GENERATORS[format]();
  const fdir = path.join(dir, format);
  mkdirSync(fdir, { recursive: true });
  const batch = path.join(fdir, 'cases.bin');
  writeBatch(batch, cases);
  const outcome: Outcome = { cases: cases.length, ok: 0, errors: 0, failures: [] };
  let start = 0;
  while (start < cases.length) {
    let current = -1;
    let done = false;
    const r = await runChildProcess({ format, batch, start, dir: fdir }, (line) => {
      if (line.startsWith('S ')) current = Number(line.slice(2));
      else if (line === 'DONE') done = true;
      else if (line.startsWith('R ')) {
        const m = /^R (\d+) (ok|err|bad) ?(.*)$/.exec(line);
        if (!m) return;
        const i = Number(m[1]);
        current = -1;
        if (m[2] === 'ok') outcome.ok++;
        else if (m[2] === 'err') outcome.errors++;
        else outcome.failures.push(`${format} case ${i} "${cases[i].name}": ${m[3]}`);
      }
    });
    if (done && r.code === 0) break;
    if (current < 0) {
      outcome.failures.push(
        `${format}: the child exited (code ${r.code}, signal ${r.signal}) between cases after case ${start}`,
      );
      break;
    }
    const saved = path.join(keep, `${format}-case-${current}.${format}`);
    mkdirSync(keep, { recursive: true });
    writeFileSync(saved, cases[current].bytes);
    const how = r.hung ? 'hung (no progress for 15 s)' : `crashed (signal ${r.signal}, exit code ${r.code})`;
    outcome.failures.push(`${format} case ${current} "${cases[current].name}" ${how}; input kept in ${saved}`);
    start = current + 1;
  }
  return outcome;
}

if (process.env.MLX_IO_FUZZ_CHILD) {
  runChild(JSON.parse(process.env.MLX_IO_FUZZ_CHILD) as ChildArgs);
} else {
  const { after, before, describe, test } = require('node:test') as typeof import('node:test');
  describe('mx.load fuzzing (child processes)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlx-node-io-fuzz-'));
    const keep = path.join(os.tmpdir(), 'mlx-node-io-fuzz-crashes');
    const results = new Map<Format, Outcome>();
    before(async () => {
      // Two children at a time (formats in a queue).
      const queue = [...FORMATS];
      const worker = async () => {
        for (let f = queue.shift(); f; f = queue.shift()) results.set(f, await fuzz(f, dir, keep));
      };
      await Promise.all([worker(), worker()]);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    for (const format of FORMATS) {
      test(`${format}: every mutated file loads and evaluates, or throws an Error`, (t) => {
        const r = results.get(format);
        assert.ok(r, `${format} did not run`);
        t.diagnostic(
          `${r.cases} cases: ${r.ok} loaded and evaluated, ${r.errors} threw an Error, ${r.failures.length} failed`,
        );
        assert.deepEqual(r.failures, [], `${format}: ${r.failures.length} failing cases`);
        assert.ok(r.cases >= MIN_CASES, `${format}: ${r.cases} cases, fewer than ${MIN_CASES}`);
        assert.equal(r.ok + r.errors, r.cases, `${format}: cases without a result`);
        // Not vacuous: some mutations still load, most are rejected.
        assert.ok(r.ok >= 20, `${format}: only ${r.ok} cases loaded`);
        assert.ok(r.errors >= r.cases / 2, `${format}: only ${r.errors} cases were rejected`);
      });
    }

    test('the valid seeds load', () => {
      for (const format of FORMATS) {
        const cases = GENERATORS[format]().filter((c) => c.name.endsWith('(valid)'));
        assert.ok(cases.length >= 2, format);
        for (const c of cases) {
          const file = path.join(dir, `seed.${format}`);
          writeFileSync(file, c.bytes);
          assert.doesNotThrow(
            () => evaluate(mx.load(file, { returnMetadata: format === 'safetensors' || format === 'gguf' })),
            `${format} ${c.name}`,
          );
        }
      }
    });
  });
}

// Saving and loading arrays: .npy, .npz, .safetensors, .gguf — Python's
// mx.save / savez / savez_compressed / save_safetensors / save_gguf / load.
//
// Files are paths; where Python takes a file-like object, JS takes bytes
// (Buffer, Uint8Array, ArrayBuffer) for loading and an object with a
// write(bytes) method for saving. The .npz container (a zip of .npy files) is
// implemented here with node:zlib; the formats inside are MLX's (native/io.cc).
// Every file is checked by lib/io-validate.ts before MLX reads it.
import { readFileSync, writeFileSync } from 'node:fs';
import buffer from 'node:buffer';
import zlib from 'node:zlib';

import { native } from './native';
import type { array } from './core';
import { isPlainObject } from './trees';
import { validate } from './io-validate';
import type { StreamOrDevice } from './types';

/** Where Python takes a file-like object to write to: anything with write(bytes). */
export interface ByteSink {
  write(bytes: Uint8Array): unknown;
}
export type FileTarget = string | ByteSink;
export type FileSource = string | Uint8Array | ArrayBuffer;

export type GgufValue = array | string | string[];

const isArray = (x: unknown): x is array => x instanceof native.array;

function toBytes(src: Uint8Array | ArrayBuffer): Uint8Array {
  return src instanceof Uint8Array ? src : new Uint8Array(src);
}

function emit(target: FileTarget, bytes: Uint8Array, what: string): void {
  if (typeof target === 'string') writeFileSync(target, bytes);
  else if (target && typeof target.write === 'function') target.write(bytes);
  else throw new TypeError(`${what}: argument 'file' must be a path or an object with a write(bytes) method.`);
}

/** Save an array to a .npy file (".npy" is appended to a path without it), or to a byte sink. */
export function save(file: FileTarget, arr: array): void {
  if (!isArray(arr)) throw new TypeError(`save(): argument 'arr' must be an mx.array.`);
  if (typeof file === 'string') {
    native._saveNpy(file.endsWith('.npy') ? file : `${file}.npy`, arr);
  } else {
    emit(file, native._saveNpy(null, arr) as Uint8Array, 'save()');
  }
}

// ---------------------------------------------------------------------------
// .npz: a zip archive of .npy files (stored, or deflated for savezCompressed).

function zip(entries: Array<[string, Uint8Array]>, compress: boolean): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const body = compress ? zlib.deflateRawSync(data) : data;
    if (body.length >= 0xffffffff || data.length >= 0xffffffff || offset >= 0xffffffff) {
      throw new RangeError('savez(): entries and archives over 4 GiB (zip64) are not supported.');
    }
    const crc = zlib.crc32(data);
    const method = compress ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // flags: UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4); // version made by
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt32LE(0x00210000, 12);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(body.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    chunks.push(local, nameBytes, body);
    central.push(dir, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const dirSize = central.reduce((n, c) => n + c.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, ...central, end]);
}

function savezImpl(what: string, compress: boolean, file: FileTarget, args: unknown[]): void {
  let named: Record<string, unknown> = {};
  const positional = [...args];
  if (positional.length && isPlainObject(positional[positional.length - 1])) {
    named = positional.pop() as Record<string, unknown>;
  }
  const entries: Array<[string, Uint8Array]> = [];
  const seen = new Set<string>();
  const add = (name: string, a: unknown) => {
    if (!isArray(a)) throw new TypeError(`${what}: '${name}' must be an mx.array.`);
    if (seen.has(name)) throw new Error(`${what}: Cannot use un-named variables and keyword ${name}`);
    seen.add(name);
    entries.push([`${name}.npy`, native._saveNpy(null, a) as Uint8Array]);
  };
  positional.forEach((a, i) => add(`arr_${i}`, a));
  for (const [k, v] of Object.entries(named)) add(k, v);
  const bytes = zip(entries, compress);
  emit(typeof file === 'string' && !file.endsWith('.npz') ? `${file}.npz` : file, bytes, what);
}

/**
 * Save arrays to an uncompressed .npz: positional arrays are named arr_0,
 * arr_1, ...; a trailing plain object names the rest (Python's **kwargs).
 *   mx.savez('weights.npz', {w, b}); mx.savez('xs.npz', x0, x1)
 */
export function savez(file: FileTarget, ...args: Array<array | Record<string, array>>): void {
  savezImpl('savez()', false, file, args);
}

/** savez, with the entries deflated. */
export function savezCompressed(file: FileTarget, ...args: Array<array | Record<string, array>>): void {
  savezImpl('savez_compressed()', true, file, args);
}

interface ZipEntry {
  name: string;
  data: Uint8Array;
}

function unzip(bytes: Uint8Array, label: string): ZipEntry[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (why: string): never => {
    throw new Error(`[load] ${label} is not a valid .npz (zip) file: ${why}.`);
  };
  // The end-of-central-directory record: within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) bad('no end-of-central-directory record');
  const count = b.readUInt16LE(eocd + 10);
  let dirSize = b.readUInt32LE(eocd + 12);
  let dirOffset = b.readUInt32LE(eocd + 16);
  let total = count;
  // zip64: the real values are in the zip64 end record.
  if (dirOffset === 0xffffffff || dirSize === 0xffffffff || count === 0xffff) {
    const loc = eocd - 20;
    if (loc < 0 || b.readUInt32LE(loc) !== 0x07064b50) bad('missing zip64 locator');
    const rec = Number(b.readBigUInt64LE(loc + 8));
    if (rec + 56 > b.length || b.readUInt32LE(rec) !== 0x06064b50) bad('bad zip64 end record');
    total = Number(b.readBigUInt64LE(rec + 32));
    dirSize = Number(b.readBigUInt64LE(rec + 40));
    dirOffset = Number(b.readBigUInt64LE(rec + 48));
  }
  if (dirOffset + dirSize > b.length) bad('the central directory lies outside the file');
  const out: ZipEntry[] = [];
  let p = dirOffset;
  for (let n = 0; n < total; n++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) bad('bad central directory entry');
    const flags = b.readUInt16LE(p + 8);
    const method = b.readUInt16LE(p + 10);
    const crc = b.readUInt32LE(p + 16);
    let compSize = b.readUInt32LE(p + 20);
    let size = b.readUInt32LE(p + 24);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    let local = b.readUInt32LE(p + 42);
    if (p + 46 + nameLen + extraLen > b.length) bad('truncated central directory');
    const name = b.toString('utf8', p + 46, p + 46 + nameLen);
    // zip64 extra field (id 1): the 0xffffffff fields, in order.
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = b.readUInt16LE(e);
      const len = b.readUInt16LE(e + 2);
      if (e + 4 + len > eEnd) bad('truncated extra field');
      if (id === 1) {
        let q = e + 4;
        const next = () => {
          if (q + 8 > e + 4 + len) bad('truncated zip64 field');
          const v = Number(b.readBigUInt64LE(q));
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compSize === 0xffffffff) compSize = next();
        if (local === 0xffffffff) local = next();
      }
      e += 4 + len;
    }
    p = eEnd + commentLen;
    if (flags & 1) bad(`${name} is encrypted`);
    if (local + 30 > b.length || b.readUInt32LE(local) !== 0x04034b50) bad(`bad local header for ${name}`);
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    if (start + compSize > b.length) bad(`the data of ${name} lies outside the file`);
    const raw = b.subarray(start, start + compSize);
    let data: Uint8Array;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        // maxOutputLength must be >= 1; one byte more than the directory says
        // tells a lying size from a right one below.
        data = zlib.inflateRawSync(raw, { maxOutputLength: Math.min(size + 1, buffer.kMaxLength) });
      } catch (err) {
        return bad(`cannot inflate ${name} (${(err as Error).message})`);
      }
    } else return bad(`unsupported compression method ${method} for ${name}`);
    if (data.length !== size) bad(`${name} has ${data.length} bytes where the directory says ${size}`);
    if (zlib.crc32(data) !== crc) bad(`the CRC-32 of ${name} does not match its data`);
    out.push({ name, data });
  }
  return out;
}

// ---------------------------------------------------------------------------
// load

export interface LoadOptions {
  /** 'npy' | 'npz' | 'safetensors' | 'gguf'; by default from the file's extension (bytes: from their contents). */
  format?: string | null;
  /** Also return the metadata (safetensors, gguf): [arrays, metadata]. */
  returnMetadata?: boolean;
  stream?: StreamOrDevice | null;
}

const FORMATS = ['npy', 'npz', 'safetensors', 'gguf'];

function sniff(bytes: Uint8Array): string | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 16));
  if (b.length >= 6 && b[0] === 0x93 && b.toString('latin1', 1, 6) === 'NUMPY') return 'npy';
  if (b.length >= 4 && b.readUInt32LE(0) === 0x04034b50) return 'npz';
  if (b.length >= 4 && b.toString('latin1', 0, 4) === 'GGUF') return 'gguf';
  if (b.length >= 9 && b[8] === 0x7b) return 'safetensors';
  return undefined;
}

/**
 * Load arrays: a single array from .npy; {name: array} from .npz and
 * .safetensors and .gguf; [arrays, metadata] with returnMetadata
 * (safetensors, gguf). `file` is a path or the bytes of a file.
 *   mx.load('model.safetensors'); mx.load(bytes, {format: 'npz'})
 */
export function load(
  file: FileSource,
  options: LoadOptions & { returnMetadata: true },
): [Record<string, array>, Record<string, any>];
export function load(
  file: FileSource,
  format: string | null | undefined,
  returnMetadata: true,
  options?: { stream?: StreamOrDevice | null },
): [Record<string, array>, Record<string, any>];
/** .npy gives an array, the other formats {name: array}. */
export function load(
  file: FileSource,
  format?: string | null | LoadOptions,
  returnMetadata?: boolean,
  options?: { stream?: StreamOrDevice | null },
): any;
export function load(
  file: FileSource,
  format?: string | null | LoadOptions,
  returnMetadata?: boolean,
  options: { stream?: StreamOrDevice | null } = {},
): unknown {
  let opts: LoadOptions;
  if (format !== null && typeof format === 'object') opts = format;
  else opts = { format, returnMetadata, stream: options.stream };
  const stream = opts.stream ?? null;
  let fmt = opts.format ?? undefined;
  let bytes: Uint8Array | undefined;
  let path: string | undefined;
  if (typeof file === 'string') {
    path = file;
    if (fmt === undefined) {
      const dot = file.lastIndexOf('.');
      if (dot < 0) throw new Error(`[load] Could not infer file format from extension of ${file}; give {format}.`);
      fmt = file.slice(dot + 1);
    }
  } else if (file instanceof Uint8Array || file instanceof ArrayBuffer) {
    bytes = toBytes(file);
    fmt ??= sniff(bytes);
    if (fmt === undefined) throw new Error('[load] Could not tell the format of the bytes; give {format}.');
  } else {
    throw new TypeError(`load(): argument 'file' must be a path or bytes (Buffer, Uint8Array, ArrayBuffer).`);
  }
  if (!FORMATS.includes(fmt)) throw new Error(`[load] Invalid format ${fmt}; use one of ${FORMATS.join(', ')}.`);
  if (opts.returnMetadata && (fmt === 'npy' || fmt === 'npz')) {
    throw new Error('[load] metadata not supported for format ' + fmt);
  }

  switch (fmt) {
    case 'npy': {
      validate('npy', path, bytes);
      return native._loadNpy(bytes ?? path!, stream);
    }
    case 'npz': {
      const data = bytes ?? readFileSync(path!);
      const out: Record<string, array> = {};
      for (const { name, data: entry } of unzip(data, path ?? 'buffer')) {
        const key = name.endsWith('.npy') ? name.slice(0, -4) : name;
        validate('npy', undefined, entry, `${path ?? 'buffer'}:${name}`);
        out[key] = native._loadNpy(entry, stream) as array;
      }
      return out;
    }
    case 'safetensors': {
      validate('safetensors', path, bytes);
      const [arrays, metadata] = native._loadSafetensors(bytes ?? path!, stream) as [
        Record<string, array>,
        Record<string, string>,
      ];
      return opts.returnMetadata ? [arrays, metadata] : arrays;
    }
    default: {
      if (!path) throw new Error('[load] gguf files load from a path only (as in Python).');
      validate('gguf', path, undefined);
      const [arrays, metadata] = native._loadGguf(path, stream) as [Record<string, array>, Record<string, unknown>];
      return opts.returnMetadata ? [arrays, metadata] : arrays;
    }
  }
}

/** Save {name: array} to a .safetensors file (or byte sink), with optional string metadata. */
export function saveSafetensors(
  file: FileTarget,
  arrays: Record<string, array>,
  metadata?: Record<string, string> | null,
): void {
  if (metadata != null && (!isPlainObject(metadata) || Object.values(metadata).some((v) => typeof v !== 'string'))) {
    throw new Error('[save_safetensors] Metadata must be a dictionary with string keys and values');
  }
  if (typeof file === 'string')
    native._saveSafetensors(file.endsWith('.safetensors') ? file : `${file}.safetensors`, arrays, metadata ?? null);
  else emit(file, native._saveSafetensors(null, arrays, metadata ?? null) as Uint8Array, 'save_safetensors()');
}

/** Save {name: array} to a .gguf file, with metadata values that are arrays, strings or lists of strings. */
export function saveGguf(
  file: string,
  arrays: Record<string, array>,
  metadata?: Record<string, GgufValue> | null,
): void {
  if (typeof file !== 'string') throw new TypeError("save_gguf(): argument 'file' must be a path (as in Python).");
  native._saveGguf(file.endsWith('.gguf') ? file : `${file}.gguf`, arrays, metadata ?? null);
}

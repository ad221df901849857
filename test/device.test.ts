// Devices and streams: DeviceType (mx.cpu, mx.gpu), Device, Stream,
// ThreadLocalStream, the default device/stream functions, the scoped default
// (mx.stream), the `stream` argument of every op, and the backends'
// availability — checked against Python mlx 0.32.4 (the oracle) where it applies.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mx } from '../lib/index';
import type { array, Device, Stream, StreamOrDevice } from '../lib/index';
import { native } from '../lib/native';
import { isPyError, pyEach } from './helpers/mlx_tests';
import { buildArg, CASES_BY_OP, PyBindings } from './helpers/op-cases';
import { oracle, oracleEach } from './helpers/oracle';

const any = mx as any;

/** 'ok' or the error, for comparing whether JS throws where Python raises. */
function outcome(f: () => unknown): { ok: boolean; error?: Error } {
  try {
    f();
    return { ok: true };
  } catch (e) {
    return { ok: false, error: e as Error };
  }
}

/** Run fn with the default device/stream restored afterwards, whatever fn does. */
function keepingDefaults<T>(fn: () => T): T {
  const device = mx.defaultDevice() as Device;
  const stream = mx.defaultStream(device);
  try {
    return fn();
  } finally {
    mx.setDefaultDevice(device);
    mx.setDefaultStream(stream);
  }
}

// The stream index varies with the order streams were made in: compare reprs
// with it blanked out.
const blankIndex = (repr: string) => repr.replace(/, \d+\)$/, ', N)');

// ---------------------------------------------------------------------------

describe('DeviceType', () => {
  test('mx.cpu and mx.gpu are DeviceType singletons printed as in Python', () => {
    const py = oracle<Record<string, { repr: string; str: string; name: string }>>(
      'out = {n: {"repr": repr(getattr(mx, n)), "str": str(getattr(mx, n)), "name": getattr(mx, n).name} for n in ["cpu", "gpu"]}',
    );
    for (const [n, t] of [
      ['cpu', mx.cpu],
      ['gpu', mx.gpu],
    ] as const) {
      assert.equal(String(t), py[n].repr, `String(mx.${n})`);
      assert.equal(`${t}`, py[n].str);
      assert.equal(t.name, py[n].name, `mx.${n}.name`);
      assert.ok(t instanceof (mx.DeviceType as any), `mx.${n} instanceof mx.DeviceType`);
      assert.equal((mx.DeviceType as any)[n], t, `mx.DeviceType.${n} is mx.${n}`);
      assert.ok(Object.isFrozen(t));
    }
    assert.equal(String(mx.cpu), 'DeviceType.cpu');
    assert.notEqual(mx.cpu as unknown, mx.gpu as unknown);
    // Every DeviceType that comes back from the library is the same object.
    assert.equal(new mx.Device(mx.cpu).type, mx.cpu);
    assert.equal(new mx.Device(mx.gpu, 3).type, mx.gpu);
    assert.equal(mx.newStream(mx.cpu).device.type, mx.cpu);
    assert.throws(() => new (mx.DeviceType as any)(), TypeError);
  });
});

describe('TestDefaultDevice', () => {
  test('test_mlx_default_device', () => {
    const py = oracleEach(
      ['repr(mx.default_device())', 'mx.metal.is_available()', 'mx.set_default_device(mx.gpu)'],
      'x',
    );
    const device = mx.defaultDevice() as Device;
    assert.ok(device instanceof (mx.Device as any));
    assert.equal(String(device), py[0].value);
    if (py[1].value) {
      assert.ok(device.equals(new mx.Device(mx.gpu)));
      assert.equal(String(device), 'Device(gpu, 0)');
      assert.ok(device.equals(mx.gpu));
    } else {
      assert.equal(device.type, mx.cpu);
      assert.ok(device.equals(new mx.Device(mx.cpu)));
    }
    // setDefaultDevice(gpu) throws exactly when Python raises (no gpu backend).
    keepingDefaults(() => {
      const js = outcome(() => mx.setDefaultDevice(mx.gpu));
      assert.equal(
        js.ok,
        py[2].ok,
        `setDefaultDevice(gpu): js ${js.error?.message ?? 'ok'}, python ${py[2].error ?? 'ok'}`,
      );
    });
    assert.ok((mx.defaultDevice() as Device).equals(device), 'default device restored');
  });
});

describe('TestDevice', () => {
  test('test_device', () => {
    const device = mx.defaultDevice() as Device;
    try {
      const cpu = new mx.Device(mx.cpu);
      mx.setDefaultDevice(cpu);
      assert.ok((mx.defaultDevice() as Device).equals(cpu));
      assert.equal(String(cpu), 'Device(cpu, 0)');

      mx.setDefaultDevice(mx.cpu);
      assert.ok((mx.defaultDevice() as Device).equals(mx.cpu));
      assert.ok(cpu.equals(mx.cpu));
      assert.equal(cpu.type, mx.cpu);
    } finally {
      mx.setDefaultDevice(device);
    }
    assert.ok((mx.defaultDevice() as Device).equals(device));
  });

  test('Device reprs, with and without an index, equal Python', () => {
    const cases: Array<[string, () => Device]> = [
      ['mx.Device(mx.cpu)', () => new mx.Device(mx.cpu)],
      ['mx.Device(mx.cpu, 0)', () => new mx.Device(mx.cpu, 0)],
      ['mx.Device(mx.cpu, 1)', () => new mx.Device(mx.cpu, 1)],
      ['mx.Device(mx.gpu)', () => new mx.Device(mx.gpu)],
      ['mx.Device(mx.gpu, 2)', () => new mx.Device(mx.gpu, 2)],
    ];
    const py = oracleEach(
      cases.map((c) => c[0]),
      '[repr(x), repr(x.type)]',
    );
    cases.forEach(([src, f], i) => {
      const d = f();
      const [repr, type] = py[i].value as [string, string];
      assert.equal(String(d), repr, src);
      assert.equal(String(d.type), type, `${src}.type`);
      assert.ok(d instanceof (mx.Device as any));
    });
    assert.deepEqual(
      mx.dir(new mx.Device(mx.cpu)),
      oracle('out = sorted(n for n in dir(mx.Device(mx.cpu)) if not n.startswith("_"))'),
    );
  });

  test('Device.equals equals Python ==', () => {
    const cases: Array<[string, () => boolean]> = [
      ['mx.Device(mx.cpu) == mx.Device(mx.cpu, 0)', () => new mx.Device(mx.cpu).equals(new mx.Device(mx.cpu, 0))],
      ['mx.Device(mx.cpu) == mx.Device(mx.cpu, 1)', () => new mx.Device(mx.cpu).equals(new mx.Device(mx.cpu, 1))],
      ['mx.Device(mx.cpu, 1) == mx.Device(mx.cpu, 1)', () => new mx.Device(mx.cpu, 1).equals(new mx.Device(mx.cpu, 1))],
      ['mx.Device(mx.cpu) == mx.cpu', () => new mx.Device(mx.cpu).equals(mx.cpu)],
      ['mx.Device(mx.cpu, 1) == mx.cpu', () => new mx.Device(mx.cpu, 1).equals(mx.cpu)],
      ['mx.Device(mx.gpu) == mx.cpu', () => new mx.Device(mx.gpu).equals(mx.cpu)],
      ['mx.Device(mx.gpu) == mx.Device(mx.cpu)', () => new mx.Device(mx.gpu).equals(new mx.Device(mx.cpu))],
      ['mx.Device(mx.cpu) == "cpu"', () => new mx.Device(mx.cpu).equals('cpu')],
      ['mx.default_device() == mx.default_device()', () => (mx.defaultDevice() as Device).equals(mx.defaultDevice())],
    ];
    const py = oracleEach(cases.map((c) => c[0]));
    cases.forEach(([src, f], i) => assert.equal(f(), py[i].value, src));
  });

  test('bad Device arguments throw a TypeError, as in Python', () => {
    const py = oracleEach(['mx.Device("cpu")', 'mx.Device(mx.cpu, 1.5)']);
    assert.deepEqual(
      py.map((r) => r.error?.split(':')[0]),
      ['TypeError', 'TypeError'],
    );
    assert.throws(() => new (mx.Device as any)('cpu'), { name: 'TypeError', message: /Device\(\): argument 'type'/ });
    assert.throws(() => new (mx.Device as any)(mx.cpu, 1.5), {
      name: 'TypeError',
      message: /Device\(\): argument 'index'/,
    });
  });

  test('test_op_on_device', () => {
    const x = mx.array(1.0);
    const y = mx.array(1.0);
    const py = oracleEach(
      [
        'mx.add(mx.array(1.0), mx.array(1.0), stream=None).item()',
        'mx.add(mx.array(1.0), mx.array(1.0), stream=mx.default_device()).item()',
        'mx.add(mx.array(1.0), mx.array(1.0), stream=mx.cpu).item()',
        'mx.add(mx.array(1.0), mx.array(1.0), stream=mx.Device(mx.cpu)).item()',
      ],
      'x',
    );
    const a = mx.add(x, y, { stream: null });
    assert.equal(a.item(), py[0].value);
    assert.equal(mx.add(x, y, { stream: mx.defaultDevice() }).item(), py[1].value);
    assert.equal(mx.add(x, y, { stream: mx.cpu }).item(), py[2].value);
    assert.equal(mx.add(x, y, mx.cpu).item(), py[2].value);
    assert.equal(mx.add(x, y, new mx.Device(mx.cpu)).item(), py[3].value);
    if (mx.metal.isAvailable() || mx.cuda.isAvailable()) {
      assert.equal(mx.add(x, y, { stream: mx.gpu }).item(), a.item());
    }
  });
});

describe('availability and device information', () => {
  test('isAvailable and deviceCount for cpu and gpu equal Python', () => {
    const py = oracle<{ avail: boolean[]; count: number[] }>(
      'T = [mx.cpu, mx.gpu]\nout = {"avail": [mx.is_available(t) for t in T], "count": [mx.device_count(t) for t in T]}',
    );
    assert.deepEqual([mx.isAvailable(mx.cpu), mx.isAvailable(mx.gpu)], py.avail);
    assert.deepEqual([mx.isAvailable(new mx.Device(mx.cpu)), mx.isAvailable(new mx.Device(mx.gpu))], py.avail);
    assert.deepEqual([mx.deviceCount(mx.cpu), mx.deviceCount(mx.gpu)], py.count);
    assert.equal(mx.isAvailable(mx.cpu), true);
  });

  test('mx.cuda.isAvailable() and mx.metal.isAvailable() equal Python', () => {
    const py = oracle<[boolean, boolean]>('out = [mx.cuda.is_available(), mx.metal.is_available()]');
    assert.equal(mx.cuda.isAvailable(), py[0]);
    assert.equal(mx.metal.isAvailable(), py[1]);
    assert.equal(typeof mx.cuda.isAvailable(), 'boolean');
  });

  test('deviceInfo has the keys (and values) of Python device_info', () => {
    const py = oracle<{ cpu: Record<string, unknown>; gpu: Record<string, unknown>; dflt: Record<string, unknown> }>(
      'out = {"cpu": mx.device_info(mx.cpu), "gpu": mx.device_info(mx.Device(mx.gpu)), "dflt": mx.device_info()}',
    );
    const cpu = mx.deviceInfo(mx.cpu);
    assert.deepEqual(Object.keys(cpu).sort(), Object.keys(py.cpu).sort());
    assert.ok(Object.keys(cpu).length > 0);
    for (const k of Object.keys(py.cpu)) {
      if (typeof py.cpu[k] === 'string') assert.equal(cpu[k], py.cpu[k], `deviceInfo(cpu).${k}`);
    }
    assert.deepEqual(mx.deviceInfo(new mx.Device(mx.cpu)), cpu);
    assert.deepEqual(Object.keys(mx.deviceInfo()).sort(), Object.keys(py.dflt).sort());
    assert.deepEqual(Object.keys(mx.deviceInfo(mx.gpu)).sort(), Object.keys(py.gpu).sort());
  });
});

describe('TestStream', () => {
  test('test_stream', () => {
    const py = oracleEach(
      [
        'mx.default_stream(mx.gpu)',
        'mx.new_stream(mx.gpu)',
        'mx.new_thread_unsafe_stream(mx.gpu)',
        'mx.new_thread_local_stream(mx.gpu)',
      ],
      'repr(x)',
    );
    const s1 = mx.defaultStream(mx.defaultDevice());
    assert.ok(s1.device.equals(mx.defaultDevice()));

    const s2 = mx.newStream(mx.defaultDevice());
    assert.ok(s2.device.equals(mx.defaultDevice()));
    assert.ok(!s1.equals(s2));

    // gpu streams: throw exactly where Python raises.
    const gpu: Array<[string, () => unknown]> = [
      ['defaultStream(gpu)', () => mx.defaultStream(mx.gpu)],
      ['newStream(gpu)', () => mx.newStream(mx.gpu)],
      ['newThreadUnsafeStream(gpu)', () => mx.newThreadUnsafeStream(mx.gpu)],
      ['newThreadLocalStream(gpu)', () => mx.newThreadLocalStream(mx.gpu)],
    ];
    gpu.forEach(([name, f], i) => {
      const js = outcome(f);
      assert.equal(js.ok, py[i].ok, `${name}: js ${js.error?.message ?? 'ok'}, python ${py[i].error ?? 'ok'}`);
      if (js.ok) assert.equal(blankIndex(String(f())), blankIndex(py[i].value as string), name);
    });

    const sCpu = mx.defaultStream(mx.cpu);
    assert.ok(sCpu.device.equals(mx.cpu));
    const nCpu = mx.newStream(mx.cpu);
    assert.ok(nCpu.device.equals(mx.cpu));
  });

  test('Stream objects: class, repr, device, index, equality as in Python', () => {
    const py = oracleEach(
      [
        'repr(mx.default_stream(mx.cpu))',
        'repr(mx.new_stream(mx.cpu))',
        'repr(mx.new_thread_unsafe_stream(mx.cpu))',
        'repr(mx.new_thread_local_stream(mx.cpu))',
        'mx.default_stream(mx.cpu) == mx.default_stream(mx.cpu)',
        'mx.new_stream(mx.cpu) == mx.new_stream(mx.cpu)',
        'mx.new_thread_local_stream(mx.cpu) == mx.new_thread_local_stream(mx.cpu)',
        'mx.default_stream(mx.cpu) == mx.cpu',
        'mx.Stream()',
      ],
      'x',
    );
    const d = mx.defaultStream(mx.cpu);
    const s = mx.newStream(mx.cpu);
    const u = mx.newThreadUnsafeStream(mx.cpu);
    const t = mx.newThreadLocalStream(mx.cpu);
    assert.equal(blankIndex(String(d)), blankIndex(py[0].value as string));
    assert.equal(blankIndex(String(s)), blankIndex(py[1].value as string));
    assert.equal(blankIndex(String(u)), blankIndex(py[2].value as string));
    assert.equal(blankIndex(String(t)), blankIndex(py[3].value as string));
    assert.match(String(d), /^Stream\(Device\(cpu, 0\), \d+\)$/);
    assert.ok(String(t).startsWith('ThreadLocalStream('));
    for (const x of [d, s, u]) {
      assert.ok(x instanceof (mx.Stream as any));
      assert.ok(x.device instanceof (mx.Device as any));
      assert.equal(x.device.type, mx.cpu);
      assert.ok(Number.isInteger(x.index) && x.index >= 0);
      assert.equal(String(x), `Stream(${x.device}, ${x.index})`);
    }
    assert.ok(t instanceof (mx.ThreadLocalStream as any));
    assert.equal(t.device.type, mx.cpu);
    assert.equal(mx.defaultStream(mx.cpu).equals(mx.defaultStream(mx.cpu)), py[4].value);
    assert.equal(mx.newStream(mx.cpu).equals(mx.newStream(mx.cpu)), py[5].value);
    assert.equal(mx.newThreadLocalStream(mx.cpu).equals(mx.newThreadLocalStream(mx.cpu)), py[6].value);
    assert.equal(d.equals(mx.cpu), py[7].value);
    assert.ok(s.equals(s) && t.equals(t));
    assert.ok(!s.equals(d) && !u.equals(s) && !u.equals(d));
    assert.equal(new Set([d.index, s.index, u.index]).size, 3, 'new streams get new indices');
    assert.equal(py[8].ok, false);
    assert.throws(() => new (mx.Stream as any)(), TypeError);
  });

  test('test_op_on_stream', () => {
    const x = mx.array(1.0);
    const y = mx.array(1.0);
    const py = oracle<number[]>(
      `x = mx.array(1.0)
y = mx.array(1.0)
out = [mx.add(x, y, stream=mx.default_stream(mx.default_device())).item(),
       mx.add(x, y, stream=mx.default_stream(mx.cpu)).item(),
       mx.add(x, y, stream=mx.new_stream(mx.cpu)).item()]`,
    );
    const a = mx.add(x, y, { stream: mx.defaultStream(mx.defaultDevice()) });
    assert.equal(a.item(), py[0]);
    if (mx.metal.isAvailable() || mx.cuda.isAvailable()) {
      assert.equal(mx.add(x, y, { stream: mx.defaultStream(mx.gpu) }).item(), a.item());
      assert.equal(mx.add(x, y, { stream: mx.newStream(mx.gpu) }).item(), a.item());
    }
    assert.equal(mx.add(x, y, { stream: mx.defaultStream(mx.cpu) }).item(), py[1]);
    const sCpu = mx.newStream(mx.cpu);
    assert.equal(mx.add(x, y, { stream: sCpu }).item(), py[2]);
    assert.equal(mx.add(x, y, sCpu).item(), py[2]);
  });

  test('setDefaultStream makes the stream the default of its device; restore after', () => {
    const before = mx.defaultStream(mx.cpu);
    const s = mx.newStream(mx.cpu);
    assert.ok(!before.equals(s));
    try {
      mx.setDefaultStream(s);
      assert.ok(mx.defaultStream(mx.cpu).equals(s));
      assert.ok(mx.defaultStream(new mx.Device(mx.cpu)).equals(s));
      assert.deepEqual(mx.multiply(mx.array([1, 2, 3]), 2).tolist(), [2, 4, 6]);
    } finally {
      mx.setDefaultStream(before);
    }
    assert.ok(mx.defaultStream(mx.cpu).equals(before));
    assert.throws(() => any.setDefaultStream('x'), {
      name: 'TypeError',
      message: /setDefaultStream\(\): argument 'stream'/,
    });
  });

  test('synchronize with and without a stream', () => {
    const s = mx.newStream(mx.cpu);
    const t = mx.newThreadLocalStream(mx.cpu);
    const a = mx.add(mx.array([1, 2]), 1, { stream: s });
    const b = mx.multiply(mx.array([1, 2]), 3, t);
    mx.asyncEval(a, b);
    assert.equal(mx.synchronize(s), undefined);
    assert.equal(mx.synchronize({ stream: t }), undefined);
    assert.equal(mx.synchronize(), undefined);
    assert.equal(mx.synchronize(null), undefined);
    assert.equal(mx.synchronize(mx.cpu), undefined);
    assert.equal(mx.synchronize(mx.defaultStream(mx.cpu)), undefined);
    assert.deepEqual(a.tolist(), [2, 3]);
    assert.deepEqual(b.tolist(), [3, 6]);
    // Python: synchronize("x") is a TypeError.
    const py = oracleEach(['mx.synchronize("x")']);
    assert.match(py[0].error ?? '', /^TypeError/);
    assert.throws(() => any.synchronize('x'), { name: 'TypeError', message: /synchronize\(\): argument 'stream'/ });
  });

  test('newThreadLocalStream returns a ThreadLocalStream usable as a stream argument', () => {
    const t = mx.newThreadLocalStream(mx.cpu);
    assert.ok(String(t).startsWith('ThreadLocalStream('), String(t));
    assert.match(String(t), /^ThreadLocalStream\(Device\(cpu, 0\), \d+\)$/);
    assert.ok(t instanceof (mx.ThreadLocalStream as any));
    assert.ok(!(t instanceof (mx.Stream as any)));
    const x = mx.array([1, 2, 3]);
    assert.deepEqual(mx.add(x, 1, t).tolist(), [2, 3, 4]);
    assert.deepEqual(mx.add(x, 1, { stream: t }).tolist(), [2, 3, 4]);
    assert.equal(mx.sum(x, { stream: t }).item(), 6);
    assert.deepEqual(x.sum(0, false, t).item(), 6);
    // As a scoped default too.
    assert.deepEqual(
      mx.stream(t, () => mx.add(x, x).tolist()),
      [2, 4, 6],
    );
    mx.synchronize(t);
    // Made from a Device as well as from a DeviceType.
    assert.ok(String(mx.newThreadLocalStream(new mx.Device(mx.cpu))).startsWith('ThreadLocalStream('));
  });

  test('newThreadUnsafeStream returns a new Stream usable for ops', () => {
    const u = mx.newThreadUnsafeStream(mx.cpu);
    assert.ok(u instanceof (mx.Stream as any));
    assert.match(String(u), /^Stream\(Device\(cpu, 0\), \d+\)$/);
    assert.ok(!u.equals(mx.defaultStream(mx.cpu)));
    assert.equal(mx.add(2, 3, u).item(), 5);
    assert.equal(mx.add(2, 3, { stream: u }).item(), 5);
    assert.ok(mx.newThreadUnsafeStream(new mx.Device(mx.cpu)).device.equals(mx.cpu));
  });
});

describe('TestStreamContext', () => {
  test('test_stream_context', () => {
    const before = mx.defaultStream(mx.cpu);
    const s = mx.newStream(mx.cpu);
    const x = mx.array([1, 2]);

    // stream(s, fn): fn's result, s is the default during fn, restored after.
    let inside: Stream | undefined;
    const result = mx.stream(s, () => {
      inside = mx.defaultStream(mx.cpu);
      return mx.add(x, 10);
    });
    assert.ok(inside!.equals(s), `default inside was ${inside}`);
    assert.deepEqual(result.tolist(), [11, 12]);
    assert.equal(
      mx.stream(s, () => 42),
      42,
    );
    assert.ok(mx.defaultStream(mx.cpu).equals(before), 'restored after fn');

    // Also restored when fn throws, and the error comes through.
    const boom = new Error('boom');
    assert.throws(
      () =>
        mx.stream(s, () => {
          assert.ok(mx.defaultStream(mx.cpu).equals(s));
          throw boom;
        }),
      (e) => e === boom,
    );
    assert.ok(mx.defaultStream(mx.cpu).equals(before), 'restored after a throw');

    // Nested scopes restore level by level.
    const s2 = mx.newStream(mx.cpu);
    mx.stream(s, () => {
      mx.stream(s2, () => assert.ok(mx.defaultStream(mx.cpu).equals(s2)));
      assert.ok(mx.defaultStream(mx.cpu).equals(s));
    });
    assert.ok(mx.defaultStream(mx.cpu).equals(before));
  });

  test('the disposable form: ctx = mx.stream(s) ... ctx[Symbol.dispose]()', () => {
    const before = mx.defaultStream(mx.cpu);
    const s = mx.newStream(mx.cpu);
    const ctx = mx.stream(s);
    try {
      assert.ok(mx.defaultStream(mx.cpu).equals(s));
      assert.equal(mx.add(1, 2).item(), 3);
    } finally {
      ctx[Symbol.dispose]();
    }
    assert.ok(mx.defaultStream(mx.cpu).equals(before));
    // Leaving twice is harmless: the second exit does not restore anything else.
    const s2 = mx.newStream(mx.cpu);
    mx.setDefaultStream(s2);
    try {
      ctx[Symbol.dispose]();
      ctx.exit();
      assert.ok(mx.defaultStream(mx.cpu).equals(s2));
    } finally {
      mx.setDefaultStream(before);
    }
    // With mx.cpu: the device's default stream while open.
    const c = mx.stream(mx.cpu);
    try {
      assert.ok((mx.defaultDevice() as Device).equals(mx.cpu));
    } finally {
      c.exit();
    }
    assert.ok(mx.defaultStream(mx.cpu).equals(before));
  });

  test('test_device_context', () => {
    const device = mx.defaultDevice() as Device;
    const stream = mx.defaultStream(device);
    for (const d of [mx.cpu, new mx.Device(mx.cpu)] as StreamOrDevice[]) {
      const seen = mx.stream(d, () => [mx.defaultDevice() as Device, mx.defaultStream(mx.defaultDevice())] as const);
      assert.ok(seen[0].equals(mx.cpu), `default device inside mx.stream(${d})`);
      assert.ok(seen[1].device.equals(mx.cpu));
      assert.ok((mx.defaultDevice() as Device).equals(device), 'device restored');
      assert.ok(mx.defaultStream(device).equals(stream), 'stream restored');
    }
    // A gpu scope: entered where Python enters it, else Python's error, and
    // then fn never runs and the defaults stay.
    const py = oracleEach(['mx.stream(mx.gpu).__enter__()'], 'None');
    let ran = false;
    const js = outcome(() =>
      mx.stream(mx.gpu, () => {
        ran = true;
        assert.ok((mx.defaultDevice() as Device).equals(mx.gpu));
      }),
    );
    assert.equal(js.ok, py[0].ok, `mx.stream(gpu): js ${js.error?.message ?? 'ok'}, python ${py[0].error ?? 'ok'}`);
    assert.equal(ran, js.ok);
    if (!js.ok) assert.equal(js.error!.message, py[0].error!.replace(/^ValueError: /, ''));
    assert.ok((mx.defaultDevice() as Device).equals(device));
    assert.ok(mx.defaultStream(device).equals(stream));
  });

  test('a wrong scope argument throws and changes nothing (Python raises too)', () => {
    const py = oracleEach(['mx.stream("x")', 'mx.stream(None)'], 'None');
    assert.deepEqual(
      py.map((r) => r.ok),
      [false, false],
    );
    const before = mx.defaultStream(mx.cpu);
    let called = false;
    assert.throws(
      () =>
        mx.stream('x' as unknown as Stream, () => {
          called = true;
        }),
      TypeError,
    );
    assert.throws(() =>
      mx.stream(null as unknown as Stream, () => {
        called = true;
      }),
    );
    assert.equal(called, false);
    assert.ok(mx.defaultStream(mx.cpu).equals(before));
  });
});

// ---------------------------------------------------------------------------
// The `stream` argument of every op: a Stream, a ThreadLocalStream, a Device
// or a DeviceType, positionally or in the options object.

interface Sig {
  params?: Array<{ name: string; type: string; required: boolean }>;
  returns?: string;
  raw?: string;
}
const signatures = (native as unknown as { __signatures__: Record<string, Sig> }).__signatures__;
const opsWithStream = Object.entries(signatures)
  .filter(([name, s]) => !name.startsWith('_') && s.returns === 'array' && s.params?.some((p) => p.name === 'stream'))
  .map(([name, s]) => ({ name, params: s.params! }));

const M = mx.array([
  [1, 2],
  [3, 4],
]);

// The arguments of an op: its first case in test/helpers/op-cases.ts (a valid
// call). Ops with a variadic parameter (einsum's operands) take the stream
// only in the options object: no positional form for them.
function callArgs(op: { name: string; params: Array<{ name: string; type: string; required: boolean }> }) {
  const c = CASES_BY_OP.get(op.name)?.[0];
  if (!c) throw new Error(`no case for ${op.name} in test/helpers/op-cases.ts`);
  const cache = new Map<string, array>();
  const args = c.args.map((a) => buildArg(a, cache));
  const opts: Record<string, unknown> = Object.fromEntries(
    Object.entries(c.options ?? {}).map(([k, v]) => [k, buildArg(v, cache)]),
  );
  const required = c.options ? [...args, opts] : args;
  const streamAt = op.params.findIndex((p) => p.name === 'stream');
  const variadic = op.params.some((p) => (p as { rest?: boolean }).rest);
  const positional = variadic
    ? null
    : (stream: unknown) => {
        const out = [...args];
        for (let i = args.length; i < streamAt; i++) out.push(opts[op.params[i].name]);
        return [...out, stream];
      };
  return { required, positional, options: (stream: unknown) => [...args, { ...opts, stream }] };
}

/** The result of a call as comparable text: its values, or the error it throws. */
function resultOf(f: (...a: unknown[]) => unknown, args: unknown[]): string {
  try {
    const r = f(...args);
    const list = (v: unknown): unknown => (Array.isArray(v) ? v.map(list) : (v as array).tolist());
    return JSON.stringify(list(r), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
}

describe('the stream argument of every op', () => {
  test('the ops with a stream parameter are found', () => {
    const names = opsWithStream.map((o) => o.name);
    for (const n of ['add', 'sum', 'zeros', 'arange', 'matmul', 'astype', 'reshape', 'softmax', 'exp']) {
      assert.ok(names.includes(n), `${n} has a stream parameter`);
    }
  });

  test('every op accepts a Stream, ThreadLocalStream, Device or DeviceType, positionally and as an option', () => {
    const forms: Array<[string, StreamOrDevice | null | undefined]> = [
      ['new stream', mx.newStream(mx.cpu)],
      ['thread-unsafe stream', mx.newThreadUnsafeStream(mx.cpu)],
      ['thread-local stream', mx.newThreadLocalStream(mx.cpu)],
      ['default stream', mx.defaultStream(mx.cpu)],
      ['Device', new mx.Device(mx.cpu)],
      ['DeviceType', mx.cpu],
      ['null', null],
      ['undefined', undefined],
    ];
    const failures: string[] = [];
    for (const op of opsWithStream) {
      const f = (mx as unknown as Record<string, (...a: unknown[]) => array>)[op.name];
      const { required, positional, options } = callArgs(op);
      const expected = resultOf(f, required);
      for (const [label, s] of forms) {
        const calls: Array<[string, unknown[]]> = [['option', options(s)]];
        if (positional) calls.unshift(['positional', positional(s)]);
        for (const [how, args] of calls) {
          const got = resultOf(f, args);
          if (got !== expected)
            failures.push(
              `${op.name} with ${label} (${how}): ${got.split('\n')[0]}, without: ${expected.split('\n')[0]}`,
            );
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  test('the stream reaches every op: gpu streams behave as in Python (an error without a gpu backend)', () => {
    const forms: Array<[string, () => StreamOrDevice, string]> = [
      ['mx.gpu', () => mx.gpu, 'mx.gpu'],
      ['Device(gpu)', () => new mx.Device(mx.gpu), 'mx.Device(mx.gpu)'],
      ['newThreadLocalStream(gpu)', () => mx.newThreadLocalStream(mx.gpu), 'mx.new_thread_local_stream(mx.gpu)'],
    ];
    // Python runs each op's case with each gpu stream: most raise without a gpu
    // backend, the ops that make no new array (positive, real of a real array...) don't.
    const bind = new PyBindings();
    const py = pyEach(
      opsWithStream.flatMap((op) => forms.map(([, , src]) => bind.expr(CASES_BY_OP.get(op.name)![0], `stream=${src}`))),
      bind.inputs,
    );
    const failures: string[] = [];
    opsWithStream.forEach((op, k) => {
      const f = (mx as unknown as Record<string, (...a: unknown[]) => array>)[op.name];
      const { required, positional, options } = callArgs(op);
      const expected = resultOf(f, required);
      forms.forEach(([label, s], i) => {
        const r = py[k * forms.length + i];
        // Python's flatten binding drops its stream argument (so a gpu stream
        // goes unnoticed there); mlx-node passes it on, so it raises like every op.
        const droppedByPython = op.name === 'flatten';
        const want = isPyError(r) || droppedByPython ? (isPyError(r) ? r.message : undefined) : 'ok';
        if (want === undefined) {
          for (const args of [options(s())]) {
            if (!resultOf(f, args).startsWith('throws '))
              failures.push(`flatten with ${label}: the gpu stream was ignored`);
          }
          return;
        }
        const calls: Array<[string, unknown[]]> = [['option', options(s())]];
        if (positional) calls.unshift(['positional', positional(s())]);
        for (const [how, args] of calls) {
          const res = resultOf(f, args);
          const got =
            res === expected ? 'ok' : res.startsWith('throws ') ? res.slice('throws '.length) : `wrong result ${res}`;
          if (got !== want) failures.push(`${op.name} with ${label} (${how}): got ${got}, python: ${want}`);
        }
      });
    });
    assert.deepEqual(failures, []);
  });

  test('the forms the docs show', () => {
    const a = mx.array([1, 2, 3]);
    const b = mx.array([10, 20, 30]);
    const s = mx.newStream(mx.cpu);
    assert.deepEqual(mx.add(a, b, mx.cpu).tolist(), [11, 22, 33]);
    assert.deepEqual(mx.add(a, b, { stream: s }).tolist(), [11, 22, 33]);
    assert.equal(mx.sum(a, { stream: s }).item(), 6);
    assert.equal(mx.sum(a, 0, false, mx.cpu).item(), 6);
    assert.deepEqual(mx.sum(M, 1, true, s).tolist(), [[3], [7]]);
    assert.deepEqual(mx.sum(M, { axis: 0, stream: new mx.Device(mx.cpu) }).tolist(), [4, 6]);
    assert.deepEqual(mx.zeros([2], mx.int32, s).tolist(), [0, 0]);
    assert.deepEqual(mx.arange(0, 3, 1, mx.int32, mx.cpu).tolist(), [0, 1, 2]);
    assert.deepEqual(mx.transpose(M, null, s).tolist(), [
      [1, 3],
      [2, 4],
    ]);
    // Array methods pass it through too.
    assert.equal(a.sum(0, false, s).item(), 6);
    assert.equal(a.sum({ stream: mx.cpu }).item(), 6);
    assert.equal(a.astype(mx.float16, s).dtype, mx.float16);
    assert.deepEqual(M.reshape(4, { stream: s }).tolist(), [1, 2, 3, 4]);
    assert.deepEqual(M.transpose([1, 0], { stream: mx.cpu }).tolist(), [
      [1, 3],
      [2, 4],
    ]);
    // Python accepts the same kinds of stream= values with the same results.
    const py = oracle<number[]>(
      `a = mx.array([1, 2, 3]); b = mx.array([10, 20, 30]); s = mx.new_stream(mx.cpu)
out = [mx.add(a, b, stream=mx.cpu).tolist(), mx.sum(a, stream=s).item(), mx.sum(a, 0, False, stream=mx.Device(mx.cpu)).item()]`,
    );
    assert.deepEqual(py, [[11, 22, 33], 6, 6]);
  });

  test('a wrong stream argument throws a TypeError naming the function and "stream"', () => {
    const py = oracleEach([
      'mx.add(mx.array(1), mx.array(2), stream="cpu")',
      'mx.sum(mx.array([1]), stream="cpu")',
      'mx.zeros((2,), stream="cpu")',
      'mx.add(1, 2, stream=mx.float32)',
    ]);
    for (const r of py) assert.match(r.error ?? 'no error', /^TypeError/);
    const failures: string[] = [];
    for (const op of opsWithStream) {
      const f = (mx as unknown as Record<string, (...a: unknown[]) => unknown>)[op.name];
      const { positional, options } = callArgs(op);
      const want = new RegExp(`^${op.name}\\(\\): argument 'stream'`);
      for (const bad of ['cpu', mx.float32]) {
        const calls: Array<[string, unknown[]]> = [['option', options(bad)]];
        if (positional) calls.unshift(['positional', positional(bad)]);
        for (const [how, args] of calls) {
          const r = outcome(() => f(...args));
          if (r.ok) failures.push(`${op.name}(${how} ${String(bad)}) did not throw`);
          else if (!(r.error instanceof TypeError) || !want.test(r.error.message)) {
            failures.push(`${op.name}(${how} ${String(bad)}): ${r.error?.name}: ${r.error?.message}`);
          }
        }
      }
    }
    assert.deepEqual(failures, []);
    assert.throws(() => any.add(M, M, 'cpu'), { name: 'TypeError', message: /add\(\): argument 'stream'/ });
    assert.throws(() => any.sum(M, { stream: 'cpu' }), { name: 'TypeError', message: /sum\(\): argument 'stream'/ });
    assert.throws(() => (M as any).sum(0, false, 'cpu'), { name: 'TypeError', message: /sum\(\): argument 'stream'/ });
  });
});

// Port of python/tests/test_einsum.py (ml-explore/mlx v0.32.4).
//
// The numpy expectations (np.einsum, np.einsum_path) come from the oracle
// (Python mlx 0.32.4 + numpy) in ONE py() call for the file
// (helpers/oracle_batch.ts), made the first time a test reads a result. The
// mx.random.uniform inputs of the Python test are seeded uniform inputs that
// JS and the oracle build bit-identically.
//
// Differences from the Python file:
// - mx.full(shape, 1.0) is float32 in Python; a JS 1.0 is the integer 1 there
//   (int32), so the port gives mx.float32.
// - test_broadcasting returns right after its first mx.einsum call in Python;
//   the unreachable rest is left out, and the port asserts that call gives an
//   array.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { mx } from '../lib/index';
import type { array } from '../lib/index';
import { assertEqualArray } from './helpers/mlx_tests';
import { OracleBatch, lazy, uniform } from './helpers/oracle_batch';

const O = new OracleBatch();

/** An einsum case: the oracle computes np.einsum(subscripts, *operands) on the same operands. */
interface Case {
  subscripts: string;
  operands: () => array[];
  e: number;
}
function einsumCase(subscripts: string, operands: () => array[]): Case {
  const ops = lazy(operands);
  return { subscripts, operands: ops, e: O.expr('np.einsum(s, *ops)', () => ({ s: subscripts, ops: ops() })) };
}

// test_longer_paths
const LONGER_CHARS = 'abcdefghijklmopqABC';
const LONGER_SIZES = [2, 3, 4, 5, 4, 3, 2, 6, 5, 4, 3, 2, 5, 7, 4, 3, 2, 3, 4];
const LONGER_DIMS = Object.fromEntries([...LONGER_CHARS].map((c, i) => [c, LONGER_SIZES[i]]));
const LONGER_CASES = [
  'eb,cb,fb->cef',
  'dd,fb,be,cdb->cef',
  'dd,fb,be,cdb->cef',
  'bca,cdb,dbf,afc->',
  'dcc,fce,ea,dbf->ab',
  'dcc,fce,ea,dbf->ab',
].map((c) => {
  const shapes = c
    .slice(0, c.indexOf('->'))
    .split(',')
    .map((s) => [...s].map((ch) => LONGER_DIMS[ch]));
  return {
    c,
    shapes,
    e: O.expr('[list(p) for p in np.einsum_path(c, *[np.ones(s) for s in shapes])[0][1:]]', { c, shapes }),
  };
});

// test_simple_einsum
const arangeCase = (sub: string, shape: number[]) =>
  einsumCase(sub, () => [mx.arange(shape.reduce((a, b) => a * b, 1)).reshape(shape)]);
const SIMPLE_CASES = [
  arangeCase('ii->i', [4, 4]),
  arangeCase('iii->i', [2, 2, 2]),
  arangeCase('iijj->ij', [2, 2, 3, 3]),
  arangeCase('ijij->ij', [2, 3, 2, 3]),
  // Test some simple reductions
  arangeCase('ii', [2, 2]),
  arangeCase('ij->', [2, 4]),
  arangeCase('ij->i', [2, 4]),
  arangeCase('ij->j', [2, 4]),
  arangeCase('iii->', [2, 2, 2]),
  arangeCase('ijij->j', [2, 3, 2, 3]),
  // Test some simple transposes
  arangeCase('ij', [2, 4]),
  arangeCase('ij->ji', [2, 4]),
  arangeCase('ijk->jki', [2, 3, 4]),
];

// test_two_input_einsum
const fullCase = (sub: string, a: [number[], number], b: [number[], number]) =>
  einsumCase(sub, () => [mx.full(a[0], a[1], mx.float32), mx.full(b[0], b[1], mx.float32)]);
const TWO_INPUT_CASES = [
  // Matmul
  fullCase('ik,kj', [[2, 8], 1.0], [[8, 2], 1.0]),
  // Matmul + transpose
  fullCase('ik,kj->ji', [[2, 8], 1.0], [[8, 3], 1.0]),
  // Inner product
  fullCase('i,i', [[4], 1.0], [[4], 1.0]),
  // Outer product
  fullCase('i,j->ij', [[4], 0.5], [[6], 2.0]),
  // Elementwise multiply
  fullCase('ij,ij->ij', [[2, 8], 1.0], [[2, 8], 1.0]),
  // Medley
  fullCase('abcd,fgda->bfca', [[2, 8, 3, 5], 1.0], [[3, 7, 5, 2], 1.0]),
];

// test_sum_first
const SUM_FIRST = fullCase('ab,bc->c', [[5, 8], 1.0], [[8, 2], 1.0]);

// test_attention: mx.random.uniform(shape=(2, 3, 4, 5)) for q, k, v
const ATT_Q = uniform(300, [2, 3, 4, 5]);
const ATT_K = uniform(301, [2, 3, 4, 5]);
const ATT_V = uniform(302, [2, 3, 4, 5]);
const E_ATTENTION = O.exec(
  `
s = np.einsum("itjk,iujk->ijtu", q, k)
r = np.einsum("ijtu,iujk->itjk", s, v)
`,
  { q: ATT_Q, k: ATT_K, v: ATT_V },
);

// test_multi_input_einsum
const MULTI = lazy(() => mx.ones([3, 4, 5]));
const E_MULTI = O.expr('np.einsum("ijk,lmk,ijf->lf", a, a, a)', () => ({ a: MULTI() }));

// test_opt_einsum_test_cases
const OPT_TESTS = [
  // Test hadamard-like products
  'a,ab,abc->abc',
  'a,b,ab->ab',
  // Test index-transformations
  'ea,fb,gc,hd,abcd->efgh',
  'ea,fb,abcd,gc,hd->efgh',
  'abcd,ea,fb,gc,hd->efgh',
  // Test complex contractions
  'acdf,jbje,gihb,hfac,gfac,gifabc,hfac',
  'cd,bdhe,aidb,hgca,gc,hgibcd,hgac',
  'abhe,hidj,jgba,hiab,gab',
  'bde,cdh,agdb,hica,ibd,hgicd,hiac',
  'chd,bde,agbc,hiad,hgc,hgi,hiad',
  'chd,bde,agbc,hiad,bdi,cgh,agdb',
  'bdhe,acad,hiab,agac,hibd',
  // Test collapse
  'ab,ab,c->',
  'ab,ab,c->c',
  'ab,ab,cd,cd->',
  'ab,ab,cd,cd->ac',
  'ab,ab,cd,cd->cd',
  'ab,ab,cd,cd,ef,ef->',
  // Test outer prodcuts
  'ab,cd,ef->abcdef',
  'ab,cd,ef->acdf',
  'ab,cd,de->abcde',
  'ab,cd,de->be',
  'ab,bcd,cd->abcd',
  'ab,bcd,cd->abd',
  // Random test cases that have previously failed
  'eb,cb,fb->cef',
  'dd,fb,be,cdb->cef',
  'bca,cdb,dbf,afc->',
  'dcc,fce,ea,dbf->ab',
  'fdf,cdd,ccd,afe->ae',
  'abcd,ad',
  'ed,fcd,ff,bcf->be',
  'baa,dcf,af,cde->be',
  'bd,db,eac->ace',
  'fff,fae,bef,def->abd',
  'efc,dbc,acf,fd->abe',
  // Inner products
  'ab,ab',
  'ab,ba',
  'abc,abc',
  'abc,bac',
  'abc,cba',
  // GEMM test cases
  'ab,bc',
  'ab,cb',
  'ba,bc',
  'ba,cb',
  'abcd,cd',
  'abcd,ab',
  'abcd,cdef',
  'abcd,cdef->feba',
  'abcd,efdc',
  // Inner then dot
  'aab,bc->ac',
  'ab,bcc->ac',
  'aab,bcc->ac',
  'baa,bcc->ac',
  'aab,ccb->ac',
  // Randomly build test caes
  'aab,fa,df,ecc->bde',
  'ecb,fef,bad,ed->ac',
  'bcf,bbb,fbf,fc->',
  'bb,ff,be->e',
  'bcb,bb,fc,fff->',
  'fbb,dfd,fc,fc->',
  'afd,ba,cc,dc->bf',
  'adb,bc,fa,cfc->d',
  'bbd,bda,fc,db->acf',
  'dba,ead,cad->bce',
  'aef,fbc,dca->bde',
];

const SIZE_DICT = Object.fromEntries([...'abcdefghij'].map((c, i) => [c, [2, 3, 4, 5, 2, 3, 4, 5, 2, 3][i]]));
let seed = 1000;
/** inputs_for_case: mx.random.uniform(shape=...) for each operand of the case. */
function inputsForCase(testCase: string): array[] {
  return testCase
    .split('->')[0]
    .split(',')
    .map(
      (inp) =>
        uniform(
          seed++,
          [...inp].map((c) => SIZE_DICT[c]),
        ).mx,
    );
}

const OPT_CASES = OPT_TESTS.map((t) => einsumCase(t, () => inputsForCase(t)));

// test_ellipses
const ELLIPSES_TESTS: Array<[string, string]> = [
  ['abc->ab', '...c->...'],
  ['abcd->ad', 'a...d->...'],
  ['abij,abgj->abig', '...ij,...gj->...ig'],
  ['abij,abgj->abig', '...ij,...gj->...'],
  ['abhh->abh', '...hh->...h'],
  ['abhh->abh', '...hh->...h'],
  ['bch,abcj->abchj', '...h,...j->...hj'],
  ['bc,cd->bd', '...c,cd'],
  ['abc,acd->bd', '...bc,...cd'],
  ['abcd,c->abd', '...cd,c'],
  ['abcd,c->abd', '...cd,c...'],
  ['abcd,c->abd', '...cd,c...->d...'],
  ['abc,b->abc', 'ab...,b...->ab...'],
  ['abc,b->abc', 'ab...,...b->ab...'],
  ['abc,b->abc', 'ab...,b->ab...'],
  ['ab,bc->ac', 'ab...,b...->a...'],
  ['ab,bc->ac', 'ab...,...bc->a...c'],
  ['ab,bc->ac', 'ab,b...->a...'],
  ['abcdef,defg->abcg', '...def,defg->...g'],
];
const ELLIPSES_CASES = ELLIPSES_TESTS.map(([shapes, sub]) => einsumCase(sub, () => inputsForCase(shapes)));

// ---------------------------------------------------------------------------

function checkEqual(cases: Case[]): void {
  for (const { subscripts, operands, e } of cases) {
    const a_np = O.get(e);
    const a_mx = mx.einsum(subscripts, ...operands());
    assertEqualArray(a_mx, a_np, { atol: 0, rtol: 0, dtype: false, msg: subscripts });
  }
}

describe('TestEinsum', () => {
  test('test_simple_path', () => {
    let a = mx.zeros([5, 5]);
    let path = mx.einsumPath('ii', a);
    assert.deepEqual(path[0], [[0]]);

    path = mx.einsumPath('ij->i', a);
    assert.deepEqual(path[0], [[0]]);

    path = mx.einsumPath('ii->i', a);
    assert.deepEqual(path[0], [[0]]);

    a = mx.zeros([5, 8]);
    let b = mx.zeros([8, 3]);
    path = mx.einsumPath('ij,jk', a, b);
    assert.deepEqual(path[0], [[0, 1]]);
    path = mx.einsumPath('ij,jk -> ijk', a, b);
    assert.deepEqual(path[0], [[0, 1]]);

    a = mx.zeros([5, 8]);
    b = mx.zeros([8, 3]);
    let c = mx.zeros([3, 7]);
    path = mx.einsumPath('ij,jk,kl', a, b, c);

    assert.deepEqual(path[0], [
      [0, 1],
      [0, 1],
    ]);

    a = mx.zeros([5, 8]);
    b = mx.zeros([8, 10]);
    c = mx.zeros([10, 7]);
    path = mx.einsumPath('ij,jk,kl', a, b, c);
    assert.deepEqual(path[0], [
      [1, 2],
      [0, 1],
    ]);
  });

  test('test_longer_paths', () => {
    for (const { c, shapes, e } of LONGER_CASES) {
      const np_path = O.get<number[][]>(e);
      const inputs = shapes.map((s) => mx.ones(s, { dtype: mx.float64 }));
      const mx_path = mx.einsumPath(c, ...inputs);
      assert.deepEqual(mx_path[0], np_path, c);
    }
  });

  test('test_simple_einsum', () => {
    checkEqual(SIMPLE_CASES);
  });

  test('test_two_input_einsum', () => {
    checkEqual(TWO_INPUT_CASES);
  });

  test('test_sum_first', () => {
    checkEqual([SUM_FIRST]);
  });

  test('test_broadcasting', () => {
    const a = mx.full([5, 1], 1.0, mx.float32);
    const b = mx.full([8, 2], 1.0, mx.float32);
    const a_mx = mx.einsum('ab,bc->c', a, b);
    mx.eval(a_mx);
    assert.ok(a_mx instanceof mx.array);
    // (Python returns here; the rest of the test is unreachable.)
  });

  test('test_attention', () => {
    const [q, k, v] = [ATT_Q.mx, ATT_K.mx, ATT_V.mx];

    const s = mx.einsum('itjk,iujk->ijtu', q, k);
    const out_mx = mx.einsum('ijtu,iujk->itjk', s, v);

    const out_np = O.get(E_ATTENTION);
    assertEqualArray(out_mx, out_np, { atol: 1e-8, rtol: 1e-5, dtype: false });
  });

  test('test_multi_input_einsum', () => {
    const a = MULTI();
    const out_mx = mx.einsum('ijk,lmk,ijf->lf', a, a, a);
    const out_np = O.get(E_MULTI);
    assertEqualArray(out_mx, out_np, { atol: 1e-8, rtol: 1e-5, dtype: false });
  });

  test('test_opt_einsum_test_cases', () => {
    // Test cases from
    // https://github.com/dgasmith/opt_einsum/blob/c826bb7df16f470a69f7bf90598fc27586209d11/opt_einsum/tests/test_contract.py#L11
    for (const { subscripts, operands, e } of OPT_CASES) {
      const np_out = O.get(e);
      const mx_out = mx.einsum(subscripts, ...operands());
      assertEqualArray(mx_out, np_out, { atol: 1e-4, rtol: 1e-4, dtype: false, msg: subscripts });
    }
  });

  test('test_ellipses', () => {
    for (const { subscripts, operands, e } of ELLIPSES_CASES) {
      const np_out = O.get(e);
      const mx_out = mx.einsum(subscripts, ...operands());
      assertEqualArray(mx_out, np_out, { atol: 1e-4, rtol: 1e-4, dtype: false, msg: subscripts });
    }

    const error_tests: Array<[string, string]> = [['abc,abc->ab', 'a...b...c,a...b...c->abc']];
    for (const [shapes, sub] of error_tests) {
      const inputs = inputsForCase(shapes);
      assert.throws(() => mx.einsum(sub, ...inputs), Error, sub);
    }
  });
});

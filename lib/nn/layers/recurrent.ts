// Port of mlx/nn/layers/recurrent.py: RNN, GRU, LSTM.
import { core as mx } from '../../core';
import type { array } from '../../core';
import { pyArgs } from '../../args';
import type { PyRest } from '../../args';
import { tanh } from './activations';
import { Module } from './base';
import { pyBool } from './helpers';

// Python shows a function as <function name at 0x...>; JS has no addresses.
const fnRepr = (f: (...a: any[]) => unknown): string => `<function ${f.name || '<lambda>'}>`;

/**
 * An Elman recurrent layer: h_{t+1} = nonlinearity(W_ih x_t + W_hh h_t + b)
 * over the sequence axis of an NLD or LD input; returns the hidden state at
 * each step (NLH or LH).
 */
export class RNN extends Module {
  nonlinearity: (x: array) => array;
  hiddenSize: number;
  Wxh: array;
  Whh: array;
  declare bias?: array;

  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest: PyRest<
      [bias?: boolean, nonlinearity?: ((x: array) => array) | null],
      { bias?: boolean; nonlinearity?: ((x: array) => array) | null }
    >
  ) {
    super();
    const o = pyArgs('RNN', rest, ['bias', 'nonlinearity'], {
      bias: true,
      nonlinearity: null as ((x: array) => array) | null,
    });

    this.nonlinearity = (o.nonlinearity || tanh) as (x: array) => array;
    if (typeof this.nonlinearity !== 'function') {
      throw new Error(`Nonlinearity must be callable. Current value: ${String(o.nonlinearity)}.`);
    }

    const scale = 1.0 / Math.sqrt(hiddenSize);
    this.hiddenSize = hiddenSize;
    this.Wxh = mx.random.uniform(-scale, scale, [hiddenSize, inputSize]);
    this.Whh = mx.random.uniform(-scale, scale, [hiddenSize, hiddenSize]);
    if (o.bias) this.bias = mx.random.uniform(-scale, scale, [hiddenSize]);
  }

  protected override extraRepr(): string {
    return (
      `input_dims=${this.Wxh.shape[1]}, ` +
      `hidden_size=${this.hiddenSize}, ` +
      `nonlinearity=${fnRepr(this.nonlinearity)}, bias=${pyBool(this.bias !== undefined)}`
    );
  }

  forward(x: array, ...rest: PyRest<[hidden?: array | null], { hidden?: array | null }>): array {
    let { hidden } = pyArgs('RNN.forward', rest, ['hidden'], { hidden: null as array | null });
    if (this.bias !== undefined) x = mx.addmm(this.bias, x, this.Wxh.T);
    else x = mx.matmul(x, this.Wxh.T);

    const allHidden: array[] = [];
    const steps = x.shape[x.ndim - 2];
    for (let idx = 0; idx < steps; idx++) {
      if (hidden !== null) hidden = mx.addmm(x.index('...', idx, ':'), hidden, this.Whh.T);
      else hidden = x.index('...', idx, ':');
      hidden = this.nonlinearity(hidden);
      allHidden.push(hidden);
    }

    return mx.stack(allHidden, -2);
  }
}

/**
 * A gated recurrent unit (GRU) layer over the sequence axis of an NLD or LD
 * input; returns the hidden state at each step (NLH or LH).
 */
export class GRU extends Module {
  hiddenSize: number;
  Wx: array;
  Wh: array;
  declare b?: array;
  declare bhn?: array;

  constructor(inputSize: number, hiddenSize: number, ...rest: PyRest<[bias?: boolean], { bias?: boolean }>) {
    super();
    const { bias } = pyArgs('GRU', rest, ['bias'], { bias: true });

    this.hiddenSize = hiddenSize;
    const scale = 1.0 / Math.sqrt(hiddenSize);
    this.Wx = mx.random.uniform(-scale, scale, [3 * hiddenSize, inputSize]);
    this.Wh = mx.random.uniform(-scale, scale, [3 * hiddenSize, hiddenSize]);
    if (bias) this.b = mx.random.uniform(-scale, scale, [3 * hiddenSize]);
    if (bias) this.bhn = mx.random.uniform(-scale, scale, [hiddenSize]);
  }

  protected override extraRepr(): string {
    return `input_dims=${this.Wx.shape[1]}, hidden_size=${this.hiddenSize}, bias=${pyBool(this.b !== undefined)}`;
  }

  forward(x: array, ...rest: PyRest<[hidden?: array | null], { hidden?: array | null }>): array {
    let { hidden } = pyArgs('GRU.forward', rest, ['hidden'], { hidden: null as array | null });
    if (this.b !== undefined) x = mx.addmm(this.b, x, this.Wx.T);
    else x = mx.matmul(x, this.Wx.T);

    const H = this.hiddenSize;
    const xRz = x.index('...', `:${-H}`);
    const xN = x.index('...', `${-H}:`);

    const allHidden: array[] = [];

    const steps = x.shape[x.ndim - 2];
    for (let idx = 0; idx < steps; idx++) {
      let rz = xRz.index('...', idx, ':');
      let hProjN: array | undefined;
      if (hidden !== null) {
        const hProj = mx.matmul(hidden, this.Wh.T);
        const hProjRz = hProj.index('...', `:${-H}`);
        hProjN = hProj.index('...', `${-H}:`);

        if (this.bhn !== undefined) hProjN = mx.add(hProjN, this.bhn);

        rz = mx.add(rz, hProjRz);
      }

      rz = mx.sigmoid(rz);

      const [r, z] = mx.split(rz, 2, -1);

      let n = xN.index('...', idx, ':');

      if (hidden !== null) n = mx.add(n, mx.multiply(r, hProjN!));
      else if (this.bhn !== undefined) n = mx.add(n, mx.multiply(r, this.bhn));
      n = mx.tanh(n);

      if (hidden !== null) hidden = mx.add(mx.multiply(mx.subtract(1, z), n), mx.multiply(z, hidden));
      else hidden = mx.multiply(mx.subtract(1, z), n);

      allHidden.push(hidden);
    }

    return mx.stack(allHidden, -2);
  }
}

/**
 * An LSTM layer over the sequence axis of an NLD or LD input; returns
 * [hidden states, cell states] at each step (each NLH or LH).
 */
export class LSTM extends Module {
  hiddenSize: number;
  Wx: array;
  Wh: array;
  declare bias?: array;

  constructor(inputSize: number, hiddenSize: number, ...rest: PyRest<[bias?: boolean], { bias?: boolean }>) {
    super();
    const { bias } = pyArgs('LSTM', rest, ['bias'], { bias: true });

    this.hiddenSize = hiddenSize;
    const scale = 1.0 / Math.sqrt(hiddenSize);
    this.Wx = mx.random.uniform(-scale, scale, [4 * hiddenSize, inputSize]);
    this.Wh = mx.random.uniform(-scale, scale, [4 * hiddenSize, hiddenSize]);
    if (bias) this.bias = mx.random.uniform(-scale, scale, [4 * hiddenSize]);
  }

  protected override extraRepr(): string {
    return `input_dims=${this.Wx.shape[1]}, hidden_size=${this.hiddenSize}, bias=${pyBool(this.bias !== undefined)}`;
  }

  forward(
    x: array,
    ...rest: PyRest<[hidden?: array | null, cell?: array | null], { hidden?: array | null; cell?: array | null }>
  ): [array, array] {
    let { hidden, cell } = pyArgs('LSTM.forward', rest, ['hidden', 'cell'], {
      hidden: null as array | null,
      cell: null as array | null,
    });
    if (this.bias !== undefined) x = mx.addmm(this.bias, x, this.Wx.T);
    else x = mx.matmul(x, this.Wx.T);

    const allHidden: array[] = [];
    const allCell: array[] = [];

    const steps = x.shape[x.ndim - 2];
    for (let idx = 0; idx < steps; idx++) {
      let ifgo = x.index('...', idx, ':');
      if (hidden !== null) ifgo = mx.addmm(ifgo, hidden, this.Wh.T);
      let [i, f, g, o] = mx.split(ifgo, 4, -1);

      i = mx.sigmoid(i);
      f = mx.sigmoid(f);
      g = mx.tanh(g);
      o = mx.sigmoid(o);

      if (cell !== null) cell = mx.add(mx.multiply(f, cell), mx.multiply(i, g));
      else cell = mx.multiply(i, g);
      hidden = mx.multiply(o, mx.tanh(cell));

      allCell.push(cell);
      allHidden.push(hidden);
    }

    return [mx.stack(allHidden, -2), mx.stack(allCell, -2)];
  }
}

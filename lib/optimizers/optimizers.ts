// Port of mlx/optimizers/optimizers.py: the Optimizer base (which walks the
// parameter trees, so a subclass writes only initSingle/applySingle) and every
// optimizer of Python's mlx.optimizers, with the same arithmetic in the same
// order, so that trajectories equal Python's.
import { core as mx } from '../core';
import type { array } from '../core';
import { pyArgs } from '../args';
import { isPlainObject } from '../trees';
import { treeFlatten, treeMap, treeMerge, treeReduce, treeUnflatten } from '../utils';
import type { Module } from '../nn/layers/base';

/** A value or a schedule: step (a uint64 scalar array) → value. */
export type Schedulable = number | array | ((step: array) => array | number);
/** A per-parameter optimizer state (Python's state dict). */
export type ParamState = Record<string, array>;

const isEmpty = (s: unknown) => isPlainObject(s) && Object.keys(s).length === 0;

export abstract class Optimizer {
  protected _initialized = false;
  protected _state: Record<string, any>;
  protected _schedulers: Record<string, (step: array) => array>;

  constructor(schedulers?: Record<string, (step: array) => array> | null) {
    this._state = { step: mx.array(0, mx.uint64) };
    this._schedulers = { ...(schedulers ?? {}) };
  }

  /**
   * Apply the gradients to the model's parameters and update the model with
   * them. The model may also be a plain object of parameters (Python's dict),
   * updated in place.
   */
  update(model: Module | Record<string, any>, gradients: Record<string, any>): void {
    const updated = this.applyGradients(gradients, model);
    if (typeof (model as Module).update === 'function') (model as Module).update(updated);
    else Object.assign(model, updated);
  }

  /** Initialize the state for a tree of parameters (optional: the first update does it). */
  init(parameters: any): void {
    const updateState = (params: any, state: any): any => {
      if (Array.isArray(params)) {
        const s = [...state];
        for (let i = 0; i < s.length; i++) s[i] = updateState(params[i], s[i]);
        if (s.length !== params.length) s.push(...treeMap(() => ({}), params.slice(s.length)));
        return s;
      }
      if (isPlainObject(params)) {
        for (const [k, v] of Object.entries(params)) {
          if (!(k in state)) state[k] = treeMap(() => ({}), v);
          else state[k] = updateState(v, state[k]);
        }
        return state;
      }
      return state;
    };
    updateState(parameters, this._state);
    treeMap((p: array, s: ParamState) => (isEmpty(s) ? this.initSingle(p, s) : s), parameters, this._state);
    this._initialized = true;
  }

  /** Set up the state of one parameter (subclasses). */
  abstract initSingle(parameter: array, state: ParamState): void;

  /**
   * Apply the gradients to the parameters and return the updated parameters
   * (shaped like the gradients; `parameters` may be a superset, or a module).
   */
  applyGradients(gradients: Record<string, any>, parameters: any): Record<string, any> {
    if (!this._initialized) this.init(gradients);
    for (const [name, scheduler] of Object.entries(this._schedulers)) this.state[name] = scheduler(this.step);
    this.state.step = mx.add(this.step, 1);
    return treeMap(
      (g: array, p: array, s: ParamState) => this.applySingle(g, p, s),
      gradients,
      moduleTree(parameters),
      this.state,
    );
  }

  /** The update of one parameter (subclasses); may update `state`. */
  abstract applySingle(gradient: array, parameter: array, state: ParamState): array;

  /** The optimizer's state: {step, learningRate..., per-parameter states}. Setting it re-initializes. */
  get state(): Record<string, any> {
    return this._state;
  }
  set state(state: Record<string, any>) {
    this._initialized = false;
    this._state = state;
  }

  /** The number of updates so far (a uint64 scalar array). */
  get step(): array {
    return this.state.step;
  }

  get learningRate(): array {
    return this.state.learning_rate;
  }
  set learningRate(learningRate: number | array) {
    this.state.learning_rate = mx.array(learningRate);
  }

  /** Keep a parameter on a schedule, or as a fixed value (Python's _maybe_schedule). */
  protected maybeSchedule(name: string, param: Schedulable): void {
    let value: array;
    if (typeof param === 'function') {
      const schedule = (step: array) => {
        const v = param(step);
        return typeof v === 'number' ? mx.array(v) : v;
      };
      this._schedulers[name] = schedule;
      value = schedule(this.step);
    } else {
      value = mx.array(param);
    }
    this.state[name] = value;
  }
}

// Python walks a module as the dict it is: its parameters() tree is the same
// structure (the leaves the gradients have).
function moduleTree(parameters: any): any {
  return parameters !== null &&
    typeof parameters === 'object' &&
    typeof parameters.parameters === 'function' &&
    typeof parameters.forward === 'function'
    ? parameters.parameters()
    : parameters;
}

/**
 * Several optimizers, each for the parameters its filter (path, array) → boolean
 * selects; the last one takes the rest.
 */
export class MultiOptimizer extends Optimizer {
  optimizers: Optimizer[];
  filters: Array<(path: string, g: array) => boolean>;

  constructor(optimizers: Optimizer[], filters: Array<(path: string, g: array) => boolean> = []) {
    super();
    this._state = {};
    if (filters.length !== optimizers.length - 1) {
      throw new Error(`Given ${filters.length} filters but ${optimizers.length - 1} needed.`);
    }
    this.optimizers = optimizers;
    this.filters = [...filters, () => true];
  }

  private splitDictionary(gradients: any): any[] {
    if (this.optimizers.length === 1) return [gradients];
    const parts: Array<Array<[string, array]>> = this.optimizers.map(() => []);
    for (const [k, g] of treeFlatten(gradients) as Array<[string, array]>) {
      const i = this.filters.findIndex((fn) => fn(k, g));
      parts[i].push([k, g]);
    }
    return parts.map((p) => (p.length ? treeUnflatten(p) : {}));
  }

  override init(parameters: any): void {
    const parts = this.splitDictionary(parameters);
    this.optimizers.forEach((o, i) => o.init(parts[i]));
  }

  override applyGradients(gradients: Record<string, any>, parameters: any): Record<string, any> {
    let tree: Record<string, any> = {};
    const parts = this.splitDictionary(gradients);
    this.optimizers.forEach((o, i) => {
      tree = treeMerge(tree, o.applyGradients(parts[i], parameters));
    });
    return tree;
  }

  override get state(): Record<string, any> {
    return { states: this.optimizers.map((o) => o.state) };
  }
  override set state(state: Record<string, any>) {
    if (!state || !Array.isArray(state.states) || state.states.length !== this.optimizers.length) {
      throw new Error('Invalid state provided');
    }
    this.optimizers.forEach((o, i) => {
      o.state = state.states[i];
    });
  }

  override get learningRate(): array {
    return this.optimizers[0].learningRate;
  }
  override set learningRate(learningRate: number | array) {
    for (const o of this.optimizers) o.learningRate = learningRate;
  }

  initSingle(): void {}
  applySingle(gradient: array): array {
    return gradient;
  }
}

/** Stochastic gradient descent with momentum, weight decay, dampening and Nesterov momentum. */
export class SGD extends Optimizer {
  momentum: number;
  weightDecay: number;
  dampening: number;
  nesterov: boolean;

  constructor(
    learningRate: Schedulable,
    ...rest:
      | [momentum?: number, weightDecay?: number, dampening?: number, nesterov?: boolean]
      | [options: { momentum?: number; weightDecay?: number; dampening?: number; nesterov?: boolean }]
  ) {
    const o = pyArgs('SGD', rest, ['momentum', 'weightDecay', 'dampening', 'nesterov'], {
      momentum: 0.0,
      weightDecay: 0.0,
      dampening: 0.0,
      nesterov: false,
    });
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new Error('Nesterov momentum requires a momentum and zero dampening.');
    }
    super();
    this.maybeSchedule('learning_rate', learningRate);
    this.momentum = o.momentum;
    this.weightDecay = o.weightDecay;
    this.dampening = o.dampening;
    this.nesterov = o.nesterov;
  }

  initSingle(parameter: array, state: ParamState): void {
    state.v = mx.zerosLike(parameter);
  }

  applySingle(gradient: array, parameter: array, state: ParamState): array {
    if (this.weightDecay !== 0) gradient = mx.add(gradient, mx.multiply(this.weightDecay, parameter));
    if (this.momentum <= 0)
      return mx.subtract(parameter, mx.multiply(this.learningRate.astype(gradient.dtype), gradient));
    let v = mx.multiply(this.momentum, state.v);
    if (this.dampening > 0) v = mx.add(v, mx.multiply(1 - this.dampening, gradient));
    else v = mx.add(v, gradient);
    const update = this.nesterov ? mx.add(gradient, mx.multiply(this.momentum, v)) : v;
    state.v = v;
    return mx.subtract(parameter, mx.multiply(this.learningRate.astype(gradient.dtype), update));
  }
}

/** RMSprop: v = alpha v + (1 - alpha) g^2; w -= lr g / (sqrt(v) + eps). */
export class RMSprop extends Optimizer {
  alpha: number;
  eps: number;

  constructor(
    learningRate: Schedulable,
    ...rest: [alpha?: number, eps?: number] | [options: { alpha?: number; eps?: number }]
  ) {
    super();
    const o = pyArgs('RMSprop', rest, ['alpha', 'eps'], { alpha: 0.99, eps: 1e-8 });
    this.maybeSchedule('learning_rate', learningRate);
    this.alpha = o.alpha;
    this.eps = o.eps;
    if (this.alpha < 0.0) throw new Error(`RMSprop alpha should be >=0, ${this.alpha} was provided instead`);
    if (this.eps <= 0.0) throw new Error(`RMSprop epsilon should be >0, ${this.eps} was provided instead`);
  }

  initSingle(parameter: array, state: ParamState): void {
    state.v = mx.zerosLike(parameter);
  }

  applySingle(gradient: array, parameter: array, state: ParamState): array {
    const lr = this.learningRate.astype(gradient.dtype);
    const v = mx.add(mx.multiply(this.alpha, state.v), mx.multiply(1 - this.alpha, mx.square(gradient)));
    state.v = v;
    return mx.subtract(parameter, mx.divide(mx.multiply(lr, gradient), mx.add(mx.sqrt(v), this.eps)));
  }
}

/** Adagrad: v += g^2; w -= lr g / (sqrt(v) + eps). */
export class Adagrad extends Optimizer {
  eps: number;

  constructor(learningRate: Schedulable, ...rest: [eps?: number] | [options: { eps?: number }]) {
    super();
    const o = pyArgs('Adagrad', rest, ['eps'], { eps: 1e-8 });
    this.maybeSchedule('learning_rate', learningRate);
    this.eps = o.eps;
    if (this.eps <= 0.0) throw new Error(`Adagrad epsilon should be >0, ${this.eps} was provided instead`);
  }

  initSingle(parameter: array, state: ParamState): void {
    state.v = mx.zerosLike(parameter);
  }

  applySingle(gradient: array, parameter: array, state: ParamState): array {
    const lr = this.learningRate.astype(gradient.dtype);
    const v = mx.add(state.v, mx.square(gradient));
    state.v = v;
    return mx.subtract(parameter, mx.divide(mx.multiply(lr, gradient), mx.add(mx.sqrt(v), this.eps)));
  }
}

/** AdaDelta with a learning rate. */
export class AdaDelta extends Optimizer {
  rho: number;
  eps: number;

  constructor(
    learningRate: Schedulable,
    ...rest: [rho?: number, eps?: number] | [options: { rho?: number; eps?: number }]
  ) {
    super();
    const o = pyArgs('AdaDelta', rest, ['rho', 'eps'], { rho: 0.9, eps: 1e-6 });
    this.maybeSchedule('learning_rate', learningRate);
    this.rho = o.rho;
    this.eps = o.eps;
    if (this.rho < 0.0) throw new Error(`AdaDelta rho should be >=0, ${this.rho} was provided instead`);
    if (this.eps <= 0.0) throw new Error(`AdaDelta epsilon should be >0, ${this.eps} was provided instead`);
  }

  initSingle(parameter: array, state: ParamState): void {
    state.v = mx.zerosLike(parameter);
    state.u = mx.zerosLike(parameter);
  }

  applySingle(gradient: array, parameter: array, state: ParamState): array {
    const lr = this.learningRate.astype(gradient.dtype);
    const { rho, eps } = this;
    const v = mx.add(mx.multiply(rho, state.v), mx.multiply(1 - rho, mx.square(gradient)));
    const d = mx.multiply(mx.divide(mx.sqrt(mx.add(state.u, eps)), mx.sqrt(mx.add(v, eps))), gradient);
    const u = mx.add(mx.multiply(rho, state.u), mx.multiply(1 - rho, mx.square(d)));
    state.v = v;
    state.u = u;
    return mx.subtract(parameter, mx.multiply(lr, d));
  }
}

export type AdamOptions = { betas?: number[]; eps?: number; biasCorrection?: boolean };

/** Adam (without bias correction unless biasCorrection, as Python). */
export class Adam extends Optimizer {
  betas: number[];
  eps: number;
  biasCorrection: boolean;

  constructor(
    learningRate: Schedulable,
    ...rest: [betas?: number[], eps?: number, biasCorrection?: boolean] | [options: AdamOptions]
  ) {
    super();
    const o = pyArgs('Adam', rest, ['betas', 'eps', 'biasCorrection'], {
      betas: [0.9, 0.999],
      eps: 1e-8,
      biasCorrection: false,
    });
    o.betas.forEach((beta, i) => {
      if (!(beta >= 0.0 && beta < 1.0))
        throw new Error(`Adam beta${i + 1} should be in [0, 1), ${beta} was provided instead`);
    });
    if (!(o.eps >= 0.0)) throw new Error(`Adam epsilon should be >=0, ${o.eps} was provided instead`);
    this.maybeSchedule('learning_rate', learningRate);
    this.betas = o.betas;
    this.eps = o.eps;
    this.biasCorrection = o.biasCorrection;
  }

  initSingle(parameter: array, state: ParamState): void {
    state.m = mx.zerosLike(parameter);
    state.v = mx.zerosLike(parameter);
  }

  applySingle(gradient: array, parameter: array, state: ParamState): array {
    const lr = this.learningRate.astype(gradient.dtype);
    const [b1, b2] = this.betas;
    const m = mx.add(mx.multiply(b1, state.m), mx.multiply(1 - b1, gradient));
    const v = mx.add(mx.multiply(b2, state.v), mx.multiply(1 - b2, mx.square(gradient)));
    state.m = m;
    state.v = v;
    if (this.biasCorrection) {
      const step = this.step;
      const c1 = mx.divide(lr, mx.subtract(1, mx.power(b1, step))).astype(gradient.dtype);
      const c2 = mx.rsqrt(mx.subtract(1, mx.power(b2, step))).astype(gradient.dtype);
      const numerator = mx.multiply(c1, m);
      const denominator = mx.add(mx.multiply(mx.sqrt(v), c2), this.eps);
      return mx.subtract(parameter, mx.divide(numerator, denominator));
    }
    return mx.subtract(parameter, mx.divide(mx.multiply(lr, m), mx.add(mx.sqrt(v), this.eps)));
  }
}

/** AdamW: Adam with decoupled weight decay. */
export class AdamW extends Adam {
  weightDecay: number;

  constructor(
    learningRate: Schedulable,
    ...rest:
      | [betas?: number[], eps?: number, weightDecay?: number, biasCorrection?: boolean]
      | [options: AdamOptions & { weightDecay?: number }]
  ) {
    const o = pyArgs('AdamW', rest, ['betas', 'eps', 'weightDecay', 'biasCorrection'], {
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0.01,
      biasCorrection: false,
    });
    super(learningRate, { betas: o.betas, eps: o.eps, biasCorrection: o.biasCorrection });
    this.weightDecay = o.weightDecay;
  }

  override applySingle(gradient: array, parameter: array, state: ParamState): array {
    const lr = this.learningRate.astype(gradient.dtype);
    return super.applySingle(
      gradient,
      mx.multiply(parameter, mx.subtract(1, mx.multiply(lr, this.weightDecay))),
      state,
    );
  }
}

/** Adamax: Adam with the infinity norm. */
export class Adamax extends Adam {
  constructor(
    learningRate: Schedulable,
    ...rest: [betas?: number[], eps?: number] | [options: { betas?: number[]; eps?: number }]
  ) {
    const o = pyArgs('Adamax', rest, ['betas', 'eps'], { betas: [0.9, 0.999], eps: 1e-8 });
    super(learningRate, o.betas, o.eps);
  }

  override initSingle(parameter: array, state: ParamState): void {
    state.m = mx.zerosLike(parameter);
    state.v = mx.zerosLike(parameter);
  }

  override applySingle(gradient: array, parameter: array, state: ParamState): array {
    const lr = this.learningRate.astype(gradient.dtype);
    const [b1, b2] = this.betas;
    const m = mx.add(mx.multiply(b1, state.m), mx.multiply(1 - b1, gradient));
    const v = mx.maximum(mx.multiply(b2, state.v), mx.abs(gradient));
    state.m = m;
    state.v = v;
    return mx.subtract(parameter, mx.divide(mx.multiply(lr, m), mx.add(v, this.eps)));
  }
}

/** Lion: updates by the sign of an interpolated momentum. */
export class Lion extends Optimizer {
  betas: number[];
  weightDecay: number;

  constructor(
    learningRate: Schedulable,
    ...rest: [betas?: number[], weightDecay?: number] | [options: { betas?: number[]; weightDecay?: number }]
  ) {
    super();
    const o = pyArgs('Lion', rest, ['betas', 'weightDecay'], { betas: [0.9, 0.99], weightDecay: 0.0 });
    o.betas.forEach((beta, i) => {
      if (!(beta >= 0.0 && beta < 1.0))
        throw new Error(`Lion beta${i + 1} should be in [0, 1), ${beta} was provided instead`);
    });
    this.maybeSchedule('learning_rate', learningRate);
    this.betas = o.betas;
    this.weightDecay = o.weightDecay;
  }

  initSingle(parameter: array, state: ParamState): void {
    state.m = mx.zerosLike(parameter);
  }

  applySingle(gradient: array, parameter: array, state: ParamState): array {
    const lr = this.learningRate.astype(gradient.dtype);
    const [b1, b2] = this.betas;
    const m = state.m;
    const c = mx.add(mx.multiply(b1, m), mx.multiply(1 - b1, gradient));
    state.m = mx.add(mx.multiply(b2, m), mx.multiply(1 - b2, gradient));
    if (this.weightDecay > 0) parameter = mx.multiply(mx.subtract(1, mx.multiply(lr, this.weightDecay)), parameter);
    return mx.subtract(parameter, mx.multiply(lr, mx.sign(c)));
  }
}

export type AdafactorOptions = {
  eps?: [number, number];
  clipThreshold?: number;
  decayRate?: number;
  beta1?: number | null;
  weightDecay?: number;
  scaleParameter?: boolean;
  relativeStep?: boolean;
  warmupInit?: boolean;
};

/** Adafactor: factored second moments (sublinear memory). */
export class Adafactor extends Optimizer {
  eps: [number, number];
  clipThreshold: number;
  decayRate: number;
  beta1: number | null;
  weightDecay: number;
  scaleParameter: boolean;
  relativeStep: boolean;
  warmupInit: boolean;

  constructor(
    ...args:
      | [
          learningRate?: Schedulable | null,
          eps?: [number, number],
          clipThreshold?: number,
          decayRate?: number,
          beta1?: number | null,
          weightDecay?: number,
          scaleParameter?: boolean,
          relativeStep?: boolean,
          warmupInit?: boolean,
        ]
      | [learningRate: Schedulable | null | undefined, options: AdafactorOptions]
      | [options: AdafactorOptions & { learningRate?: Schedulable | null }]
  ) {
    super();
    const o = pyArgs(
      'Adafactor',
      args,
      [
        'learningRate',
        'eps',
        'clipThreshold',
        'decayRate',
        'beta1',
        'weightDecay',
        'scaleParameter',
        'relativeStep',
        'warmupInit',
      ],
      {
        learningRate: null as Schedulable | null,
        eps: [1e-30, 1e-3] as [number, number],
        clipThreshold: 1.0,
        decayRate: -0.8,
        beta1: null as number | null,
        weightDecay: 0.0,
        scaleParameter: true,
        relativeStep: true,
        warmupInit: false,
      },
    );
    if (o.learningRate !== null) this.maybeSchedule('learning_rate', o.learningRate);
    this.eps = o.eps;
    this.clipThreshold = o.clipThreshold;
    this.decayRate = o.decayRate;
    this.beta1 = o.beta1;
    this.weightDecay = o.weightDecay;
    this.scaleParameter = o.scaleParameter;
    this.relativeStep = o.relativeStep;
    this.warmupInit = o.warmupInit;
  }

  initSingle(parameter: array, state: ParamState): void {
    if (parameter.ndim >= 2) {
      const shape = parameter.shape;
      state.exp_avg_sq_row = mx.zeros(shape.slice(0, -1), parameter.dtype);
      state.exp_avg_sq_col = mx.zeros([...shape.slice(0, -2), ...shape.slice(-1)], parameter.dtype);
    } else {
      state.exp_avg_sq = mx.zerosLike(parameter);
    }
    if (this.beta1 !== null) state.exp_avg = mx.zerosLike(parameter);
  }

  private computeRms(inputs: array): array {
    return mx.sqrt(mx.mean(mx.square(inputs)));
  }

  private computeLearningRate(step: array, parameterRms: array): array {
    let relativeStepSize: array;
    if (this.relativeStep) {
      const minStep = this.warmupInit ? mx.multiply(1e-6, step) : 1e-2;
      relativeStepSize = mx.minimum(minStep, mx.rsqrt(step));
    } else {
      relativeStepSize = this.learningRate;
    }
    relativeStepSize = relativeStepSize.astype(parameterRms.dtype);
    const parameterScale = this.scaleParameter ? mx.maximum(this.eps[1], parameterRms) : 1.0;
    return mx.multiply(parameterScale, relativeStepSize);
  }

  private approximateExpMovingAvg(row: array, col: array): array {
    const rFactor = mx.rsqrt(mx.divide(row, mx.mean(row, -1, true)));
    const cFactor = mx.rsqrt(col);
    return mx.multiply(mx.expandDims(rFactor, -1), mx.expandDims(cFactor, -2));
  }

  applySingle(gradient: array, parameter: array, state: ParamState): array {
    const factored = gradient.ndim >= 2;
    const step = this.step;
    const parameterRms = this.computeRms(parameter);
    const learningRate = this.computeLearningRate(step, parameterRms);
    const beta2 = mx.subtract(1.0, mx.power(step, this.decayRate).astype(parameterRms.dtype));
    let update = mx.add(mx.square(gradient), this.eps[0]);
    if (factored) {
      const row = mx.add(
        mx.multiply(beta2, state.exp_avg_sq_row),
        mx.multiply(mx.subtract(1, beta2), mx.mean(update, -1)),
      );
      const col = mx.add(
        mx.multiply(beta2, state.exp_avg_sq_col),
        mx.multiply(mx.subtract(1, beta2), mx.mean(update, -2)),
      );
      state.exp_avg_sq_row = row;
      state.exp_avg_sq_col = col;
      update = mx.multiply(this.approximateExpMovingAvg(row, col), gradient);
    } else {
      const avg = mx.add(mx.multiply(beta2, state.exp_avg_sq), mx.multiply(mx.subtract(1, beta2), update));
      state.exp_avg_sq = avg;
      update = mx.multiply(mx.rsqrt(avg), gradient);
    }
    update = mx.divide(update, mx.maximum(1.0, mx.divide(this.computeRms(update), this.clipThreshold)));
    update = mx.multiply(learningRate, update);
    if (this.beta1 !== null) {
      const avg = mx.add(mx.multiply(this.beta1, state.exp_avg), mx.multiply(1 - this.beta1, update));
      state.exp_avg = avg;
      update = avg;
    }
    if (this.weightDecay !== 0) {
      parameter = mx.add(parameter, mx.multiply(parameter, mx.multiply(-this.weightDecay, learningRate)));
    }
    return mx.subtract(parameter, update);
  }
}

/** Muon: momentum orthogonalized by Newton–Schulz iterations (for 2-D and higher parameters). */
export class Muon extends Optimizer {
  momentum: number;
  weightDecay: number;
  nesterov: boolean;
  nsSteps: number;

  constructor(
    learningRate: Schedulable,
    ...rest:
      | [momentum?: number, weightDecay?: number, nesterov?: boolean, nsSteps?: number]
      | [options: { momentum?: number; weightDecay?: number; nesterov?: boolean; nsSteps?: number }]
  ) {
    super();
    const o = pyArgs('Muon', rest, ['momentum', 'weightDecay', 'nesterov', 'nsSteps'], {
      momentum: 0.95,
      weightDecay: 0.01,
      nesterov: true,
      nsSteps: 5,
    });
    this.maybeSchedule('learning_rate', learningRate);
    this.momentum = o.momentum;
    this.weightDecay = o.weightDecay;
    this.nesterov = o.nesterov;
    this.nsSteps = o.nsSteps;
  }

  initSingle(parameter: array, state: ParamState): void {
    state.v = mx.zerosLike(parameter);
  }

  private zeropowerViaNewtonschulz5(X: array, steps: number): array {
    if (X.ndim !== 2)
      throw new Error(`Expected a 2D array for Newton-Schulz iteration, got shape (${X.shape.join(', ')}) instead.`);
    const [a, b, c] = [3.4445, -4.775, 2.0315];
    const transposeNeeded = X.shape[0] > X.shape[1];
    if (transposeNeeded) X = X.T;
    X = mx.divide(X, mx.add(mx.linalg.norm(X, { keepdims: true }), 1e-7));
    for (let i = 0; i < steps; i++) {
      const A = mx.matmul(X, X.T);
      const B = mx.addmm(mx.multiply(b, A), A, A, { beta: 1.0, alpha: c });
      X = mx.addmm(mx.multiply(a, X), B, X, { beta: 1.0, alpha: 1.0 });
    }
    if (transposeNeeded) X = X.T;
    return X;
  }

  applySingle(gradient: array, parameter: array, state: ParamState): array {
    if (this.weightDecay !== 0) gradient = mx.add(gradient, mx.multiply(this.weightDecay, parameter));
    let v = mx.multiply(this.momentum, state.v);
    v = mx.add(v, mx.multiply(1 - this.momentum, gradient));
    state.v = v;
    let update = this.nesterov ? mx.add(mx.multiply(gradient, 1 - this.momentum), mx.multiply(v, this.momentum)) : v;
    let lr = this.learningRate.astype(gradient.dtype);
    if (update.ndim >= 2) {
      const originalShape = update.shape;
      const reshapeNeeded = update.ndim > 2;
      if (reshapeNeeded) update = mx.reshape(update, [update.shape[0], -1]);
      update = this.zeropowerViaNewtonschulz5(update, this.nsSteps);
      if (reshapeNeeded) update = mx.reshape(update, originalShape);
      const [rows, cols] = update.shape.slice(-2);
      lr = mx.multiply(lr, Math.max(1, rows / cols) ** 0.5);
    }
    return mx.subtract(parameter, mx.multiply(lr, update));
  }
}

/**
 * Scale the gradients down so their global norm is at most maxNorm:
 * [clippedGradients, totalNorm].
 */
export function clipGradNorm(grads: any, maxNorm: number): [any, array] {
  if (maxNorm < 0) throw new Error(`max_norm should be >=0, ${maxNorm} was provided instead`);
  // Sum float16 squares in float32 so they do not overflow.
  const squaredNorm = (g: array) => mx.sum(mx.square(g.dtype === mx.float16 ? g.astype(mx.float32) : g));
  const normSquared = treeReduce((acc: array | number, g: array) => mx.add(acc, squaredNorm(g)), grads, 0.0) as array;
  const totalNorm = mx.sqrt(normSquared);
  const normalizer = mx.minimum(mx.divide(maxNorm, mx.add(totalNorm, 1e-6)), 1.0);
  // Cast after scaling so small normalizers do not underflow in float16.
  const scale = (g: array) =>
    mx.issubdtype(g.dtype, mx.floating) ? mx.multiply(g, normalizer).astype(g.dtype) : mx.multiply(g, normalizer);
  return [treeMap(scale, grads), totalNorm];
}

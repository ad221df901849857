// Port of mlx/optimizers/schedulers.py. A schedule maps the optimizer's step
// (a uint64 scalar array) to a value array. Python's float constants stay
// floats: they enter as float32 scalars where an integral JS number would
// otherwise be read as a Python int beside the integer step.
import { core as mx } from '../core';
import type { array } from '../core';

/** step (an array, or a number) → value. */
export type Schedule = (step: array | number) => array;

const float = (x: number) => mx.array(x, mx.float32);

/** init * decayRate ** step. */
export function exponentialDecay(init: number, decayRate: number): Schedule {
  return (step) => mx.multiply(init, mx.power(float(decayRate), step));
}

/** init * decayRate ** floor(step / stepSize). */
export function stepDecay(init: number, decayRate: number, stepSize: number): Schedule {
  if (stepSize < 1) throw new Error(`step_size must be greater than 0, but got ${stepSize}.`);
  return (step) => mx.multiply(init, mx.power(float(decayRate), mx.floorDivide(step, stepSize)));
}

/** Cosine decay from init to end over decaySteps steps (constant after). */
export function cosineDecay(init: number, decaySteps: number, end = 0.0): Schedule {
  if (decaySteps < 1) throw new Error(`decay_steps must be greater than 0, but got ${decaySteps}.`);
  return (step) => {
    const s = mx.minimum(step, decaySteps);
    const decay = mx.multiply(0.5, mx.add(1.0, mx.cos(mx.multiply(Math.PI / decaySteps, s))));
    return mx.add(float(end), mx.multiply(decay, init - end));
  };
}

/**
 * Join schedules: schedule i+1 takes over at boundaries[i] and receives the
 * number of steps since that boundary.
 */
export function joinSchedules(
  schedules: Array<(step: array | number) => array | number>,
  boundaries: number[],
): Schedule {
  if (schedules.length === 0) throw new Error('Must provide at least 1 schedule to join.');
  if (schedules.length !== boundaries.length + 1) {
    throw new Error(`Received ${boundaries.length} boundaries but expected ${schedules.length - 1}.`);
  }
  return (step) => {
    const first = schedules[0](step);
    let output = typeof first === 'number' ? mx.array(first) : first;
    boundaries.forEach((boundary, i) => {
      output = mx.where(mx.less(step, boundary), output, schedules[i + 1](mx.subtract(step, boundary)));
    });
    return output;
  };
}

/** Linear from init to end over steps steps (end after). */
export function linearSchedule(init: number, end: number, steps: number): Schedule {
  if (steps < 1) throw new Error(`steps must be greater than 0, but got ${steps}.`);
  return (step) => {
    const s = mx.minimum(step, steps);
    return mx.add(mx.multiply(s, float((end - init) / steps)), float(init));
  };
}

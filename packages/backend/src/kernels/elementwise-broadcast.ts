import { backend_util } from '@tensorflow/tfjs';

// General broadcasting for the float32 binary kernels, for the forms elementwise-binary.ts
// has no dedicated loop for, such as [128, 1, 32] against [128, 92, 32] (a global max pool's
// gradient). Each operand is read through strides over the output's axes (0 where it
// broadcasts); neighbouring axes along which both operands run contiguously, or both
// repeat, merge, so most cases come down to two or three nested loops.

export type BroadcastOp = 'add' | 'sub' | 'mul' | 'div' | 'equal';

const MAX_RANK = 4;

interface Plan {
  shape: number[];
  dims: number[];
  aStrides: number[];
  bStrides: number[];
}

function stridesFor(shape: number[], outShape: number[]): number[] {
  const pad = outShape.length - shape.length;
  const strides = new Array<number>(outShape.length).fill(0);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[pad + i] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

function plan(aShape: number[], bShape: number[]): Plan | null {
  const shape = backend_util.assertAndGetBroadcastShape(aShape, bShape);
  const as = stridesFor(aShape, shape);
  const bs = stridesFor(bShape, shape);
  const dims: number[] = [];
  const aStrides: number[] = [];
  const bStrides: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && aStrides[last] === as[i] * shape[i] && bStrides[last] === bs[i] * shape[i]) {
      // Both operands continue contiguously (or both repeat: 0 = 0 · n) across the boundary.
      dims[last] *= shape[i];
      aStrides[last] = as[i];
      bStrides[last] = bs[i];
    } else {
      dims.push(shape[i]);
      aStrides.push(as[i]);
      bStrides.push(bs[i]);
    }
  }
  if (dims.length > MAX_RANK) return null;
  while (dims.length < MAX_RANK) {
    dims.unshift(1);
    aStrides.unshift(0);
    bStrides.unshift(0);
  }
  return { shape, dims, aStrides, bStrides };
}

/** out = a op b with broadcasting; null when the merged axes are more than four. */
export function broadcastBinary(
  op: BroadcastOp,
  a: Float32Array,
  aShape: number[],
  b: Float32Array,
  bShape: number[],
): { shape: number[]; values: Float32Array | Uint8Array } | null {
  const p = plan(aShape, bShape);
  if (p === null) return null;
  const [d0, d1, d2, d3] = p.dims;
  const [a0, a1, a2, a3] = p.aStrides;
  const [b0, b1, b2, b3] = p.bStrides;
  const size = d0 * d1 * d2 * d3;
  const out = op === 'equal' ? new Uint8Array(size) : new Float32Array(size);
  let k = 0;
  for (let i0 = 0; i0 < d0; i0++) {
    for (let i1 = 0; i1 < d1; i1++) {
      for (let i2 = 0; i2 < d2; i2++) {
        const ao = i0 * a0 + i1 * a1 + i2 * a2;
        const bo = i0 * b0 + i1 * b1 + i2 * b2;
        row(op, a, ao, a3, b, bo, b3, out, k, d3);
        k += d3;
      }
    }
  }
  return { shape: p.shape, values: out };
}

function row(
  op: BroadcastOp,
  a: Float32Array,
  ao: number,
  as: number,
  b: Float32Array,
  bo: number,
  bs: number,
  out: Float32Array | Uint8Array,
  k: number,
  n: number,
): void {
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[k + i] = a[ao + i * as] + b[bo + i * bs];
      break;
    case 'sub':
      for (let i = 0; i < n; i++) out[k + i] = a[ao + i * as] - b[bo + i * bs];
      break;
    case 'mul':
      for (let i = 0; i < n; i++) out[k + i] = a[ao + i * as] * b[bo + i * bs];
      break;
    case 'div':
      for (let i = 0; i < n; i++) out[k + i] = a[ao + i * as] / b[bo + i * bs];
      break;
    default:
      for (let i = 0; i < n; i++) out[k + i] = a[ao + i * as] === b[bo + i * bs] ? 1 : 0;
  }
}

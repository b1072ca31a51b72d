import { Transpose, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { cpuBackendOf, valuesOf, type CpuValues } from './cpu-backend.js';
import { runStockKernel } from './stock-kernels.js';

// Transpose fast paths. The gradient of every gather (so of every Embedding) transposes the
// whole [vocabulary, dim] gradient by the identity permutation, which the stock kernel does with
// per-element index arithmetic: for Embedding(10000, 8) that was most of a training step. Here
// the identity permutation shares its input's buffer, as Reshape does (a copy of a 32 MB
// embedding gradient cost a tenth of a conv1dText step, mostly in page faults on the fresh
// buffer), and a 2-D (or batched 2-D) swap of the last two axes is a blocked loop; other
// permutations and dtypes go to the stock kernel.

const BLOCK = 32;

export const transposeCpu: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  const perm = (args.attrs as { perm: number[] }).perm;
  const rank = x.shape.length;
  const numeric = x.dtype === 'float32' || x.dtype === 'int32' || x.dtype === 'bool';
  if (numeric) {
    const backend = cpuBackendOf(args.backend);
    const outShape = perm.map((p) => x.shape[p]);
    if (perm.every((p, i) => p === i)) {
      backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: outShape, dtype: x.dtype };
    }
    const lastTwoSwapped =
      rank >= 2 && perm[rank - 2] === rank - 1 && perm[rank - 1] === rank - 2 && perm.slice(0, rank - 2).every((p, i) => p === i);
    if (lastTwoSwapped) {
      const src = valuesOf(backend, x);
      const out = new (src.constructor as new (n: number) => CpuValues)(src.length);
      const rows = x.shape[rank - 2];
      const cols = x.shape[rank - 1];
      const plane = rows * cols;
      for (let base = 0; base < src.length; base += plane) {
        for (let r0 = 0; r0 < rows; r0 += BLOCK) {
          const r1 = Math.min(rows, r0 + BLOCK);
          for (let c0 = 0; c0 < cols; c0 += BLOCK) {
            const c1 = Math.min(cols, c0 + BLOCK);
            for (let r = r0; r < r1; r++) {
              for (let c = c0; c < c1; c++) out[base + c * rows + r] = src[base + r * cols + c];
            }
          }
        }
      }
      return backend.makeTensorInfo(outShape, x.dtype, out);
    }
  }
  return runStockKernel(Transpose, args);
};

export const transposeConfig: KernelConfig = { kernelName: Transpose, backendName: 'cpu', kernelFunc: transposeCpu };

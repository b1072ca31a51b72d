import type { DataId, DataType, TensorInfo } from '@tensorflow/tfjs';

/** Typed arrays the cpu backend stores numeric tensors in. */
export type CpuValues = Float32Array | Int32Array | Uint8Array;

/**
 * The slice of tfjs-backend-cpu's `MathBackendCPU` our kernels use. The class is not
 * re-exported by `@tensorflow/tfjs`, so kernels see it structurally.
 */
export interface CpuBackend {
  data: { get(dataId: DataId): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: DataType, values?: CpuValues): TensorInfo;
  /** One more tensor shares this buffer (what Reshape does instead of copying). */
  incRef(dataId: DataId): void;
}

export function cpuBackendOf(backend: unknown): CpuBackend {
  return backend as CpuBackend;
}

export function valuesOf(backend: CpuBackend, t: TensorInfo): CpuValues {
  return backend.data.get(t.dataId).values as CpuValues;
}

import { EncodingArgumentError } from './errors.js';

/**
 * A sparse matrix in compressed sparse row form, the layout of SciPy's `csr_matrix`: row `i`
 * has values `data[indptr[i] .. indptr[i + 1])` at columns `indices[…]`, sorted ascending.
 */
export interface CsrMatrix {
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
  shape: [rows: number, columns: number];
}

/** The dense row-major values of a CSR matrix. */
export function csrToDense(csr: CsrMatrix): Float32Array {
  const [rows, columns] = csr.shape;
  const size = rows * columns;
  if (!Number.isSafeInteger(size) || size > 0x7fffffff) {
    throw new EncodingArgumentError(
      `csrToDense: a dense [${rows}, ${columns}] matrix has ${size} values, more than one Float32Array holds`,
    );
  }
  const dense = new Float32Array(size);
  for (let i = 0; i < rows; i++) {
    for (let k = csr.indptr[i]; k < csr.indptr[i + 1]; k++) dense[i * columns + csr.indices[k]] = csr.data[k];
  }
  return dense;
}

/** A sparse matrix in compressed sparse row form: row `i` has columns `columns[rowStart[i] … rowStart[i+1])`. */
export interface CsrMatrix {
  rows: number;
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float64Array;
}

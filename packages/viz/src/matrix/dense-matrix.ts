import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@wordloom/core';

/** A row-major matrix in one typed array: row `i` is `data[i*cols … (i+1)*cols)`. */
export interface DenseMatrix<T extends Float32Array | Float64Array = Float32Array | Float64Array> {
  data: T;
  rows: number;
  cols: number;
}

/**
 * What the numeric functions of this package accept as a matrix: a 2-D tensor, an array of rows
 * (`number[][]` or typed-array rows), or a {@link DenseMatrix}.
 */
export type MatrixInput = tf.Tensor2D | ArrayLike<number>[] | DenseMatrix;

/**
 * Copies `input` into a float64 {@link DenseMatrix}, rejecting ragged rows, empty input and non-finite values
 * (a NaN row would silently poison every distance — t-SNE and PCA must fail loudly instead).
 */
export function toDenseMatrix(
  input: MatrixInput,
  argument: string,
  functionName: string,
): DenseMatrix<Float64Array> {
  let result: DenseMatrix<Float64Array>;
  if (input instanceof tf.Tensor) {
    if (input.rank !== 2)
      throw new InvalidArgumentError(argument, functionName, 'a 2-D tensor', `rank ${input.rank}`);
    result = { data: Float64Array.from(input.dataSync()), rows: input.shape[0], cols: input.shape[1] };
  } else if (Array.isArray(input)) {
    const rows = input.length;
    const cols = rows > 0 ? input[0].length : 0;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = input[i];
      if (row == null || row.length !== cols)
        throw new InvalidArgumentError(
          argument,
          functionName,
          `rows of equal length ${cols}`,
          `row ${i} of length ${row?.length}`,
        );
      for (let j = 0; j < cols; j++) data[i * cols + j] = row[j];
    }
    result = { data, rows, cols };
  } else if (input && ArrayBuffer.isView((input as DenseMatrix).data)) {
    const { data, rows, cols } = input as DenseMatrix;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || data.length !== rows * cols)
      throw new InvalidArgumentError(
        argument,
        functionName,
        'a matrix whose data length is rows × cols',
        `${data.length} values for ${rows} × ${cols}`,
      );
    result = { data: Float64Array.from(data), rows, cols };
  } else {
    throw new InvalidArgumentError(
      argument,
      functionName,
      'a 2-D tensor, an array of rows or a {data, rows, cols} matrix',
      input,
    );
  }
  if (result.rows === 0 || result.cols === 0)
    throw new InvalidArgumentError(
      argument,
      functionName,
      'a non-empty matrix',
      `${result.rows} × ${result.cols}`,
    );
  const { data, cols } = result;
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      const row = Math.floor(k / cols);
      throw new InvalidArgumentError(
        argument,
        functionName,
        `finite in every entry (row ${row}, column ${k - row * cols})`,
        data[k],
      );
    }
  }
  return result;
}

/** The rows of a {@link DenseMatrix} as plain arrays (for JSON, plotting, or printing). */
export function matrixRows(matrix: DenseMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < matrix.rows; i++)
    out.push(Array.from(matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols)));
  return out;
}

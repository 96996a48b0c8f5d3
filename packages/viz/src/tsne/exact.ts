import * as tf from '@tensorflow/tfjs-core';

/** float64 machine epsilon: scikit-learn's floor for q_ij in exact t-SNE. */
const MACHINE_EPSILON = 2.220446049250313e-16;

/**
 * Exact t-SNE gradient with tfjs ops (van der Maaten & Hinton 2008, eq. 5):
 * `dC/dy_i = 4 Σ_j (p_ij − q_ij)(y_i − y_j)(1 + |y_i − y_j|²)⁻¹`, as
 * `c (diag(rowsum(W)) Y − W Y)` with `W = (P − Q) ∘ q̃` (c = 4; with α ≠ 1 degrees of freedom scikit-learn's
 * `q̃ = (1 + d²/α)^(−(α+1)/2)` and `c = 2(α + 1)/α`) — a handful of `n × n` ops and one matmul per step.
 * Holds the dense `P` (and its exaggerated copy) as tensors; call {@link ExactGradient.dispose}.
 */
export class ExactGradient {
  private readonly p: tf.Tensor2D;
  private exaggerated: { factor: number; p: tf.Tensor2D } | null = null;
  private readonly offDiagonal: tf.Tensor2D;

  /** @param p dense joint probabilities (`n × n`, zero diagonal); `dims` is the embedding dimension. */
  constructor(
    p: Float64Array,
    private readonly n: number,
    private readonly dims: number,
    /** Degrees of freedom α of the Student-t kernel (scikit-learn: `max(dims − 1, 1)`). */
    private readonly dof = 1,
  ) {
    this.p = tf.tensor2d(Float32Array.from(p), [n, n]);
    this.offDiagonal = tf.tidy(() => tf.sub(1, tf.eye(n)) as tf.Tensor2D);
  }

  /** Writes the gradient at `y` into `grad`; returns the KL divergence (`NaN` unless `computeKl`). */
  compute(y: Float64Array, grad: Float64Array, exaggeration: number, computeKl: boolean): number {
    const { n, dims } = this;
    const p = this.pFor(exaggeration);
    const [g, kl] = tf.tidy(() => {
      const yt = tf.tensor2d(Float32Array.from(y), [n, dims]);
      const sq = tf.sum(tf.square(yt), 1);
      const d2 = tf.relu(
        tf.sub(
          tf.add(tf.reshape(sq, [n, 1]), tf.reshape(sq, [1, n])),
          tf.mul(tf.matMul(yt, yt, false, true), 2),
        ),
      );
      // scikit-learn's kernel (1 + d²/α)^(−(α + 1)/2); α = 1 is the Cauchy kernel 1 / (1 + d²).
      const t =
        this.dof === 1
          ? tf.reciprocal(tf.add(d2, 1))
          : tf.pow(tf.add(tf.div(d2, this.dof), 1), -(this.dof + 1) / 2);
      const num = tf.mul(t, this.offDiagonal);
      const q = tf.maximum(tf.div(num, tf.sum(num)), MACHINE_EPSILON);
      const w = tf.mul(tf.sub(p, q), num);
      const c = (2 * (this.dof + 1)) / this.dof;
      const g = tf.mul(tf.sub(tf.mul(yt, tf.reshape(tf.sum(w, 1), [n, 1])), tf.matMul(w, yt)), c);
      const kl = computeKl
        ? tf.sum(tf.mul(p, tf.log(tf.div(tf.maximum(p, MACHINE_EPSILON), q))))
        : tf.scalar(Number.NaN);
      return [g, kl];
    });
    grad.set(g.dataSync());
    const value = kl.dataSync()[0];
    tf.dispose([g, kl]);
    return value;
  }

  private pFor(exaggeration: number): tf.Tensor2D {
    if (exaggeration === 1) return this.p;
    if (this.exaggerated?.factor !== exaggeration) {
      this.exaggerated?.p.dispose();
      this.exaggerated = { factor: exaggeration, p: tf.mul(this.p, exaggeration) };
    }
    return this.exaggerated.p;
  }

  /** Frees the probability tensors. */
  dispose(): void {
    tf.dispose([this.p, this.offDiagonal]);
    this.exaggerated?.p.dispose();
    this.exaggerated = null;
  }
}

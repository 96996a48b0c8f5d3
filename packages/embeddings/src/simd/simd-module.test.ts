import { describe, expect, it } from 'vitest';
import { instantiateSimd, simdModuleBytes, simdSupported } from './simd-module.js';

describe('compiled WebAssembly SIMD kernels', () => {
  const d = 12; // 8-float main loop of dot plus its 4-float tail
  const setup = () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    const f = new Float32Array(memory.buffer);
    for (let i = 0; i < 4 * d; i++) f[i] = i < 2 * d ? Math.sin(i + 1) : 1 + i / 10;
    const copy = (k: number) => Array.from(f.subarray(k * d, (k + 1) * d));
    return { k: instantiateSimd(memory, false), f, a: copy(0), b: copy(1), c: copy(2), e: copy(3) };
  };

  it('validates, also with shared memory (worker threads)', () => {
    expect(simdSupported()).toBe(true);
    expect(WebAssembly.validate(simdModuleBytes(true) as BufferSource)).toBe(true);
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    expect(typeof instantiateSimd(shared, true).dot).toBe('function');
  });

  it('dot, update, update0, axpy and adagrad compute their formulas', () => {
    let s = setup();
    expect(s.k.dot(0, 4 * d, d)).toBeCloseTo(
      s.a.reduce((t, x, i) => t + x * s.b[i], 0),
      5,
    );
    s.k.update(0, 4 * d, 8 * d, 0.5, d); // e=a, o=b, h=c
    for (let i = 0; i < d; i++) {
      expect(s.f[i]).toBeCloseTo(s.a[i] + 0.5 * s.b[i], 6);
      expect(s.f[d + i]).toBeCloseTo(s.b[i] + 0.5 * s.c[i], 6);
    }
    s = setup();
    s.k.update0(0, 4 * d, 8 * d, 0.5, d);
    for (let i = 0; i < d; i++) expect(s.f[i]).toBeCloseTo(0.5 * s.b[i], 6);
    s = setup();
    s.k.axpy(0, 4 * d, -2, d);
    for (let i = 0; i < d; i++) expect(s.f[i]).toBeCloseTo(s.a[i] - 2 * s.b[i], 6);
    s = setup();
    s.k.adagrad(0, 4 * d, 8 * d, 12 * d, 0.3, d); // w1=a, w2=b, g1=c, g2=e
    for (let i = 0; i < d; i++) {
      const t1 = 0.3 * s.b[i];
      const t2 = 0.3 * s.a[i];
      expect(s.f[i]).toBeCloseTo(s.a[i] - t1 / Math.sqrt(s.c[i]), 6);
      expect(s.f[d + i]).toBeCloseTo(s.b[i] - t2 / Math.sqrt(s.e[i]), 6);
      expect(s.f[2 * d + i]).toBeCloseTo(s.c[i] + t1 * t1, 6);
      expect(s.f[3 * d + i]).toBeCloseTo(s.e[i] + t2 * t2, 6);
    }
  });
});

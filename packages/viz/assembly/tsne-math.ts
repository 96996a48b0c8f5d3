// Table-free elementary functions for the t-SNE kernels: the kernels may carry no data segment (checked by
// scripts/build-kernels.mjs), and AssemblyScript's own Math.log at -O3 reads lookup tables from one.

const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const LG1: f64 = 6.666666666666735130e-1;
const LG2: f64 = 3.999999999940941908e-1;
const LG3: f64 = 2.857142874366239149e-1;
const LG4: f64 = 2.222219843214978396e-1;
const LG5: f64 = 1.818357216161805012e-1;
const LG6: f64 = 1.531383769920937332e-1;
const LG7: f64 = 1.479819860511658591e-1;

/**
 * The natural logarithm, fdlibm's `__ieee754_log` (as musl's log.c before its table version, and
 * AssemblyScript's at shrink levels ≥ 1): x = 2^k (1 + f) with 1 + f in [√2/2, √2], then
 * log(1 + f) = f − hfsq + s (hfsq + R(z)) with s = f / (2 + f), error < 1 ulp.
 */
export function logTableFree(x: f64): f64 {
  let u = reinterpret<u64>(x);
  let hx = <u32>(u >> 32);
  let k: i32 = 0;
  if (hx < 0x00100000 || hx >> 31) {
    if (u << 1 == 0) return -1 / (x * x);
    if (hx >> 31) return (x - x) / 0.0;
    // Subnormal: scale up.
    k -= 54;
    x *= reinterpret<f64>(0x4350000000000000); // 2^54
    u = reinterpret<u64>(x);
    hx = <u32>(u >> 32);
  } else if (hx >= 0x7ff00000) {
    return x;
  } else if (hx == 0x3ff00000 && u << 32 == 0) {
    return 0;
  }
  hx += 0x3ff00000 - 0x3fe6a09e;
  k += <i32>(hx >> 20) - 0x3ff;
  hx = (hx & 0x000fffff) + 0x3fe6a09e;
  u = (<u64>hx << 32) | (u & 0xffffffff);
  x = reinterpret<f64>(u);
  const f = x - 1.0;
  const hfsq = 0.5 * f * f;
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  const dk = <f64>k;
  return s * (hfsq + r) + dk * LN2_LO - hfsq + f + dk * LN2_HI;
}

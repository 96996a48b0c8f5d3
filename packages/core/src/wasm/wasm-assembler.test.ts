import { describe, expect, it } from 'vitest';
import { body, end, F32, get, section, sleb, str, uleb, vec, wasmModule } from './wasm-assembler.js';

describe('wasm assembler', () => {
  it('encodes LEB128 as the spec examples', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
  });

  it('assembles a module WebAssembly compiles and runs: (f32) -> f32 identity', async () => {
    const type = section(1, vec([[0x60, 1, F32, 1, F32]]));
    const funcs = section(3, vec([[0]]));
    const exports = section(7, vec([[...str('id'), 0x00, 0]]));
    const code = section(10, vec([body([], [...get(0)])]));
    const bytes = wasmModule(type, funcs, exports, code);
    expect(bytes.at(-1)).toBe(end);
    const { instance } = await WebAssembly.instantiate(bytes);
    expect((instance.exports.id as (x: number) => number)(2.5)).toBe(2.5);
  });
});

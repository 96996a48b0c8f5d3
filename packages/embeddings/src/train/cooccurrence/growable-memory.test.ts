import { InvalidArgumentError } from '@wordloom/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GrowableMemory } from './growable-memory.js';

const PAGE = 65536;

describe('GrowableMemory', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('grows a WebAssembly memory to exactly the pages asked for, keeping its bytes', () => {
    const m = GrowableMemory.create(false)!;
    expect(m.memory).toBeInstanceOf(WebAssembly.Memory);
    expect(m.byteLength).toBe(0);
    m.ensure(100_000, 'test');
    expect(m.byteLength).toBe(2 * PAGE);
    new Uint8Array(m.buffer)[99_999] = 7;
    m.ensure(2 * PAGE, 'test');
    expect(m.byteLength).toBe(2 * PAGE);
    m.ensure(2 * PAGE + 1, 'test');
    expect(m.byteLength).toBe(3 * PAGE);
    expect(new Uint8Array(m.buffer)[99_999]).toBe(7);
    // For arrays growing a little at a time: 1 MiB at least.
    m.ensureRoom(3 * PAGE + 1, 'test');
    expect(m.byteLength).toBe(3 * PAGE + 16 * PAGE);
    m.ensureRoom(4 * PAGE, 'test');
    expect(m.byteLength).toBe(19 * PAGE);
  });

  it('makes a shared memory that grows in place (old views stay valid)', () => {
    const m = GrowableMemory.create(true)!;
    expect(m.buffer).toBeInstanceOf(SharedArrayBuffer);
    m.ensure(10, 'test');
    const view = new Int32Array(m.buffer, 0, 2);
    view[1] = 42;
    m.ensure(5 * PAGE, 'test');
    expect(m.byteLength).toBe(5 * PAGE);
    expect(new Int32Array(m.buffer)[1]).toBe(42);
    expect(view[1]).toBe(42);
  });

  it('refuses more than 4 GiB with a typed error naming the caller', () => {
    const m = GrowableMemory.create(false)!;
    expect(() => m.ensure(2 ** 32 + 1, 'countSomething')).toThrow(InvalidArgumentError);
    expect(() => m.ensure(2 ** 32 + 1, 'countSomething')).toThrow(/'corpus'.*'countSomething'.*4 GiB/);
  });

  it('falls back to an ArrayBuffer copied as it grows where WebAssembly is missing', () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect(GrowableMemory.create(true)).toBeNull();
    const m = GrowableMemory.create(false)!;
    expect(m.memory).toBeNull();
    m.ensure(10, 'test');
    expect(m.buffer).toBeInstanceOf(ArrayBuffer);
    new Uint8Array(m.buffer)[9] = 5;
    m.ensureRoom(PAGE + 1, 'test');
    // Copying growth at least doubles.
    expect(m.byteLength).toBe(2 * PAGE);
    expect(new Uint8Array(m.buffer)[9]).toBe(5);
  });
});

import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';

describe('wordloom info', () => {
  it('reports cpu under WORDLOOM_BACKEND=cpu as one JSON document', () => {
    const { code, stdout } = runCli(['info', '--json'], { WORDLOOM_BACKEND: 'cpu' });
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(info.backend).toEqual({ name: 'cpu', threads: 1, simd: false, source: 'env', gpu: false });
    expect(info.tfjsCore).toMatch(/^4\.22\./);
    expect(Object.keys(info.wordloom)).toContain('@wordloom/rnn');
  });

  it('picks wasm by default and says so in plain text', () => {
    const { code, stdout } = runCli(['info']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/backend: wasm \(threads 1, simd true, chosen by auto\)/);
  });

  it('fails with a one-line message telling how to install tfjs-node', () => {
    const { code, stdout, stderr } = runCli(['--backend', 'tensorflow', 'info', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({
      error: expect.objectContaining({ name: 'UnavailableError', argument: null }),
    });
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/Backend 'tensorflow' is not installed: .*npm install @tensorflow\/tfjs-node/);
  });

  it('rejects an unknown backend naming the flag and the choices', () => {
    const { code, stderr } = runCli(['info'], { WORDLOOM_BACKEND: 'gpu' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/must be one of tensorflow, webgpu, webgl, wasm, cpu/);
  });
});

describe('wordloom --help', () => {
  it('documents the global flags and every command', () => {
    const { code, stdout } = runCli(['--help']);
    expect(code).toBe(0);
    for (const flag of ['--backend', '--seed', '--json', 'info']) expect(stdout).toContain(flag);
  });

  it('has help for every sub-command', () => {
    const commands = runCli(['--help'])
      .stdout.split('Commands:')[1]
      .split('\n')
      .filter((line) => /^ {2}\S/.test(line)) // wrapped descriptions are indented deeper
      .map((line) => line.trim().split(/\s+/)[0])
      .filter((name) => name && name !== 'help');
    expect(commands.length).toBeGreaterThan(0);
    for (const name of commands) {
      const { code, stdout } = runCli([name, '--help']);
      expect(code, name).toBe(0);
      expect(stdout, name).toContain(`Usage: wordloom ${name}`);
    }
  });
});

const VERTEX = `
attribute vec2 position;
attribute vec4 color;
uniform vec2 viewport;
uniform float size;
varying vec4 vColor;
void main() {
  // CSS pixels (y down) to clip space.
  gl_Position = vec4(position.x / viewport.x * 2.0 - 1.0, 1.0 - position.y / viewport.y * 2.0, 0.0, 1.0);
  gl_PointSize = size;
  vColor = color;
}`;

const FRAGMENT = `
precision mediump float;
varying vec4 vColor;
void main() {
  vec2 d = gl_PointCoord - vec2(0.5);
  if (dot(d, d) > 0.25) discard;
  gl_FragColor = vec4(vColor.rgb * vColor.a, vColor.a);
}`;

/**
 * The map's dots in WebGL: one `gl.POINTS` draw call for every point, positions computed by the view in
 * CSS pixels. `ok` is false when the browser has no WebGL (the view then draws on a 2-D canvas).
 */
export class PointLayer {
  readonly ok: boolean;
  private gl: WebGLRenderingContext | null = null;
  private program: WebGLProgram | null = null;
  private positions: WebGLBuffer | null = null;
  private colors: WebGLBuffer | null = null;
  private xy = new Float32Array(0);
  private rgba = new Uint8Array(0);

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.ok = this.init();
    if (!this.ok) canvas.hidden = true;
  }

  private init(): boolean {
    const gl = this.canvas.getContext('webgl', { antialias: true, premultipliedAlpha: true });
    if (!gl) return false;
    const compile = (type: number, source: string) => {
      const shader = gl.createShader(type)!;
      gl.shaderSource(shader, source);
      gl.compileShader(shader);
      return gl.getShaderParameter(shader, gl.COMPILE_STATUS) ? shader : null;
    };
    const vs = compile(gl.VERTEX_SHADER, VERTEX);
    const fs = compile(gl.FRAGMENT_SHADER, FRAGMENT);
    if (!vs || !fs) return false;
    const program = gl.createProgram()!;
    gl.attachShader(program, vs);
    gl.attachShader(program, fs);
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) return false;
    this.gl = gl;
    this.program = program;
    this.positions = gl.createBuffer();
    this.colors = gl.createBuffer();
    return true;
  }

  /** Draws the shown points (`size` in device pixels). */
  draw(
    n: number,
    sx: Float32Array,
    sy: Float32Array,
    depth: Float32Array,
    colorOf: (i: number) => [number, number, number],
    shown: (i: number) => boolean,
    size: number,
    ratio: number,
  ): void {
    const { gl, program } = this;
    if (!gl || !program) return;
    if (this.xy.length < 2 * n) {
      this.xy = new Float32Array(2 * n);
      this.rgba = new Uint8Array(4 * n);
    }
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (!shown(i)) continue;
      this.xy[2 * m] = sx[i];
      this.xy[2 * m + 1] = sy[i];
      const [r, g, b] = colorOf(i);
      this.rgba[4 * m] = r;
      this.rgba[4 * m + 1] = g;
      this.rgba[4 * m + 2] = b;
      this.rgba[4 * m + 3] = Math.round(255 * (0.35 + 0.65 * depth[i]));
      m++;
    }
    gl.viewport(0, 0, this.canvas.width, this.canvas.height);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.useProgram(program);
    const bind = (
      buffer: WebGLBuffer | null,
      name: string,
      data: ArrayBufferView,
      size: number,
      type: number,
      norm: boolean,
    ) => {
      const loc = gl.getAttribLocation(program, name);
      gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
      gl.bufferData(gl.ARRAY_BUFFER, data, gl.DYNAMIC_DRAW);
      gl.enableVertexAttribArray(loc);
      gl.vertexAttribPointer(loc, size, type, norm, 0, 0);
    };
    bind(this.positions, 'position', this.xy.subarray(0, 2 * m), 2, gl.FLOAT, false);
    bind(this.colors, 'color', this.rgba.subarray(0, 4 * m), 4, gl.UNSIGNED_BYTE, true);
    gl.uniform2f(
      gl.getUniformLocation(program, 'viewport'),
      this.canvas.width / ratio,
      this.canvas.height / ratio,
    );
    gl.uniform1f(gl.getUniformLocation(program, 'size'), Math.max(2, size * 2));
    gl.drawArrays(gl.POINTS, 0, m);
  }
}

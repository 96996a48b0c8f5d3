/**
 * Turns a drawing (white ink on black, any size) into a 28×28 MNIST-style image in [0, 1]: the ink's
 * bounding box scaled to fit 20×20 (aspect kept) and placed so its centre of mass sits at the centre,
 * which is how the MNIST digits were prepared (LeCun et al.).
 */
export function toMnistPixels(source: HTMLCanvasElement): Float32Array | null {
  const w = source.width;
  const h = source.height;
  const ctx = source.getContext('2d');
  if (!ctx) return null;
  const rgba = ctx.getImageData(0, 0, w, h).data;
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (rgba[(y * w + x) * 4] > 20) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const s = 20 / Math.max(bw, bh);
  const small = document.createElement('canvas');
  small.width = 28;
  small.height = 28;
  const sctx = small.getContext('2d');
  if (!sctx) return null;
  sctx.fillStyle = '#000';
  sctx.fillRect(0, 0, 28, 28);
  sctx.imageSmoothingEnabled = true;
  sctx.imageSmoothingQuality = 'high';
  const dw = bw * s;
  const dh = bh * s;
  sctx.drawImage(source, x0, y0, bw, bh, (28 - dw) / 2, (28 - dh) / 2, dw, dh);
  const px = sctx.getImageData(0, 0, 28, 28).data;
  const img = new Float32Array(784);
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < 784; i++) {
    const v = px[i * 4] / 255;
    img[i] = v;
    mass += v;
    mx += v * (i % 28);
    my += v * Math.floor(i / 28);
  }
  // Shift so the centre of mass lands on (13.5, 13.5).
  const dx = Math.round(13.5 - mx / mass);
  const dy = Math.round(13.5 - my / mass);
  const out = new Float32Array(784);
  for (let y = 0; y < 28; y++)
    for (let x = 0; x < 28; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sx < 28 && sy >= 0 && sy < 28) out[y * 28 + x] = img[sy * 28 + sx];
    }
  return out;
}

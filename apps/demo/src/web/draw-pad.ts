import { toMnistPixels } from './digit-image.js';
import { byId, describeError, showMessage } from './dom.js';
import { loadCheckpoint } from './load-checkpoint.js';
import type { WebData } from './web-data-client.js';

/**
 * The drawing pad: draw a digit with the mouse (or a finger); the MNIST LSTM of Listing 4-3 reads the
 * 28×28 image row by row and names the digit while you draw.
 */
export async function setUpDrawPad(data: WebData): Promise<void> {
  const model = await loadCheckpoint(data, data.manifest.mnist.checkpoint, 'sequence-classifier');
  const pad = byId<HTMLCanvasElement>('pad');
  const preview = byId<HTMLCanvasElement>('pad-preview');
  const prediction = byId<HTMLElement>('pad-prediction');
  const ctx = pad.getContext('2d');
  if (!ctx) throw new Error('this browser has no 2-D canvas');
  byId<HTMLElement>('pad-info').textContent =
    `LSTM with ${model.config.units ?? 128} units; test accuracy in the tour ${(100 * data.manifest.mnist.testAccuracy).toFixed(1)}%.`;
  const clear = () => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, pad.width, pad.height);
    preview.getContext('2d')?.clearRect(0, 0, 28, 28);
    prediction.textContent = 'draw a digit';
    delete prediction.dataset.digit;
  };
  clear();
  let pending = false;
  const classify = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const pixels = toMnistPixels(pad);
      if (!pixels) return;
      const pctx = preview.getContext('2d');
      if (pctx) {
        const image = pctx.createImageData(28, 28);
        for (let i = 0; i < 784; i++) {
          const v = Math.round(pixels[i] * 255);
          image.data.set([v, v, v, 255], i * 4);
        }
        pctx.putImageData(image, 0, 0);
      }
      try {
        const [digit] = model.predict({ inputs: pixels, labels: [0], count: 1, steps: 28, features: 28 });
        prediction.textContent = `it looks like a ${digit}`;
        prediction.dataset.digit = String(digit);
      } catch (error) {
        showMessage(prediction, describeError(error), 'error');
      }
    });
  };
  let last: { x: number; y: number } | null = null;
  const point = (e: PointerEvent) => {
    const r = pad.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) * pad.width) / r.width,
      y: ((e.clientY - r.top) * pad.height) / r.height,
    };
  };
  pad.addEventListener('pointerdown', (e) => {
    pad.setPointerCapture(e.pointerId);
    last = point(e);
  });
  pad.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = point(e);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = pad.width / 14;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last = p;
    classify();
  });
  const end = () => {
    if (last) classify();
    last = null;
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  byId<HTMLButtonElement>('pad-clear').addEventListener('click', clear);
}

import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@wordloom/backend/testing';
import { InvalidArgumentError, Random } from '@wordloom/core';
import { expect, it } from 'vitest';
import { LanguageModel } from './language-model.js';
import { SequenceClassifier, type SequenceDataset } from './sequence-classifier.js';
import type { TrainingState } from './train-loop.js';

/** Class = whether the sequence sum is positive; `noise` draws labels independent of the inputs. */
function dataset(count: number, seed = 1, noise = false): SequenceDataset {
  const random = new Random(seed);
  const inputs = Float32Array.from({ length: count * 6 * 2 }, () => random.normal());
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let s = 0;
    for (let j = 0; j < 12; j++) s += inputs[i * 12 + j];
    labels[i] = noise ? random.int(2) : s > 0 ? 1 : 0;
  }
  return { inputs, labels, count, steps: 6, features: 2 };
}

const weights = (vars: tf.Variable[]) => vars.map((v) => Array.from(v.dataSync()));

describeEachBackend('the training loop', () => {
  it('validationSplit holds out the LAST examples and reports their metrics every epoch', async () => {
    const data = dataset(64);
    const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 4, seed: 1 });
    let batches = 0;
    const result = await model.fit(data, {
      epochs: 2,
      batchSize: 16,
      validationSplit: 0.25,
      onBatchEnd: () => {
        batches++;
      },
    });
    // 48 training examples → 3 batches per epoch.
    expect(batches).toBe(6);
    const held: SequenceDataset = {
      inputs: data.inputs.slice(48 * 12),
      labels: (data.labels as Int32Array).slice(48),
      count: 16,
      steps: 6,
      features: 2,
    };
    const last = result.history[1];
    const e = model.evaluate(held);
    expect(last.validationLoss).toBeCloseTo(e.loss, 6);
    expect(last.validationAccuracy).toBe(e.accuracy);
    expect(last.learningRate).toBe(0.001);
    // The same run with the held-out part passed as validationData is identical.
    const again = new SequenceClassifier({ inputSize: 2, classes: 2, units: 4, seed: 1 });
    const first48: SequenceDataset = {
      ...held,
      inputs: data.inputs.slice(0, 48 * 12),
      labels: (data.labels as Int32Array).slice(0, 48),
      count: 48,
    };
    const r2 = await again.fit(first48, { epochs: 2, batchSize: 16, validationData: held });
    expect(r2.history.map((h) => h.validationLoss)).toEqual(result.history.map((h) => h.validationLoss));
    await expect(model.fit(data, { validationSplit: 1 })).rejects.toThrow(/'validationSplit'/);
    await expect(model.fit(data, { dropout: 0.5 } as never)).rejects.toThrow(InvalidArgumentError);
    model.dispose();
    again.dispose();
  });

  it('callbacks stop training: false from onBatchEnd, stop() from onEpochEnd', async () => {
    const data = dataset(64);
    const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 4, seed: 1 });
    const r1 = await model.fit(data, {
      epochs: 3,
      batchSize: 16,
      callbacks: [{ onBatchEnd: (info) => info.batch !== 1 }],
    });
    expect(r1.stopped).toBe(true);
    expect(r1.state).toEqual({ epoch: 0, batch: 2 });
    const r2 = await model.fit(data, {
      epochs: 3,
      batchSize: 16,
      callbacks: [{ onEpochEnd: (_info, _state, control) => control.stop() }],
    });
    expect(r2.history).toHaveLength(1);
    expect(r2.state).toEqual({ epoch: 1, batch: 0 });
    model.dispose();
  });

  it('early stopping restores the best epoch’s weights exactly', async () => {
    const train = dataset(128, 1);
    // Noise labels: the held-out loss worsens as the model fits the training set.
    const heldOut = dataset(64, 2, true);
    const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 8, seed: 3 });
    const atEpoch: number[][][] = [];
    const before = tf.memory().numTensors;
    const result = await model.fit(train, {
      epochs: 12,
      batchSize: 16,
      learningRate: 0.03,
      validationData: heldOut,
      earlyStopping: { patience: 2, restoreBestWeights: true },
      onEpochEnd: () => {
        atEpoch.push(weights(model.variables));
      },
    });
    const losses = result.history.map((h) => h.validationLoss as number);
    const best = losses.indexOf(Math.min(...losses)) + 1;
    expect(result.bestEpoch).toBe(best);
    expect(result.stopped).toBe(true);
    // Keras semantics: stop once `patience` epochs in a row brought no improvement.
    expect(result.history.length).toBe(best + 2);
    expect(weights(model.variables)).toEqual(atEpoch[best - 1]);
    expect(weights(model.variables)).not.toEqual(atEpoch.at(-1));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('restoreBestWeights survives a resume: interrupted after the best epoch, it ends on the same best weights', async () => {
    const train = dataset(128, 1);
    const heldOut = dataset(64, 2, true);
    const config = { inputSize: 2, classes: 2, units: 8, seed: 3 };
    const options = {
      epochs: 12,
      batchSize: 16,
      validationData: heldOut,
      earlyStopping: { patience: 2, restoreBestWeights: true },
    };
    const a = new SequenceClassifier(config);
    const oa = tf.train.adam(0.03);
    const atEpoch: number[][][] = [];
    const straight = await a.fit(train, {
      ...options,
      optimizer: oa,
      onEpochEnd: () => {
        atEpoch.push(weights(a.variables));
      },
    });
    const best = straight.bestEpoch as number;
    // There is an epoch after the best one to interrupt, and the restore changed the weights.
    expect(straight.history.length).toBeGreaterThan(best);
    expect(weights(a.variables)).toEqual(atEpoch[best - 1]);
    expect(weights(a.variables)).not.toEqual(atEpoch.at(-1));
    // Interrupted in the epoch after the best one: the state carries the best epoch's weights.
    const b = new SequenceClassifier(config);
    const ob = tf.train.adam(0.03);
    const controller = new AbortController();
    const first = await b.fit(train, {
      ...options,
      optimizer: ob,
      signal: controller.signal,
      onBatchEnd: ({ epoch, batch }) => {
        if (epoch === best && batch === 3) controller.abort();
      },
    });
    expect(first.aborted).toBe(true);
    expect(first.state).toMatchObject({ epoch: best, batch: 4, monitor: { bestEpoch: best } });
    expect(first.state.bestWeights?.map((w) => Array.from(w))).toEqual(atEpoch[best - 1]);
    const resumed = await b.fit(train, { ...options, optimizer: ob, initialState: first.state });
    expect(resumed.bestEpoch).toBe(best);
    expect(weights(b.variables)).toEqual(weights(a.variables));
    // A state that records a best epoch without its weights cannot restore it: refused, not ignored.
    const { bestWeights: _, ...withoutWeights } = first.state;
    await expect(b.fit(train, { ...options, initialState: withoutWeights })).rejects.toThrow(
      /'initialState'.*bestWeights/,
    );
    await expect(
      b.fit(train, { ...options, initialState: { ...first.state, bestWeights: [new Float32Array(3)] } }),
    ).rejects.toThrow(/'initialState.bestWeights'/);
    // The same state without restoreBestWeights continues (and drops them from its states).
    const plain = await b.fit(train, {
      ...options,
      earlyStopping: { patience: 2 },
      initialState: first.state,
    });
    expect(plain.state.bestWeights).toBeUndefined();
    await expect(
      b.fit(train, { ...options, earlyStopping: { restoreBestWeights: 'yes' } as never }),
    ).rejects.toThrow(/'earlyStopping.restoreBestWeights'/);
    for (const o of [oa, ob]) o.dispose();
    for (const m of [a, b]) m.dispose();
  });

  it('the optimizer trains every batch at the scheduled rate, resumed mid-epoch too', async () => {
    const data = dataset(48);
    const schedules: [unknown, (e: number) => number][] = [
      [{ type: 'step', stepSize: 2, gamma: 0.5 }, (e) => 0.1 * 0.5 ** Math.floor(e / 2)],
      [{ type: 'exponential', gamma: 0.8 }, (e) => 0.1 * 0.8 ** e],
      [
        { type: 'cosine', epochs: 4, minLearningRate: 0.01 },
        (e) => 0.01 + (0.09 * (1 + Math.cos((Math.PI * e) / 4))) / 2,
      ],
      [(e: number, lr0: number) => lr0 / (1 + e), (e) => 0.1 / (1 + e)],
    ];
    const rateOf = (o: tf.Optimizer) => (o as unknown as { learningRate: number }).learningRate;
    for (const [schedule, expected] of schedules) {
      for (const make of [() => tf.train.adam(0.1), () => tf.train.sgd(0.1), () => tf.train.rmsprop(0.1)]) {
        const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 3, seed: 1 });
        const seen: number[][] = [[], [], [], []];
        const options = { epochs: 4, batchSize: 16, learningRateSchedule: schedule as never };
        // What each batch's optimizer step used, read in the callback right after it.
        const first = make();
        const stopped = await model.fit(data, {
          ...options,
          optimizer: first,
          onBatchEnd: ({ epoch, batch }) => {
            seen[epoch].push(rateOf(first));
            return !(epoch === 2 && batch === 0);
          },
        });
        // Resumed with a fresh optimizer (rate 0.1): the rate comes from the state.
        const state = JSON.parse(JSON.stringify(stopped.state)) as TrainingState;
        const again = make();
        const rest = await model.fit(data, {
          ...options,
          optimizer: again,
          initialState: state,
          onBatchEnd: ({ epoch }) => {
            seen[epoch].push(rateOf(again));
          },
        });
        for (let e = 0; e < 4; e++) {
          expect(seen[e]).toHaveLength(3);
          for (const lr of seen[e]) expect(lr).toBeCloseTo(expected(e), 12);
        }
        expect(rest.history.map((h) => h.learningRate)).toEqual([seen[2][0], seen[3][0]]);
        // SGD multiplies by a cached scalar −lr, which must follow the rate.
        if (again.getClassName() === 'SGD')
          expect((again as unknown as { c: tf.Scalar }).c.dataSync()[0]).toBeCloseTo(-expected(3), 6);
        first.dispose();
        again.dispose();
        model.dispose();
      }
    }
  });

  it('a learning-rate schedule and decoupled weight decay are applied to the optimizer step', async () => {
    const data = dataset(32);
    const lr0 = 0.1;
    const gamma = 0.5;
    const decay = 0.2;
    const a = new SequenceClassifier({ inputSize: 2, classes: 2, units: 4, seed: 5 });
    const sgd = tf.train.sgd(lr0);
    const result = await a.fit(data, {
      epochs: 3,
      batchSize: 16,
      optimizer: sgd,
      learningRateSchedule: { type: 'exponential', gamma },
      weightDecay: decay,
    });
    expect(result.history.map((h) => h.learningRate)).toEqual([0.1, 0.05, 0.025]);
    // By hand: w ← (1 − lr·λ) w − lr·g with g taken at w, the rate halving every epoch.
    const b = new SequenceClassifier({ inputSize: 2, classes: 2, units: 4, seed: 5 });
    const { epochOrder } = await import('./train-loop.js');
    for (let epoch = 0; epoch < 3; epoch++) {
      const lr = lr0 * gamma ** epoch;
      const order = epochOrder(32, 1, epoch);
      for (let batch = 0; batch < 2; batch++) {
        const { grads } = b.computeGradients(data, order.subarray(batch * 16, batch * 16 + 16));
        b.variables.forEach((v, i) => {
          const w = v.dataSync();
          const next = Float32Array.from(
            w,
            (x, j) => Math.fround(x * Math.fround(1 - lr * decay)) - lr * grads[i][j],
          );
          v.assign(tf.tensor(next, v.shape));
        });
      }
    }
    const wa = weights(a.variables).flat();
    const wb = weights(b.variables).flat();
    for (let i = 0; i < wa.length; i++) expect(wa[i]).toBeCloseTo(wb[i], 5);
    sgd.dispose();
    a.dispose();
    b.dispose();
  });

  it('tensor count is flat over fit, evaluate, predict and complete, and after a fit that throws', async () => {
    const random = new Random(8);
    const words = 'a b c d e f g h'.split(' ');
    const tokens = Array.from({ length: 240 }, () => words[random.int(8)]);
    const before = tf.memory().numTensors;
    const full = LanguageModel.fromTokens(tokens, {
      mode: 'full',
      layers: 2,
      units: 8,
      embeddingSize: 8,
      sequenceLength: 6,
      tieWeights: true,
      sampledSoftmax: 4,
      dropout: 0.2,
      recurrentDropout: 0.2,
    });
    const window = LanguageModel.fromTokens(tokens, {
      window: 3,
      layers: 1,
      units: 4,
      embeddingSize: 0,
      cell: 'gru',
    });
    const classifier = new SequenceClassifier({
      inputSize: 2,
      classes: 2,
      units: 4,
      bidirectional: 'concat',
      dropout: 0.1,
    });
    const made = tf.memory().numTensors;
    const everything = {
      epochs: 3,
      batchSize: 8,
      validationSplit: 0.2,
      weightDecay: 0.01,
      clipValue: 1,
      earlyStopping: { patience: 1, restoreBestWeights: true },
    };
    await full.fit(tokens, { ...everything, learningRateSchedule: { type: 'step', stepSize: 1 } });
    await window.fit(tokens, {
      ...everything,
      learningRateSchedule: { type: 'cosine' },
      validationBatchSize: 16,
    });
    await classifier.fit(dataset(48), {
      ...everything,
      learningRateSchedule: { type: 'reduceOnPlateau', patience: 0 },
    });
    expect(tf.memory().numTensors).toBe(made);
    full.evaluate(tokens, 3);
    full.complete(['a', 'b'], { words: 5, temperature: 0.8, topK: 3 });
    window.evaluate(tokens);
    window.complete(['a', 'b', 'c'], { words: 5 });
    classifier.evaluate(dataset(10));
    classifier.predict(dataset(10));
    expect(tf.memory().numTensors).toBe(made);
    // A callback that throws mid-epoch: the loop's own optimizer and its slots go with it.
    await expect(
      full.fit(tokens, {
        ...everything,
        onBatchEnd: ({ batch }) => {
          if (batch === 2) throw new Error('callback failed');
        },
      }),
    ).rejects.toThrow('callback failed');
    const controller = new AbortController();
    const aborted = await window.fit(tokens, {
      ...everything,
      signal: controller.signal,
      onBatchEnd: () => controller.abort(),
    });
    expect(aborted.aborted).toBe(true);
    expect(tf.memory().numTensors).toBe(made);
    for (const m of [full, window, classifier]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('yields to the event loop: an abort from a timer (as a SIGINT handler) stops within one batch', async () => {
    const data = dataset(2048);
    const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 16, seed: 1 });
    const controller = new AbortController();
    let batchesAtAbort = -1;
    let batches = 0;
    setTimeout(() => {
      batchesAtAbort = batches;
      controller.abort();
    }, 30);
    const result = await model.fit(data, {
      epochs: 50,
      batchSize: 8,
      signal: controller.signal,
      onBatchEnd: () => {
        batches++;
      },
    });
    expect(result.aborted).toBe(true);
    expect(batchesAtAbort).toBeGreaterThanOrEqual(0);
    expect(batches - batchesAtAbort).toBeLessThanOrEqual(1);
    model.dispose();
  });

  it('resume mid-epoch with dropout equals uninterrupted training (classifier)', async () => {
    const data = dataset(96);
    const config = { inputSize: 2, classes: 2, units: 6, seed: 4, dropout: 0.3, recurrentDropout: 0.3 };
    const options = { epochs: 2, batchSize: 16, seed: 9 };
    const a = new SequenceClassifier(config);
    const oa = tf.train.adam(0.01);
    await a.fit(data, { ...options, optimizer: oa });
    const b = new SequenceClassifier(config);
    const ob = tf.train.adam(0.01);
    const first = await b.fit(data, {
      ...options,
      optimizer: ob,
      onBatchEnd: (i) => !(i.epoch === 1 && i.batch === 2),
    });
    expect(first.state).toEqual({ epoch: 1, batch: 3 });
    const state = JSON.parse(JSON.stringify(first.state)) as TrainingState;
    await b.fit(data, { ...options, optimizer: ob, initialState: state });
    expect(weights(b.variables)).toEqual(weights(a.variables));
    // Dropout is on in training (a run without it ends elsewhere) and off at inference (deterministic).
    const c = new SequenceClassifier({ ...config, dropout: 0, recurrentDropout: 0 });
    const oc = tf.train.adam(0.01);
    await c.fit(data, { ...options, optimizer: oc });
    expect(weights(c.variables)).not.toEqual(weights(a.variables));
    expect(Array.from(a.predict(data))).toEqual(Array.from(a.predict(data)));
    expect(a.evaluate(data)).toEqual(a.evaluate(data));
    for (const o of [oa, ob, oc]) o.dispose();
    for (const m of [a, b, c]) m.dispose();
  });

  it('resume mid-epoch equals uninterrupted training for a full-mode language model with dropout', async () => {
    const random = new Random(3);
    const words = 'a b c d e f g h'.split(' ');
    const tokens = Array.from({ length: 400 }, () => words[random.int(8)]);
    const config = {
      mode: 'full' as const,
      layers: 2,
      units: 8,
      embeddingSize: 6,
      sequenceLength: 10,
      dropout: 0.2,
      recurrentDropout: 0.2,
      seed: 2,
    };
    const options = { epochs: 2, batchSize: 4, seed: 5 };
    const a = LanguageModel.fromTokens(tokens, config);
    const oa = tf.train.adam(0.01);
    await a.fit(tokens, { ...options, optimizer: oa });
    const b = LanguageModel.fromTokens(tokens, config);
    const ob = tf.train.adam(0.01);
    // 4 streams of 99 tokens, 10 segments per epoch (the last of 9): stop in the middle of epoch 2.
    const first = await b.fit(tokens, {
      ...options,
      optimizer: ob,
      onBatchEnd: (i) => !(i.epoch === 1 && i.batch === 4),
    });
    expect(first.state.batch).toBe(5);
    expect(first.state.carried).toHaveLength(4);
    const state = JSON.parse(JSON.stringify(first.state)) as TrainingState;
    await b.fit(tokens, { ...options, optimizer: ob, initialState: state });
    expect(weights(b.variables)).toEqual(weights(a.variables));
    await expect(b.fit(tokens, { ...options, initialState: { epoch: 1, batch: 3 } })).rejects.toThrow(
      /carried/,
    );
    for (const o of [oa, ob]) o.dispose();
    a.dispose();
    b.dispose();
  });
});

describeEachBackend('learning-rate schedules', () => {
  const rates = async (schedule: unknown, epochs: number, validation = false) => {
    const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 3, seed: 1 });
    const r = await model.fit(dataset(16), {
      epochs,
      batchSize: 16,
      learningRate: 0.1,
      learningRateSchedule: schedule as never,
      ...(validation ? { validationData: dataset(16, 7, true) } : {}),
    });
    model.dispose();
    return r.history;
  };

  it('step, cosine and function schedules give the documented rates', async () => {
    const step = (await rates({ type: 'step', stepSize: 2, gamma: 0.5 }, 5)).map((h) => h.learningRate);
    expect(step).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    const cosine = (await rates({ type: 'cosine', epochs: 4 }, 4)).map((h) => h.learningRate);
    expect(cosine.map((v) => Number(v.toFixed(12)))).toEqual([0.1, 0.085355339059, 0.05, 0.014644660941]);
    const fn = (await rates((e: number, base: number) => base / (e + 1), 3)).map((h) => h.learningRate);
    expect(fn).toEqual([0.1, 0.05, 0.1 / 3]);
    await expect(rates({ type: 'step', stepSize: 2, gama: 0.5 }, 1)).rejects.toThrow(
      /'learningRateSchedule'/,
    );
    await expect(rates({ type: 'linear' }, 1)).rejects.toThrow(/'learningRateSchedule.type'/);
  });

  it('reduce-on-plateau follows Keras’ rule on the monitored held-out loss', async () => {
    const history = await rates({ type: 'reduceOnPlateau', patience: 1, factor: 0.5, minDelta: 0 }, 8, true);
    let lr = 0.1;
    let best = Infinity;
    let wait = 0;
    for (const h of history) {
      expect(h.learningRate).toBeCloseTo(lr, 12);
      const v = h.validationLoss as number;
      if (v < best) {
        best = v;
        wait = 0;
      } else if (++wait >= 1) {
        lr *= 0.5;
        wait = 0;
      }
    }
    expect(history.at(-1)?.learningRate).toBeLessThan(0.1);
  });
});

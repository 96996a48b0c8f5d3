// The five kinds of saved artifact under test, each with a save that encodes a generation number `k`
// in every byte that matters and a load that returns `k` only when the whole artifact agrees on it.
// Imports the built packages by path, so the same module serves the test and its child processes.

const root = new URL('../../packages/', import.meta.url);
const pkg = (path) => import(new URL(path, root).href);

/** Throws unless every element of `values` equals `k`. */
function uniform(values, k, what) {
  for (let i = 0; i < values.length; i++)
    if (values[i] !== k) throw new Error(`MIXED: ${what}[${i}] is ${values[i]}, its manifest says ${k}`);
}

let backendReady = null;
async function tfjs() {
  backendReady ??= (async () => {
    const { selectBackend } = await pkg('backend/dist/index.js');
    await selectBackend({ backend: 'cpu' });
  })();
  await backendReady;
}

/** @type {Record<string, {prepare(state: object): Promise<unknown>, save(dir: string, k: number, state: object): Promise<void>, load(dir: string, candidates: number[]): Promise<number>}>} */
export const artifacts = {
  checkpoint: {
    async prepare(state) {
      await tfjs();
      await pkg('rnn/dist/node/index.js');
      // plain Node: the instance @wordloom/rnn itself uses
      state.tf = (await pkg('rnn/dist/peer/tfjs-core.node.js')).default;
      const { SequenceClassifier } = await pkg('rnn/dist/index.js');
      state.model = new SequenceClassifier({ inputSize: 32, classes: 10, units: 64 });
      state.optimizer = state.tf.train.adam(0.01);
      // One zero step so Adam has its moments: the checkpoint then has an optimizer file too.
      const grads = Object.fromEntries(state.model.variables.map((v) => [v.name, state.tf.zerosLike(v)]));
      state.optimizer.applyGradients(grads);
      state.tf.dispose(Object.values(grads));
    },
    async save(dir, k, state) {
      const { tf, model, optimizer } = state;
      for (const v of model.variables) tf.tidy(() => v.assign(tf.fill(v.shape, k)));
      const { saveCheckpoint } = await pkg('rnn/dist/node/index.js');
      await saveCheckpoint(dir, { model, optimizer, meta: { k } });
    },
    async load(dir) {
      await tfjs();
      const { loadCheckpoint } = await pkg('rnn/dist/node/index.js');
      const { model, optimizer, meta } = await loadCheckpoint(dir);
      try {
        if (!optimizer) throw new Error('MIXED: no optimizer');
        for (const v of model.variables) uniform(v.dataSync(), meta.k, v.name);
        return meta.k;
      } finally {
        model.dispose();
        optimizer?.dispose();
      }
    },
  },

  'layers-model': {
    prepare: () => pkg('rnn/dist/node/index.js'),
    async save(dir, k) {
      const { fileSystemIO } = await pkg('rnn/dist/node/index.js');
      const n = 400_000;
      await fileSystemIO(dir).save({
        modelTopology: { class_name: 'Sequential', config: { name: `k${k}`, layers: [] } },
        format: 'layers-model',
        weightSpecs: [{ name: 'w', shape: [n], dtype: 'float32' }],
        weightData: new Float32Array(n).fill(k).buffer,
        userDefinedMetadata: { k },
      });
    },
    async load(dir) {
      const { fileSystemIO } = await pkg('rnn/dist/node/index.js');
      const a = await fileSystemIO(dir).load();
      const k = a.userDefinedMetadata.k;
      if (a.modelTopology.config.name !== `k${k}`) throw new Error('MIXED: topology');
      uniform(new Float32Array(a.weightData), k, 'w');
      return k;
    },
  },

  vectors: {
    prepare: () => Promise.all([pkg('embeddings/dist/index.js'), pkg('embeddings/dist/node/index.js')]),
    async save(dir, k) {
      const { KeyedVectors } = await pkg('embeddings/dist/index.js');
      const { saveVectors } = await pkg('embeddings/dist/node/index.js');
      const words = Array.from({ length: 2000 }, (_, i) => `w${i}`);
      await saveVectors(
        `${dir}/vectors.bin`,
        new KeyedVectors(words, new Float32Array(2000 * 100).fill(k), 100),
        'word2vec-bin',
      );
    },
    async load(dir) {
      const { loadVectors } = await pkg('embeddings/dist/node/index.js');
      const v = await loadVectors(`${dir}/vectors.bin`, { format: 'word2vec-bin' });
      if (v.size !== 2000) throw new Error(`MIXED: ${v.size} words`);
      const k = v.vectors[0];
      uniform(v.vectors, k, 'vectors');
      return k;
    },
  },

  'search-index': {
    async prepare(state) {
      const { SearchIndex } = await pkg('text-vsm/dist/index.js');
      await pkg('text-vsm/dist/node/index.js');
      {
        state.index = new SearchIndex();
        let seed = 18;
        const word = () => {
          seed = (seed * 1103515245 + 12345) % 2 ** 31;
          return `t${seed % 5000}`;
        };
        // Every document also holds `base`: its document frequency says the whole corpus is there.
        for (let d = 0; d < 3000; d++) state.index.add(`base ${Array.from({ length: 40 }, word).join(' ')}`);
      }
    },
    async save(dir, k, state) {
      const { saveSearchIndex } = await pkg('text-vsm/dist/node/index.js');
      if (state.marker !== undefined) state.index.delete(state.marker);
      state.marker = state.index.add(`marker${k} marker${k}`);
      await saveSearchIndex(state.index, `${dir}/index.bin`);
    },
    async load(dir, candidates) {
      const { loadSearchIndex } = await pkg('text-vsm/dist/node/index.js');
      const index = await loadSearchIndex(`${dir}/index.bin`);
      if (index.documentFrequency('base') !== 3000)
        throw new Error(`MIXED: ${index.documentFrequency('base')} base documents`);
      const found = candidates.filter((k) => index.documentFrequency(`marker${k}`) === 1);
      if (found.length !== 1) throw new Error(`MIXED: markers ${found} of ${candidates}`);
      return found[0];
    },
  },

  idx: {
    prepare: () => pkg('datasets/dist/index.js'),
    async save(dir, k) {
      const { writeIdx } = await pkg('datasets/dist/index.js');
      await writeIdx(`${dir}/data.idx`, {
        shape: [300_000],
        data: new Int32Array(300_000).fill(k),
        dtype: 'int32',
      });
    },
    async load(dir) {
      const { readIdxFile } = await pkg('datasets/dist/index.js');
      const a = await readIdxFile(`${dir}/data.idx`);
      const k = a.data[0];
      uniform(a.data, k, 'data');
      return k;
    },
  },
};

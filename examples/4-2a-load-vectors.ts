// Listing 4-2a: index a file of pre-trained word vectors — GloVe text (glove.6B.300d.txt), word2vec text
// or binary; the format is detected. Default: the GloVe vectors `wordloom tour` wrote.
import { loadVectors } from '@wordloom/embeddings/node';

const file = process.argv[2] ?? 'out/vectors/glove.txt';
console.log('Indexing word vectors');
const vectors = await loadVectors(file);
console.log(`Found ${vectors.size} word vectors of ${vectors.dim} dimensions in ${file}.`);

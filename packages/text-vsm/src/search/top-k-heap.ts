/** One search result: a document id and its score. */
export interface SearchHit {
  doc: number;
  score: number;
}

/**
 * A bounded min-heap keeping the k best hits, ordered by score descending then doc id ascending (the
 * deterministic order of exhaustive scoring). The root is the worst kept hit.
 */
export class TopKHeap {
  private readonly docs: Int32Array;
  private readonly scores: Float64Array;
  size = 0;

  constructor(readonly k: number) {
    this.docs = new Int32Array(k);
    this.scores = new Float64Array(k);
  }

  /** Whether hit a ranks below hit b. */
  private static worse(sa: number, da: number, sb: number, db: number): boolean {
    return sa < sb || (sa === sb && da > db);
  }

  /** Score of the worst kept hit, −∞ until the heap is full. */
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.scores[0];
  }

  /** Offers a hit; returns whether it was kept. */
  offer(doc: number, score: number): boolean {
    if (this.k === 0) return false;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!TopKHeap.worse(score, doc, this.scores[p], this.docs[p])) break;
        this.docs[i] = this.docs[p];
        this.scores[i] = this.scores[p];
        i = p;
      }
      this.docs[i] = doc;
      this.scores[i] = score;
      return true;
    }
    if (!TopKHeap.worse(this.scores[0], this.docs[0], score, doc)) return false;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c =
        r < this.size && TopKHeap.worse(this.scores[r], this.docs[r], this.scores[l], this.docs[l]) ? r : l;
      if (!TopKHeap.worse(this.scores[c], this.docs[c], score, doc)) break;
      this.docs[i] = this.docs[c];
      this.scores[i] = this.scores[c];
      i = c;
    }
    this.docs[i] = doc;
    this.scores[i] = score;
    return true;
  }

  /** The kept hits, best first. */
  sorted(): SearchHit[] {
    const hits: SearchHit[] = [];
    for (let i = 0; i < this.size; i++) hits.push({ doc: this.docs[i], score: this.scores[i] });
    return hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
  }
}

import { SearchIndex } from '@wordloom/text-vsm';
import { checkInput } from './check-input.js';
import { byId, describeError, el, showMessage } from './dom.js';
import type { WebData } from './web-data-client.js';

/** The search box: BM25 (Lucene, the library default) over the tour's paragraph index, top 10 with scores and snippets. */
export async function setUpSearch(data: WebData): Promise<void> {
  const { search } = data.manifest;
  const [indexBytes, paragraphs] = await Promise.all([
    data.bytes(search.index),
    data.json<string[]>(search.paragraphs),
  ]);
  const index = SearchIndex.load(indexBytes);
  const input = byId<HTMLInputElement>('search-input');
  const results = byId<HTMLElement>('search-results');
  byId<HTMLElement>('search-info').textContent =
    `${index.documentCount.toLocaleString('en-US')} paragraphs of ${search.corpus}, ${index.termCount.toLocaleString('en-US')} terms.`;
  byId<HTMLFormElement>('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const checked = checkInput(input.value, 'query');
    if ('problem' in checked) {
      showMessage(results, checked.problem, 'error');
      return;
    }
    try {
      const started = performance.now();
      const hits = index.search(checked.text, { top: 10 });
      const ms = performance.now() - started;
      if (hits.length === 0) {
        showMessage(results, `No paragraph contains a word of “${checked.text}”.`);
        return;
      }
      const ol = el('ol', undefined, 'hits');
      for (const hit of hits) {
        const li = el('li');
        li.append(
          el('span', `#${hit.doc} · ${hit.score.toFixed(3)}`, 'score'),
          el('p', paragraphs[hit.doc] ?? ''),
        );
        ol.append(li);
      }
      results.replaceChildren(
        el(
          'p',
          `${hits.length} best of ${index.documentCount} paragraphs in ${ms.toFixed(1)} ms (BM25)`,
          'meta',
        ),
        ol,
      );
    } catch (error) {
      showMessage(results, describeError(error), 'error');
    }
  });
}

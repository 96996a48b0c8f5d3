import { tokenizeWords } from '@wordloom/rnn';
import { checkInput } from './check-input.js';
import { byId, describeError, el, showMessage } from './dom.js';
import { MAX_COMPLETION_WORDS } from './limits.js';
import { loadCheckpoint } from './load-checkpoint.js';
import type { WebData } from './web-data-client.js';

/** Sentence completion with the tour's Alice language model; temperature 0 is Listing 4-4's greedy choice. */
export async function setUpCompletion(data: WebData): Promise<void> {
  const { languageModel } = data.manifest;
  const model = await loadCheckpoint(data, languageModel.checkpoint, 'language-model');
  const input = byId<HTMLInputElement>('complete-input');
  const slider = byId<HTMLInputElement>('complete-temperature');
  const shown = byId<HTMLElement>('complete-temperature-value');
  const wordsInput = byId<HTMLInputElement>('complete-words');
  const result = byId<HTMLElement>('complete-result');
  const window = model.config.window;
  input.value = languageModel.prompt;
  byId<HTMLElement>('complete-info').textContent =
    `2-layer LSTM, ${model.vocabulary.length} words (the Alice passage); it reads the last ${window} words.`;
  const showTemperature = () => {
    const t = Number(slider.value);
    shown.textContent = t === 0 ? '0 (greedy)' : t.toFixed(1);
  };
  slider.addEventListener('input', showTemperature);
  showTemperature();
  let seed = 1;
  byId<HTMLFormElement>('complete-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const checked = checkInput(input.value, 'prompt');
    if ('problem' in checked) {
      showMessage(result, checked.problem, 'error');
      return;
    }
    const tokens = tokenizeWords(checked.text);
    const known = new Set(model.vocabulary);
    const unknown = tokens.filter((t) => !known.has(t));
    if (unknown.length > 0) {
      showMessage(
        result,
        `Unknown word${unknown.length > 1 ? 's' : ''} ${unknown
          .slice(0, 5)
          .map((w) => `“${w}”`)
          .join(', ')}: the model knows only the ${model.vocabulary.length} words of the Alice passage.`,
        'error',
      );
      return;
    }
    if (tokens.length < window) {
      showMessage(
        result,
        `Give at least ${window} words: the model predicts from the last ${window}.`,
        'error',
      );
      return;
    }
    const words = Math.round(Number(wordsInput.value));
    if (!Number.isFinite(words) || words < 1 || words > MAX_COMPLETION_WORDS) {
      showMessage(result, `Words to add: a whole number from 1 to ${MAX_COMPLETION_WORDS}.`, 'error');
      return;
    }
    try {
      const added = model.complete(tokens, { words, temperature: Number(slider.value), seed: seed++ });
      const p = el('p', undefined, 'completion');
      p.append(
        el('span', tokens.join(' '), 'prompt'),
        document.createTextNode(' '),
        el('span', added.join(' '), 'added'),
      );
      result.replaceChildren(p);
    } catch (error) {
      showMessage(result, describeError(error), 'error');
    }
  });
}

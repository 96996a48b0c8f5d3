/**
 * Creates an element whose text is set with `textContent` (never parsed as HTML: user text and data are
 * always rendered as text).
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** The element with this id, of the expected type (the page's own markup; a missing one is a bug). */
export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`page element #${id} is missing`);
  return node as T;
}

/** Shows a one-line message in `target` (`error` styles it as a problem). */
export function showMessage(target: HTMLElement, text: string, kind: 'info' | 'error' = 'info'): void {
  target.replaceChildren(el('p', text, `message ${kind}`));
}

/** A user-facing description of any thrown value. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

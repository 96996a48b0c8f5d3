/** Ten distinguishable category colours (matplotlib's `tab10`, the colours of the chapter's figures). */
export const CATEGORY_COLORS: readonly string[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** The colour of category `index` (cycling after ten). */
export function categoryColor(index: number): string {
  return CATEGORY_COLORS[
    ((index % CATEGORY_COLORS.length) + CATEGORY_COLORS.length) % CATEGORY_COLORS.length
  ];
}

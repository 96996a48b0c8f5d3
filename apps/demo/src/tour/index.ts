export { renderReport } from './report/render-report.js';
export { resolveSizes, runTour, type TourOptions } from './run-tour.js';
export { SILENT_REPORTER, type TourProgress, type TourReporter } from './tour-reporter.js';
export type { TourResult } from './tour-result.js';
export { DEFAULT_SIZES, TINY_SIZES, type TourSizes } from './tour-sizes.js';
export { WEB_DATA_FILE, type WebDataManifest } from './web-data.js';

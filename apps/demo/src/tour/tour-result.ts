import type { BackendInfo } from '@wordloom/backend';
import type { FigureFiles } from './stages/figure-files.js';
import type { LanguageModelStageResult } from './stages/language-model-stage.js';
import type { MapsStageResult } from './stages/maps-stage.js';
import type { MnistStageResult } from './stages/mnist-stage.js';
import type { SearchStageResult } from './stages/search-stage.js';
import type { SvdStageResult } from './stages/svd-stage.js';
import type { WordVectorsStageResult } from './stages/word-vectors-stage.js';
import type { TourSizes } from './tour-sizes.js';

/** Everything the tour measured (also written as `summary.json`). */
export interface TourResult {
  startedAt: string;
  backend: BackendInfo;
  node: string;
  sizes: TourSizes;
  seed: number;
  /** Wall time of each stage and in total. */
  seconds: Record<string, number>;
  search: SearchStageResult;
  wordVectors: WordVectorsStageResult;
  svd: SvdStageResult & { figure: FigureFiles };
  maps: MapsStageResult;
  mnist: MnistStageResult;
  languageModel: LanguageModelStageResult;
}

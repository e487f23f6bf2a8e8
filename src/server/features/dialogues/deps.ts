import type { AiProvider } from '../../ai/provider.ts';
import type { FeatureDeps } from '../../http/context.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { RequestTranslations } from './translations.types.ts';

export type { StatementTranslator } from './translations.types.ts';

export type DialogueDeps = FeatureDeps & {
  ai: AiProvider | null;
  jobs: Jobs;
  /** queues statements' translation in the caller's transaction; null without an AI provider */
  translate: RequestTranslations;
};

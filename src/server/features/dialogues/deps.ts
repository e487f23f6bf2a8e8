import type { AiProvider } from '../../ai/provider.ts';
import type { FeatureDeps } from '../../http/context.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { RequestTranslations } from './translations.service.ts';

/**
 * What the dialogue features need of the AI provider (src/server/ai/provider.ts satisfies it). Null when no
 * provider is configured: statements then show in their original language, named, and staff may enter
 * human translations.
 */
export type StatementTranslator = Pick<AiProvider, 'translate' | 'describe'>;

export type DialogueDeps = FeatureDeps & {
  ai: AiProvider | null;
  jobs: Jobs;
  /** queues statements' translation in the caller's transaction; null without an AI provider */
  translate: RequestTranslations;
};

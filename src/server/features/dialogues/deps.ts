import type { AiProvider } from '../../ai/provider.ts';
import type { FeatureDeps } from '../../http/context.ts';

/**
 * What the dialogue features need of the AI provider (src/server/ai/provider.ts satisfies it). Null when no
 * provider is configured: statements then show in their original language, named, and staff may enter
 * human translations.
 */
export type StatementTranslator = Pick<AiProvider, 'translate' | 'describe'>;

export type DialogueDeps = FeatureDeps & { ai: AiProvider | null };

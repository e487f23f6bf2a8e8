import type { AiProvider } from '../../ai/provider.ts';
import type { Db } from '../../db/client.ts';

// The translation types that the dialogue deps (deps.ts) and the translation service both name.

/**
 * What the dialogue features need of the AI provider (src/server/ai/provider.ts satisfies it). Null when no
 * provider is configured: statements then show in their original language, named, and staff may enter
 * human translations.
 */
export type StatementTranslator = Pick<AiProvider, 'translate' | 'describe'>;

/**
 * Asks for statements' translations in the caller's transaction: a durable job (src/server/jobs) that exists
 * if and only if the statements were stored. Null when no AI provider is configured: statements then show in
 * their original language, named, and staff may enter translations.
 */
export type RequestTranslations = ((tx: Db, statementIds: string[]) => Promise<void>) | null;

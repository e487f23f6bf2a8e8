import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Schema } from './schema.ts';

/** The database handle every service takes first; a transaction is one too. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from '../accounts/accounts.schema.ts';
import { dialogue, dialogueStatement, type LocalizedText } from '../dialogues/dialogues.schema.ts';

/**
 * A message test: a randomized experiment run side by side in several populations (Israelis, Palestinians…):
 * each respondent is assigned on the server to the control condition or one message, then answers the
 * outcome questions. The analysis compares each message with control in each population.
 */
export const study = pgTable('study', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  description: text('description'),
  /** draft | open | closed: the public survey takes answers only while open */
  status: text('status').notNull().default('draft'),
  /** languages the survey is offered in (he, ar, en) */
  languages: text('languages').array().notNull(),
  /** simple: each respondent's condition drawn independently; block: permuted blocks per population (balanced) */
  randomization: text('randomization').notNull().default('block'),
  /** block randomization: conditions appear this many times in each block (block size = conditions × this) */
  blockRepeats: smallint('block_repeats').notNull().default(2),
  /** secret that seeds the assignment (never sent to anyone) */
  assignmentSeed: text('assignment_seed').notNull(),
  /** consent text shown first, per language */
  consent: jsonb('consent').$type<LocalizedText>().notNull().default({}),
  /** thank-you text shown last, per language */
  thanks: jsonb('thanks').$type<LocalizedText>().notNull().default({}),
  /** the brief the AI provider drafts message variants from */
  brief: text('brief'),
  /** the dialogue whose bridging statements became this study's messages */
  dialogueId: uuid('dialogue_id').references(() => dialogue.id, { onDelete: 'set null' }),
  createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A population (segment) the experiment runs in, with the languages it reads and its target sample. */
export const studyPopulation = pgTable(
  'study_population',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studyId: uuid('study_id')
      .notNull()
      .references(() => study.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    languages: text('languages').array().notNull(),
    targetN: integer('target_n'),
    position: integer('position').notNull().default(0),
  },
  (t) => [uniqueIndex('study_population_key_idx').on(t.studyId, t.key)],
);

/** A condition: the control (exactly one per study) or a message, its text per language. */
export const studyArm = pgTable(
  'study_arm',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studyId: uuid('study_id')
      .notNull()
      .references(() => study.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    control: boolean('control').notNull().default(false),
    /** what respondents read (a control may show a neutral text, or nothing) */
    text: jsonb('text').$type<LocalizedText>().notNull().default({}),
    /** the dialogue statement it came from ("test these statements") */
    sourceStatementId: uuid('source_statement_id').references(() => dialogueStatement.id, { onDelete: 'set null' }),
    position: integer('position').notNull().default(0),
  },
  (t) => [uniqueIndex('study_arm_key_idx').on(t.studyId, t.key)],
);

/**
 * A question: an outcome (asked after the message), a covariate (asked before it, pre-treatment) or the
 * attention check (asked last; correctOption is the right answer).
 */
export const studyQuestion = pgTable(
  'study_question',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studyId: uuid('study_id')
      .notNull()
      .references(() => study.id, { onDelete: 'cascade' }),
    /** outcome | covariate | attention */
    role: text('role').notNull(),
    key: text('key').notNull(),
    prompt: jsonb('prompt').$type<LocalizedText>().notNull(),
    /** scale (scaleMin..scaleMax: 1–7, 0–10) | yes_no | choice */
    kind: text('kind').notNull(),
    scaleMin: smallint('scale_min'),
    scaleMax: smallint('scale_max'),
    /** scale ends' labels, per language: { min: LocalizedText, max: LocalizedText } */
    scaleLabels: jsonb('scale_labels').$type<{ min?: LocalizedText; max?: LocalizedText }>().notNull().default({}),
    options: jsonb('options').$type<{ id: string; label: LocalizedText }[]>().notNull().default([]),
    correctOption: text('correct_option'),
    /** the outcome the verdicts are given on (one per study) */
    primary: boolean('primary').notNull().default(false),
    position: integer('position').notNull().default(0),
  },
  (t) => [uniqueIndex('study_question_key_idx').on(t.studyId, t.key)],
);

/** The public survey link of a population: /s/{token}. */
export const studyInvite = pgTable(
  'study_invite',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studyId: uuid('study_id')
      .notNull()
      .references(() => study.id, { onDelete: 'cascade' }),
    populationId: uuid('population_id')
      .notNull()
      .references(() => studyPopulation.id, { onDelete: 'cascade' }),
    token: text('token').notNull().unique(),
    label: text('label'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('study_invite_study_idx').on(t.studyId)],
);

/**
 * One respondent: the condition they were assigned (on the server, when they consented) and how far they got.
 * Anonymous: no IP, nothing but their answers. Imported rows (a panel vendor's CSV) carry a cluster label.
 */
export const studyResponse = pgTable(
  'study_response',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studyId: uuid('study_id')
      .notNull()
      .references(() => study.id, { onDelete: 'cascade' }),
    populationId: uuid('population_id')
      .notNull()
      .references(() => studyPopulation.id, { onDelete: 'restrict' }),
    armId: uuid('arm_id')
      .notNull()
      .references(() => studyArm.id, { onDelete: 'restrict' }),
    /** survey | import */
    source: text('source').notNull(),
    language: text('language'),
    /** households or other clusters (CR2 standard errors) */
    cluster: text('cluster'),
    /** consented | complete */
    status: text('status').notNull().default('consented'),
    attentionPassed: boolean('attention_passed'),
    /** the position in the population's sequence of assignments (block randomization) */
    sequence: integer('sequence'),
    /** SHA-256 of the respondent's cookie token (survey only) */
    tokenHash: text('token_hash'),
    /**
     * The answers, by question id: a number (a scale value; yes = 1, no = 0) or a choice's id. One row per
     * respondent, as a panel vendor's CSV has it: 350,000 respondents are 350,000 rows, not a million answer
     * rows each checked against two foreign keys. Questions cannot change once a response exists.
     */
    answers: jsonb('answers').$type<Record<string, number | string>>().notNull().default({}),
    /** the import batch it came from */
    importId: uuid('import_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    index('study_response_study_idx').on(t.studyId, t.populationId, t.armId),
    // deleting an arm or a population checks its responses (ON DELETE restrict) through these
    index('study_response_arm_idx').on(t.armId),
    index('study_response_population_idx').on(t.populationId),
    // survey responses only: imported rows have no sequence
    uniqueIndex('study_response_sequence_idx').on(t.populationId, t.sequence).where(sql`${t.sequence} IS NOT NULL`),
    uniqueIndex('study_response_token_hash_idx').on(t.tokenHash).where(sql`${t.tokenHash} IS NOT NULL`),
    // the home page's "responses since you last came" (migration 0015)
    index('study_response_completed_at_idx').on(t.completedAt),
  ],
);

/** The AI provider's predicted ranking of the messages (kept apart from measured results). */
export const studyPrediction = pgTable(
  'study_prediction',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studyId: uuid('study_id')
      .notNull()
      .references(() => study.id, { onDelete: 'cascade' }),
    populationId: uuid('population_id').references(() => studyPopulation.id, { onDelete: 'cascade' }),
    armId: uuid('arm_id')
      .notNull()
      .references(() => studyArm.id, { onDelete: 'cascade' }),
    score: doublePrecision('score').notNull(),
    rationale: text('rationale'),
    model: text('model').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('study_prediction_study_idx').on(t.studyId)],
);

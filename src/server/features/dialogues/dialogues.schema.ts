import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from '../accounts/accounts.schema.ts';

/** Text staff wrote in one or more languages: { en?: '…', he?: '…', ar?: '…' }. */
export type LocalizedText = Partial<Record<string, string>>;

/**
 * A collective dialogue (Remesh / Pol.is): participants from named populations write statements and vote on
 * each other's. Staff see per-population figures, opinion groups and bridging statements.
 */
/**
 * What one analysis hands the next (Pol.is's stability: who is in, the components, the clusters' centres, the
 * smoothed number of groups), stored in the dialogue's row so that every server continues from the same run. Its
 * indices count participants and statements in (created_at, id) order; `fit` names the last of each it counted, so a
 * deletion (which would shift them) is noticed and the next run starts afresh.
 */
export type StoredRun = {
  fit: { participants: number; lastParticipant: string | null; statements: number; lastStatement: string | null };
  included: number[];
  kSmoother: { lastK: number; lastKCount: number; smoothedK: number };
  pcaComponents: number[][];
  baseClusters: { id: number; members: number[]; center: [number, number] }[];
  groupClusterings: { k: number; clusters: { id: number; members: number[]; center: [number, number] }[] }[];
};

/**
 * An imported Pol.is conversation: which inclusion rule (who is clustered) its analysis follows, detected from the
 * export or chosen at the import (polis-format.ts detectInclusion, math/inclusion.ts); for 'history', the Pol.is ids
 * of the participants replaying votes.csv kept clustered. `missingVotes`: 'zero' when the export shows Pol.is's math
 * from before October 2017, which counted a missing vote as 0 (polis-format.ts detectMissingVotes; absent: today's).
 * `summaryGroups`: summary.csv's `groups`, for comparison only (the analysis never reads it). `replay`: the history
 * replayed at the import, when the export shows it.
 */
export type PolisAnalysisState = {
  inclusion: 'votes' | 'history';
  inclusionDetected: boolean;
  inConv?: string[];
  missingVotes?: 'zero';
  summaryGroups?: number;
  /**
   * the history replayed at the import (polis-replay.ts; exports that show their history only): how many updates,
   * how far apart at least, and the final state every analysis of the dialogue starts from
   */
  replay?: { updates: number; updateMs: number; run: StoredRun };
};

export const dialogue = pgTable('dialogue', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** per language, like the introduction (dialogue-title.ts picks the reader's) */
  title: jsonb('title').$type<LocalizedText>().notNull(),
  /** shown to staff */
  description: text('description'),
  /** shown to participants on entry, per language */
  intro: jsonb('intro').$type<LocalizedText>().notNull().default({}),
  /** languages participants may choose (he, ar, en), the first is the default */
  languages: text('languages').array().notNull(),
  /** pre = statements wait for a moderator before anyone sees them; post = shown at once, can be rejected later */
  moderation: text('moderation').notNull().default('post'),
  /** participants see the results (per-population figures, bridging statements) */
  resultsVisible: boolean('results_visible').notNull().default(false),
  /** offer the "which of these two do you prefer?" exercise */
  pairwise: boolean('pairwise').notNull().default(false),
  /**
   * What one analysis hands to the next, across restarts and servers: `runs` per question ('all' for the whole
   * dialogue), each with Pol.is's smoothed number of groups (a new k must win several runs in a row). `polis`: how an
   * imported Pol.is conversation is analysed (PolisAnalysisState). `kSmoother`: written by imports before December
   * 2026 from summary.csv's `groups`; no longer read (the number of groups comes from the votes alone).
   */
  analysisState: jsonb('analysis_state')
    .$type<{ kSmoother?: { lastK: number; lastKCount: number; smoothedK: number }; runs?: Record<string, StoredRun>; polis?: PolisAnalysisState }>()
    .notNull()
    .default({}),
  createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A self-identified population, e.g. Jewish Israelis, Palestinians in the West Bank and Gaza. */
export const dialogueSegment = pgTable(
  'dialogue_segment',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dialogueId: uuid('dialogue_id')
      .notNull()
      .references(() => dialogue.id, { onDelete: 'cascade' }),
    /** a short stable key (used in exports), e.g. jewish-israelis */
    key: text('key').notNull(),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    position: integer('position').notNull().default(0),
  },
  (t) => [uniqueIndex('dialogue_segment_key_idx').on(t.dialogueId, t.key)],
);

/**
 * A session is for one segment (uni-national) or for all (joint, segmentId null). It is open when its status
 * is open, or when it is scheduled and the time is between opensAt and closesAt.
 */
export const dialogueSession = pgTable(
  'dialogue_session',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dialogueId: uuid('dialogue_id')
      .notNull()
      .references(() => dialogue.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    segmentId: uuid('segment_id').references(() => dialogueSegment.id, { onDelete: 'restrict' }),
    /** draft | scheduled | open | closed */
    status: text('status').notNull().default('draft'),
    opensAt: timestamp('opens_at', { withTimezone: true }),
    closesAt: timestamp('closes_at', { withTimezone: true }),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('dialogue_session_dialogue_idx').on(t.dialogueId)],
);

/** An open question (statements + votes), a poll (single, multiple, scale), or a validation poll of a summary. */
export const dialogueQuestion = pgTable(
  'dialogue_question',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => dialogueSession.id, { onDelete: 'cascade' }),
    dialogueId: uuid('dialogue_id')
      .notNull()
      .references(() => dialogue.id, { onDelete: 'cascade' }),
    /** open | poll */
    kind: text('kind').notNull(),
    prompt: jsonb('prompt').$type<LocalizedText>().notNull(),
    /** poll: single | multiple | scale */
    pollMode: text('poll_mode'),
    /** poll choices: [{ id, label: LocalizedText }] */
    options: jsonb('options').$type<{ id: string; label: LocalizedText }[]>().notNull().default([]),
    scaleMin: smallint('scale_min'),
    scaleMax: smallint('scale_max'),
    /** a validation poll asks whether this summary reflects the participant's view */
    summaryId: uuid('summary_id'),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('dialogue_question_session_idx').on(t.sessionId)],
);

/** Someone taking part: anonymous. Nothing about them but their segment, language and what they enter. */
export const dialogueParticipant = pgTable(
  'dialogue_participant',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dialogueId: uuid('dialogue_id')
      .notNull()
      .references(() => dialogue.id, { onDelete: 'cascade' }),
    segmentId: uuid('segment_id').references(() => dialogueSegment.id, { onDelete: 'restrict' }),
    language: text('language').notNull(),
    /** SHA-256 of the cookie token (the token itself is never stored) */
    tokenHash: text('token_hash').notNull().unique(),
    /** SHA-256 of the short resume code, for continuing on another device */
    resumeHash: text('resume_hash').notNull().unique(),
    /** the participant id in an imported Pol.is conversation */
    sourceId: text('source_id'),
    /** the group Pol.is put them in (participants-votes.csv's group-id), shown beside Convene's groups; never read by the analysis */
    polisGroup: smallint('polis_group'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('dialogue_participant_dialogue_idx').on(t.dialogueId)],
);

/** A statement written by a participant, or a seed written by staff, in its original language. */
export const dialogueStatement = pgTable(
  'dialogue_statement',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    questionId: uuid('question_id')
      .notNull()
      .references(() => dialogueQuestion.id, { onDelete: 'cascade' }),
    dialogueId: uuid('dialogue_id')
      .notNull()
      .references(() => dialogue.id, { onDelete: 'cascade' }),
    /** null for a seed statement */
    participantId: uuid('participant_id').references(() => dialogueParticipant.id, { onDelete: 'cascade' }),
    /** the author's segment (copied, so staff never need the participant) */
    segmentId: uuid('segment_id').references(() => dialogueSegment.id, { onDelete: 'restrict' }),
    seed: boolean('seed').notNull().default(false),
    body: text('body').notNull(),
    /** he | ar | en | other */
    language: text('language').notNull(),
    /** pending | accepted | rejected */
    status: text('status').notNull(),
    rejectReason: text('reject_reason'),
    moderatedBy: text('moderated_by').references(() => user.id, { onDelete: 'set null' }),
    moderatedAt: timestamp('moderated_at', { withTimezone: true }),
    /** the comment id in an imported Pol.is conversation */
    sourceId: text('source_id'),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('dialogue_statement_question_idx').on(t.questionId, t.status), index('dialogue_statement_dialogue_idx').on(t.dialogueId)],
);

export const dialogueTranslation = pgTable(
  'dialogue_translation',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => dialogueStatement.id, { onDelete: 'cascade' }),
    language: text('language').notNull(),
    body: text('body').notNull(),
    /** ai | human */
    source: text('source').notNull(),
    /** the model (ai) */
    model: text('model'),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.language] })],
);

/** One vote per participant per statement: the latest stands. 1 agree, -1 disagree, 0 pass. */
export const dialogueVote = pgTable(
  'dialogue_vote',
  {
    participantId: uuid('participant_id')
      .notNull()
      .references(() => dialogueParticipant.id, { onDelete: 'cascade' }),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => dialogueStatement.id, { onDelete: 'cascade' }),
    dialogueId: uuid('dialogue_id').notNull(),
    value: smallint('value').notNull(),
    votedAt: timestamp('voted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.participantId, t.statementId] }), index('dialogue_vote_dialogue_idx').on(t.dialogueId), index('dialogue_vote_statement_idx').on(t.statementId)],
);

/** A poll answer: choice ids (single / multiple) or a scale value. The latest stands. */
export const dialoguePollAnswer = pgTable(
  'dialogue_poll_answer',
  {
    participantId: uuid('participant_id')
      .notNull()
      .references(() => dialogueParticipant.id, { onDelete: 'cascade' }),
    questionId: uuid('question_id')
      .notNull()
      .references(() => dialogueQuestion.id, { onDelete: 'cascade' }),
    choices: text('choices').array().notNull().default(sql`'{}'::text[]`),
    scale: smallint('scale'),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.participantId, t.questionId] })],
);

/** "Which of these two do you prefer?" */
export const dialoguePairwise = pgTable(
  'dialogue_pairwise',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => dialogueParticipant.id, { onDelete: 'cascade' }),
    questionId: uuid('question_id')
      .notNull()
      .references(() => dialogueQuestion.id, { onDelete: 'cascade' }),
    winnerId: uuid('winner_id')
      .notNull()
      .references(() => dialogueStatement.id, { onDelete: 'cascade' }),
    loserId: uuid('loser_id')
      .notNull()
      .references(() => dialogueStatement.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('dialogue_pairwise_question_idx').on(t.questionId),
    // a participant's answers, counted before each next item
    index('dialogue_pairwise_participant_idx').on(t.participantId),
  ],
);

/** Invite links: one per segment, or one where participants choose their segment (segmentId null). */
export const dialogueInvite = pgTable(
  'dialogue_invite',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dialogueId: uuid('dialogue_id')
      .notNull()
      .references(() => dialogue.id, { onDelete: 'cascade' }),
    segmentId: uuid('segment_id').references(() => dialogueSegment.id, { onDelete: 'cascade' }),
    /** the random part of the link /p/{token} */
    token: text('token').notNull().unique(),
    label: text('label'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('dialogue_invite_dialogue_idx').on(t.dialogueId)],
);

/** Themes of an open question, per segment (segmentId) or overall (null), written by the AI provider or by keywords. */
export const dialogueSummary = pgTable(
  'dialogue_summary',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    questionId: uuid('question_id')
      .notNull()
      .references(() => dialogueQuestion.id, { onDelete: 'cascade' }),
    segmentId: uuid('segment_id').references(() => dialogueSegment.id, { onDelete: 'cascade' }),
    /** ai | keywords */
    method: text('method').notNull(),
    language: text('language').notNull(),
    model: text('model'),
    themes: jsonb('themes').$type<{ title: string; summary: string; statementIds: string[] }[]>().notNull(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('dialogue_summary_question_idx').on(t.questionId)],
);

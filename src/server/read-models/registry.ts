// Every piece of derived data Convene keeps in the database: what it is, what it is computed from, which writes it
// follows and how it is rebuilt (docs/architecture.md, "Derived data"; decision record 004).
//
// Each read model's current definition is ONE file of this folder: its table (CREATE TABLE IF NOT EXISTS: the files own
// the read_model tables, which hold nothing of their own and are outside backups), its functions and its own row or
// deferred triggers. The statement triggers that follow the application's writes are generated from this registry
// (wiring.ts): ONE trigger per table and event, which calls the read models that follow the table in the order of
// READ_MODELS below. That order is the dependency order (a model comes after the ones it reads), so firing order never
// rests on trigger names, and the same order rebuilds everything (read_model.rebuild()).
//
// apply.ts applies the files after the migrations, whenever their hash differs from the one the database holds.
//
// Adding a read model for a new pillar: write <name>.sql here (header: what it derives from, how it is kept and
// rebuilt; a rebuild function; one read_model.<key>_after_<table>(op text, olds <table>[], news <table>[]) function per
// table it follows), add its entry below after the models it reads, and test that what the triggers leave equals a
// rebuild (src/server/read-models/read-models-home.http.test.ts shows how).

export type WriteEvent = 'INSERT' | 'UPDATE' | 'DELETE';

export type Follow = {
  /** the table whose writes the model follows: an application table, or read_model.<table> for another read model */
  table: string;
  events: WriteEvent[];
  /** called by the table's statement trigger as handler(TG_OP, old rows, new rows); by default read_model.<key>_after_<table> */
  handler?: string;
};

export type ReadModel = {
  /** names its functions (read_model.<key>_after_<table>) and its row in read_model.applied */
  key: string;
  /** its file in this folder: the whole current definition */
  file: string;
  /** what it keeps: tables of the read_model schema, or columns of application tables */
  keeps: string[];
  /** the read_model tables its file creates: dropped and made again (then rebuilt) when the model's definition changes */
  owns: string[];
  /** what it is computed from: application tables and columns, and other read models' tables */
  derivesFrom: string[];
  /** the read models it reads: they come before it here, are rebuilt before it, and a rebuild of one rebuilds it too */
  dependsOn: string[];
  /** the writes it follows through the generated statement triggers */
  follows: Follow[];
  /** rebuilds it from scratch, from what it derives from */
  rebuild: string;
  /** why it exists */
  purpose: string;
};

const IUD: WriteEvent[] = ['INSERT', 'UPDATE', 'DELETE'];
const UD: WriteEvent[] = ['UPDATE', 'DELETE'];
const ID: WriteEvent[] = ['INSERT', 'DELETE'];
/** member health recomputes its rows once, at the end of the outermost statement whose read models changed its sources */
const HEALTH_AT_STATEMENT_END = 'read_model.member_health_at_statement_end';

/** Files every read model shares, applied first. They keep no rows. */
export const SHARED_FILES = ['rebuilding.sql', 'name-order.sql'];

/** In dependency order: triggers call them, and rebuilds run, in this order. */
export const READ_MODELS: ReadModel[] = [
  {
    key: 'meeting_organisation_mirror',
    file: 'meeting-organisation-mirror.sql',
    keeps: ['meeting_organisation.starts_at', 'meeting_organisation.meeting_restricted'],
    owns: [],
    derivesFrom: ['meeting.starts_at', 'meeting.restricted'],
    dependsOn: [],
    follows: [{ table: 'meeting', events: ['UPDATE'] }],
    rebuild: 'read_model.rebuild_meeting_organisation_mirror',
    purpose: "an organisation's meetings in time order, and whether each is restricted, from its attendance rows alone",
  },
  {
    key: 'meeting_reader',
    file: 'meeting-reader.sql',
    keeps: ['read_model.meeting_reader'],
    owns: ['read_model.meeting_reader'],
    derivesFrom: ['meeting.restricted', 'meeting_staff', 'access_grant'],
    dependsOn: [],
    follows: [
      { table: 'meeting', events: UD },
      { table: 'meeting_staff', events: IUD },
      { table: 'access_grant', events: IUD },
    ],
    rebuild: 'read_model.rebuild_meeting_reader',
    purpose: 'who, besides admins, may see each restricted meeting',
  },
  {
    key: 'organisation_activity',
    file: 'organisation-activity.sql',
    keeps: ['read_model.organisation_activity'],
    owns: ['read_model.organisation_activity'],
    derivesFrom: ['organisation', 'meeting_organisation', 'meeting.restricted', 'shared_item', 'follow_up'],
    dependsOn: ['meeting_organisation_mirror'],
    follows: [
      { table: 'organisation', events: ID },
      { table: 'meeting', events: ['UPDATE'] },
      { table: 'meeting_organisation', events: IUD, handler: 'read_model.organisation_activity_after_rows' },
      { table: 'shared_item', events: IUD, handler: 'read_model.organisation_activity_after_rows' },
      { table: 'follow_up', events: IUD, handler: 'read_model.organisation_activity_after_rows' },
    ],
    rebuild: 'read_model.rebuild_organisation_activity',
    purpose: "member health's figures per organisation, over unrestricted records and over all records",
  },
  {
    key: 'reader_activity',
    file: 'reader-activity.sql',
    keeps: ['read_model.reader_activity'],
    owns: ['read_model.reader_activity'],
    derivesFrom: ['read_model.meeting_reader', 'organisation', 'meeting_organisation', 'meeting.restricted', 'shared_item', 'follow_up', 'meeting_staff', 'access_grant'],
    dependsOn: ['meeting_organisation_mirror', 'meeting_reader'],
    follows: [
      { table: 'organisation', events: ['DELETE'] },
      { table: 'meeting', events: ['UPDATE'] },
      { table: 'meeting_organisation', events: IUD },
      { table: 'meeting_staff', events: IUD },
      { table: 'access_grant', events: IUD },
      { table: 'shared_item', events: IUD },
      { table: 'follow_up', events: IUD },
      { table: 'read_model.meeting_reader', events: ID },
    ],
    rebuild: 'read_model.rebuild_reader_activity',
    purpose: "what each reader's own restricted records add to member health's figures",
  },
  {
    key: 'organisation_card',
    file: 'organisation-card.sql',
    keeps: ['read_model.organisation_card'],
    owns: ['read_model.organisation_card'],
    derivesFrom: ['organisation', 'organisation_name'],
    dependsOn: [],
    follows: [
      { table: 'organisation', events: IUD },
      { table: 'organisation_name', events: IUD },
    ],
    rebuild: 'read_model.rebuild_organisation_card',
    purpose: "what the lists show of an organisation (its row and its recorded names), as facts ready to copy, and the keys that order the list in each reader's language",
  },
  {
    key: 'person_order',
    file: 'person-order.sql',
    keeps: ['read_model.person_order'],
    owns: ['read_model.person_order'],
    derivesFrom: ['person.display_name', 'person.identity_restricted', 'person_name'],
    dependsOn: [],
    follows: [
      { table: 'person', events: IUD },
      { table: 'person_name', events: IUD },
    ],
    rebuild: 'read_model.rebuild_person_order',
    purpose: "the keys that order the people list in each reader's language",
  },
  {
    key: 'person_tally',
    file: 'person-tally.sql',
    keeps: ['read_model.person_tally'],
    owns: ['read_model.person_tally'],
    derivesFrom: ['person.restricted'],
    dependsOn: [],
    follows: [{ table: 'person', events: IUD }],
    rebuild: 'read_model.rebuild_person_tally',
    purpose: "the people list's total without counting every person at each page",
  },
  {
    key: 'member_health',
    file: 'member-health.sql',
    keeps: ['read_model.member_health'],
    owns: ['read_model.member_health'],
    derivesFrom: ['read_model.organisation_activity', 'read_model.reader_activity', 'read_model.organisation_card', 'organisation', 'user.name'],
    dependsOn: ['organisation_activity', 'reader_activity', 'organisation_card'],
    follows: [
      { table: 'read_model.organisation_activity', events: IUD },
      { table: 'read_model.reader_activity', events: IUD },
      { table: 'read_model.organisation_card', events: IUD },
      { table: 'organisation', events: IUD },
      { table: 'user', events: UD },
      // writes that reach the sources above through other read models: recomputed once, when the statement ends
      ...['meeting_organisation', 'meeting_staff', 'access_grant', 'shared_item', 'follow_up', 'organisation_name', 'read_model.meeting_reader'].map(
        (table): Follow => ({ table, events: IUD, handler: HEALTH_AT_STATEMENT_END }),
      ),
      { table: 'meeting', events: UD, handler: HEALTH_AT_STATEMENT_END },
    ],
    rebuild: 'read_model.rebuild_member_health',
    purpose: 'member health as one index range per reader and page',
  },
  {
    key: 'dialogue_votes',
    file: 'dialogue-votes.sql',
    keeps: ['read_model.dialogue_votes'],
    owns: ['read_model.dialogue_votes'],
    derivesFrom: ['dialogue_vote'],
    dependsOn: [],
    follows: [{ table: 'dialogue_vote', events: ID }],
    rebuild: 'read_model.rebuild_dialogue_votes',
    purpose: 'how many votes each dialogue holds, without counting a million rows per request',
  },
  {
    key: 'campaign_cell',
    file: 'campaign-cell.sql',
    keeps: ['read_model.campaign_cell', 'read_model.campaign_cell_month', 'read_model.campaign_month', 'read_model.campaign_version'],
    owns: ['read_model.campaign_cell', 'read_model.campaign_cell_month', 'read_model.campaign_month', 'read_model.campaign_version'],
    derivesFrom: ['campaign_stance', 'campaign_target', 'campaign_ask', 'campaign', 'organisation.name', 'person.restricted', 'person.display_name', 'meeting.restricted'],
    dependsOn: [],
    follows: [
      { table: 'campaign', events: IUD },
      { table: 'campaign_ask', events: IUD },
      { table: 'campaign_stance', events: IUD },
      { table: 'campaign_target', events: IUD },
      { table: 'organisation', events: ['UPDATE'] },
      { table: 'person', events: ['UPDATE'] },
      { table: 'meeting', events: ['UPDATE'] },
    ],
    rebuild: 'read_model.rebuild_campaign_cell',
    purpose: "each grid cell's latest stance and whether it holds one a reader might not see, and the movement chart's monthly changes of the others: the grid and the chart derive only the guarded cells per reader; and per campaign a token every write that changes its answers replaces (the key of the answers the server keeps serialised)",
  },
  {
    key: 'search_changes',
    file: 'search-changes.sql',
    // the log's tables are a migration's: their rows are positions running servers hold, not rebuildable data
    keeps: ['read_model.search_change', 'read_model.search_state'],
    owns: [],
    derivesFrom: ['organisation_name.norm', 'person_name.norm', 'person.pseudonym', 'meeting.title_norm', 'shared_item.body_norm'],
    dependsOn: [],
    follows: [],
    rebuild: 'read_model.rebuild_search_changes',
    purpose: "tells every server's in-memory search index what changed (a rebuild makes each one read the tables again)",
  },
];

/**
 * Not derived data, and so not here: the audit log's append-only guard (drizzle/0001 and 0013, the trigger
 * audit_entry_append_only). It is a constraint: it must hold in every state of the schema, from the migration that
 * creates the table on, including while a restore runs; its changes go with the schema's (0013 reads the erasure table
 * 0013 creates); and there is nothing to rebuild. It stays in the migrations, like a CHECK constraint.
 */
export const CONSTRAINTS_IN_MIGRATIONS = ['audit_entry_append_only'];

export function readModel(key: string): ReadModel {
  const m = READ_MODELS.find((r) => r.key === key);
  if (!m) throw new Error(`no read model ${key}`);
  return m;
}

/** The handler a follow calls. */
export function handlerOf(model: ReadModel, follow: Follow): string {
  return follow.handler ?? `read_model.${model.key}_after_${follow.table.replace(/^read_model\./, '')}`;
}

/** These read models and every one that depends on them, directly or not, in registry order. */
export function withDependents(keys: Iterable<string>): ReadModel[] {
  const out = new Set(keys);
  for (const m of READ_MODELS) if (m.dependsOn.some((d) => out.has(d))) out.add(m.key);
  return READ_MODELS.filter((m) => out.has(m.key));
}

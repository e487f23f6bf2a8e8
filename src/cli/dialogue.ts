// `convene dialogue import-polis DIR` and `convene dialogue analyze ID --json`: for analysts and batch work.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { asc, eq } from 'drizzle-orm';
import { loadConfig, type Config } from '../server/config.ts';
import type { RequestContext } from '../server/http/context.ts';
import { computeAnalysis, importedOptions, importedPrevious, loadDialogueVotes } from '../server/features/dialogues/analysis.service.ts';
import { DIALOGUE_LANGUAGES, type DialogueLanguage } from '../server/features/dialogues/dialogues.contract.ts';
import { dialogue, dialogueSegment } from '../server/features/dialogues/dialogues.schema.ts';
import { AppError } from '../server/http/problem.ts';
import { CliError } from './cli-error.ts';
import { openForCommand } from './open-database.ts';

const CLI_CONTEXT: RequestContext = { actor: null, ip: 'command line', userAgent: 'convene dialogue' };

function readOptional(dir: string, name: string): string | undefined {
  const file = path.join(dir, name);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

const INCLUSIONS = ['votes', 'history'] as const;
const MISSING_VOTES = ['mean', 'zero'] as const;

export async function importPolisCommand(config: Config, dir: string, opts: { title?: string; languages?: string; inclusion?: string; missingVotes?: string }): Promise<{ id: string }> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CliError(`${dir} is not a folder.`);
  const comments = readOptional(dir, 'comments.csv');
  const votes = readOptional(dir, 'votes.csv');
  const participantsVotes = readOptional(dir, 'participants-votes.csv');
  if (comments === undefined) throw new CliError(`${dir} has no comments.csv: it is not a Pol.is export folder (comments.csv, with votes.csv or participants-votes.csv).`);
  if (votes === undefined && participantsVotes === undefined)
    throw new CliError(`${dir} has neither votes.csv nor participants-votes.csv: a Pol.is export folder holds its votes in one of them.`);
  if (opts.inclusion !== undefined && !(INCLUSIONS as readonly string[]).includes(opts.inclusion))
    throw new CliError(`--inclusion: "${opts.inclusion}" is not one of ${INCLUSIONS.join(', ')}.`);
  if (opts.missingVotes !== undefined && !(MISSING_VOTES as readonly string[]).includes(opts.missingVotes))
    throw new CliError(`--missing-votes: "${opts.missingVotes}" is not one of ${MISSING_VOTES.join(', ')}.`);
  const languages = (opts.languages ?? 'en').split(',').map((l) => l.trim());
  const bad = languages.find((l) => !(DIALOGUE_LANGUAGES as readonly string[]).includes(l));
  if (bad) throw new CliError(`--languages: "${bad}" is not one of ${DIALOGUE_LANGUAGES.join(', ')}.`);
  const summary = readOptional(dir, 'summary.csv');
  const title = opts.title ?? (summary?.match(/^topic,"?([^"\n]*)"?/m)?.[1]?.trim() || path.basename(path.resolve(dir)));
  // imported here: `analyze` needs neither the Pol.is format nor the CSV parser
  const { importPolis } = await import('../server/features/dialogues/polis-io.service.ts');
  const db = await openForCommand(config);
  try {
    await db.migrate();
    const out = await importPolis(db.db, CLI_CONTEXT, {
      title: title.slice(0, 200),
      languages: languages as DialogueLanguage[],
      files: { comments, votes, participantsVotes, summary },
      inclusion: opts.inclusion as (typeof INCLUSIONS)[number] | undefined,
      missingVotes: opts.missingVotes as (typeof MISSING_VOTES)[number] | undefined,
    });
    return { id: out.id };
  } catch (e) {
    if (e instanceof AppError) throw new CliError(e.message);
    throw e;
  } finally {
    await db.close();
  }
}

export async function analyzeCommand(config: Config, id: string) {
  // it reads the dialogue once: the embedded database's smaller buffers and its WebAssembly left unoptimised make it
  // start sooner and with less memory
  const db = await openForCommand(config, { sharedBuffers: '16MB', shortLived: true });
  try {
    await db.migrate();
    const [d] = /^[0-9a-f-]{36}$/i.test(id) ? await db.db.select().from(dialogue).where(eq(dialogue.id, id)) : [];
    if (!d) throw new CliError(`No dialogue ${id}.`);
    const segments = await db.db.select().from(dialogueSegment).where(eq(dialogueSegment.dialogueId, id)).orderBy(asc(dialogueSegment.position));
    const data = await loadDialogueVotes(db.db, id);
    const { analysis, all, opinions } = computeAnalysis(
      data,
      segments.map((s) => ({ id: s.id, key: s.key, name: s.name as Record<string, string> })),
      importedPrevious(d.analysisState, data),
      importedOptions(d.analysisState),
    );
    const pid = (i: number) => data.participants[i]!.sourceId ?? data.participants[i]!.id;
    return {
      id,
      title: d.title,
      /** for an imported Pol.is conversation, the inclusion rule the groups follow (null: Convene's own, on final votes) */
      inclusion: d.analysisState.polis?.inclusion ?? null,
      /** for an imported Pol.is conversation, what its Pol.is math counted a missing vote as ('zero' before October 2017) */
      missingVotes: d.analysisState.polis ? (d.analysisState.polis.missingVotes ?? 'mean') : null,
      voters: analysis.voters,
      clustered: analysis.clustered,
      votes: analysis.votes,
      groups: opinions.groups.map((g) => ({ id: g.id, participants: g.members.map(pid), center: g.center })),
      silhouette: analysis.silhouette,
      statements: all.map((s) => ({
        id: s.id,
        sourceId: s.sourceId,
        status: s.status,
        agree: s.overall.agree,
        disagree: s.overall.disagree,
        pass: s.overall.pass,
        consensus: s.groupConsensus,
        segmentConsensus: s.segmentConsensus,
        bridging: s.bridging,
        divisive: s.divisive,
        body: s.body,
      })),
      bridging: analysis.bridging,
      divisive: analysis.divisive,
      bridgingRule: analysis.bridgingRule,
      divisiveRule: analysis.divisiveRule,
    };
  } finally {
    await db.close();
  }
}

/** Readable output without --json. */
export function printAnalysis(a: Awaited<ReturnType<typeof analyzeCommand>>): string {
  const lines = [
    `${a.title}: ${a.voters} voters (${a.clustered} clustered), ${a.votes} votes, ${a.groups.length} opinion groups`,
    ...a.groups.map((g) => `  group ${g.id}: ${g.participants.length} participants`),
    'Statements (agree / disagree / pass, group-informed consensus):',
    ...a.statements.map(
      (s) =>
        `  ${(s.sourceId ?? s.id).padEnd(6)} ${String(s.agree).padStart(5)} ${String(s.disagree).padStart(5)} ${String(s.pass).padStart(5)}  ${s.consensus === null ? '   -  ' : s.consensus.toFixed(3)}${s.bridging ? '  bridging' : s.divisive ? '  divisive' : ''}${s.status === 'rejected' ? '  (moderated out)' : ''}  ${s.body.slice(0, 60).replace(/\s+/g, ' ')}`,
    ),
  ];
  return lines.join('\n');
}

const help = (environment: string) => `Usage:
  convene dialogue import-polis DIR [--title T] [--languages en,he,ar] [--inclusion votes|history] [--missing-votes mean|zero]
      Imports a Pol.is export folder (comments.csv; votes.csv, or without it participants-votes.csv's final
      votes; summary.csv when present, for comparison only) as a dialogue and prints {"id": "…"}. One vote per
      participant and comment: the latest stands (equal times: agree over pass over disagree).
      --inclusion: who is clustered. votes: those with min(7, comments) final votes (or the 15 most active);
      history: also those Pol.is kept from earlier in the conversation, replayed from votes.csv's times.
      Detected from the export when not given.
      --missing-votes: what the Pol.is math the export shows counted a missing vote as: mean (since October
      2017) or zero (before). Detected when not given: zero for history whose last vote is before 2017-10-22.
  convene dialogue analyze ID [--json]
      Computes the dialogue's opinion groups (Pol.is's method), per-statement counts and group-informed
      consensus. --json prints { "groups": [{ "participants": [ids] }], "statements": [{ "sourceId", "agree",
      "disagree", "pass", "consensus" }], … } with participant and comment ids as in the import.

${environment}`;

export async function dialogueCommand(argv: string[], environment: string): Promise<void> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(help(environment));
    return;
  }
  if (sub !== 'import-polis' && sub !== 'analyze') throw new CliError(`Unknown dialogue command "${sub}".\n\n${help(environment)}`, 2);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { title: { type: 'string' }, languages: { type: 'string' }, inclusion: { type: 'string' }, 'missing-votes': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${help(environment)}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(help(environment));
    return;
  }
  if (positionals.length !== 1) throw new CliError(`${sub === 'analyze' ? 'Give one dialogue id' : 'Give one folder'}.\n\n${help(environment)}`, 2);
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  if (sub === 'import-polis') {
    console.log(JSON.stringify(await importPolisCommand(config, positionals[0]!, { title: values.title, languages: values.languages, inclusion: values.inclusion, missingVotes: values['missing-votes'] })));
    return;
  }
  const result = await analyzeCommand(config, positionals[0]!);
  console.log(values.json ? JSON.stringify(result) : printAnalysis(result));
}

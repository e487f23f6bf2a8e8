import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PolisFormatError,
  latestVotes,
  parsePolisExport,
  parsePolisParticipantsVotes,
  parsePolisVoteLines,
  polisDatetime,
  writePolisComments,
  writePolisParticipantsVotes,
  writePolisSummary,
  writePolisVotes,
} from './polis-format.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../../tests/fixtures/polis');
const read = (name: string, f: string) => fs.readFileSync(path.join(fixtures, name, f), 'utf8');

const filesOf = (name: string) => ({ comments: read(name, 'comments.csv'), votes: read(name, 'votes.csv'), participantsVotes: read(name, 'participants-votes.csv'), summary: read(name, 'summary.csv') });
const parsed = new Map(await Promise.all(['15-per-hour-seattle', 'brexit-consensus'].map(async (n) => [n, await parsePolisExport(filesOf(n))] as const)));

describe.each(['15-per-hour-seattle', 'brexit-consensus'])('the Pol.is export %s', (name) => {
  const files = filesOf(name);
  const ex = parsed.get(name)!;

  it('reads comments, votes (the latest standing), participants and the summary', () => {
    expect(ex.comments.length).toBe(Number(ex.summary!.comments));
    expect(ex.voteLines).toBe(files.votes.trim().split('\n').length - 1);
    expect(ex.votes.length).toBeLessThan(ex.voteLines);
    expect(ex.groupCount).toBe(2);
    expect(ex.participants!.length).toBe(Number(ex.summary!.voters));
    // every participant's n-votes is its number of latest votes
    const perParticipant = new Map<string, number>();
    for (const v of ex.votes) perParticipant.set(v.participantSourceId, (perParticipant.get(v.participantSourceId) ?? 0) + 1);
    for (const p of ex.participants!) expect(p.nVotes).toBe(perParticipant.get(p.sourceId) ?? 0);
    expect(ex.participantsVotesSign).toBe('same');
  });

  it('writes the same files back (comments, votes, participants-votes, summary round-trip)', async () => {
    const lines = await parsePolisVoteLines(files.votes);
    const groupOf = ex.participants!.map((p) => ({ sourceId: p.sourceId, groupId: p.groupId }));
    const written = {
      comments: writePolisComments(ex.comments, lines),
      votes: writePolisVotes(lines),
      participantsVotes: writePolisParticipantsVotes(groupOf, [...ex.comments].sort((a, b) => Number(a.sourceId) - Number(b.sourceId)), ex.votes),
      summary: writePolisSummary(ex.summary!),
    };
    const back = await parsePolisExport(written);
    expect(back.comments).toEqual(ex.comments);
    expect(back.votes).toEqual(ex.votes);
    expect(back.voteLines).toBe(ex.voteLines);
    expect(back.participants).toEqual(ex.participants);
    expect(back.summary).toEqual(ex.summary);
    // agrees / disagrees count every vote line, as Pol.is's do: the written columns equal the original's
    const agreesOf = (text: string) => text.trim().split('\n').slice(1).map((l) => l.split(',').slice(2, 6).join(','));
    expect(agreesOf(written.comments).sort()).toEqual(agreesOf(files.comments).sort());
    expect(written.participantsVotes.split('\n')[0]).toBe(files.participantsVotes.split('\n')[0].trim());
  });
});

describe('the Pol.is format, edge cases', () => {
  it('lets the latest vote by timestamp stand; on a tie the higher value (agree, pass, disagree), not the later line', async () => {
    const votes = await parsePolisVoteLines('timestamp,datetime,comment-id,voter-id,vote\n20,x,1,7,1\n10,x,1,7,-1\n20,x,2,7,0\n20,x,2,7,-1\n');
    expect(latestVotes(votes).map((v) => [v.statementSourceId, v.value])).toEqual([['1', 1], ['2', 0]]);
    expect(latestVotes([...votes].reverse()).map((v) => [v.statementSourceId, v.value])).toEqual([['1', 1], ['2', 0]]);
  });

  const COMMENTS = 'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n100,x,0,0,3,1,1,First\n200,x,1,0,1,2,-1,Second\n300,x,2,1,0,0,0,Third\n';

  it('without votes.csv takes the final votes from participants-votes.csv (an xid column too), timed at their comment', async () => {
    const ex = await parsePolisExport({
      comments: COMMENTS,
      participantsVotes: 'participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n1,abc,0,1,2,1,1,1,-1,\n0,,1,2,3,2,1,1,1,-1\n2,,,0,2,1,0,1,,0\n',
    });
    expect(ex.voteTimes).toBe(false);
    expect(ex.history).toEqual([]);
    expect(ex.participantsVotesSign).toBe('same');
    expect(ex.votes.map((v) => `${v.participantSourceId}/${v.statementSourceId}=${v.value}@${v.at}`)).toEqual([
      '0/0=1@100', '0/1=1@200', '0/2=-1@300', '1/0=1@100', '1/1=-1@200', '2/0=1@100', '2/2=0@300',
    ]);
    expect(ex.comments.map((c) => c.moderated)).toEqual([1, -1, 0]);
  });

  it('without votes.csv, flips participants-votes.csv when comments.csv agrees / disagrees say its signs are the opposite', async () => {
    const ex = await parsePolisExport({
      comments: COMMENTS,
      participantsVotes: 'participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n0,0,1,2,1,1,-1,1\n1,0,1,2,1,1,-1,1\n2,,0,2,1,1,-1,-1\n',
    });
    expect(ex.participantsVotesSign).toBe('flipped');
    expect(ex.votes.filter((v) => v.statementSourceId === '0').map((v) => v.value)).toEqual([1, 1, 1]);
  });

  it('a folder that is not a Pol.is export: an error naming the file and line', async () => {
    await expect(parsePolisExport({ comments: COMMENTS })).rejects.toThrow(/votes\.csv: .*neither votes\.csv nor participants-votes\.csv/);
    await expect(parsePolisExport({ comments: 'name,email\nA,a@x\n', votes: 'x' })).rejects.toThrow(/^comments\.csv: line 1: missing columns timestamp, comment-id/);
    await expect(parsePolisExport({ comments: COMMENTS, participantsVotes: 'participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n1,0,0,1,1,0,yes\n' })).rejects.toThrow(
      'participants-votes.csv: line 2: vote "yes" is not 1, -1 or 0',
    );
    await expect(parsePolisExport({ comments: COMMENTS.replace('300,x,2', 'soon,x,2') })).rejects.toThrow('comments.csv: line 4: timestamp "soon" is not a number');
    for (const g of ['99999', '-1', '1.5'])
      await expect(parsePolisExport({ comments: COMMENTS, participantsVotes: `participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n1,${g},0,1,1,0,1\n` })).rejects.toThrow(
        `participants-votes.csv: line 2: group-id "${g}" is not a group number`,
      );
  });

  it('flips participants-votes.csv when its signs are the opposite of votes.csv', async () => {
    const ex = await parsePolisExport({
      comments: 'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,0,0,1,"Hello, world"\n1,x,1,0,0,0,1,Bye\n',
      votes: 'timestamp,datetime,comment-id,voter-id,vote\n1,x,0,5,1\n2,x,1,5,-1\n3,x,0,6,1\n',
      participantsVotes: 'participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n5,0,0,2,1,1,-1,1\n6,,0,1,1,0,-1,\n',
    });
    expect(ex.participantsVotesSign).toBe('flipped');
    expect(ex.participants![0]).toMatchObject({ sourceId: '5', groupId: 0, nAgree: 1, nDisagree: 1, votes: [{ statementSourceId: '0', value: 1 }, { statementSourceId: '1', value: -1 }] });
    expect(ex.participants![1]).toMatchObject({ groupId: null, votes: [{ statementSourceId: '0', value: 1 }] });
    expect(ex.comments[0].body).toBe('Hello, world');
  });

  it('names the file and line of a bad value', async () => {
    await expect(parsePolisVoteLines('timestamp,datetime,comment-id,voter-id,vote\n1,x,0,5,2\n')).rejects.toThrow(PolisFormatError);
    await expect(parsePolisVoteLines('timestamp,datetime,comment-id,voter-id,vote\n1,x,0,5,2\n')).rejects.toThrow('votes.csv: line 2');
    await expect(parsePolisParticipantsVotes('participant,n-votes\n1,2\n')).rejects.toThrow('missing columns group-id, n-comments, n-agree, n-disagree');
    // a file csv-parse cannot read names the file too
    await expect(parsePolisVoteLines('timestamp,datetime,comment-id,voter-id,vote\n1,x,"0,5,1\n')).rejects.toThrow(/^votes\.csv: /);
  });

  it('quotes what needs quoting and writes dates as Pol.is does', () => {
    const text = writePolisComments([{ sourceId: '0', authorSourceId: '1', body: 'She said "no",\nthen left', moderated: 0, createdAt: 1542406176584 }], []);
    expect(text).toContain('"She said ""no"",\nthen left"');
    expect(polisDatetime(1542406176584)).toBe('Fri Nov 16 22:09:36 UTC 2018');
  });
});

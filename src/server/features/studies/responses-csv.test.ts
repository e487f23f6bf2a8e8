import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { csvLine } from '../imports/csv.ts';
import { ColumnNotFoundError, readResponsesCsv, ResponsesCsvError } from './responses-csv.ts';
import { parseValue } from './stats/study-data.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-responses-csv-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string) {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

describe('outcome values', () => {
  it('are numbers or yes/no/true/false in any case; empty, NA and NaN are missing', () => {
    expect(parseValue('3')).toBe(3);
    expect(parseValue(' -2.5 ')).toBe(-2.5);
    expect(parseValue('1e2')).toBe(100);
    for (const yes of ['yes', 'YES', ' Yes ', 'true', 'TRUE', 'True']) expect(parseValue(yes)).toBe(1);
    for (const no of ['no', 'No', 'NO ', 'false', 'False', 'FALSE']) expect(parseValue(no)).toBe(0);
    for (const missing of ['', '  ', 'NA', 'na', 'Na', 'NaN', 'nan', 'NAN', null, undefined, NaN]) expect(parseValue(missing)).toBeNull();
    expect(parseValue(true)).toBe(1);
    expect(parseValue(7)).toBe(7);
    for (const bad of ['maybe', '3 apples', '0x10', 'Infinity', '--1']) expect(() => parseValue(bad)).toThrow(/not a number/);
  });
});

describe('reading a responses CSV', () => {
  it('selects columns, trims labels, counts missing outcomes per population and arm', async () => {
    const f = file(
      'basic.csv',
      [
        'id,Population ,arm,support,household,age,extra',
        '1,israel, control ,4,h1,30,x',
        '2,israel,message A,Yes,h1,41,x',
        '3,israel,message A,NA,h2,22,x',
        '4, palestine,control,nan,h3,50,x',
        '5,palestine,message A,  ,h3,61,x',
        '6,palestine,message A,TRUE,h4,,x',
        '7,palestine,control,no,h5,33,x',
        '8,,control,5,h6,33,x',
        '',
        '9,palestine,"message A",2,h7,35,x',
      ].join('\n'),
    );
    const data = await readResponsesCsv(f, { outcome: 'support', treatment: 'arm', population: 'Population', cluster: 'household', covariates: ['age'] });
    expect(data.n).toBe(4);
    expect(data.populationLabels).toEqual(['israel', 'palestine']);
    expect(data.armLabels).toEqual(['control', 'message A']);
    expect(Array.from(data.outcome)).toEqual([4, 1, 0, 2]);
    expect(data.missing).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(data.missingCovariates).toEqual([
      [0, 0],
      [0, 1],
    ]);
    expect(data.unlabelled).toBe(1);
    expect(data.clusterCount).toBe(3); // h1, h5, h7: clusters of kept rows only
    expect(Array.from(data.covariates[0])).toEqual([30, 41, 33, 35]);
  });

  it('reads semicolon-separated files with a byte-order mark, from a stream too', async () => {
    const text = '\ufeffarm;y\nc;1,5\nt;2\nc;3\n';
    const data = await readResponsesCsv(Readable.from([Buffer.from(text.slice(0, 7)), Buffer.from(text.slice(7))]), { outcome: 'y', treatment: 'arm' }).catch((e) => e);
    // "1,5" is not a number here: decimal commas are not guessed
    expect(data).toBeInstanceOf(ResponsesCsvError);
    expect((data as Error).message).toMatch(/line 2, column "y"/);
    const ok = await readResponsesCsv(Readable.from([text.replace('1,5', '1.5')]), { outcome: 'y', treatment: 'arm' });
    expect(Array.from(ok.outcome)).toEqual([1.5, 2, 3]);
    expect(ok.populationLabels).toEqual(['all']);
  });

  it('names an unknown column and the columns there are', async () => {
    const f = file('cols.csv', 'arm,y\nc,1\n');
    const err = await readResponsesCsv(f, { outcome: 'score', treatment: 'arm' }).catch((e) => e);
    expect(err).toBeInstanceOf(ColumnNotFoundError);
    expect(err.message).toBe('the CSV has no column "score" (columns: "arm", "y")');
  });

  it("reads what Convene's CSV writer defused as it was (a label starting with = or +)", async () => {
    const text = [csvLine(['arm', 'country', 'y']), csvLine(['=control', '+972', -2]), csvLine(['+message', '+970', 3]), csvLine(['=control', '+970', -1])].join('');
    expect(text).toContain("'=control,'+972,-2");
    const data = await readResponsesCsv(Readable.from([text]), { outcome: 'y', treatment: 'arm', population: 'country' });
    expect([...data.armLabels].sort()).toEqual(['+message', '=control']);
    expect([...data.populationLabels].sort()).toEqual(['+970', '+972']);
    expect(Array.from(data.outcome).sort()).toEqual([-1, -2, 3]);
  });

  it('refuses an empty file', async () => {
    await expect(readResponsesCsv(file('empty.csv', ''), { outcome: 'y', treatment: 'arm' })).rejects.toThrow(ResponsesCsvError);
  });
});

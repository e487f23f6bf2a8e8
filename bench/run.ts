// `npm run bench`: every benchmark in turn, then one summary table. Figures only: nothing here fails the
// run when a target is missed. All traffic goes to servers this process starts on 127.0.0.1.
import os from 'node:os';
import { type Figure, printFigures } from './lib.ts';
import * as authenticatedGet from './authenticated-get.ts';
import * as eventsRegistration from './events-registration.ts';
import * as clusterVoting from './cluster-voting.ts';
import * as studyCli from './study-cli-vs-python.ts';
import { benchDialogueAnalysis } from './dialogue-analysis.ts';
import { benchDialogueAnalysisDb } from './dialogue-analysis-db.ts';
import { benchDialogueVoting } from './dialogue-voting.ts';
import { benchStudyAnalysis } from './study-analysis.ts';
import { benchStudyImport } from './study-import.ts';
import { benchTrips } from './trips.ts';
import * as importUnderLoad from './import-under-load.ts';
import * as networkLists from './network-lists.ts';
import * as campaignsGrid from './campaigns-grid.ts';
import * as newsPost from './news-post.ts';
import * as startup from './startup.ts';
import * as webBundle from './web-bundle.ts';
import { benchEventsDoor } from './events-door.ts';

const benches = [
  { name: 'startup', run: startup.run },
  { name: 'authenticated-get', run: authenticatedGet.run },
  { name: 'web-bundle', run: webBundle.run },
  // a published news post page, no session (issue 15): target p95 <= 20 ms at 50 connections
  { name: 'news-post', run: newsPost.run },
  // the scale network (BENCH_SCALE=0.1 for a quick run): lists, search, member health, import
  { name: 'network-lists', run: networkLists.run },
  // a 50,000-people import while a client reads one record: the longest wait of that read (target <= 1 s)
  { name: 'import-under-load', run: importUnderLoad.run },
  // campaigns: 300 targets × 12 asks, 30,000 stance changes (BENCH_SCALE), the grid and the movement chart (target p95 <= 50 ms)
  { name: 'campaigns-grid', run: campaignsGrid.run },
  // research: 10,000 participants × 2,000 statements, 1,000,000 votes; 350,000 message-test responses
  { name: 'dialogue-analysis', run: benchDialogueAnalysis },
  { name: 'dialogue-analysis-db', run: benchDialogueAnalysisDb },
  { name: 'dialogue-voting', run: benchDialogueVoting },
  { name: 'cluster-voting', run: clusterVoting.run },
  { name: 'study-analysis', run: benchStudyAnalysis },
  { name: 'study-import', run: benchStudyImport },
  { name: 'study-cli-vs-python', run: studyCli.run },
  // the door: 20 phones, 6,000 tickets scanned 1–3 times, offline batches of 300 (BENCH_DOOR_TICKETS=600 for a quick run)
  { name: 'events-door', run: benchEventsDoor },
  // events: 6,000 registrations from 200 clients into 5,500 places (BENCH_EVENT_REGISTRATIONS=600 for a quick run)
  { name: 'events-registration', run: eventsRegistration.run },
  // trips: a week of 6 travellers and 120 requests, a re-plan, and the OPTW core against proven optima
  { name: 'trips', run: benchTrips },
];

console.log(`Convene benchmarks on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}; load average now ${os.loadavg()[0].toFixed(1)} (other work on the machine skews every figure)`);
const figures: Figure[] = [];
for (const b of benches) {
  try {
    figures.push(...(await b.run()));
  } catch (err) {
    console.log(`\n  ${b.name} could not run: ${err instanceof Error ? err.message : String(err)}`);
    figures.push({ bench: b.name, metric: 'could not run', value: 'error' });
  }
}
console.log('\n## Summary');
printFigures(figures);

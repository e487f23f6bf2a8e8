// Where the files the server reads at run time are: the migrations, the read models' SQL, the public pages' assets,
// the built web app. The same code runs from src/ (tsx, the tests) and from the bundle in dist/server/ (npm start, the
// `convene` command), so nothing is found relative to the module's own folder: everything is found from the
// project's root, the nearest folder above this module that holds package.json.
import fs from 'node:fs';
import path from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; ) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}: cannot find Convene's files`);
    dir = up;
  }
}

/** The folder holding package.json, src/, drizzle/ and dist/. */
export const projectRoot = findRoot(import.meta.dirname);

const at = (...parts: string[]) => path.join(projectRoot, ...parts);

export const paths = {
  /** Drizzle's migrations (SQL and meta/_journal.json) */
  migrations: at('drizzle'),
  /** the read models' SQL files (src/server/read-models/*.sql) */
  readModels: at('src/server/read-models'),
  /** base.css, shared by the public pages */
  publicBase: at('src/server/public'),
  /** the dialogue participation pages' stylesheet and script */
  participationAssets: at('src/server/features/dialogues/public'),
  /** the survey pages' stylesheet and script */
  surveyAssets: at('src/server/features/studies/public'),
  /** the public event pages' stylesheet and script */
  eventAssets: at('src/server/features/events/public'),
  /** the news site's stylesheet and script */
  newsAssets: at('src/server/features/updates/public'),
  /** the staff web app as vite builds it */
  webDist: at('dist/web'),
};

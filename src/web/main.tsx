// The page's first script, small so that it runs as soon as it arrives: it asks who is signed in and loads that
// language's catalog while the app's code (app.tsx, preloaded) is still downloading.
import './first-paint.css';
import { boot } from './boot.ts';
import { listenForEarlySignIn } from './first-paint.ts';

listenForEarlySignIn();
const ready = boot();
const { render } = await import('./app.tsx');
render(await ready);

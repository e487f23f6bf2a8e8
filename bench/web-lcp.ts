// The staff app's Largest Contentful Paint under Lighthouse's mobile profile, measured with Debian's chromium through
// playwright-core (Lighthouse itself is not installed): a 412×823 phone screen at 1.75× and a throttled network and CPU
// set through the DevTools protocol — 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up (Network.emulateNetworkConditions)
// and a 4× slower CPU (Emulation.setCPUThrottlingRate) — with an empty cache for every load. LCP is the last
// 'largest-contentful-paint' entry a PerformanceObserver holds once the network is quiet.
//
// Pages: the sign-in page (English and Hebrew readers), the organisation list (signed in, English, Hebrew and Arabic) and
// the demo's July news post (no session, en/he/ar), on the demo's data (`npm run demo`). RUNS loads per page, median reported
// (BENCH_LCP_RUNS; BENCH_LCP_PAGES=<part of a label> for some pages only). Figures: docs/architecture.md, "The staff app's first page".
// Also reported: the JavaScript transferred (bytes on the wire, as compressed as the server sent it) before the first
// contentful paint, and in all once the page is quiet. Target: LCP <= 2.5 s.
//
// Note: the DevTools protocol adds the round trip to each request as it is made ("applied" throttling); Lighthouse's
// default "simulated" throttling models the same profile from an unthrottled trace, and its "devtools" mode applies
// 562.5 ms and 1.47 Mbit/s (the profile scaled for request-level throttling). BENCH_LCP_DEVTOOLS=1 measures with those too.
import { spawn } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { type Figure, freePort, isMain, median, printFigures, removeDir, root, tempDir } from './lib.ts';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_LCP_RUNS ?? 5);
const TARGET_MS = 2_500;
const DEMO_PASSWORD = 'convene-demo-password';

type Profile = { name: string; latency: number; downKbps: number; upKbps: number; cpu: number };
const MOBILE: Profile = { name: 'mobile (150 ms, 1.6 Mbit/s, 4× CPU)', latency: 150, downKbps: 1638.4, upKbps: 750, cpu: 4 };
const DEVTOOLS: Profile = { name: 'mobile, devtools scaling (562.5 ms, 1.47 Mbit/s, 4× CPU)', latency: 562.5, downKbps: 1474.56, upKbps: 675, cpu: 4 };

type Load = { lcp: number; fcp: number; jsAtFcp: number; jsTotal: number; requests: number; element: string };

/** `npm run demo` on a fresh folder: the demo accounts and network, then the server. */
async function startDemo(): Promise<{ origin: string; stop(): Promise<void>; dir: string }> {
  const dir = tempDir('convene-lcp-');
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/demo.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CONVENE_DATA_DIR: dir, DATABASE_URL: '', PUBLIC_URL: origin, LOG_LEVEL: 'silent', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const deadline = Date.now() + 240_000;
  while (!/Convene is running/.test(out)) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`the demo server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    origin,
    dir,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
      removeDir(dir);
    },
  };
}

async function signedInCookies(origin: string, email: string) {
  const res = await fetch(`${origin}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${email} answered ${res.status}`);
  const host = new URL(origin).hostname;
  return res.headers.getSetCookie().map((c) => {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    return { name: pair!.slice(0, i), value: pair!.slice(i + 1), domain: host, path: '/', httpOnly: true, sameSite: 'Lax' as const };
  });
}

async function loadOnce(browser: Browser, url: string, profile: Profile, opts: { locale: string; cookies?: Awaited<ReturnType<typeof signedInCookies>> }): Promise<Load> {
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 412, height: 823 },
    deviceScaleFactor: 1.75,
    isMobile: true,
    hasTouch: true,
    locale: opts.locale,
    userAgent: 'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
  });
  try {
    if (opts.cookies) await context.addCookies(opts.cookies);
    // each candidate's element as it is painted: the LCP element may be gone by the end (the server's first paint,
    // src/server/http/first-paint.ts, is removed once the app has drawn the same text)
    await context.addInitScript(() => {
      const seen: string[] = ((window as unknown as { __lcpElements: string[] }).__lcpElements = []);
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { element?: Element | null })[]) {
          const el = e.element;
          seen.push(el ? `<${el.tagName.toLowerCase()}${el.closest('#first-paint') ? ' in the first paint' : ''}> ${(el.textContent ?? '').trim().slice(0, 40)}` : '(removed)');
        }
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: profile.latency,
      downloadThroughput: (profile.downKbps * 1024) / 8,
      uploadThroughput: (profile.upKbps * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
    await page.goto(url, { waitUntil: 'networkidle', timeout: 120_000 });
    // LCP stops at the first input; nothing here touches the page, so the last entry is the page's LCP
    return await page.evaluate(
      () =>
        new Promise<Load>((resolve) => {
          new PerformanceObserver((list) => {
            const entries = list.getEntries() as (PerformanceEntry & { element?: Element | null })[];
            const last = entries[entries.length - 1]!;
            const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
            const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
            const js = resources.filter((r) => r.initiatorType === 'script' || /\.m?js(\?|$)/.test(r.name));
            const el = last.element;
            resolve({
              lcp: last.startTime,
              fcp,
              jsAtFcp: js.filter((r) => r.responseEnd <= fcp).reduce((s, r) => s + r.transferSize, 0),
              jsTotal: js.reduce((s, r) => s + r.transferSize, 0),
              requests: resources.length + 1,
              element: (window as unknown as { __lcpElements: string[] }).__lcpElements.at(-1) ?? (el ? `<${el.tagName.toLowerCase()}> ${(el.textContent ?? '').trim().slice(0, 40)}` : '(removed)'),
            });
          }).observe({ type: 'largest-contentful-paint', buffered: true });
        }),
    );
  } finally {
    await context.close();
  }
}

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function run(): Promise<Figure[]> {
  console.log(`\n## Staff app: Largest Contentful Paint under Lighthouse's mobile profile (chromium, ${RUNS} cold loads per page, median)`);
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`  ${CHROMIUM} is missing; no figure`);
    return [{ bench: 'web LCP', metric: 'could not run', value: 'no chromium' }];
  }
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/ensure-web-build.mjs')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the web app failed:\n${build.stdout}\n${build.stderr}`);
  const demo = await startDemo();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const figures: Figure[] = [];
  try {
    const cookies = {
      en: await signedInCookies(demo.origin, 'admin@demo.convene.example'),
      he: await signedInCookies(demo.origin, 'noa@demo.convene.example'),
      ar: await signedInCookies(demo.origin, 'rana@demo.convene.example'),
    };
    const pages = [
      { label: 'sign-in, English', url: '/sign-in', locale: 'en-GB' },
      { label: 'sign-in, Hebrew', url: '/sign-in', locale: 'he-IL' },
      { label: 'organisation list, English', url: '/network', locale: 'en-GB', cookies: cookies.en },
      { label: 'organisation list, Hebrew', url: '/network', locale: 'he-IL', cookies: cookies.he },
      { label: 'organisation list, Arabic', url: '/network', locale: 'ar', cookies: cookies.ar },
      // issue 15: the demo's July post, server-rendered, no session
      { label: 'news post, English', url: '/news/regional-team-meeting-ramallah-july-2024', locale: 'en-GB' },
      { label: 'news post, Hebrew', url: '/news/regional-team-meeting-ramallah-july-2024-he', locale: 'he-IL' },
      { label: 'news post, Arabic', url: '/news/regional-team-meeting-ramallah-july-2024-ar', locale: 'ar' },
    ];
    const profiles = process.env.BENCH_LCP_DEVTOOLS === '1' ? [MOBILE, DEVTOOLS] : [MOBILE];
    // BENCH_LCP_PAGES=sign-in (or "organisation", "news", "Hebrew"…): only the pages whose label contains it
    const only = process.env.BENCH_LCP_PAGES;
    for (const profile of profiles) {
      console.log(`  profile: ${profile.name}`);
      for (const p of pages.filter((p) => !only || p.label.includes(only))) {
        // one unthrottled load first, so the server's own first-request work is not what is measured
        await loadOnce(browser, demo.origin + p.url, { ...profile, latency: 0, downKbps: 1e6, upKbps: 1e6, cpu: 1 }, p);
        const loads: Load[] = [];
        for (let i = 0; i < RUNS; i++) loads.push(await loadOnce(browser, demo.origin + p.url, profile, p));
        const lcp = median(loads.map((l) => l.lcp));
        const fcp = median(loads.map((l) => l.fcp));
        const jsAtFcp = median(loads.map((l) => l.jsAtFcp));
        const jsTotal = median(loads.map((l) => l.jsTotal));
        console.log(
          `    ${p.label}: LCP ${s(lcp)} (each: ${loads.map((l) => s(l.lcp)).join(', ')}), FCP ${s(fcp)}; JavaScript transferred by the first paint ${kb(jsAtFcp)}, in all ${kb(jsTotal)}; ${loads[0]!.requests} requests; LCP element ${loads[0]!.element}`,
        );
        const tag = profile === MOBILE ? '' : ' (devtools scaling)';
        figures.push({ bench: `web LCP ${p.label}${tag}`, metric: 'LCP (median)', value: s(lcp), target: profile === MOBILE ? `<= ${s(TARGET_MS)}` : undefined, met: profile === MOBILE ? lcp <= TARGET_MS : undefined });
        figures.push({ bench: `web LCP ${p.label}${tag}`, metric: 'JS transferred by first paint', value: kb(jsAtFcp) });
      }
    }
  } finally {
    await browser.close();
    await demo.stop();
  }
  return figures;
}

if (isMain(import.meta.url)) printFigures(await run());

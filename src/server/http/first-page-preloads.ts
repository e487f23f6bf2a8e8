// The staff app's page shell, naming the files the first page needs. index.html already links the app's own code; the
// page at the address (src/web/first-pages.ts), the signed-in shell and the reader's catalog are found by the browser
// only once /api/session has answered and the app's first script has run, then fetched in waves of six connections. On
// a slow phone network those waves were most of the organisation list's time to first paint (issue 10, item 3). The
// server knows the address and who is signed in when it sends the shell, so it names those files there, from Vite's
// manifest, and they download from the start, alongside the framework.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Context } from 'hono';
import { CATALOG_MODULE, firstPageModule, SHELL_MODULE, SIGN_IN_MODULE } from '../../web/first-pages.ts';
import type { Locale } from '../../i18n/locales.ts';
import { localeInfo } from '../../i18n/locales.ts';
import { firstPaintHtml, firstPaintPage } from './first-paint.ts';
import { chooseEncoding } from './static-assets.ts';

type ManifestEntry = { file: string; imports?: string[]; css?: string[] };
type Manifest = Record<string, ManifestEntry>;

/** Who asks for the page, and in which language they will see it (for someone not signed in: first-paint.ts). */
/** setupPending: the install has no account yet, so the app goes to the setup page. */
export type ShellReader = { signedIn: false; locale?: Locale; setupPending?: boolean } | { signedIn: true; locale: Locale };

type Variant = { identity: Buffer; gzip: Buffer; br: Buffer };

export class PageShell {
  private readonly variants = new Map<string, Variant>();
  private readonly linked: Set<string>;

  private constructor(
    private readonly html: string,
    private readonly manifest: Manifest | null,
    private readonly mtime: Date,
  ) {
    this.linked = new Set([...html.matchAll(/(?:href|src)="\/(assets\/[^"]+)"/g)].map((m) => m[1]!));
  }

  /** The built shell (dist/web/index.html) and its manifest; null when the web app is not built. */
  static load(webDistDir: string): PageShell | null {
    const file = path.join(webDistDir, 'index.html');
    let html: string;
    let mtime: Date;
    try {
      html = fs.readFileSync(file, 'utf8');
      mtime = fs.statSync(file).mtime;
    } catch {
      return null;
    }
    let manifest: Manifest | null = null;
    try {
      manifest = JSON.parse(fs.readFileSync(path.join(webDistDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
    } catch {
      // built without a manifest: the shell as it is (the app still loads its pages itself)
    }
    return new PageShell(html, manifest, mtime);
  }

  /** The files (scripts, stylesheets) the modules import statically, less those the shell already links. */
  filesFor(modules: string[]): { js: string[]; css: string[] } {
    const js = new Set<string>();
    const css = new Set<string>();
    const seen = new Set<string>();
    const visit = (key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      const entry = this.manifest?.[key];
      if (!entry) return;
      js.add(entry.file);
      for (const c of entry.css ?? []) css.add(c);
      for (const i of entry.imports ?? []) visit(i);
    };
    for (const m of modules) visit(m);
    const fresh = (f: string) => !this.linked.has(f);
    return { js: [...js].filter(fresh), css: [...css].filter(fresh) };
  }

  /** The modules the first page at `pathname` needs before it can show anything, for this reader. */
  static modulesFor(pathname: string, reader: ShellReader): string[] {
    if (!reader.signedIn) return reader.setupPending || /^\/(setup|invitation)\b/.test(pathname) ? [] : [...(reader.locale ? [CATALOG_MODULE[reader.locale]] : []), SIGN_IN_MODULE];
    const page = firstPageModule(pathname);
    return [CATALOG_MODULE[reader.locale], SHELL_MODULE, ...(page ? [page] : [])];
  }

  private variant(modules: string[], lang: Locale, page: ReturnType<typeof firstPaintPage>): Variant {
    const key = [lang, page, ...modules].join('\n');
    let v = this.variants.get(key);
    if (!v) {
      const { js, css } = this.filesFor(modules);
      const links = [
        ...css.map((f) => `<link rel="stylesheet" crossorigin href="/${f}">`),
        ...js.map((f) => `<link rel="modulepreload" crossorigin href="/${f}">`),
      ].join('\n    ');
      let html = links ? this.html.replace('</head>', `    ${links}\n  </head>`) : this.html;
      // the reader's language and direction from the first byte (the app sets them again as it starts)
      html = html.replace(/<html[^>]*>/, `<html lang="${lang}" dir="${localeInfo[lang].dir}">`);
      const firstPaint = firstPaintHtml(page, lang);
      if (firstPaint) html = html.replace('<div id="root"></div>', `<div id="root"></div>\n    ${firstPaint}`);
      const identity = Buffer.from(html);
      v = {
        identity,
        gzip: zlib.gzipSync(identity, { level: 9 }),
        br: zlib.brotliCompressSync(identity, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
      };
      // a handful of pages × three languages, plus the sign-in page: kept for the life of the process
      if (this.variants.size < 64) this.variants.set(key, v);
    }
    return v;
  }

  /** The shell for the page at the request's address, in the encoding the browser accepts. */
  respond(c: Context, reader: ShellReader): Response {
    const v = this.variant(PageShell.modulesFor(c.req.path, reader), reader.locale ?? 'en', firstPaintPage(c.req.path, reader.signedIn, !reader.signedIn && reader.setupPending));
    const encoding = chooseEncoding(c.req.header('accept-encoding'), new Set(['br', 'gzip'] as const));
    const body = encoding === 'identity' ? v.identity : v[encoding];
    const headers = new Headers({
      'Content-Type': 'text/html; charset=utf-8',
      // it names the files of who is signed in: never kept by a shared cache, always asked again
      'Cache-Control': 'no-cache, private',
      Vary: 'Accept-Encoding, Cookie, Accept-Language',
      'X-Content-Type-Options': 'nosniff',
      'Content-Length': String(body.length),
      'Last-Modified': this.mtime.toUTCString(),
    });
    if (encoding !== 'identity') headers.set('Content-Encoding', encoding);
    return new Response(c.req.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  }
}

import type { Context } from 'hono';
import { problemResponse } from './problem.ts';

type Route = { method: string; path: string };
type Template = { re: RegExp; methods: Set<string> };

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** A Hono path ("/api/meetings/:id") as a regular expression matching the paths it routes. */
function pathPattern(path: string): RegExp {
  const parts = path.split('/').map((seg) => {
    if (seg === '*') return '.*';
    const param = seg.match(/^:\w+(?:\{(.+)\})?(\?)?$/);
    if (param) return param[1] ? `(?:${param[1]})` : '[^/]+';
    return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${parts.join('/')}$`);
}

/**
 * The answer for an /api request that no operation took: 405 with Allow when the path exists with other methods
 * (RFC 9110 §15.5.6), 404 `route_not_found` when no operation has the path. The routes are read on first use, once
 * every router is mounted.
 */
export function unmatchedApiRequest(routes: () => readonly Route[], prefix = '/api/') {
  let templates: Template[] | undefined;
  const load = () => {
    const byPath = new Map<string, Template>();
    for (const r of routes()) {
      if (r.method === 'ALL' || !r.path.startsWith(prefix)) continue;
      const t = byPath.get(r.path) ?? { re: pathPattern(r.path), methods: new Set<string>() };
      t.methods.add(r.method.toUpperCase());
      if (r.method.toUpperCase() === 'GET') t.methods.add('HEAD'); // Hono answers HEAD with the GET route
      byPath.set(r.path, t);
    }
    return [...byPath.values()];
  };
  return (c: Context) => {
    templates ??= load();
    const allowed = new Set<string>();
    for (const t of templates) if (t.re.test(c.req.path)) for (const m of t.methods) allowed.add(m);
    if (allowed.size === 0 || allowed.has(c.req.method)) {
      return problemResponse(404, 'route_not_found', `No route ${c.req.method} ${c.req.path}.`);
    }
    const allow = [...allowed].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b)).join(', ');
    return problemResponse(405, 'method_not_allowed', `${c.req.path} does not take ${c.req.method}; it takes ${allow}.`, undefined, { Allow: allow });
  };
}

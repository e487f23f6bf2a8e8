/** A readable API reference rendered on the server from the OpenAPI document: no script, nothing third-party. */

type Schema = Record<string, any>;
type Doc = { info: { title: string; version: string; description?: string }; paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, Schema> } };

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** An element id from a tag name: letters, digits and hyphens only ("Sign-in and two-factor" -> sign-in-and-two-factor). */
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'other';

function resolve(doc: Doc, s: Schema | undefined): Schema | undefined {
  if (s?.$ref) return doc.components?.schemas?.[String(s.$ref).split('/').pop()!];
  return s;
}

function schemaText(doc: Doc, s: Schema | undefined, depth = 0): string {
  s = resolve(doc, s);
  if (!s) return 'any';
  const pad = '  '.repeat(depth);
  if (s.type === 'object' || s.properties) {
    const req = new Set<string>(s.required ?? []);
    const lines = Object.entries<Schema>(s.properties ?? {}).map(([k, v]) => {
      const desc = resolve(doc, v)?.description;
      return `${pad}  ${k}${req.has(k) ? '' : '?'}: ${schemaText(doc, v, depth + 1)}${desc ? `  // ${desc}` : ''}`;
    });
    return lines.length ? `{\n${lines.join('\n')}\n${pad}}` : 'object';
  }
  if (s.type === 'array') return `${schemaText(doc, s.items, depth)}[]`;
  if (s.enum) return s.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf).map((x: Schema) => schemaText(doc, x, depth)).join(' | ');
  const limits = [s.minLength !== undefined && `min ${s.minLength}`, s.maxLength !== undefined && `max ${s.maxLength}`, s.format].filter(Boolean);
  return `${Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any')}${limits.length ? ` (${limits.join(', ')})` : ''}`;
}

export function renderApiDocs(doc: Doc): string {
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      const tag = op.tags?.[0] ?? 'Other';
      const params = (op.parameters ?? [])
        .map((p: any) => `<li><code>${esc(p.name)}</code> <small>(${esc(p.in)}${p.required ? ', required' : ''})</small> ${esc(p.description ?? '')}</li>`)
        .join('');
      const body = op.requestBody?.content?.['application/json']?.schema;
      const responses = Object.entries<any>(op.responses ?? {})
        .map(([code, r]) => {
          const sch = r.content?.['application/json']?.schema;
          return `<li><strong>${esc(code)}</strong> ${esc(r.description ?? '')}${sch ? `<pre>${esc(schemaText(doc, sch))}</pre>` : ''}</li>`;
        })
        .join('');
      // the operationId is the section's id: stable, and a valid id (a path holds slashes and braces)
      const html = `<section class="op" id="${esc(op.operationId ?? slug(`${method}-${path}`))}">
<h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p>${esc(op.summary ?? '')}</p>
${op.operationId ? `<p><small>operationId <code>${esc(op.operationId)}</code></small></p>` : ''}
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}
${body ? `<h4>Request body (JSON; unknown fields are rejected)</h4><pre>${esc(schemaText(doc, body))}</pre>` : ''}
<h4>Responses</h4><ul>${responses}</ul></section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const toc = [...byTag.keys()].map((t) => `<li><a href="#tag-${slug(t)}">${esc(t)}</a></li>`).join('');
  const sections = [...byTag.entries()].map(([t, ops]) => `<h2 id="tag-${slug(t)}">${esc(t)}</h2>${ops.join('\n')}`).join('\n');
  return `<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.info.title)} API reference</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin-inline:auto;padding:1rem;line-height:1.5;color:#1a1b1e}
pre{background:#f4f5f7;padding:.75rem;overflow:auto;border-radius:6px;font-size:.85rem}
.op{border-block-start:1px solid #ddd;padding-block:.5rem}
.m{display:inline-block;min-width:4.5rem;text-align:center;border-radius:4px;color:#fff;background:#495057;font-size:.8rem;padding:.1rem .4rem}
.get{background:#1864ab}.post{background:#2b8a3e}.patch{background:#a35d00}.delete{background:#c92a2a}
a{color:#1864ab}
</style></head><body><main>
<h1>${esc(doc.info.title)} API <small>${esc(doc.info.version)}</small></h1>
<p>${esc(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). What each error code means: <a href="/problems">/problems</a>.</p>
<nav aria-label="Sections"><ul>${toc}</ul></nav>
${sections}
</main></body></html>`;
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';

/**
 * How the stand-in misbehaves, for tests of the provider's error handling:
 * - '500': answers HTTP 500;
 * - 'timeout': never answers (the client's timeout fires);
 * - 'invalid-json': answers a chat completion whose content is not JSON;
 * - 'invented-ids': themes and rankings also cite ids that were never sent;
 * - 'changed-numbers': a polished post has every number in its body one higher.
 */
export type AiFailureMode = '500' | 'timeout' | 'invalid-json' | 'invented-ids' | 'changed-numbers';

/** One request as received: the parsed body, which task it was, and its Authorization header. */
export type AiStandInRequest = {
  path: string;
  task: string | null;
  authorization: string | undefined;
  body: {
    model?: string;
    response_format?: { type?: string };
    messages?: { role: string; content: string }[];
    [key: string]: unknown;
  };
  /** the JSON data of the user message, parsed */
  data: unknown;
};

/**
 * A few phrases translated by hand, so that pages in screenshots read as real text. Any other text is
 * "translated" as `[xx] original` — recognisably in the target language, and deterministic.
 */
export const STAND_IN_PHRASES: Record<string, string>[] = [
  {
    en: 'Children on both sides deserve to grow up without fear.',
    he: 'לילדים משני הצדדים מגיע לגדול בלי פחד.',
    ar: 'يستحق الأطفال على الجانبين أن يكبروا دون خوف.',
  },
  {
    en: 'We need a ceasefire and a return of all hostages and prisoners.',
    he: 'אנחנו צריכים הפסקת אש והחזרה של כל החטופים והאסירים.',
    ar: 'نحتاج إلى وقف لإطلاق النار وعودة جميع الرهائن والأسرى.',
  },
  {
    en: 'Shared schools where Jewish and Arab children learn together build trust.',
    he: 'בתי ספר משותפים שבהם ילדים יהודים וערבים לומדים יחד בונים אמון.',
    ar: 'المدارس المشتركة التي يتعلم فيها الأطفال اليهود والعرب معًا تبني الثقة.',
  },
  {
    en: 'A diplomatic horizon is the only way to end the cycle of violence.',
    he: 'אופק מדיני הוא הדרך היחידה לשבור את מעגל האלימות.',
    ar: 'الأفق السياسي هو الطريق الوحيد لإنهاء دائرة العنف.',
  },
  {
    en: 'Both peoples have a right to live in safety and dignity.',
    he: 'לשני העמים יש זכות לחיות בביטחון ובכבוד.',
    ar: 'لكلا الشعبين الحق في العيش بأمان وكرامة.',
  },
  {
    en: 'Non-violent protest is stronger than any weapon.',
    he: 'מחאה לא אלימה חזקה מכל נשק.',
    ar: 'الاحتجاج السلمي أقوى من أي سلاح.',
  },
];

/**
 * A stand-in for an OpenAI-compatible provider: a real HTTP server on a free local port serving
 * POST /v1/chat/completions and GET /v1/models, answering deterministically by the task named on the first
 * line of the system message ("convene-task: translate|themes|draft|ranking"). Closed after the test file.
 */
export async function startAiStandIn(opts: { apiKey?: string; model?: string; delayMs?: number } = {}) {
  const model = opts.model ?? 'stand-in';
  const requests: AiStandInRequest[] = [];
  let failure: { mode: AiFailureMode; remaining: number } | null = null;
  let inFlight = 0;
  let maxInFlight = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const sendLater = (status: number, payload: unknown) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        setTimeout(() => {
          inFlight--;
          send(status, payload);
        }, opts.delayMs ?? 0);
      };
      if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
        send(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
        return;
      }
      if (req.method === 'GET' && path === '/v1/models') {
        send(200, { object: 'list', data: [{ id: model, object: 'model', created: 0, owned_by: 'convene-tests' }] });
        return;
      }
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        send(404, { error: { message: `no route ${req.method} ${path}` } });
        return;
      }

      let body: AiStandInRequest['body'] = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        send(400, { error: { message: 'body is not JSON' } });
        return;
      }
      const system = body.messages?.find((m) => m.role === 'system')?.content ?? '';
      const user = body.messages?.find((m) => m.role === 'user')?.content ?? '';
      const task = /^convene-task: (\w+)/.exec(system)?.[1] ?? null;
      let data: unknown = null;
      try {
        data = JSON.parse(user);
      } catch {
        data = null;
      }
      requests.push({ path, task, authorization: req.headers.authorization, body, data });

      const mode = failure?.mode;
      if (failure && --failure.remaining <= 0) failure = null;
      if (mode === '500') {
        send(500, { error: { message: 'the stand-in was told to fail' } });
        return;
      }
      if (mode === 'timeout') return; // never answers; close() drops the connection
      if (mode === 'invalid-json') {
        send(200, completion(model, 'Sure! Here are the results you asked for: themes, translations and more.'));
        return;
      }
      if (!task || data === null || typeof data !== 'object') {
        send(400, { error: { message: 'the stand-in expects a "convene-task:" system message and a JSON user message' } });
        return;
      }
      const answer = answerTask(task, data as Record<string, unknown>, mode === 'invented-ids', mode === 'changed-numbers');
      if (!answer) {
        send(400, { error: { message: `unknown task ${task}` } });
        return;
      }
      // answered in a code fence, as small local models often do, so the client's tolerance is exercised
      const content = task === 'draft' ? '```json\n' + JSON.stringify(answer) + '\n```' : JSON.stringify(answer);
      sendLater(200, completion(model, content));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | null = null;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  try {
    afterAll(close);
  } catch {
    // started outside a test file's collection (a script, or inside a test): the caller closes it
  }

  return {
    /** use as CONVENE_AI_BASE_URL */
    baseUrl: `http://127.0.0.1:${port}/v1`,
    model,
    /** every chat-completion request received, in order */
    requests,
    close,
    /** the most chat completions being answered at the same time so far (with delayMs, shows the client's limit) */
    maxInFlight: () => maxInFlight,
    /** Misbehave from now on: for the next `times` requests (all of them when not given), or not at all (null). */
    setFailure(mode: AiFailureMode | null, times = Number.POSITIVE_INFINITY) {
      failure = mode ? { mode, remaining: times } : null;
    },
  };
}

export type AiStandIn = Awaited<ReturnType<typeof startAiStandIn>>;

function completion(model: string, content: string) {
  return {
    id: 'chatcmpl-stand-in',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

type Item = { id: string; text: string };

function answerTask(task: string, data: Record<string, unknown>, invent: boolean, changeNumbers = false): unknown {
  switch (task) {
    case 'translate': {
      const to = String(data.to);
      const items = (data.items as (Item & { from?: string })[]) ?? [];
      return {
        translations: items.map((item) => ({
          id: item.id,
          from: item.from ?? scriptLanguage(item.text),
          text: standInTranslation(item.text, to),
        })),
      };
    }
    case 'themes': {
      const statements = (data.statements as Item[]) ?? [];
      const max = Number(data.maxThemes ?? 6);
      return { themes: sharedWordThemes(statements, max, String(data.language ?? 'en'), invent) };
    }
    case 'draft': {
      const languages = (data.languages as string[]) ?? ['en'];
      const count = Number(data.count ?? 3);
      const brief = String(data.brief ?? '');
      return {
        variants: Array.from({ length: count }, (_, i) => ({
          text: Object.fromEntries(languages.map((l) => [l, `[${l}] ${i + 1}: ${brief}`])),
        })),
      };
    }
    case 'ranking': {
      const messages = (data.messages as Item[]) ?? [];
      const longest = Math.max(1, ...messages.map((m) => m.text.length));
      const ranking = messages.map((m) => ({
        id: m.id,
        score: Math.round((100 * m.text.length) / longest),
        rationale: `Scored by length: ${m.text.length} characters.`,
      }));
      if (invent) ranking.push({ id: 'invented-message', score: 100, rationale: 'made up' });
      return { ranking };
    }
    case 'talking_points': {
      // one point per evidence item (at most four), citing it
      const evidence = (data.evidence as Item[]) ?? [];
      const language = String(data.language ?? 'en');
      const points = evidence.slice(0, 4).map((e) => ({ text: `[${language}] Build on: ${e.text.slice(0, 80)}`, evidenceIds: [e.id] }));
      if (invent) points.push({ text: `[${language}] made up`, evidenceIds: ['invented-evidence'] });
      return { points };
    }
    case 'post_polish': {
      // "polished": the title marked as such, the text kept (or, told to, every number in the body one higher)
      const language = String(data.language ?? 'en');
      const body = String(data.body ?? '');
      return {
        title: `${String(data.title ?? '')} (${language}, polished)`,
        summary: String(data.summary ?? ''),
        body: changeNumbers ? body.replace(/\d+/g, (n) => String(Number(n) + 1)) : body,
      };
    }
    default:
      return null;
  }
}

/** The hand-made translation of a known phrase, else `[to] text`. */
export function standInTranslation(text: string, to: string): string {
  const key = text.trim();
  for (const phrase of STAND_IN_PHRASES) {
    if (Object.values(phrase).includes(key) && phrase[to]) return phrase[to];
  }
  return `[${to}] ${text}`;
}

function scriptLanguage(text: string): string {
  if (/[\u0590-\u05FF]/.test(text)) return 'he';
  if (/[\u0600-\u06FF]/.test(text)) return 'ar';
  return 'en';
}

/** Themes by the most common word (4+ letters) not yet used, each citing the statements that contain it. */
function sharedWordThemes(statements: Item[], max: number, language: string, invent: boolean) {
  const words = statements.map((s) => new Set(s.text.toLowerCase().match(/[\p{L}]{4,}/gu) ?? []));
  const used = new Set<string>();
  const themes: { title: string; summary: string; statementIds: string[] }[] = [];
  while (themes.length < max) {
    const counts = new Map<string, number>();
    for (const ws of words) for (const w of ws) if (!used.has(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const best = [...counts.entries()].filter(([, c]) => c >= 2).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    if (!best) break;
    used.add(best[0]);
    const ids = statements.filter((_, i) => words[i].has(best[0])).map((s) => s.id);
    themes.push({
      title: `[${language}] ${best[0]}`,
      summary: `[${language}] ${ids.length} statements mention "${best[0]}".`,
      statementIds: invent ? [...ids, 'invented-1'] : ids,
    });
  }
  if (invent) themes.push({ title: `[${language}] made up`, summary: 'rests on nothing', statementIds: ['invented-2'] });
  return themes;
}

// Themes without an AI provider: statements grouped by the words they share, weighted by TF-IDF. It finds
// "these statements all talk about schools"; it does not understand anything, and the page says so
// (every theme carries method: 'keywords'). Deterministic: the same statements always give the same themes.

import { ARABIC, HEBREW, normalizeName } from '../features/network/names.ts';

export type KeywordTheme = {
  /** the top two or three terms, as written in the statements */
  title: string;
  /** the theme's terms, most telling first, comma-separated (no prose: there is no model to write it) */
  summary: string;
  /** the statements this theme rests on, in input order */
  statementIds: string[];
  /** the theme's terms, most telling first */
  terms: string[];
  method: 'keywords';
};

export type KeywordThemeOptions = {
  /** at most this many themes (default 8) */
  maxThemes?: number;
  /** a theme needs at least this many statements (default 2) */
  minStatements?: number;
  /** how many of its strongest terms a statement is grouped by (default 3) */
  termsPerStatement?: number;
};

const STOPWORDS_EN = `a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each even every few for from further get gets had has have having
he her here hers him his how i if in into is it its itself just let like made make many may me more most much must my no nor
not now of off on once one only or other our ours out over own really same she should so some such than that the their theirs
them then there these they this those through to too under until up upon us very via was we well were what when where which
while who whom why will with within without would yes yet you your yours dont doesnt cant wont isnt arent shouldnt its im
need needs think believe want people
two three four five first second side sides both either neither way ways thing things lot lots today`;

const STOPWORDS_HE = `של את על זה זו זאת הוא היא הם הן אני אנחנו אנו אתה אתם אתן לא כן גם אבל או כי אם מה מי איך איפה
למה כל יש אין עם בין אל עד רק כמו יותר פחות מאוד הזה הזאת הזו האלה אלה אשר היה היתה היו להיות יהיה תהיה צריך צריכה
צריכים כך לנו לי לו לה להם להן שלנו שלי שלו שלה שלהם שלהן אותו אותה אותם אותנו כדי בלי אחרי לפני עוד כבר יכול יכולה
יכולים אפשר חייב חייבים מול תחת ידי בו בה בהם הזמן עכשיו כאן שם כמה הרבה אחד אחת כלל ממש חושב חושבת חושבים רוצה
רוצים שני שתי שניים שתיים שלושה שלוש צד צדדים הצדדים הצד דבר דברים היום`;

const STOPWORDS_AR = `في من على الى إلى عن مع هذا هذه ذلك تلك التي الذي الذين هو هي هم هن نحن أنا انا انت أنت انتم أن
إن ان لا لم لن ما ماذا كل كان كانت يكون تكون قد لقد او أو ثم لكن بل حتى اذا إذا عند بين كما أي اي ايضا أيضا فقط جدا يجب
نريد يمكن لنا لي له لها لهم بعد قبل غير هناك هنا ليس ليست كيف منذ عليه عليها فيه فيها به بها انه انها الا إلا الان الآن
دون ضد نحو اكثر أكثر بعض كثير واحد عندما لأن لان أنه أنها علينا نحن نعتقد اعتقد أعتقد
اثنان اثنين اثنتان ثلاثة طرف طرفين الطرفين الطرفان جانب جانبين الجانبين الجانبان كلا شيء أشياء اليوم`;

function normalizedSet(words: string): Set<string> {
  return new Set(words.split(/\s+/).filter(Boolean).map(normalizeName));
}
const STOPWORDS = new Set([...normalizedSet(STOPWORDS_EN), ...normalizedSet(STOPWORDS_HE), ...normalizedSet(STOPWORDS_AR)]);

// Hebrew and Arabic write "and", "the", "in", "to" as letters joined to the next word.
const HEBREW_PREFIXES = ['ו', 'ה', 'ב', 'ל', 'מ', 'ש', 'כ'];
const ARABIC_PREFIXES = ['وال', 'بال', 'كال', 'فال', 'ال', 'لل', 'و', 'ف', 'ب', 'ل', 'ك'].map(normalizeName);
const MIN_STEM = 3;

type Token = { norm: string; display: string };

/** The words of a statement, folded for comparison, each with the form to show in a label. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  // gershayim and apostrophes stay inside a word (צה"ל, don't); everything else that is not a letter splits
  for (const piece of text.split(/[^\p{L}\p{M}\p{N}'’"״׳]+/u)) {
    const display = piece
      .replace(/[\u0591-\u05C7\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g, '')
      .replace(/^['’"״׳]+|['’"״׳]+$/g, '')
      .toLowerCase();
    for (const norm of normalizeName(piece).split(' ')) {
      if (norm.length < 2 || /^\p{N}+$/u.test(norm)) continue;
      out.push({ norm, display });
    }
  }
  return out;
}

/** Forms a word may be the inflection of: itself, without joined prefixes (he/ar), without a plural ending (Latin). */
function stemCandidates(word: string, minStem = MIN_STEM): string[] {
  const out = new Set<string>([word]);
  if (HEBREW.test(word)) {
    let rest = word;
    for (let i = 0; i < 3 && rest.length - 1 >= minStem && HEBREW_PREFIXES.includes(rest[0]); i++) {
      rest = rest.slice(1);
      out.add(rest);
    }
  } else if (ARABIC.test(word)) {
    const strip = (w: string, depth: number) => {
      if (depth === 3) return;
      for (const p of ARABIC_PREFIXES) {
        if (w.startsWith(p) && w.length - p.length >= minStem) {
          out.add(w.slice(p.length));
          strip(w.slice(p.length), depth + 1);
        }
      }
    };
    strip(word, 0);
  } else if (/^[a-z]+$/.test(word)) {
    if (word.endsWith('ies') && word.length - 3 >= minStem) out.add(`${word.slice(0, -3)}y`);
    if (word.endsWith('es') && word.length - 2 >= minStem) out.add(word.slice(0, -2));
    if (word.endsWith('s') && !word.endsWith('ss') && word.length - 1 >= minStem) out.add(word.slice(0, -1));
  }
  return [...out];
}

function isStopword(word: string): boolean {
  if (STOPWORDS.has(word)) return true;
  // a function word with "and"/"the" joined to it (ולא, وفي)
  return stemCandidates(word, 2).some((c) => c !== word && word.length - c.length <= 2 && STOPWORDS.has(c));
}

/**
 * One term per word: among the forms a word may be an inflection of, the longest that at least two different
 * words in these statements share (הסכם for ההסכם and בהסכם, agreement for agreements). A light, corpus-aware
 * stemmer: it only merges words that actually occur in related forms.
 */
function canonicalTerms(words: Iterable<string>): Map<string, string> {
  const candidatesOf = new Map<string, string[]>();
  const sharers = new Map<string, Set<string>>();
  for (const w of words) {
    if (candidatesOf.has(w)) continue;
    const cands = stemCandidates(w);
    candidatesOf.set(w, cands);
    for (const c of cands) {
      let s = sharers.get(c);
      if (!s) sharers.set(c, (s = new Set()));
      s.add(w);
    }
  }
  const canonical = new Map<string, string>();
  for (const [w, cands] of candidatesOf) {
    let best = w;
    let bestShared = false;
    for (const c of cands) {
      const shared = (sharers.get(c)?.size ?? 0) >= 2;
      if (!shared) continue;
      if (!bestShared || c.length > best.length || (c.length === best.length && c < best)) {
        best = c;
        bestShared = true;
      }
    }
    canonical.set(w, best);
  }
  return canonical;
}

/** Group statements by the words they share. Statements that share nothing with a theme are not cited. */
export function keywordThemes(statements: { id: string; text: string }[], opts: KeywordThemeOptions = {}): KeywordTheme[] {
  const maxThemes = opts.maxThemes ?? 8;
  const minStatements = Math.max(2, opts.minStatements ?? 2);
  const perStatement = opts.termsPerStatement ?? 3;

  const stop = new Map<string, boolean>();
  const isStop = (w: string) => stop.get(w) ?? (stop.set(w, isStopword(w)), stop.get(w)!);
  const tokenized = statements.map((s) => tokenize(s.text).filter((t) => !isStop(t.norm)));
  const canonical = canonicalTerms(tokenized.flatMap((ts) => ts.map((t) => t.norm)));

  // how each term is written, to label it as people wrote it
  const displays = new Map<string, Map<string, number>>();
  const docs = tokenized.map((ts) => {
    const tf = new Map<string, number>();
    for (const t of ts) {
      const term = canonical.get(t.norm) ?? t.norm;
      tf.set(term, (tf.get(term) ?? 0) + 1);
      let d = displays.get(term);
      if (!d) displays.set(term, (d = new Map()));
      // prefer the written form whose folded form is the term itself (שלום over השלום)
      const key = `${t.norm === term ? 0 : 1}\u0000${t.display}`;
      d.set(key, (d.get(key) ?? 0) + 1);
    }
    return { tf, length: ts.length };
  });

  const n = docs.length;
  const df = new Map<string, number>();
  for (const d of docs) for (const term of d.tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const idf = (term: string) => Math.log((1 + n) / (1 + (df.get(term) ?? 0))) + 1;
  const weights = docs.map((d) => {
    const w = new Map<string, number>();
    for (const [term, count] of d.tf) w.set(term, (count / d.length) * idf(term));
    return w;
  });

  // each statement is grouped by its strongest terms among those it shares with another statement
  const top = weights.map((w) =>
    [...w.entries()]
      .filter(([term]) => (df.get(term) ?? 0) >= 2)
      .sort((a, b) => b[1] - a[1] || (df.get(b[0]) ?? 0) - (df.get(a[0]) ?? 0) || cmp(a[0], b[0]))
      .slice(0, perStatement)
      .map(([term]) => term),
  );

  const assigned = new Array<number>(n).fill(-1);
  const groups: number[][] = [];
  while (groups.length < maxThemes) {
    const members = new Map<string, number[]>();
    top.forEach((terms, i) => {
      if (assigned[i] !== -1) return;
      for (const term of terms) {
        let m = members.get(term);
        if (!m) members.set(term, (m = []));
        m.push(i);
      }
    });
    let seed: string | null = null;
    let seedMembers: number[] = [];
    let seedWeight = 0;
    for (const [term, m] of members) {
      if (m.length < minStatements) continue;
      const w = m.reduce((sum, i) => sum + (weights[i].get(term) ?? 0), 0);
      if (m.length > seedMembers.length || (m.length === seedMembers.length && (w > seedWeight || (w === seedWeight && seed !== null && cmp(term, seed) < 0)))) {
        seed = term;
        seedMembers = m;
        seedWeight = w;
      }
    }
    if (seed === null) break;
    for (const i of seedMembers) assigned[i] = groups.length;
    groups.push(seedMembers);
  }

  const themeTerms = (members: number[]) => {
    const memberDf = new Map<string, number>();
    const sum = new Map<string, number>();
    for (const i of members) {
      for (const [term, w] of weights[i]) {
        memberDf.set(term, (memberDf.get(term) ?? 0) + 1);
        sum.set(term, (sum.get(term) ?? 0) + w);
      }
    }
    return [...memberDf.entries()]
      .filter(([, c]) => c >= 2)
      .sort((a, b) => b[1] - a[1] || (sum.get(b[0]) ?? 0) - (sum.get(a[0]) ?? 0) || cmp(a[0], b[0]))
      .map(([term]) => term);
  };

  // a statement left over joins the theme whose terms weigh most in it, if it has any of them
  const termsByGroup = groups.map((g) => new Set(themeTerms(g).slice(0, 5)));
  weights.forEach((w, i) => {
    if (assigned[i] !== -1) return;
    let best = -1;
    let bestScore = 0;
    termsByGroup.forEach((terms, g) => {
      let score = 0;
      for (const term of terms) score += w.get(term) ?? 0;
      if (score > bestScore) {
        best = g;
        bestScore = score;
      }
    });
    if (best !== -1) {
      assigned[i] = best;
      groups[best].push(i);
    }
  });

  const label = (term: string) => {
    const forms = [...(displays.get(term) ?? new Map<string, number>()).entries()].sort(
      (a, b) => cmp(a[0].split('\u0000')[0], b[0].split('\u0000')[0]) || b[1] - a[1] || a[0].length - b[0].length || cmp(a[0], b[0]),
    );
    return forms.length ? forms[0][0].split('\u0000')[1] : term;
  };

  return groups
    .map((g) => [...g].sort((a, b) => a - b))
    .sort((a, b) => b.length - a.length || a[0] - b[0])
    .map((members) => {
      const terms = themeTerms(members).slice(0, 5).map(label);
      return {
        title: terms.slice(0, 3).join(' · '),
        summary: terms.join(', '),
        statementIds: members.map((i) => statements[i].id),
        terms,
        method: 'keywords' as const,
      };
    });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

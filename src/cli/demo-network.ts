// The demo's network: a fictional but realistic alliance. Seven offices with their staff, ~170 member
// organisations named in Latin, Hebrew and Arabic, partner foundations, the G7 missions and their diplomats,
// topics in three languages, the week of July 2024 from docs/product.md, and a year of meetings around it
// so that member health and the dashboard have something to say. Every name is made up from parts; any
// likeness to a real organisation or person is a coincidence. Deterministic: the same seed gives the same
// network (dates that say "overdue" or "last met" are relative to `now`).
import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../server/db/client.ts';
import { recordAudit } from '../server/features/audit/audit.service.ts';
import { followUp, meeting, meetingOrganisation, meetingPerson, meetingStaff, meetingTopic, sharedItem, topic } from '../server/features/meetings/meetings.schema.ts';
import { detectScript, normalizeName } from '../server/features/network/names.ts';
import {
  affiliation,
  office,
  organisation,
  organisationLink,
  organisationName,
  organisationStatusChange,
  person,
  personContact,
  personName,
  staffOffice,
} from '../server/features/network/network.schema.ts';
import { accessGrant } from '../server/access/access.schema.ts';

// ------------------------------------------------------------------------------------------- randomness

export type Rng = {
  (): number;
  int(min: number, max: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  shuffle<T>(xs: readonly T[]): T[];
  sample<T>(xs: readonly T[], n: number): T[];
  uuid(): string;
};

/** mulberry32: small, fast, and the same sequence on every machine. */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = next as Rng;
  r.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  r.pick = (xs) => xs[Math.floor(next() * xs.length)]!;
  r.chance = (p) => next() < p;
  r.shuffle = (xs) => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  r.sample = (xs, n) => {
    if (n * 4 >= xs.length) return r.shuffle(xs).slice(0, n);
    // a few from many: pick distinct indexes rather than shuffling everything
    const seen = new Set<number>();
    const out = [];
    while (out.length < n) {
      const i = Math.floor(next() * xs.length);
      if (seen.has(i)) continue;
      seen.add(i);
      out.push(xs[i]!);
    }
    return out;
  };
  r.uuid = () => {
    const h = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
    h[12] = '4';
    h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  return r;
}

// ------------------------------------------------------------------------------------------- vocabulary

type Tri = readonly [en: string, he: string, ar: string];

export type Place = { names: Tri; city: string; area: string; country: 'IL' | 'PS'; zone: string };

export const PLACES: Place[] = [
  { names: ['Jerusalem', 'ירושלים', 'القدس'], city: 'Jerusalem', area: 'Jerusalem', country: 'IL', zone: 'Asia/Jerusalem' },
  { names: ['East Jerusalem', 'מזרח ירושלים', 'القدس الشرقية'], city: 'Jerusalem', area: 'East Jerusalem', country: 'PS', zone: 'Asia/Hebron' },
  { names: ['Jaffa', 'יפו', 'يافا'], city: 'Tel Aviv-Yafo', area: 'Tel Aviv', country: 'IL', zone: 'Asia/Jerusalem' },
  { names: ['Tel Aviv', 'תל אביב', 'تل أبيب'], city: 'Tel Aviv-Yafo', area: 'Tel Aviv', country: 'IL', zone: 'Asia/Jerusalem' },
  { names: ['Haifa', 'חיפה', 'حيفا'], city: 'Haifa', area: 'Haifa', country: 'IL', zone: 'Asia/Jerusalem' },
  { names: ['Nazareth', 'נצרת', 'الناصرة'], city: 'Nazareth', area: 'Galilee', country: 'IL', zone: 'Asia/Jerusalem' },
  { names: ['Acre', 'עכו', 'عكا'], city: 'Acre', area: 'Galilee', country: 'IL', zone: 'Asia/Jerusalem' },
  { names: ['Umm al-Fahm', 'אום אל-פחם', 'أم الفحم'], city: 'Umm al-Fahm', area: 'Wadi Ara', country: 'IL', zone: 'Asia/Jerusalem' },
  { names: ['Beersheba', 'באר שבע', 'بئر السبع'], city: 'Beersheba', area: 'Negev', country: 'IL', zone: 'Asia/Jerusalem' },
  { names: ['Sderot', 'שדרות', 'سديروت'], city: 'Sderot', area: 'Negev', country: 'IL', zone: 'Asia/Jerusalem' },
  { names: ['Lod', 'לוד', 'اللد'], city: 'Lod', area: 'Centre', country: 'IL', zone: 'Asia/Jerusalem' },
  { names: ['Ramallah', 'רמאללה', 'رام الله'], city: 'Ramallah', area: 'West Bank', country: 'PS', zone: 'Asia/Hebron' },
  { names: ['Bethlehem', 'בית לחם', 'بيت لحم'], city: 'Bethlehem', area: 'West Bank', country: 'PS', zone: 'Asia/Hebron' },
  { names: ['Hebron', 'חברון', 'الخليل'], city: 'Hebron', area: 'West Bank', country: 'PS', zone: 'Asia/Hebron' },
  { names: ['Nablus', 'שכם', 'نابلس'], city: 'Nablus', area: 'West Bank', country: 'PS', zone: 'Asia/Hebron' },
  { names: ['Jenin', "ג'נין", 'جنين'], city: 'Jenin', area: 'West Bank', country: 'PS', zone: 'Asia/Hebron' },
  { names: ['Jericho', 'יריחו', 'أريحا'], city: 'Jericho', area: 'West Bank', country: 'PS', zone: 'Asia/Hebron' },
  { names: ['Gaza', 'עזה', 'غزة'], city: 'Gaza City', area: 'Gaza', country: 'PS', zone: 'Asia/Gaza' },
  { names: ['Khan Younis', "ח'אן יונס", 'خان يونس'], city: 'Khan Younis', area: 'Gaza', country: 'PS', zone: 'Asia/Gaza' },
];

/** Kinds of member organisation: a tag, and heads of names with the templates they read well in. */
export const SECTORS: { tag: string; heads: { names: Tri; forms: ('for' | 'place')[] }[] }[] = [
  {
    tag: 'dialogue',
    heads: [
      { names: ['Dialogue Circle', 'מעגל דיאלוג', 'حلقة حوار'], forms: ['place', 'for'] },
      { names: ['Neighbours Forum', 'פורום שכנים', 'منتدى الجيران'], forms: ['place', 'for'] },
      { names: ['Encounter Group', 'קבוצת מפגש', 'مجموعة لقاء'], forms: ['place'] },
      { names: ['Listening Project', 'פרויקט הקשבה', 'مشروع الإصغاء'], forms: ['place', 'for'] },
      { names: ['Interfaith Council', 'מועצה בין-דתית', 'مجلس الأديان'], forms: ['place', 'for'] },
    ],
  },
  {
    tag: 'bereaved-families',
    heads: [
      { names: ['Bereaved Families Forum', 'פורום משפחות שכולות', 'منتدى العائلات الثكلى'], forms: ['place', 'for'] },
      { names: ['Parents Circle', 'מעגל הורים', 'دائرة الأهالي'], forms: ['place', 'for'] },
      { names: ['Widows and Orphans Network', 'רשת אלמנות ויתומים', 'شبكة الأرامل والأيتام'], forms: ['place'] },
    ],
  },
  {
    tag: 'environment',
    heads: [
      { names: ['Green Bridge', 'גשר ירוק', 'الجسر الأخضر'], forms: ['place', 'for'] },
      { names: ['Water Alliance', 'ברית המים', 'تحالف المياه'], forms: ['place', 'for'] },
      { names: ['Olive Grove Network', 'רשת כרם הזיתים', 'شبكة كروم الزيتون'], forms: ['place', 'for'] },
      { names: ['Climate Partnership', 'שותפות האקלים', 'شراكة المناخ'], forms: ['place', 'for'] },
    ],
  },
  {
    tag: 'education',
    heads: [
      { names: ['Bilingual School', 'בית ספר דו-לשוני', 'مدرسة ثنائية اللغة'], forms: ['place'] },
      { names: ['Shared Classroom', 'כיתה משותפת', 'الصف المشترك'], forms: ['place', 'for'] },
      { names: ['Teachers Network', 'רשת מורים', 'شبكة المعلمين'], forms: ['place', 'for'] },
    ],
  },
  {
    tag: 'women',
    heads: [
      { names: ['Women Lawyers', 'נשים משפטניות', 'محاميات'], forms: ['for', 'place'] },
      { names: ["Women's Voices", 'קולות נשים', 'أصوات نساء'], forms: ['for', 'place'] },
      { names: ['Mothers Forum', 'פורום אמהות', 'منتدى الأمهات'], forms: ['for', 'place'] },
    ],
  },
  {
    tag: 'tech-employment',
    heads: [
      { names: ['Tech Bridge', 'גשר טכנולוגי', 'جسر التكنولوجيا'], forms: ['place', 'for'] },
      { names: ['Code Together', 'מקודדים יחד', 'نبرمج معاً'], forms: ['place'] },
      { names: ['Jobs Network', 'רשת תעסוקה', 'شبكة التشغيل'], forms: ['place', 'for'] },
      { names: ['Startup Academy', 'אקדמיית סטארט-אפ', 'أكاديمية الشركات الناشئة'], forms: ['place', 'for'] },
    ],
  },
  {
    tag: 'policy',
    heads: [
      { names: ['Policy Institute', 'מכון מדיניות', 'معهد السياسات'], forms: ['place', 'for'] },
      { names: ['Research Centre', 'מרכז מחקר', 'مركز أبحاث'], forms: ['place', 'for'] },
      { names: ['Strategy Forum', 'פורום אסטרטגיה', 'منتدى الاستراتيجيات'], forms: ['place', 'for'] },
    ],
  },
  {
    tag: 'youth',
    heads: [
      { names: ['Youth Movement', 'תנועת נוער', 'حركة الشباب'], forms: ['place', 'for'] },
      { names: ['Summer Camp', 'מחנה קיץ', 'المخيم الصيفي'], forms: ['place'] },
      { names: ['Students Union', 'אגודת סטודנטים', 'اتحاد الطلبة'], forms: ['place', 'for'] },
    ],
  },
  {
    tag: 'health',
    heads: [
      { names: ['Physicians Network', 'רשת רופאים', 'شبكة الأطباء'], forms: ['place', 'for'] },
      { names: ['Trauma Care Centre', 'מרכז לטיפול בטראומה', 'مركز علاج الصدمات'], forms: ['place'] },
    ],
  },
  {
    tag: 'arts-media',
    heads: [
      { names: ['Theatre Collective', 'קולקטיב תיאטרון', 'جماعة المسرح'], forms: ['place', 'for'] },
      { names: ['Media Lab', 'מעבדת מדיה', 'مختبر الإعلام'], forms: ['place', 'for'] },
    ],
  },
];

export const VALUES: Tri[] = [
  ['Justice', 'צדק', 'العدالة'],
  ['Peace', 'שלום', 'السلام'],
  ['Equality', 'שוויון', 'المساواة'],
  ['Dignity', 'כבוד', 'الكرامة'],
  ['Coexistence', 'חיים משותפים', 'العيش المشترك'],
  ['Tomorrow', 'המחר', 'الغد'],
  ['Reconciliation', 'פיוס', 'المصالحة'],
  ['Hope', 'תקווה', 'الأمل'],
  ['a Shared Future', 'עתיד משותף', 'مستقبل مشترك'],
  ['Human Rights', 'זכויות אדם', 'حقوق الإنسان'],
  ['Democracy', 'דמוקרטיה', 'الديمقراطية'],
  ['Partnership', 'שותפות', 'الشراكة'],
  ['Safety', 'ביטחון אישי', 'الأمان'],
  ['Freedom of Movement', 'חופש תנועה', 'حرية الحركة'],
];

export type OrgNames = { en: string; he: string; ar: string; sector: string; place: Place };

/** `n` distinct member-organisation names in three scripts, made from sector heads, values and places. */
export function memberOrganisationNames(rng: Rng, n: number): OrgNames[] {
  const combos: OrgNames[] = [];
  for (const s of SECTORS) {
    for (const h of s.heads) {
      for (const p of PLACES) {
        if (h.forms.includes('place')) combos.push({ en: `${p.names[0]} ${h.names[0]}`, he: `${h.names[1]} ${p.names[1]}`, ar: `${h.names[2]} ${p.names[2]}`, sector: s.tag, place: p });
      }
      for (const v of VALUES) {
        if (!h.forms.includes('for')) continue;
        const p = PLACES[(v[0].length + h.names[0].length) % PLACES.length]!;
        combos.push({ en: `${h.names[0]} for ${v[0]}`, he: `${h.names[1]} למען ${v[1]}`, ar: `${h.names[2]} من أجل ${v[2]}`, sector: s.tag, place: p });
      }
    }
  }
  const picked = rng.shuffle(combos).slice(0, n);
  // beyond the plain combinations (the scale benchmark wants thousands): "… for Justice – Haifa"
  for (let i = 0; picked.length < n; i++) {
    const base = combos[i % combos.length]!;
    const p = PLACES[Math.floor(i / combos.length) % PLACES.length]!;
    const round = Math.floor(i / (combos.length * PLACES.length));
    const suffix = round ? ` ${round + 1}` : '';
    picked.push({ ...base, en: `${base.en} – ${p.names[0]}${suffix}`, he: `${base.he} – ${p.names[1]}${suffix}`, ar: `${base.ar} – ${p.names[2]}${suffix}`, place: p });
  }
  return picked;
}

type PersonParts = { latin: string; native: string; variants?: string[] };

const HEBREW_FIRST: PersonParts[] = [
  { latin: 'Noa', native: 'נועה' }, { latin: 'Yael', native: 'יעל' }, { latin: 'Tamar', native: 'תמר' }, { latin: 'Michal', native: 'מיכל' },
  { latin: 'Avi', native: 'אבי' }, { latin: 'Yonatan', native: 'יונתן', variants: ['Jonathan'] }, { latin: 'Eitan', native: 'איתן', variants: ['Etan'] },
  { latin: 'Roni', native: 'רוני' }, { latin: 'Ori', native: 'אורי' }, { latin: 'Shira', native: 'שירה' }, { latin: 'Daniel', native: 'דניאל' },
  { latin: 'Maya', native: 'מאיה' }, { latin: 'Gil', native: 'גיל' }, { latin: 'Nir', native: 'ניר' }, { latin: 'Orly', native: 'אורלי' },
  { latin: 'Dafna', native: 'דפנה', variants: ['Daphna'] }, { latin: 'Amir', native: 'אמיר' }, { latin: 'Hila', native: 'הילה' }, { latin: 'Itzik', native: 'איציק', variants: ['Yitzhak'] },
];
const HEBREW_LAST: PersonParts[] = [
  { latin: 'Cohen', native: 'כהן', variants: ['Kohen'] }, { latin: 'Levi', native: 'לוי', variants: ['Levy'] }, { latin: 'Mizrahi', native: 'מזרחי' },
  { latin: 'Peretz', native: 'פרץ', variants: ['Perez'] }, { latin: 'Biton', native: 'ביטון' }, { latin: 'Friedman', native: 'פרידמן' },
  { latin: 'Shapira', native: 'שפירא', variants: ['Shapiro'] }, { latin: 'Ben-David', native: 'בן דוד' }, { latin: 'Golan', native: 'גולן' },
  { latin: 'Harel', native: 'הראל' }, { latin: 'Avraham', native: 'אברהם', variants: ['Abraham'] }, { latin: 'Katz', native: 'כץ' },
  { latin: 'Segal', native: 'סגל' }, { latin: 'Azoulay', native: 'אזולאי', variants: ['Azulai'] }, { latin: 'Ronen', native: 'רונן' },
];
const ARABIC_FIRST: PersonParts[] = [
  { latin: 'Mohammed', native: 'محمد', variants: ['Muhammad', 'Muhammed'] }, { latin: 'Ahmad', native: 'أحمد', variants: ['Ahmed'] },
  { latin: 'Khaled', native: 'خالد', variants: ['Khalid'] }, { latin: 'Omar', native: 'عمر', variants: ['Umar'] },
  { latin: 'Yousef', native: 'يوسف', variants: ['Yusuf', 'Youssef'] }, { latin: 'Ibrahim', native: 'إبراهيم' },
  { latin: 'Mahmoud', native: 'محمود', variants: ['Mahmud'] }, { latin: 'Samir', native: 'سمير' }, { latin: 'Rami', native: 'رامي' },
  { latin: 'Fadi', native: 'فادي' }, { latin: 'Layla', native: 'ليلى', variants: ['Leila'] }, { latin: 'Fatima', native: 'فاطمة', variants: ['Fatma'] },
  { latin: 'Rania', native: 'رانيا' }, { latin: 'Huda', native: 'هدى', variants: ['Houda'] }, { latin: 'Nour', native: 'نور', variants: ['Noor'] },
  { latin: 'Amal', native: 'أمل' }, { latin: 'Samah', native: 'سماح' }, { latin: 'Reem', native: 'ريم', variants: ['Rim'] },
  { latin: 'Hanan', native: 'حنان' }, { latin: 'Maha', native: 'مها' }, { latin: 'Tareq', native: 'طارق', variants: ['Tariq', 'Tarek'] },
];
const ARABIC_LAST: PersonParts[] = [
  { latin: 'Khalil', native: 'خليل' }, { latin: 'Haddad', native: 'حداد' }, { latin: 'Nasser', native: 'ناصر', variants: ['Nassar'] },
  { latin: 'Abu Ali', native: 'أبو علي' }, { latin: 'Darwish', native: 'درويش' }, { latin: 'Odeh', native: 'عودة', variants: ['Awda', 'Oudeh'] },
  { latin: 'Saleh', native: 'صالح', variants: ['Salih'] }, { latin: 'Hamdan', native: 'حمدان' }, { latin: 'Khoury', native: 'خوري', variants: ['Khouri'] },
  { latin: 'Barghouthi', native: 'برغوثي', variants: ['Barghouti'] }, { latin: 'Masri', native: 'مصري', variants: ['Al-Masri'] },
  { latin: 'Jaber', native: 'جابر', variants: ['Jabir'] }, { latin: 'Qasem', native: 'قاسم', variants: ['Qassem', 'Kassem'] },
  { latin: 'Shaheen', native: 'شاهين', variants: ['Shahin'] }, { latin: 'Zoabi', native: 'زعبي', variants: ['Zuabi'] },
];
// Hebrew spellings of Arab names, for Palestinian citizens of Israel who work in Hebrew too
const HEBREW_OF_ARABIC: Record<string, string> = {
  Mohammed: 'מוחמד', Ahmad: 'אחמד', Khaled: "ח'אלד", Omar: 'עומר', Yousef: 'יוסף', Ibrahim: 'איברהים', Mahmoud: 'מחמוד', Samir: 'סמיר', Rami: 'ראמי',
  Fadi: 'פאדי', Layla: 'ליילה', Fatima: 'פאטמה', Rania: 'ראניה', Huda: 'הודא', Nour: 'נור', Amal: 'אמל', Samah: 'סמאח', Reem: 'רים', Hanan: 'חנאן',
  Maha: 'מהא', Tareq: 'טארק', Khalil: 'ח׳ליל', Haddad: 'חדאד', Nasser: 'נאסר', 'Abu Ali': 'אבו עלי', Darwish: 'דרוויש', Odeh: 'עודה', Saleh: 'סאלח',
  Hamdan: 'חמדאן', Khoury: 'ח׳ורי', Barghouthi: 'ברגותי', Masri: 'מסרי', Jaber: "ג'אבר", Qasem: 'קאסם', Shaheen: 'שאהין', Zoabi: 'זועבי',
};

export type PersonNames = { display: string; names: { name: string; kind: 'primary' | 'alternate' | 'transliteration' }[]; language: 'he' | 'ar'; email: string };

/** A fictional person of the region: Latin primary name, native script(s), recorded transliterations. */
export function regionalPerson(rng: Rng, side: 'IL-jewish' | 'IL-arab' | 'PS', n: number): PersonNames {
  const jewish = side === 'IL-jewish';
  const f = rng.pick(jewish ? HEBREW_FIRST : ARABIC_FIRST);
  const l = rng.pick(jewish ? HEBREW_LAST : ARABIC_LAST);
  const display = `${f.latin} ${l.latin}`;
  const names: PersonNames['names'] = [
    { name: display, kind: 'primary' },
    { name: `${f.native} ${l.native}`, kind: 'alternate' },
  ];
  if (side === 'IL-arab') names.push({ name: `${HEBREW_OF_ARABIC[f.latin] ?? f.latin} ${HEBREW_OF_ARABIC[l.latin] ?? l.latin}`, kind: 'alternate' });
  const fv = f.variants?.length && rng.chance(0.6) ? rng.pick(f.variants) : undefined;
  const lv = l.variants?.length && rng.chance(0.4) ? rng.pick(l.variants) : undefined;
  if (fv || lv) names.push({ name: `${fv ?? f.latin} ${lv ?? l.latin}`, kind: 'transliteration' });
  const email = `${f.latin}.${l.latin}.${n}`.toLowerCase().replace(/[^a-z0-9.]/g, '') + '@example.org';
  return { display, names, language: jewish ? 'he' : 'ar', email };
}

export const TOPICS: { key: string; en: string; he: string; ar: string }[] = [
  { key: 'ceasefire-hostages', en: 'Ceasefire and hostages', he: 'הפסקת אש וחטופים', ar: 'وقف إطلاق النار والرهائن' },
  { key: 'day-after', en: 'Day-after plans', he: 'תוכניות ליום שאחרי', ar: 'خطط اليوم التالي' },
  { key: 'trauma-sensitive', en: 'Trauma-sensitive programming', he: 'תכניות רגישות טראומה', ar: 'برامج مراعية للصدمات' },
  { key: 'messaging-research', en: 'Messaging research', he: 'מחקר מסרים', ar: 'أبحاث الرسائل' },
  { key: 'g7-campaign', en: 'G7 campaign', he: 'קמפיין G7', ar: 'حملة مجموعة السبع' },
  { key: 'grassroots-support', en: 'Grassroots support', he: 'תמיכה בשטח', ar: 'دعم القواعد الشعبية' },
  { key: 'permits-movement', en: 'Permits and movement', he: 'היתרים ותנועה', ar: 'التصاريح والتنقل' },
  { key: 'funding', en: 'Funding', he: 'מימון', ar: 'التمويل' },
];

/** What members tell the alliance, in three languages; the scale generator reuses them. */
export const SHARED_ITEMS: { kind: string; topic: string; en: string; he: string; ar: string }[] = [
  {
    kind: 'concern', topic: 'permits-movement',
    en: 'Three of our facilitators were refused permits to reach Jerusalem this month.',
    he: 'שלושה מהמנחים שלנו לא קיבלו היתרי כניסה לירושלים החודש.',
    ar: 'رُفضت تصاريح ثلاثة من ميسّرينا لدخول القدس هذا الشهر.',
  },
  {
    kind: 'concern', topic: 'trauma-sensitive',
    en: 'Participants arrive carrying grief from the war; our facilitators need trauma training before we restart mixed groups.',
    he: 'המשתתפים מגיעים עם אבל מהמלחמה; המנחים שלנו צריכים הכשרה בטראומה לפני שנחדש קבוצות מעורבות.',
    ar: 'يصل المشاركون محمّلين بحزن الحرب؛ يحتاج ميسّرونا إلى تدريب على الصدمات قبل استئناف المجموعات المختلطة.',
  },
  {
    kind: 'concern', topic: 'funding',
    en: 'Two funders paused their grants; we can keep our staff only until the end of the year.',
    he: 'שני תורמים הקפיאו את המענקים; נוכל להחזיק את הצוות רק עד סוף השנה.',
    ar: 'جمّد مموّلان منحهما؛ لا نستطيع إبقاء طاقمنا إلا حتى نهاية العام.',
  },
  {
    kind: 'update', topic: 'ceasefire-hostages',
    en: 'We gathered 4,000 signatures from both communities for a ceasefire and hostage deal.',
    he: 'אספנו 4,000 חתימות משתי הקהילות בעד הפסקת אש ועסקת חטופים.',
    ar: 'جمعنا 4000 توقيع من المجتمعين من أجل وقف إطلاق النار وصفقة تبادل.',
  },
  {
    kind: 'update', topic: 'day-after',
    en: "Our working group published a civil-society 'day after' plan for local governance.",
    he: "קבוצת העבודה שלנו פרסמה תוכנית 'היום שאחרי' של החברה האזרחית לשלטון מקומי.",
    ar: "نشرت مجموعة العمل لدينا خطة المجتمع المدني 'لليوم التالي' للحكم المحلي.",
  },
  {
    kind: 'request', topic: 'messaging-research',
    en: 'Could the alliance share the messaging research results in Arabic before our community sessions?',
    he: 'האם הברית יכולה לשתף את תוצאות מחקר המסרים בערבית לפני המפגשים הקהילתיים שלנו?',
    ar: 'هل يمكن للتحالف مشاركة نتائج أبحاث الرسائل بالعربية قبل جلساتنا المجتمعية؟',
  },
  {
    kind: 'opportunity', topic: 'g7-campaign',
    en: "A member of parliament in Berlin offered to host a briefing on civil society's role after the G7 communiqué.",
    he: 'חברת פרלמנט בברלין הציעה לארח תדריך על תפקיד החברה האזרחית בעקבות הודעת ה-G7.',
    ar: 'عرضت نائبة في برلمان برلين استضافة إحاطة حول دور المجتمع المدني بعد بيان مجموعة السبع.',
  },
  {
    kind: 'concern', topic: 'grassroots-support',
    en: 'Volunteers are harassed online for joint activities; we need guidance on digital safety.',
    he: 'מתנדבים מותקפים ברשת בגלל פעילות משותפת; אנחנו צריכים הדרכה בבטיחות דיגיטלית.',
    ar: 'يتعرّض المتطوعون للمضايقة على الإنترنت بسبب الأنشطة المشتركة؛ نحتاج إلى إرشاد في الأمان الرقمي.',
  },
  {
    kind: 'request', topic: 'funding',
    en: 'We ask for help with an emergency grant application to a partner foundation.',
    he: 'נבקש עזרה בהגשת בקשה למענק חירום לקרן שותפה.',
    ar: 'نطلب المساعدة في تقديم طلب منحة طارئة إلى مؤسسة شريكة.',
  },
  {
    kind: 'update', topic: 'trauma-sensitive',
    en: 'The joint summer camp will run for 80 children with trauma-informed counsellors.',
    he: 'מחנה הקיץ המשותף יתקיים ל-80 ילדים עם מדריכים בעלי הכשרה בטראומה.',
    ar: 'سيُقام المخيم الصيفي المشترك لثمانين طفلاً مع مرشدين مدرَّبين على الصدمات.',
  },
  {
    kind: 'opportunity', topic: 'day-after',
    en: 'Municipal officials are open to a joint planning forum with Palestinian partners.',
    he: 'גורמים בעירייה פתוחים לפורום תכנון משותף עם שותפים פלסטינים.',
    ar: 'مسؤولون في البلدية منفتحون على منتدى تخطيط مشترك مع شركاء إسرائيليين.',
  },
  {
    kind: 'concern', topic: 'permits-movement',
    en: 'Checkpoint closures cut our team off from the Nablus office for two weeks.',
    he: 'סגירת מחסומים ניתקה את הצוות שלנו מהמשרד בשכם לשבועיים.',
    ar: 'عزلت إغلاقات الحواجز فريقنا عن مكتب نابلس لمدة أسبوعين.',
  },
  {
    kind: 'update', topic: 'grassroots-support',
    en: 'Our vigil for a ceasefire drew 600 people from both sides of the Green Line.',
    he: 'המשמרת שלנו למען הפסקת אש משכה 600 איש משני צידי הקו הירוק.',
    ar: 'استقطبت وقفتنا من أجل وقف إطلاق النار 600 شخص من جانبي الخط الأخضر.',
  },
  {
    kind: 'request', topic: 'g7-campaign',
    en: 'Please bring our report on water access to the next meeting with the missions.',
    he: 'נבקש להביא את הדוח שלנו על גישה למים לפגישה הבאה עם הנציגויות.',
    ar: 'نرجو تقديم تقريرنا حول الوصول إلى المياه في الاجتماع القادم مع البعثات.',
  },
];

const FOLLOW_UP_TITLES = [
  'Send the messaging research summary (Arabic and Hebrew)',
  'Introduce them to a partner foundation for an emergency grant',
  'Share the trauma-training curriculum',
  'Raise their permit refusals with the missions',
  'Invite them to the next G7 campaign briefing',
  'Write up their day-after plan for the policy brief',
  'Check in after the summer camp',
  'Ask for photos and figures for the news post',
  'Connect their volunteers with the digital-safety trainers',
  'Send the minutes of the group meeting',
];

// ------------------------------------------------------------------------------------------- time

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
function offsetMinutes(timeZone: string, at: Date): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) offsetFormatters.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })));
  const m = (f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '').match(/([+-])(\d{2}):(\d{2})/);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The instant of a wall-clock time in a zone: zoned('2024-07-02T10:00', 'Asia/Jerusalem') = 07:00Z. */
export function zoned(local: string, timeZone: string): Date {
  const wall = Date.parse(`${local}:00Z`);
  let t = wall - offsetMinutes(timeZone, new Date(wall)) * 60_000;
  t = wall - offsetMinutes(timeZone, new Date(t)) * 60_000;
  return new Date(t);
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);

// ------------------------------------------------------------------------------------------- offices, foundations, missions

const OFFICES = [
  { name: 'London', city: 'London', timeZone: 'Europe/London', emails: ['oliver'] },
  { name: 'Berlin', city: 'Berlin', timeZone: 'Europe/Berlin', emails: ['lena'] },
  { name: 'Paris', city: 'Paris', timeZone: 'Europe/Paris', emails: ['camille'] },
  { name: 'California', city: 'Los Angeles', timeZone: 'America/Los_Angeles', emails: ['maya'] },
  { name: 'Washington DC', city: 'Washington', timeZone: 'America/New_York', emails: ['james'] },
  { name: 'Jerusalem', city: 'Jerusalem', timeZone: 'Asia/Jerusalem', emails: ['admin', 'noa'] },
  { name: 'Ramallah', city: 'Ramallah', timeZone: 'Asia/Hebron', emails: ['rana', 'samer'] },
] as const;

const FOUNDATIONS: { names: Tri; country: string; city: string }[] = [
  { names: ['Heinrich Adler Foundation', 'קרן היינריך אדלר', 'مؤسسة هاينريش أدلر'], country: 'DE', city: 'Berlin' },
  { names: ['Clara Weiss Foundation for Democracy', 'קרן קלרה וייס לדמוקרטיה', 'مؤسسة كلارا فايس للديمقراطية'], country: 'DE', city: 'Berlin' },
  { names: ['Rosa Brandt Foundation', 'קרן רוזה ברנדט', 'مؤسسة روزا برانت'], country: 'DE', city: 'Berlin' },
  { names: ['Nordlicht Foundation', 'קרן נורדליכט', 'مؤسسة نوردليشت'], country: 'DE', city: 'Hamburg' },
  { names: ['Fondation Marianne Delorme', 'קרן מריאן דלורם', 'مؤسسة ماريان دولورم'], country: 'FR', city: 'Paris' },
  { names: ['Transatlantic Civic Fund', 'הקרן הטרנס-אטלנטית לחברה אזרחית', 'الصندوق المدني عبر الأطلسي'], country: 'US', city: 'Washington' },
  { names: ['Thames Peacebuilding Trust', 'קרן התמזה לבניית שלום', 'صندوق التايمز لبناء السلام'], country: 'GB', city: 'London' },
];

const G7: { country: string; en: string; he: string; ar: string; jerusalem?: string; diplomats: [string, string, string?][] }[] = [
  { country: 'CA', en: 'Canada', he: 'קנדה', ar: 'كندا', diplomats: [['Claire Tremblay', 'Ambassador'], ['Ian MacLeod', 'Political Counsellor'], ['Sophie Gagnon', 'Second Secretary, civil society']] },
  { country: 'FR', en: 'France', he: 'צרפת', ar: 'فرنسا', jerusalem: 'Consulate General of France in Jerusalem', diplomats: [['Hélène Marchand', 'Ambassador', 'Helene Marchand'], ['Julien Lefèvre', 'Consul General', 'Julien Lefevre'], ['Nadia Benali', 'Attaché for civil society', 'نادية بن علي']] },
  { country: 'DE', en: 'Germany', he: 'גרמניה', ar: 'ألمانيا', diplomats: [['Katrin Bauer', 'Ambassador'], ['Matthias Keller', 'Deputy Head of Mission'], ['Jonas Richter', 'Political Officer']] },
  { country: 'IT', en: 'Italy', he: 'איטליה', ar: 'إيطاليا', jerusalem: 'Consulate General of Italy in Jerusalem', diplomats: [['Giulia Romano', 'Ambassador'], ['Marco Bianchi', 'Consul General'], ['Francesca Conti', 'Cultural Attaché']] },
  { country: 'JP', en: 'Japan', he: 'יפן', ar: 'اليابان', diplomats: [['Haruka Sato', 'Ambassador', 'Haruka Satō'], ['Kenji Watanabe', 'Counsellor'], ['Yuki Tanaka', 'First Secretary']] },
  { country: 'GB', en: 'the United Kingdom', he: 'בריטניה', ar: 'المملكة المتحدة', jerusalem: 'British Consulate General Jerusalem', diplomats: [['Fiona Campbell', 'Ambassador'], ['Edward Hughes', 'Consul General'], ['Karim Haddad', 'Political Officer', 'Kareem Haddad']] },
  { country: 'US', en: 'the United States', he: 'ארצות הברית', ar: 'الولايات المتحدة', jerusalem: 'Office of Palestinian Affairs, Jerusalem', diplomats: [['Rebecca Turner', 'Ambassador'], ['Marcus Bell', 'Deputy Chief of Mission'], ['Alicia Moreno', 'Public Diplomacy Officer']] },
];

// ------------------------------------------------------------------------------------------- seeding

export type DemoNetworkSummary = {
  skipped: boolean;
  offices: number;
  organisations: number;
  members: number;
  people: number;
  meetings: number;
  sharedItems: number;
  followUps: number;
};

type StaffMap = Record<string, string | { id: string }> | Map<string, string | { id: string }>;

async function insertAll(db: Db, table: PgTable, rows: Record<string, unknown>[], batch = 500) {
  for (let i = 0; i < rows.length; i += batch) await db.insert(table).values(rows.slice(i, i + batch) as never);
}

/**
 * Seeds the demo network once (does nothing when organisations exist). `staffByEmail` maps the demo staff
 * accounts' emails to their user ids; the offices get their staff by the email's local part.
 */
export async function seedDemoNetwork(db: Db, opts: { staffByEmail: StaffMap; now?: Date; seed?: number }): Promise<DemoNetworkSummary> {
  const [{ n: existing }] = (await db.select({ n: sql<number>`count(*)::int` }).from(organisation)) as [{ n: number }];
  const summary: DemoNetworkSummary = { skipped: true, offices: 0, organisations: 0, members: 0, people: 0, meetings: 0, sharedItems: 0, followUps: 0 };
  if (existing > 0) return summary;
  summary.skipped = false;

  const rng = makeRng(opts.seed ?? 20240701);
  const now = opts.now ?? new Date();
  const entries = opts.staffByEmail instanceof Map ? [...opts.staffByEmail] : Object.entries(opts.staffByEmail);
  const staff = entries.map(([email, v]) => ({ email, local: email.split('@')[0]!, id: typeof v === 'string' ? v : v.id }));
  if (staff.length === 0) throw new Error('seedDemoNetwork needs the demo staff accounts (staffByEmail is empty)');
  const byLocal = (local: string) => staff.find((s) => s.local === local)?.id;
  const anyStaff = () => rng.pick(staff).id;
  const regional = ['noa', 'rana', 'admin'].map(byLocal).filter((x): x is string => !!x);
  const international = ['oliver', 'lena', 'camille', 'maya', 'james'].map(byLocal).filter((x): x is string => !!x);
  const regionalStaff = regional.length ? regional : staff.map((s) => s.id);
  const internationalStaff = international.length ? international : staff.map((s) => s.id);
  const writers = staff.filter((s) => s.local !== 'samer').map((s) => s.id);
  const writer = () => rng.pick(writers.length ? writers : staff.map((s) => s.id));

  await db.transaction(async (tx) => {
    // offices (reusing any already made by hand for the same city) and their staff
    const officeRows = await tx.select().from(office);
    const officeIds: string[] = [];
    for (const o of OFFICES) {
      let id = officeRows.find((r) => r.city === o.city)?.id;
      if (!id) {
        id = rng.uuid();
        await tx.insert(office).values({ id, name: o.name, city: o.city, timeZone: o.timeZone });
        summary.offices++;
      }
      officeIds.push(id);
    }
    const staffOffices = staff.map((s, i) => {
      const idx = OFFICES.findIndex((o) => (o.emails as readonly string[]).includes(s.local));
      return { userId: s.id, officeId: officeIds[idx >= 0 ? idx : i % OFFICES.length]! };
    });
    await tx.insert(staffOffice).values(staffOffices).onConflictDoNothing();

    // topics (reusing keys that exist)
    await tx
      .insert(topic)
      .values(TOPICS.map((t) => ({ id: rng.uuid(), key: t.key, nameEn: t.en, nameHe: t.he, nameAr: t.ar })))
      .onConflictDoNothing();
    const topicRows = await tx.select().from(topic);
    const topicId = (key: string) => topicRows.find((t) => t.key === key)!.id;

    const orgRows: (typeof organisation.$inferInsert)[] = [];
    const orgNameRows: (typeof organisationName.$inferInsert)[] = [];
    const statusRows: (typeof organisationStatusChange.$inferInsert)[] = [];
    const linkRows: (typeof organisationLink.$inferInsert)[] = [];
    const personRows: (typeof person.$inferInsert)[] = [];
    const personNameRows: (typeof personName.$inferInsert)[] = [];
    const contactRows: (typeof personContact.$inferInsert)[] = [];
    const affiliationRows: (typeof affiliation.$inferInsert)[] = [];
    const grantRows: (typeof accessGrant.$inferInsert)[] = [];
    const addOrgNames = (organisationId: string, names: string[], kind = 'official') => {
      for (const name of names) orgNameRows.push({ id: rng.uuid(), organisationId, name, script: detectScript(name), kind, norm: normalizeName(name) });
    };

    // ---- members
    type Member = { id: string; names: OrgNames; country: string; status: string; people: string[] };
    const members: Member[] = [];
    for (const [i, n] of memberOrganisationNames(rng, 172).entries()) {
      const id = rng.uuid();
      const roll = rng();
      const status = roll < 0.84 ? 'active' : roll < 0.9 ? 'prospective' : roll < 0.94 ? 'suspended' : 'former';
      const joined = new Date(Date.UTC(rng.int(2016, 2023), rng.int(0, 11), rng.int(1, 28)));
      const slug = n.en.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      const israeli = n.place.country === 'IL';
      orgRows.push({
        id,
        kind: 'member',
        status,
        name: n.en,
        country: n.place.country,
        area: n.place.area,
        city: n.place.city,
        website: `https://${slug}.example.org`,
        languages: israeli ? (rng.chance(0.5) ? ['he', 'ar', 'en'] : ['he', 'en']) : ['ar', 'en'],
        description: `${n.en}: a ${n.sector.replace(/-/g, ' ')} organisation in ${n.place.names[0]}.`,
        tags: [n.sector, ...(rng.chance(0.15) ? ['joint-israeli-palestinian'] : []), ...(n.place.area === 'Gaza' ? ['gaza-emergency'] : [])],
        ownerId: rng.chance(0.8) ? rng.pick(regionalStaff) : rng.pick(internationalStaff),
        createdAt: joined,
        updatedAt: joined,
      });
      addOrgNames(id, [n.en, n.he, n.ar]);
      if (i % 9 === 0) addOrgNames(id, [n.en.split(' ').map((w) => w[0]).join('').toUpperCase()], 'short');
      const history: { status: string; since: string; note?: string }[] = [];
      if (status === 'prospective') history.push({ status: 'prospective', since: day(addDays(now, -rng.int(20, 200))), note: 'Applied for membership' });
      else {
        if (rng.chance(0.3)) history.push({ status: 'prospective', since: day(addDays(joined, -rng.int(30, 120))) });
        history.push({ status: 'active', since: day(joined), note: 'Membership approved by the board' });
        if (status === 'suspended') history.push({ status: 'suspended', since: day(addDays(now, -rng.int(30, 300))), note: 'Dues unpaid for two years' });
        if (status === 'former') history.push({ status: 'former', since: day(addDays(now, -rng.int(60, 600))), note: 'Organisation closed' });
      }
      for (const h of history) statusRows.push({ id: rng.uuid(), organisationId: id, status: h.status, since: h.since, note: h.note ?? null, recordedBy: writer() });
      members.push({ id, names: n, country: n.place.country, status, people: [] });
    }
    summary.members = members.length;

    // ---- people of the members: one to three each
    let personSeq = 0;
    const addPerson = (p: { display: string; names: { name: string; kind: string }[]; language?: string; email?: string; tags?: string[]; pseudonym?: string; identityRestricted?: boolean; createdBy?: string; notes?: string }) => {
      const id = rng.uuid();
      personRows.push({
        id,
        displayName: p.identityRestricted && p.pseudonym ? p.pseudonym : p.display,
        pseudonym: p.pseudonym ?? null,
        identityRestricted: p.identityRestricted ?? false,
        preferredLanguage: p.language ?? null,
        tags: p.tags ?? [],
        notes: p.notes ?? null,
        createdBy: p.createdBy ?? writer(),
      });
      for (const n of p.names) personNameRows.push({ id: rng.uuid(), personId: id, name: n.name, script: detectScript(n.name), kind: n.kind, norm: normalizeName(n.name) });
      if (p.email) contactRows.push({ id: rng.uuid(), personId: id, kind: 'email', value: p.email, label: 'work' });
      return id;
    };
    const TITLES = ['Director', 'Co-director', 'Programme manager', 'Community organiser', 'Board chair', 'Facilitator', 'Spokesperson'];
    for (const m of members) {
      const count = rng.int(1, 3);
      for (let k = 0; k < count; k++) {
        const side = m.country === 'PS' ? 'PS' : rng.chance(0.35) ? 'IL-arab' : 'IL-jewish';
        const p = regionalPerson(rng, side, ++personSeq);
        const id = addPerson({ display: p.display, names: p.names, language: p.language, email: p.email });
        if (rng.chance(0.5)) contactRows.push({ id: rng.uuid(), personId: id, kind: 'phone', value: `+${m.country === 'PS' ? '970' : '972'}5${rng.int(10000000, 99999999)}`, label: 'mobile' });
        affiliationRows.push({ id: rng.uuid(), personId: id, organisationId: m.id, title: k === 0 ? 'Director' : rng.pick(TITLES), startDate: day(addDays(now, -rng.int(200, 3000))), endDate: null });
        m.people.push(id);
      }
    }

    // ---- partner foundations, funding links
    const foundations: string[] = [];
    for (const f of FOUNDATIONS) {
      const id = rng.uuid();
      orgRows.push({ id, kind: 'funder', status: null, name: f.names[0], country: f.country, city: f.city, languages: ['en', 'de'], description: 'Partner foundation: funds and convenes with the alliance.', tags: ['partner-foundation'], ownerId: rng.pick(internationalStaff) });
      addOrgNames(id, [...f.names]);
      foundations.push(id);
      const funded = rng.sample(members.filter((m) => m.status === 'active'), rng.int(4, 10));
      for (const m of funded) linkRows.push({ id: rng.uuid(), fromId: m.id, toId: id, kind: 'funded_by', startDate: day(addDays(now, -rng.int(100, 900))), endDate: rng.chance(0.2) ? day(addDays(now, -rng.int(1, 90))) : null });
    }

    // ---- G7 missions and their diplomats
    type Mission = { id: string; country: string; diplomats: string[]; city: string; zone: string };
    const missions: Mission[] = [];
    for (const g of G7) {
      const embassy = { id: rng.uuid(), en: `Embassy of ${g.en} in Tel Aviv`, he: `שגרירות ${g.he} בתל אביב`, ar: `سفارة ${g.ar} في تل أبيب` };
      const posts = [{ ...embassy, city: 'Tel Aviv-Yafo' }];
      if (g.jerusalem) {
        const consulate = g.jerusalem.startsWith('Consulate') || g.jerusalem.startsWith('British');
        posts.push({ id: rng.uuid(), en: g.jerusalem, he: consulate ? `הקונסוליה הכללית של ${g.he} בירושלים` : `הנציגות של ${g.he} בירושלים`, ar: consulate ? `القنصلية العامة لـ${g.ar} في القدس` : `ممثلية ${g.ar} في القدس`, city: 'Jerusalem' });
      }
      for (const [pi, post] of posts.entries()) {
        orgRows.push({ id: post.id, kind: 'mission', status: null, name: post.en, country: g.country, area: post.city === 'Jerusalem' ? 'Jerusalem' : 'Tel Aviv', city: post.city, languages: ['en'], description: `G7 mission of ${g.en}.`, tags: ['g7', 'mission'], ownerId: rng.pick(internationalStaff) });
        addOrgNames(post.id, [post.en, post.he, post.ar]);
        const mission: Mission = { id: post.id, country: g.country, diplomats: [], city: post.city, zone: 'Asia/Jerusalem' };
        const inJerusalem = (d: [string, string, string?]) => !!g.jerusalem && /Consul General|civil society|Political Officer|Public Diplomacy|Cultural/.test(d[1]);
        const list = g.diplomats.filter((d) => (pi === 0 ? !inJerusalem(d) : inJerusalem(d)));
        for (const [name, title, variant] of list) {
          const names: { name: string; kind: string }[] = [{ name, kind: 'primary' }];
          if (variant) names.push({ name: variant, kind: detectScript(variant) === 'latin' ? 'transliteration' : 'alternate' });
          if (name === 'Karim Haddad') names.push({ name: 'كريم حداد', kind: 'alternate' });
          const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z ]/g, '').replace(/ /g, '.');
          const id = addPerson({ display: name, names, language: 'en', email: `${slug}@mission-${g.country.toLowerCase()}.example`, tags: ['diplomat', 'g7'] });
          affiliationRows.push({ id: rng.uuid(), personId: id, organisationId: post.id, title, startDate: day(addDays(now, -rng.int(300, 1400))), endDate: null });
          mission.diplomats.push(id);
        }
        missions.push(mission);
      }
    }
    // the pseudonymous official: visible as "Official A", the real identity need-to-know
    const officialRecorder = byLocal('lena') ?? writer();
    const officialA = addPerson({
      display: 'Friedrich Hoffmann',
      names: [{ name: 'Friedrich Hoffmann', kind: 'primary' }],
      pseudonym: 'Official A, ministry of foreign affairs',
      identityRestricted: true,
      language: 'en',
      email: 'f.hoffmann@ministry.example',
      tags: ['government'],
      createdBy: officialRecorder,
      notes: 'Speaks to us off the record. Never name in reports.',
    });
    const germanEmbassy = missions.find((m) => m.country === 'DE')!;
    affiliationRows.push({ id: rng.uuid(), personId: officialA, organisationId: germanEmbassy.id, title: 'Seconded from the ministry of foreign affairs', startDate: '2023-09-01', endDate: null });
    grantRows.push({ id: rng.uuid(), recordType: 'person', recordId: officialA, userId: officialRecorder, grantedBy: officialRecorder });

    // ---- the "Time is Now" gathering: an organisation the co-organisers link to
    const timeIsNow = rng.uuid();
    orgRows.push({ id: timeIsNow, kind: 'other', status: null, name: 'Time is Now coalition', country: 'IL', area: 'Tel Aviv', city: 'Tel Aviv-Yafo', languages: ['he', 'ar', 'en'], description: 'The coalition of 50+ NGOs that organised the arena gathering of 1 July 2024.', tags: ['time-is-now-2024'], ownerId: byLocal('noa') ?? writer() });
    addOrgNames(timeIsNow, ['Time is Now coalition', 'קואליציית הגיע הזמן', 'ائتلاف حان الوقت']);
    const activeMembers = members.filter((m) => m.status === 'active');
    const coOrganisers = rng.sample(activeMembers, 54);
    for (const m of coOrganisers) linkRows.push({ id: rng.uuid(), fromId: m.id, toId: timeIsNow, kind: 'co_organiser_of', startDate: '2024-05-01', endDate: '2024-07-01', note: 'Co-organiser of the arena day' });
    for (let i = 0; i < 12; i++) {
      const [a, b] = rng.sample(activeMembers, 2);
      linkRows.push({ id: rng.uuid(), fromId: a!.id, toId: b!.id, kind: rng.pick(['partner_of', 'coalition_with']), startDate: day(addDays(now, -rng.int(100, 1500))), endDate: null });
    }

    summary.organisations = orgRows.length;
    summary.people = personRows.length;
    await insertAll(tx, organisation, orgRows);
    await insertAll(tx, organisationName, orgNameRows);
    await insertAll(tx, organisationStatusChange, statusRows);
    await insertAll(tx, organisationLink, linkRows);
    await insertAll(tx, person, personRows);
    await insertAll(tx, personName, personNameRows);
    await insertAll(tx, personContact, contactRows);
    await insertAll(tx, affiliation, affiliationRows);

    // ---- meetings
    const meetingRows: (typeof meeting.$inferInsert)[] = [];
    const mOrgRows: (typeof meetingOrganisation.$inferInsert)[] = [];
    const mPersonRows: (typeof meetingPerson.$inferInsert)[] = [];
    const mStaffRows: (typeof meetingStaff.$inferInsert)[] = [];
    const mTopicRows: (typeof meetingTopic.$inferInsert)[] = [];
    const itemRows: (typeof sharedItem.$inferInsert)[] = [];
    const followRows: (typeof followUp.$inferInsert)[] = [];
    const memberById = new Map(members.map((m) => [m.id, m]));

    const addMeeting = (m: {
      kind: string;
      title: string;
      start: Date;
      minutes: number;
      timeZone: string;
      city?: string | null;
      venue?: string | null;
      online?: boolean;
      notes?: string | null;
      notesRestricted?: boolean;
      restricted?: boolean;
      orgs: { id: string; role?: string }[];
      people?: { id: string; organisationId?: string; role?: string }[];
      staff: string[];
      topics: string[];
      items?: number;
      followUps?: { title: string; ownerId: string; dueDate: string; status?: string; organisationId?: string }[];
    }) => {
      const id = rng.uuid();
      const createdBy = m.staff.find((s) => writers.includes(s)) ?? writer();
      const end = new Date(m.start.getTime() + m.minutes * 60_000);
      meetingRows.push({
        id,
        kind: m.kind,
        title: m.title,
        titleNorm: normalizeName(m.title),
        startsAt: m.start,
        endsAt: end,
        timeZone: m.timeZone,
        city: m.online ? null : (m.city ?? null),
        venue: m.online ? null : (m.venue ?? null),
        online: m.online ?? false,
        notes: m.notes ?? null,
        notesRestricted: m.notesRestricted ?? false,
        restricted: m.restricted ?? false,
        createdBy,
        createdAt: end,
        updatedAt: end,
      });
      const staffIds = [...new Set(m.staff)];
      for (const o of m.orgs) mOrgRows.push({ meetingId: id, organisationId: o.id, role: o.role ?? 'participant' });
      for (const p of m.people ?? []) mPersonRows.push({ meetingId: id, personId: p.id, organisationId: p.organisationId ?? null, role: p.role ?? 'participant' });
      for (const s of staffIds) mStaffRows.push({ meetingId: id, userId: s });
      for (const t of [...new Set(m.topics)]) mTopicRows.push({ meetingId: id, topicId: topicId(t) });
      if (m.restricted || m.notesRestricted) grantRows.push({ id: rng.uuid(), recordType: 'meeting', recordId: id, userId: createdBy, grantedBy: createdBy });
      const memberOrgs = m.orgs.map((o) => memberById.get(o.id)).filter((x): x is Member => !!x);
      for (let k = 0; k < (m.items ?? 0) && memberOrgs.length; k++) {
        const org = rng.pick(memberOrgs);
        const item = rng.pick(SHARED_ITEMS);
        const body = org.country === 'PS' ? item.ar : rng.chance(0.6) ? item.he : item.en;
        const age = (now.getTime() - end.getTime()) / 86_400_000;
        const status = age > 120 ? rng.pick(['addressed', 'closed', 'open']) : age > 30 ? rng.pick(['open', 'addressed']) : 'open';
        itemRows.push({ id: rng.uuid(), meetingId: id, organisationId: org.id, topicId: topicId(item.topic), kind: item.kind, body, bodyNorm: normalizeName(body), status, restricted: false, createdBy, createdAt: end, updatedAt: end });
      }
      for (const f of m.followUps ?? []) {
        const status = f.status ?? 'open';
        followRows.push({ id: rng.uuid(), title: f.title, ownerId: f.ownerId, dueDate: f.dueDate, status, meetingId: id, organisationId: f.organisationId ?? null, createdBy, createdAt: end, completedAt: status === 'done' ? new Date(Date.parse(`${f.dueDate}T12:00:00Z`)) : null });
      }
      return id;
    };

    const everyone = staff.filter((s) => s.local !== 'samer').map((s) => s.id);
    const noa = byLocal('noa') ?? writer();
    const rana = byLocal('rana') ?? writer();
    const lena = byLocal('lena') ?? writer();
    const oliver = byLocal('oliver') ?? writer();
    const james = byLocal('james') ?? writer();
    const camille = byLocal('camille') ?? writer();
    const today = day(now);

    // day one: the arena in Tel Aviv
    addMeeting({
      kind: 'group',
      title: 'Time is Now: arena gathering, Tel Aviv',
      start: zoned('2024-07-01T16:00', 'Asia/Jerusalem'),
      minutes: 360,
      timeZone: 'Asia/Jerusalem',
      city: 'Tel Aviv-Yafo',
      venue: 'Arena, Yigal Alon St.',
      notes: '6,000+ Israelis and Palestinians; co-organised by 50+ NGOs, many of them members. The alliance coordinated speakers and the members\u2019 stands.',
      orgs: [{ id: timeIsNow, role: 'host' }, ...coOrganisers.map((m) => ({ id: m.id, role: 'host' }))],
      staff: everyone,
      topics: ['ceasefire-hostages', 'grassroots-support'],
      items: 4,
    });
    // the group meetings: Jerusalem (Israelis and East Jerusalem) and Ramallah (West Bank), separately
    const israeliSide = rng.sample(activeMembers.filter((m) => m.country === 'IL' || m.names.place.area === 'East Jerusalem'), 34);
    const westBank = rng.sample(activeMembers.filter((m) => m.country === 'PS' && m.names.place.area !== 'East Jerusalem'), 30);
    const groupFollowUps = (orgs: Member[], owner: string, base: string) =>
      orgs.slice(0, 4).map((o, k) => ({
        title: `${FOLLOW_UP_TITLES[k % FOLLOW_UP_TITLES.length]}: ${o.names.en}`,
        ownerId: k % 2 ? owner : rng.pick(internationalStaff),
        organisationId: o.id,
        // two done in July 2024, one long overdue, one due soon
        dueDate: k < 2 ? base : k === 2 ? day(addDays(now, -rng.int(5, 20))) : day(addDays(now, rng.int(3, 20))),
        status: k < 2 ? 'done' : 'open',
      }));
    addMeeting({
      kind: 'group',
      title: 'Regional team meeting with members in Jerusalem',
      start: zoned('2024-07-02T10:00', 'Asia/Jerusalem'),
      minutes: 210,
      timeZone: 'Asia/Jerusalem',
      city: 'Jerusalem',
      venue: 'Community hall, Emek Refaim',
      notes: 'Members shared concerns and updates. Topics: grassroots support for a ceasefire and hostage deal; day-after plans; trauma-sensitive programming; the messaging research.',
      orgs: israeliSide.map((m) => ({ id: m.id })),
      people: israeliSide.slice(0, 20).map((m) => ({ id: m.people[0]!, organisationId: m.id })),
      staff: everyone,
      topics: ['ceasefire-hostages', 'day-after', 'trauma-sensitive', 'messaging-research'],
      items: 12,
      followUps: groupFollowUps(israeliSide, noa, '2024-07-15'),
    });
    addMeeting({
      kind: 'group',
      title: 'اجتماع الفريق الإقليمي مع المؤسسات الأعضاء في رام الله',
      start: zoned('2024-07-03T10:00', 'Asia/Hebron'),
      minutes: 210,
      timeZone: 'Asia/Hebron',
      city: 'Ramallah',
      venue: 'Cultural centre, Al-Irsal St.',
      notes: 'Held separately from Jerusalem: most West Bank members cannot get permits to enter Jerusalem. Topics as in Jerusalem, plus permits and movement.',
      orgs: westBank.map((m) => ({ id: m.id })),
      people: westBank.slice(0, 18).map((m) => ({ id: m.people[0]!, organisationId: m.id })),
      staff: everyone,
      topics: ['ceasefire-hostages', 'day-after', 'trauma-sensitive', 'messaging-research', 'permits-movement'],
      items: 12,
      followUps: groupFollowUps(westBank, rana, '2024-07-17'),
    });
    // one-on-ones with a dozen members
    const oneOnOnes = rng.sample(activeMembers, 12);
    for (const [k, m] of oneOnOnes.entries()) {
      const israeli = m.country === 'IL';
      const tz = israeli ? 'Asia/Jerusalem' : m.names.place.zone;
      addMeeting({
        kind: 'one_on_one',
        title: israeli && k % 2 ? `פגישה אישית עם ${m.names.he}` : israeli ? `One-on-one with ${m.names.en}` : `لقاء ثنائي مع ${m.names.ar}`,
        start: zoned(`2024-07-0${2 + (k % 4)}T${['14', '15', '16'][k % 3]}:30`, tz),
        minutes: 60,
        timeZone: tz,
        city: m.names.place.city,
        venue: 'Their office',
        orgs: [{ id: m.id }],
        people: m.people.slice(0, 2).map((p) => ({ id: p, organisationId: m.id })),
        staff: [rng.pick(regionalStaff), rng.pick(internationalStaff)],
        topics: [rng.pick(TOPICS).key],
        items: 2,
        followUps: k % 3 === 0 ? [{ title: `${rng.pick(FOLLOW_UP_TITLES)}: ${m.names.en}`, ownerId: rng.pick(internationalStaff), organisationId: m.id, dueDate: day(addDays(now, -rng.int(1, 30))) }] : [],
      });
    }
    // with three partner foundations
    for (const [k, f] of foundations.slice(0, 3).entries()) {
      addMeeting({
        kind: 'one_on_one',
        title: `Partner meeting: ${FOUNDATIONS[k]!.names[0]}`,
        start: zoned(`2024-07-0${3 + k}T09:00`, 'Asia/Jerusalem'),
        minutes: 75,
        timeZone: 'Asia/Jerusalem',
        city: 'Jerusalem',
        venue: 'American Colony Hotel',
        orgs: [{ id: f, role: 'participant' }],
        staff: [lena, noa],
        topics: ['funding', 'trauma-sensitive'],
        followUps: [{ title: 'Send the joint proposal for trauma-sensitive programming', ownerId: lena, organisationId: f, dueDate: k === 0 ? '2024-08-01' : day(addDays(now, rng.int(5, 40))), status: k === 0 ? 'done' : 'open' }],
      });
    }
    // diplomatic meetings with G7 missions, for the campaign after the communiqué
    const diplomatic = missions.filter((m) => m.city === 'Tel Aviv-Yafo').slice(0, 5).concat(missions.filter((m) => m.city === 'Jerusalem').slice(0, 2));
    for (const [k, m] of diplomatic.entries()) {
      addMeeting({
        kind: 'diplomatic',
        title: `G7 campaign: meeting at the ${orgRows.find((o) => o.id === m.id)!.name}`,
        start: zoned(`2024-07-0${4 + (k % 2)}T${pad2(9 + k)}:00`, 'Asia/Jerusalem'),
        minutes: 60,
        timeZone: 'Asia/Jerusalem',
        city: m.city,
        venue: 'Chancery',
        notes: 'Asked the mission to back a role for civil society in any diplomatic initiative, as the G7 communiqué says.',
        orgs: [{ id: m.id, role: 'host' }],
        people: m.diplomats.slice(0, 2).map((p, j) => ({ id: p, organisationId: m.id, role: j === 0 ? 'ambassador' : 'participant' })),
        staff: [oliver, james, camille, noa].slice(0, 2 + (k % 3)),
        topics: ['g7-campaign'],
        followUps: k === 0 ? [{ title: 'Send the civil-society letter to all G7 missions', ownerId: oliver, dueDate: '2024-07-20', status: 'done' }] : [],
      });
    }
    // the restricted one: Official A, off the record
    addMeeting({
      kind: 'diplomatic',
      title: 'Off-the-record meeting with Official A',
      start: zoned('2024-07-05T18:00', 'Asia/Jerusalem'),
      minutes: 60,
      timeZone: 'Asia/Jerusalem',
      city: 'Jerusalem',
      venue: 'Private residence',
      restricted: true,
      notesRestricted: true,
      notes: 'Official A described the ministry\u2019s thinking on a diplomatic horizon. Not for any report.',
      orgs: [{ id: germanEmbassy.id, role: 'subject' }],
      people: [{ id: officialA, role: 'official' }],
      staff: [lena, oliver],
      topics: ['g7-campaign', 'day-after'],
      followUps: [{ title: 'Brief the board orally (nothing in writing)', ownerId: lena, dueDate: day(addDays(now, -3)) }],
    });

    // a year of meetings around it: most active members met recently, some long ago, a few never
    const neglected = new Set(rng.sample(activeMembers, 25).map((m) => m.id));
    for (let k = 0; k < 190; k++) {
      const daysBack = rng.int(1, 365);
      const local = addDays(now, -daysBack);
      const pool = activeMembers.filter((m) => !neglected.has(m.id) || daysBack > 200);
      const orgs = rng.sample(pool, rng.chance(0.2) ? rng.int(3, 8) : 1);
      const first = orgs[0]!;
      const kind = orgs.length > 1 ? 'group' : rng.pick(['one_on_one', 'one_on_one', 'call', 'site_visit']);
      const online = kind === 'call';
      const tz = online ? 'Asia/Jerusalem' : first.names.place.zone;
      const hour = pad2(rng.int(9, 17));
      const start = zoned(`${day(local)}T${hour}:${rng.pick(['00', '30'])}`, tz);
      const lang = first.country === 'PS' ? 'ar' : rng.pick(['en', 'he']);
      const titles = {
        group: { en: `Members' round table in ${first.names.place.names[0]}`, he: `שולחן עגול של ארגונים ב${first.names.place.names[1]}`, ar: `طاولة مستديرة للأعضاء في ${first.names.place.names[2]}` },
        one_on_one: { en: `Check-in with ${first.names.en}`, he: `פגישת עדכון עם ${first.names.he}`, ar: `لقاء متابعة مع ${first.names.ar}` },
        call: { en: `Call with ${first.names.en}`, he: `שיחה עם ${first.names.he}`, ar: `مكالمة مع ${first.names.ar}` },
        site_visit: { en: `Site visit: ${first.names.en}`, he: `ביקור שטח: ${first.names.he}`, ar: `زيارة ميدانية: ${first.names.ar}` },
      }[kind as 'group']!;
      const due = addDays(local, rng.int(7, 40));
      addMeeting({
        kind,
        title: titles[lang as 'en'],
        start,
        minutes: rng.pick([45, 60, 90, 120]),
        timeZone: tz,
        online,
        city: first.names.place.city,
        venue: kind === 'site_visit' ? 'Project site' : 'Their office',
        notes: rng.chance(0.4) ? 'Notes: follow the concerns they raised; see the shared items.' : null,
        notesRestricted: rng.chance(0.05),
        restricted: rng.chance(0.03),
        orgs: orgs.map((o) => ({ id: o.id })),
        people: orgs.flatMap((o) => o.people.slice(0, 1).map((p) => ({ id: p, organisationId: o.id }))),
        staff: [first.names.place.country === 'PS' ? rana : rng.pick(regionalStaff), ...(rng.chance(0.3) ? [rng.pick(internationalStaff)] : [])],
        topics: rng.sample(TOPICS, rng.int(1, 2)).map((t) => t.key),
        items: rng.int(0, 3),
        followUps: rng.chance(0.3)
          ? [{ title: `${rng.pick(FOLLOW_UP_TITLES)}: ${first.names.en}`, ownerId: rng.pick(writers), organisationId: first.id, dueDate: day(due), status: day(due) < today && rng.chance(0.6) ? 'done' : 'open' }]
          : [],
      });
    }
    // a few calls with the missions over the year, one restricted
    for (let k = 0; k < 8; k++) {
      const m = rng.pick(missions);
      addMeeting({
        kind: 'call',
        title: `G7 campaign call with the ${orgRows.find((o) => o.id === m.id)!.name}`,
        start: zoned(`${day(addDays(now, -rng.int(10, 300)))}T${pad2(rng.int(9, 17))}:00`, 'Asia/Jerusalem'),
        minutes: 30,
        timeZone: 'Asia/Jerusalem',
        online: true,
        restricted: k === 0,
        orgs: [{ id: m.id }],
        people: m.diplomats.slice(0, 1).map((p) => ({ id: p, organisationId: m.id })),
        staff: [rng.pick(internationalStaff)],
        topics: ['g7-campaign'],
      });
    }
    // follow-ups without a meeting, some overdue
    for (let k = 0; k < 10; k++) {
      const m = rng.pick(activeMembers);
      followRows.push({ id: rng.uuid(), title: `${rng.pick(FOLLOW_UP_TITLES)}: ${m.names.en}`, ownerId: rng.pick(writers), dueDate: day(addDays(now, rng.int(-30, 30))), status: 'open', meetingId: null, organisationId: m.id, createdBy: writer(), createdAt: addDays(now, -rng.int(31, 60)), completedAt: null });
    }

    await insertAll(tx, meeting, meetingRows);
    await insertAll(tx, meetingOrganisation, mOrgRows);
    await insertAll(tx, meetingPerson, mPersonRows);
    await insertAll(tx, meetingStaff, mStaffRows);
    await insertAll(tx, meetingTopic, mTopicRows);
    await insertAll(tx, sharedItem, itemRows);
    await insertAll(tx, followUp, followRows);
    await insertAll(tx, accessGrant, grantRows);
    summary.meetings = meetingRows.length;
    summary.sharedItems = itemRows.length;
    summary.followUps = followRows.length;
    await recordAudit(tx, { actor: null, ip: 'demo', userAgent: 'npm run demo' }, { action: 'network.seed_demo', entityType: 'network', entityId: null, detail: { ...summary } });
  });
  return summary;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

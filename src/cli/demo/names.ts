// Names of the demo's fictional network, made up from parts: places, kinds of member organisation and what they
// stand for (in Latin, Hebrew and Arabic), and people of the region with their recorded spellings. Any likeness to
// a real organisation or person is a coincidence. The scale benchmark (bench/generate-network.ts) reuses them.
import type { Rng } from './rng.ts';

export type Tri = readonly [en: string, he: string, ar: string];

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

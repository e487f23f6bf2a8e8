import { describe, expect, it } from 'vitest';
import { keywordThemes, tokenize } from './keyword-themes.ts';
import { detectLanguage } from './language.ts';

const english = [
  { id: 'e1', text: 'Schools should teach both languages, Hebrew and Arabic, from first grade.' },
  { id: 'e2', text: 'Shared schools where Jewish and Arab children learn together build trust.' },
  { id: 'e3', text: 'Water rights must be divided fairly; the water crisis hurts villages first.' },
  { id: 'e4', text: 'Every village deserves clean water and reliable electricity.' },
  { id: 'e5', text: 'Children in mixed schools grow up without fear of the other side.' },
  { id: 'e6', text: 'I like football.' },
];
const hebrew = [
  { id: 'h1', text: 'הֶסְכֵּם השלום חייב לכלול את ירושלים.' },
  { id: 'h2', text: 'בלי הסכם על ירושלים לא יהיה שלום.' },
  { id: 'h3', text: 'הילדים בבתי הספר צריכים ללמוד ערבית.' },
  { id: 'h4', text: 'ילדים יהודים וערבים צריכים ללמוד יחד בבית ספר אחד.' },
  { id: 'h5', text: 'מחירי הדיור בירושלים גבוהים מדי.' },
];
const arabic = [
  { id: 'a1', text: 'يجب أن يتعلم الأطفال في المدارس اللغة العبرية.' },
  { id: 'a2', text: 'الأطفال بحاجة إلى مدارس آمنة ومشتركة.' },
  { id: 'a3', text: 'لا سلام بدون إنهاء الاحتلال.' },
  { id: 'a4', text: 'إنهاء الاحتلال هو الطريق الوحيد إلى السلام العادل.' },
  { id: 'a5', text: 'نُرِيدُ السَّلَامَ والأَمَانَ لأطفالنا.' },
];

describe('keyword themes', () => {
  it('groups English statements by shared words and labels them with those words', () => {
    const themes = keywordThemes(english);
    expect(themes.map((t) => ({ ids: t.statementIds, title: t.title }))).toEqual([
      { ids: ['e1', 'e2', 'e5'], title: 'schools · children' },
      // "villages" and "village" are one term, labelled in its singular form
      { ids: ['e3', 'e4'], title: 'water · village' },
    ]);
    expect(themes.every((t) => t.method === 'keywords')).toBe(true);
    expect(themes[1].summary).toBe('water, village');
  });

  it('folds Hebrew points, final letters and joined prefixes', () => {
    const themes = keywordThemes(hebrew);
    const peace = themes.find((t) => t.statementIds.includes('h1'))!;
    // הֶסְכֵּם (pointed) = הסכם; השלום = שלום; בירושלים = ירושלים
    expect(peace.statementIds).toEqual(['h1', 'h2', 'h5']);
    expect(peace.terms.slice(0, 3)).toEqual(['ירושלים', 'הסכם', 'שלום']);
    const schools = themes.find((t) => t.statementIds.includes('h3'))!;
    expect(schools.statementIds).toEqual(['h3', 'h4']);
    expect(schools.terms).toContain('ילדים');
    // stopwords never label a theme
    expect(themes.flatMap((t) => t.terms)).not.toContain('צריכים');
  });

  it('folds Arabic harakat, letter variants and the article', () => {
    const themes = keywordThemes(arabic);
    const children = themes.find((t) => t.statementIds.includes('a1'))!;
    // الأطفال / لأطفالنا differ; الأطفال twice, المدارس ≈ مدارس
    expect(children.statementIds).toEqual(['a1', 'a2']);
    expect(children.terms.slice(0, 2)).toEqual(['الأطفال', 'مدارس']);
    const peace = themes.find((t) => t.statementIds.includes('a3'))!;
    // السَّلَامَ (voweled, with the article) joins سلام and السلام
    expect(peace.statementIds).toEqual(['a3', 'a4', 'a5']);
    expect(peace.terms).toContain('سلام');
  });

  it('keeps the languages apart in a mixed set, and is deterministic', () => {
    const all = [...english, ...hebrew, ...arabic];
    const themes = keywordThemes(all);
    for (const t of themes) {
      expect(new Set(t.statementIds.map((id) => id[0])).size).toBe(1);
    }
    expect(keywordThemes([...all])).toEqual(themes);
    expect(themes.length).toBe(6);
    // each statement is cited at most once; a statement sharing nothing is cited nowhere
    const cited = themes.flatMap((t) => t.statementIds);
    expect(new Set(cited).size).toBe(cited.length);
    expect(cited).not.toContain('e6');
  });

  it('honours maxThemes and minStatements, and copes with nothing to group', () => {
    const all = [...english, ...hebrew, ...arabic];
    expect(keywordThemes(all, { maxThemes: 2 })).toHaveLength(2);
    expect(keywordThemes(all, { minStatements: 3 }).every((t) => t.statementIds.length >= 3)).toBe(true);
    expect(keywordThemes([])).toEqual([]);
    expect(keywordThemes([{ id: '1', text: '!!!' }, { id: '2', text: 'the and of' }])).toEqual([]);
  });

  it('tokenises three scripts, keeping the written form for labels', () => {
    expect(tokenize('הֶסכם השלום, don\'t צה"ל إنهاء 2024')).toEqual([
      { norm: 'הסכמ', display: 'הסכם' },
      { norm: 'השלומ', display: 'השלום' },
      { norm: 'dont', display: "don't" },
      { norm: 'צהל', display: 'צה"ל' },
      { norm: 'انهاء', display: 'إنهاء' },
    ]);
  });
});

describe('detectLanguage', () => {
  it('names the language by its script', () => {
    expect(detectLanguage('Combatants for Peace')).toBe('en');
    expect(detectLanguage('לוחמים לשלום')).toBe('he');
    expect(detectLanguage('مقاتلون من أجل السلام')).toBe('ar');
    expect(detectLanguage('2024 — !')).toBe('other');
    // mostly Hebrew with a Latin name inside
    expect(detectLanguage('פגשנו את John בירושלים אתמול')).toBe('he');
  });

  it('does not make themes of counting words and "sides" in any language (seen: "sides", "two")', () => {
    const sets = [
      ['Both sides must stop the violence now.', 'Two sides, two peoples, one land to share.', 'The two sides should sit and talk.', 'Each side fears the other side.'],
      ['שני הצדדים צריכים להפסיק את האלימות.', 'שני צדדים, שני עמים.', 'הצדדים חייבים לדבר.', 'כל צד מפחד מהצד השני.'],
      ['على الطرفين وقف العنف.', 'الطرفان يجب أن يتحاورا.', 'كلا الجانبين يخاف.', 'الجانبين شعبان اثنان.'],
    ];
    const banned = /^(two|sides?|both|שני|שתי|צד|צדדים|הצדדים|الطرفين|الطرفان|طرف|الجانبين|جانب|اثنان)$/;
    for (const texts of sets) {
      const themes = keywordThemes(texts.map((text, i) => ({ id: String(i), text })));
      for (const th of themes) expect(th.terms.filter((w) => banned.test(w)), th.terms.join(', ')).toEqual([]);
    }
  });
});


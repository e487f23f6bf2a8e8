// What the demo's meetings are about: topics, what members tell the alliance (shared items) and what staff
// promise to do after (follow-up titles), in three languages.
import type { Db } from '../../server/db/client.ts';
import { topic } from '../../server/features/meetings/meetings.schema.ts';
import type { Rng } from './rng.ts';

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

export const FOLLOW_UP_TITLES = [
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

/** Adds the topics (keeping those whose key exists) and returns the id of each key. */
export async function seedTopics(tx: Db, rng: Rng): Promise<(key: string) => string> {
  await tx
    .insert(topic)
    .values(TOPICS.map((t) => ({ id: rng.uuid(), key: t.key, nameEn: t.en, nameHe: t.he, nameAr: t.ar })))
    .onConflictDoNothing();
  const topicRows = await tx.select().from(topic);
  return (key: string) => topicRows.find((t) => t.key === key)!.id;
}

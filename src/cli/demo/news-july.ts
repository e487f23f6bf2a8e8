// The demo's news post about the week of July 2024 (issue 15), in English, Hebrew and Arabic: written by Oliver,
// translated by Noa and Rana, published by the administrator on 8 July 2024. The figure of member organisations
// met is counted from the demo's own records as a reader with no need-to-know grants sees them (restricted meetings
// left out), in the meetings of 1–5 July 2024 in Jerusalem and Ramallah: by the dashboard's own queries
// (insights/figures.ts), so it is the dashboard's figure and what "Draft from data" writes.
import type { RequestContext } from '../../server/core/context.ts';
import type { Db } from '../../server/db/client.ts';
import { noGrantsReader } from '../../server/access/need-to-know.ts';
import { countOrganisationsMet, scopedMeetings } from '../../server/features/insights/figures.ts';
import { createPost, publishPost, putVersion } from '../../server/features/updates/updates.service.ts';

const ctxOf = (id: string, role: 'admin' | 'staff'): RequestContext => ({
  actor: { id, email: `${id}@demo`, name: 'demo', role, locale: 'en', timeZone: 'Asia/Jerusalem', twoFactorEnabled: false, sessionId: 'demo', createdAt: new Date().toISOString() },
  ip: 'demo',
  userAgent: 'npm run demo',
});

export async function seedDemoNews(tx: Db, people: { author: string; hebrew: string; arabic: string; publisher: string }): Promise<string> {
  const timeZone = 'Asia/Jerusalem';
  const week = scopedMeetings(noGrantsReader(timeZone), { from: '2024-07-01', to: '2024-07-05', timeZone, cities: ['Jerusalem', 'Ramallah'] });
  const n = String((await countOrganisationsMet(tx, week)).members);
  const post = await createPost(tx, ctxOf(people.author, 'staff'), {
    visibility: 'public',
    versions: {
      en: {
        slug: 'regional-team-meeting-ramallah-july-2024',
        title: 'Regional team meeting in Ramallah',
        summary: `In the first week of July 2024 our regional team met ${n} member organisations in Jerusalem and Ramallah.`,
        body: `## A week with our members\n\nWe met **${n} member organisations** in Jerusalem and Ramallah, in two meetings held apart: most of our West Bank members get no permit to enter Jerusalem.\n\nThe week began with the *Time is Now* gathering in Tel Aviv, and ended with partner foundations and diplomatic missions.\n\n> Peace is built by the people who keep meeting.\n\n- What members asked for: more joint programmes for young people\n- What comes next: follow-ups with each organisation\n\nRead more about the coalition on [our site](/news).`,
      },
    },
  });
  await putVersion(tx, ctxOf(people.hebrew, 'staff'), post.id, 'he', {
    slug: 'regional-team-meeting-ramallah-july-2024-he',
    title: 'פגישת הצוות האזורי ברמאללה',
    summary: `בשבוע הראשון של יולי 2024 נפגש הצוות האזורי שלנו עם ${n} ארגונים חברים בירושלים וברמאללה.`,
    body: `## שבוע עם הארגונים החברים\n\nנפגשנו עם **${n} ארגונים חברים** בירושלים וברמאללה, בשתי פגישות נפרדות: רוב הארגונים החברים מהגדה המערבית לא מקבלים היתר כניסה לירושלים.\n\nהשבוע נפתח בכנס *הזמן הוא עכשיו* בתל אביב, והסתיים בפגישות עם קרנות שותפות ונציגויות דיפלומטיות.\n\n> שלום בונים אנשים שממשיכים להיפגש.\n\n- מה ביקשו הארגונים: עוד תוכניות משותפות לצעירים\n- מה הלאה: מעקב מול כל ארגון`,
  });
  await putVersion(tx, ctxOf(people.arabic, 'staff'), post.id, 'ar', {
    slug: 'regional-team-meeting-ramallah-july-2024-ar',
    title: 'اجتماع الفريق الإقليمي في رام الله',
    summary: `في الأسبوع الأول من تموز 2024 التقى فريقنا الإقليمي بـ${n} منظمة عضوًا في القدس ورام الله.`,
    body: `## أسبوع مع أعضائنا\n\nالتقينا بـ**${n} منظمة عضوًا** في القدس ورام الله، في اجتماعين منفصلين: معظم أعضائنا في الضفة الغربية لا يحصلون على تصريح لدخول القدس.\n\nبدأ الأسبوع بلقاء *الوقت الآن* في تل أبيب، وانتهى بلقاءات مع مؤسسات شريكة وبعثات دبلوماسية.\n\n> يبني السلامَ الناسُ الذين يواصلون اللقاء.\n\n- ما طلبه الأعضاء: المزيد من البرامج المشتركة للشباب\n- الخطوة التالية: متابعة مع كل منظمة`,
  });
  await publishPost(tx, ctxOf(people.publisher, 'admin'), post.id, new Date('2024-07-08T07:00:00Z'));
  return post.id;
}

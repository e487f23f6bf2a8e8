// The demo's research: a collective dialogue across three populations (and a message test made from it), with statements written in Hebrew,
// Arabic and English (each translated into the other two), 360 fictional participants and their votes,
// drawn so that a few statements bridge every population and others divide them. Fictional data.
import { randomBytes } from 'node:crypto';
import type { Db } from '../server/db/client.ts';
import {
  dialogue,
  dialogueInvite,
  dialogueParticipant,
  dialoguePollAnswer,
  dialogueQuestion,
  dialogueSegment,
  dialogueSession,
  dialogueStatement,
  dialogueTranslation,
  dialogueVote,
} from '../server/features/dialogues/dialogues.schema.ts';
import { study, studyArm, studyInvite, studyPopulation, studyQuestion, studyResponse } from '../server/features/studies/studies.schema.ts';
import { makeRng } from './demo/rng.ts';

type Tri = { en: string; he: string; ar: string };
/** A statement, the language it was written in, and how likely each population is to agree (ji, pal, pci). */
type DemoStatement = { text: Tri; original: keyof Tri; agree: [number, number, number]; seed?: boolean };

const STATEMENTS: DemoStatement[] = [
  {
    original: 'en',
    seed: true,
    agree: [0.86, 0.84, 0.9],
    text: { en: 'Every child, Israeli or Palestinian, deserves to grow up without fear.', he: 'כל ילד, ישראלי או פלסטיני, ראוי לגדול בלי פחד.', ar: 'كل طفل، إسرائيليًا كان أو فلسطينيًا، يستحق أن يكبر بلا خوف.' },
  },
  {
    original: 'he',
    agree: [0.82, 0.78, 0.85],
    text: { he: 'הפסקת האש צריכה לכלול את שחרור כל החטופים והאסירים שלא נשפטו.', en: 'The ceasefire should include the release of all hostages and of prisoners held without trial.', ar: 'يجب أن يشمل وقف إطلاق النار الإفراج عن جميع الرهائن والأسرى المحتجزين دون محاكمة.' },
  },
  {
    original: 'ar',
    agree: [0.74, 0.88, 0.86],
    text: { ar: 'لا أمن لأحد من دون أفق سياسي حقيقي للطرفين.', he: 'אין ביטחון לאף אחד בלי אופק מדיני אמיתי לשני הצדדים.', en: 'There is no security for anyone without a real political horizon for both sides.' },
  },
  {
    original: 'en',
    seed: true,
    agree: [0.8, 0.81, 0.87],
    text: { en: 'Civil-society groups from both sides should have a seat at the table when the day after is planned.', he: 'לארגוני החברה האזרחית משני הצדדים צריך להיות מקום ליד השולחן כשמתכננים את היום שאחרי.', ar: 'يجب أن يكون لمنظمات المجتمع المدني من الجانبين مقعد على الطاولة عند التخطيط لليوم التالي.' },
  },
  {
    original: 'he',
    agree: [0.9, 0.12, 0.35],
    text: { he: 'ישראל חייבת לשמור על שליטה ביטחונית מלאה בכל השטח לשנים הקרובות.', en: 'Israel must keep full security control over the whole territory for the coming years.', ar: 'يجب أن تحتفظ إسرائيل بسيطرة أمنية كاملة على كامل الأرض في السنوات القادمة.' },
  },
  {
    original: 'ar',
    agree: [0.15, 0.92, 0.7],
    text: { ar: 'يجب أن ينسحب الجيش الإسرائيلي بالكامل من غزة فور وقف إطلاق النار.', he: 'הצבא הישראלי צריך לסגת לחלוטין מעזה מיד עם הפסקת האש.', en: 'The Israeli army should withdraw from Gaza completely as soon as the ceasefire begins.' },
  },
  {
    original: 'en',
    agree: [0.7, 0.76, 0.83],
    text: { en: 'Trauma support for families on both sides should be funded now, not after the war.', he: 'יש לממן עכשיו, ולא אחרי המלחמה, תמיכה בטראומה למשפחות משני הצדדים.', ar: 'يجب تمويل الدعم النفسي للصدمات لعائلات الجانبين الآن، لا بعد الحرب.' },
  },
  {
    original: 'he',
    agree: [0.55, 0.3, 0.6],
    text: { he: 'מפגשים בין צעירים ישראלים ופלסטינים הם הדרך הטובה ביותר לבנות אמון.', en: 'Meetings between young Israelis and Palestinians are the best way to build trust.', ar: 'اللقاءات بين الشباب الإسرائيليين والفلسطينيين هي أفضل طريقة لبناء الثقة.' },
  },
  {
    original: 'ar',
    agree: [0.3, 0.8, 0.78],
    text: { ar: 'المستوطنات في الضفة الغربية هي العقبة الكبرى أمام السلام.', he: 'ההתנחלויות בגדה המערבית הן המכשול הגדול ביותר לשלום.', en: 'The settlements in the West Bank are the biggest obstacle to peace.' },
  },
  {
    original: 'he',
    agree: [0.78, 0.25, 0.4],
    text: { he: 'קודם כל צריך לפרק את חמאס, ורק אחר כך לדבר על הסדר.', en: 'Hamas must be dismantled first; only then can we talk about an agreement.', ar: 'يجب تفكيك حماس أولًا، وبعد ذلك فقط يمكن الحديث عن اتفاق.' },
  },
  {
    original: 'en',
    agree: [0.66, 0.7, 0.8],
    text: { en: 'International guarantees would make me more willing to support a compromise.', he: 'ערבויות בין-לאומיות יגרמו לי להיות מוכן יותר לתמוך בפשרה.', ar: 'الضمانات الدولية ستجعلني أكثر استعدادًا لدعم تسوية.' },
  },
  {
    original: 'ar',
    agree: [0.72, 0.83, 0.88],
    text: { ar: 'على القادة من الطرفين أن يتوقفوا عن التحريض في وسائل الإعلام.', he: 'המנהיגים משני הצדדים צריכים להפסיק להסית בתקשורת.', en: 'Leaders on both sides should stop incitement in the media.' },
  },
  {
    original: 'he',
    agree: [0.45, 0.55, 0.75],
    text: { he: 'האזרחים הערבים בישראל יכולים להיות גשר בין שני העמים.', en: 'Arab citizens of Israel can be a bridge between the two peoples.', ar: 'يمكن للمواطنين العرب في إسرائيل أن يكونوا جسرًا بين الشعبين.' },
  },
  {
    original: 'en',
    agree: [0.35, 0.45, 0.5],
    text: { en: 'A two-state solution is still possible within ten years.', he: 'פתרון שתי המדינות עדיין אפשרי בתוך עשר שנים.', ar: 'حل الدولتين لا يزال ممكنًا خلال عشر سنوات.' },
  },
];

const SEGMENTS = [
  { key: 'jewish-israelis', name: { en: 'Jewish Israelis', he: 'יהודים ישראלים', ar: 'يهود إسرائيليون' }, language: 'he' },
  { key: 'palestinians-wbg', name: { en: 'Palestinians in the West Bank and Gaza', he: 'פלסטינים בגדה המערבית ובעזה', ar: 'فلسطينيون في الضفة الغربية وغزة' }, language: 'ar' },
  { key: 'palestinian-citizens', name: { en: 'Palestinian citizens of Israel', he: 'אזרחים פלסטינים בישראל', ar: 'مواطنون فلسطينيون في إسرائيل' }, language: 'ar' },
] as const;

const hash = () => randomBytes(16).toString('hex');

export async function seedDemoResearch(tx: Db, opts: { createdBy: string }): Promise<{ dialogueId: string }> {
  const rng = makeRng(4242);
  const [d] = await tx
    .insert(dialogue)
    .values({
      title: {
        en: 'The day after: what would make you feel safe?',
        he: 'היום שאחרי: מה יגרום לך להרגיש בטוח?',
        ar: 'اليوم التالي: ما الذي يجعلك تشعر بالأمان؟',
      },
      description: 'Listening round across the three populations the alliance works with, before the G7 briefing.',
      intro: {
        en: 'We are asking Israelis and Palestinians the same question. Read what others wrote, say whether you agree, and add your own view. It takes about ten minutes and is anonymous.',
        he: 'אנחנו שואלים ישראלים ופלסטינים את אותה שאלה. קראו מה כתבו אחרים, אמרו אם אתם מסכימים, והוסיפו את עמדתכם. זה לוקח כעשר דקות והוא אנונימי.',
        ar: 'نطرح السؤال نفسه على الإسرائيليين والفلسطينيين. اقرأ ما كتبه الآخرون، وقل إن كنت توافق، وأضف رأيك. يستغرق ذلك نحو عشر دقائق ودون ذكر الاسم.',
      },
      languages: ['he', 'ar', 'en'],
      moderation: 'post',
      resultsVisible: true,
      createdBy: opts.createdBy,
    })
    .returning();
  const segs = await tx
    .insert(dialogueSegment)
    .values(SEGMENTS.map((s, i) => ({ dialogueId: d!.id, key: s.key, name: s.name, position: i })))
    .returning();
  const [joint] = await tx.insert(dialogueSession).values({ dialogueId: d!.id, title: 'Joint round', status: 'open', position: 0 }).returning();
  await tx.insert(dialogueSession).values({ dialogueId: d!.id, title: 'Jewish Israelis only (next week)', segmentId: segs[0]!.id, status: 'draft', position: 1 });
  const [question] = await tx
    .insert(dialogueQuestion)
    .values({
      sessionId: joint!.id,
      dialogueId: d!.id,
      kind: 'open',
      prompt: { en: 'What would make you feel safe the day after the war?', he: 'מה יגרום לך להרגיש בטוח ביום שאחרי המלחמה?', ar: 'ما الذي يجعلك تشعر بالأمان في اليوم التالي للحرب؟' },
      position: 0,
    })
    .returning();
  const [poll] = await tx
    .insert(dialogueQuestion)
    .values({
      sessionId: joint!.id,
      dialogueId: d!.id,
      kind: 'poll',
      pollMode: 'scale',
      scaleMin: 1,
      scaleMax: 5,
      prompt: { en: 'How hopeful are you about the next year?', he: 'עד כמה אתם מלאי תקווה לגבי השנה הבאה?', ar: 'ما مدى تفاؤلك بالعام المقبل؟' },
      position: 1,
    })
    .returning();
  for (const s of segs) await tx.insert(dialogueInvite).values({ dialogueId: d!.id, segmentId: s.id, token: randomBytes(12).toString('base64url'), label: `${(s.name as Tri).en} link` });
  await tx.insert(dialogueInvite).values({ dialogueId: d!.id, segmentId: null, token: randomBytes(12).toString('base64url'), label: 'Choose your segment' });

  // 120 participants per population, in their language
  const participants: { id: string; seg: number }[] = [];
  const start = Date.UTC(2024, 6, 8, 9);
  for (let seg = 0; seg < 3; seg++) {
    const rows = await tx
      .insert(dialogueParticipant)
      .values(
        Array.from({ length: 120 }, (_, i) => ({
          dialogueId: d!.id,
          segmentId: segs[seg]!.id,
          language: rng() < 0.15 ? 'en' : SEGMENTS[seg]!.language,
          tokenHash: hash(),
          resumeHash: hash(),
          createdAt: new Date(start + (seg * 120 + i) * 60_000),
        })),
      )
      .returning({ id: dialogueParticipant.id });
    participants.push(...rows.map((r) => ({ id: r.id, seg })));
  }
  // statements: seeds by staff, the rest by a participant of the population that writes in that language
  const authorOf = (original: keyof Tri) => {
    const seg = original === 'he' ? 0 : original === 'ar' ? (rng() < 0.5 ? 1 : 2) : Math.floor(rng() * 3);
    const pool = participants.filter((p) => p.seg === seg);
    return pool[Math.floor(rng() * pool.length)]!;
  };
  const statementIds: string[] = [];
  for (const [i, s] of STATEMENTS.entries()) {
    const author = s.seed ? null : authorOf(s.original);
    const [row] = await tx
      .insert(dialogueStatement)
      .values({
        questionId: question!.id,
        dialogueId: d!.id,
        participantId: author?.id ?? null,
        segmentId: author ? segs[author.seg]!.id : null,
        seed: !!s.seed,
        body: s.text[s.original],
        language: s.original,
        status: 'accepted',
        createdBy: s.seed ? opts.createdBy : null,
        createdAt: new Date(start + i * 7 * 60_000),
      })
      .returning({ id: dialogueStatement.id });
    statementIds.push(row!.id);
    await tx.insert(dialogueTranslation).values(
      (['en', 'he', 'ar'] as const)
        .filter((l) => l !== s.original)
        .map((l) => ({ statementId: row!.id, language: l, body: s.text[l], source: 'human', createdBy: opts.createdBy })),
    );
  }
  // one statement waiting for moderation, one rejected
  await tx.insert(dialogueStatement).values([
    { questionId: question!.id, dialogueId: d!.id, participantId: participants[5]!.id, segmentId: segs[0]!.id, body: 'צריך יותר תחבורה ציבורית בין הערים', language: 'he', status: 'pending' },
    { questionId: question!.id, dialogueId: d!.id, participantId: participants[200]!.id, segmentId: segs[1]!.id, body: 'رابط إعلان تجاري', language: 'ar', status: 'rejected', rejectReason: 'Advertising', moderatedBy: opts.createdBy, moderatedAt: new Date(start + 86_400_000) },
  ]);

  // votes: each participant sees ~80% of the statements; a personal lean shifts their agreement
  const votes: { participantId: string; statementId: string; dialogueId: string; value: number; votedAt: Date }[] = [];
  for (const [pi, p] of participants.entries()) {
    const lean = (rng() - 0.5) * 0.3;
    for (const [si, s] of STATEMENTS.entries()) {
      if (rng() < 0.2) continue;
      const pa = Math.min(0.97, Math.max(0.03, s.agree[p.seg]! + (s.agree[0]! > 0.6 !== s.agree[1]! > 0.6 ? lean : 0)));
      const r = rng();
      const value = r < 0.08 ? 0 : r < 0.08 + 0.92 * pa ? 1 : -1;
      votes.push({ participantId: p.id, statementId: statementIds[si]!, dialogueId: d!.id, value, votedAt: new Date(start + (pi * 20 + si) * 1000) });
    }
  }
  for (let i = 0; i < votes.length; i += 1000) await tx.insert(dialogueVote).values(votes.slice(i, i + 1000));
  const answers = participants
    .filter(() => rng() < 0.7)
    .map((p) => ({ participantId: p.id, questionId: poll!.id, scale: Math.max(1, Math.min(5, Math.round(2.4 + (p.seg === 2 ? 0.6 : 0) + (rng() - 0.5) * 3))) }));
  await tx.insert(dialoguePollAnswer).values(answers);
  return { dialogueId: d!.id };
}

// ------------------------------------------------------------------------------------------------ a message test

const MESSAGES: { key: string; text: Tri; effect: [number, number] }[] = [
  {
    key: 'children',
    effect: [0.45, 0.4],
    text: { en: 'Every child, Israeli or Palestinian, deserves to grow up without fear.', he: 'כל ילד, ישראלי או פלסטיני, ראוי לגדול בלי פחד.', ar: 'كل طفل، إسرائيليًا كان أو فلسطينيًا، يستحق أن يكبر بلا خوف.' },
  },
  {
    key: 'horizon',
    effect: [0.05, 0.5],
    text: { en: 'There is no security for anyone without a real political horizon for both sides.', he: 'אין ביטחון לאף אחד בלי אופק מדיני אמיתי לשני הצדדים.', ar: 'لا أمن لأحد من دون أفق سياسي حقيقي للطرفين.' },
  },
  {
    key: 'incitement',
    effect: [-0.35, 0.1],
    text: { en: 'Leaders on both sides should stop incitement in the media.', he: 'המנהיגים משני הצדדים צריכים להפסיק להסית בתקשורת.', ar: 'على القادة من الطرفين أن يتوقفوا عن التحريض في وسائل الإعلام.' },
  },
];

/**
 * A closed message test made from the dialogue's statements: two populations, a control and three messages, and
 * 1,200 responses as a panel vendor would deliver them (households of one to three), with known effects: one
 * message persuades both, one only Palestinians, one backfires among Jewish Israelis.
 */
export async function seedDemoStudy(tx: Db, opts: { createdBy: string; dialogueId: string }): Promise<{ studyId: string }> {
  const rng = makeRng(777);
  const [s] = await tx
    .insert(study)
    .values({
      title: 'Non-violence and a diplomatic horizon: which messages move both sides?',
      description: 'Messages from the July listening round, tested with a panel in both populations.',
      status: 'closed',
      languages: ['he', 'ar', 'en'],
      randomization: 'block',
      assignmentSeed: randomBytes(16).toString('hex'),
      consent: {
        en: 'This short survey is anonymous. You will read one message and answer two questions.',
        he: 'הסקר הקצר הזה אנונימי. תקראו מסר אחד ותענו על שתי שאלות.',
        ar: 'هذا الاستطلاع القصير مجهول الهوية. ستقرأ رسالة واحدة وتجيب عن سؤالين.',
      },
      thanks: { en: 'Thank you.', he: 'תודה.', ar: 'شكرًا.' },
      dialogueId: opts.dialogueId,
      createdBy: opts.createdBy,
    })
    .returning();
  const pops = await tx
    .insert(studyPopulation)
    .values([
      { studyId: s!.id, key: 'jewish-israelis', name: SEGMENTS[0].name, languages: ['he', 'en'], targetN: 600, position: 0 },
      { studyId: s!.id, key: 'palestinians', name: { en: 'Palestinians', he: 'פלסטינים', ar: 'فلسطينيون' }, languages: ['ar', 'en'], targetN: 600, position: 1 },
    ])
    .returning();
  const arms = await tx
    .insert(studyArm)
    .values([{ studyId: s!.id, key: 'control', control: true, text: {}, position: 0 }, ...MESSAGES.map((m, i) => ({ studyId: s!.id, key: m.key, text: m.text, position: i + 1 }))])
    .returning();
  const [support, age] = await tx
    .insert(studyQuestion)
    .values([
      {
        studyId: s!.id,
        role: 'outcome',
        key: 'support',
        kind: 'scale',
        scaleMin: 1,
        scaleMax: 7,
        primary: true,
        prompt: { en: 'How much do you support a negotiated agreement?', he: 'עד כמה אתם תומכים בהסכם במשא ומתן?', ar: 'إلى أي مدى تؤيد اتفاقًا عبر التفاوض؟' },
        scaleLabels: { min: { en: 'Not at all', he: 'בכלל לא', ar: 'إطلاقًا' }, max: { en: 'Very much', he: 'מאוד', ar: 'كثيرًا جدًا' } },
        position: 0,
      },
      {
        studyId: s!.id,
        role: 'covariate',
        key: 'hope',
        kind: 'scale',
        scaleMin: 1,
        scaleMax: 7,
        prompt: { en: 'How hopeful are you about the next year?', he: 'עד כמה אתם מלאי תקווה לגבי השנה הבאה?', ar: 'ما مدى تفاؤلك بالعام المقبل؟' },
        position: 1,
      },
    ])
    .returning();
  for (const p of pops) await tx.insert(studyInvite).values({ studyId: s!.id, populationId: p.id, token: randomBytes(12).toString('base64url'), label: `${(p.name as Tri).en} panel` });

  // 600 per population, in households of one to three, conditions in permuted blocks
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const rows: (typeof studyResponse.$inferInsert)[] = [];
  for (const [pi, p] of pops.entries()) {
    let household = 0;
    let left = 0;
    let householdShift = 0;
    for (let i = 0; i < 600; i++) {
      if (left === 0) {
        household++;
        left = 1 + Math.floor(rng() * 3);
        householdShift = normal() * 0.4;
      }
      left--;
      const arm = i % arms.length === 0 ? 0 : 1 + ((i + Math.floor(i / arms.length)) % (arms.length - 1));
      const hope = Math.max(1, Math.min(7, Math.round(3.5 + (pi === 0 ? -0.3 : 0.2) + normal() * 1.3)));
      const effect = arm === 0 ? 0 : MESSAGES[arm - 1]!.effect[pi]!;
      const y = Math.max(1, Math.min(7, Math.round(3.4 + 0.35 * (hope - 3.5) + effect + householdShift + normal() * 1.1)));
      rows.push({
        studyId: s!.id,
        populationId: p.id,
        armId: arms[arm]!.id,
        source: 'import',
        cluster: `${p.key}-${household}`,
        status: 'complete',
        completedAt: new Date(Date.UTC(2024, 6, 20, 12)),
        answers: { [support!.id]: y, [age!.id]: hope },
      });
    }
  }
  for (let i = 0; i < rows.length; i += 500) await tx.insert(studyResponse).values(rows.slice(i, i + 500));
  return { studyId: s!.id };
}

import ar from './ar.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import he from './he.json' with { type: 'json' };
import dialoguesAr from './dialogues/ar.json' with { type: 'json' };
import dialoguesEn from './dialogues/en.json' with { type: 'json' };
import dialoguesHe from './dialogues/he.json' with { type: 'json' };
import participateAr from './participate/ar.json' with { type: 'json' };
import participateEn from './participate/en.json' with { type: 'json' };
import participateHe from './participate/he.json' with { type: 'json' };
import meetingsAr from './meetings/ar.json' with { type: 'json' };
import meetingsEn from './meetings/en.json' with { type: 'json' };
import meetingsHe from './meetings/he.json' with { type: 'json' };
import jobsAr from './jobs/ar.json' with { type: 'json' };
import campaignsAr from './campaigns/ar.json' with { type: 'json' };
import campaignsEn from './campaigns/en.json' with { type: 'json' };
import campaignsHe from './campaigns/he.json' with { type: 'json' };
import jobsEn from './jobs/en.json' with { type: 'json' };
import jobsHe from './jobs/he.json' with { type: 'json' };
import erasureAr from './erasure/ar.json' with { type: 'json' };
import erasureEn from './erasure/en.json' with { type: 'json' };
import erasureHe from './erasure/he.json' with { type: 'json' };
import networkAr from './network/ar.json' with { type: 'json' };
import networkEn from './network/en.json' with { type: 'json' };
import networkHe from './network/he.json' with { type: 'json' };
import reportAr from './report/ar.json' with { type: 'json' };
import reportEn from './report/en.json' with { type: 'json' };
import reportHe from './report/he.json' with { type: 'json' };
import studiesAr from './studies/ar.json' with { type: 'json' };
import studiesEn from './studies/en.json' with { type: 'json' };
import studiesHe from './studies/he.json' with { type: 'json' };
import studyReportAr from './study-report/ar.json' with { type: 'json' };
import studyReportEn from './study-report/en.json' with { type: 'json' };
import studyReportHe from './study-report/he.json' with { type: 'json' };
import surveyAr from './survey/ar.json' with { type: 'json' };
import surveyEn from './survey/en.json' with { type: 'json' };
import surveyHe from './survey/he.json' with { type: 'json' };
import eventsAr from './events/ar.json' with { type: 'json' };
import checkinAr from './checkin/ar.json' with { type: 'json' };
import eventsEn from './events/en.json' with { type: 'json' };
import checkinEn from './checkin/en.json' with { type: 'json' };
import eventsHe from './events/he.json' with { type: 'json' };
import checkinHe from './checkin/he.json' with { type: 'json' };
import tripsAr from './trips/ar.json' with { type: 'json' };
import tripsEn from './trips/en.json' with { type: 'json' };
import tripsHe from './trips/he.json' with { type: 'json' };
import updatesAr from './updates/ar.json' with { type: 'json' };
import updatesEn from './updates/en.json' with { type: 'json' };
import updatesHe from './updates/he.json' with { type: 'json' };
import { flattenCatalog, mergeCatalogs, type Catalog, type Locale } from './locales.ts';

/** Every catalog of every language, feature catalogs (src/i18n/<feature>/<lang>.json) merged into the core one. */
export const catalogs: Record<Locale, Catalog> = {
  en: mergeCatalogs(en, networkEn, meetingsEn, erasureEn, dialoguesEn, participateEn, reportEn, studyReportEn, surveyEn, studiesEn, jobsEn, eventsEn, checkinEn, campaignsEn, tripsEn, updatesEn),
  he: mergeCatalogs(he, networkHe, meetingsHe, erasureHe, dialoguesHe, participateHe, reportHe, studyReportHe, surveyHe, studiesHe, jobsHe, eventsHe, checkinHe, campaignsHe, tripsHe, updatesHe),
  ar: mergeCatalogs(ar, networkAr, meetingsAr, erasureAr, dialoguesAr, participateAr, reportAr, studyReportAr, surveyAr, studiesAr, jobsAr, eventsAr, checkinAr, campaignsAr, tripsAr, updatesAr),
};

/** Server-side translation with {{name}} interpolation (the same syntax i18next uses in the web app). */
// flattened at first use, not at start-up (three languages' catalogs are tens of milliseconds a start would wait for)
const flatByLocale: Partial<Record<Locale, Record<string, string>>> = {};
const flatOf = (l: Locale): Record<string, string> => (flatByLocale[l] ??= flattenCatalog(catalogs[l]));

export function translate(locale: Locale, key: string, vars: Record<string, string> = {}): string {
  const template = flatOf(locale)[key] ?? flatOf('en')[key] ?? key;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => vars[name] ?? '');
}

/**
 * `translate` for a number: the key's plural form the language's rules choose (Intl.PluralRules: "key_one",
 * "key_two", "key_few", …, as i18next names them in the web app), else "key_other", else the key itself.
 * `vars.n` is usually the number as the reader writes it.
 */
export function translateCount(locale: Locale, key: string, count: number, vars: Record<string, string> = {}): string {
  const form = count === 0 && (flatOf(locale)[`${key}_zero`] ?? flatOf('en')[`${key}_zero`]) ? 'zero' : new Intl.PluralRules(locale).select(count);
  const chosen = [`${key}_${form}`, `${key}_other`].find((k) => flatOf(locale)[k] !== undefined) ?? key;
  return translate(locale, chosen, vars);
}

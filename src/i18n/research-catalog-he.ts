// The Research pillar's strings, loaded with its pages (see src/web/i18n.ts loadResearchCatalog).
import dialogues from './dialogues/he.json' with { type: 'json' };
import studies from './studies/he.json' with { type: 'json' };
import { mergeCatalogs } from './locales.ts';

export default mergeCatalogs(dialogues, studies);

// The web app loads one language at a time: this module is its own chunk (see src/web/i18n.ts).
import core from './he.json' with { type: 'json' };
import erasure from './erasure/he.json' with { type: 'json' };
import events from './events/he.json' with { type: 'json' };
import checkin from './checkin/he.json' with { type: 'json' };
import meetings from './meetings/he.json' with { type: 'json' };
import jobs from './jobs/he.json' with { type: 'json' };
import campaigns from './campaigns/he.json' with { type: 'json' };
import network from './network/he.json' with { type: 'json' };
import trips from './trips/he.json' with { type: 'json' };
import { mergeCatalogs } from './locales.ts';

export default mergeCatalogs(core, network, meetings, erasure, jobs, events, checkin, campaigns, trips, updates);
import updates from './updates/he.json' with { type: 'json' };

// The web app loads one language at a time: this module is its own chunk (see src/web/i18n.ts).
import core from './en.json' with { type: 'json' };
import erasure from './erasure/en.json' with { type: 'json' };
import events from './events/en.json' with { type: 'json' };
import checkin from './checkin/en.json' with { type: 'json' };
import meetings from './meetings/en.json' with { type: 'json' };
import jobs from './jobs/en.json' with { type: 'json' };
import campaigns from './campaigns/en.json' with { type: 'json' };
import network from './network/en.json' with { type: 'json' };
import trips from './trips/en.json' with { type: 'json' };
import { mergeCatalogs } from './locales.ts';

export default mergeCatalogs(core, network, meetings, erasure, jobs, events, checkin, campaigns, trips, updates);
import updates from './updates/en.json' with { type: 'json' };

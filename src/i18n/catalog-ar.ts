// The web app loads one language at a time: this module is its own chunk (see src/web/i18n.ts).
import core from './ar.json' with { type: 'json' };
import erasure from './erasure/ar.json' with { type: 'json' };
import events from './events/ar.json' with { type: 'json' };
import checkin from './checkin/ar.json' with { type: 'json' };
import meetings from './meetings/ar.json' with { type: 'json' };
import jobs from './jobs/ar.json' with { type: 'json' };
import campaigns from './campaigns/ar.json' with { type: 'json' };
import network from './network/ar.json' with { type: 'json' };
import trips from './trips/ar.json' with { type: 'json' };
import { mergeCatalogs } from './locales.ts';

export default mergeCatalogs(core, network, meetings, erasure, jobs, events, checkin, campaigns, trips, updates);
import updates from './updates/ar.json' with { type: 'json' };

import type { MyWork } from '../../../server/features/insights/insights.contract.ts';
import { request } from '../../api.ts';

// Types only: the contract stays on the server and out of the bundle.
export type { MyWork };

export const myWorkApi = {
  /** The home page's work: your meetings and late follow-ups, what is open in Research, what changed since you last came. */
  myWork: () => request<MyWork>('GET', '/my-work'),
};

import type { Actor } from '../policy.ts';

/** What a service needs to know about the request it serves: who, and from where (for the audit log). */
export type RequestContext = {
  actor: Actor | null;
  ip: string;
  userAgent: string;
};

export type AppEnv = {
  Variables: {
    ctx: RequestContext;
  };
};

/** What a pillar feature's router gets from createApp. */
export type FeatureDeps = {
  db: import('../db/client.ts').Db;
  /** the address people use, for links (calendar feeds, exports) */
  publicUrl: string;
};

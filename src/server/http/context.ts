import type { RequestContext } from '../core/context.ts';

export type { RequestContext } from '../core/context.ts';

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

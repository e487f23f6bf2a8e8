import path from 'node:path';
import { z } from 'zod';
import type { AiConfig } from './ai/provider.ts';

const boolish = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Public address people use to reach this server; links in emails and the console are built on it. */
  PUBLIC_URL: z.string().url().optional(),
  CONVENE_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().optional(),
  /** Secret that signs session cookies. Generated and kept in the data folder when not given. */
  CONVENE_SECRET: z.string().min(32).optional(),
  /** Trust X-Forwarded-For for the client address (only behind your own reverse proxy). */
  TRUST_PROXY: boolish.default(false),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().positive().optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_SECURE: boolish.optional(),
  SMTP_FROM: z.string().optional(),
  /** On SIGTERM, how long readiness answers 503 before the server stops taking connections (a balancer's check interval × its fall count). */
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().min(0).max(600).default(0),
  /** On SIGTERM, how long requests in flight may take to finish before their connections are cut. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(0).max(600).default(20),
  SIGN_IN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  LOG_LEVEL: z.enum(['silent', 'info', 'debug']).default('info'),
  /** An OpenAI-compatible API for translation, themes and message drafts (e.g. http://localhost:11434/v1). */
  CONVENE_AI_BASE_URL: z.preprocess(emptyAsUnset, z.string().url().regex(/^https?:\/\//i, 'must start with http:// or https://').optional()),
  CONVENE_AI_API_KEY: z.preprocess(emptyAsUnset, z.string().optional()),
  CONVENE_AI_MODEL: z.preprocess(emptyAsUnset, z.string().optional()),
  CONVENE_AI_TIMEOUT_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().positive().default(30_000)),
  CONVENE_AI_MAX_CONCURRENCY: z.preprocess(emptyAsUnset, z.coerce.number().int().positive().default(4)),
}).refine((e) => !e.CONVENE_AI_BASE_URL || e.CONVENE_AI_MODEL, {
  path: ['CONVENE_AI_MODEL'],
  message: 'required when CONVENE_AI_BASE_URL is set',
});

/** `NAME=` in an env file means "not set". */
function emptyAsUnset(v: unknown) {
  return v === '' ? undefined : v;
}

export type Config = {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl?: string;
  secret?: string;
  trustProxy: boolean;
  shutdown: { drainMs: number; timeoutMs: number };
  smtp?: { host: string; port: number; user?: string; password?: string; secure: boolean; from: string };
  /** Failed sign-ins allowed per account in 15 minutes (five times as many per client address). */
  signInRateLimit: number;
  logLevel: 'silent' | 'info' | 'debug';
  /** The AI provider; absent when none is configured (features fall back and say so). */
  ai?: AiConfig;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const shownHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST === '127.0.0.1' ? 'localhost' : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://${shownHost}:${e.PORT}`).replace(/\/$/, ''),
    dataDir: path.resolve(e.CONVENE_DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    secret: e.CONVENE_SECRET,
    trustProxy: e.TRUST_PROXY,
    shutdown: { drainMs: e.SHUTDOWN_DRAIN_SECONDS * 1000, timeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000 },
    smtp: e.SMTP_HOST
      ? {
          host: e.SMTP_HOST,
          port: e.SMTP_PORT ?? 587,
          user: e.SMTP_USER,
          password: e.SMTP_PASSWORD,
          secure: e.SMTP_SECURE ?? false,
          from: e.SMTP_FROM ?? 'Convene <convene@localhost>',
        }
      : undefined,
    signInRateLimit: e.SIGN_IN_RATE_LIMIT,
    logLevel: e.LOG_LEVEL,
    ai:
      e.CONVENE_AI_BASE_URL && e.CONVENE_AI_MODEL
        ? {
            baseUrl: e.CONVENE_AI_BASE_URL.replace(/\/+$/, ''),
            apiKey: e.CONVENE_AI_API_KEY,
            model: e.CONVENE_AI_MODEL,
            timeoutMs: e.CONVENE_AI_TIMEOUT_MS,
            maxConcurrency: e.CONVENE_AI_MAX_CONCURRENCY,
          }
        : undefined,
  };
}

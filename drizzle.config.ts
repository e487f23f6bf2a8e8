import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/server/features/*/*.schema.ts', './src/server/access/*.schema.ts', './src/server/runtime/*.schema.ts'],
  out: './drizzle',
  casing: undefined,
});

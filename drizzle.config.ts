import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/server/features/*/*.schema.ts',
  out: './drizzle',
  casing: undefined,
});

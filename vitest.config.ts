import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', '.cache/**', 'ui/**'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // CI prints every test by name, so its log shows which ran (the Elasticsearch half included).
    reporters: process.env['CI'] === 'true' ? ['verbose'] : ['default'],
  },
});

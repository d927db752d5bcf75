// TEMPORARY: runs the e2e project alone until vitest.config.ts has it.
import { defineConfig } from 'vitest/config'
export default defineConfig({
  test: { name: 'e2e', environment: 'node', include: ['test/e2e/**/*.test.ts'], testTimeout: 120000, hookTimeout: 180000 },
})

// Preact runs effects after the next frame, or after 35 ms when no frame comes (afterNextFrame in
// preact/hooks). A timer left by a file's last render could fire once jsdom is gone and call its
// missing cancelAnimationFrame, an unhandled error that fails the run (seen once in
// sites/wizard.test.tsx). Each file waits such timers out before its environment is torn down.
import { afterAll } from 'vitest'

afterAll(() => new Promise<void>((resolve) => setTimeout(resolve, 50)))

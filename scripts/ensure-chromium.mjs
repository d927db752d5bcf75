// Prints the path of the Chromium that browser tests drive, installing Debian's package when it can. Never downloads a browser build of its own.
import { execFileSync, spawnSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'

const DEFAULT_PATH = '/usr/bin/chromium'
const HOW_TO_INSTALL = [
  'Chromium is needed for the browser tests. Install it and retry:',
  '  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium',
  '  elsewhere:      install Chrome or Chromium and set CHROMIUM_PATH=/path/to/the/browser',
].join('\n')

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0
}

function fail(message) {
  console.error(`ensure-chromium: ${message}`)
  process.exit(1)
}

function ensureChromium() {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (!isExecutable(fromEnv)) fail(`CHROMIUM_PATH=${fromEnv} is not an executable file.`)
    return fromEnv
  }
  if (isExecutable(DEFAULT_PATH)) return DEFAULT_PATH

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isRoot || !hasCommand('apt-get')) fail(`${DEFAULT_PATH} not found.\n${HOW_TO_INSTALL}`)

  console.error("ensure-chromium: installing Debian's chromium package (apt-get) …")
  // stdout carries only the path, so apt's output goes to stderr.
  const options = { stdio: ['ignore', process.stderr, process.stderr], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }
  try {
    execFileSync('apt-get', ['update'], options)
    execFileSync('apt-get', ['install', '-y', 'chromium'], options)
  } catch (error) {
    fail(`apt-get could not install chromium (${error.message}).\n${HOW_TO_INSTALL}`)
  }
  if (!isExecutable(DEFAULT_PATH)) fail(`apt-get finished but ${DEFAULT_PATH} is still missing.\n${HOW_TO_INSTALL}`)
  return DEFAULT_PATH
}

console.log(ensureChromium())

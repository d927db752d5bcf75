// `npm start`: builds the widget and the server, then runs the API (the self-hosted Node server on SQLite by default, or `wrangler dev` with local D1 + Queues), a CRM inbox and the demo site on loopback, wired to each other.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createStaticServer } from './static-server.mjs'
import { createWranglerOutputFilter, inboxHowTo, inboxTarget, summarizeMigrations } from './start-output.mjs'
import { ensureDevVars } from './dev-vars.mjs'
import { FAKE_MANGO } from './fake-telephony.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const HOST = '127.0.0.1'
const SITE = 'demo'
// demo/index.html carries the README snippet verbatim; this origin in it is swapped for the real one.
const SNIPPET_WORKER_ORIGIN = 'http://127.0.0.1:8787'
const WORKER_READY_TIMEOUT_MS = 120_000
const STOP_GRACE_MS = 5000
/**
 * What answers the widget: `node` is dist/server/server.mjs (what `npm run serve` and the Docker image
 * run), `cloudflare` is `wrangler dev`. Chosen by `--runtime` or LEADCATCHER_RUNTIME; the flag wins.
 */
const RUNTIMES = ['node', 'cloudflare']
const DEFAULT_RUNTIME = 'node'
/** Where each runtime keeps its database unless LEADCATCHER_STATE_DIR says otherwise (both git-ignored). */
const DEFAULT_STATE_DIRS = { node: join('.leadcatcher', 'state'), cloudflare: join('.wrangler', 'state') }
const NODE_SERVER = join('dist', 'server', 'server.mjs')
/** Under STOP_GRACE_MS, so the Node server finishes its own graceful stop before we would SIGKILL it. */
const NODE_SHUTDOWN_GRACE_MS = 3000

const CONSENT_TEXT =
  'Я даю согласие ООО «Невский квартал» (ИНН 7801000000, 191025, г. Санкт-Петербург, Невский пр., д. 100) ' +
  'на обработку моих персональных данных — имени, номера телефона и адреса электронной почты — ' +
  'с целью ответа на мою заявку и консультации по объектам недвижимости: сбор, запись, систематизацию, ' +
  'накопление, хранение, уточнение, использование, удаление и уничтожение, с использованием средств ' +
  'автоматизации и без них, в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных» ' +
  'и Политикой обработки персональных данных. Согласие действует до достижения цели обработки или до его отзыва; ' +
  'отозвать его можно письмом на privacy@nevsky-kvartal.example.'
const SCHOOL_CONSENT_TEXT =
  'I agree that Brightside English Ltd may use my name, phone number and email address to contact me about ' +
  'my trial lesson and courses, as described in its privacy notice. I can withdraw my consent at any time by ' +
  'writing to privacy@brightside-english.example.'
const TRAVEL_CONSENT_TEXT =
  'Я даю согласие ООО «Северный ветер» на обработку моих персональных данных (имени, телефона, e-mail) для подбора ' +
  'тура и связи со мной в соответствии с Федеральным законом № 152-ФЗ «О персональных данных». Отозвать согласие ' +
  'можно письмом на privacy@severny-veter.example.'
/** The hostile demo page served with a strict CSP header, as a bank's or a careful shop's page would be. */
const STRICT_CSP_PAGE = '/strict-csp.html'
/** The demo sites are always open and the form promises a call within this many seconds; the replies say the same. */
const CALL_WITHIN_SECONDS = 30
const REPLY_TEXT = `Спасибо! Менеджер перезвонит вам в течение ${CALL_WITHIN_SECONDS} секунд.`
/** The reply to the demo site's exit offer: about the offer, not the call-back promise. */
const EXIT_REPLY_TEXT = 'Спасибо! Подборка новостроек со скидкой скоро будет у вас.'

const log = (message) => console.log(`[leadcatcher] ${message}`)
const warn = (message) => console.error(`[leadcatcher] ${message}`)

/** Process groups of the children still to be stopped (each child leads its own group; see spawnChild). */
const groups = new Set()
const running = new Set()
let stopping = false
let demoServer = null

main().catch((error) => stop(1, error instanceof Error ? error.message : String(error)))

async function main() {
  const [major, minor] = process.versions.node.split('.').map(Number)
  if (major < 22 || (major === 22 && minor < 20)) {
    throw new Error(`Node ${process.versions.node} is too old (wrangler needs 22.12+, the Node server's node:sqlite 22.20+): run "npm start", which brings Node 22.`)
  }
  const runtime = readRuntime()
  const wranglerBin = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js')
  const needed = runtime === 'cloudflare' ? wranglerBin : join(ROOT, 'node_modules', 'vite')
  if (!existsSync(needed)) throw new Error('Dependencies are missing: run "npm install" first.')

  const ports = {
    worker: portFromEnv('LEADCATCHER_WORKER_PORT', 8787),
    demo: portFromEnv('LEADCATCHER_DEMO_PORT', 8788),
    inbox: portFromEnv('LEADCATCHER_INBOX_PORT', 8790),
  }
  if (new Set(Object.values(ports)).size !== 3) throw new Error(`The three ports must differ: ${JSON.stringify(ports)}`)
  // Checked up front: wrangler would otherwise fail after the build, or quietly pick another port.
  for (const [name, port] of Object.entries(ports)) {
    if (!(await isPortFree(port))) {
      const variable = `LEADCATCHER_${name.toUpperCase()}_PORT`
      throw new Error(`Port ${port} on ${HOST} (${name}) is in use. Is another "npm start" running? Stop it or set ${variable}.`)
    }
  }
  const stateDir = resolve(ROOT, process.env.LEADCATCHER_STATE_DIR || DEFAULT_STATE_DIRS[runtime])
  mkdirSync(stateDir, { recursive: true })

  const urls = {
    worker: `http://${HOST}:${ports.worker}`,
    demo: `http://${HOST}:${ports.demo}/`,
    inbox: `http://${HOST}:${ports.inbox}/`,
  }
  const env = {
    ...process.env,
    // Node 22 (this process) first on PATH for everything spawned below, whoever started us.
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    // Offline by default: no telemetry, no cf.json download, no prompts.
    WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? 'false',
  }

  log(`Runtime: ${runtime === 'node' ? 'Node server + SQLite' : 'Cloudflare (wrangler dev)'}; state in ${displayPath(stateDir)}`)
  // The widget (widget/vite.config.ts) and dist/server/server.mjs (worker/vite.node.config.ts).
  // The browser tests build once per run (test/e2e/build-once.ts) and start many stacks on it.
  if (process.env.LEADCATCHER_SKIP_BUILD === '1') {
    log('Using the existing build in dist/ (LEADCATCHER_SKIP_BUILD=1)')
  } else {
    log('Building the widget and the server (npm run build) …')
    await runStep('build', 'npm', ['run', 'build'], env)
  }
  if (runtime === 'node' && !existsSync(join(ROOT, NODE_SERVER))) {
    throw new Error(`npm run build did not produce ${NODE_SERVER}; see the output above.`)
  }

  const devVars = ensureDevVars(join(ROOT, '.dev.vars'), { runtime, log, warn })

  const wrangler = [wranglerBin]
  const persist = ['--persist-to', stateDir]
  // The Node server applies its migrations itself at start.
  if (runtime === 'cloudflare') {
    log(`Applying D1 migrations to ${displayPath(stateDir)} …`)
    const output = await runStep(
      'migrations',
      process.execPath,
      [...wrangler, 'd1', 'migrations', 'apply', 'DB', '--local', ...persist],
      {
        ...env,
        CI: 'true',
      },
      { quiet: true },
    )
    log(summarizeMigrations(output))
  }

  // Kept in .dev.vars so that a site the owner points at the inbox still delivers after a restart.
  const webhookSecret = devVars.CRM_INBOX_SECRET
  log('Starting the CRM inbox …')
  const inbox = spawnChild('crm-inbox', process.execPath, [join(ROOT, 'scripts', 'crm-inbox.mjs')], {
    ...env,
    LEADCATCHER_INBOX_PORT: String(ports.inbox),
    LEADCATCHER_WORKER_URL: urls.worker,
    LEADCATCHER_SITE: SITE,
    LEADCATCHER_WEBHOOK_SECRET: webhookSecret,
    LEADCATCHER_ADMIN_TOKEN: devVars.ADMIN_TOKEN,
  })
  stopIfItExits(inbox, 'The CRM inbox')

  let worker
  if (runtime === 'node') {
    log(`Starting the server (${NODE_SERVER}) …`)
    worker = spawnChild('worker', process.execPath, ['--disable-warning=ExperimentalWarning', join(ROOT, NODE_SERVER)], {
      ...env,
      // Set here rather than inherited: a PORT or DATABASE_PATH of the caller's shell must not move the stack.
      HOST,
      PORT: String(ports.worker),
      PUBLIC_URL: urls.worker,
      DATA_DIR: stateDir,
      DATABASE_PATH: '',
      STATIC_DIR: join(ROOT, 'dist', 'widget'),
      MIGRATIONS_DIR: '',
      ADMIN_TOKEN: devVars.ADMIN_TOKEN,
      // The CRM inbox is on loopback.
      ALLOW_PRIVATE_TARGETS: 'true',
      SHUTDOWN_GRACE_MS: String(NODE_SHUTDOWN_GRACE_MS),
    })
    stopIfItExits(worker, 'The server')
  } else {
    log('Starting the worker (wrangler dev) …')
    // The bench's worker profile (BENCH_WORKER_PROFILE) attaches here; wrangler's default is 9229.
    const inspector = process.env.LEADCATCHER_WORKER_INSPECTOR_PORT ? ['--inspector-port', String(portFromEnv('LEADCATCHER_WORKER_INSPECTOR_PORT', 9229))] : []
    // `/__scheduled` is wrangler's middleware in front of every request; the bench turns it off to
    // measure the worker as deployed, as its bare workers run.
    const testScheduled = process.env.LEADCATCHER_WORKER_TEST_SCHEDULED === '0' ? [] : ['--test-scheduled']
    worker = spawnChild(
      'worker',
      process.execPath,
      [...wrangler, 'dev', '--ip', HOST, '--port', String(ports.worker), '--local', ...persist, ...testScheduled, '--show-interactive-dev-session=false', ...inspector],
      env,
      // The bindings table once, not again on every reload.
      { filter: createWranglerOutputFilter() },
    )
    stopIfItExits(worker, 'wrangler dev')
  }

  await waitForHttp(`${urls.inbox}api/events`, 'the CRM inbox', 15_000)
  // /healthz rather than a site's config: that one answers 403 until the site is seeded, and wrangler logs each.
  await waitForHttp(`${urls.worker}/healthz`, runtime === 'node' ? 'the server' : 'the worker', WORKER_READY_TIMEOUT_MS, {
    // 503 until the database is open and migrated and (Node) the scheduler has ticked once.
    ready: (response) => response.status === 200,
  })

  const origins = [`http://${HOST}:${ports.demo}`, `http://localhost:${ports.demo}`]
  const alwaysOpen = (timezone) => ({
    timezone,
    week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])),
    callWithinSeconds: CALL_WITHIN_SECONDS,
  })
  const inboxOrigin = `http://${HOST}:${ports.inbox}`
  const inboxHook = (site) => inboxTarget(inboxOrigin, site, webhookSecret)
  const flow = (name) => JSON.parse(readFileSync(join(ROOT, 'demo', 'flows', `${name}.json`), 'utf8'))

  log(`Seeding sites "${SITE}", "auto-dial", "english-school", "travel" …`)
  await seedSite(urls.worker, devVars.ADMIN_TOKEN, SITE, {
    origins,
    country: 'RU',
    // The phone picker lists these after Russia, and the widget gets their phone metadata only.
    countries: ['KZ', 'BY', 'DE'],
    locale: 'ru',
    consent: { required: true, text: CONSENT_TEXT },
    reply: { text: REPLY_TEXT, exitIntent: EXIT_REPLY_TEXT },
    // Always open, so the demo shows the "calling you in 30 s" promise at any hour.
    hours: alwaysOpen('Europe/Moscow'),
    exitIntent: {
      enabled: true,
      offer: {
        title: 'Подождите! Подборка со скидкой',
        text: 'Оставьте телефон или e-mail — пришлём подборку новостроек со скидкой до 5%.',
        button: 'Получить подборку',
      },
      minSecondsOnPage: 5,
    },
    chat: { flow: flow('realty') },
    // The landing's own navy and corners (demo/styles.css), so the widget looks like the site's.
    brand: { accent: '#0f4c81', radius: 14 },
    routing: {
      managers: [
        { id: 'olga', name: 'Ольга' },
        { id: 'pavel', name: 'Павел' },
      ],
    },
    targets: [
      inboxHook(SITE),
      // Dev outbox: the inbox stands in for Telegram's Bot API and for the email/SMS providers.
      { type: 'telegram', id: 'managers', botToken: '1000:dev-token-for-the-local-inbox', chatId: -1000000000001, apiUrl: `http://${HOST}:${ports.inbox}/telegram` },
      {
        type: 'autoreply-sms',
        id: 'sms-reply',
        provider: { name: 'dev', url: `http://${HOST}:${ports.inbox}/outbox` },
        company: 'Демо',
        templates: { ru: { text: '{company}: заявка принята, перезвоним {callbackAt}.' }, en: { text: '{company}: got it, we will call you {callbackAt}.' } },
      },
      {
        type: 'autoreply-email',
        id: 'email-reply',
        provider: { name: 'dev', url: `http://${HOST}:${ports.inbox}/outbox` },
        from: 'hello@demo.example',
        company: 'Демо',
        templates: { ru: { subject: 'Заявка принята', text: 'Здравствуйте, {name}!\n\n{company} перезвонит {callbackAt}.' } },
      },
    ],
  })
  // demo/auto-dial.html: a callback rings the manager through the inbox's fake Mango Office (its
  // Calls section), then the visitor; a site of its own, so the other demo pages' leads stay as they are.
  await seedSite(urls.worker, devVars.ADMIN_TOKEN, 'auto-dial', {
    origins,
    country: 'RU',
    locale: 'ru',
    consent: { required: true, text: CONSENT_TEXT },
    reply: { text: REPLY_TEXT },
    hours: alwaysOpen('Europe/Moscow'),
    routing: {
      managers: [
        { id: 'olga', name: 'Ольга' },
        { id: 'pavel', name: 'Павел' },
      ],
    },
    targets: [
      inboxHook('auto-dial'),
      {
        type: 'mango',
        id: 'phone',
        apiBase: `http://${HOST}:${ports.inbox}/vpbx`,
        ...FAKE_MANGO,
        operators: [
          { manager: 'olga', number: '101' },
          { manager: 'pavel', number: '102' },
        ],
      },
    ],
  })
  // demo/english-school.html: in English, so the widget's English texts and a UK number are exercised.
  await seedSite(urls.worker, devVars.ADMIN_TOKEN, 'english-school', {
    origins,
    country: 'GB',
    locale: 'en',
    consent: { required: true, text: SCHOOL_CONSENT_TEXT },
    reply: { text: `Thank you! A teacher will call you back within ${CALL_WITHIN_SECONDS} seconds to book your trial lesson.` },
    hours: alwaysOpen('Europe/London'),
    exitIntent: {
      enabled: true,
      offer: {
        title: 'Before you go: a free level test',
        text: 'Leave your phone or email and we will send you a 15-minute online level test with a teacher’s feedback.',
        button: 'Send me the test',
      },
      minSecondsOnPage: 5,
    },
    chat: { flow: flow('english-school') },
    brand: { accent: '#7a2e8e', radius: 14 },
    targets: [inboxHook('english-school')],
  })
  await seedSite(urls.worker, devVars.ADMIN_TOKEN, 'travel', {
    origins,
    country: 'RU',
    locale: 'ru',
    consent: { required: true, text: TRAVEL_CONSENT_TEXT },
    reply: { text: `Спасибо! Менеджер перезвонит в течение ${CALL_WITHIN_SECONDS} секунд и предложит три варианта тура.` },
    hours: alwaysOpen('Europe/Moscow'),
    chat: { flow: flow('travel') },
    // Teal, and in the left corner: the other side a site can choose.
    brand: { accent: '#00707a', position: 'left', radius: 14 },
    // The proactive invite to the chatbot (shares the interruption budget with exit offers).
    chatInvite: { enabled: true, afterSeconds: 20, text: 'Подобрать тур за пару минут? Бот задаст несколько вопросов и передаст их менеджеру.' },
    targets: [inboxHook('travel')],
  })

  demoServer = createStaticServer({
    root: join(ROOT, 'demo'),
    rewriteHtml: (html) => html.replaceAll(SNIPPET_WORKER_ORIGIN, urls.worker),
    headers: (pathname) => (pathname === STRICT_CSP_PAGE ? { 'content-security-policy': strictCsp(urls.worker) } : {}),
  })
  await new Promise((resolveListen, rejectListen) => {
    demoServer.once('error', rejectListen)
    demoServer.listen(ports.demo, HOST, resolveListen)
  })
  demoServer.on('error', (error) => stop(1, `The demo server failed: ${error.message}`))

  console.log(
    [
      '',
      '  Leadcatcher is running locally.',
      '',
      `    Demo site   ${urls.demo}    ← open this and ask for a callback`,
      `                ${urls.demo}english-school.html · travel.html · strict-csp.html · hostile-css.html`,
      `    CRM inbox   ${urls.inbox}    ← signed webhooks and stored leads show up here`,
      runtime === 'node'
        ? `    Server      ${urls.worker}     (Node + SQLite; admin token: ADMIN_TOKEN in .dev.vars; ${urls.worker}/healthz)`
        : `    Worker      ${urls.worker}     (admin token: ADMIN_TOKEN in .dev.vars; ${urls.worker}/__scheduled runs the cron sweep)`,
      '',
      ...inboxHowTo({
        inboxOrigin,
        workerOrigin: urls.worker,
        secret: webhookSecret,
        secretSource: 'CRM_INBOX_SECRET in .dev.vars, kept across runs; also shown on the inbox page',
      }),
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  )
  // One line for programs (test/e2e/harness.ts): everything is up when it appears.
  const ready = {
    runtime,
    ...urls,
    site: SITE,
    reply: REPLY_TEXT,
    exitReply: EXIT_REPLY_TEXT,
    stateDir,
    pids: { worker: worker.pid, inbox: inbox.pid },
  }
  console.log(`LEADCATCHER_READY ${JSON.stringify(ready)}`)
}

/** `--runtime node|cloudflare` (also `--runtime=…`), else LEADCATCHER_RUNTIME, else node. */
function readRuntime() {
  const { values } = parseArgs({ options: { runtime: { type: 'string' } }, strict: true, allowPositionals: false })
  const runtime = values.runtime ?? (process.env.LEADCATCHER_RUNTIME || DEFAULT_RUNTIME)
  if (!RUNTIMES.includes(runtime)) {
    throw new Error(`Unknown runtime "${runtime}": use --runtime ${RUNTIMES.join('|')} or LEADCATCHER_RUNTIME=${RUNTIMES.join('|')}.`)
  }
  return runtime
}

/**
 * No 'unsafe-inline' anywhere; only the worker's origin is added to what the page itself may load,
 * which is all README tells a strict-CSP site to allow.
 */
function strictCsp(workerOrigin) {
  return [
    "default-src 'self'",
    `script-src 'self' ${workerOrigin}`,
    `connect-src 'self' ${workerOrigin}`,
    "style-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Repo-relative when inside the repo, absolute otherwise (a temp dir from the e2e tests). */
function displayPath(path) {
  const rel = relative(ROOT, path)
  return rel && !rel.startsWith('..') ? rel : path
}

function portFromEnv(name, fallback) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port (1–65535), not "${raw}"`)
  return port
}

function isPortFree(port) {
  return new Promise((resolveFree) => {
    const probe = createServer()
    probe.once('error', () => resolveFree(false))
    probe.listen(port, HOST, () => probe.close(() => resolveFree(true)))
  })
}

/**
 * Children get their own process group (detached) so that stopping one also stops what it spawned
 * (wrangler runs workerd), and so that Ctrl-C reaches only us: we stop them in order instead.
 */
function spawnChild(name, command, args, env, { quiet = false, filter = (line) => line } = {}) {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  running.add(child)
  if (child.pid) groups.add(child.pid)
  child.captured = ''
  if (quiet) {
    const capture = (chunk) => void (child.captured += chunk)
    child.stdout.setEncoding('utf8').on('data', capture)
    child.stderr.setEncoding('utf8').on('data', capture)
  } else {
    prefixLines(child.stdout, process.stdout, name, filter)
    prefixLines(child.stderr, process.stderr, name, filter)
  }
  child.exited = new Promise((resolveExit) => {
    child.once('error', (error) => {
      running.delete(child)
      resolveExit({ code: null, signal: null, error })
    })
    child.once('exit', (code, signal) => {
      running.delete(child)
      resolveExit({ code, signal, error: null })
    })
  })
  return child
}

/**
 * Runs a command to completion; any failure stops the start. `quiet` keeps its output back unless it
 * fails, and returns it.
 */
async function runStep(name, command, args, env, { quiet = false } = {}) {
  const child = spawnChild(name, command, args, env, { quiet })
  const result = await child.exited
  groups.delete(child.pid)
  if (stopping) return new Promise(() => {})
  if (result.code !== 0) {
    if (quiet) for (const line of child.captured.trimEnd().split('\n')) process.stderr.write(`[${name}] ${line}\n`)
    throw new Error(`${name} failed (${describeExit(result)}); see the output above.`)
  }
  return child.captured
}

function stopIfItExits(child, label) {
  child.exited.then((result) => {
    if (!stopping) stop(1, `${label} exited unexpectedly (${describeExit(result)}); stopping everything.`)
  })
}

function describeExit({ code, signal, error }) {
  if (error) return error.message
  return signal ? `signal ${signal}` : `exit code ${code}`
}

/** Resolves once `url` answers with a response `ready` accepts (by default any status: the process behind it is serving). */
async function waitForHttp(url, label, timeoutMs, { ready = () => true } = {}) {
  const deadline = Date.now() + timeoutMs
  let last = null
  while (Date.now() < deadline) {
    if (stopping) return new Promise(() => {})
    try {
      // Generous: wrangler's first answer takes 2–3 s, and each probe it logs is noise.
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) })
      if (ready(response)) {
        await response.body?.cancel()
        return
      }
      last = `${response.status} ${(await response.text()).slice(0, 500)}`
    } catch {
      // Not listening yet.
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 250))
  }
  throw new Error(`${label} did not ${last ? 'become ready' : 'answer'} at ${url} within ${timeoutMs / 1000} s${last ? ` (last answer: ${last})` : ''}.`)
}

async function seedSite(workerUrl, adminToken, site, config) {
  const response = await fetch(`${workerUrl}/v1/admin/sites/${site}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(config),
    signal: AbortSignal.timeout(15_000),
  })
  if (!response.ok) {
    const body = await response.text()
    throw new Error(`Seeding site "${site}" failed: PUT /v1/admin/sites/${site} answered ${response.status}: ${body.slice(0, 2000)}`)
  }
}

/** Copies a child's output line by line with a `[name]` prefix, so interleaved logs stay readable; `filter` may drop or reword a line. */
function prefixLines(from, to, name, filter) {
  let pending = ''
  const write = (line) => {
    const kept = filter(line)
    if (kept !== null) to.write(`[${name}] ${kept}\n`)
  }
  from.setEncoding('utf8')
  from.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) write(line)
  })
  from.on('end', () => {
    if (pending) write(pending)
  })
}

function signalGroups(signal) {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, signal)
    } catch {
      // ESRCH: that group has already exited.
    }
  }
}

async function stop(code, message) {
  if (stopping) return
  stopping = true
  if (message) (code === 0 ? log : warn)(message)
  demoServer?.close()
  demoServer?.closeAllConnections()
  const exits = [...running].map((child) => child.exited)
  signalGroups('SIGTERM')
  const grace = setTimeout(() => signalGroups('SIGKILL'), STOP_GRACE_MS)
  await Promise.all(exits)
  clearTimeout(grace)
  // The leader may be gone while something it spawned (workerd) lingers in its group.
  signalGroups('SIGKILL')
  groups.clear()
  process.exit(code)
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => stop(0, `${signal} received; stopping …`))
}
// Last resort if we die some other way (an exception): never leave workerd running.
process.on('exit', () => signalGroups('SIGKILL'))

#!/usr/bin/env node
// The flow CLI for site owners: `check` validates flow files, `play` walks a flow in the terminal
// (answers from stdin, one per line, piped or typed) and prints the lead with the server's score,
// `schema` writes shared/flow/flow.schema.json (or `--check`s that it is up to date).
import './flow/load-ts.mjs'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SCHEMA_FILE = join(ROOT, 'shared', 'flow', 'flow.schema.json')

const USAGE = `Usage:
  npm run flow -- check <flow.json>...        validate flows; exit 1 when one is invalid
  npm run flow -- play <flow.json> [options]  walk a flow; answers from stdin, one per line
      --locale ru|en    texts to show (default ru)
      --country RU      country for national phone numbers (default RU)
      --json            print only the result as JSON
    Answer buttons by number, value or label; several choices with commas ("1, 3");
    a contact as "phone, email, name" in any order; "/call" switches to the callback form.
  npm run flow -- schema [--check]            write (or check) shared/flow/flow.schema.json`

const flowApi = await import('../shared/flow/index.ts')

/** Reads and validates one flow file; prints its problems. */
function loadFlow(file) {
  let json
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    return {
      ok: false,
      problems: [{ code: 'json', message: `cannot read it as JSON: ${error.message}` }],
    }
  }
  return flowApi.checkFlow(json)
}

function check(files) {
  if (files.length === 0) {
    console.error(USAGE)
    return 2
  }
  let failed = false
  for (const file of files) {
    const result = loadFlow(file)
    if (result.ok) {
      console.log(`${file}: OK (${result.flow.nodes.length} nodes)`)
    } else {
      failed = true
      console.log(`${file}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`)
      for (const problem of result.problems) console.log(`  ${problem.code}: ${problem.message}`)
    }
  }
  return failed ? 1 : 0
}

async function schema(checkOnly) {
  const { flowJsonSchema } = await import('../shared/flow/json-schema.ts')
  const text = `${JSON.stringify(flowJsonSchema(), null, 2)}\n`
  let current = ''
  try {
    current = readFileSync(SCHEMA_FILE, 'utf8')
  } catch {}
  if (checkOnly) {
    if (current === text) return 0
    console.log('shared/flow/flow.schema.json is out of date: run "npm run flow -- schema"')
    return 1
  }
  writeFileSync(SCHEMA_FILE, text)
  console.log('wrote shared/flow/flow.schema.json')
  return 0
}

const ERROR_TEXT = {
  choose_option: 'Please choose one of the options.',
  not_a_number: 'Please answer with a number.',
  out_of_range: 'That number is outside the accepted range.',
  empty: 'Please type an answer.',
  too_long: 'That answer is too long.',
  contact_missing: 'Please leave a contact this question asks for.',
  phone_invalid: 'That phone number does not look right.',
  email_invalid: 'That email address does not look right.',
}

/** Turns a typed line into the engine event for the waiting node. */
function toEvent(node, line, locale) {
  const text = line.trim()
  if (/^\/(call|handoff)$/i.test(text)) return { type: 'handoff' }
  if (node.type === 'contact') {
    const event = { type: 'contact' }
    for (const part of text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      if (part.includes('@')) event.email = part
      else if (part.replace(/\D/g, '').length >= 5) event.phone = part
      else event.name = part
    }
    return event
  }
  if (node.type === 'ask' && node.options) {
    // A value or label wins over a position: "2" on a rooms question means two rooms.
    const pick = (item) => {
      const lower = item.toLowerCase()
      const option = node.options.find((o) => o.value.toLowerCase() === lower || flowApi.localize(o.label, locale).toLowerCase() === lower)
      if (option) return option.value
      const index = Number(item)
      if (Number.isInteger(index) && index >= 1 && index <= node.options.length) return node.options[index - 1].value
      return item
    }
    if (node.input === 'multi')
      return {
        type: 'answer',
        value: text
          .split(',')
          .map((p) => pick(p.trim()))
          .filter(Boolean),
      }
    return { type: 'answer', value: pick(text) }
  }
  return { type: 'answer', value: text }
}

function describeInput(node, locale) {
  if (node.type === 'contact') {
    return `  (${node.channels.join(' or ')}${node.name ? ', and a name if you like' : ''}; comma-separated)`
  }
  if (node.type === 'faq') return '  (type a question)'
  if (node.type !== 'ask') return ''
  if (node.options) {
    const list = node.options.map((o, i) => `  ${i + 1}) ${flowApi.localize(o.label, locale)} [${o.value}]`).join('\n')
    return node.input === 'multi' ? `${list}\n  (one or more, comma-separated)` : list
  }
  return node.input === 'number' ? '  (a number)' : '  (text)'
}

/** What the widget would send: answers, the route and other variables, the transcript. */
function buildLead(flow, state, transcript) {
  const answers = { ...state.answers }
  for (const [name, value] of Object.entries(state.vars)) answers[`var.${name}`] = value
  return { site: 'cli', source: 'chat', contact: state.contact, answers, transcript, flow: flow.id }
}

async function play(file, values) {
  const locale = values.locale === 'en' ? 'en' : 'ru'
  const result = loadFlow(file)
  if (!result.ok) {
    for (const problem of result.problems) console.error(`${file}: ${problem.code}: ${problem.message}`)
    return 1
  }
  const { flow } = result
  const { normalizePhone, isKnownCountry } = await import('../shared/phone.ts')
  const { default: metadata } = await import('libphonenumber-js/max/metadata')
  const country = isKnownCountry(values.country ?? 'RU', metadata) ? (values.country ?? 'RU') : 'RU'
  // The worker's own phone check: full metadata, real validity.
  const checkPhone = (raw) => {
    const phone = normalizePhone(raw, { defaultCountry: country, metadata, strictness: 'valid' })
    return phone.ok ? phone.e164 : null
  }
  const options = { locale, checkPhone }
  const say = values.json ? () => {} : (line) => console.log(line)
  const transcript = []
  let state = flowApi.startFlow(flow, options)
  let shown = 0
  const show = () => {
    for (const message of state.messages.slice(shown)) {
      transcript.push({ from: message.from, text: message.text })
      if (message.from === 'bot') say(`bot: ${message.text}`)
    }
    shown = state.messages.length
    if (state.status === 'waiting') say(describeInput(flowApi.findNode(flow, state.at), locale))
  }
  show()
  const lines = createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]()
  while (state.status === 'waiting') {
    if (process.stdin.isTTY) process.stdout.write('> ')
    const next = await lines.next()
    if (next.done) break
    const node = flowApi.findNode(flow, state.at)
    say(`you: ${next.value}`)
    state = flowApi.stepFlow(flow, state, toEvent(node, next.value, locale), options)
    if (state.error) say(`bot: ${ERROR_TEXT[state.error]} (${state.error})`)
    show()
  }
  process.stdin.pause()

  const { scoreLead } = await import('../shared/score.ts')
  const lead = buildLead(flow, state, transcript)
  const replay = flowApi.replayFlow(flow, state.answers)
  const contact = { ...state.contact }
  if (contact.phone) contact.phone = checkPhone(contact.phone) ?? contact.phone
  const base = scoreLead({ source: 'chat', contact, answers: state.answers })
  const final = flowApi.withFlowScore(base, replay)
  const outcome = {
    status: state.status === 'waiting' ? 'stopped' : state.status,
    at: state.at,
    lead,
    score: final.score,
    temperature: final.temperature,
    reasons: final.reasons,
  }
  if (state.status === 'handoff') outcome.prefill = flowApi.handoffPrefill(state)
  if (values.json) {
    console.log(JSON.stringify(outcome, null, 2))
  } else {
    say('')
    if (outcome.status === 'stopped') say(`Input ended while node "${state.at}" was waiting for an answer.`)
    if (outcome.status === 'handoff') say('The visitor switched to the callback form.')
    say(`Lead: ${JSON.stringify(lead, null, 2)}`)
    say(`Score: ${final.score} (${final.temperature})`)
    for (const reason of final.reasons) {
      say(`  ${reason.points > 0 ? '+' : ''}${reason.points}  ${reason.rule}: ${reason.text}`)
    }
  }
  return outcome.status === 'ended' || outcome.status === 'handoff' ? 0 : 1
}

async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      locale: { type: 'string' },
      country: { type: 'string' },
      json: { type: 'boolean' },
      check: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [command, ...rest] = positionals
  if (values.help || !command) {
    console.log(USAGE)
    return values.help ? 0 : 2
  }
  if (command === 'check') return check(rest)
  if (command === 'play' && rest.length === 1) return play(rest[0], values)
  if (command === 'schema') return schema(values.check === true)
  console.error(USAGE)
  return 2
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 2
}

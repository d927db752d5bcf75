// The CRM inbox page: polls the inbox server's JSON endpoints every second and renders each section with text nodes only.
// biome-ignore lint/suspicious/noRedundantUseStrict: a classic script (index.html loads it without type=module), where it is not redundant
'use strict'

const POLL_MS = 1000

/**
 * One entry per section of the page. A new kind of output (Telegram cards, auto-replies…) is one
 * more entry: an endpoint on the inbox server and a render function.
 */
const SECTIONS = [
  {
    id: 'webhooks',
    title: 'Webhooks',
    hint: 'Each request the worker sent, newest first. Redeliveries of the same webhook-id are counted, not listed again.',
    endpoint: '/api/events',
    render: renderWebhooks,
  },
  {
    id: 'outbox',
    title: 'Outbox',
    hint: 'What the system would send to people: Telegram cards for managers and auto-replies to visitors (the dev providers post them here). Retries with the same idempotency key are counted, not listed again.',
    endpoint: '/api/outbox',
    render: renderOutbox,
  },
  {
    id: 'calls',
    title: 'Calls',
    hint: 'The fake telephony provider (Mango Office’s API): the demo site’s auto-dial calls, each checked by its signature. Answer or miss each leg; the worker is told by a signed event, and the widget follows.',
    endpoint: '/api/calls',
    render: renderCalls,
  },
  {
    id: 'leads',
    title: 'Stored leads',
    hint: 'What the worker stored (GET /v1/admin/leads, fetched by the inbox server with the admin token).',
    endpoint: '/api/leads',
    render: renderStoredLeads,
  },
  {
    id: 'setup',
    title: 'Connect your own site',
    hint: 'Every site you create on the local server can deliver here: give it this webhook target (any name after /hooks/ works). The secret stays the same across npm start runs (CRM_INBOX_SECRET in .dev.vars).',
    endpoint: '/api/setup',
    render: renderSetup,
  },
]

/** `el('dt', { className: 'x' }, 'text', child)`: strings become text nodes, never markup. */
function el(tag, props, ...children) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(props ?? {})) {
    if (key === 'className') node.className = value
    else if (key === 'dataset') Object.assign(node.dataset, value)
    else node.setAttribute(key, value)
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child)
  }
  return node
}

function formatTime(iso) {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleTimeString()
}

function text(value) {
  return value === undefined || value === null || value === '' ? '—' : String(value)
}

function formatUtm(utm) {
  if (!utm || typeof utm !== 'object') return '—'
  const parts = Object.entries(utm)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${key}=${value}`)
  return parts.length ? parts.join(' · ') : '—'
}

function facts(rows) {
  const list = el('dl', { className: 'facts' })
  for (const [label, value, className] of rows) {
    list.append(el('dt', null, label), el('dd', className ? { className } : null, text(value)))
  }
  return list
}

// Cards are keyed by seq and rebuilt only when their delivery count changes, so an open <details>
// or a scrolled <pre> is left alone while new webhooks arrive.
const webhookCards = new Map()

function renderWebhooks(body, data) {
  const events = Array.isArray(data.events) ? data.events : []
  if (events.length === 0) {
    body.replaceChildren(el('p', { className: 'empty' }, 'No webhooks yet. Submit the form on the demo page.'))
    webhookCards.clear()
    return
  }
  body.querySelector(':scope > .empty')?.remove()
  let list = body.querySelector(':scope > ol.cards')
  if (!list) {
    list = el('ol', { className: 'cards', reversed: '' })
    body.replaceChildren(list)
  }
  const alive = new Set()
  for (const event of events) {
    alive.add(event.seq)
    const key = `${event.deliveries}`
    const existing = webhookCards.get(event.seq)
    if (existing && existing.key === key) continue
    const card = webhookCard(event)
    if (existing) existing.node.replaceWith(card)
    else list.prepend(card)
    webhookCards.set(event.seq, { key, node: card })
  }
  for (const [seq, { node }] of webhookCards) {
    if (!alive.has(seq)) {
      node.remove()
      webhookCards.delete(seq)
    }
  }
}

function webhookCard(event) {
  const lead = event.payload && typeof event.payload === 'object' ? (event.payload.data ?? {}) : {}
  const contact = lead.contact ?? {}
  const context = lead.context ?? {}
  const badge = event.verified ? el('span', { className: 'badge ok' }, 'signature verified') : el('span', { className: 'badge bad' }, 'REJECTED')
  const head = el(
    'header',
    { className: 'card-head' },
    el('time', { datetime: event.receivedAt }, formatTime(event.receivedAt)),
    el('strong', { className: 'type' }, text(event.type)),
    badge,
    event.deliveries > 1 ? el('span', { className: 'badge warn' }, `delivered ${event.deliveries}×`) : null,
    el('span', { className: 'hook' }, `/hooks/${event.hook}`),
  )
  const rows = [
    ['Verified', event.verified ? 'yes' : `no — ${text(event.error)}`, event.verified ? 'yes' : 'no'],
    ['Lead id', lead.id],
    ['Name', contact.name],
    ['Phone', contact.phone, 'mono'],
    ['Email', contact.email],
    ['Source', lead.source],
    ['UTM', formatUtm(context.utm)],
    ['Page', context.page],
    ['Duplicate', lead.duplicate === undefined ? undefined : lead.duplicate ? 'yes' : 'no'],
    ['webhook-id', event.webhookId, 'mono'],
  ]
  const json = event.payload !== null ? JSON.stringify(event.payload, null, 2) : text(event.raw)
  return el(
    'li',
    { className: event.verified ? 'card' : 'card rejected', dataset: { seq: String(event.seq) } },
    head,
    facts(rows),
    el('details', { open: '' }, el('summary', null, 'Full JSON'), el('pre', null, json)),
  )
}

// Telegram's HTML mode allows a few tags; the card is rebuilt from them as DOM nodes, so nothing
// else in the text (visitor input included) can ever become markup here.
const TELEGRAM_TAGS = new Set(['B', 'STRONG', 'I', 'EM', 'U', 'S', 'CODE', 'PRE', 'BLOCKQUOTE', 'A'])
const SAFE_HREF = /^(https?:|tel:|mailto:)/i

function telegramHtml(html) {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html').body
  const copy = (from, to) => {
    for (const child of from.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        to.append(child.textContent)
      } else if (child.nodeType === Node.ELEMENT_NODE && TELEGRAM_TAGS.has(child.tagName)) {
        const href = child.getAttribute('href') ?? ''
        const node = child.tagName === 'A' ? el('a', SAFE_HREF.test(href) ? { href } : null) : el(child.tagName.toLowerCase())
        copy(child, node)
        to.append(node)
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        copy(child, to)
      }
    }
  }
  const root = el('div', { className: 'tg-text' })
  copy(parsed, root)
  return root
}

function renderCalls(body, data) {
  const calls = Array.isArray(data.calls) ? data.calls : []
  if (calls.length === 0) {
    body.replaceChildren(el('p', { className: 'empty' }, 'No call yet. Request a call back on the demo page: the manager’s phone rings here.'))
    return
  }
  const list = el('ol', { className: 'cards' })
  for (const call of calls) {
    const leg = (name, state) => {
      const buttons =
        state === 'ringing'
          ? ['answer', 'miss'].map((action) => {
              const button = el('button', { type: 'button', dataset: { leg: name, action } }, action === 'answer' ? 'Answer' : 'Miss')
              button.addEventListener('click', () => {
                void fetch(`/telephony/calls/${encodeURIComponent(text(call.commandId))}/${name}`, {
                  method: 'POST',
                  headers: { 'Content-Type': 'application/json' },
                  body: JSON.stringify({ action }),
                })
              })
              return button
            })
          : []
      return el('p', { className: 'call-leg', dataset: { leg: name, state: text(state) } }, `${name === 'manager' ? 'Manager' : 'Visitor'}: ${text(state)} `, ...buttons)
    }
    list.append(
      el(
        'li',
        { className: 'card call', dataset: { command: text(call.commandId) } },
        el('header', { className: 'card-head' }, el('time', { datetime: call.at }, formatTime(call.at)), el('strong', { className: 'type' }, 'Call')),
        facts([
          ['Manager extension', call.extension, 'mono'],
          ['Visitor', call.visitor, 'mono'],
          ['command_id', call.commandId, 'mono'],
        ]),
        leg('manager', call.manager),
        leg('visitor', call.visitorLeg),
      ),
    )
  }
  body.replaceChildren(list)
}

function renderOutbox(body, data) {
  const messages = Array.isArray(data.messages) ? data.messages : []
  if (messages.length === 0) {
    body.replaceChildren(el('p', { className: 'empty' }, 'Nothing sent yet. Leave a phone (SMS) or an email (email) on the demo page; managers get a Telegram card.'))
    return
  }
  const list = el('ol', { className: 'cards', reversed: '' })
  for (const item of [...messages].reverse()) list.append(outboxCard(item))
  body.replaceChildren(list)
}

function outboxCard(item) {
  const m = item.message ?? {}
  const head = el(
    'header',
    { className: 'card-head' },
    el('time', { datetime: item.receivedAt }, formatTime(item.receivedAt)),
    el('strong', { className: 'type' }, item.channel === 'telegram' ? 'Telegram card' : item.channel === 'sms' ? 'SMS auto-reply' : 'Email auto-reply'),
    item.deliveries > 1 ? el('span', { className: 'badge warn' }, `sent ${item.deliveries}× with one key`) : null,
  )
  if (item.channel === 'telegram') {
    const buttons = (m.reply_markup?.inline_keyboard ?? []).flat()
    return el(
      'li',
      { className: 'card telegram' },
      head,
      facts([
        ['Chat', m.chat_id, 'mono'],
        ['Parse mode', m.parse_mode],
      ]),
      el(
        'div',
        { className: 'tg-bubble' },
        telegramHtml(String(m.text ?? '')),
        ...buttons.map((b) => el('span', { className: 'tg-button', title: text(b.callback_data) }, text(b.text))),
      ),
      el('details', null, el('summary', null, 'sendMessage JSON'), el('pre', null, JSON.stringify(m, null, 2))),
    )
  }
  if (item.channel === 'sms') {
    return el(
      'li',
      { className: 'card' },
      head,
      facts([
        ['To', m.to, 'mono'],
        ['Idempotency key', item.idempotencyKey, 'mono'],
      ]),
      el('pre', { className: 'message' }, text(m.text)),
    )
  }
  return el(
    'li',
    { className: 'card' },
    head,
    facts([
      ['From', m.fromName ? `${m.fromName} <${m.from}>` : m.from],
      ['To', m.to],
      ['Reply-To', m.replyTo],
      ['Subject', m.subject],
      ['Idempotency key', item.idempotencyKey, 'mono'],
    ]),
    el('pre', { className: 'message' }, text(m.text)),
    // The HTML part is shown as source, never rendered.
    el('details', null, el('summary', null, 'HTML part (source)'), el('pre', null, text(m.html))),
  )
}

function renderStoredLeads(body, data) {
  const leads = Array.isArray(data.leads) ? data.leads : []
  if (leads.length === 0) {
    body.replaceChildren(el('p', { className: 'empty' }, 'The worker has no leads for this site yet.'))
    return
  }
  const table = el(
    'table',
    null,
    el('thead', null, el('tr', null, ...['Created', 'Lead id', 'Source', 'Name', 'Phone', 'Email', 'Status', 'Deliveries'].map((h) => el('th', { scope: 'col' }, h)))),
  )
  const rows = el('tbody')
  for (const lead of leads) {
    const contact = lead.contact ?? {}
    const deliveries = el('ul', { className: 'deliveries' })
    for (const delivery of lead.deliveries ?? []) {
      const state = deliveryState(delivery)
      const summary =
        state === 'skipped' ? `${text(delivery.targetId)}: skipped, not sent` : `${text(delivery.targetId)}: ${text(delivery.status)}, ${text(delivery.attempts)} attempt(s)`
      deliveries.append(el('li', { className: `delivery ${state}` }, summary, delivery.lastError ? el('span', { className: 'error' }, ` — ${delivery.lastError}`) : null))
    }
    rows.append(
      el(
        'tr',
        null,
        el('td', null, el('time', { datetime: lead.createdAt }, formatTime(lead.createdAt))),
        el('td', { className: 'mono' }, text(lead.id)),
        el('td', null, text(lead.source)),
        el('td', null, text(contact.name)),
        el('td', { className: 'mono' }, text(contact.phone)),
        el('td', null, text(contact.email)),
        el('td', null, leadStatus(lead)),
        el('td', null, deliveries),
      ),
    )
  }
  table.append(rows)
  body.replaceChildren(table)
}

function renderSetup(body, setup) {
  const target = JSON.stringify(setup.target)
  const command =
    `curl -X PUT -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \\\n` +
    `  -d '{"origins": ["https://my-site.example"], "targets": [${target.replace('<your-site>', 'my-site')}]}' \\\n` +
    `  ${setup.workerUrl}/v1/admin/sites/my-site`
  body.replaceChildren(
    el(
      'dl',
      { className: 'setup' },
      el('dt', null, 'Webhook URL'),
      el('dd', null, el('code', null, setup.hookUrl)),
      el('dt', null, 'Secret'),
      el('dd', null, setup.secret ? el('code', { className: 'secret' }, setup.secret) : el('span', { className: 'error' }, text(setup.secretProblem))),
      el('dt', null, 'Target'),
      el('dd', null, el('pre', null, el('code', null, target))),
      el('dt', null, 'A new site with it'),
      el(
        'dd',
        null,
        el('pre', null, el('code', null, command)),
        'ADMIN_TOKEN is in .dev.vars. To add the target to a site that has others, read its config, add the target to its list and PUT it back: redacted secrets keep their stored values.',
      ),
    ),
  )
}

/** How a delivery reads: a skipped one (an auto-reply to a visitor who left no address) is neither delivered nor failed. */
function deliveryState(delivery) {
  return delivery.status === 'skipped' ? 'skipped' : String(delivery.status)
}

/** Status, spam flags, duplicate and score, whichever the worker reports (newer workers report more). */
function leadStatus(lead) {
  const cell = el('ul', { className: 'status-list' })
  const status = typeof lead.status === 'string' ? lead.status : 'accepted'
  cell.append(el('li', { className: `lead-status ${status}` }, status))
  for (const flag of Array.isArray(lead.flags) ? lead.flags : []) {
    cell.append(el('li', { className: 'flag' }, `${text(flag?.code)}: ${text(flag?.detail)}`))
  }
  if (lead.duplicate) cell.append(el('li', null, 'duplicate'))
  if (typeof lead.score === 'number') {
    cell.append(el('li', null, `score ${lead.score}${lead.temperature ? ` (${lead.temperature})` : ''}`))
  }
  return cell
}

function mountSections() {
  const nav = document.getElementById('nav')
  const main = document.getElementById('sections')
  return SECTIONS.map((section) => {
    const body = el('div', { className: 'section-body' }, el('p', { className: 'empty' }, 'Loading…'))
    const error = el('p', { className: 'section-error', hidden: '' })
    main.append(
      el(
        'section',
        { id: section.id, 'aria-labelledby': `${section.id}-title` },
        el('h2', { id: `${section.id}-title` }, section.title),
        el('p', { className: 'hint' }, section.hint),
        error,
        body,
      ),
    )
    nav.append(el('a', { href: `#${section.id}` }, section.title))
    return { ...section, body, error, lastText: null }
  })
}

async function refresh(section) {
  try {
    const response = await fetch(section.endpoint, { cache: 'no-store' })
    const raw = await response.text()
    const data = JSON.parse(raw)
    if (!response.ok) throw new Error(data?.error?.message ?? `HTTP ${response.status}`)
    section.error.hidden = true
    // Unchanged data is not re-rendered: no flicker, selections and scroll positions survive.
    if (raw !== section.lastText) {
      section.lastText = raw
      section.render(section.body, data)
    }
    return true
  } catch (error) {
    section.error.textContent = `Could not load ${section.endpoint}: ${error.message}`
    section.error.hidden = false
    if (section.lastText === null) section.body.replaceChildren()
    return false
  }
}

async function poll(sections) {
  const results = await Promise.all(sections.map(refresh))
  const status = document.getElementById('status')
  status.textContent = results.every(Boolean) ? `Updated ${new Date().toLocaleTimeString()}` : `Updated ${new Date().toLocaleTimeString()} (some sections failed, see below)`
  setTimeout(() => poll(sections), POLL_MS)
}

poll(mountSections())

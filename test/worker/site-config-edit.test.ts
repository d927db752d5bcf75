// Editing a site config as a site owner does: read it, change a field, send it back. Secrets stay
// write-only (reads redact them, URLs' userinfo and query values too) and survive the round trip;
// PATCH takes a JSON Merge Patch; invalid configs are explained in plain words.
import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createDeps } from '../../worker/src/cloudflare/deps'
import type { SiteConfigInput } from '../../shared/schemas/site-config'
import { WEBHOOK_SECRET, adminRequest, putSite, siteConfig, uniqueSite } from './helpers'

const HOOK_URL = 'https://svc:p4ssw0rd@crm.example/hook?api_key=k3y-s3cr3t&v=1'
const TG_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'
const AMO_TOKEN = 'long-lived-token-0123456789'
const CAPTCHA_SECRET = '1x0000000000000000000000000000000AA'
const BITRIX_URL = 'https://shop.bitrix24.ru/rest/1/k3y5ecr3tc0de/'
// The inbound outcomes' write-only secrets (issue 16) go the same way as the outgoing ones.
const AMO_PATH_SECRET = 'amo-path-s3cr3t-0123456789'
const B24_APP_TOKEN = 'b24-app-t0ken-0123456789'
const SECRETS = ['p4ssw0rd', 'k3y-s3cr3t', WEBHOOK_SECRET, TG_TOKEN.split(':')[1]!, AMO_TOKEN, CAPTCHA_SECRET, 'k3y5ecr3t', AMO_PATH_SECRET, B24_APP_TOKEN]

function configWithSecrets(): SiteConfigInput {
  return siteConfig({
    captcha: { provider: 'turnstile', siteKey: '1x00000000000000000000AA', secret: CAPTCHA_SECRET },
    targets: [
      { type: 'webhook', id: 'crm', url: HOOK_URL, secret: WEBHOOK_SECRET },
      { type: 'telegram', id: 'tg', botToken: TG_TOKEN, chatId: -1001234567890 },
      { type: 'amocrm', id: 'amo', baseUrl: 'https://shop.amocrm.ru', token: AMO_TOKEN, outcomes: { pathSecret: AMO_PATH_SECRET } },
      { type: 'bitrix24', id: 'b24', webhookUrl: BITRIX_URL, outcomes: { applicationToken: B24_APP_TOKEN } },
    ],
  })
}

type Config = { locale: string; consent?: unknown; captcha: { secret: string }; targets: Record<string, unknown>[] }

async function read(site: string): Promise<Config> {
  const response = await adminRequest('GET', `/v1/admin/sites/${site}`)
  expect(response.status).toBe(200)
  const text = await response.text()
  for (const secret of SECRETS) expect(text).not.toContain(secret)
  return (JSON.parse(text) as { config: Config }).config
}

async function stored(site: string) {
  return (await createDeps(env).sites.getSite(site))!.config
}

function patch(site: string, body: unknown, contentType = 'application/merge-patch+json'): Promise<Response> {
  return exports.default.fetch(
    new Request(`https://worker.test/v1/admin/sites/${site}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': contentType },
      body: JSON.stringify(body),
    }),
  )
}

async function issuesOf(response: Response) {
  expect(response.status).toBe(400)
  const body = (await response.json()) as { error: { code: string; issues: { path: string; code?: string; message: string }[] } }
  expect(body.error.code).toBe('validation_failed')
  return body.error.issues
}

describe('secrets in a site config read', () => {
  it('are redacted, and a webhook URL shows its user and parameter names but not the password or values', async () => {
    const site = uniqueSite('redact')
    await putSite(site, configWithSecrets())
    const config = await read(site)
    expect(config.targets[0]!.url).toBe('https://svc:•••@crm.example/hook?api_key=•••&v=•••')
    expect(config.targets[0]!.secret).toBe(`whsec_•••${WEBHOOK_SECRET.slice(-4)}`)
    expect(config.targets[1]!.botToken).toBe('123456789:•••Dsaw')
    expect(config.targets[2]!.token).toBe('•••6789')
    expect(config.captcha.secret).toBe('•••00AA')
    expect(config.targets[3]!.webhookUrl).toBe('https://shop.bitrix24.ru/rest/1/•••c0de/')
  })
})

describe('PUT of a config read back', () => {
  it('keeps every stored secret and URL when the redacted read is sent back with one field changed', async () => {
    const site = uniqueSite('roundtrip')
    await putSite(site, configWithSecrets())
    const before = await stored(site)
    const config = await read(site)
    const response = await adminRequest('PUT', `/v1/admin/sites/${site}`, { ...config, locale: 'en' })
    expect(response.status, await response.clone().text()).toBe(200)
    const after = await stored(site)
    expect(after.locale).toBe('en')
    expect(after.targets).toEqual(before.targets)
    expect(after.captcha).toEqual(before.captcha)
  })

  it('keeps a target’s secrets when the targets are reordered (matched by id)', async () => {
    const site = uniqueSite('reorder')
    await putSite(site, configWithSecrets())
    const before = await stored(site)
    const config = await read(site)
    const response = await adminRequest('PUT', `/v1/admin/sites/${site}`, { ...config, targets: [...config.targets].reverse() })
    expect(response.status).toBe(200)
    expect((await stored(site)).targets).toEqual([...before.targets].reverse())
  })

  it('takes a new secret sent in place of the redacted one', async () => {
    const site = uniqueSite('newsecret')
    await putSite(site, configWithSecrets())
    const config = await read(site)
    const fresh = 'whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY'
    config.targets[0]!.secret = fresh
    expect((await adminRequest('PUT', `/v1/admin/sites/${site}`, config)).status).toBe(200)
    expect((await stored(site)).targets[0]).toMatchObject({ secret: fresh, url: HOOK_URL })
  })

  it('restores redacted URL parts by name when another parameter changes on the same address', async () => {
    const site = uniqueSite('urlpart')
    await putSite(site, configWithSecrets())
    const config = await read(site)
    config.targets[0]!.url = 'https://svc:•••@crm.example/hook?api_key=•••&v=2'
    expect((await adminRequest('PUT', `/v1/admin/sites/${site}`, config)).status).toBe(200)
    expect((await stored(site)).targets[0]).toMatchObject({ url: 'https://svc:p4ssw0rd@crm.example/hook?api_key=k3y-s3cr3t&v=2' })
  })

  it('refuses a redacted URL whose host or path changed, since its secrets belong to the old address, and keeps the stored config', async () => {
    const site = uniqueSite('urlmove')
    await putSite(site, configWithSecrets())
    const before = await stored(site)
    for (const url of ['https://svc:•••@evil.example/hook?api_key=•••&v=•••', 'https://svc:•••@crm.example/other?api_key=•••&v=•••']) {
      const config = await read(site)
      config.targets[0]!.url = url
      const response = await adminRequest('PUT', `/v1/admin/sites/${site}`, config)
      const text = await response.clone().text()
      for (const secret of SECRETS) expect(text).not.toContain(secret)
      const issues = await issuesOf(response)
      expect(issues).toEqual([{ path: 'targets.0.url', code: 'redacted_mismatch', message: expect.stringContaining('belongs to the address') }])
    }
    expect(await stored(site)).toEqual(before)
  })

  it('refuses a redacted secret with nothing stored to keep, in words, and never stores it', async () => {
    const site = uniqueSite('nosecret')
    const response = await adminRequest(
      'PUT',
      `/v1/admin/sites/${site}`,
      siteConfig({
        targets: [{ type: 'webhook', id: 'crm', url: 'https://crm.example/hook', secret: 'whsec_•••abcd' }],
      }),
    )
    const issues = await issuesOf(response)
    expect(issues).toEqual([{ path: 'targets.0.secret', code: 'invalid', message: expect.stringContaining('redacted value') }])
    expect((await adminRequest('GET', `/v1/admin/sites/${site}`)).status).toBe(404)
  })

  it('refuses another target’s redacted secret (a mismatch), naming the field', async () => {
    const site = uniqueSite('mismatch')
    await putSite(site, configWithSecrets())
    const config = await read(site)
    config.targets[2]!.token = '•••0000'
    const issues = await issuesOf(await adminRequest('PUT', `/v1/admin/sites/${site}`, config))
    expect(issues).toEqual([{ path: 'targets.2.token', code: 'redacted_mismatch', message: expect.stringContaining('not the stored secret') }])
  })
})

describe('PATCH /v1/admin/sites/:site (JSON Merge Patch)', () => {
  it('changes only the fields in the patch, removes a field set to null, and keeps the secrets', async () => {
    const site = uniqueSite('patch')
    await putSite(site, configWithSecrets())
    const before = await stored(site)
    const response = await patch(site, { locale: 'en', consent: null, reply: { text: 'Thanks!' } })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { config: Config }
    expect(body.config.locale).toBe('en')
    const after = await stored(site)
    expect(after).toEqual({ ...before, locale: 'en', consent: undefined, reply: { text: 'Thanks!' } })
    expect('consent' in after).toBe(false)
  })

  it('replaces arrays whole, and a read target list sent back keeps its secrets', async () => {
    const site = uniqueSite('patcharr')
    await putSite(site, configWithSecrets())
    const before = await stored(site)
    const targets = (await read(site)).targets.slice(0, 2)
    expect((await patch(site, { targets })).status).toBe(200)
    expect((await stored(site)).targets).toEqual(before.targets.slice(0, 2))
  })

  it('checks the merged config like a PUT and changes nothing when it is invalid', async () => {
    const site = uniqueSite('patchbad')
    await putSite(site, configWithSecrets())
    const before = await stored(site)
    const issues = await issuesOf(await patch(site, { locale: 'de', origins: null }))
    expect(issues.map((i) => i.path).sort()).toEqual(['locale', 'origins'])
    expect(await stored(site)).toEqual(before)
  })

  it('answers 415 without the merge-patch type, 404 for an unknown site, 400 for a patch that is not an object, 403 for a site token', async () => {
    const site = uniqueSite('patcherr')
    await putSite(site)
    const wrongType = await patch(site, { locale: 'en' }, 'application/json')
    expect(wrongType.status).toBe(415)
    expect(((await wrongType.json()) as { error: { message: string } }).error.message).toContain('application/merge-patch+json')
    expect((await patch(uniqueSite(), { locale: 'en' })).status).toBe(404)
    expect((await patch(site, ['locale'])).status).toBe(400)
    const minted = await adminRequest('POST', `/v1/admin/sites/${site}/tokens`, {})
    const { token } = (await minted.json()) as { token: string }
    const asSite = await exports.default.fetch(
      new Request(`https://worker.test/v1/admin/sites/${site}`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/merge-patch+json' },
        body: '{"locale":"en"}',
      }),
    )
    expect(asSite.status).toBe(403)
  })
})

describe('validation errors', () => {
  it('say what is wrong in plain words, with the path and a code per problem', async () => {
    const site = uniqueSite('words')
    const response = await adminRequest('PUT', `/v1/admin/sites/${site}`, {
      ...siteConfig(),
      hours: { timezone: 'Europe/Moscow', week: { monday: [['09:00', '18:00']] } },
      origins: 'https://shop.example',
      colour: 'red',
    })
    const text = await response.clone().text()
    expect(text).not.toMatch(/Expected|received|never/)
    const issues = await issuesOf(response)
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'hours.week.monday', code: 'unknown_field', message: 'unknown field "monday"; use sun, mon, tue, wed, thu, fri, sat' },
        { path: 'origins', code: 'wrong_type', message: 'must be a list ([…])' },
        { path: 'colour', code: 'unknown_field', message: expect.stringMatching(/^unknown field "colour"; use origins, country, /) },
      ]),
    )
  })

  it('name a private target address with its own code', async () => {
    const site = uniqueSite('private')
    const issues = await issuesOf(
      await adminRequest('PUT', `/v1/admin/sites/${site}`, siteConfig({ targets: [{ type: 'webhook', id: 'crm', url: 'http://127.0.0.1:8790/hook', secret: WEBHOOK_SECRET }] })),
    )
    expect(issues).toEqual([{ path: 'targets.0.url', code: 'private_address', message: expect.stringContaining('private') }])
  })

  it('name a private address in a telephony target’s missed-call SMS provider too', async () => {
    const site = uniqueSite('private-sms')
    const phone = {
      type: 'zadarma' as const,
      id: 'phone',
      key: 'zd_key_0123456789',
      secret: 'zd_secret_0123456789',
      operators: [{ manager: 'olga', number: '101' }],
      missedSms: { provider: { name: 'dev' as const, url: 'http://169.254.169.254/latest/meta-data/' } },
    }
    const config = siteConfig({ targets: [phone], routing: { managers: [{ id: 'olga', name: 'Ольга' }] } })
    const issues = await issuesOf(await adminRequest('PUT', `/v1/admin/sites/${site}`, config))
    expect(issues).toEqual([{ path: 'targets.0.missedSms.provider.url', code: 'private_address', message: expect.stringContaining('private') }])
  })

  it('give one problem for one mistyped next in a chat flow', async () => {
    const site = uniqueSite('flownext')
    const flow = {
      id: 'typo',
      start: 'hello',
      nodes: [
        { id: 'hello', type: 'message', text: { ru: 'Здравствуйте!' }, next: 'aks' },
        { id: 'ask', type: 'ask', text: { ru: 'Когда?' }, input: 'text', next: 'contact' },
        { id: 'contact', type: 'contact', text: { ru: 'Ваш телефон?' }, channels: ['phone'], next: 'bye' },
        { id: 'bye', type: 'end', text: { ru: 'Спасибо!' } },
      ],
    }
    const issues = await issuesOf(await adminRequest('PUT', `/v1/admin/sites/${site}`, siteConfig({ chat: { flow } })))
    expect(issues).toEqual([{ path: 'chat.flow.nodes[hello]', code: 'unknown_node', message: expect.stringContaining('did you mean "ask"') }])
  })
})

describe('chat flow schema problems', () => {
  it('are in plain words too, with the node and its path', async () => {
    const site = uniqueSite('flowwords')
    const flow = {
      id: 'words',
      start: 'q',
      nodes: [
        { id: 'q', type: 'ask', text: { ru: 'Когда?' }, input: 'txt', next: 'contact' },
        { id: 'contact', type: 'contact', text: { ru: 'Телефон?' }, channels: ['phone'], next: 'bye' },
        { id: 'bye', type: 'end', text: { ru: 'Спасибо!' } },
      ],
    }
    const response = await adminRequest('PUT', `/v1/admin/sites/${site}`, siteConfig({ chat: { flow } }))
    const text = await response.clone().text()
    expect(text).not.toMatch(/Expected|received/)
    const issues = await issuesOf(response)
    expect(issues).toEqual([{ path: 'chat.flow.nodes.0.input', code: 'schema', message: 'node "q" (nodes.0.input): unknown value "txt"; use buttons, multi, text, number' }])
  })
})

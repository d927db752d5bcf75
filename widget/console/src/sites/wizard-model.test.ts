// The wizard's draft as a site config, checked with the API's schema and words, and the issues
// put on their step and field.
import { describe, expect, it } from 'vitest'
import { checkDraft, configOf, emptyDraft, firstStepWithIssues, placeDraftIssues } from './wizard-model'

const draft = { ...emptyDraft('ru'), key: 'shop', origins: ' https://shop.example \n\nhttps://m.shop.example', country: 'kz' }

describe('the new-site draft', () => {
  it('makes a config with the origins one per line, the country in capitals and no empty sections', () => {
    expect(configOf({ ...draft, targets: null })).toEqual({ origins: ['https://shop.example', 'https://m.shop.example'], country: 'KZ', locale: 'ru', targets: [] })
  })

  it('keeps the texts typed in step 2 as the Settings form makes them', () => {
    const config = configOf({ ...draft, texts: { ...draft.texts, 'hours.timezone': 'Europe/Moscow', 'hours.week.mon': '09:00-18:00', 'reply.text': 'Спасибо!' } })
    expect(config).toMatchObject({ hours: { timezone: 'Europe/Moscow', week: { mon: [['09:00', '18:00']] } }, reply: { text: 'Спасибо!' } })
    expect(checkDraft({ ...draft, texts: { ...draft.texts, 'hours.timezone': 'Europe/Moscow', 'hours.week.mon': '09:00-18:00' } }, 3)).toEqual([])
  })

  it('checks only the steps reached so far, in the API’s words', () => {
    const bad = { ...draft, key: 'Shop', targets: [{ type: 'webhook' as const, url: 'ftp://x', secret: 'nope' }] }
    expect(checkDraft(bad, 1)).toEqual([{ path: 'site', code: 'invalid_format', message: expect.stringContaining('lowercase letters') }])
    const all = checkDraft(bad, 3)
    expect(all.map((i) => i.path)).toEqual(expect.arrayContaining(['site', 'targets.0.url', 'targets.0.secret']))
    expect(firstStepWithIssues(all)).toBe(1)
  })

  it('places issues on their step: origins with their line, texts at the Settings field, targets whole', () => {
    const placed = placeDraftIssues([
      { path: 'origins.1', message: 'must be an origin' },
      { path: 'hours.week.mon.0.1', message: 'bad time' },
      { path: 'targets.0.url', message: 'private' },
      { path: '(body)', message: 'target ids must be unique' },
    ])
    expect(placed.site).toEqual({ origins: ['2: must be an origin'] })
    expect(placed.texts.byField).toEqual({ 'hours.week.mon': ['bad time'] })
    expect(placed.targets.map((i) => i.path)).toEqual(['targets.0.url', '(body)'])
  })
})

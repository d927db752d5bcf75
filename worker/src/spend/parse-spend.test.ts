// Spend imports: CSV as spreadsheets write it, JSON days and periods, every bad row named, and
// nothing returned to store when one row is bad.
import { describe, expect, it } from 'vitest'
import { parseSpendCsv, parseSpendJson } from './parse-spend'

describe('parseSpendCsv', () => {
  it('reads a spreadsheet CSV: BOM, any column order and case, semicolons, quoted commas, decimal commas', () => {
    const csv = '\uFEFFDate;UTM_Campaign;utm_source;Cost;Currency\r\n2026-11-01;"spring, flats";yandex;"12 500,50";rub\r\n2026-11-02;spring;vk;300;RUB\r\n\r\n'
    expect(parseSpendCsv(csv)).toEqual({
      ok: true,
      days: [
        { day: '2026-11-01', utmSource: 'yandex', utmCampaign: 'spring, flats', costMinor: 1_250_050, currency: 'RUB' },
        { day: '2026-11-02', utmSource: 'vk', utmCampaign: 'spring', costMinor: 30_000, currency: 'RUB' },
      ],
    })
  })

  it('lists every bad row by its line and returns nothing to import', () => {
    const csv = [
      'date,utm_source,utm_campaign,cost,currency',
      '2026-11-01,yandex,spring,100,RUB',
      '2026-02-30,yandex,spring,100,RUB',
      '2026-11-03,,spring,-5,RUB',
      '"2026-11-04","yandex","multi',
      'line",100,RUBLES',
      '2026-11-01,yandex,spring,200,RUB',
    ].join('\n')
    expect(parseSpendCsv(csv)).toEqual({
      ok: false,
      issues: [
        { path: 'line 3: date', message: 'must be a day like 2026-11-23' },
        { path: 'line 4: utm_source', message: 'must not be empty' },
        { path: 'line 4: cost', message: 'must be an amount like 12500 or 12500.50' },
        { path: 'line 5: currency', message: 'must be a currency code like RUB' },
        { path: 'line 7', message: 'repeats 2026-11-01 yandex / spring of line 2' },
      ],
    })
  })

  it('needs the header', () => {
    expect(parseSpendCsv('')).toMatchObject({ ok: false, issues: [{ path: 'line 1' }] })
    expect(parseSpendCsv('date,cost\n2026-11-01,5')).toEqual({ ok: false, issues: [{ path: 'line 1', message: 'the header lacks utm_source, utm_campaign, currency' }] })
  })
})

describe('parseSpendJson', () => {
  it('spreads a period over its days with the remainder on the first, so the sum is exact', () => {
    const result = parseSpendJson({ rows: [{ from: '2026-11-29', to: '2026-12-01', utmSource: 'vk', utmCampaign: 'x', cost: 100, currency: 'EUR' }] })
    expect(result).toEqual({
      ok: true,
      days: [
        { day: '2026-11-29', utmSource: 'vk', utmCampaign: 'x', costMinor: 3334, currency: 'EUR' },
        { day: '2026-11-30', utmSource: 'vk', utmCampaign: 'x', costMinor: 3333, currency: 'EUR' },
        { day: '2026-12-01', utmSource: 'vk', utmCampaign: 'x', costMinor: 3333, currency: 'EUR' },
      ],
    })
  })

  it('names bad rows by index', () => {
    expect(
      parseSpendJson({
        rows: [
          { date: '2026-11-01', utmSource: 'vk', utmCampaign: 'x', cost: '1.999', currency: 'RUB' },
          5,
          { from: '2026-12-02', to: '2026-12-01', utmSource: 'vk', utmCampaign: 'x', cost: 1, currency: 'RUB' },
        ],
      }),
    ).toEqual({
      ok: false,
      issues: [
        { path: 'rows.0.cost', message: 'must be an amount like 12500 or 12500.50' },
        { path: 'rows.1', message: 'must be an object' },
        { path: 'rows.2.to', message: 'must not be before from' },
      ],
    })
    expect(parseSpendJson({ rows: [] })).toMatchObject({ ok: false, issues: [{ path: 'rows' }] })
  })
})

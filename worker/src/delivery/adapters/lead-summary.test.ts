import { describe, expect, it } from 'vitest'
import type { LeadPayload } from '../../model/lead'
import { leadSummaryLines, leadTitle } from './lead-summary'

const lead: LeadPayload = {
  id: '0b6f2f0e-9a57-4c1e-8d3e-5a2b7c9d1e4f',
  site: 'shop',
  source: 'callback',
  contact: { name: 'Анна', phone: '+79123456789' },
  createdAt: '2026-12-02T10:00:00.000Z',
  duplicate: false,
  score: 40,
  temperature: 'warm',
  reasons: [],
}

describe('CRM titles and notes', () => {
  it('say what happened and who', () => {
    expect(leadTitle(lead)).toBe('Обратный звонок: Анна')
    expect(leadSummaryLines(lead)[0]).toBe('Оценка: 40/100 (тёплая)')
  })

  it('mark a test lead in the title and first in the note, so nobody calls the made-up person', () => {
    const test: LeadPayload = { ...lead, test: true }
    expect(leadTitle(test)).toBe('[TEST] Обратный звонок: Анна')
    expect(leadSummaryLines(test)[0]).toBe('Тестовая заявка из Leadcatcher: проверка интеграции, перезванивать не нужно.')
  })
})

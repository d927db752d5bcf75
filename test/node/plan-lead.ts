// A lead as the pipeline hands it to the store, for the plan tests: a callback with the given
// contact at `at`, from an address that varies with i.
import type { LeadPayload } from '../../worker/src/model/lead'
import type { NewLead } from '../../worker/src/storage/types'

export function planLead(site: string, i: number, contact: LeadPayload['contact'], at: number): NewLead {
  return {
    payload: {
      id: crypto.randomUUID(),
      site,
      source: 'callback',
      contact,
      createdAt: new Date(at).toISOString(),
      duplicate: false,
      score: 40,
      temperature: 'warm',
      reasons: [],
    },
    status: 'accepted',
    flags: [],
    replyText: 'Спасибо!',
    ip: `198.51.100.${i % 250}`,
    userAgent: 'plan test',
    createdAt: at,
  }
}

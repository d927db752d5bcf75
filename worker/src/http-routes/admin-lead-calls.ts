// GET /v1/admin/leads/:id/calls: a lead's automatic calls for the console's timeline: each call's
// state, the managers rung and what became of each leg, and every step with its time (an event
// names its leg, so the console can tell how long each phone rang). Shape: CallsView in
// widget/console/src/lead-card/call-timeline.tsx.
import { Hono } from 'hono'
import type { AdminEnv } from '../deps'
import { findVisibleLead } from './lead-view'

export const adminLeadCallsRoute = new Hono<AdminEnv>()

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

adminLeadCallsRoute.get('/:id/calls', async (c) => {
  const { id } = await findVisibleLead(c, c.req.param('id'))
  const { deps } = c.var
  const [calls, events] = await Promise.all([deps.calls.listForLead(id), deps.calls.listEvents(id)])
  return c.json({
    calls: calls.map((call) => ({
      deliveryId: call.deliveryId,
      state: call.state,
      reason: call.reason,
      scheduledAt: iso(call.scheduledAt),
      legs: call.legs.map((leg) => ({
        id: leg.id,
        managerId: leg.managerId,
        placedAt: iso(leg.placedAt),
        managerAnsweredAt: iso(leg.managerAnsweredAt),
        endedAt: iso(leg.endedAt),
        outcome: leg.outcome,
      })),
      events: events.filter((e) => e.deliveryId === call.deliveryId).map((e) => ({ at: iso(e.at), kind: e.kind, legId: e.legId, detail: e.detail })),
    })),
  })
})

// A webhook URL with a user and password reaches the receiver as Basic credentials (fetch refuses
// such a URL outright), and no error the delivery log keeps quotes the URL's secrets.
import { describe, expect, it } from 'vitest'
import { sendWebhook } from '../../worker/src/delivery/adapters/webhook'
import { scrubUrls } from '../../worker/src/delivery/url-credentials'
import { WEBHOOK_SECRET } from './helpers'
import { adapterContext, eventOf, recordingFetch, sampleLead } from './adapter-helpers'

const TARGET = { type: 'webhook', id: 'crm', url: 'https://svc:p%40ss-w0rd@crm.example/hook?api_key=k3y-s3cr3t', secret: WEBHOOK_SECRET } as const

describe('a webhook URL with userinfo', () => {
  it('is sent without the userinfo, as an Authorization: Basic header, query kept', async () => {
    const { fetch, sent } = recordingFetch(() => new Response(null, { status: 204 }))
    const result = await sendWebhook(TARGET, eventOf(sampleLead()), adapterContext(fetch))
    expect(result).toEqual({ outcome: 'delivered', httpStatus: 204 })
    expect(sent[0]!.url).toBe('https://crm.example/hook?api_key=k3y-s3cr3t')
    expect(sent[0]!.headers.authorization).toBe(`Basic ${btoa('svc:p@ss-w0rd')}`)
  })

  it('leaves the secrets out of the error when the request fails with a message quoting the URL', async () => {
    const failing: typeof fetch = async (input) => {
      throw new TypeError(`fetch failed for ${String(input)}: connect ECONNREFUSED`)
    }
    const result = await sendWebhook({ ...TARGET, url: 'https://crm.example/hook?api_key=k3y-s3cr3t' }, eventOf(sampleLead()), adapterContext(failing))
    expect(result.outcome).toBe('retry')
    const error = result.outcome === 'retry' ? result.error : ''
    expect(error).toContain('https://crm.example/hook?api_key=•••')
    expect(error).not.toContain('k3y-s3cr3t')
  })
})

describe('scrubUrls', () => {
  it('redacts the password, query values and fragment of every URL in a text and nothing else', () => {
    expect(scrubUrls('POST https://svc:pw@a.example/x?t=1&u=2#frag failed; retry http://b.example/y')).toBe(
      'POST https://svc:•••@a.example/x?t=•••&u=•••#••• failed; retry http://b.example/y',
    )
  })
})

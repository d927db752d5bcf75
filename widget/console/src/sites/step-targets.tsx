// Wizard step 3, where leads go: one target added with the targets editor, or none.
// (Interim: a webhook's URL and secret until the targets editor lands.)
import type { FieldIssue } from '../../../../shared/api'
import { Control } from './step-site'
import { useSitesStrings } from './strings'

export interface TargetsStepProps {
  site: string
  targets: unknown[]
  /** Issues under `targets.…` and whole-config ones, paths kept whole. */
  issues: FieldIssue[]
  onChange: (targets: unknown[]) => void
}

interface WebhookFields {
  type: 'webhook'
  url: string
  secret: string
}

function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return `whsec_${btoa(String.fromCharCode(...bytes))}`
}

export function TargetsStep({ targets, issues, onChange }: TargetsStepProps) {
  const w = useSitesStrings().wizard
  const target = (targets[0] as WebhookFields | undefined) ?? null
  const at = (field: string) => {
    const found = issues.filter((i) => i.path === `targets.0.${field}` || i.path.startsWith(`targets.0.${field}.`)).map((i) => i.message)
    return found.length > 0 ? found : undefined
  }
  const set = (change: Partial<WebhookFields>) => onChange([{ type: 'webhook', url: '', secret: newSecret(), ...target, ...change }])
  return (
    <>
      <p>{w.targetsIntro}</p>
      <Control id="target-url" label="Webhook URL" errors={at('url')}>
        {(common) => <input {...common} type="url" value={target?.url ?? ''} onInput={(e) => set({ url: e.currentTarget.value })} />}
      </Control>
      <Control id="target-secret" label="Secret" errors={at('secret')}>
        {(common) => <input {...common} type="text" value={target?.secret ?? ''} onInput={(e) => set({ secret: e.currentTarget.value })} />}
      </Control>
      {!target && <p class="hint">{w.noTarget}</p>}
    </>
  )
}

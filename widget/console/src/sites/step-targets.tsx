// Wizard step 3, where leads go: one target in the Targets page's own editor (TargetForm: every
// type with its fields, a webhook to start with), or none for now. The draft is checked with the
// rest of the config (SiteConfigSchema), and its issues come here with paths inside the target.
import type { FieldIssue } from '../../../../shared/api'
import { TargetForm } from '../targets/target-form'
import { issuesOfTarget, newTargetDraft } from '../targets/target-fields'
import type { TargetDraft } from '../targets/target-fields'
import { useTargetsStrings } from '../targets/strings'
import { useWizardStrings } from './wizard-strings'

export interface TargetsStepProps {
  targets: TargetDraft[]
  /** Issues under `targets.…` and whole-config ones, paths kept whole. */
  issues: readonly FieldIssue[]
  onChange: (targets: TargetDraft[]) => void
}

/** The target a first visit to step 3 starts with: a webhook, with a fresh signing secret. */
export const firstTarget = (): TargetDraft => newTargetDraft('webhook', [])

export function TargetsStep({ targets, issues, onChange }: TargetsStepProps) {
  const w = useWizardStrings()
  const t = useTargetsStrings()
  const target = targets[0]
  const rest = issues.filter((issue) => !issue.path.startsWith('targets.'))
  return (
    <>
      <p>{w.targetsIntro}</p>
      {rest.length > 0 && (
        <ul class="field-error">
          {rest.map((issue) => (
            <li key={issue.path}>{issue.message}</li>
          ))}
        </ul>
      )}
      {target ? (
        <>
          <TargetForm value={target} issues={issuesOfTarget(issues, 0)} onChange={(next) => onChange([next])} idPrefix="new-site-target" typeEditable />
          <button type="button" class="secondary" onClick={() => onChange([])}>
            {w.skipTarget}
          </button>
        </>
      ) : (
        <>
          <p class="hint">{w.noTarget}</p>
          <button type="button" class="secondary" onClick={() => onChange([firstTarget()])}>
            {t.add}
          </button>
        </>
      )}
    </>
  )
}

// A button that copies a text (the embed tag, a new token) to the clipboard and says so; where the
// clipboard is refused it selects the text in the field it belongs to, for Ctrl+C.
import { useState } from 'preact/hooks'
import { useStrings } from './i18n'

const WORDS = {
  en: { copy: 'Copy', copied: 'Copied', failed: 'Could not copy: the text is selected, press Ctrl+C.' },
  ru: { copy: 'Копировать', copied: 'Скопировано', failed: 'Не удалось скопировать: текст выделен, нажмите Ctrl+C.' },
}

export interface CopyButtonProps {
  text: string
  /** The field showing the text, selected when the clipboard is refused. */
  fieldId: string
  /** What is copied, for screen readers ("Copy the tag"). */
  label?: string
}

export function CopyButton({ text, fieldId, label }: CopyButtonProps) {
  const w = WORDS[useStrings().locale]
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      setState('copied')
    } catch {
      const field = document.getElementById(fieldId)
      if (field instanceof HTMLTextAreaElement || field instanceof HTMLInputElement) field.select()
      setState('failed')
    }
  }
  return (
    <span class="copy">
      <button type="button" class="secondary" aria-label={label} onClick={() => void copy()}>
        {w.copy}
      </button>
      <span role="status" class="hint">
        {state === 'copied' ? w.copied : state === 'failed' ? w.failed : ''}
      </span>
    </span>
  )
}

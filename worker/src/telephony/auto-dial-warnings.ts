// What the admin API (and so the console) warns a site owner about in an auto-dial setup.
import { siteCaptcha } from '../../../shared/schemas/site-config'
import type { SiteConfig } from '../../../shared/schemas/site-config'
import { isTelephonyTarget } from '../../../shared/schemas/targets/telephony'

export interface ConfigWarning {
  code: 'autodial_without_captcha'
  path: string
  message: string
}

/** Auto-dial without a captcha is an open door for callback bombing: the caps are the only defence. */
export function autoDialWarnings(config: SiteConfig): ConfigWarning[] {
  const index = config.targets.findIndex(isTelephonyTarget)
  if (index === -1 || siteCaptcha(config)) return []
  return [
    {
      code: 'autodial_without_captcha',
      path: `targets.${index}`,
      message:
        'Auto-dial is on without a captcha: scripts that flood callback forms with other people\'s numbers ("callback bombing") are stopped only by the dial caps. Turn on captcha (Turnstile or SmartCaptcha).',
    },
  ]
}

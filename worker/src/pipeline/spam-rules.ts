// Spam rules that need no network: each returns a verdict code with a reason a person can read.
// Spam is stored (flagged) and never forwarded, and the bot gets the same 201 as anyone else.
import disposableDomains from 'disposable-email-domains'
import type { NumberType } from 'libphonenumber-js/core'
import { parse as parseHost } from 'tldts'
import type { CaptchaOutcome } from './verify-captcha'

import type { SpamFlag } from '../model/lead'

export interface SpamInput {
  hp?: string
  elapsedMs?: number
  name?: string
  email?: string
  phoneType?: NumberType
  /** 'unavailable' (the check could not run) flags nothing: an outage never costs a lead. */
  captcha?: CaptchaOutcome
}

export interface SpamOptions {
  /** Even with autofill a person needs over a second to open, check and send a form; bots post at once. */
  minFillMs?: number
}

let disposable: Set<string> | null = null
/** Built on first use: most leads have no email, and the list has over 100 000 domains. */
function isDisposableDomain(domain: string): boolean {
  disposable ??= new Set(disposableDomains)
  const labels = domain.toLowerCase().split('.')
  // Sub-domains of a listed domain count too (x.mailinator.com).
  for (let i = 0; i < labels.length - 1; i++) {
    if (disposable.has(labels.slice(i).join('.'))) return true
  }
  return false
}

const LINK_MARKUP = /(\b[a-z][a-z\d+.-]*:\/\/|\bwww\.|<a\s)/iu
/** Dot-separated words, as a host name is written; the ideographic and full-width dots count as dots, as URL parsers read them. */
const HOST_LIKE = /[\p{L}\p{N}-]+(?:[.。．｡][\p{L}\p{N}-]+)+/gu

/**
 * A link in a name: a scheme, `www.` or markup, or any word.word whose last part is a real
 * top-level domain (the Public Suffix List's ICANN section via tldts, so `evil.click` and
 * `пример.рф` count while initials such as "А.С." or "J.R.R." do not).
 */
export function linkInName(name: string): string | null {
  if (LINK_MARKUP.test(name)) return name.match(LINK_MARKUP)![0]
  for (const [token] of name.matchAll(HOST_LIKE)) {
    const host = token.replace(/[。．｡]/g, '.')
    const parsed = parseHost(host, { allowPrivateDomains: false })
    if (parsed.isIcann && parsed.domain) return host
  }
  return null
}
const LATIN = /\p{Script=Latin}/u
const CYRILLIC = /\p{Script=Cyrillic}/u
const VOWELS = /[aeiouyаеёиоуыэюяіїєґ]/iu
// Rows of the Latin and Russian keyboards: five or more neighbouring keys in a row is mashing.
const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбю']

function isKeyboardMash(word: string): boolean {
  const lower = word.toLowerCase()
  for (let i = 0; i + 5 <= lower.length; i++) {
    const chunk = lower.slice(i, i + 5)
    if (KEYBOARD_ROWS.some((row) => row.includes(chunk))) return true
  }
  return false
}

/**
 * Deliberately conservative: a false positive hides a real lead from the managers, so only strong
 * signs count (mixed alphabets inside a word, long vowel-less words, keyboard runs, one letter
 * repeated, more digits than letters). Names like "Мкртчян", "Ng" or "O'Brien" pass.
 */
export function gibberishReason(name: string): string | null {
  const letters = name.match(/\p{L}/gu)?.length ?? 0
  const digits = name.match(/\d/g)?.length ?? 0
  if (digits > 0 && digits >= letters) return 'the name is mostly digits'
  for (const word of name.split(/[\s\-'’.]+/).filter(Boolean)) {
    if (LATIN.test(word) && CYRILLIC.test(word)) return `"${word}" mixes Latin and Cyrillic letters`
    if (/(\p{L})\1{3,}/u.test(word)) return `"${word}" repeats one letter`
    if (word.length >= 6 && !VOWELS.test(word) && /^\p{L}+$/u.test(word) && (LATIN.test(word) || CYRILLIC.test(word))) {
      return `"${word}" has no vowels`
    }
    if (isKeyboardMash(word)) return `"${word}" is a run of keyboard keys`
  }
  return null
}

export function detectSpam(input: SpamInput, { minFillMs = 1500 }: SpamOptions = {}): SpamFlag[] {
  const flags: SpamFlag[] = []
  if (input.hp !== undefined && input.hp.trim() !== '') flags.push({ code: 'honeypot', detail: 'the hidden field was filled in' })
  if (input.elapsedMs !== undefined && input.elapsedMs < minFillMs) {
    flags.push({ code: 'too_fast', detail: `sent ${Math.round(input.elapsedMs)} ms after the form appeared (minimum ${minFillMs} ms)` })
  }
  if (input.email !== undefined) {
    const domain = input.email.slice(input.email.lastIndexOf('@') + 1)
    if (isDisposableDomain(domain)) flags.push({ code: 'disposable_email', detail: `${domain} is a disposable email service` })
  }
  if (input.phoneType === 'PREMIUM_RATE' || input.phoneType === 'SHARED_COST') {
    // Callback forms are abused for toll fraud: calling such a number costs the business money.
    flags.push({ code: 'premium_number', detail: `the phone number is ${input.phoneType === 'PREMIUM_RATE' ? 'premium-rate' : 'shared-cost'}` })
  }
  const captcha = input.captcha
  if (captcha && (captcha.verdict === 'failed' || captcha.verdict === 'missing')) {
    // One code for every provider, so stats and filters on it keep working; the detail names it.
    const name = captcha.provider === 'smartcaptcha' ? 'SmartCaptcha' : 'Turnstile'
    flags.push({ code: 'turnstile_failed', detail: captcha.verdict === 'missing' ? `no ${name} token was sent` : `the ${name} token was refused` })
  }
  if (input.name !== undefined) {
    if (linkInName(input.name)) flags.push({ code: 'link_in_name', detail: 'the name contains a link' })
    else {
      const reason = gibberishReason(input.name)
      if (reason) flags.push({ code: 'gibberish_name', detail: reason })
    }
  }
  return flags
}

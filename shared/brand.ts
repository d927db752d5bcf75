// The site's look in the widget: the brand settings a site owner gives, resolved into colours that
// always pass WCAG contrast. Pure; the worker resolves them for the public config, so the widget
// ships no colour maths.

/** A colour the brand settings accept: `#rrggbb`. */
export const HEX_COLOUR = /^#[0-9a-f]{6}$/i

/** WCAG 2.x AA for normal text (1.4.3). */
export const MIN_CONTRAST = 4.5

/** The widget's own colours, used where a site gives none. */
export const DEFAULT_ACCENT = '#0b57d0'
const WHITE = '#ffffff'
/** The widget's text colour; the dark text on a light accent when it passes, else black. */
const DARK = '#1b1b1f'
const BLACK = '#000000'

export const LAUNCHER_ICONS = ['phone', 'chat'] as const
export type LauncherIcon = (typeof LAUNCHER_ICONS)[number]
export const POSITIONS = ['right', 'left'] as const
export type Position = (typeof POSITIONS)[number]

/** What the site config holds (all optional: shared/schemas/widget-settings.ts BrandSchema). */
export interface BrandInput {
  accent?: string | undefined
  position?: Position | undefined
  launcher?: { text?: string | undefined; icon?: LauncherIcon | undefined } | undefined
  radius?: number | undefined
}

/** What the widget gets in the public config: every value set and safe to paint with. */
export interface PublicBrand {
  /** Background of the launcher, the buttons and the visitor's chat bubbles. */
  accent: string
  /** Text on `accent`: white, or dark when white would not reach 4.5:1. */
  onAccent: string
  /** The accent as text on white (links, quick replies, focus ring), darkened until it reaches 4.5:1. */
  ink: string
  position: Position
  /** The launcher's text; `null`: the widget's own in the visitor's language. */
  launcherText: string | null
  launcherIcon: LauncherIcon
  /** Corner radius of the panels, in px; buttons and fields follow it. */
  radius: number
}

export const DEFAULT_RADIUS = 12

function channel(hex: string, at: number): number {
  const value = Number.parseInt(hex.slice(at, at + 2), 16) / 255
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4
}

/** WCAG relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5)
}

/** WCAG contrast ratio of two `#rrggbb` colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

/**
 * The text colour for an accent background: white when it reaches 4.5:1, then the widget's dark
 * text, then black (which always does when white does not: a colour failing white has a
 * luminance above 0.18, so black reaches at least 4.67:1).
 */
export function textOn(accent: string): string {
  for (const colour of [WHITE, DARK]) if (contrastRatio(colour, accent) >= MIN_CONTRAST) return colour
  return BLACK
}

/** The accent darkened towards black in 5 % steps until it reads as text on white at 4.5:1. */
export function inkOf(accent: string): string {
  let colour = accent.toLowerCase()
  for (let keep = 1; contrastRatio(colour, WHITE) < MIN_CONTRAST && keep > 0; ) {
    keep = Math.max(0, keep - 0.05)
    colour = `#${[1, 3, 5]
      .map((at) =>
        Math.round(Number.parseInt(accent.slice(at, at + 2), 16) * keep)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')}`
  }
  return colour
}

/**
 * Fills in the defaults and makes the colours safe: the site's accent stays the background, and
 * what is drawn on it or in it is chosen to pass contrast. Never refuses a valid colour.
 *
 * @example
 * resolveBrand({ accent: '#f2b705' }) // { accent: '#f2b705', onAccent: '#1b1b1f', ink: '#7f6003', … }
 */
export function resolveBrand(brand: BrandInput | undefined): PublicBrand {
  const accent = brand?.accent && HEX_COLOUR.test(brand.accent) ? brand.accent.toLowerCase() : DEFAULT_ACCENT
  return {
    accent,
    onAccent: textOn(accent),
    ink: inkOf(accent),
    position: brand?.position === 'left' ? 'left' : 'right',
    launcherText: brand?.launcher?.text ?? null,
    launcherIcon: brand?.launcher?.icon === 'chat' ? 'chat' : 'phone',
    radius: brand?.radius ?? DEFAULT_RADIUS,
  }
}

// Tests for the brand settings: contrast maths against WCAG's own examples, and that every accent
// resolves to colours that pass.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCENT, MIN_CONTRAST, contrastRatio, inkOf, resolveBrand, textOn } from './brand'
import { WidgetSettingsSchema } from './schemas/widget-settings'

describe('contrastRatio', () => {
  it('gives WCAG’s figures: 21 for black on white, 1 for a colour on itself, ~4.54 for #767676', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#7a2e8e', '#7a2e8e')).toBe(1)
    expect(contrastRatio('#ffffff', '#767676')).toBeCloseTo(4.54, 2)
  })
})

describe('resolveBrand', () => {
  it('fills in the defaults when the site gives nothing', () => {
    expect(resolveBrand(undefined)).toEqual({
      accent: DEFAULT_ACCENT,
      onAccent: '#ffffff',
      ink: DEFAULT_ACCENT,
      position: 'right',
      launcherText: null,
      launcherIcon: 'phone',
      radius: 12,
    })
  })

  it('keeps a dark accent as it is, with white text (the teal and purple demo sites)', () => {
    for (const accent of ['#00707a', '#7a2e8e']) {
      expect(resolveBrand({ accent })).toMatchObject({ accent, onAccent: '#ffffff', ink: accent })
    }
  })

  it('puts dark text on a light accent and darkens the accent where it is text on white', () => {
    const yellow = resolveBrand({ accent: '#F2B705' })
    expect(yellow.accent).toBe('#f2b705')
    expect(yellow.onAccent).toBe('#1b1b1f')
    expect(yellow.ink).not.toBe('#f2b705')
    expect(contrastRatio(yellow.ink, '#ffffff')).toBeGreaterThanOrEqual(MIN_CONTRAST)
    // Not darker than it needs to be: one step lighter would fail.
    expect(contrastRatio(yellow.ink, '#ffffff')).toBeLessThan(MIN_CONTRAST + 1)
  })

  it('falls back to black where neither white nor the dark text reaches 4.5:1 on the accent', () => {
    // #d9480f: 4.3:1 with white, 4.0:1 with #1b1b1f.
    expect(contrastRatio('#ffffff', '#d9480f')).toBeLessThan(MIN_CONTRAST)
    expect(contrastRatio('#1b1b1f', '#d9480f')).toBeLessThan(MIN_CONTRAST)
    expect(textOn('#d9480f')).toBe('#000000')
  })

  it('passes contrast for every accent on a coarse grid of colours', () => {
    for (let r = 0; r < 256; r += 51)
      for (let g = 0; g < 256; g += 51)
        for (let b = 0; b < 256; b += 51) {
          const accent = `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`
          expect(contrastRatio(textOn(accent), accent), accent).toBeGreaterThanOrEqual(MIN_CONTRAST)
          expect(contrastRatio(inkOf(accent), '#ffffff'), accent).toBeGreaterThanOrEqual(MIN_CONTRAST)
        }
  })

  it('takes position, launcher text and icon, and radius from the settings', () => {
    expect(resolveBrand({ position: 'left', launcher: { text: 'Позвонить', icon: 'chat' }, radius: 0 })).toMatchObject({
      position: 'left',
      launcherText: 'Позвонить',
      launcherIcon: 'chat',
      radius: 0,
    })
  })
})

describe('BrandSchema in the widget settings', () => {
  it('accepts a full brand and refuses what the widget could not paint', () => {
    const brand = { accent: '#00707a', position: 'left', launcher: { text: 'Подобрать тур', icon: 'chat' }, radius: 4 }
    expect(v.parse(WidgetSettingsSchema, { brand }).brand).toEqual(brand)
    for (const bad of [
      { accent: 'teal' },
      { accent: '#0f0' },
      { accent: '#00707a; background:url(x)' },
      { position: 'top' },
      { launcher: { icon: 'star' } },
      { launcher: { text: '' } },
      { launcher: { text: 'x'.repeat(41) } },
      { radius: 25 },
      { radius: 2.5 },
      { shadow: true },
    ]) {
      const result = v.safeParse(WidgetSettingsSchema, { brand: bad })
      expect(result.success, JSON.stringify(bad)).toBe(false)
    }
    const wrong = v.safeParse(WidgetSettingsSchema, { brand: { accent: 'teal' } })
    expect(wrong.issues?.[0]?.message).toBe('must be a colour like "#0b57d0" (# and six hex digits)')
  })
})

// Which writes rewrite a site's config, so that what the console keeps of it (its managers) is read again.
import { describe, expect, it } from 'vitest'
import { siteWrittenBy } from './site'

describe('siteWrittenBy', () => {
  it('names the site of a PUT or PATCH of the site and of a version restore', () => {
    expect(siteWrittenBy('/v1/admin/sites/shop')).toBe('shop')
    expect(siteWrittenBy('/v1/admin/sites/my%20shop')).toBe('my shop')
    expect(siteWrittenBy('/v1/admin/sites/shop/versions/12/restore')).toBe('shop')
  })

  it('names none for writes that leave the config as it was', () => {
    for (const path of [
      '/v1/admin/sites/shop/tokens',
      '/v1/admin/sites/shop/tokens/t1',
      '/v1/admin/sites/shop/test-leads',
      '/v1/admin/sites/shop/spend',
      '/v1/admin/leads/x',
      '/v1/admin/sites',
    ])
      expect(siteWrittenBy(path)).toBeNull()
  })
})

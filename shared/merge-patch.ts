// JSON Merge Patch (RFC 7396): an object patch merges key by key, `null` removes a key, and
// anything else (arrays included) replaces the value whole. Shared: the admin API applies PATCH
// bodies with it, the console's Settings the draft config it previews.

/** RFC 7396 section 2, MergePatch(Target, Patch). */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key]
    else result[key] = applyMergePatch(result[key], value)
  }
  return result
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

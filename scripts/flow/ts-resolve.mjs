// Module resolve hooks: an extensionless relative import that finds nothing is retried with `.ts`.
const RELATIVE = /^\.\.?\//
const HAS_EXTENSION = /\.[cm]?[jt]sx?$|\.json$/

function retryWithTs(error, specifier) {
  return error?.code === 'ERR_MODULE_NOT_FOUND' && RELATIVE.test(specifier) && !HAS_EXTENSION.test(specifier)
}

/** For `module.registerHooks` (synchronous, Node 22.15+). */
export function resolveTs(specifier, context, nextResolve) {
  try {
    return nextResolve(specifier, context)
  } catch (error) {
    if (!retryWithTs(error, specifier)) throw error
    return nextResolve(`${specifier}.ts`, context)
  }
}

/** For `module.register` (asynchronous, older Node 22). */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context)
  } catch (error) {
    if (!retryWithTs(error, specifier)) throw error
    return nextResolve(`${specifier}.ts`, context)
  }
}

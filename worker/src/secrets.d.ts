// Secrets are set with `wrangler secret put` / `.dev.vars`, so `wrangler types` cannot see them.
declare namespace Cloudflare {
  interface Env {
    /** Bearer token for /v1/admin/*. */
    ADMIN_TOKEN: string
  }
}
interface Env {
  ADMIN_TOKEN: string
}

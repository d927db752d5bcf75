// A problem the operator must fix before the server can start: printed as one clear message, and
// the process exits non-zero. Never used for bugs (those keep their stack).
export class StartupError extends Error {
  constructor(
    readonly code: 'settings' | 'data_dir' | 'database_newer' | 'database_locked' | 'migration_failed' | 'static_missing' | 'node_too_old',
    message: string,
  ) {
    super(message)
    this.name = 'StartupError'
  }
}

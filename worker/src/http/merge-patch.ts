// Moved to shared/merge-patch.ts (the console uses it too); this re-export keeps older imports working.
export { applyMergePatch } from '../../../shared/merge-patch'

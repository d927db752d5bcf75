// The worker checks phones against the full `max` metadata: real validity and number types,
// not only lengths (the widget ships the small `min` set).
import metadata from 'libphonenumber-js/metadata.max.json'
import type { MetadataJson } from '../../../shared/phone'

export const PHONE_METADATA = metadata as unknown as MetadataJson

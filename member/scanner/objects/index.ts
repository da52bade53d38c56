/** Expanding S3 objects and local files before scanning: gzip, zip (nested), bomb limits, media by magic bytes. */
export { gzipMemberName } from './inflate.js';
export { expandObject, type ExpandedPart, type ExpandOptions, type LimitName } from './expand.js';
export { DEFAULT_EXPAND_LIMITS, DEFAULT_MAX_OBJECT_BYTES, EXPAND_LIMIT_VARIABLES, limitsFromEnv, type ExpandLimits } from './limits.js';
export { contentKind, isGzip, isZip, mediaType, type ContentKind, type MediaType } from './magic.js';

/**
 * Injected by dashboard/bundle.ts from devices/kinds.ts (esbuild `define`), so
 * the kind labels have one source and the browser bundle carries no zod.
 */
declare const __LINLI_KINDS__: Record<string, { zh: string; en: string }>;

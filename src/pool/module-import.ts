import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

/**
 * Imports a plug-in (work or algorithm) and returns its default export.
 * TypeScript files are compiled on import, so an edited work is picked up by
 * the next UpdateWork without a build step. Each pool is a fresh set of
 * threads, hence a fresh module cache: no cache-busting needed.
 */
export async function importDefault(file: string): Promise<unknown> {
  const mod = (file.endsWith('.ts') || file.endsWith('.mts')
    ? await tsImport(file, import.meta.url)
    : await import(pathToFileURL(file).href)) as { default?: unknown };
  // A .ts file outside an ESM package is compiled to CommonJS: its default export sits one level down.
  const d = mod.default as { __esModule?: boolean; default?: unknown } | undefined;
  const value = d !== null && typeof d === 'object' && d.__esModule === true ? d.default : d;
  if (value === undefined) throw new Error(`${file} has no default export`);
  return value;
}

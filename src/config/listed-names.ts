import { ProblemList } from './config-error.js';
import { readIniFile } from './ini-file.js';
import { charCode, readSection, reportUnknownSections, string, type ReadContext } from './schema.js';

const infoSchema = {
  splitChar: charCode().key('DBS_SPLIT_CHAR').default(','),
  names: string().key('DBS_NAME').default(''),
};

/** A lab_common_so-style file read up to its list: the names, and the context to read their sections with. */
export interface ListedFile {
  context: ReadContext;
  /** DBS_NAME's names in order, each once. */
  names: string[];
}

/**
 * Reads a file in lab_common_so's list layout (global_db_config.ini,
 * db_config.ini): `[<infoSection>] DBS_NAME=A,B` split at DBS_SPLIT_CHAR,
 * then one section per name. A section neither listed nor the list's own
 * is a problem; the caller reads the listed ones and throws the problems.
 */
export function readListedFile(file: string, env: NodeJS.ProcessEnv, infoSection: string): ListedFile {
  const problems = new ProblemList();
  const ini = readIniFile(file, problems);
  const context: ReadContext = { ini, env, problems };
  const info = readSection(context, infoSection, infoSchema);
  const names = listedNames(context, { section: infoSection, key: 'DBS_NAME' }, info.names ?? '', info.splitChar ?? ',');
  reportUnknownSections(context, [infoSection, ...names]);
  return { context, names };
}

/** Whether a listed name has its section; a missing one is a problem at that section. */
export function hasListedSection({ ini, problems }: ReadContext, infoSection: string, name: string): boolean {
  if (ini.sections.has(name)) return true;
  problems.add({ file: ini.file, section: name, message: `listed in [${infoSection}] DBS_NAME but the file has no such section` });
  return false;
}

/**
 * The names of a lab_common_so-style list key (`DBS_NAME=A,B`), in order,
 * empty items dropped; a name listed twice is a problem at that key.
 */
function listedNames(context: ReadContext, at: { section: string; key: string }, written: string, separator: string): string[] {
  const names: string[] = [];
  for (const name of written.split(separator).map((part) => part.trim())) {
    if (name === '') continue;
    if (names.includes(name)) {
      context.problems.add({ file: context.ini.file, ...at, message: `lists ${JSON.stringify(name)} twice` });
    } else {
      names.push(name);
    }
  }
  return names;
}

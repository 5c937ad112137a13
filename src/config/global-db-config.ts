/**
 * global_db_config.ini in lab_common_so's layout, read as it is:
 *
 *   [GLOBAL_DB_INFO]
 *   DBS_SPLIT_CHAR=44              ; separator of DBS_NAME, default comma
 *   DBS_NAME=BLACKLIST,ITEM_CATEGORY
 *
 *   [BLACKLIST]
 *   DB_ID=0                        ; lab_common_so's numbering, accepted and unused
 *   DB_TYPE=1                      ; 1 set, 2 map, 3 kv, 4 weights, 5 gbdt (rankd's), or the words
 *   DB_FILE_NAME=data/blacklist.txt
 *   KV_SPLIT_CHAR=9                ; id/value separator as a decimal code, default tab
 *   FORMAT=auto                    ; weights only (rankd): auto, text or binary
 *
 * Only the shape is checked here; the table loader reports missing or bad
 * data files when it loads them.
 */
import type { TableKind, TableSpec } from '../../globaldb/table.js';
import { hasListedSection, readListedFile } from './listed-names.js';
import { BadValue, charCode, int, oneOf, path, readSection } from './schema.js';

const INFO_SECTION = 'GLOBAL_DB_INFO';

const tableSchema = {
  id: int({ min: 0 }).key('DB_ID').optional(),
  kind: oneOf<TableKind>({
    '1': 'set', '2': 'map', '3': 'kv', '4': 'weights', '5': 'gbdt',
    set: 'set', map: 'map', kv: 'kv', weights: 'weights', gbdt: 'gbdt',
  }).key('DB_TYPE'),
  file: path().key('DB_FILE_NAME'),
  // Ids are decimal digits and lines end at CR/LF, so those cannot separate id from value;
  // the loader also refuses '#' (it starts comment lines) and reads the separator as one byte.
  separator: charCode('0123456789#\r\n').key('KV_SPLIT_CHAR').map(asciiOnly).default('\t'),
  format: oneOf(['auto', 'text', 'binary']).key('FORMAT').optional(),
};

function asciiOnly(char: string): string {
  if (char.codePointAt(0)! > 127) throw new BadValue('is not an ASCII character code (1-127): the table loader reads the separator as one byte');
  return char;
}

/** Reads global_db_config.ini into the tables it declares, in DBS_NAME order; throws ConfigError. */
export function readGlobalDbConfig(file: string, env: NodeJS.ProcessEnv = process.env): TableSpec[] {
  const { context, names } = readListedFile(file, env, INFO_SECTION);
  const { ini, problems } = context;

  const tables: TableSpec[] = [];
  for (const name of names) {
    if (!hasListedSection(context, INFO_SECTION, name)) continue;
    const table = readSection(context, name, tableSchema);
    // Without a valid DB_TYPE that is already reported; FORMAT cannot be judged against it.
    if (table.format !== undefined && table.kind !== undefined && table.kind !== 'weights') {
      problems.add({ file: ini.file, section: name, key: 'FORMAT', message: `applies only to DB_TYPE weights (this table is a ${table.kind})` });
    }
    tables.push({ name, kind: table.kind, file: table.file, separator: table.separator, format: table.format ?? 'auto' });
  }
  problems.throwIfAny();
  return tables;
}

/** Keys of one db_config.ini source section, written as they are. */
export type SourceKeys = Record<string, string | number | boolean>;

/** The text of a db_config.ini listing `sources` in [DB_INFO] DBS_NAME, one section each. */
export function dbConfigIni(sources: Record<string, SourceKeys>): string {
  const sections = Object.entries(sources).map(([name, keys]) =>
    [`[${name}]`, ...Object.entries(keys).map(([key, value]) => `${key} = ${value}`)].join('\n'),
  );
  return `[DB_INFO]\nDBS_NAME = ${Object.keys(sources).join(', ')}\n\n${sections.join('\n\n')}\n`;
}

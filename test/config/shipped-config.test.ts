import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sampleData } from '../../config/data/make-sample-data.js';
import { loadConfig } from '../../src/config/load-config.js';

const CONFIG_DIR = fileURLToPath(new URL('../../config', import.meta.url));

function linesOf(file: string): string[] {
  return readFileSync(file, 'utf8').trimEnd().split('\n');
}

describe('the shipped config/ folder', () => {
  const config = loadConfig(CONFIG_DIR, { env: {} });

  it('loads with the documented defaults', () => {
    expect(config.server).toMatchObject({ host: '0.0.0.0', queryPort: 21345, controlHost: '127.0.0.1', controlPort: 21346 });
    expect(config.server.controlToken).toBeUndefined();
    expect(config.globaldb.config).toBe(`${CONFIG_DIR}/global_db_config.ini`);
    expect(config.works.config).toBe(`${CONFIG_DIR}/work_config.ini`);
  });

  it('declares sample tables whose data files exist', () => {
    const byName = new Map(config.globaldb.tables.map((table) => [table.name, table]));
    expect(byName.get('blacklist')).toMatchObject({ kind: 'set', file: `${CONFIG_DIR}/data/blacklist.txt` });
    expect(byName.get('whitelist')).toMatchObject({ kind: 'set', file: `${CONFIG_DIR}/data/whitelist.txt` });
    expect(byName.get('item_category')).toMatchObject({ kind: 'map', separator: '\t' });
    expect(byName.get('item_info')).toMatchObject({ kind: 'kv', separator: '\t' });
    for (const table of config.globaldb.tables) expect(existsSync(table.file), table.file).toBe(true);
  });

  it('ships exactly what make-sample-data.ts generates', () => {
    for (const [name, contents] of sampleData()) {
      expect(readFileSync(`${CONFIG_DIR}/data/${name}`, 'utf8'), name).toBe(contents);
    }
  });

  it('has sample data in the formats the tables declare, with full 64-bit ids', () => {
    const id = /^\d+$/;
    const blacklist = linesOf(`${CONFIG_DIR}/data/blacklist.txt`);
    expect(blacklist.length).toBeGreaterThan(200);
    expect(blacklist.every((line) => id.test(line))).toBe(true);
    expect(new Set(blacklist).size).toBe(blacklist.length);
    expect(blacklist).toContain('18446744073709551615');
    expect(blacklist.filter((line) => BigInt(line) > 2n ** 53n).length).toBeGreaterThan(10);

    const categories = linesOf(`${CONFIG_DIR}/data/item_category.txt`).map((line) => line.split('\t'));
    expect(categories).toHaveLength(2000);
    for (const [item, category] of categories) {
      expect(item).toMatch(id);
      expect(Number(category)).toBeGreaterThanOrEqual(1);
    }

    const info = linesOf(`${CONFIG_DIR}/data/item_info.txt`).map((line) => line.split('\t'));
    expect(info.map(([item]) => item)).toEqual(categories.map(([item]) => item));
    for (const [, json] of info) expect(JSON.parse(json!)).toHaveProperty('title');

    expect(linesOf(`${CONFIG_DIR}/data/whitelist.txt`).every((line) => id.test(line))).toBe(true);
  });
});

import type { SwapInterval } from './swap-log.js';
import type { SecondRow } from './soak-series.js';

const WIDTH = 960;
const PANEL_HEIGHT = 220;
const MARGIN = { left: 64, right: 150, top: 40, gap: 50, bottom: 40 };

interface Line {
  label: string;
  color: string;
  values: number[];
}

/**
 * A hand-written SVG of a soak run: memory (RSS, current tables, the main
 * thread's ArrayBuffers and external memory) on
 * top, p99 per second below, over time; UpdateGlobal spans shaded grey,
 * UpdateWork spans violet.
 */
export function soakChart(title: string, rows: readonly SecondRow[], swaps: readonly SwapInterval[]): string {
  const seconds = rows.map((r) => r.t);
  const span = Math.max(1, ...seconds);
  const height = MARGIN.top + 2 * PANEL_HEIGHT + MARGIN.gap + MARGIN.bottom;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`,
  ];
  const panels: { top: number; unit: string; lines: Line[] }[] = [
    {
      top: MARGIN.top,
      unit: 'MiB',
      lines: [
        { label: 'RSS', color: '#1f77b4', values: rows.map((r) => r.rssMb) },
        { label: 'tables', color: '#2ca02c', values: rows.map((r) => r.tablesMb) },
        { label: 'ArrayBuffers', color: '#ff7f0e', values: rows.map((r) => r.arrayBuffersMb) },
        { label: 'external', color: '#7f7f7f', values: rows.map((r) => r.externalMb) },
      ],
    },
    { top: MARGIN.top + PANEL_HEIGHT + MARGIN.gap, unit: 'p99 ms', lines: [{ label: 'p99 per second', color: '#d62728', values: rows.map((r) => r.p99Ms) }] },
  ];
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const x = (t: number) => MARGIN.left + (t / span) * plotWidth;
  for (const panel of panels) {
    const finite = panel.lines.flatMap((l) => l.values.filter(Number.isFinite));
    const top = niceCeiling(Math.max(1, ...finite));
    const y = (v: number) => panel.top + PANEL_HEIGHT - (v / top) * PANEL_HEIGHT;
    for (const s of swaps) {
      const end = s.end ?? span * 1000;
      const color = s.kind === 'UpdateWork' ? '#c5b0d5' : '#e8e8e8';
      out.push(`<rect x="${x(s.start / 1000).toFixed(1)}" y="${panel.top}" width="${Math.max(0.5, x(end / 1000) - x(s.start / 1000)).toFixed(1)}" height="${PANEL_HEIGHT}" fill="${color}"/>`);
    }
    for (let i = 0; i <= 4; i++) {
      const v = (top * i) / 4;
      out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(v)}" y2="${y(v)}" stroke="#ccc" stroke-width="0.5"/>`);
      out.push(`<text x="${MARGIN.left - 6}" y="${y(v) + 4}" text-anchor="end">${formatNumber(v)}</text>`);
    }
    out.push(`<text x="14" y="${panel.top + PANEL_HEIGHT / 2}" transform="rotate(-90 14 ${panel.top + PANEL_HEIGHT / 2})" text-anchor="middle">${panel.unit}</text>`);
    out.push(`<rect x="${MARGIN.left}" y="${panel.top}" width="${plotWidth}" height="${PANEL_HEIGHT}" fill="none" stroke="#333"/>`);
    panel.lines.forEach((line, i) => {
      out.push(`<path d="${pathData(seconds, line.values, x, y)}" fill="none" stroke="${line.color}" stroke-width="1.5"/>`);
      const ly = panel.top + 14 + 18 * i;
      out.push(`<line x1="${WIDTH - MARGIN.right + 12}" x2="${WIDTH - MARGIN.right + 32}" y1="${ly - 4}" y2="${ly - 4}" stroke="${line.color}" stroke-width="3"/>`);
      out.push(`<text x="${WIDTH - MARGIN.right + 38}" y="${ly}">${escape(line.label)}</text>`);
    });
  }
  const legendY = MARGIN.top + PANEL_HEIGHT + MARGIN.gap + 14 + 18 * 2;
  out.push(`<rect x="${WIDTH - MARGIN.right + 12}" y="${legendY - 10}" width="20" height="10" fill="#e8e8e8"/><text x="${WIDTH - MARGIN.right + 38}" y="${legendY}">UpdateGlobal</text>`);
  out.push(`<rect x="${WIDTH - MARGIN.right + 12}" y="${legendY + 8}" width="20" height="10" fill="#c5b0d5"/><text x="${WIDTH - MARGIN.right + 38}" y="${legendY + 18}">UpdateWork</text>`);
  const axisY = MARGIN.top + 2 * PANEL_HEIGHT + MARGIN.gap;
  const step = niceCeiling(span / 8);
  for (let t = 0; t <= span; t += step) {
    out.push(`<text x="${x(t)}" y="${axisY + 16}" text-anchor="middle">${t}</text>`);
  }
  out.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${axisY + 34}" text-anchor="middle">seconds</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** An SVG path through the finite points; a gap (NaN) starts a new segment. */
function pathData(xs: readonly number[], ys: readonly number[], x: (t: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = 'M';
  for (let i = 0; i < xs.length; i++) {
    const v = ys[i]!;
    if (!Number.isFinite(v)) {
      pen = 'M';
      continue;
    }
    d += `${pen}${x(xs[i]!).toFixed(1)},${y(v).toFixed(1)}`;
    pen = 'L';
  }
  return d;
}

/** The smallest of 1, 2, 2.5 or 5 × 10^k at or above `v`. */
function niceCeiling(v: number): number {
  const power = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((n) => n >= v)!;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

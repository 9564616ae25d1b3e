import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BenchReport } from './markdown.report.ts';

/**
 * The run as one SVG (vega-lite, rendered headless by vega: no browser, no native canvas): throughput per scenario,
 * and latency p50 / p95 / p99 per scenario, both on log scales (the scenarios span hashes/s to events/s and
 * milliseconds to seconds). Rows of the first pass and the drain, as in the Markdown table.
 */
export async function renderChart(report: BenchReport): Promise<string> {
  const rows = [...(report.passes[0] ?? []), ...(report.drain ? [report.drain] : [])];
  const throughput = rows.filter((r) => r.throughput > 0).map((r) => ({ scenario: r.name, value: r.throughput, unit: r.unit }));
  const latency = rows.flatMap((r) =>
    (['p50', 'p95', 'p99'] as const).flatMap((percentile) => (Number.isFinite(r.latencyMs[percentile]) && r.latencyMs[percentile] > 0 ? [{ scenario: r.name, percentile, ms: r.latencyMs[percentile] }] : [])),
  );
  const order = rows.map((r) => r.name);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `pnpm bench, ${report.mode} run ${report.startedAt}`, subtitle: `${report.machine.cores} cores, ${report.machine.cpuModel}, load average ${report.load.during.min.toFixed(1)}–${report.load.during.max.toFixed(1)} during the run` },
    vconcat: [
      {
        title: 'Throughput (log scale)',
        data: { values: throughput },
        width: 560,
        encoding: {
          y: { field: 'scenario', type: 'nominal', sort: order, title: null, axis: { labelLimit: 600 } },
          x: { field: 'value', type: 'quantitative', scale: { type: 'log', domainMin: 1 }, title: 'per second (unit in the table)' },
        },
        // A bar on a log scale needs a base above zero: each starts at 1/s. The value is written at its end.
        layer: [
          { mark: { type: 'bar', tooltip: true }, encoding: { x2: { datum: 1 } } },
          { mark: { type: 'text', align: 'left', dx: 3 }, encoding: { text: { field: 'value', type: 'quantitative', format: ',.1f' } } },
        ],
      },
      {
        title: 'Latency percentiles, ms (log scale)',
        data: { values: latency },
        mark: { type: 'point', filled: true, size: 60, tooltip: true },
        width: 560,
        encoding: {
          y: { field: 'scenario', type: 'nominal', sort: order, title: null, axis: { labelLimit: 600 } },
          x: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'ms' },
          color: { field: 'percentile', type: 'nominal', sort: ['p50', 'p95', 'p99'] },
        },
      },
    ],
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

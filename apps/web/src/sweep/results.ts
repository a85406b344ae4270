/**
 * From per-point metric blocks to `rows.csv` and `aggregates.csv`, byte-for-byte as `mechlab sweep`
 * writes them: rows point-major and replicate-minor, aggregates accumulated in that same canonical order
 * (so even floating-point sums match) and written by `@mechlab/sweep/spec`'s own row and line builders.
 */
import { RunningStats } from '@mechlab/core';
import {
  aggregateColumns,
  aggregateLine,
  coordFields,
  formatNumber,
  pointAggregates,
  rowColumns,
  type AggregateRow,
  type SweepPlan,
} from '@mechlab/sweep/spec';

export type { AggregateRow } from '@mechlab/sweep/spec';

export interface SweepFiles {
  readonly rowsCsv: string;
  readonly aggregatesCsv: string;
  readonly aggregates: AggregateRow[];
}

/**
 * `values[point]` holds the point's metrics row-major, `replicates × metrics`.
 * O(total rows).
 */
export function sweepFiles(plan: SweepPlan, values: readonly Float64Array[]): SweepFiles {
  const m = plan.metrics.length;
  const rows: string[] = [rowColumns(plan).join(',') + '\n'];
  const aggregates: AggregateRow[] = [];
  for (const point of plan.points) {
    const coordText = coordFields(plan.axes, point.coords);
    const stats = plan.metrics.map(() => new RunningStats());
    const block = values[point.index]!;
    for (let r = 0; r < plan.spec.replicates; r++) {
      let line = `${point.index},${r}${coordText === '' ? '' : ',' + coordText}`;
      for (let k = 0; k < m; k++) {
        const v = block[r * m + k]!;
        // The CLI parses its journal text back (String round-trips doubles exactly).
        if (!Number.isNaN(v)) stats[k]!.push(v);
        line += ',' + formatNumber(v);
      }
      rows.push(line + '\n');
    }
    aggregates.push(...pointAggregates(plan, point, stats));
  }
  const aggregatesCsv =
    aggregateColumns(plan).join(',') + '\n' + aggregates.map((a) => aggregateLine(plan.axes, a)).join('');
  return { rowsCsv: rows.join(''), aggregatesCsv, aggregates };
}

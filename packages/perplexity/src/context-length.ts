/** The model's context length, read from `config.json` or the graph. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenedModel } from './session';

/**
 * The model's context length: `config.json` beside the model (`n_positions`, `max_position_embeddings`,
 * `n_ctx` — GPT-2, BERT-style and older names), else the rows of a position-embedding initializer.
 * Complexity: O(config size).
 */
export function readContextLength(
  dir: string,
  model: OpenedModel,
): { positions: number; source: string } | undefined {
  const path = join(dir, 'config.json');
  if (existsSync(path)) {
    try {
      const cfg = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      for (const key of ['n_positions', 'max_position_embeddings', 'n_ctx']) {
        const v = cfg[key];
        if (typeof v === 'number' && Number.isInteger(v) && v > 0)
          return { positions: v, source: `config.json ${key}` };
      }
    } catch {
      // An unreadable config.json is not required: fall through to the graph.
    }
  }
  const rows = model.facts?.positionRows;
  return rows === undefined ? undefined : { positions: rows.rows, source: `initializer ${rows.name}` };
}

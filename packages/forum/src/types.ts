/** Data types shared by the loader, the synthetic generator and the simulation (MODELS.md §2). */

/**
 * One question, as parsed from a Stack Exchange `Posts.xml` row with `PostTypeId="1"` or produced by
 * `syntheticCorpus`. Both sources fill exactly these fields.
 */
export interface Question {
  /** `Id` attribute: unique within its community (not across communities). */
  id: number;
  /** Community name (for dumps: the folder holding `Posts.xml`, e.g. `askubuntu.com`). */
  community: string;
  /** `CreationDate` in milliseconds since the Unix epoch; dump dates carry no zone and are UTC. */
  creationDate: number;
  /** `ViewCount` at dump time, an integer ≥ 0. */
  viewCount: number;
  /** `Title`, XML entities decoded. */
  title: string;
  /** `Body` as plain text: XML entities decoded, HTML tags stripped, HTML entities decoded, spaces collapsed. */
  body: string;
  /** `Tags`, split (`<a><b>` and `|a|b|` dump styles both accepted). */
  tags: string[];
}

/** Per-file loader report: every row the loader did not turn into a question is counted here. */
export interface LoadStats {
  /** The file read. */
  file: string;
  /** The community its questions were assigned to. */
  community: string;
  /** Physical lines read. */
  lines: number;
  /** `<row …/>` elements seen (well-formed or not). */
  rows: number;
  /** Questions emitted. */
  questions: number;
  /** Well-formed rows that are not questions (answers, wiki posts, …): skipped by design, not errors. */
  nonQuestions: number;
  /** Questions outside the requested date range (`from`/`to`), dropped by design. */
  outOfRange: number;
  /** Malformed rows: bad XML or a question missing/with an invalid required attribute. */
  skipped: number;
  /** `skipped` broken down by reason (`bad-xml`, `missing Id`, `invalid ViewCount`, …). */
  skipReasons: Record<string, number>;
  /** The first few skipped rows: 1-based line number and reason. */
  examples: { line: number; reason: string }[];
}

/** Node-side CSV I/O of the sweep output files: a buffered atomic writer (via @mechlab/io), a journal range reader. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openAtomicWriter, type AtomicWriter } from '@mechlab/io';
import type { JournalEntry } from './journal';

/**
 * Buffered sequential writer of one result file through @mechlab/io's atomic writer (temp file beside
 * the target, no symlinks, renamed into place by `close`; `abort` removes the temp file). Buffers 1 MiB
 * of text per `write(2)`. Not fsynced, like the manifest: a sweep's outputs are rebuilt from the journal.
 */
export class CsvWriter {
  private buf = '';
  private readonly out: AtomicWriter;
  constructor(readonly file: string) {
    this.out = openAtomicWriter(path.dirname(file), path.basename(file), { flag: 'out', durable: false });
  }
  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.buf.length > 0) this.out.write(this.buf);
    this.buf = '';
  }
  close(): void {
    this.flush();
    this.out.close();
  }
  /** Drop what was written; the target is untouched. */
  abort(): void {
    this.buf = '';
    this.out.abort();
  }
}

/** Reads byte ranges from journal files, keeping one descriptor per file. */
export class RangeReader {
  private fds = new Map<string, number>();
  read(e: JournalEntry): string {
    let fd = this.fds.get(e.file);
    if (fd === undefined) {
      fd = fs.openSync(e.file, 'r');
      this.fds.set(e.file, fd);
    }
    const buf = Buffer.allocUnsafe(e.end - e.start);
    let off = 0;
    while (off < buf.length) {
      const n = fs.readSync(fd, buf, off, buf.length - off, e.start + off);
      if (n === 0) break;
      off += n;
    }
    return buf.toString('latin1', 0, off);
  }
  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}

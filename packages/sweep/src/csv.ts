/** Node-side CSV I/O of the sweep output files: a buffered atomic writer, a journal range reader. */
import * as fs from 'node:fs';
import type { JournalEntry } from './journal';

/** Buffered sequential writer to a temp file, renamed into place by `close`. */
export class CsvWriter {
  private fd: number;
  private buf = '';
  private readonly tmp: string;
  constructor(readonly file: string) {
    this.tmp = `${file}.tmp-${process.pid}`;
    fs.rmSync(this.tmp, { force: true }); // a leftover of ours, or a planted link: removed, not followed
    this.fd = fs.openSync(this.tmp, 'wx');
  }
  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.buf.length > 0) fs.writeSync(this.fd, this.buf);
    this.buf = '';
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
    fs.renameSync(this.tmp, this.file);
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

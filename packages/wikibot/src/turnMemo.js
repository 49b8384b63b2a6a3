/**
 * A value read at most once per turn of the event loop, for checks made before every request whose
 * read costs more than the rest of them (a `stat`, an SQLite statement taking the WAL's file locks).
 * The requests served in one turn share it; it is dropped in the turn's check phase (setImmediate), so
 * a change made by another process is seen by the requests of the next turn. (A value first read in a
 * check phase itself lives one turn longer: setImmediate callbacks queued there run a turn later.)
 * `set` and `forget` are for this process's own changes and exact reads, which must be seen at once.
 */
export class TurnMemo {
  read;
  kept;
  drop = () => {
    this.kept = undefined;
  };
  constructor(read) {
    this.read = read;
  }
  get() {
    return (this.kept ?? this.set(this.read())).value;
  }
  /** What was just read exactly (or written) replaces what this turn read. */
  set(value) {
    if (this.kept === undefined) setImmediate(this.drop);
    this.kept = { value };
    return this.kept;
  }
  forget() {
    this.kept = undefined;
  }
}

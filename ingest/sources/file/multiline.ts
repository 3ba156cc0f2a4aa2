/**
 * Multiline assembly: joins the lines of one logical event (a stack trace, a wrapped message)
 * before it becomes a record. Either a `start` pattern (a matching line begins an event, others
 * join it) or a `continuation` pattern (a matching line joins the event before it). An event that
 * is still open when no line arrives for `timeoutMs` is emitted as it is. Its offset is its first
 * line's; its end is its last line's, so checkpoints never split an event: after a restart or a
 * rotation the event is read again from its first line and assembled whole.
 */
import type { Line } from './lines.ts';

export interface MultilineRule {
  start?: RegExp;
  continuation?: RegExp;
  maxLines: number;
  maxBytes: number;
  timeoutMs: number;
}

/** Built-in rules for common stack traces, as continuation patterns. */
export const multilinePresets = {
  // `\tat com.example.Foo.bar(Foo.java:10)`, `\t... 5 more`, `Caused by: ...`, and the exception line after a log line.
  java: /^(?:[ \t]+(?:at |\.\.\. \d+ (?:more|common frames omitted))|[ \t]*Caused by: |[ \t]+Suppressed: |[a-zA-Z_$][\w$]*(?:\.[a-zA-Z_$][\w$]*)+(?:Exception|Error|Throwable)(?::|$))/,
  // `Traceback (most recent call last):`, indented frames and source lines, the final `ValueError: ...`, chained-exception notes.
  python:
    /^(?:Traceback \(most recent call last\):|[ \t]+\S|[A-Za-z_][\w.]*(?:Error|Exception|Warning|Exit|Interrupt)(?::|$)|During handling of the above exception|The above exception was the direct cause|$)/,
} as const satisfies Record<string, RegExp>;

export type MultilinePreset = keyof typeof multilinePresets;

export class MultilineAssembler {
  readonly #rule: MultilineRule;
  #lines: string[] = [];
  #bytes = 0;
  #start = 0;
  #end = 0;
  #truncated = false;
  #openedAt = 0;
  #lastLineAt = 0;

  constructor(rule: MultilineRule) {
    this.#rule = rule;
  }

  get pending(): boolean {
    return this.#lines.length > 0;
  }

  /** Offset of the open event's first line (where a restart must read from), if one is open. */
  get pendingStart(): number | undefined {
    return this.pending ? this.#start : undefined;
  }

  /** Adds a line; returns the event it completed, if any. */
  push(line: Line, now: number): Line | undefined {
    const joins = this.pending && this.#joins(line.text);
    let completed: Line | undefined;
    if (this.pending && !joins) completed = this.flush();
    if (!this.pending) {
      this.#start = line.start;
      this.#openedAt = now;
    }
    this.#append(line);
    this.#lastLineAt = now;
    return completed;
  }

  /** The open event if no line came for the timeout. */
  due(now: number): Line | undefined {
    return this.pending && now - this.#lastLineAt >= this.#rule.timeoutMs ? this.flush() : undefined;
  }

  /** Milliseconds until the open event times out, or undefined. */
  msUntilDue(now: number): number | undefined {
    return this.pending ? Math.max(0, this.#lastLineAt + this.#rule.timeoutMs - now) : undefined;
  }

  /** Emits the open event now. */
  flush(): Line | undefined {
    if (!this.pending) return undefined;
    const event: Line = { text: this.#lines.join('\n'), start: this.#start, end: this.#end, truncated: this.#truncated };
    this.#lines = [];
    this.#bytes = 0;
    this.#truncated = false;
    return event;
  }

  /** How long the open event has been open, for diagnostics. */
  openFor(now: number): number {
    return this.pending ? now - this.#openedAt : 0;
  }

  #joins(text: string): boolean {
    if (this.#rule.start) return !this.#rule.start.test(text);
    if (this.#rule.continuation) return this.#rule.continuation.test(text);
    return false;
  }

  #append(line: Line): void {
    this.#end = line.end;
    if (line.truncated) this.#truncated = true;
    if (this.#lines.length >= this.#rule.maxLines || this.#bytes >= this.#rule.maxBytes) {
      this.#truncated = true;
      return;
    }
    const room = this.#rule.maxBytes - this.#bytes;
    const text = line.text.length > room ? line.text.slice(0, room) : line.text;
    if (text.length < line.text.length) this.#truncated = true;
    this.#lines.push(text);
    this.#bytes += text.length + 1;
  }
}

/** Checks of request parameters shared by the read operations; each failure names the parameter and what it accepts. */
import { FaultlineError } from '../../core/errors.ts';
import type { TimeRange } from '../contract.ts';

export function checkRange(range: TimeRange): void {
  if (!Number.isFinite(range?.from) || !Number.isFinite(range?.to)) {
    throw new FaultlineError('FL_ERR_QUERY_INVALID', 'the time range needs finite `from` and `to` in epoch milliseconds', {});
  }
}

/** An integer parameter within [min, max]. */
export function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new FaultlineError('FL_ERR_QUERY_INVALID', `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`, { [name]: value });
  }
}

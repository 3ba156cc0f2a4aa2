/** `drop`: removes the event deliberately (counted as dropped); use it with `if`. */
import { z } from 'zod';
import { defineProcessor, DROP } from '../engine/contract.ts';

export const drop = defineProcessor({
  description: 'Drops the event (counted as dropped, never stored); combine with if.',
  schema: z.strictObject({}),
  compile() {
    return () => DROP;
  },
});

/** `pipeline`: runs another pipeline by id (checked at load, cycles refused). */
import { z } from 'zod';
import { defineProcessor } from '../engine/contract.ts';

export const pipeline = defineProcessor({
  description: 'Runs the pipeline with id name on the event; its failures and drops count as this processor\'s.',
  schema: z.strictObject({ name: z.string().min(1) }),
  compile(options, context) {
    const handle = context.pipeline(options.name);
    // The depth only matters to a tracer: untraced runs pass their state on as it is.
    return (event, state) => handle.execute(event, state.tracer === undefined ? state : { tracer: state.tracer, depth: state.depth + 1, timed: state.timed });
  },
});

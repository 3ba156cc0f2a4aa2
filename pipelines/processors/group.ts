/**
 * `group`: runs a list of processors as one, usually under one `if`, as Logstash's conditional
 * blocks do: a pipeline's sshd, su and cron parts each cost one condition for the events they do
 * not concern, instead of one per processor. A failure inside that is not ignored stops the
 * group and fails it (its own ignore_failure and on_failure then apply).
 */
import { z } from 'zod';
import { defineProcessor } from '../engine/contract.ts';

export const group = defineProcessor({
  description: 'Runs the listed processors in order as one processor, typically under one if; a failure inside stops the group and is the group\'s failure.',
  schema: z.strictObject({ processors: z.array(z.unknown()).min(1) }),
  compile(options, context) {
    // The nested list's own function, not a closure around it: a closure made here would be one
    // function for every group, and its call to the list one megamorphic call site.
    return context.steps(options.processors, ['processors']).execute;
  },
});

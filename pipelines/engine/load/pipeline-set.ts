/** The loaded pipelines by id, with the error that lists the valid ids for an unknown one. */
import { FaultlineError } from '../../../core/errors.ts';
import type { Pipeline, PipelineMetrics } from '../pipeline.ts';

export class PipelineSet {
  private readonly byId: ReadonlyMap<string, Pipeline>;

  constructor(pipelines: ReadonlyMap<string, Pipeline>) {
    this.byId = pipelines;
  }

  /** The pipeline with this id; FL_ERR_NOT_FOUND naming the valid ids otherwise. */
  get(id: string): Pipeline {
    const pipeline = this.byId.get(id);
    if (pipeline === undefined) {
      const valid = this.ids();
      throw new FaultlineError('FL_ERR_NOT_FOUND', `unknown pipeline '${id}'; valid: ${valid.join(', ') || '(none loaded)'}`, { pipeline: id, valid });
    }
    return pipeline;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  ids(): string[] {
    return [...this.byId.keys()].sort();
  }

  list(): Pipeline[] {
    return this.ids().map((id) => this.get(id));
  }

  metrics(): PipelineMetrics[] {
    return this.list().map((pipeline) => pipeline.metrics());
  }
}

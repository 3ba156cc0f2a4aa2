/**
 * Compiles a pipeline document (already parsed YAML) into a Pipeline: validates the pipeline keys
 * and every processor's options with its zod schema (common options added), compiles conditions
 * and processors, and records `pipeline` references for linking. Problems are collected, not
 * thrown one by one, so a file with three mistakes shows all three.
 */
import { z } from 'zod';
import { describeError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/event/types.ts';
import { OptionError, type CompileContext, type Outcome, type PipelineHandle, type ProcessorDefinition, type RunState } from './contract.ts';
import { compileSteps, type Step } from './execute.ts';
import { compileCondition } from './expression/compile.ts';
import { ExpressionError } from './expression/parser.ts';
import type { Problems} from './load/problems.ts';
import { describe, suggest } from './load/problems.ts';
import { formatPath, type KeyPath, type YamlSource } from './load/pipeline-source.ts';
import { Pipeline } from './pipeline.ts';

export type Registry = Readonly<Record<string, ProcessorDefinition>>;

export const PIPELINE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const pipelineSchema = z.strictObject({
  id: z.string().regex(PIPELINE_ID, 'a pipeline id is letters, digits, dots, dashes and underscores'),
  description: z.string().optional(),
  keep_original: z.boolean().optional(),
  processors: z.array(z.unknown()),
  on_failure: z.array(z.unknown()).min(1).optional(),
});
const pipelineKeys = Object.keys(pipelineSchema.shape);

/** Options every processor accepts besides its own. */
export const commonOptions = {
  if: z.string().optional(),
  ignore_failure: z.boolean().optional(),
  on_failure: z.array(z.unknown()).min(1).optional(),
  tag: z.string().optional(),
  description: z.string().optional(),
};

export interface CompileOptions {
  readonly registry: Registry;
  readonly now: () => number;
  readonly maxInputLength: number;
  readonly timingSampleRate: number;
}

/** A `pipeline` processor's reference to another pipeline, resolved by the loader. */
export interface PipelineReference {
  readonly id: string;
  readonly from: string;
  readonly source: YamlSource;
  readonly path: KeyPath;
  readonly handle: LinkedHandle;
}

export class LinkedHandle implements PipelineHandle {
  readonly id: string;
  target: PipelineHandle | undefined;

  constructor(id: string) {
    this.id = id;
  }

  execute(event: JsonObject, state: RunState): Outcome {
    if (this.target === undefined) return `pipeline '${this.id}' is not linked`;
    return this.target.execute(event, state);
  }
}

export interface CompiledDocument {
  readonly pipeline: Pipeline | undefined;
  readonly references: readonly PipelineReference[];
}

const fullSchemas = new WeakMap<ProcessorDefinition, z.ZodObject>();

function fullSchema(definition: ProcessorDefinition): z.ZodObject {
  let schema = fullSchemas.get(definition);
  if (schema === undefined) {
    schema = definition.schema.extend(commonOptions);
    fullSchemas.set(definition, schema);
  }
  return schema;
}

/** Compiles one pipeline document; problems go to `problems` (the pipeline is then undefined). */
export function compileDocument(source: YamlSource, options: CompileOptions, problems: Problems): CompiledDocument {
  const before = problems.list.length;
  const parsed = pipelineSchema.safeParse(source.data);
  if (!parsed.success) {
    if (source.data === null || typeof source.data !== 'object' || Array.isArray(source.data)) {
      problems.add(source, [], `a pipeline is a mapping with id, processors and optionally description, keep_original, on_failure; got ${describe(source.data)}`);
    } else {
      problems.addZod(source, [], parsed.error, pipelineKeys, source.data);
    }
    return { pipeline: undefined, references: [] };
  }
  const document = parsed.data;
  const references: PipelineReference[] = [];
  const compiler = new ListCompiler(source, options, problems, document.id, references);
  const steps = compiler.compile(document.processors, ['processors']);
  const onFailure = document.on_failure === undefined ? undefined : compiler.compile(document.on_failure, ['on_failure']);
  if (problems.list.length > before) return { pipeline: undefined, references: [] };
  const pipeline = new Pipeline({
    id: document.id,
    description: document.description,
    file: source.file,
    keepOriginal: document.keep_original ?? false,
    steps,
    onFailure,
    timingSampleRate: options.timingSampleRate,
  });
  return { pipeline, references };
}

class ListCompiler {
  private readonly source: YamlSource;
  private readonly options: CompileOptions;
  private readonly problems: Problems;
  private readonly pipelineId: string;
  private readonly references: PipelineReference[];
  private currentPath: KeyPath = [];
  private readonly context: CompileContext;
  /** The nested steps of each processor being compiled, innermost last (groups inside groups). */
  private readonly nested: Step[][] = [];

  constructor(source: YamlSource, options: CompileOptions, problems: Problems, pipelineId: string, references: PipelineReference[]) {
    this.source = source;
    this.options = options;
    this.problems = problems;
    this.pipelineId = pipelineId;
    this.references = references;
    this.context = {
      now: options.now,
      maxInputLength: options.maxInputLength,
      pipeline: (id) => {
        const handle = new LinkedHandle(id);
        references.push({ id, from: pipelineId, source, path: this.currentPath, handle });
        return handle;
      },
      steps: (items, path) => {
        const listPath = [...this.currentPath, ...path];
        const steps = this.compile(items, listPath);
        this.nested[this.nested.length - 1]?.push(...steps);
        return { execute: compileSteps(steps, { timeScale: options.timingSampleRate, nested: true, name: `${pipelineId} ${formatPath(listPath)}` }) };
      },
    };
  }

  compile(items: readonly unknown[], path: KeyPath): Step[] {
    const steps: Step[] = [];
    items.forEach((item, index) => {
      const step = this.compileOne(item, [...path, index]);
      if (step !== undefined) steps.push(step);
    });
    return steps;
  }

  private compileOne(item: unknown, path: KeyPath): Step | undefined {
    const registry = this.options.registry;
    const names = Object.keys(registry);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      this.problems.add(this.source, path, `expected a processor such as '- grok: {field: message, patterns: [...]}', got ${describe(item)}`);
      return undefined;
    }
    const keys = Object.keys(item);
    if (keys.length !== 1) {
      const hint = keys.some((key) => key in registry) ? '; options go under the processor name, indented' : '';
      this.problems.add(this.source, path, `a processor entry has exactly one key, the processor name; found ${keys.length === 0 ? 'none' : keys.join(', ')}${hint}`);
      return undefined;
    }
    const type = keys[0] as string;
    const definition = registry[type];
    if (definition === undefined) {
      this.problems.addRaw(this.source.locate(path, type), formatPath(path), `unknown processor '${type}'${suggest(type, names)}; valid: ${names.join(', ')}`);
      return undefined;
    }
    const optionsPath = [...path, type];
    const raw = (item as Record<string, unknown>)[type] ?? {};
    const schema = fullSchema(definition);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      this.problems.addZod(this.source, optionsPath, parsed.error, Object.keys(schema.shape), raw);
      return undefined;
    }
    const options = parsed.data as z.output<typeof schema> & z.infer<z.ZodObject<typeof commonOptions>>;
    const before = this.problems.list.length;
    let condition: Step['condition'];
    if (options.if !== undefined) {
      try {
        condition = compileCondition(options.if, this.options.maxInputLength);
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        this.problems.add(this.source, [...optionsPath, 'if'], `${error.message} at column ${error.position + 1}: ${options.if}`);
      }
    }
    const onFailure = options.on_failure === undefined ? undefined : this.compile(options.on_failure, [...optionsPath, 'on_failure']);
    let run: Step['run'] | undefined;
    this.currentPath = [...optionsPath];
    this.nested.push([]);
    try {
      run = definition.compile(options, this.context);
    } catch (error) {
      if (error instanceof OptionError) this.problems.add(this.source, [...optionsPath, ...error.path], error.message);
      else this.problems.add(this.source, optionsPath, describeError(error));
    }
    const children = this.nested.pop() as Step[];
    if (run === undefined || this.problems.list.length > before) return undefined;
    return {
      info: { pipeline: this.pipelineId, type, tag: options.tag, path: formatPath(path) },
      label: options.tag === undefined ? type : `${type}[${options.tag}]`,
      condition,
      run,
      ignoreFailure: options.ignore_failure ?? false,
      onFailure,
      children: children.length === 0 ? undefined : children,
      counters: { processed: 0, failed: 0, dropped: 0, timeMs: 0 },
    };
  }
}

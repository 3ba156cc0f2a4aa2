/** The condition language's syntax tree: one discriminated union, compiled by compile.ts. */
export type Literal = string | number | boolean | null;

export type Operand = { kind: 'field'; path: string } | { kind: 'literal'; value: Literal };

export type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Expression =
  | { kind: 'or'; left: Expression; right: Expression }
  | { kind: 'and'; left: Expression; right: Expression }
  | { kind: 'not'; operand: Expression }
  | { kind: 'compare'; operator: CompareOperator; left: Operand; right: Operand }
  | { kind: 'in'; needle: Operand; haystack: Operand | Literal[] }
  | { kind: 'match'; subject: Operand; source: string; flags: string; position: number }
  | { kind: 'exists'; path: string }
  | { kind: 'truthy'; operand: Operand };

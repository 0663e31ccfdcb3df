import { readFileSync } from 'node:fs';

/**
 * A node of the bundled contract read as data: the fields the tests look at, each optional and
 * typed as the contract writes it. Anything else is `unknown` and must be narrowed.
 */
export interface ContractNode {
  $ref?: string;
  operationId?: string;
  in?: string;
  name?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  required?: boolean;
  maxLength?: number;
  example?: unknown;
  examples?: unknown;
  default?: unknown;
  value?: unknown;
  schema?: ContractNode;
  content?: Record<string, ContractNode>;
  parameters?: ContractNode[];
  requestBody?: ContractNode;
  responses?: Record<string, ContractNode>;
  headers?: Record<string, ContractNode>;
  security?: Record<string, string[]>[];
  [key: string]: unknown;
}

/** The bundled contract's top level, as the tests read it. */
export type ContractDocument = {
  info: { version: string };
  paths: Record<string, Record<string, ContractNode>>;
  components: {
    schemas: Record<string, ContractNode>;
    parameters: Record<string, ContractNode>;
    responses: Record<string, ContractNode>;
    headers: Record<string, ContractNode>;
    examples: Record<string, ContractNode>;
    securitySchemes: Record<string, ContractNode>;
  };
};

/** The bundled OpenAPI document, generated/v1/openapi.json. */
export const openapi = JSON.parse(
  readFileSync(new URL('../../generated/v1/openapi.json', import.meta.url), 'utf8'),
) as ContractDocument;

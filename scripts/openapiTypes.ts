/**
 * The TypeScript types of the API's OpenAPI document (`openapi-typescript`), which the CLI's client is typed
 * with. `npm run openapi:types` writes them to `src/api/openapiTypes.d.ts`; the contract's test generates them again
 * and fails when the committed file differs, so a change to a route's schemas that is not regenerated (and
 * type-checked against the CLI) does not land.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { openApiDocument } from '../src/api/openapi';

/** Where the generated types live. */
export const OPENAPI_TYPES_FILE = path.join(__dirname, '..', 'src', 'api', 'openapiTypes.d.ts');

const HEADER = '// Generated from the OpenAPI document by `npm run openapi:types` (openapi-typescript); do not edit.\n\n';

/** The generated types of the document the API serves now. */
export async function openApiTypes(): Promise<string> {
  const ast = await openapiTS(openApiDocument() as unknown as OpenAPI3);
  return HEADER + astToString(ast);
}

if (require.main === module) {
  void openApiTypes().then((text) => {
    writeFileSync(OPENAPI_TYPES_FILE, text);
    console.log(`wrote ${path.relative(process.cwd(), OPENAPI_TYPES_FILE)}`);
  });
}

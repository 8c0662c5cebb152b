/** The stable error codes of FHIR packages (packageErrors, listed in the docs). */
import { defineErrors } from '../core/index.js';

export const packageErrors = defineErrors('packages', {
  'package.not-a-package': {
    category: 'invalid',
    summary: 'A path or upload is not a FHIR package the server can read (the same answer whatever the reason)',
    message: (a: { path: string }) => `${a.path} is not a FHIR package this server can read`,
  },
  'package.dependency-cycle': {
    category: 'invalid',
    summary: 'The dependencies of a package form a cycle',
    message: (a: { chain: string[] }) => `${a.chain.join(' -> ')} is a cycle of dependencies`,
  },
  'package.missing-dependency': {
    category: 'invalid',
    summary: 'A dependency of a package is neither installed nor available from the configured registry',
    message: (a: { dependent: string; dependency: string; registry: boolean }) =>
      `${a.dependent} depends on ${a.dependency}, which is not installed${a.registry ? ' nor available from the registry' : ' (no registry is configured)'}`,
  },
  'package.invalid': {
    category: 'unprocessable',
    summary: 'A package cannot be installed: a definition does not compile or a resource is not valid',
    message: (a: { reason: string }) => `The package cannot be installed: ${a.reason}`,
  },
});

/**
 * $load-package at system level: loads a FHIR package (an Implementation Guide) with its
 * dependencies. Parameters: path (a .tgz file or folder on the server) or package (the .tgz as
 * base64Binary). Answers a Parameters resource naming each package installed and its resource
 * count; a package that cannot be read, a missing dependency or a definition that does not
 * compile answers an OperationOutcome and changes nothing.
 */
import type { Resource } from '../../core/index.js';
import { loadPackage, loadPackageBytes, type PackageInstall, type PackageServiceDeps } from '../../packages/index.js';
import type { OperationContract, OperationParameter } from '../../operation/index.js';
import { validationErrors } from '../validation-errors.js';

const LOAD_PACKAGE_PARAMETERS: OperationParameter[] = [
  { name: 'path', min: 0, max: 1, type: 'string' },
  { name: 'package', min: 0, max: 1, type: 'base64Binary', alsoAccepts: ['string'] },
];

function result(install: PackageInstall): Resource {
  return {
    resourceType: 'Parameters',
    parameter: install.packages.map((item) => ({
      name: 'package',
      part: [
        { name: 'name', valueString: item.name },
        { name: 'version', valueString: item.version },
        { name: 'resources', valueInteger: item.resources },
      ],
    })),
  };
}

export function loadPackageOperationEntry(deps: PackageServiceDeps): OperationContract {
  return {
    name: 'load-package',
    levels: ['system'],
    affectsState: true,
    parameters: LOAD_PACKAGE_PARAMETERS,
    async handler(_call, input) {
      const path = input.string('path');
      const encoded = input.string('package');
      if (!path && !encoded) throw validationErrors['package.no-input']({ detail: 'Give the package as the path parameter (a file or folder on the server) or the package parameter (base64 .tgz)' });
      const install = path ? await loadPackage(deps, path) : await loadPackageBytes(deps, Buffer.from(encoded as string, 'base64'));
      return { status: 200, headers: {}, body: result(install) };
    },
  };
}

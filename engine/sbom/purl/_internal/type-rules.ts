/**
 * Per-type rules from the purl-spec type definitions (`types/<type>-definition.json`): whether the
 * namespace is required/optional/prohibited, which components are case-insensitive (canonical form is
 * lowercase) and the permitted-character patterns. purl.test.ts checks this table against the
 * definitions so that it cannot drift silently.
 */
export interface PurlTypeRule {
  namespace: 'required' | 'optional' | 'prohibited';
  lowerNamespace?: true;
  lowerName?: true;
  lowerVersion?: true;
  namePattern?: RegExp;
  versionPattern?: RegExp;
  /** Qualifier keys the definition marks `requirement: required`. */
  requiredQualifiers?: readonly string[];
}

export const PURL_TYPE_RULES: Readonly<Record<string, PurlTypeRule>> = Object.freeze({
  alpm: { namespace: 'required', lowerNamespace: true, lowerName: true },
  apk: { namespace: 'required', lowerNamespace: true, lowerName: true },
  bazel: { namespace: 'prohibited' },
  bitbucket: { namespace: 'required', lowerNamespace: true, lowerName: true },
  bitnami: { namespace: 'prohibited', lowerName: true },
  brew: { namespace: 'optional', lowerNamespace: true, lowerName: true },
  cargo: { namespace: 'prohibited' },
  'chrome-extension': { namespace: 'prohibited', lowerName: true, namePattern: /^[a-p]{32}$/, versionPattern: /^\d+(\.\d+){0,3}$/ },
  cocoapods: { namespace: 'prohibited' },
  composer: { namespace: 'required', lowerNamespace: true, lowerName: true },
  conan: { namespace: 'optional' },
  conda: { namespace: 'prohibited' },
  cpan: { namespace: 'optional' },
  cran: { namespace: 'prohibited' },
  deb: { namespace: 'required', lowerNamespace: true, lowerName: true },
  docker: { namespace: 'optional' },
  gem: { namespace: 'prohibited' },
  generic: { namespace: 'optional' },
  git: { namespace: 'required' },
  github: { namespace: 'required', lowerNamespace: true, lowerName: true },
  golang: { namespace: 'required' },
  hackage: { namespace: 'prohibited' },
  hex: { namespace: 'optional', lowerNamespace: true, lowerName: true },
  huggingface: { namespace: 'required', lowerVersion: true },
  julia: { namespace: 'prohibited', requiredQualifiers: ['uuid'] },
  luarocks: { namespace: 'optional', lowerNamespace: true, lowerName: true },
  maven: { namespace: 'required' },
  mlflow: { namespace: 'prohibited' },
  npm: { namespace: 'optional' },
  nuget: { namespace: 'prohibited' },
  oci: { namespace: 'prohibited', lowerName: true, lowerVersion: true },
  opam: { namespace: 'prohibited' },
  otp: { namespace: 'prohibited', lowerName: true },
  pub: { namespace: 'prohibited', lowerName: true, namePattern: /^[a-z0-9_]/ },
  pypi: { namespace: 'prohibited', lowerName: true, lowerVersion: true },
  qpkg: { namespace: 'required', lowerNamespace: true },
  rpm: { namespace: 'required', lowerNamespace: true },
  swid: { namespace: 'optional', requiredQualifiers: ['tag_id'] },
  swift: { namespace: 'required' },
  vcpkg: { namespace: 'prohibited' },
  'vscode-extension': { namespace: 'required', lowerNamespace: true, lowerName: true, lowerVersion: true },
  yocto: { namespace: 'optional', lowerNamespace: true },
});

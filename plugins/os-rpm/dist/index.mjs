var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// node_modules/packageurl-js/src/error.js
var require_error = __commonJS({
  "node_modules/packageurl-js/src/error.js"(exports, module) {
    "use strict";
    function formatPurlErrorMessage(message = "") {
      const { length } = message;
      let formatted = "";
      if (length) {
        const code0 = message.charCodeAt(0);
        formatted = code0 >= 65 || code0 <= 90 ? `${message[0].toLowerCase()}${message.slice(1)}` : message;
        if (length > 1 && message.charCodeAt(length - 1) === 46 && message.charCodeAt(length - 2) !== 46) {
          formatted = formatted.slice(0, -1);
        }
      }
      return `Invalid purl: ${formatted}`;
    }
    var PurlError = class extends Error {
      constructor(message) {
        super(formatPurlErrorMessage(message));
      }
    };
    module.exports = {
      formatPurlErrorMessage,
      PurlError
    };
  }
});

// node_modules/packageurl-js/src/decode.js
var require_decode = __commonJS({
  "node_modules/packageurl-js/src/decode.js"(exports, module) {
    "use strict";
    var { PurlError } = require_error();
    var { decodeURIComponent } = globalThis;
    function decodePurlComponent(comp, encodedURIComponent) {
      try {
        return decodeURIComponent(encodedURIComponent);
      } catch {
      }
      throw new PurlError(`unable to decode "${comp}" component`);
    }
    module.exports = {
      decodePurlComponent
    };
  }
});

// node_modules/packageurl-js/src/constants.js
var require_constants = __commonJS({
  "node_modules/packageurl-js/src/constants.js"(exports, module) {
    "use strict";
    var LOOP_SENTINEL = 1e6;
    var REUSED_SEARCH_PARAMS = new URLSearchParams();
    var REUSED_SEARCH_PARAMS_KEY = "_";
    var REUSED_SEARCH_PARAMS_OFFSET = 2;
    module.exports = {
      LOOP_SENTINEL,
      REUSED_SEARCH_PARAMS,
      REUSED_SEARCH_PARAMS_KEY,
      REUSED_SEARCH_PARAMS_OFFSET
    };
  }
});

// node_modules/packageurl-js/src/objects.js
var require_objects = __commonJS({
  "node_modules/packageurl-js/src/objects.js"(exports, module) {
    "use strict";
    var { LOOP_SENTINEL } = require_constants();
    function isObject2(value) {
      return value !== null && typeof value === "object";
    }
    function recursiveFreeze(value_) {
      if (value_ === null || !(typeof value_ === "object" || typeof value_ === "function") || Object.isFrozen(value_)) {
        return value_;
      }
      const queue = [value_];
      let { length: queueLength } = queue;
      let pos = 0;
      while (pos < queueLength) {
        if (pos === LOOP_SENTINEL) {
          throw new Error(
            "Detected infinite loop in object crawl of recursiveFreeze"
          );
        }
        const obj = queue[pos++];
        Object.freeze(obj);
        if (Array.isArray(obj)) {
          for (let i = 0, { length } = obj; i < length; i += 1) {
            const item = obj[i];
            if (item !== null && (typeof item === "object" || typeof item === "function") && !Object.isFrozen(item)) {
              queue[queueLength++] = item;
            }
          }
        } else {
          const keys = Reflect.ownKeys(obj);
          for (let i = 0, { length } = keys; i < length; i += 1) {
            const propValue = obj[keys[i]];
            if (propValue !== null && (typeof propValue === "object" || typeof propValue === "function") && !Object.isFrozen(propValue)) {
              queue[queueLength++] = propValue;
            }
          }
        }
      }
      return value_;
    }
    module.exports = {
      isObject: isObject2,
      recursiveFreeze
    };
  }
});

// node_modules/packageurl-js/src/strings.js
var require_strings = __commonJS({
  "node_modules/packageurl-js/src/strings.js"(exports, module) {
    "use strict";
    var { compare: localeCompare } = new Intl.Collator();
    var regexSemverNumberedGroups = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
    function isBlank(str) {
      for (let i = 0, { length } = str; i < length; i += 1) {
        const code = str.charCodeAt(i);
        if (!// Whitespace characters according to ECMAScript spec:
        // https://tc39.es/ecma262/#sec-white-space
        (code === 32 || // Space
        code === 9 || // Tab
        code === 10 || // Line Feed
        code === 11 || // Vertical Tab
        code === 12 || // Form Feed
        code === 13 || // Carriage Return
        code === 160 || // No-Break Space
        code === 5760 || // Ogham Space Mark
        code === 8192 || // En Quad
        code === 8193 || // Em Quad
        code === 8194 || // En Space
        code === 8195 || // Em Space
        code === 8196 || // Three-Per-Em Space
        code === 8197 || // Four-Per-Em Space
        code === 8198 || // Six-Per-Em Space
        code === 8199 || // Figure Space
        code === 8200 || // Punctuation Space
        code === 8201 || // Thin Space
        code === 8202 || // Hair Space
        code === 8232 || // Line Separator
        code === 8233 || // Paragraph Separator
        code === 8239 || // Narrow No-Break Space
        code === 8287 || // Medium Mathematical Space
        code === 12288 || // Ideographic Space
        code === 65279)) {
          return false;
        }
      }
      return true;
    }
    function isNonEmptyString(value) {
      return typeof value === "string" && value.length > 0;
    }
    function isSemverString(value) {
      return typeof value === "string" && regexSemverNumberedGroups.test(value);
    }
    function lowerName(purl) {
      purl.name = purl.name.toLowerCase();
    }
    function lowerNamespace(purl) {
      const { namespace } = purl;
      if (typeof namespace === "string") {
        purl.namespace = namespace.toLowerCase();
      }
    }
    function lowerVersion(purl) {
      const { version } = purl;
      if (typeof version === "string") {
        purl.version = version.toLowerCase();
      }
    }
    function replaceDashesWithUnderscores(str) {
      let result = "";
      let fromIndex = 0;
      let index = 0;
      while ((index = str.indexOf("-", fromIndex)) !== -1) {
        result = result + str.slice(fromIndex, index) + "_";
        fromIndex = index + 1;
      }
      return fromIndex ? result + str.slice(fromIndex) : str;
    }
    function replaceUnderscoresWithDashes(str) {
      let result = "";
      let fromIndex = 0;
      let index = 0;
      while ((index = str.indexOf("_", fromIndex)) !== -1) {
        result = result + str.slice(fromIndex, index) + "-";
        fromIndex = index + 1;
      }
      return fromIndex ? result + str.slice(fromIndex) : str;
    }
    function trimLeadingSlashes(str) {
      let start = 0;
      while (str.charCodeAt(start) === 47) {
        start += 1;
      }
      return start === 0 ? str : str.slice(start);
    }
    module.exports = {
      isBlank,
      isNonEmptyString,
      isSemverString,
      localeCompare,
      lowerName,
      lowerNamespace,
      lowerVersion,
      replaceDashesWithUnderscores,
      replaceUnderscoresWithDashes,
      trimLeadingSlashes
    };
  }
});

// node_modules/packageurl-js/src/encode.js
var require_encode = __commonJS({
  "node_modules/packageurl-js/src/encode.js"(exports, module) {
    "use strict";
    var {
      REUSED_SEARCH_PARAMS,
      REUSED_SEARCH_PARAMS_KEY,
      REUSED_SEARCH_PARAMS_OFFSET
    } = require_constants();
    var { isObject: isObject2 } = require_objects();
    var { isNonEmptyString } = require_strings();
    var { encodeURIComponent } = globalThis;
    function encodeNamespace(namespace) {
      return isNonEmptyString(namespace) ? encodeURIComponent(namespace).replace(/%3A/g, ":").replace(/%2F/g, "/") : "";
    }
    function encodeQualifierParam(param) {
      if (isNonEmptyString(param)) {
        REUSED_SEARCH_PARAMS.set(REUSED_SEARCH_PARAMS_KEY, param);
        return replacePlusSignWithPercentEncodedSpace(
          REUSED_SEARCH_PARAMS.toString().slice(REUSED_SEARCH_PARAMS_OFFSET)
        );
      }
      return "";
    }
    function encodeQualifiers(qualifiers) {
      if (isObject2(qualifiers)) {
        const qualifiersKeys = Object.keys(qualifiers).sort();
        const searchParams = new URLSearchParams();
        for (let i = 0, { length } = qualifiersKeys; i < length; i += 1) {
          const key = qualifiersKeys[i];
          searchParams.set(key, qualifiers[key]);
        }
        return replacePlusSignWithPercentEncodedSpace(searchParams.toString());
      }
      return "";
    }
    function encodeSubpath(subpath) {
      return isNonEmptyString(subpath) ? encodeURIComponent(subpath).replace(/%2F/g, "/") : "";
    }
    function encodeVersion(version) {
      return isNonEmptyString(version) ? encodeURIComponent(version).replace(/%3A/g, ":").replace(/%2B/g, "+") : "";
    }
    function replacePlusSignWithPercentEncodedSpace(str) {
      return str.replace(/\+/g, "%20");
    }
    module.exports = {
      encodeNamespace,
      encodeVersion,
      encodeQualifiers,
      encodeQualifierParam,
      encodeSubpath,
      encodeURIComponent
    };
  }
});

// node_modules/packageurl-js/src/helpers.js
var require_helpers = __commonJS({
  "node_modules/packageurl-js/src/helpers.js"(exports, module) {
    "use strict";
    function createHelpersNamespaceObject(helpers, options_ = {}) {
      const { comparator, ...defaults } = { __proto__: null, ...options_ };
      const helperNames = Object.keys(helpers).sort();
      const propNames = [
        ...new Set([...Object.values(helpers)].map(Object.keys).flat())
      ].sort(comparator);
      const nsObject = /* @__PURE__ */ Object.create(null);
      for (let i = 0, { length } = propNames; i < length; i += 1) {
        const propName = propNames[i];
        const helpersForProp = /* @__PURE__ */ Object.create(null);
        for (let j = 0, { length: length_j } = helperNames; j < length_j; j += 1) {
          const helperName = helperNames[j];
          const helperValue = helpers[helperName][propName] ?? defaults[helperName];
          if (helperValue !== void 0) {
            helpersForProp[helperName] = helperValue;
          }
        }
        nsObject[propName] = helpersForProp;
      }
      return nsObject;
    }
    module.exports = {
      createHelpersNamespaceObject
    };
  }
});

// node_modules/packageurl-js/src/normalize.js
var require_normalize = __commonJS({
  "node_modules/packageurl-js/src/normalize.js"(exports, module) {
    "use strict";
    var { isObject: isObject2 } = require_objects();
    var { isBlank } = require_strings();
    function normalizeName(rawName) {
      return typeof rawName === "string" ? rawName.trim() : void 0;
    }
    function normalizeNamespace(rawNamespace) {
      return typeof rawNamespace === "string" ? normalizePath(rawNamespace) : void 0;
    }
    function normalizePath(pathname, callback) {
      let collapsed = "";
      let start = 0;
      while (pathname.charCodeAt(start) === 47) {
        start += 1;
      }
      let nextIndex = pathname.indexOf("/", start);
      if (nextIndex === -1) {
        return pathname.slice(start);
      }
      while (nextIndex !== -1) {
        const segment = pathname.slice(start, nextIndex);
        if (callback === void 0 || callback(segment)) {
          collapsed = collapsed + (collapsed.length === 0 ? "" : "/") + segment;
        }
        start = nextIndex + 1;
        while (pathname.charCodeAt(start) === 47) {
          start += 1;
        }
        nextIndex = pathname.indexOf("/", start);
      }
      const lastSegment = pathname.slice(start);
      if (lastSegment.length !== 0 && (callback === void 0 || callback(lastSegment))) {
        collapsed = collapsed + "/" + lastSegment;
      }
      return collapsed;
    }
    function normalizeQualifiers(rawQualifiers) {
      let qualifiers;
      for (const { 0: key, 1: value } of qualifiersToEntries(rawQualifiers)) {
        const strValue = typeof value === "string" ? value : String(value);
        const trimmed = strValue.trim();
        if (trimmed.length === 0) {
          continue;
        }
        if (qualifiers === void 0) {
          qualifiers = { __proto__: null };
        }
        qualifiers[key.toLowerCase()] = trimmed;
      }
      return qualifiers;
    }
    function normalizeSubpath(rawSubpath) {
      return typeof rawSubpath === "string" ? normalizePath(rawSubpath, subpathFilter) : void 0;
    }
    function normalizeType(rawType) {
      return typeof rawType === "string" ? rawType.trim().toLowerCase() : void 0;
    }
    function normalizeVersion(rawVersion) {
      return typeof rawVersion === "string" ? rawVersion.trim() : void 0;
    }
    function qualifiersToEntries(rawQualifiers) {
      if (isObject2(rawQualifiers)) {
        return rawQualifiers instanceof URLSearchParams ? rawQualifiers.entries() : Object.entries(rawQualifiers);
      }
      return typeof rawQualifiers === "string" ? new URLSearchParams(rawQualifiers).entries() : Object.entries({});
    }
    function subpathFilter(segment) {
      const { length } = segment;
      if (length === 1 && segment.charCodeAt(0) === 46) return false;
      if (length === 2 && segment.charCodeAt(0) === 46 && segment.charCodeAt(1) === 46) {
        return false;
      }
      return !isBlank(segment);
    }
    module.exports = {
      normalizeName,
      normalizeNamespace,
      normalizePath,
      normalizeQualifiers,
      normalizeSubpath,
      normalizeType,
      normalizeVersion
    };
  }
});

// node_modules/packageurl-js/src/lang.js
var require_lang = __commonJS({
  "node_modules/packageurl-js/src/lang.js"(exports, module) {
    "use strict";
    function isNullishOrEmptyString(value) {
      return value === null || value === void 0 || typeof value === "string" && value.length === 0;
    }
    module.exports = {
      isNullishOrEmptyString
    };
  }
});

// node_modules/packageurl-js/src/validate.js
var require_validate = __commonJS({
  "node_modules/packageurl-js/src/validate.js"(exports, module) {
    "use strict";
    var { PurlError } = require_error();
    var { isNullishOrEmptyString } = require_lang();
    var { isNonEmptyString } = require_strings();
    function validateEmptyByType(type, name, value, throws2) {
      if (!isNullishOrEmptyString(value)) {
        if (throws2) {
          throw new PurlError(`${type} "${name}" component must be empty`);
        }
        return false;
      }
      return true;
    }
    function validateName(name, throws2) {
      return validateRequired("name", name, throws2) && validateStrings("name", name, throws2);
    }
    function validateNamespace(namespace, throws2) {
      return validateStrings("namespace", namespace, throws2);
    }
    function validateQualifiers(qualifiers, throws2) {
      if (qualifiers === null || qualifiers === void 0) {
        return true;
      }
      if (typeof qualifiers !== "object") {
        if (throws2) {
          throw new PurlError('"qualifiers" must be an object');
        }
        return false;
      }
      const keysIterable = (
        // URL searchParams have an "keys" method that returns an iterator.
        typeof qualifiers.keys === "function" ? qualifiers.keys() : Object.keys(qualifiers)
      );
      for (const key of keysIterable) {
        if (!validateQualifierKey(key, throws2)) {
          return false;
        }
      }
      return true;
    }
    function validateQualifierKey(key, throws2) {
      if (!validateStartsWithoutNumber("qualifier", key, throws2)) {
        return false;
      }
      for (let i = 0, { length } = key; i < length; i += 1) {
        const code = key.charCodeAt(i);
        if (!(code >= 48 && code <= 57 || // 0-9
        code >= 65 && code <= 90 || // A-Z
        code >= 97 && code <= 122 || // a-z
        code === 46 || // .
        code === 45 || // -
        code === 95)) {
          if (throws2) {
            throw new PurlError(
              `qualifier "${key}" contains an illegal character`
            );
          }
          return false;
        }
      }
      return true;
    }
    function validateRequired(name, value, throws2) {
      if (isNullishOrEmptyString(value)) {
        if (throws2) {
          throw new PurlError(`"${name}" is a required component`);
        }
        return false;
      }
      return true;
    }
    function validateRequiredByType(type, name, value, throws2) {
      if (isNullishOrEmptyString(value)) {
        if (throws2) {
          throw new PurlError(`${type} requires a "${name}" component`);
        }
        return false;
      }
      return true;
    }
    function validateStartsWithoutNumber(name, value, throws2) {
      if (isNonEmptyString(value)) {
        const code = value.charCodeAt(0);
        if (code >= 48 && code <= 57) {
          if (throws2) {
            throw new PurlError(
              `${name} "${value}" cannot start with a number`
            );
          }
          return false;
        }
      }
      return true;
    }
    function validateStrings(name, value, throws2) {
      if (value === null || value === void 0 || typeof value === "string") {
        return true;
      }
      if (throws2) {
        throw new PurlError(`"'${name}" must be a string`);
      }
      return false;
    }
    function validateSubpath(subpath, throws2) {
      return validateStrings("subpath", subpath, throws2);
    }
    function validateType(type, throws2) {
      if (!validateRequired("type", type, throws2) || !validateStrings("type", type, throws2) || !validateStartsWithoutNumber("type", type, throws2)) {
        return false;
      }
      for (let i = 0, { length } = type; i < length; i += 1) {
        const code = type.charCodeAt(i);
        if (!(code >= 48 && code <= 57 || // 0-9
        code >= 65 && code <= 90 || // A-Z
        code >= 97 && code <= 122 || // a-z
        code === 46 || // .
        code === 43 || // +
        code === 45)) {
          if (throws2) {
            throw new PurlError(
              `type "${type}" contains an illegal character`
            );
          }
          return false;
        }
      }
      return true;
    }
    function validateVersion(version, throws2) {
      return validateStrings("version", version, throws2);
    }
    module.exports = {
      validateEmptyByType,
      validateName,
      validateNamespace,
      validateQualifiers,
      validateQualifierKey,
      validateRequired,
      validateRequiredByType,
      validateStartsWithoutNumber,
      validateStrings,
      validateSubpath,
      validateType,
      validateVersion
    };
  }
});

// node_modules/packageurl-js/src/purl-component.js
var require_purl_component = __commonJS({
  "node_modules/packageurl-js/src/purl-component.js"(exports, module) {
    "use strict";
    var {
      encodeNamespace,
      encodeVersion,
      encodeQualifiers,
      encodeQualifierParam,
      encodeSubpath,
      encodeURIComponent
    } = require_encode();
    var { createHelpersNamespaceObject } = require_helpers();
    var {
      normalizeType,
      normalizeNamespace,
      normalizeName,
      normalizeVersion,
      normalizeQualifiers,
      normalizeSubpath
    } = require_normalize();
    var { localeCompare, isNonEmptyString } = require_strings();
    var {
      validateType,
      validateNamespace,
      validateName,
      validateVersion,
      validateQualifiers,
      validateQualifierKey,
      validateSubpath
    } = require_validate();
    var PurlComponentEncoder = (comp) => isNonEmptyString(comp) ? encodeURIComponent(comp) : "";
    var PurlComponentStringNormalizer = (comp) => typeof comp === "string" ? comp : void 0;
    var PurlComponentValidator = (_comp, _throws) => true;
    var componentSortOrderLookup = {
      __proto__: null,
      type: 0,
      namespace: 1,
      name: 2,
      version: 3,
      qualifiers: 4,
      qualifierKey: 5,
      qualifierValue: 6,
      subpath: 7
    };
    function componentSortOrder(comp) {
      return componentSortOrderLookup[comp] ?? comp;
    }
    function componentComparator(compA, compB) {
      return localeCompare(componentSortOrder(compA), componentSortOrder(compB));
    }
    module.exports = {
      // Rules for each purl component:
      // https://github.com/package-url/purl-spec/blob/master/PURL-SPECIFICATION.rst#rules-for-each-purl-component
      PurlComponent: createHelpersNamespaceObject(
        {
          encode: {
            namespace: encodeNamespace,
            version: encodeVersion,
            qualifiers: encodeQualifiers,
            qualifierKey: encodeQualifierParam,
            qualifierValue: encodeQualifierParam,
            subpath: encodeSubpath
          },
          normalize: {
            type: normalizeType,
            namespace: normalizeNamespace,
            name: normalizeName,
            version: normalizeVersion,
            qualifiers: normalizeQualifiers,
            subpath: normalizeSubpath
          },
          validate: {
            type: validateType,
            namespace: validateNamespace,
            name: validateName,
            version: validateVersion,
            qualifierKey: validateQualifierKey,
            qualifiers: validateQualifiers,
            subpath: validateSubpath
          }
        },
        {
          comparator: componentComparator,
          encode: PurlComponentEncoder,
          normalize: PurlComponentStringNormalizer,
          validate: PurlComponentValidator
        }
      )
    };
  }
});

// node_modules/packageurl-js/src/purl-qualifier-names.js
var require_purl_qualifier_names = __commonJS({
  "node_modules/packageurl-js/src/purl-qualifier-names.js"(exports, module) {
    "use strict";
    module.exports = {
      // Known qualifiers:
      // https://github.com/package-url/purl-spec/blob/master/PURL-SPECIFICATION.rst#known-qualifiers-keyvalue-pairs
      PurlQualifierNames: {
        __proto__: null,
        RepositoryUrl: "repository_url",
        DownloadUrl: "download_url",
        VcsUrl: "vcs_url",
        FileName: "file_name",
        Checksum: "checksum"
      }
    };
  }
});

// node_modules/packageurl-js/src/purl-type.js
var require_purl_type = __commonJS({
  "node_modules/packageurl-js/src/purl-type.js"(exports, module) {
    "use strict";
    var { isNullishOrEmptyString } = require_lang();
    var { createHelpersNamespaceObject } = require_helpers();
    var {
      isSemverString,
      lowerName,
      lowerNamespace,
      lowerVersion,
      replaceDashesWithUnderscores,
      replaceUnderscoresWithDashes
    } = require_strings();
    var { validateEmptyByType, validateRequiredByType } = require_validate();
    var { PurlError } = require_error();
    var PurlTypNormalizer = (purl) => purl;
    var PurlTypeValidator = (_purl, _throws) => true;
    module.exports = {
      // PURL types:
      // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst
      PurlType: createHelpersNamespaceObject(
        {
          normalize: {
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#alpm
            alpm(purl) {
              lowerNamespace(purl);
              lowerName(purl);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#apk
            apk(purl) {
              lowerNamespace(purl);
              lowerName(purl);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#bitbucket
            bitbucket(purl) {
              lowerNamespace(purl);
              lowerName(purl);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#bitnami
            bitnami(purl) {
              lowerName(purl);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#composer
            composer(purl) {
              lowerNamespace(purl);
              lowerName(purl);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#deb
            deb(purl) {
              lowerNamespace(purl);
              lowerName(purl);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#other-candidate-types-to-define
            gitlab(purl) {
              lowerNamespace(purl);
              lowerName(purl);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#github
            github(purl) {
              lowerNamespace(purl);
              lowerName(purl);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#golang
            // golang(purl) {
            //     // Ignore case-insensitive rule because go.mod are case-sensitive.
            //     // Pending spec change: https://github.com/package-url/purl-spec/pull/196
            //     lowerNamespace(purl)
            //     lowerName(purl)
            //     return purl
            // },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#hex
            hex(purl) {
              lowerNamespace(purl);
              lowerName(purl);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#huggingface
            huggingface(purl) {
              lowerVersion(purl);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#mlflow
            mlflow(purl) {
              if (purl.qualifiers?.repository_url?.includes("databricks")) {
                lowerName(purl);
              }
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#npm
            npm(purl) {
              lowerNamespace(purl);
              lowerName(purl);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#luarocks
            luarocks(purl) {
              lowerVersion(purl);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#oci
            oci(purl) {
              lowerName(purl);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#pub
            pub(purl) {
              lowerName(purl);
              purl.name = replaceDashesWithUnderscores(purl.name);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#pypi
            pypi(purl) {
              lowerNamespace(purl);
              lowerName(purl);
              purl.name = replaceUnderscoresWithDashes(purl.name);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#qpkg
            qpkg(purl) {
              lowerNamespace(purl);
              return purl;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#rpm
            rpm(purl) {
              lowerNamespace(purl);
              return purl;
            }
          },
          validate: {
            // TODO: cocoapods name validation
            // TODO: cpan namespace validation
            // TODO: swid qualifier validation
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#conan
            conan(purl, throws2) {
              if (isNullishOrEmptyString(purl.namespace)) {
                if (purl.qualifiers?.channel) {
                  if (throws2) {
                    throw new PurlError(
                      'conan requires a "namespace" component when a "channel" qualifier is present'
                    );
                  }
                  return false;
                }
              } else if (isNullishOrEmptyString(purl.qualifiers)) {
                if (throws2) {
                  throw new PurlError(
                    'conan requires a "qualifiers" component when a namespace is present'
                  );
                }
                return false;
              }
              return true;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#cran
            cran(purl, throws2) {
              return validateRequiredByType(
                "cran",
                "version",
                purl.version,
                throws2
              );
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#golang
            golang(purl) {
              const { version } = purl;
              const length = typeof version === "string" ? version.length : 0;
              if (length && version.charCodeAt(0) === 118 && !isSemverString(version.slice(1))) {
                if (throws) {
                  throw new PurlError(
                    'golang "version" component starting with a "v" must be followed by a valid semver version'
                  );
                }
                return false;
              }
              return true;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#maven
            maven(purl, throws2) {
              return validateRequiredByType(
                "maven",
                "namespace",
                purl.namespace,
                throws2
              );
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#mlflow
            mlflow(purl, throws2) {
              return validateEmptyByType(
                "mlflow",
                "namespace",
                purl.namespace,
                throws2
              );
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#oci
            oci(purl, throws2) {
              return validateEmptyByType(
                "oci",
                "namespace",
                purl.namespace,
                throws2
              );
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#pub
            pub(purl, throws2) {
              const { name } = purl;
              for (let i = 0, { length } = name; i < length; i += 1) {
                const code = name.charCodeAt(i);
                if (!(code >= 48 && code <= 57 || // 0-9
                code >= 97 && code <= 122 || // a-z
                code === 95)) {
                  if (throws2) {
                    throw new PurlError(
                      'pub "name" component may only contain [a-z0-9_] characters'
                    );
                  }
                  return false;
                }
              }
              return true;
            },
            // https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#swift
            swift(purl, throws2) {
              return validateRequiredByType(
                "swift",
                "namespace",
                purl.namespace,
                throws2
              ) && validateRequiredByType(
                "swift",
                "version",
                purl.version,
                throws2
              );
            }
          }
        },
        {
          normalize: PurlTypNormalizer,
          validate: PurlTypeValidator
        }
      )
    };
  }
});

// node_modules/packageurl-js/src/package-url.js
var require_package_url = __commonJS({
  "node_modules/packageurl-js/src/package-url.js"(exports, module) {
    "use strict";
    var { decodePurlComponent } = require_decode();
    var { isObject: isObject2, recursiveFreeze } = require_objects();
    var { isBlank, isNonEmptyString, trimLeadingSlashes } = require_strings();
    var { PurlComponent } = require_purl_component();
    var { PurlQualifierNames } = require_purl_qualifier_names();
    var { PurlType } = require_purl_type();
    var { PurlError } = require_error();
    var PackageURL2 = class _PackageURL {
      static Component = recursiveFreeze(PurlComponent);
      static KnownQualifierNames = recursiveFreeze(PurlQualifierNames);
      static Type = recursiveFreeze(PurlType);
      constructor(rawType, rawNamespace, rawName, rawVersion, rawQualifiers, rawSubpath) {
        const type = isNonEmptyString(rawType) ? PurlComponent.type.normalize(rawType) : rawType;
        PurlComponent.type.validate(type, true);
        const namespace = isNonEmptyString(rawNamespace) ? PurlComponent.namespace.normalize(rawNamespace) : rawNamespace;
        PurlComponent.namespace.validate(namespace, true);
        const name = isNonEmptyString(rawName) ? PurlComponent.name.normalize(rawName) : rawName;
        PurlComponent.name.validate(name, true);
        const version = isNonEmptyString(rawVersion) ? PurlComponent.version.normalize(rawVersion) : rawVersion;
        PurlComponent.version.validate(version, true);
        const qualifiers = typeof rawQualifiers === "string" || isObject2(rawQualifiers) ? PurlComponent.qualifiers.normalize(rawQualifiers) : rawQualifiers;
        PurlComponent.qualifiers.validate(qualifiers, true);
        const subpath = isNonEmptyString(rawSubpath) ? PurlComponent.subpath.normalize(rawSubpath) : rawSubpath;
        PurlComponent.subpath.validate(subpath, true);
        this.type = type;
        this.name = name;
        this.namespace = namespace ?? void 0;
        this.version = version ?? void 0;
        this.qualifiers = qualifiers ?? void 0;
        this.subpath = subpath ?? void 0;
        const typeHelpers = PurlType[type];
        if (typeHelpers) {
          typeHelpers.normalize(this);
          typeHelpers.validate(this, true);
        }
      }
      toString() {
        const { namespace, name, version, qualifiers, subpath, type } = this;
        let purlStr = `pkg:${PurlComponent.type.encode(type)}/`;
        if (namespace) {
          purlStr = `${purlStr}${PurlComponent.namespace.encode(namespace)}/`;
        }
        purlStr = `${purlStr}${PurlComponent.name.encode(name)}`;
        if (version) {
          purlStr = `${purlStr}@${PurlComponent.version.encode(version)}`;
        }
        if (qualifiers) {
          purlStr = `${purlStr}?${PurlComponent.qualifiers.encode(qualifiers)}`;
        }
        if (subpath) {
          purlStr = `${purlStr}#${PurlComponent.subpath.encode(subpath)}`;
        }
        return purlStr;
      }
      static fromString(purlStr) {
        return new _PackageURL(..._PackageURL.parseString(purlStr));
      }
      static parseString(purlStr) {
        if (typeof purlStr !== "string") {
          throw new Error("A purl string argument is required.");
        }
        if (isBlank(purlStr)) {
          return [
            void 0,
            void 0,
            void 0,
            void 0,
            void 0,
            void 0
          ];
        }
        const colonIndex = purlStr.indexOf(":");
        let url;
        let maybeUrlWithAuth;
        if (colonIndex !== -1) {
          try {
            const beforeColon = purlStr.slice(0, colonIndex);
            const afterColon = purlStr.slice(colonIndex + 1);
            const trimmedAfterColon = trimLeadingSlashes(afterColon);
            url = new URL(`${beforeColon}:${trimmedAfterColon}`);
            maybeUrlWithAuth = afterColon.length === trimmedAfterColon.length ? url : new URL(purlStr);
          } catch (e) {
            throw new PurlError("failed to parse as URL", {
              cause: e
            });
          }
        }
        if (url?.protocol !== "pkg:") {
          throw new PurlError('missing required "pkg" scheme component');
        }
        if (maybeUrlWithAuth.username !== "" || maybeUrlWithAuth.password !== "") {
          throw new PurlError('cannot contain a "user:pass@host:port"');
        }
        const { pathname } = url;
        const firstSlashIndex = pathname.indexOf("/");
        const rawType = decodePurlComponent(
          "type",
          firstSlashIndex === -1 ? pathname : pathname.slice(0, firstSlashIndex)
        );
        if (firstSlashIndex < 1) {
          return [
            rawType,
            void 0,
            void 0,
            void 0,
            void 0,
            void 0
          ];
        }
        let rawVersion;
        let atSignIndex = pathname.lastIndexOf("@");
        if (atSignIndex !== -1 && pathname.charCodeAt(atSignIndex - 1) === 47) {
          atSignIndex = -1;
        }
        const beforeVersion = pathname.slice(
          rawType.length + 1,
          atSignIndex === -1 ? pathname.length : atSignIndex
        );
        if (atSignIndex !== -1) {
          rawVersion = decodePurlComponent(
            "version",
            pathname.slice(atSignIndex + 1)
          );
        }
        let rawNamespace;
        let rawName;
        const lastSlashIndex = beforeVersion.lastIndexOf("/");
        if (lastSlashIndex === -1) {
          rawName = decodePurlComponent("name", beforeVersion);
        } else {
          rawName = decodePurlComponent(
            "name",
            beforeVersion.slice(lastSlashIndex + 1)
          );
          rawNamespace = decodePurlComponent(
            "namespace",
            beforeVersion.slice(0, lastSlashIndex)
          );
        }
        let rawQualifiers;
        const { searchParams } = url;
        if (searchParams.size !== 0) {
          searchParams.forEach(
            (value) => decodePurlComponent("qualifiers", value)
          );
          rawQualifiers = searchParams;
        }
        let rawSubpath;
        const { hash } = url;
        if (hash.length !== 0) {
          rawSubpath = decodePurlComponent("subpath", hash.slice(1));
        }
        return [
          rawType,
          rawNamespace,
          rawName,
          rawVersion,
          rawQualifiers,
          rawSubpath
        ];
      }
    };
    for (const staticProp of ["Component", "KnownQualifierNames", "Type"]) {
      Reflect.defineProperty(PackageURL2, staticProp, {
        ...Reflect.getOwnPropertyDescriptor(PackageURL2, staticProp),
        writable: false
      });
    }
    Reflect.setPrototypeOf(PackageURL2.prototype, null);
    module.exports = {
      PackageURL: PackageURL2,
      PurlComponent,
      PurlQualifierNames,
      PurlType
    };
  }
});

// node_modules/packageurl-js/index.js
var require_packageurl_js = __commonJS({
  "node_modules/packageurl-js/index.js"(exports, module) {
    "use strict";
    var {
      PackageURL: PackageURL2,
      PurlComponent,
      PurlQualifierNames,
      PurlType
    } = require_package_url();
    module.exports = {
      PackageURL: PackageURL2,
      PurlComponent,
      PurlQualifierNames,
      PurlType
    };
  }
});

// plugins/sdk/purl.ts
var import_packageurl_js = __toESM(require_packageurl_js(), 1);

// plugins/sdk/index.ts
var DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
function defineAnalyzer(def) {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(def.name)) throw new Error(`analyzer name must be "<namespace>/<name>" in lowercase, got ${JSON.stringify(def.name)}`);
  if (!Number.isInteger(def.version) || def.version < 1) throw new Error(`analyzer ${def.name}: version must be a positive integer`);
  return Object.freeze({ ...def });
}
function emptyResult() {
  return { packages: [], relationships: [], issues: [] };
}
async function eachFile(files, result, fn) {
  for (const f of files) {
    try {
      await fn(f);
    } catch (e) {
      result.issues.push({ path: f.path, severity: "error", message: `cannot analyze: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
}

// plugins/os-rpm/src/bdb.ts
var HASH_MAGIC = 398689;
var P_HASH_UNSORTED = 2;
var P_OVERFLOW = 7;
var P_HASH = 13;
var H_KEYDATA = 1;
var H_OFFPAGE = 3;
var PAGE_HEADER = 26;
var BdbError = class extends Error {
};
function isBdbHash(bytes) {
  if (bytes.length < 24) return false;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return v.getUint32(12, true) === HASH_MAGIC || v.getUint32(12, false) === HASH_MAGIC;
}
function readBdbHashValues(bytes) {
  if (!isBdbHash(bytes)) throw new BdbError("not a BerkeleyDB hash database (magic 0x061561 not found at offset 12)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = view.getUint32(12, true) === HASH_MAGIC;
  const u32 = (o) => view.getUint32(o, le);
  const u16 = (o) => view.getUint16(o, le);
  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & pageSize - 1) !== 0) throw new BdbError(`page size ${pageSize} is not a power of two between 512 and 65536`);
  if (view.getUint8(24) !== 0) throw new BdbError("encrypted BerkeleyDB databases are not supported");
  const lastPage = u32(32);
  const pageCount = Math.floor(bytes.length / pageSize);
  if (lastPage >= pageCount) throw new BdbError(`metadata names last page ${lastPage} but the file holds ${pageCount} pages (truncated?)`);
  const values = [];
  const readOverflow = (first, total) => {
    const out = new Uint8Array(total);
    let written = 0;
    let pg = first;
    const seen = /* @__PURE__ */ new Set();
    while (pg !== 0) {
      if (pg > lastPage || seen.has(pg)) throw new BdbError(`overflow chain from page ${first} is broken at page ${pg}`);
      seen.add(pg);
      const base = pg * pageSize;
      if (view.getUint8(base + 25) !== P_OVERFLOW) throw new BdbError(`page ${pg} in an overflow chain is not an overflow page`);
      const len = u16(base + 22);
      if (len > pageSize - PAGE_HEADER || written + len > total) throw new BdbError(`overflow page ${pg} claims ${len} bytes (value length ${total})`);
      out.set(bytes.subarray(base + PAGE_HEADER, base + PAGE_HEADER + len), written);
      written += len;
      pg = u32(base + 16);
    }
    if (written !== total) throw new BdbError(`overflow chain from page ${first} holds ${written} bytes, expected ${total}`);
    return out;
  };
  for (let pg = 1; pg <= lastPage; pg++) {
    const base = pg * pageSize;
    const type = view.getUint8(base + 25);
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = u16(base + 20);
    if (PAGE_HEADER + entries * 2 > pageSize) throw new BdbError(`hash page ${pg} declares ${entries} entries, more than fit in a page`);
    const itemBytes = (i) => {
      const off = u16(base + PAGE_HEADER + i * 2);
      if (off < PAGE_HEADER || off >= pageSize) throw new BdbError(`hash page ${pg} item ${i} points outside the page`);
      const prevOff = i === 0 ? pageSize : u16(base + PAGE_HEADER + (i - 1) * 2);
      return { type: view.getUint8(base + off), start: base + off + 1, end: base + Math.min(Math.max(prevOff, off + 1), pageSize) };
    };
    for (let i = 1; i < entries; i += 2) {
      const key = itemBytes(i - 1);
      if (key.type === H_KEYDATA && key.end - key.start === 4 && bytes[key.start] === 0 && bytes[key.start + 1] === 0 && bytes[key.start + 2] === 0 && bytes[key.start + 3] === 0) continue;
      const item = itemBytes(i);
      if (item.type === H_OFFPAGE) {
        const at = item.start - 1;
        if (at + 12 > base + pageSize) throw new BdbError(`hash page ${pg} item ${i} is truncated`);
        values.push(readOverflow(u32(at + 4), u32(at + 8)));
      } else if (item.type === H_KEYDATA) {
        if (item.end > item.start) values.push(bytes.subarray(item.start, item.end));
      }
    }
  }
  return values;
}

// plugins/os-rpm/src/ndb.ts
var HEADER_MAGIC = 1349349458;
var SLOT_MAGIC = 1953459283;
var BLOB_MAGIC = 1398959170;
var PAGE = 4096;
var BLOCK = 16;
var HEADER_BYTES = 32;
var NdbError = class extends Error {
};
function isNdb(b) {
  return b.length >= HEADER_BYTES && new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true) === HEADER_MAGIC;
}
function readNdbBlobs(b) {
  if (!isNdb(b)) throw new NdbError('not an ndb Packages.db (magic "RpmP" not found)');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const version = v.getUint32(4, true);
  if (version !== 0) throw new NdbError(`ndb version ${version} is not supported (expected 0)`);
  const slotPages = v.getUint32(12, true);
  if (slotPages === 0 || slotPages * PAGE > b.length) throw new NdbError(`header declares ${slotPages} slot pages but the file has ${b.length} bytes (truncated?)`);
  const out = [];
  for (let off = HEADER_BYTES; off + BLOCK <= slotPages * PAGE; off += BLOCK) {
    if (v.getUint32(off, true) !== SLOT_MAGIC) throw new NdbError(`slot at byte ${off} has no "Slot" magic`);
    const pkgIndex = v.getUint32(off + 4, true);
    if (pkgIndex === 0) continue;
    const blkOff = v.getUint32(off + 8, true);
    const blkCnt = v.getUint32(off + 12, true);
    const start = blkOff * BLOCK;
    if (blkOff * BLOCK < slotPages * PAGE || start + blkCnt * BLOCK > b.length || blkCnt * BLOCK < BLOCK) {
      throw new NdbError(`slot of package ${pkgIndex} points at blocks ${blkOff}+${blkCnt}, outside the blob area of the ${b.length}-byte file`);
    }
    if (v.getUint32(start, true) !== BLOB_MAGIC) throw new NdbError(`blob of package ${pkgIndex} at byte ${start} has no "BlbS" magic`);
    if (v.getUint32(start + 4, true) !== pkgIndex) throw new NdbError(`blob at byte ${start} belongs to package ${v.getUint32(start + 4, true)}, its slot says ${pkgIndex}`);
    const len = v.getUint32(start + 12, true);
    if (start + 16 + len > start + blkCnt * BLOCK) throw new NdbError(`blob of package ${pkgIndex} claims ${len} bytes, more than its ${blkCnt} blocks hold`);
    out.push(b.subarray(start + 16, start + 16 + len));
  }
  return out;
}

// plugins/os-rpm/src/header.ts
var TAG = {
  NAME: 1e3,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  SUMMARY: 1004,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  SOURCERPM: 1044,
  OLDFILENAMES: 1027,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118
};
var TYPE_INT32 = 4;
var TYPE_STRING = 6;
var TYPE_STRING_ARRAY = 8;
var TYPE_I18NSTRING = 9;
var MAX_FILES = 1e6;
var HeaderError = class extends Error {
};
var MAX_INDEX_ENTRIES = 65535;
function parseHeaderBlob(blob) {
  if (blob.length < 8) throw new HeaderError(`header blob of ${blob.length} bytes is shorter than its 8-byte preamble`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = view.getInt32(0);
  const dl = view.getInt32(4);
  if (il <= 0 || il > MAX_INDEX_ENTRIES) throw new HeaderError(`header declares ${il} index entries (expected 1..${MAX_INDEX_ENTRIES})`);
  const dataStart = 8 + il * 16;
  if (dl < 0 || dataStart + dl > blob.length) throw new HeaderError(`header declares ${il} entries and ${dl} data bytes but the blob has only ${blob.length} bytes`);
  const data = blob.subarray(dataStart, dataStart + dl);
  const out = {};
  const arrays = /* @__PURE__ */ new Map();
  const readString = (offset) => {
    if (offset < 0 || offset >= data.length) throw new HeaderError(`string offset ${offset} is outside the ${data.length}-byte data area`);
    const end = data.indexOf(0, offset);
    if (end < 0) throw new HeaderError(`string at offset ${offset} is not NUL-terminated`);
    return Buffer.from(data.subarray(offset, end)).toString("utf8");
  };
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16;
    const tag = view.getInt32(e);
    const type = view.getInt32(e + 4);
    const offset = view.getInt32(e + 8);
    const count = view.getInt32(e + 12);
    const isString = type === TYPE_STRING || type === TYPE_I18NSTRING || type === TYPE_STRING_ARRAY;
    switch (tag) {
      case TAG.NAME:
      case TAG.VERSION:
      case TAG.RELEASE:
      case TAG.ARCH:
      case TAG.SOURCERPM:
      case TAG.LICENSE:
      case TAG.VENDOR: {
        if (!isString) throw new HeaderError(`tag ${tag} has type ${type}, expected a string type`);
        const v = readString(offset);
        if (tag === TAG.NAME) out.name = v;
        else if (tag === TAG.VERSION) out.version = v;
        else if (tag === TAG.RELEASE) out.release = v;
        else if (tag === TAG.ARCH) out.arch = v;
        else if (tag === TAG.SOURCERPM) out.sourceRpm = v;
        else if (tag === TAG.LICENSE) out.license = v;
        else out.vendor = v;
        break;
      }
      case TAG.EPOCH: {
        if (type !== TYPE_INT32 || count < 1) throw new HeaderError(`EPOCH has type ${type}, expected INT32`);
        if (offset < 0 || offset + 4 > data.length) throw new HeaderError(`EPOCH offset ${offset} is outside the data area`);
        out.epoch = new DataView(data.buffer, data.byteOffset + offset, 4).getInt32(0);
        break;
      }
      case TAG.OLDFILENAMES:
      case TAG.BASENAMES:
      case TAG.DIRNAMES:
        if (type !== TYPE_STRING_ARRAY || count < 0 || count > MAX_FILES) {
          (out.problems ??= []).push(`tag ${tag} has type ${type} and count ${count}, expected a string array of at most ${MAX_FILES}`);
          break;
        }
        arrays.set(tag, { offset, count });
        break;
      case TAG.DIRINDEXES:
        if (type !== TYPE_INT32 || count < 0 || count > MAX_FILES || offset < 0 || offset + 4 * count > data.length) {
          (out.problems ??= []).push(`DIRINDEXES (type ${type}, ${count} entries at ${offset}) does not fit the ${data.length}-byte data area`);
          break;
        }
        arrays.set(tag, { offset, count });
        break;
      default:
        break;
    }
  }
  try {
    const files = fileList(data, arrays, readString);
    if (files?.length) out.files = files;
  } catch (e) {
    (out.problems ??= []).push(`file list: ${e.message}`);
  }
  return out;
}
function stringArray(data, offset, count, readString) {
  const out = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    const s = readString(at);
    out.push(s);
    at += Buffer.byteLength(s, "utf8") + 1;
  }
  return out;
}
function fileList(data, arrays, readString) {
  const base = arrays.get(TAG.BASENAMES);
  const dirs = arrays.get(TAG.DIRNAMES);
  const idx = arrays.get(TAG.DIRINDEXES);
  if (base && dirs && idx) {
    if (idx.count !== base.count) throw new HeaderError(`${base.count} base names but ${idx.count} directory indexes`);
    const names = stringArray(data, base.offset, base.count, readString);
    const dirNames = stringArray(data, dirs.offset, dirs.count, readString);
    const view = new DataView(data.buffer, data.byteOffset + idx.offset, 4 * idx.count);
    return names.map((n, i) => {
      const d = dirNames[view.getInt32(i * 4)];
      if (d === void 0) throw new HeaderError(`directory index ${view.getInt32(i * 4)} is not below the ${dirNames.length} directory names`);
      return `${d}${n}`;
    });
  }
  const old = arrays.get(TAG.OLDFILENAMES);
  return old ? stringArray(data, old.offset, old.count, readString) : void 0;
}
function parseSourceRpm(s) {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(s);
  if (!m) return void 0;
  return { name: m[1], version: m[2], release: m[3] };
}

// plugins/os-rpm/src/sqlite.ts
var RPMDB_SQLITE_LIMITS = Object.freeze({ maxHeaderBytes: 16 * 1024 * 1024, maxRows: 2e5 });
var RpmdbSqliteError = class extends Error {
};
var HIDDEN_KIND = { 1: "a hidden column", 2: "a generated (VIRTUAL) column", 3: "a generated (STORED) column" };
function checkPackagesTable(db) {
  const master = db.all("SELECT type, sql FROM sqlite_master WHERE lower(name) = 'packages'");
  const entry = master[0];
  if (!entry) throw new RpmdbSqliteError("SQLite database has no Packages table: not an rpmdb");
  if (entry.type !== "table") throw new RpmdbSqliteError(`"Packages" is a ${String(entry.type)}, not a table; refused (expected rpm's Packages(hnum INTEGER, blob BLOB) table)`);
  const sql = typeof entry.sql === "string" ? entry.sql : "";
  if (/^\s*CREATE\s+VIRTUAL\b/i.test(sql)) throw new RpmdbSqliteError('"Packages" is a virtual table; refused (expected an ordinary table)');
  if (/\bWITHOUT\s+ROWID\b/i.test(sql)) throw new RpmdbSqliteError('"Packages" is a WITHOUT ROWID table; refused (expected an ordinary rowid table)');
  const columns = db.all('PRAGMA table_xinfo("Packages")');
  for (const c of columns) {
    const hidden = Number(c.hidden ?? 0);
    if (hidden !== 0) {
      throw new RpmdbSqliteError(`column "${String(c.name)}" of Packages is ${HIDDEN_KIND[hidden] ?? `hidden (kind ${hidden})`}; refused (reading it would evaluate SQL stored in the database)`);
    }
  }
  const declared = (name) => {
    const c = columns.find((x) => typeof x.name === "string" && x.name.toLowerCase() === name);
    return c ? String(c.type ?? "").toUpperCase() : void 0;
  };
  const hnum = declared("hnum");
  const blob = declared("blob");
  if (hnum !== "INTEGER" || blob !== "BLOB") {
    throw new RpmdbSqliteError(`Packages has columns ${columns.map((c) => `${String(c.name)} ${String(c.type)}`).join(", ")}; refused (expected hnum INTEGER, blob BLOB)`);
  }
}
function* sqliteHeaderRows(db, skip, limits = RPMDB_SQLITE_LIMITS) {
  checkPackagesTable(db);
  const listed = db.all(`SELECT rowid AS rid, hnum, typeof(hnum) AS hnumType, typeof(blob) AS blobType, length(blob) AS size FROM Packages ORDER BY hnum, rowid LIMIT ${limits.maxRows + 1}`);
  if (listed.length > limits.maxRows) throw new RpmdbSqliteError(`Packages has more than ${limits.maxRows} rows (RPMDB_SQLITE_LIMITS.maxRows); refused`);
  const admitted = [];
  listed.forEach((r, i) => {
    const ordinal = i + 1;
    if (r.hnumType !== "integer") return skip(ordinal, `hnum is ${String(r.hnumType)}, expected an integer`);
    if (r.blobType !== "blob") return skip(ordinal, `blob is ${String(r.blobType)}, expected a blob`);
    const size = Number(r.size);
    if (size > limits.maxHeaderBytes) return skip(ordinal, `header blob is ${size} bytes, over the ${limits.maxHeaderBytes}-byte limit (RPMDB_SQLITE_LIMITS.maxHeaderBytes); not read`);
    admitted.push({ ordinal, rid: r.rid ?? null, hnum: Number(r.hnum) });
  });
  for (const a of admitted) {
    const row = db.all("SELECT blob FROM Packages WHERE rowid = ?", a.rid)[0];
    const blob = row?.blob;
    if (!(blob instanceof Uint8Array)) {
      skip(a.ordinal, "the row changed between listing and reading");
      continue;
    }
    yield { ordinal: a.ordinal, hnum: a.hnum, blob };
  }
}

// plugins/os-rpm/src/index.ts
var SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");
function readSqliteBlobs(bytes, openSqlite, skip = () => void 0) {
  const db = openSqlite(bytes);
  try {
    return [...sqliteHeaderRows(db, skip)].map((r) => r.blob);
  } finally {
    db.close();
  }
}
function evr(h) {
  return `${h.epoch !== void 0 ? `${h.epoch}:` : ""}${h.version ?? ""}-${h.release ?? ""}`;
}
function toPackage(h, path) {
  const name = h.name;
  const version = h.version !== void 0 && h.release !== void 0 ? `${h.version}-${h.release}` : h.version;
  const src = h.sourceRpm ? parseSourceRpm(h.sourceRpm) : void 0;
  const properties = {};
  if (h.arch) properties.arch = h.arch;
  if (h.epoch !== void 0) properties.epoch = String(h.epoch);
  if (h.sourceRpm) properties.sourceRpm = h.sourceRpm;
  if (h.vendor) properties.vendor = h.vendor;
  return {
    id: `${name}:${h.arch ?? ""}:${evr(h)}`,
    name,
    version: h.epoch !== void 0 && version ? `${h.epoch}:${version}` : version,
    purl: {
      type: "rpm",
      namespace: "redhat",
      name,
      version,
      qualifiers: { arch: h.arch, epoch: h.epoch !== void 0 ? String(h.epoch) : void 0, upstream: h.sourceRpm }
    },
    distroBound: true,
    source: src ? { name: src.name, version: `${h.epoch !== void 0 ? `${h.epoch}:` : ""}${src.version}-${src.release}` } : void 0,
    locations: [path],
    licenses: h.license ? [h.license] : void 0,
    properties,
    ...h.files?.length ? { files: h.files } : {}
  };
}
var index_default = defineAnalyzer({
  name: "os/rpm",
  // 2: ndb Packages.db. 3: SQLite through the host's read-only opener, with schema, type and size checks before any row is read.
  // 4: installed file lists.
  version: 4,
  async analyze(files, ctx) {
    const result = emptyResult();
    await eachFile(files, result, async (file) => {
      const found = [];
      const warn = (ordinal, why) => void result.issues.push({ path: file.path, severity: "warning", message: `package header #${ordinal}: ${why}; skipped` });
      const take = (blob, ordinal) => {
        let h;
        try {
          h = parseHeaderBlob(blob);
        } catch (e) {
          return warn(ordinal, e.message);
        }
        if (!h.name || h.name === "gpg-pubkey") {
          if (!h.name) result.issues.push({ path: file.path, severity: "warning", message: `package header #${ordinal} has no NAME tag; skipped` });
          return;
        }
        for (const p of h.problems ?? []) result.issues.push({ path: file.path, severity: "info", message: `package ${h.name} (header #${ordinal}): ${p}; the package is reported without it` });
        found.push(toPackage(h, file.path));
      };
      const bytes = await file.readBytes();
      if (bytes.length >= 16 && Buffer.from(bytes.buffer, bytes.byteOffset, 16).equals(SQLITE_MAGIC)) {
        if (!ctx.openSqlite) {
          result.issues.push({ path: file.path, severity: "error", message: "this host cannot open SQLite databases (no AnalyzeContext.openSqlite); the SQLite rpmdb is not analyzed" });
          return;
        }
        let db;
        try {
          db = ctx.openSqlite(bytes);
          for (const row of sqliteHeaderRows(db, warn)) take(row.blob, row.ordinal);
        } catch (e) {
          result.issues.push({ path: file.path, severity: "error", message: `unreadable SQLite rpmdb: ${e.message}` });
          return;
        } finally {
          db?.close();
        }
      } else {
        let blobs;
        if (isBdbHash(bytes)) {
          try {
            blobs = readBdbHashValues(bytes);
          } catch (e) {
            result.issues.push({ path: file.path, severity: "error", message: `unreadable BerkeleyDB rpmdb: ${e.message}` });
            return;
          }
        } else if (isNdb(bytes)) {
          try {
            blobs = readNdbBlobs(bytes);
          } catch (e) {
            result.issues.push({ path: file.path, severity: "error", message: `unreadable ndb Packages.db: ${e.message}` });
            return;
          }
        } else {
          result.issues.push({ path: file.path, severity: "error", message: 'not an rpm database: expected a SQLite rpmdb ("SQLite format 3" header), a BerkeleyDB hash Packages file or an ndb Packages.db ("RpmP" header)' });
          return;
        }
        blobs.forEach((blob, i) => take(blob, i + 1));
      }
      found.sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      result.packages.push(...found);
    });
    return result;
  }
});
export {
  index_default as default,
  evr,
  readSqliteBlobs
};

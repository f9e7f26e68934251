export {
  escapeFieldValue,
  type FieldRequirement,
  fieldRequirementMatches,
  formatFieldRequirement,
  formatFieldSelector,
  parseFieldSelector,
  readFieldPath,
} from './fieldSelector.js';
export {
  dns1123SubdomainErrors,
  labelKeyErrors,
  labelValueErrors,
  maxLength,
  regexError,
} from './labelRules.js';
export {
  type LabelOperator,
  type LabelRequirement,
  type LabelSelector,
  type LabelSelectorObject,
  labelRequirementMatches,
  parseLabelSelector,
  selectorFromLabelSelectorObject,
  selectorFromSet,
} from './labelSelector.js';
export { SelectorError } from './selectorError.js';

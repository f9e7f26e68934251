import {
  selectorFromLabelSelectorObject as fromObjectShared,
  type LabelSelector,
  type LabelSelectorObject,
  parseLabelSelector as parseShared,
  SelectorError,
} from '@kubesmart/selectors';
import { badRequest } from '../kubeApiError.js';

export type {
  LabelOperator,
  LabelRequirement,
  LabelSelector,
  LabelSelectorObject,
} from '@kubesmart/selectors';
export { selectorFromSet } from '@kubesmart/selectors';

/** The API server's label-selector grammar (@kubesmart/selectors), failing as it fails: 400 BadRequest. */
function asBadRequest<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof SelectorError) throw badRequest(error.message);
    throw error;
  }
}

/** Parses `labelSelector=` text; see @kubesmart/selectors. @throws KubeApiError 400 BadRequest. */
export function parseLabelSelector(text: string): LabelSelector {
  return asBadRequest(() => parseShared(text));
}

/** The selector of a `metav1.LabelSelector`; see @kubesmart/selectors. @throws KubeApiError 400 BadRequest. */
export function selectorFromLabelSelectorObject(sel: LabelSelectorObject | undefined): LabelSelector {
  return asBadRequest(() => fromObjectShared(sel));
}

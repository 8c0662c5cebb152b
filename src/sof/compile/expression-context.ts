/**
 * What compiling one FHIRPath expression of a view needs: the model, alias numbering, the row of
 * the resource (the root), the current %rowIndex, the view's constants, and where the expression
 * sits for error messages.
 */
import type { FhirModel } from '../../model/index.js';
import type { Sql } from '../../sql/index.js';
import type { ExpressionSite } from '../sof-errors.js';
import type { ViewConstant } from '../view/view-types.js';
import type { Aliases, One } from './values.js';

export interface ExpressionContext {
  model: FhirModel;
  aliases: Aliases;
  /** The resource being viewed (its jsonb, with the row's columns for id and meta). */
  root: One;
  /** SQL of the current %rowIndex (an integer). */
  rowIndex: Sql;
  constants: ReadonlyMap<string, ViewConstant>;
  site: ExpressionSite;
  /**
   * An element the type lacks is an empty collection instead of an error: for repeat, whose
   * expressions are followed from nodes of several types (item, then answer.item...).
   */
  lenient?: boolean;
}

/**
 * The SubscriptionTopic resource type, served by this R4 server as a type of its own in the R4B/R5
 * shape (http://hl7.org/fhir/R5/subscriptiontopic.html) as the Subscriptions Backport IG expects of
 * an R4 server (https://hl7.org/fhir/uv/subscriptions-backport/): url, status and the resource
 * triggers with their interactions and criteria, canFilterBy and notificationShape. Event
 * triggers are not defined. Its search parameters are url, status, title, version and resource.
 */
import type { Resource } from '../../core/index.js';
import { differentialElement as element, specializationDefinition, typeSearchParameter, type FhirModel } from '../../model/index.js';

export const SUBSCRIPTION_TOPIC = 'SubscriptionTopic';
export const SUBSCRIPTION_TOPIC_URL = 'urn:flint:StructureDefinition:SubscriptionTopic';

const PUBLICATION_STATUS = 'http://hl7.org/fhir/ValueSet/publication-status|4.0.1';
const T = SUBSCRIPTION_TOPIC;

const TRIGGER_ELEMENTS = [
  element(`${T}.resourceTrigger`, 'BackboneElement', 'A resource change that can trigger a notification', true),
  element(`${T}.resourceTrigger.description`, 'markdown', 'Text describing the trigger'),
  element(`${T}.resourceTrigger.resource`, 'uri', 'The resource type (a type name or its StructureDefinition canonical)', false, 1),
  element(`${T}.resourceTrigger.supportedInteraction`, 'code', 'create | update | delete', true),
  element(`${T}.resourceTrigger.queryCriteria`, 'BackboneElement', 'Query based criteria on the previous and current resource'),
  element(`${T}.resourceTrigger.queryCriteria.previous`, 'string', 'Search criteria the previous version must meet'),
  element(`${T}.resourceTrigger.queryCriteria.resultForCreate`, 'code', 'test-passes | test-fails: the previous test on a create'),
  element(`${T}.resourceTrigger.queryCriteria.current`, 'string', 'Search criteria the current version must meet'),
  element(`${T}.resourceTrigger.queryCriteria.resultForDelete`, 'code', 'test-passes | test-fails: the current test on a delete'),
  element(`${T}.resourceTrigger.queryCriteria.requireBoth`, 'boolean', 'Both tests must pass (otherwise either)'),
  element(`${T}.resourceTrigger.fhirPathCriteria`, 'string', 'FHIRPath criteria over %previous and %current'),
];

const FILTER_ELEMENTS = [
  element(`${T}.canFilterBy`, 'BackboneElement', 'A filter a Subscription of this topic may use', true),
  element(`${T}.canFilterBy.description`, 'markdown', 'Text describing the filter'),
  element(`${T}.canFilterBy.resource`, 'uri', 'The resource type the filter applies to'),
  element(`${T}.canFilterBy.filterParameter`, 'string', 'The search parameter code a Subscription filter names', false, 1),
  element(`${T}.canFilterBy.filterDefinition`, 'uri', 'The canonical of the SearchParameter'),
  element(`${T}.canFilterBy.modifier`, 'code', 'The modifiers a filter may use (not, missing, ...)', true),
];

const SHAPE_ELEMENTS = [
  element(`${T}.notificationShape`, 'BackboneElement', 'What a notification of this topic carries', true),
  element(`${T}.notificationShape.resource`, 'uri', 'The focus resource type of the shape', false, 1),
  element(`${T}.notificationShape.include`, 'string', '_include parameters for the notification', true),
  element(`${T}.notificationShape.revInclude`, 'string', '_revinclude parameters for the notification', true),
];

const DEFINITION = specializationDefinition(T, SUBSCRIPTION_TOPIC_URL, 'A set of events a client can subscribe to (R5 SubscriptionTopic, resource triggers only)', [
  { path: T, short: 'A subscription topic' },
  element(`${T}.url`, 'uri', 'Canonical identifier of the topic', false, 1),
  element(`${T}.identifier`, 'Identifier', 'Business identifier', true),
  element(`${T}.version`, 'string', 'Business version'),
  element(`${T}.title`, 'string', 'Name for this topic'),
  { ...element(`${T}.status`, 'code', 'draft | active | retired | unknown', false, 1), binding: { strength: 'required', valueSet: PUBLICATION_STATUS } },
  element(`${T}.date`, 'dateTime', 'Date status first applied'),
  element(`${T}.description`, 'markdown', 'Description of the topic'),
  ...TRIGGER_ELEMENTS,
  ...FILTER_ELEMENTS,
  ...SHAPE_ELEMENTS,
]);


const SEARCH_PARAMETERS: Resource[] = [
  typeSearchParameter(T, 'url', 'uri', `${T}.url`, 'The canonical URL of the topic'),
  typeSearchParameter(T, 'status', 'token', `${T}.status`, 'The status of the topic'),
  typeSearchParameter(T, 'title', 'string', `${T}.title`, 'The title of the topic'),
  typeSearchParameter(T, 'version', 'token', `${T}.version`, 'The business version of the topic'),
  typeSearchParameter(T, 'resource', 'uri', `${T}.resourceTrigger.resource`, 'The resource type a trigger of the topic watches'),
];

/** Adds the SubscriptionTopic type and its search parameters to the model (once). */
export function addSubscriptionTopicType(model: FhirModel): void {
  if (model.getType(T)?.url === SUBSCRIPTION_TOPIC_URL) return;
  model.addDefinition(DEFINITION);
  for (const parameter of SEARCH_PARAMETERS) model.addDefinition(parameter);
}

/** The types the subscription topics add to the model. */
export const SUBSCRIPTION_TOPIC_TYPES: readonly string[] = [SUBSCRIPTION_TOPIC];

/**
 * The TopicDestination resource type, the native side of topic-based subscriptions in the shape of
 * Aidbox's AidboxTopicDestination: where a SubscriptionTopic's events go. `kind` names the
 * destination and its guarantee (webhook-at-least-once, rabbitmq-at-least-once,
 * rabbitmq-best-effort, nats-at-least-once, nats-best-effort, mqtt-at-least-once,
 * mqtt-best-effort); `topic` is the topic's canonical URL; `filter` narrows the events as a
 * Subscription's filter criteria do; `content` is the payload (full-resource unless told);
 * `parameter` holds the settings of the kind (docs/subscriptions.md#destinations).
 */
import type { Resource } from '../core/index.js';
import { differentialElement as element, specializationDefinition, typeSearchParameter, type FhirModel } from '../model/index.js';

export const TOPIC_DESTINATION = 'TopicDestination';
export const TOPIC_DESTINATION_URL = 'urn:flint:StructureDefinition:TopicDestination';

export const DESTINATION_KINDS = [
  'webhook-at-least-once', 'rabbitmq-at-least-once', 'rabbitmq-best-effort', 'nats-at-least-once', 'nats-best-effort',
  'mqtt-at-least-once', 'mqtt-best-effort',
] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

const T = TOPIC_DESTINATION;
const PARAMETER_TYPES = ['string', 'url', 'unsignedInt', 'integer', 'boolean'];

const DEFINITION = specializationDefinition(T, TOPIC_DESTINATION_URL, 'Where the events of a SubscriptionTopic are delivered: a webhook or a message broker', [
  { path: T, short: 'A destination of a topic\'s events' },
  element(`${T}.status`, 'code', 'active | off', false, 1),
  element(`${T}.kind`, 'code', DESTINATION_KINDS.join(' | '), false, 1),
  element(`${T}.topic`, 'canonical', 'The canonical URL of the SubscriptionTopic', false, 1),
  element(`${T}.filter`, 'string', 'Filter criteria, as a Subscription\'s (Type?param=value), all of which an event must meet', true),
  element(`${T}.content`, 'code', 'empty | id-only | full-resource (the default)'),
  element(`${T}.description`, 'string', 'What the destination is for'),
  { path: `${T}.parameter`, short: 'A setting of the destination\'s kind', min: 0, max: '*', type: [{ code: 'BackboneElement' }] },
  element(`${T}.parameter.name`, 'string', 'The setting\'s name', false, 1),
  { path: `${T}.parameter.value[x]`, short: 'The setting\'s value', min: 1, max: '1', type: PARAMETER_TYPES.map((code) => ({ code })) },
]);

const SEARCH_PARAMETERS: Resource[] = [
  typeSearchParameter(T, 'topic', 'uri', `${T}.topic`, 'The topic whose events the destination receives'),
  typeSearchParameter(T, 'kind', 'token', `${T}.kind`, 'The kind of destination'),
  typeSearchParameter(T, 'status', 'token', `${T}.status`, 'The status of the destination'),
];

/** Adds the TopicDestination type and its search parameters to the model (once). */
export function addTopicDestinationType(model: FhirModel): void {
  if (model.getType(T)?.url === TOPIC_DESTINATION_URL) return;
  model.addDefinition(DEFINITION);
  for (const parameter of SEARCH_PARAMETERS) model.addDefinition(parameter);
}

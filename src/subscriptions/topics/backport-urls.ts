/**
 * The canonical URLs of the Subscriptions Backport IG (STU 1.1,
 * https://hl7.org/fhir/uv/subscriptions-backport/) that Subscriptions and notifications carry.
 */
const IG = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/';

export const BACKPORT = {
  filterCriteria: `${IG}backport-filter-criteria`,
  payloadContent: `${IG}backport-payload-content`,
  heartbeatPeriod: `${IG}backport-heartbeat-period`,
  timeout: `${IG}backport-timeout`,
  maxCount: `${IG}backport-max-count`,
  channelType: `${IG}backport-channel-type`,
  subscription: `${IG}backport-subscription`,
  subscriptionStatusR4: `${IG}backport-subscription-status-r4`,
  notificationR4: `${IG}backport-subscription-notification-r4`,
} as const;

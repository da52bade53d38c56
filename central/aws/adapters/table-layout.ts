/**
 * The one DynamoDB table (partition key `pk`, sort key `sk`, both strings; TTL attribute `expiresAt`
 * in epoch seconds; a stream of new images). Every adapter and handler that touches it agrees here.
 *
 * | item            | pk                     | sk                         | attributes                                     |
 * |-----------------|------------------------|----------------------------|------------------------------------------------|
 * | versioned value | `v#<key>`              | `v`                        | value (S, JSON), version (N), expiresAt        |
 * | set member      | `s#<set key>`          | `<member>` (hashed if long)| expiresAt                                      |
 * | outbox finding  | `outbox#pending`       | `<account>#<region>#<Id>`  | finding (S, ASFF JSON), updatedAt (S), attempts (N), lastError (S); never expires |
 * | signal          | `notify#signal`        | `<event id>`               | event (S, SecurityEvent JSON), expiresAt       |
 * | finding over a signal | `notify#finding` | `<account>#<region>#<Id>`  | finding (S, ASFF JSON), updatedAt (S), expiresAt; never imported |
 *
 * Versioned values include the detector's finding ledger, rule gates and correlation state
 * (`v#corr/<correlation rule id>/<32 hex>`, one per rule and group, central/core/correlation/engine.ts),
 * all under the detector's `v#*` grant (stacks/central/state-access.ts) and expiring like other state.
 *
 * The stream feeds the publisher (pk begins `outbox#`) and the notifier (pk begins `outbox#` or
 * `notify#`). Outbox items carry no `expiresAt`: a finding waits as long as Security Hub is off.
 */

export const OUTBOX_PK = 'outbox#pending';
export const SIGNAL_PK = 'notify#signal';
export const SIGNAL_FINDING_PK = 'notify#finding';
export const VALUE_PREFIX = 'v#';
export const SET_PREFIX = 's#';
export const VALUE_SK = 'v';

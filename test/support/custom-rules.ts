/** A team's own rules, as they would keep them in a `--rules` folder or in `rules/custom/`. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_RULES_DIR } from '../../central/local/rule-files.js';

/** The built-in root-account-usage rule's text. */
export const ROOT_USAGE = readFileSync(join(BUILTIN_RULES_DIR, 'root-account-usage.yaml'), 'utf8');

/** The team's version of root-account-usage: root use is always critical for them. */
export const TEAMS_ROOT_USAGE = ROOT_USAGE.replace('  default: HIGH', '  default: CRITICAL');

/** A Sigma rule the team wrote (`acme_kms_key_scheduled_deletion.yml`, id sigma-acme-kms-key-scheduled-deletion). */
export const KMS_DELETION_SIGMA = `title: KMS Key Scheduled For Deletion
id: 5a3f2c1e-8b7d-4e6a-9c0b-1d2e3f4a5b6c
status: test
description: Detects a KMS key scheduled for deletion outside the key-rotation pipeline.
author: ACME security team
tags:
  - attack.impact
  - attack.t1485
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    eventSource: kms.amazonaws.com
    eventName: ScheduleKeyDeletion
  filter_pipeline:
    userIdentity.arn|contains: ':assumed-role/key-rotation/'
  condition: selection and not filter_pipeline
falsepositives:
  - Keys retired by hand after a migration
level: high
`;

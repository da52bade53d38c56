#!/usr/bin/env node
// The skywatch command. The sources are TypeScript, run through tsx so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../central/cli/main.ts');
await main(process.argv);

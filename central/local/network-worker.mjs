// Worker entry: workers do not inherit the parent's TypeScript loader, so register it here.
import { register } from 'tsx/esm/api';

register();
await import('./network-worker.ts');

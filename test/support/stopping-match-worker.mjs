// A stand-in match worker that stops (exits with code 7) when it is sent a path containing
// "stop-here", so tests can see how the pool lives through a worker thread that dies. It answers
// every other path with an empty match, one message at a time, like the real worker.
import { parentPort } from 'node:worker_threads';

parentPort.postMessage({ ready: true });
parentPort.on('message', ({ id, path }) => {
  if (path.includes('stop-here')) process.exit(7);
  parentPort.postMessage({ id, result: { input: path, events: 0, problems: [], hits: [], failures: [] } });
});

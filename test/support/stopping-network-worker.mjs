// A stand-in network worker that stops (exits with code 7) when it is sent a file whose path
// contains "stop-here", so tests can see what the pool does when a worker thread dies. Every other
// file is answered with its name as the one record-free problem, so a test can see which thread
// (by thread id) counted it.
import { parentPort, threadId } from 'node:worker_threads';

parentPort.postMessage({ ready: true });
parentPort.on('message', (job) => {
  if (job.kind === 'file' && job.path.includes('stop-here')) process.exit(7);
  const input = job.kind === 'file' ? job.path : job.kind === 'text' ? job.name : 'flush';
  parentPort.postMessage({ id: job.id, result: { records: 0, problems: [{ input, reason: `thread ${threadId}`, level: 'notice' }], closed: [], sightings: [] } });
});

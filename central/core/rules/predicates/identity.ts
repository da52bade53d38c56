/** Calls that act on an IAM user other than the caller. */
import { z } from 'zod';
import { obj, str } from '../../decode/fields.js';
import type { Predicate } from './index.js';

const Args = z.object({}).strict();

/**
 * True when the request names a `userName` that is not the calling IAM user. A request without
 * `userName` acts on the caller itself; any role session naming a user acts on someone else.
 */
export const actsOnAnotherUser: Predicate<z.infer<typeof Args>> = {
  description: 'the request targets an IAM user other than the caller',
  args: Args,
  test(event) {
    const target = str(obj(event.raw.requestParameters)?.userName);
    if (!target) return false;
    return !(event.actor.type === 'IAMUser' && event.actor.name === target);
  },
};

/** Argument schemas predicates share. */
import { z } from 'zod';
import { compilePath } from '../path.js';

/** A dotted path, compiled once when the rule loads rather than on every event. */
export const PathArg = z.string().min(1).transform((path) => compilePath(path));

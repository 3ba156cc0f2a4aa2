import { stringTransform } from './string-transform.ts';

export const lowercase = stringTransform('Converts a string field (or each string of an array) to lower case.', (text) => text.toLowerCase());

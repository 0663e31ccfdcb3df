import { mustClass, mustClasses } from '../../lib/css-modules.js';
import styles from './chat.module.css';

/** A class of the chat screens' CSS Module, checked (see mustClass). */
export const cls = (name: string): string => mustClass(styles, name);
export const cs = (...names: Array<string | false | null | undefined>): string =>
  mustClasses(styles, ...names);

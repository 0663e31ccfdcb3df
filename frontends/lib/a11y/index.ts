export { announce } from './announcer.js';
export { focusElement, focusableWithin, escapeToClose, isNativelyFocusable } from './focus.js';

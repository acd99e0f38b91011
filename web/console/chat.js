// The chat column's two parts, kept behind one module for the inbox: the message list
// (bubbles.js, with bubble-content.js) and the agent's composer (composer.js).
export { renderMessages } from './bubbles.js';
export { composer } from './composer.js';

/** Every workflow the Handoff worker registers. */
export { conversationWorkflow } from './conversation';
export { roundRobinWorkflow } from './roundRobin';

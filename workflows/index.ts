/** Every workflow the Handoff worker registers. */
export { conversationWorkflow } from './conversation';
export { eventDeliveryWorkflow } from './eventDelivery';
export { roundRobinWorkflow } from './roundRobin';

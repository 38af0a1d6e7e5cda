/** Every workflow the Handoff worker registers. */
export {};

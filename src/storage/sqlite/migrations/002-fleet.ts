/** Migration 2: the agent fleet (issue 3): performance samples, restarts, system state. Empty until that work lands; SQL statements separated by semicolons. */
export default `
`;

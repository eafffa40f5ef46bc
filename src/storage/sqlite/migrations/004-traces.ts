/** Migration 4: the LangSmith bridge (issue 5): run summaries, cursor. Empty until that work lands; SQL statements separated by semicolons. */
export default `
`;

/** Migration 3: the dashboard/API (issue 4). Empty until that work lands; SQL statements separated by semicolons. */
export default `
`;

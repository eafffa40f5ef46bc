export * from "./log-files.js";
export { LogFollower, followLogs, type FollowOptions } from "./log-follow.js";

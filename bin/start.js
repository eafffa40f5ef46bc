#!/usr/bin/env node
// `npm start`: the supervisor in this very process from the compiled dist/ (see launch.js).
import { launch } from "./launch.js";

await launch("main");

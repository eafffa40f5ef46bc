/**
 * The contract between `bench/run.ts` and a bench module: a module measures, then hands back
 * figure tables (printed as they are) and goals (collected into the final PASS/MISS table).
 */

export interface BenchOptions {
  /** `npm run bench -- --quick`: a short smoke run with smaller sizes and windows. */
  quick: boolean;
  /** `npm run bench -- --duration=SECONDS`: the measuring window of a bench that has one (scale), instead of its default. */
  durationS?: number;
  /** A fresh temp dir for this module; the driver removes it afterwards. */
  tmpDir: string;
  log: (line: string) => void;
}

export interface FigureTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  notes?: string[];
}

export interface Goal {
  goal: string;
  target: string;
  measured: string;
  pass: boolean;
}

export interface BenchResult {
  tables: FigureTable[];
  goals: Goal[];
}

export interface BenchModule {
  name: string;
  run(opts: BenchOptions): Promise<BenchResult>;
}

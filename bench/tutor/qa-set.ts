import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Question {
  qid: string;
  question: string;
  material: string;
  answer: string;
}

export interface QaSet {
  dir: string;
  materials: Array<{ name: string; text: string }>;
  questions: Question[];
  questionsFile: string;
}

/** A set in the benchmark's format: `materials/*.md` and `questions.jsonl`. */
export function loadQaSet(dir: string): QaSet {
  const materialsDir = join(dir, 'materials');
  const materials = readdirSync(materialsDir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(materialsDir, name), 'utf8') }));
  const questionsFile = join(dir, 'questions.jsonl');
  const questions = readFileSync(questionsFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Question);
  return { dir, materials, questions, questionsFile };
}

export interface Scores {
  recall_at_1: number;
  recall_at_5: number;
  mrr_at_10: number;
  [key: string]: unknown;
}

/** Writes `{qid, passages}` lines and scores them with the set's own scorer; returns its JSON line. */
export function score(set: QaSet, scorer: string, resultsFile: string, results: Array<{ qid: string; passages: string[] }>): { line: string; scores: Scores } {
  writeFileSync(resultsFile, `${results.map((result) => JSON.stringify(result)).join('\n')}\n`);
  const line = execFileSync(process.execPath, [scorer, set.questionsFile, resultsFile], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
  return { line, scores: JSON.parse(line) as Scores };
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportGift } from '../formats/gift-export.js';
import { importGift } from '../formats/gift-import.js';
import { exportMoodleXml } from '../formats/moodle-xml-export.js';
import { importMoodleXml } from '../formats/moodle-xml-import.js';
import type { Question } from '../questions/question.js';

/** Files exported by Moodle 4.5.6 (see fixtures/README.md). */
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const xmlBank = importMoodleXml(fixture('fixtures.moodle.xml'));
const giftBank = importGift(fixture('fixtures.gift.txt'));
const byName = (questions: Question[], prefix: string) => questions.find((question) => question.name.startsWith(prefix))!;

/** What GIFT can say: marks, units, case sensitivity, shuffling and essay settings it cannot. */
const GIFT_CANNOT_SAY = ['defaultGrade', 'shuffleAnswers', 'caseSensitive', 'units', 'unitGrading', 'unitPenalty', 'responseFormat', 'responseFieldLines', 'minWordLimit', 'maxWordLimit', 'graderInfo', 'responseTemplate'];
const giftKeeps = (question: Question) => Object.fromEntries(Object.entries(question).filter(([key]) => !GIFT_CANNOT_SAY.includes(key)));

describe('Moodle XML import (Moodle 4.5 export)', () => {
  it('reads the category and the 13 questions with their types', () => {
    expect(xmlBank.category).toBe('$course$/top/Fixtures');
    const types = xmlBank.questions.map((question) => question.type).sort();
    expect(types).toEqual(['cloze', 'description', 'essay', 'matching', 'multichoice', 'multichoice', 'multichoice', 'numerical', 'numerical', 'shortanswer', 'shortanswer', 'truefalse', 'truefalse']);
  });

  it('keeps single-answer choices with HTML feedback, marks, idnumber and tags', () => {
    const capital = byName(xmlBank.questions, 'MC single: capital');
    expect(capital).toMatchObject({ type: 'multichoice', single: true, defaultGrade: 2, idNumber: 'mc-single-es', tags: ['fixtures', 'geography'], generalFeedback: '<p>Madrid has been the capital since 1561.</p>' });
    if (capital.type !== 'multichoice') throw new Error('type');
    expect(capital.answers.map((answer) => [answer.text, answer.fraction])).toEqual([['<p>Madrid</p>', 1], ['<p>Barcelona</p>', 0], ['<p>Sevilla</p>', 0], ['<p>Málaga</p>', 0]]);
    expect(capital.answers[1]!.feedback).toBe('<p>Barcelona is the capital of <em>Cataluña</em>, not of Spain.</p>');
    expect(byName(xmlBank.questions, 'MC single: LaTeX')).toMatchObject({ text: '<p>Which value equals \\( \\frac{1}{2} + \\frac{1}{3} \\)?</p>' });
  });

  it('keeps partial and negative fractions of a multiple-answer question', () => {
    const primes = byName(xmlBank.questions, 'MC multiple');
    expect(primes).toMatchObject({ type: 'multichoice', single: false, shuffleAnswers: false });
    if (primes.type !== 'multichoice') throw new Error('type');
    expect(primes.answers.map((answer) => answer.fraction)).toEqual([0.3333333, 0.3333333, 0.3333333, -0.5, -0.5]);
  });

  it('keeps numerical tolerances, units with multipliers, unit penalty and the catch-all', () => {
    const gravity = byName(xmlBank.questions, 'NUM: gravity');
    expect(gravity).toMatchObject({
      type: 'numerical',
      answers: [
        { text: '9.81', fraction: 1, tolerance: 0.05, feedback: 'Correct.' },
        { text: '10', fraction: 0.5, tolerance: 0, feedback: 'Rounded too much.' },
        { text: '*', fraction: 0, feedback: 'No.' },
      ],
      units: [
        { name: 'm/s²', multiplier: 1 },
        { name: 'cm/s²', multiplier: 100 },
      ],
      unitGrading: 1,
      unitPenalty: 0.1,
    });
    expect(byName(xmlBank.questions, 'NUM: LaTeX')).toMatchObject({ answers: [{ text: '0.333', tolerance: 0.001 }], units: [] });
  });

  it('keeps short-answer variants, case-insensitivity, emoji, true/false feedback, matching, essay and description', () => {
    expect(byName(xmlBank.questions, 'SA: gracias')).toMatchObject({
      caseSensitive: false,
      answers: [{ text: 'gracias', fraction: 1 }, { text: 'muchas gracias', fraction: 1 }, { text: '*', fraction: 0, feedback: 'Inténtalo otra vez.' }],
    });
    expect(byName(xmlBank.questions, 'SA: emoji')).toMatchObject({ name: 'SA: emoji fruit 🍎', answers: [{ text: 'apple', feedback: '🎉 Yes!' }, { text: 'manzana', feedback: '🎉 ¡Sí!' }] });
    expect(byName(xmlBank.questions, 'TF: GIFT')).toMatchObject({ correct: true, feedbackTrue: 'Yes ~ correct = true.', feedbackFalse: 'Wrong {sorry}.', text: '<p>In GIFT the characters ~ = # { } and : must be escaped, e.g. a:b = {x}.</p>' });
    expect(byName(xmlBank.questions, 'MATCH')).toMatchObject({ pairs: [{ question: '<p>Perú</p>', answer: 'Lima' }, { answer: 'Ciudad de México' }, { question: '<p>Ελλάδα (Grecia)</p>', answer: 'Atenas' }, { question: '', answer: 'Bogotá' }], defaultGrade: 3 });
    expect(byName(xmlBank.questions, 'ESSAY')).toMatchObject({ defaultGrade: 10, responseFieldLines: 10, minWordLimit: 50, maxWordLimit: 150, graderInfo: '<p>Full marks need all three points.</p>', responseTemplate: '<p>My city is…</p>' });
    expect(byName(xmlBank.questions, 'DESC').text).toContain('<td>corazón</td><td>heart ❤️</td>');
    expect(byName(xmlBank.questions, 'CLOZE').text).toContain('{2:NUMERICAL:=3.14159:0.01#Good~%50%3:0#Too rough}');
  });

  it('round-trips everything it keeps through its own export', () => {
    expect(importMoodleXml(exportMoodleXml(xmlBank.questions, xmlBank.category!))).toEqual(xmlBank);
  });

  it('refuses broken files with a message that says what is wrong', () => {
    expect(() => importMoodleXml('<quiz><question type="truefalse"></quiz>')).toThrow(/Moodle XML: not well-formed XML \(line 1/);
    expect(() => importMoodleXml('<questions/>')).toThrow(/root element must be <quiz>/);
    expect(() => importMoodleXml('<quiz><question type="ddwtos"><name><text>x</text></name></question></quiz>')).toThrow(/"ddwtos", which osv does not import/);
    expect(() => importMoodleXml('<quiz><question type="multichoice"><name><text>x</text></name><questiontext><text>?</text></questiontext></question></quiz>')).toThrow(/question 1 \("x"\): answers/);
  });
});

describe('GIFT import and export (gift-pegjs)', () => {
  it('reads the 12 questions of the GIFT export (the cloze is only a comment) as the XML import has them, minus what GIFT cannot say', () => {
    expect(giftBank.category).toBe('$course$/top/Fixtures');
    expect(giftBank.questions).toHaveLength(12);
    const xmlWithoutCloze = xmlBank.questions.filter((question) => question.type !== 'cloze');
    expect(giftBank.questions.map(giftKeeps)).toEqual(xmlWithoutCloze.map(giftKeeps));
  });

  it('reads GIFT as Moodle does: our GIFT import equals Moodle’s own re-import of that file', () => {
    const moodleReimport = importMoodleXml(fixture('roundtrip-from-gift.moodle.xml'));
    expect(moodleReimport.questions).toHaveLength(12);
    const ours = new Map(giftBank.questions.map((question) => [question.name, giftKeeps(question)]));
    for (const question of moodleReimport.questions) expect(giftKeeps(question), question.name).toEqual(ours.get(question.name));
  });

  it('round-trips what GIFT can express, escaping ~ = # { } : and keeping Unicode', () => {
    const gift = exportGift(xmlBank.questions, xmlBank.category!);
    expect(gift).toContain('In GIFT the characters \\~ \\= \\# \\{ \\} and \\: must be escaped');
    const back = importGift(gift);
    expect(back.category).toBe('$course$/top/Fixtures');
    expect(back.questions.map(giftKeeps)).toEqual(xmlBank.questions.filter((question) => question.type !== 'cloze').map(giftKeeps));
    expect(importGift(exportGift(giftBank.questions, giftBank.category!))).toEqual(giftBank);
  });

  it('refuses a GIFT file it cannot read, naming the place', () => {
    expect(() => importGift('::Q1:: What is 2+2? {=4 ~3')).toThrow(/GIFT: cannot read the file at line 1/);
  });
});

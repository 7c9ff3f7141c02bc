import type { TutorCitationEvent } from '../../../widgets/src/api-types.js';
import type { Passage } from '../retrieval/lexical-index.js';

const SNIPPET_CHARS = 240;

/** Where a learner reads a passage: the material's reading page, at the passage. */
export function passageUrl(publicUrl: string, tenantId: string, passage: Passage): string {
  const url = new URL(`/api/v1/plugins/ai-tutor/materials/${passage.materialId}/view`, publicUrl);
  url.searchParams.set('tenant', tenantId);
  url.searchParams.set('access', passage.viewKey);
  url.hash = passage.page === null ? `chunk-${passage.position}` : `page-${passage.page}`;
  return url.toString();
}

export function citationOf(publicUrl: string, tenantId: string, passage: Passage, index: number): TutorCitationEvent {
  const snippet = passage.text.length > SNIPPET_CHARS ? `${passage.text.slice(0, SNIPPET_CHARS).replace(/\s+\S*$/, '')}…` : passage.text;
  return {
    index,
    materialId: passage.materialId,
    title: passage.materialTitle,
    ...(passage.headingPath.length > 0 ? { heading: passage.headingPath.join(' › ') } : {}),
    ...(passage.page === null ? {} : { page: passage.page }),
    url: passageUrl(publicUrl, tenantId, passage),
    snippet,
  };
}

/** The passage numbers an answer refers to as [n], in order of first mention. */
export function citedNumbers(text: string, available: number): number[] {
  const numbers = [...text.matchAll(/\[(\d{1,2})\]/g)].map((match) => Number(match[1])).filter((n) => n >= 1 && n <= available);
  return [...new Set(numbers)];
}

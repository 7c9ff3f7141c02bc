import { html, nothing, type TemplateResult } from 'lit';

/** A course material as the instructors' API lists it (GET /plugins/ai-tutor/materials). */
export interface MaterialItem {
  id: string;
  title: string;
  status: 'queued' | 'processing' | 'ready' | 'failed' | 'needs_transcription' | 'superseded';
  stage: string;
  percent: number;
  error: string | null;
}

export interface MaterialsPanelHost {
  t(key: string, params?: Record<string, string | number>): string;
  upload(file: File): void;
  reindex(material: MaterialItem): void;
  remove(material: MaterialItem): void;
}

/** Still moving through the pipeline: the list is refreshed until none is. */
export function inProgress(materials: MaterialItem[]): boolean {
  return materials.some((material) => material.status === 'queued' || material.status === 'processing');
}

/** The instructors' panel under the tutor: each material with its progress, and an upload button. */
export function materialsPanel(host: MaterialsPanelHost, materials: MaterialItem[], busy: boolean): TemplateResult {
  const status = (material: MaterialItem) =>
    host.t(`tutor.status.${material.status}`, { stage: material.stage, percent: material.percent, error: material.error ?? '' });
  return html`<details part="materials" class="materials">
    <summary>${host.t('tutor.materials')}</summary>
    ${materials.length === 0 ? html`<p>${host.t('tutor.materialsNone')}</p>` : nothing}
    <ul>
      ${materials.map(
        (material) => html`<li>
          <span class="material-title">${material.title}</span> — <span class="material-status">${status(material)}</span>
          <button type="button" aria-label=${host.t('tutor.reindex', { title: material.title })} @click=${() => host.reindex(material)}>↻</button>
          <button type="button" aria-label=${host.t('tutor.delete', { title: material.title })} @click=${() => host.remove(material)}>✕</button>
        </li>`,
      )}
    </ul>
    <label
      >${busy ? host.t('tutor.uploading') : host.t('tutor.upload')}
      <input
        type="file"
        ?disabled=${busy}
        @change=${(event: Event) => {
          const input = event.target as HTMLInputElement;
          const file = input.files?.[0];
          if (file) host.upload(file);
          input.value = '';
        }}
    /></label>
  </details>`;
}

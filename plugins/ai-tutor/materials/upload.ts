import busboy from 'busboy';
import type { Request } from 'express';
import { OsvError } from '../../../core/plugin-api.js';

export interface UploadedFile {
  filename: string;
  bytes: Buffer;
  /** Text fields sent with the file (e.g. `title`). */
  fields: Record<string, string>;
}

/**
 * Streams a multipart upload with one file (field `file`), stopping as soon as it grows past
 * `maxBytes`: nothing larger than the limit is ever held in memory.
 */
export function receiveUpload(req: Request, maxBytes: number): Promise<UploadedFile> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(
      new OsvError('OSV_ERR_UNSUPPORTED_MEDIA_TYPE', 'Send the material as multipart/form-data with the file in a field named "file"'),
    );
  }
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: { filename: string; parts: Buffer[] } | undefined;
    let settled = false;
    const fail = (error: OsvError) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.resume();
      reject(error);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 10_000 } });
    } catch {
      return reject(new OsvError('OSV_ERR_VALIDATION', 'The multipart body is malformed (missing boundary)'));
    }
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || file) {
        stream.resume();
        return;
      }
      const current = { filename: info.filename || 'material', parts: [] as Buffer[] };
      file = current;
      stream.on('data', (part: Buffer) => current.parts.push(part));
      stream.on('limit', () => {
        const megabytes = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
        fail(new OsvError('OSV_ERR_PAYLOAD_TOO_LARGE', `The file is larger than this tenant's upload limit of ${megabytes} MB; upload a smaller file or ask an administrator to raise maxUploadMegabytes`));
      });
    });
    parser.on('error', () => fail(new OsvError('OSV_ERR_VALIDATION', 'The multipart body is malformed; upload the file again')));
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      if (!file) {
        reject(new OsvError('OSV_ERR_VALIDATION', 'No file was sent: put the material in a multipart field named "file"', [{ field: 'file', issue: 'missing' }]));
        return;
      }
      const bytes = Buffer.concat(file.parts);
      if (bytes.length === 0) {
        reject(new OsvError('OSV_ERR_VALIDATION', 'The file is empty', [{ field: 'file', issue: 'empty' }]));
        return;
      }
      resolve({ filename: file.filename, bytes, fields });
    });
    req.pipe(parser);
  });
}

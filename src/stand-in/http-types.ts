import type { IncomingHttpHeaders } from 'node:http';

/** A file part of a multipart request (`files[n]`). */
export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
}

/** A parsed REST request as handlers see it (path is relative to `/api/v10`). */
export interface RestRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
  headers: IncomingHttpHeaders;
}

export interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const json = (body: unknown, status = 200): RestResult => ({ status, body });
export const noContent = (): RestResult => ({ status: 204 });

/** Discord's boolean query strings accept True/true/1 and False/false/0. */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && ['true', 'True', '1'].includes(value);
}

import { AppError, CommonErrors, type ErrorBody } from '@darman/platform';

export interface CallOptions {
  requestId?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
}

export interface ReadinessReport {
  status: string;
  info?: Record<string, unknown>;
  error?: Record<string, unknown>;
}

/**
 * JSON over HTTP to one internal service (Node's fetch keeps connections
 * alive). An unreachable service becomes 503 SERVICE_UNAVAILABLE; an error
 * answer in the API shape is passed on as it is.
 */
export class ServiceClient {
  constructor(
    readonly service: string,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async get<T>(path: string, options: CallOptions = {}): Promise<T> {
    const { status, body } = await this.request('GET', path, options);
    if (status >= 400) throw this.upstreamError(status, body);
    return body as T;
  }

  /** The service's `/health/ready` answer, whatever its status. */
  async readiness(requestId?: string): Promise<{ httpStatus: number; report: ReadinessReport }> {
    const { status, body } = await this.request('GET', '/health/ready', { requestId });
    return { httpStatus: status, report: body as ReadinessReport };
  }

  private async request(method: string, path: string, options: CallOptions): Promise<{ status: number; body: unknown }> {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { accept: 'application/json', ...(options.requestId ? { 'x-request-id': options.requestId } : {}), ...options.headers },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw CommonErrors.serviceUnavailable(this.service);
    }
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      if (response.status < 400) throw CommonErrors.serviceUnavailable(this.service);
    }
    return { status: response.status, body };
  }

  private upstreamError(status: number, body: unknown): AppError {
    const shaped = body as Partial<ErrorBody> | undefined;
    if (status >= 500 || !shaped?.code) return status === 503 ? CommonErrors.serviceUnavailable(this.service) : CommonErrors.internal();
    return new AppError(shaped.code, status, { en: shaped.message ?? '', fa: shaped.message ?? '' }, shaped.details ?? []);
  }
}

/** What a guard answers instead of the request: a 4xx and a sentence saying what to do about it. */
export type Refusal = { status: number; error: string; headers?: Record<string, string> };

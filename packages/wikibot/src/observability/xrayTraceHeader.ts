import { type Context, ROOT_CONTEXT, type SpanContext, TraceFlags, trace } from '@opentelemetry/api';

/**
 * The span context of an X-Ray trace header (`Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`,
 * what Lambda puts in _X_AMZN_TRACE_ID for each invocation): wikibot's spans then belong to the
 * function's trace, and follow its sampling decision. Undefined for a header without root or parent.
 */
export function xrayParent(header: string | undefined): SpanContext | undefined {
  if (!header) return undefined;
  const fields = new Map(header.split(';').map((field) => field.trim().split('=') as [string, string]));
  const root = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/.exec(fields.get('Root') ?? '');
  const parent = fields.get('Parent') ?? '';
  if (!root || !/^[0-9a-f]{16}$/.test(parent)) return undefined;
  return {
    traceId: `${root[1]}${root[2]}`,
    spanId: parent,
    traceFlags: fields.get('Sampled') === '1' ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
}

/** The context whose parent span is the X-Ray trace header's, if it names one: a request's span joins that trace. */
export function xrayContext(header: string | undefined): Context | undefined {
  const parent = xrayParent(header);
  return parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : undefined;
}

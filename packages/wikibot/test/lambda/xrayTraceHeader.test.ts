import { TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { xrayParent } from '../../src/observability/xrayTraceHeader.js';

describe('the X-Ray trace header Lambda gives each invocation (_X_AMZN_TRACE_ID)', () => {
  it('becomes the parent of wikibot’s spans, with its sampling decision', () => {
    expect(xrayParent('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1')).toEqual({
      traceId: '5759e988bd862e3fe1be46a994272793',
      spanId: '53995c3f42cd8ad8',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    expect(
      xrayParent('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0')?.traceFlags,
    ).toBe(TraceFlags.NONE);
  });

  it('is ignored when it has no root or parent, or a malformed one', () => {
    for (const header of [
      undefined,
      '',
      'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
      'Parent=53995c3f42cd8ad8;Sampled=1',
      'Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8',
      'Root=1-5759e988-bd862e3f;Parent=53995c3f42cd8ad8',
    ])
      expect(xrayParent(header), String(header)).toBeUndefined();
  });
});

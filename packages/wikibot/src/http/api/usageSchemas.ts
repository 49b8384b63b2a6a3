import { z } from '@hono/zod-openapi';

/** Shapes of the usage and limits routes (http/api/usage.ts): they validate and document them. */

const UsageLine = z
  .object({
    used: z.number().int(),
    /** null: unlimited */
    limit: z.number().int().nullable(),
  })
  .openapi('UsageLine');

export const UsageSchema = z
  .object({
    slug: z.string(),
    pages: UsageLine,
    repo_bytes: UsageLine,
    attachment_bytes: UsageLine,
    attachments: UsageLine,
  })
  .openapi('WikiUsage');

export const UsageListSchema = z.object({ wikis: z.array(UsageSchema) }).openapi('WikiUsageList');

const Override = z.number().int().min(0).nullable().optional();

/** A platform admin's overrides: a number (0: unlimited), null for the configured default, absent: unchanged. */
export const LimitsBody = z
  .object({
    pages: Override,
    repo_bytes: Override,
    attachment_bytes: Override,
    attachments: Override,
  })
  .strict()
  .openapi('WikiLimitsUpdate');

const Overrides = z
  .object({
    pages: z.number().int().nullable(),
    repo_bytes: z.number().int().nullable(),
    attachment_bytes: z.number().int().nullable(),
    attachments: z.number().int().nullable(),
  })
  .openapi('WikiLimitOverrides');

export const LimitsResultSchema = z
  .object({ slug: z.string(), overrides: Overrides, usage: UsageSchema })
  .openapi('WikiLimits');

import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

export interface DomainSettings {
  domain: string;
  /** A Route 53 hosted zone for the domain: the certificate's validation record and the alias are made there. */
  hostedZoneId?: string;
}

/**
 * The API on a custom domain: an ACM certificate validated by DNS (waited for before the domain is
 * created, as API Gateway refuses a certificate still pending), the regional domain and its mapping
 * to the stage. With a hosted zone the DNS records are made here; without one they are yours to make
 * (docs/deploy-aws.md, step 5).
 */
export function createDomain(
  name: string,
  tags: Record<string, string>,
  target: { apiId: pulumi.Input<string>; stageId: pulumi.Input<string> },
  settings: DomainSettings,
) {
  const certificate = new aws.acm.Certificate(`${name}-cert`, {
    domainName: settings.domain,
    validationMethod: 'DNS',
    tags,
  });
  const challenge = certificate.domainValidationOptions.apply((options) => {
    const [option] = options;
    if (!option) throw new Error(`ACM gave no DNS validation record for ${settings.domain}`);
    return option;
  });
  const zoneId = settings.hostedZoneId;
  const validationRecord =
    zoneId &&
    new aws.route53.Record(`${name}-cert-validation`, {
      zoneId,
      name: challenge.resourceRecordName,
      type: challenge.resourceRecordType,
      records: [challenge.resourceRecordValue],
      ttl: 300,
      allowOverwrite: true,
    });
  const validation = new aws.acm.CertificateValidation(`${name}-cert-validated`, {
    certificateArn: certificate.arn,
    ...(validationRecord ? { validationRecordFqdns: [validationRecord.fqdn] } : {}),
  });
  const domain = new aws.apigatewayv2.DomainName(`${name}-domain`, {
    domainName: settings.domain,
    domainNameConfiguration: {
      certificateArn: validation.certificateArn,
      endpointType: 'REGIONAL',
      securityPolicy: 'TLS_1_2',
    },
    tags,
  });
  new aws.apigatewayv2.ApiMapping(`${name}-mapping`, {
    apiId: target.apiId,
    domainName: domain.id,
    stage: target.stageId,
  });
  if (zoneId) {
    new aws.route53.Record(`${name}-domain-alias`, {
      zoneId,
      name: settings.domain,
      type: 'A',
      aliases: [
        {
          name: domain.domainNameConfiguration.targetDomainName,
          zoneId: domain.domainNameConfiguration.hostedZoneId,
          evaluateTargetHealth: false,
        },
      ],
    });
  }
  return { certificate, domain, challenge };
}

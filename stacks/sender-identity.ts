import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { SesDomainDkim } from '@cdktf/provider-aws/lib/ses-domain-dkim';
import { SesDomainIdentity } from '@cdktf/provider-aws/lib/ses-domain-identity';
import { SesDomainIdentityVerification } from '@cdktf/provider-aws/lib/ses-domain-identity-verification';
import { SesDomainMailFrom } from '@cdktf/provider-aws/lib/ses-domain-mail-from';
import { Fn, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { mailFromDomain, type Settings } from '../inputs/settings';
import { ACCOUNT_ID, InputChecks } from './input-checks';
import { PIPELINE_REGION } from './region';
import { CheckBlock } from './terraform-blocks';

/**
 * How long a deploy waits for SES to verify the domain once the records are
 * in the hosted zone. Route 53 serves a new record within a minute or two and
 * SES usually verifies within minutes after that; when it has not after ten,
 * something is wrong that waiting does not fix (the zone is not the one the
 * world asks, see the `sender_hosted_zone` check), and the provider's default
 * of 45 minutes only delays the error. The records and the identity stay, so
 * a later deploy waits again from where this one stopped.
 */
export const VERIFICATION_TIMEOUT = '10m';

/** The name of the check block on the hosted zone (warnings at plan time). */
export const HOSTED_ZONE_CHECK = 'sender_hosted_zone';

/** One DNS record SES needs. `value` may hold Terraform tokens (known after apply). */
export interface DnsRecord {
  readonly name: string;
  readonly type: 'TXT' | 'CNAME' | 'MX';
  readonly value: string;
  /** What the record is for, for people adding it by hand. */
  readonly purpose: string;
}

/** Number of DKIM tokens SES Easy DKIM returns (always three CNAME records). */
export const DKIM_TOKEN_COUNT = 3;

/**
 * The records SES needs for a domain, with placeholders where SES chooses the
 * value: for the plan summary and the README, before anything exists.
 */
export function sesDnsRecordsTemplate(
  domain: string,
  mailFromDomain: string,
  region: string = PIPELINE_REGION,
): DnsRecord[] {
  return [
    {
      name: `_amazonses.${domain}`,
      type: 'TXT',
      value: '<verification token: output ses_dns_records after apply>',
      purpose: 'SES domain verification',
    },
    ...[1, 2, 3].map((n): DnsRecord => ({
      name: `<dkim token ${n}>._domainkey.${domain}`,
      type: 'CNAME',
      value: `<dkim token ${n}>.dkim.amazonses.com`,
      purpose: `DKIM signing key ${n} of 3`,
    })),
    {
      name: mailFromDomain,
      type: 'MX',
      value: `10 feedback-smtp.${region}.amazonses.com`,
      purpose: 'MAIL FROM domain: bounces and complaints',
    },
    {
      name: mailFromDomain,
      type: 'TXT',
      value: 'v=spf1 include:amazonses.com ~all',
      purpose: 'MAIL FROM domain: SPF',
    },
  ];
}

/**
 * The records someone must add by hand for these settings: all six when no
 * hosted zone is configured, none otherwise. For the plan summary; the real
 * values are in the `ses_dns_records` output after apply.
 */
export function dnsRecordsToAddByHand(settings: Settings): DnsRecord[] {
  if (settings.hostedZoneId !== undefined) return [];
  return sesDnsRecordsTemplate(settings.sender.domain, mailFromDomain(settings));
}

export interface SenderIdentityProps {
  readonly accountId: string;
  /** The sender domain, e.g. `example.com`. */
  readonly domain: string;
  /** The custom MAIL FROM domain, a subdomain of `domain`, e.g. `mail.example.com`. */
  readonly mailFromDomain: string;
  /**
   * Route 53 hosted zone of `domain`. When given, the verification, DKIM and
   * MAIL FROM records are written there and the deployment waits until SES
   * has verified the domain. When absent, the records are only listed (output
   * `ses_dns_records`) for someone to add by hand.
   * @default none
   */
  readonly hostedZoneId?: string;
  /** @default "us-east-1" */
  readonly region?: string;
  /** TTL of the records written to Route 53. @default 1800 */
  readonly ttl?: number;
}

/**
 * SES domain identity with Easy DKIM and a custom MAIL FROM domain
 * (docs/design.md, "Sending needs a verified SES domain identity with DKIM").
 */
export class SenderIdentity extends Construct {
  readonly identity: SesDomainIdentity;
  readonly dkim: SesDomainDkim;
  readonly mailFrom: SesDomainMailFrom;
  /** Present only with a hosted zone. */
  readonly verification?: SesDomainIdentityVerification;
  /** Present only with a hosted zone: warns at plan time when it is not the domain's public zone. */
  readonly zoneCheck?: CheckBlock;
  /** Route 53 records written (empty without a hosted zone). */
  readonly route53Records: readonly Route53Record[];
  /** The records SES needs, with their real (token) values. */
  readonly dnsRecords: readonly DnsRecord[];
  /** True when the records must be added by hand (no hosted zone). */
  readonly manualDns: boolean;
  /** The identity's ARN as a literal string, for IAM policies. */
  readonly identityArn: string;
  readonly output: TerraformOutput;

  constructor(scope: Construct, id: string, props: SenderIdentityProps) {
    super(scope, id);
    const region = props.region ?? PIPELINE_REGION;
    const ttl = props.ttl ?? 1800;
    new InputChecks()
      .matches('accountId', props.accountId, ACCOUNT_ID, 'must be 12 digits')
      .matches(
        'domain',
        props.domain,
        /^(?:[a-z0-9-]+\.)+[a-z]{2,63}$/,
        'is not a lower-case domain name',
      )
      .check(
        props.mailFromDomain.endsWith(`.${props.domain}`),
        `mailFromDomain "${props.mailFromDomain}" must be a subdomain of "${props.domain}"`,
      )
      .integerIn('ttl', ttl, 60, 172800)
      .throwIfAny(this);

    this.identity = new SesDomainIdentity(this, 'identity', { domain: props.domain });
    this.identityArn = `arn:aws:ses:${region}:${props.accountId}:identity/${props.domain}`;
    this.dkim = new SesDomainDkim(this, 'dkim', { domain: this.identity.domain });
    this.mailFrom = new SesDomainMailFrom(this, 'mail-from', {
      domain: this.identity.domain,
      mailFromDomain: props.mailFromDomain,
      // If the MX record goes missing, SES falls back to its own domain rather than bouncing.
      behaviorOnMxFailure: 'UseDefaultValue',
    });

    const dkimToken = (i: number) => Fn.element(this.dkim.dkimTokens, i) as string;
    this.dnsRecords = [
      {
        name: `_amazonses.${props.domain}`,
        type: 'TXT',
        value: this.identity.verificationToken,
        purpose: 'SES domain verification',
      },
      ...Array.from({ length: DKIM_TOKEN_COUNT }, (_, i): DnsRecord => ({
        name: `${dkimToken(i)}._domainkey.${props.domain}`,
        type: 'CNAME',
        value: `${dkimToken(i)}.dkim.amazonses.com`,
        purpose: `DKIM signing key ${i + 1} of ${DKIM_TOKEN_COUNT}`,
      })),
      {
        name: props.mailFromDomain,
        type: 'MX',
        value: `10 feedback-smtp.${region}.amazonses.com`,
        purpose: 'MAIL FROM domain: bounces and complaints',
      },
      {
        name: props.mailFromDomain,
        type: 'TXT',
        value: 'v=spf1 include:amazonses.com ~all',
        purpose: 'MAIL FROM domain: SPF',
      },
    ];
    this.manualDns = props.hostedZoneId === undefined;

    const records: Route53Record[] = [];
    if (props.hostedZoneId !== undefined) {
      const zoneId = props.hostedZoneId;
      const ids = [
        'record-verification',
        'record-dkim-1',
        'record-dkim-2',
        'record-dkim-3',
        'record-mail-from-mx',
        'record-mail-from-spf',
      ];
      this.dnsRecords.forEach((r, i) => {
        records.push(
          new Route53Record(this, ids[i], {
            zoneId,
            name: r.name,
            type: r.type,
            ttl,
            records: [r.value],
          }),
        );
      });
      this.verification = new SesDomainIdentityVerification(this, 'verification', {
        domain: this.identity.domain,
        dependsOn: [records[0]],
        timeouts: { create: VERIFICATION_TIMEOUT },
      });
      // Checked at every plan, before anything waits on SES: the zone must be
      // the sender domain's public zone, or the records land where nobody
      // looks and the verification can only time out. A check only warns
      // (and so does a failure to read the zone, e.g. in an offline plan).
      this.zoneCheck = new CheckBlock(this, 'zone-check', {
        name: HOSTED_ZONE_CHECK,
        data: { aws_route53_zone: { sender: { zone_id: zoneId } } },
        assertions: [
          {
            condition: `\${lower(trimsuffix(data.aws_route53_zone.sender.name, ".")) == "${props.domain}"}`,
            errorMessage: `hostedZoneId ${zoneId} is not the zone of the sender domain ${props.domain}: the SES records would be written where nobody looks, and verification would time out after ${VERIFICATION_TIMEOUT}. Set hostedZoneId to the public hosted zone named ${props.domain}.`,
          },
          {
            condition: '${!data.aws_route53_zone.sender.private_zone}',
            errorMessage: `hostedZoneId ${zoneId} is a private hosted zone: SES and mail servers cannot see its records. Use the public hosted zone of ${props.domain}.`,
          },
        ],
      });
    }
    this.route53Records = records;

    this.output = new TerraformOutput(this, 'dns-records', {
      description: this.manualDns
        ? 'DNS records to add by hand to the sender domain for SES (no hosted zone configured)'
        : 'DNS records written to the hosted zone for SES',
      value: this.dnsRecords.map((r) => ({ name: r.name, type: r.type, value: r.value })),
    });
    this.output.overrideLogicalId('ses_dns_records');
  }
}

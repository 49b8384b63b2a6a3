import { createSocket } from 'node:dgram';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';

type ExportCallback = Parameters<SpanExporter['export']>[1];
// ExportResultCode of @opentelemetry/core.
const SUCCESS = 0;
const FAILED = 1;

/** The X-Ray daemon's framing for spans in OTLP form: a header line, then `T1S` and the request in base64. */
const HEADER = '{"format":"json","version":1}\nT1S';
/** A datagram must stay under 64 KiB: bigger batches go out in halves. */
const MAX_DATAGRAM = 60_000;

/**
 * Spans over UDP to the X-Ray daemon that AWS Lambda runs beside a function with active tracing
 * (AWS_XRAY_DAEMON_ADDRESS), as ADOT's X-Ray UDP exporter sends them: image functions take no ADOT
 * layer, and this needs no collector, no SigV4 and no route out of the VPC.
 */
export class XrayDaemonExporter implements SpanExporter {
  private readonly socket = createSocket('udp4');
  private readonly host: string;
  private readonly port: number;

  constructor(address: string) {
    const separator = address.lastIndexOf(':');
    this.host = address.slice(0, separator);
    this.port = Number(address.slice(separator + 1));
    if (!this.host || !Number.isInteger(this.port))
      throw new Error(`X-Ray daemon address is not host:port: ${address}`);
    this.socket.unref();
  }

  export(spans: ReadableSpan[], done: ExportCallback): void {
    Promise.resolve(spans)
      .then((batch) => Promise.all(this.datagrams(batch).map((datagram) => this.send(datagram))))
      .then(
        () => done({ code: SUCCESS }),
        (error: Error) => done({ code: FAILED, error }),
      );
  }

  async shutdown(): Promise<void> {
    this.socket.close();
  }

  async forceFlush(): Promise<void> {}

  private datagrams(spans: ReadableSpan[]): Buffer[] {
    const request = ProtobufTraceSerializer.serializeRequest(spans);
    if (!request) return [];
    const datagram = Buffer.from(`${HEADER}${Buffer.from(request).toString('base64')}`);
    if (datagram.length <= MAX_DATAGRAM || spans.length === 1) return [datagram];
    const half = Math.ceil(spans.length / 2);
    return [...this.datagrams(spans.slice(0, half)), ...this.datagrams(spans.slice(half))];
  }

  private send(datagram: Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(datagram, this.port, this.host, (error) => (error ? reject(error) : resolve())),
    );
  }
}

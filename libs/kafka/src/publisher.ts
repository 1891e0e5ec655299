/**
 * Publishing keyed, schema-checked events. The producer is idempotent (acks from all in-sync
 * replicas, one request in flight) so a retried send does not duplicate a message.
 */
import type { TopicSpec } from '@mlc/events';
import { type Kafka, Partitioners, type Producer } from 'kafkajs';
import { encodeEvent } from './codec.js';

export type EventHeaders = Record<string, string>;

export class EventPublisher {
  readonly #producer: Producer;
  #connected = false;

  constructor(kafka: Kafka) {
    this.#producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.#producer.on(this.#producer.events.DISCONNECT, () => {
      this.#connected = false;
    });
  }

  get connected(): boolean {
    return this.#connected;
  }

  async connect(): Promise<void> {
    await this.#producer.connect();
    this.#connected = true;
  }

  async publish<T>(spec: TopicSpec<T>, key: string, value: T, headers: EventHeaders = {}): Promise<void> {
    await this.#producer.send({
      topic: spec.name,
      acks: -1,
      messages: [{ key, value: encodeEvent(spec, value), headers }],
    });
  }

  /**
   * Publishes many events of one topic in one produce request per `chunk` (each one schema-checked),
   * in order; for pollers that announce thousands of small events at once.
   */
  async publishMany<T>(
    spec: TopicSpec<T>,
    events: ReadonlyArray<{ key: string; value: T; headers?: EventHeaders }>,
    chunk = 500,
  ): Promise<void> {
    for (let start = 0; start < events.length; start += chunk) {
      await this.#producer.send({
        topic: spec.name,
        acks: -1,
        messages: events.slice(start, start + chunk).map((event) => ({
          key: event.key,
          value: encodeEvent(spec, event.value),
          headers: event.headers ?? {},
        })),
      });
    }
  }

  /** Sends a raw message as it is; used for dead-lettering a message that failed validation. */
  async publishRaw(
    topic: string,
    key: Buffer | string | null,
    value: Buffer | null,
    headers: EventHeaders,
  ): Promise<void> {
    await this.#producer.send({ topic, acks: -1, messages: [{ key, value, headers }] });
  }

  async disconnect(): Promise<void> {
    await this.#producer.disconnect();
    this.#connected = false;
  }
}

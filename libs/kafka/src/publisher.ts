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

/** Prefixes topic and group names so tests can share one broker without seeing each other. */
export class TopicNamer {
  constructor(readonly prefix = '') {}

  topic(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** The contract topic name of a (possibly prefixed) physical topic. */
  contractTopic(physical: string): string {
    return this.prefix && physical.startsWith(this.prefix) ? physical.slice(this.prefix.length) : physical;
  }

  group(name: string): string {
    return `${this.prefix}${name}`;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

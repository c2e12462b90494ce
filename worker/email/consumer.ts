// The mail queue's consumer. Placeholder until delivery is built: acknowledges nothing, so
// messages stay on the queue rather than being dropped.
import type { MailMessage } from "./message";

export async function consumeMail(batch: MessageBatch<MailMessage>, _env: Env): Promise<void> {
  batch.retryAll({ delaySeconds: 60 });
}

// Mail decided inside a ledger transaction that must carry a registrant's manage link (a
// promotion from the waitlist, a manage link sent again): the link is an HMAC of the
// registration's salt, an await the transaction cannot make. The message carries the salt
// instead, and the token is derived here, on the way from the outbox to the queue; the salt does
// not travel further.

import type { MailMessage, QueuedMail } from "../email/message";
import type { MailQueues } from "../email/queues";
import { derivedToken } from "../ids/ids";
import type { SigningKeys } from "../ids/signing-keys";

type MailQueue = Pick<MailQueues, "sendBatch">;

/** A queue that derives each message's manage token from its `manageSalt` before handing it on. */
export function withManageLinks(queue: () => MailQueue, keys: () => Promise<SigningKeys>, sessionId: () => string | undefined): MailQueue {
  return {
    async sendBatch(requests, options) {
      const id = sessionId();
      let signing: SigningKeys | undefined;
      const withToken = async (message: MailMessage): Promise<MailMessage> => {
        const { manageSalt, ...body } = message;
        if (!manageSalt || !id) return message;
        signing ??= await keys();
        const { token } = await derivedToken(signing, "manage", id, manageSalt);
        return { ...body, data: { ...body.data, manageToken: token } } as MailMessage;
      };
      const ready = await Promise.all(
        [...requests].map(async (request) => {
          const body = request.body;
          const next: QueuedMail =
            "messages" in body ? { ...body, messages: await Promise.all(body.messages.map(withToken)) } : await withToken(body);
          return { ...request, body: next };
        }),
      );
      return queue().sendBatch(ready, options);
    },
  };
}

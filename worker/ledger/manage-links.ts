// Mail decided inside a ledger transaction that must carry a registrant's manage link (a
// promotion from the waitlist): the link is an HMAC of the registration's salt, an await the
// transaction cannot make. The message carries the salt instead, and the token is derived here,
// on the way from the outbox to the queue; the salt does not travel further.

import type { MailMessage } from "../email/message";
import { derivedToken } from "../ids/ids";

type MailQueue = Pick<Queue<MailMessage>, "sendBatch">;

/** A queue that derives each message's manage token from its `manageSalt` before handing it on. */
export function withManageLinks(queue: () => MailQueue, signingSecret: () => string, sessionId: () => string | undefined): MailQueue {
  return {
    async sendBatch(messages, options) {
      const id = sessionId();
      const ready = await Promise.all(
        [...messages].map(async (request) => {
          const { manageSalt, ...body } = request.body;
          if (!manageSalt || !id) return request;
          const { token } = await derivedToken(signingSecret(), "manage", id, manageSalt);
          return { ...request, body: { ...body, data: { ...body.data, manageToken: token } } as MailMessage };
        }),
      );
      return queue().sendBatch(ready, options);
    },
  };
}

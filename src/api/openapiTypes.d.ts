// Generated from the OpenAPI document by `npm run openapi:types` (openapi-typescript); do not edit.

export interface paths {
    "/v1/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a prospect's conversations
         * @description Every conversation of the prospect Temporal still has, newest first: the first one (`prospect-<id>`) and those re-enrolments started (`prospect-<id>~<campaign>`), with their status and stage. Address one with `GET /v1/conversations/{id}~{campaign}`.
         */
        get: operations["listConversations"];
        put?: never;
        /**
         * Start a conversation with a prospect
         * @description Starts the prospect's conversation (workflow `prospect-<id>`), or returns the one it already has, running or finished: a start is idempotent by prospect id. A prospect on the suppression list is refused. With `reenrol: true` and a `campaign`, a prospect whose conversations have all ended without an opt-out is started again in that campaign: a new conversation `prospect-<id>~<campaign>` (idempotent by prospect and campaign), listed with the earlier ones by `GET /v1/conversations?prospectId=`; refused while one still runs (409 `conversation_running`), after an opt-out (409 `opted_out`) and while the address is suppressed (409 `suppressed`).
         */
        post: operations["startConversation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start conversations with a list of prospects
         * @description Starts up to 1000 conversations, each as `POST /v1/conversations` would, and answers with a result per item in order: `created`, `existing` (the prospect already had a conversation), `suppressed`, or `invalid` (with the fields that are wrong). Each item is validated on its own, so one bad row does not refuse the others; starts are idempotent by prospect id, so a batch sent again answers `existing` for what it already started.
         */
        post: operations["startConversations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{prospectId}/replies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a prospect's reply into the conversation
         * @description Signals the reply to the conversation, which pauses automation and classifies it. A repeated message id is ignored. A text over the inline limit is stored whole first and the conversation gets its first bytes (`bodyRef`). With a signing secret configured, the request must carry `X-Handoff-Timestamp` and a `v2=` `X-Handoff-Signature`.
         */
        post: operations["reply"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{prospectId}/replies/{messageId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a stored reply in full
         * @description The whole text of a reply longer than the inline limit (the thread shows its first bytes and `bodyRef`).
         */
        get: operations["replyText"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{prospectId}/escalations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Escalate a conversation by hand
         * @description Asks for a rep now, with a reason (and optionally a trigger to route by). A conversation takes a bounded number of manual escalations.
         */
        post: operations["escalate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{prospectId}/claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Claim the open escalation
         * @description The first eligible rep to claim wins and gets the handoff packet; a later claim is told who holds it. A rep key claims as its rep; an admin key names the rep in `repId`.
         */
        post: operations["claim"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{prospectId}/hand-back": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hand the conversation back to automation
         * @description The owner (or a manager) resumes the cadence, from a given step and after a delay if asked.
         */
        post: operations["handBack"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{prospectId}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Close the conversation with an outcome
         * @description The owner (or a manager) closes it as won, lost, disqualified or no response.
         */
        post: operations["close"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{prospectId}/reassign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reassign the conversation to another rep
         * @description The owner (or a manager) gives it to a rep the roster's ladder reaches at this tier (or a manager), who is alerted on their own channels.
         */
        post: operations["reassign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{prospectId}/feedback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Say whether an escalation was needed
         * @description A rep involved in the escalation (the latest, or the one numbered) records whether it was needed; the review and training read it.
         */
        post: operations["feedback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{prospectId}/meetings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record a meeting booked with the buyer
         * @description The owner (or a manager) of a claimed conversation records a meeting with the buyer: the state lists it, the ledger (`meeting_booked`) and the CRM hear of it, the outreach tool gets `conversation.meeting_booked`, and the stage becomes `meeting_booked` (the rep still owns it, and can hand it back or close it). Its invite is at `GET …/meetings/{number}/invite.ics`.
         */
        post: operations["bookMeeting"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{prospectId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add the rep's own message to the thread
         * @description A message the rep wrote to the prospect (by email, phone, LinkedIn…) joins the conversation's thread as author `rep`, so the packet, the next rep and the review see the whole story; the ledger records it (`rep_message`). It is the key's rep's own message: a rep key naming another rep is refused (403 `not_your_rep`); an admin key names the rep in `repId`. Idempotent by `messageId`: a repeated id answers `duplicate: true` and adds nothing.
         */
        post: operations["repMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{prospectId}/meetings/{number}/invite.ics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a booked meeting's calendar invite
         * @description The iCalendar (`.ics`) invite of meeting `number` (1-based): from the rep who booked it to the buyer, with a UID stable per conversation and meeting.
         */
        get: operations["meetingInvite"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{prospectId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Show a conversation
         * @description The conversation's state: stage, thread (texts cut to a few KB), ladder, packet, escalations, owner, next step.
         */
        get: operations["show"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{prospectId}/suggested-reply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Suggest the rep's next reply
         * @description A reply the rep could send next, written from the conversation's thread as its claim alerts carry it: by the model when one is configured (`HANDOFF_MODEL_URL`) and answers in time, else from the reply template (the campaign's for a re-enrolment, the shipped one otherwise). It answers the prospect's latest reply and picks up what the automation already said. Nothing is sent or recorded.
         */
        get: operations["suggestedReply"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/escalations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List open or claimed escalations
         * @description Conversations whose stage is escalated (`status=open`) or claimed, newest first, filtered by trigger or company.
         */
        get: operations["escalations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/suppressions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the suppression list
         * @description A page of the list, newest first, with the total.
         */
        get: operations["listSuppressions"];
        put?: never;
        /**
         * Suppress an address or a domain
         * @description Adds one address (optionally kept only as its hash) or one domain; no conversation is started with it again, and a running one ends before its next send.
         */
        post: operations["addSuppression"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reps/{repId}/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A rep's availability
         * @description What the API or the CLI set for the rep and still in force; `available` when nothing is.
         */
        get: operations["getAvailability"];
        /**
         * Set a rep's availability
         * @description Away or out of office (until a time, or until set back), or available again. Routing passes an unavailable rep over at its next decision, recording why on the rung. A rep's key sets its own rep; a manager or an admin key sets anyone's.
         */
        put: operations["setAvailability"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbound/email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deliver one inbound email
         * @description Takes one raw RFC 5322 message (`content-type: message/rfc822`, up to 10 MiB), signed over its bytes as a posted reply is when HANDOFF_REPLY_SIGNING_SECRET is set. Mail from a rep in the roster (their own message, BCC'd to the inbound address or answering our thread) joins its conversation's thread as the rep's message (found by the Message-IDs it answers, else by its To/Cc recipients), never read as a prospect's reply. A reply goes to its conversation (found by the Message-IDs it answers, else by its sender) as the reply signal, its Message-ID the idempotency key; auto-replies (`Auto-Submitted`, `X-Autoreply`, `Precedence: auto_reply|bulk`) never escalate; a delivery status notification puts its failed recipients on the suppression list (`bounce`); anything else is kept as unmatched. A redelivered message answers what its first delivery did, with `duplicate: true`.
         */
        post: operations["inboundEmail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbound/unmatched": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List inbound mail no conversation claimed
         * @description Messages that answered no email of ours and came from no address a conversation is writing to, or answered a conversation that had ended: newest first, with the total.
         */
        get: operations["unmatchedMail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbound/unmatched/{messageId}/assign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Assign an unmatched message to a conversation
         * @description A person who knows where an unmatched message belongs sends it to that conversation as the prospect's reply (its Message-ID the reply's id, its kept text the reply, classified like any other) and it leaves the unmatched list. The Message-ID goes in the path URL-encoded (`%3Cb71%40mail.example%3E`).
         */
        post: operations["assignUnmatched"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/unsubscribe/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Show an unsubscribe link's confirmation page
         * @description The page the email's unsubscribe link opens: a button that unsubscribes. Opening it changes nothing (link scanners open links).
         */
        get: operations["unsubscribePage"];
        put?: never;
        /**
         * Unsubscribe (one-click)
         * @description Puts the address the email went to on the suppression list and ends its conversation as opted out, as an opt-out reply does. Takes the one-click body of RFC 8058 (`List-Unsubscribe=One-Click`) or the page's empty form; a browser (Accept: text/html) gets a page. Repeating it changes nothing.
         */
        post: operations["unsubscribe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/prospects/{prospectId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Erase a prospect
         * @description Terminates and deletes the conversation's runs, removes the prospect's texts from the ledger and the journals, and keeps the address suppressed as a hash only. `email` names addresses to erase as well, for a conversation Temporal no longer holds.
         */
        delete: operations["eraseProspect"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/claim-links/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Show a claim link's confirmation page
         * @description The page an alert's link opens: who asked what, and a button that claims (a link preview never claims). The token is the credential; a team link's page asks for the rep's own API key. Refusals are pages too.
         */
        get: operations["claimLinkPage"];
        put?: never;
        /**
         * Claim through a claim link
         * @description Claims the escalation the link was sent for, as the rep it was sent to; a team link claims only as the rep whose own key is given (`apiKey`, or an Authorization header). A script gets JSON; a browser (Accept: text/html) gets a page.
         */
        post: operations["claimThroughLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/codec/encode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Encrypt payloads
         * @description Temporal's codec-server convention: `{ payloads: [{ metadata, data }] }` with base64 bytes, for the namespace in `X-Namespace` (empty or this server's).
         */
        post: operations["codecEncode"];
        delete?: never;
        /**
         * CORS preflight of encode
         * @description Allows the Temporal Web UI's origin (TEMPORAL_UI_URL), with credentials; any other origin is refused.
         */
        options: operations["codecEncodePreflight"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/codec/decode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decrypt payloads
         * @description Temporal's codec-server convention: `{ payloads: [{ metadata, data }] }` with base64 bytes, for the namespace in `X-Namespace` (empty or this server's). Payloads not encrypted pass through.
         */
        post: operations["codecDecode"];
        delete?: never;
        /**
         * CORS preflight of decode
         * @description Allows the Temporal Web UI's origin (TEMPORAL_UI_URL), with credentials; any other origin is refused.
         */
        options: operations["codecDecodePreflight"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/codec/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Show the codec sign-in page
         * @description A page that takes an API key (rep or admin) and sets the session cookie the Temporal UI decodes with; when signed in, it says as whom and until when.
         */
        get: operations["codecSignInPage"];
        put?: never;
        /**
         * Sign in to the codec endpoint
         * @description Sets the HttpOnly, SameSite=Strict session cookie (12 hours) from a pasted API key. A form posted from another site is refused (login CSRF).
         */
        post: operations["codecSignIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/codec/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out of the codec endpoint
         * @description Clears the session cookie.
         */
        post: operations["codecSignOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Check health
         * @description Whether Temporal answers (within 2 s) and, when this process runs a worker, whether it is running.
         */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Prometheus metrics
         * @description The API's metrics (time to claim, …) and, when the worker exports them, the Temporal SDK's, in the Prometheus text format.
         */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read this OpenAPI document
         * @description The OpenAPI 3.1 document of every route, built from the schemas the API validates with.
         */
        get: operations["openApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "conversation.escalated": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The outreach tool is told: conversation.escalated
         * @description Posted once the ledger has the event, at least once: Temporal retries until the receiver answers 2xx (a 4xx other than 408 and 429 is taken as a refusal and not retried). Deduplicate by `id` (also in `X-Handoff-Event-Id`). Verify `X-Handoff-Signature: v1=<hex HMAC-SHA256 of "<X-Handoff-Timestamp>.<body>">` with the events secret, and refuse timestamps more than five minutes off.
         */
        post: operations["event.escalated"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "conversation.claimed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The outreach tool is told: conversation.claimed
         * @description Posted once the ledger has the event, at least once: Temporal retries until the receiver answers 2xx (a 4xx other than 408 and 429 is taken as a refusal and not retried). Deduplicate by `id` (also in `X-Handoff-Event-Id`). Verify `X-Handoff-Signature: v1=<hex HMAC-SHA256 of "<X-Handoff-Timestamp>.<body>">` with the events secret, and refuse timestamps more than five minutes off.
         */
        post: operations["event.claimed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "conversation.handed_back": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The outreach tool is told: conversation.handed_back
         * @description Posted once the ledger has the event, at least once: Temporal retries until the receiver answers 2xx (a 4xx other than 408 and 429 is taken as a refusal and not retried). Deduplicate by `id` (also in `X-Handoff-Event-Id`). Verify `X-Handoff-Signature: v1=<hex HMAC-SHA256 of "<X-Handoff-Timestamp>.<body>">` with the events secret, and refuse timestamps more than five minutes off.
         */
        post: operations["event.handed_back"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "conversation.meeting_booked": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The outreach tool is told: conversation.meeting_booked
         * @description Posted once the ledger has the event, at least once: Temporal retries until the receiver answers 2xx (a 4xx other than 408 and 429 is taken as a refusal and not retried). Deduplicate by `id` (also in `X-Handoff-Event-Id`). Verify `X-Handoff-Signature: v1=<hex HMAC-SHA256 of "<X-Handoff-Timestamp>.<body>">` with the events secret, and refuse timestamps more than five minutes off.
         */
        post: operations["event.meeting_booked"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "conversation.closed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The outreach tool is told: conversation.closed
         * @description Posted once the ledger has the event, at least once: Temporal retries until the receiver answers 2xx (a 4xx other than 408 and 429 is taken as a refusal and not retried). Deduplicate by `id` (also in `X-Handoff-Event-Id`). Verify `X-Handoff-Signature: v1=<hex HMAC-SHA256 of "<X-Handoff-Timestamp>.<body>">` with the events secret, and refuse timestamps more than five minutes off.
         */
        post: operations["event.closed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "conversation.opted_out": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The outreach tool is told: conversation.opted_out
         * @description Posted once the ledger has the event, at least once: Temporal retries until the receiver answers 2xx (a 4xx other than 408 and 429 is taken as a refusal and not retried). Deduplicate by `id` (also in `X-Handoff-Event-Id`). Verify `X-Handoff-Signature: v1=<hex HMAC-SHA256 of "<X-Handoff-Timestamp>.<body>">` with the events secret, and refuse timestamps more than five minutes off.
         */
        post: operations["event.opted_out"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        BookedMeeting: {
            /** @description 1-based, in booking order; the invite is at GET /v1/conversations/{prospectId}/meetings/{number}/invite.ics */
            number: number;
            /** @description an ISO 8601 instant */
            startsAt: string;
            durationMinutes: number;
            repId: string;
            escalation: number;
            /** @description an ISO 8601 instant */
            bookedAt: string;
            bookedBy: string;
            note?: string;
        };
        ConversationState: {
            conversationId: string;
            /** @enum {string} */
            stage: "automating" | "paused" | "escalated" | "claimed" | "meeting_booked" | "closed" | "opted_out";
            prospect: {
                id: string;
                name: string;
                /** Format: email */
                email: string;
                company: string;
                title?: string;
                timeZone?: string;
                owner?: string;
                /** @default {} */
                profile: {
                    [key: string]: unknown;
                };
            };
            thread: {
                messageId: string;
                /** @enum {string} */
                author: "automation" | "prospect" | "rep";
                channel: string;
                text: string;
                /** @description an ISO 8601 instant */
                at: string;
                labels?: ("human_request" | "buying_intent" | "pricing" | "technical" | "opt_out" | "out_of_office" | "not_now" | "referral" | "none")[];
                step?: number;
                trigger?: ("human_request" | "buying_intent" | "pricing" | "technical") | null;
                rulesVersion?: string;
                modelVersion?: string | null;
                decidedBy?: {
                    [key: string]: "rules" | "model" | "both" | "endpoint";
                };
                subject?: string;
                truncated?: boolean;
                /** @description fetch the whole text at GET /v1/conversations/{prospectId}/replies/{messageId} */
                bodyRef?: string;
                bodyBytes?: number;
                /** @description the rep who wrote a message of author `rep` */
                repId?: string;
            }[];
            earlierMessages?: number;
            ladder: {
                tier: number;
                eligibleRepIds: string[];
                /** @enum {string} */
                audience: "rep" | "lead" | "team";
                assignees: {
                    repId: string;
                    name: string;
                }[];
                /** @description an ISO 8601 instant */
                alertedAt: string;
                /** @description an ISO 8601 instant */
                deadline: string;
                /** @enum {string} */
                outcome: "pending" | "claimed" | "expired" | "skipped" | "cancelled";
                lastTier?: boolean;
                note?: string;
                deliveries?: {
                    repId: string;
                    channel: string;
                    /** @enum {string} */
                    status: "delivered" | "failed";
                    /** @description an ISO 8601 instant */
                    at: string;
                    error?: string;
                }[];
            }[];
            packet: components["schemas"]["HandoffPacket"] | null;
            escalations: {
                number: number;
                /** @enum {string} */
                reason: "human_request" | "buying_intent" | "pricing" | "technical" | "manual";
                trigger: ("human_request" | "buying_intent" | "pricing" | "technical") | null;
                /** @enum {string} */
                status: "open" | "claimed" | "handed_back" | "closed" | "cancelled";
                /** @description an ISO 8601 instant */
                escalatedAt: string;
                triggeringMessageId: string | null;
                evidence: {
                    /** @enum {string} */
                    label: "human_request" | "buying_intent" | "pricing" | "technical" | "opt_out" | "out_of_office" | "not_now" | "referral" | "none";
                    rule: string;
                    start: number;
                    end: number;
                    text: string;
                }[];
                rulesFired: string[];
                rulesVersion: string | null;
                modelVersion?: string | null;
                decidedBy?: {
                    [key: string]: "rules" | "model" | "both" | "endpoint";
                };
                manualNote?: string;
                rulesSaidNo?: boolean;
                /** @enum {string} */
                unclassified?: "time_limit" | "thread_failed";
                laterTriggers: {
                    /** @enum {string} */
                    reason: "human_request" | "buying_intent" | "pricing" | "technical" | "manual";
                    messageId: string | null;
                    /** @description an ISO 8601 instant */
                    at: string;
                }[];
                laterTriggersDropped?: number;
                rungs: {
                    tier: number;
                    eligibleRepIds: string[];
                    /** @enum {string} */
                    audience: "rep" | "lead" | "team";
                    assignees: {
                        repId: string;
                        name: string;
                    }[];
                    /** @description an ISO 8601 instant */
                    alertedAt: string;
                    /** @description an ISO 8601 instant */
                    deadline: string;
                    /** @enum {string} */
                    outcome: "pending" | "claimed" | "expired" | "skipped" | "cancelled";
                    lastTier?: boolean;
                    note?: string;
                    deliveries?: {
                        repId: string;
                        channel: string;
                        /** @enum {string} */
                        status: "delivered" | "failed";
                        /** @description an ISO 8601 instant */
                        at: string;
                        error?: string;
                    }[];
                }[];
                claimedBy: string | null;
                claimedAt: string | null;
                feedback: {
                    /** @enum {string} */
                    verdict: "needed" | "not_needed";
                    note?: string;
                    repId?: string;
                    /** @description an ISO 8601 instant */
                    at: string;
                } | null;
                /** @description an ISO 8601 instant */
                acknowledgedAt?: string;
                reassignments?: {
                    from: string | null;
                    to: string;
                    /** @description an ISO 8601 instant */
                    at: string;
                    actor: {
                        /** @enum {string} */
                        via: "api_key" | "claim_link";
                        keyId: string | null;
                        repId: string;
                        onBehalfOf: boolean;
                        manager: boolean;
                    } | null;
                    deliveries: {
                        repId: string;
                        channel: string;
                        /** @enum {string} */
                        status: "delivered" | "failed";
                        /** @description an ISO 8601 instant */
                        at: string;
                        error?: string;
                    }[];
                }[];
                /** @description a low-priority task (one notice, no claim deadline, no re-alerts), not an escalation */
                task?: {
                    /**
                     * @description `reply`: a reply that needs a human answer; `referral`: a referral with no address we could contact (none named, only our own or the prospect's, or past the referral limit)
                     * @enum {string}
                     */
                    kind: "reply" | "referral";
                    /** @constant */
                    priority: "low";
                    /** @description for a referral: the prospect's words that pointed elsewhere */
                    named?: string;
                    /** @description the escalation a later trigger opened, ending this task */
                    supersededBy?: number;
                };
            }[];
            owner: string | null;
            nextStep: {
                index: number;
                name: string;
                /** @description an ISO 8601 instant */
                at: string;
            } | null;
            outcome: ("won" | "lost" | "disqualified" | "no_response") | null;
            optedOut: boolean;
            sent: {
                step: number;
                name: string;
                /** @description an ISO 8601 instant */
                at: string;
                messageId: string;
            }[];
            counts: {
                replies: number;
                repliesInThread: number;
                repliesOutsideThread: number;
                manualEscalations: number;
                manualEscalationsRefused: number;
            };
            meetings?: components["schemas"]["BookedMeeting"][];
            /** @description conversations started with colleagues the prospect referred us to */
            referrals?: {
                email: string;
                conversationId: string;
                messageId: string;
                /** @description an ISO 8601 instant */
                at: string;
                /**
                 * @description `suppressed`: the address is on the suppression list, and no conversation was started
                 * @enum {string}
                 */
                outcome: "started" | "already_started" | "suppressed";
            }[];
            /** @description the conversation whose prospect referred us to this one's */
            referredBy?: {
                conversationId: string;
                prospectId: string;
                name: string;
                company: string;
                messageId: string;
            };
        };
        Error: {
            error: {
                /** @description stable, machine-readable: invalid_request, unauthenticated, not_found, suppressed, … */
                code: string;
                /** @description for people: names the field or the rule */
                message: string;
                /** @description structured facts: the rejected fields, a limit, who holds a claim */
                details: {
                    [key: string]: unknown;
                };
            };
        };
        HandoffPacket: {
            conversationId: string;
            prospect: {
                id: string;
                name: string;
                /** Format: email */
                email: string;
                company: string;
                title?: string;
                timeZone?: string;
                owner?: string;
                /** @default {} */
                profile: {
                    [key: string]: unknown;
                };
            };
            /** @description the campaign the conversation runs for; absent: the defaults */
            campaign?: string;
            research: {
                [key: string]: unknown;
            } | null;
            /** @enum {string} */
            reason: "human_request" | "buying_intent" | "pricing" | "technical" | "manual";
            summary: string;
            triggeringMessageId: string | null;
            evidence: {
                /** @enum {string} */
                label: "human_request" | "buying_intent" | "pricing" | "technical" | "opt_out" | "out_of_office" | "not_now" | "referral" | "none";
                rule: string;
                start: number;
                end: number;
                text: string;
            }[];
            rulesFired: string[];
            readers?: {
                rulesVersion: string | null;
                modelVersion: string | null;
                decidedBy: {
                    [key: string]: "rules" | "model" | "both" | "endpoint";
                };
            };
            manualNote?: string;
            thread: {
                messageId: string;
                /** @enum {string} */
                author: "automation" | "prospect" | "rep";
                channel: string;
                text: string;
                /** @description an ISO 8601 instant */
                at: string;
                labels?: ("human_request" | "buying_intent" | "pricing" | "technical" | "opt_out" | "out_of_office" | "not_now" | "referral" | "none")[];
                step?: number;
                trigger?: ("human_request" | "buying_intent" | "pricing" | "technical") | null;
                rulesVersion?: string;
                modelVersion?: string | null;
                decidedBy?: {
                    [key: string]: "rules" | "model" | "both" | "endpoint";
                };
                subject?: string;
                truncated?: boolean;
                /** @description fetch the whole text at GET /v1/conversations/{prospectId}/replies/{messageId} */
                bodyRef?: string;
                bodyBytes?: number;
                /** @description the rep who wrote a message of author `rep` */
                repId?: string;
            }[];
            earlierMessages?: number;
            automationSent: {
                step: number;
                name: string;
                /** @description an ISO 8601 instant */
                at: string;
            }[];
            suggestedNextStep: string;
            /** @description an ISO 8601 instant */
            escalatedAt: string;
            meeting?: components["schemas"]["MeetingOffer"];
            /** @description a low-priority task (one notice, no claim deadline, no re-alerts), not an escalation */
            task?: {
                /**
                 * @description `reply`: a reply that needs a human answer; `referral`: a referral with no address we could contact (none named, only our own or the prospect's, or past the referral limit)
                 * @enum {string}
                 */
                kind: "reply" | "referral";
                /** @constant */
                priority: "low";
                /** @description for a referral: the prospect's words that pointed elsewhere */
                named?: string;
                /** @description the escalation a later trigger opened, ending this task */
                supersededBy?: number;
            };
        };
        MeetingOffer: {
            repId: string;
            repName: string;
            /** @description the zone the labels are in: the buyer's, else the rep's */
            timeZone: string;
            slots: {
                /** @description an ISO 8601 instant */
                startsAt: string;
                /** @description an ISO 8601 instant */
                endsAt: string;
                /** @description the start on the buyer's clock: "Mon 16 Jun 09:30 CEST" */
                label: string;
            }[];
            /** @description the rep's booking link */
            bookingUrl?: string;
        };
    };
    responses: {
        /** @description claimed; the handoff packet */
        Claimed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "packet": {
                 *         "conversationId": "prospect-p-1042",
                 *         "prospect": {
                 *           "id": "p-1042",
                 *           "name": "Dana Whitfield",
                 *           "email": "dana@northwind.example",
                 *           "company": "Northwind Traders",
                 *           "title": "Head of Operations",
                 *           "timeZone": "Europe/Berlin",
                 *           "profile": {
                 *             "industry": "logistics",
                 *             "employees": 420
                 *           }
                 *         },
                 *         "research": {
                 *           "summary": "Northwind Traders, logistics, 420 employees"
                 *         },
                 *         "reason": "pricing",
                 *         "summary": "Dana Whitfield (Northwind Traders) asked about pricing.",
                 *         "triggeringMessageId": "m-77",
                 *         "evidence": [
                 *           {
                 *             "label": "pricing",
                 *             "rule": "pricing.cost_question",
                 *             "start": 0,
                 *             "end": 17,
                 *             "text": "What does it cost"
                 *           }
                 *         ],
                 *         "rulesFired": [
                 *           "pricing.cost_question"
                 *         ],
                 *         "thread": [
                 *           {
                 *             "messageId": "out-0",
                 *             "author": "automation",
                 *             "channel": "email",
                 *             "text": "Hi Dana, …",
                 *             "at": "2026-03-02T08:00:00.000Z",
                 *             "step": 0,
                 *             "subject": "Routing for Northwind"
                 *           },
                 *           {
                 *             "messageId": "m-77",
                 *             "author": "prospect",
                 *             "channel": "email",
                 *             "text": "What does it cost for 40 seats?",
                 *             "at": "2026-03-04T09:12:00.000Z",
                 *             "labels": [
                 *               "pricing"
                 *             ],
                 *             "trigger": "pricing",
                 *             "rulesVersion": "r-2026-02"
                 *           }
                 *         ],
                 *         "automationSent": [
                 *           {
                 *             "step": 0,
                 *             "name": "first touch",
                 *             "at": "2026-03-02T08:00:00.000Z"
                 *           }
                 *         ],
                 *         "suggestedNextStep": "Answer the pricing question for 40 seats and offer a call.",
                 *         "escalatedAt": "2026-03-04T09:12:00.000Z"
                 *       },
                 *       "claimedBy": "ana"
                 *     }
                 */
                "application/json": {
                    packet: components["schemas"]["HandoffPacket"];
                    claimedBy: string;
                };
            };
        };
        /** @description no conversation for that prospect */
        ConversationNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "not_found",
                 *         "message": "no conversation for prospect p-1042",
                 *         "details": {}
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description the conversation after the update */
        ConversationUpdated: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "state": {
                 *         "conversationId": "prospect-p-1042",
                 *         "stage": "claimed",
                 *         "prospect": {
                 *           "id": "p-1042",
                 *           "name": "Dana Whitfield",
                 *           "email": "dana@northwind.example",
                 *           "company": "Northwind Traders",
                 *           "title": "Head of Operations",
                 *           "timeZone": "Europe/Berlin",
                 *           "profile": {
                 *             "industry": "logistics",
                 *             "employees": 420
                 *           }
                 *         },
                 *         "thread": [
                 *           {
                 *             "messageId": "out-0",
                 *             "author": "automation",
                 *             "channel": "email",
                 *             "text": "Hi Dana, …",
                 *             "at": "2026-03-02T08:00:00.000Z",
                 *             "step": 0,
                 *             "subject": "Routing for Northwind"
                 *           },
                 *           {
                 *             "messageId": "m-77",
                 *             "author": "prospect",
                 *             "channel": "email",
                 *             "text": "What does it cost for 40 seats?",
                 *             "at": "2026-03-04T09:12:00.000Z",
                 *             "labels": [
                 *               "pricing"
                 *             ],
                 *             "trigger": "pricing",
                 *             "rulesVersion": "r-2026-02"
                 *           }
                 *         ],
                 *         "ladder": [
                 *           {
                 *             "tier": 1,
                 *             "eligibleRepIds": [
                 *               "ana"
                 *             ],
                 *             "audience": "rep",
                 *             "assignees": [
                 *               {
                 *                 "repId": "ana",
                 *                 "name": "Ana Weber"
                 *               }
                 *             ],
                 *             "alertedAt": "2026-03-04T09:12:00.000Z",
                 *             "deadline": "2026-03-04T09:42:00.000Z",
                 *             "outcome": "claimed"
                 *           }
                 *         ],
                 *         "packet": {
                 *           "conversationId": "prospect-p-1042",
                 *           "prospect": {
                 *             "id": "p-1042",
                 *             "name": "Dana Whitfield",
                 *             "email": "dana@northwind.example",
                 *             "company": "Northwind Traders",
                 *             "title": "Head of Operations",
                 *             "timeZone": "Europe/Berlin",
                 *             "profile": {
                 *               "industry": "logistics",
                 *               "employees": 420
                 *             }
                 *           },
                 *           "research": {
                 *             "summary": "Northwind Traders, logistics, 420 employees"
                 *           },
                 *           "reason": "pricing",
                 *           "summary": "Dana Whitfield (Northwind Traders) asked about pricing.",
                 *           "triggeringMessageId": "m-77",
                 *           "evidence": [
                 *             {
                 *               "label": "pricing",
                 *               "rule": "pricing.cost_question",
                 *               "start": 0,
                 *               "end": 17,
                 *               "text": "What does it cost"
                 *             }
                 *           ],
                 *           "rulesFired": [
                 *             "pricing.cost_question"
                 *           ],
                 *           "thread": [
                 *             {
                 *               "messageId": "out-0",
                 *               "author": "automation",
                 *               "channel": "email",
                 *               "text": "Hi Dana, …",
                 *               "at": "2026-03-02T08:00:00.000Z",
                 *               "step": 0,
                 *               "subject": "Routing for Northwind"
                 *             },
                 *             {
                 *               "messageId": "m-77",
                 *               "author": "prospect",
                 *               "channel": "email",
                 *               "text": "What does it cost for 40 seats?",
                 *               "at": "2026-03-04T09:12:00.000Z",
                 *               "labels": [
                 *                 "pricing"
                 *               ],
                 *               "trigger": "pricing",
                 *               "rulesVersion": "r-2026-02"
                 *             }
                 *           ],
                 *           "automationSent": [
                 *             {
                 *               "step": 0,
                 *               "name": "first touch",
                 *               "at": "2026-03-02T08:00:00.000Z"
                 *             }
                 *           ],
                 *           "suggestedNextStep": "Answer the pricing question for 40 seats and offer a call.",
                 *           "escalatedAt": "2026-03-04T09:12:00.000Z"
                 *         },
                 *         "escalations": [
                 *           {
                 *             "number": 1,
                 *             "reason": "pricing",
                 *             "trigger": "pricing",
                 *             "status": "claimed",
                 *             "escalatedAt": "2026-03-04T09:12:00.000Z",
                 *             "triggeringMessageId": "m-77",
                 *             "evidence": [
                 *               {
                 *                 "label": "pricing",
                 *                 "rule": "pricing.cost_question",
                 *                 "start": 0,
                 *                 "end": 17,
                 *                 "text": "What does it cost"
                 *               }
                 *             ],
                 *             "rulesFired": [
                 *               "pricing.cost_question"
                 *             ],
                 *             "rulesVersion": "r-2026-02",
                 *             "laterTriggers": [],
                 *             "rungs": [],
                 *             "claimedBy": "ana",
                 *             "claimedAt": "2026-03-04T09:20:00.000Z",
                 *             "feedback": null
                 *           }
                 *         ],
                 *         "owner": "ana",
                 *         "nextStep": null,
                 *         "outcome": null,
                 *         "optedOut": false,
                 *         "sent": [
                 *           {
                 *             "step": 0,
                 *             "name": "first touch",
                 *             "at": "2026-03-02T08:00:00.000Z",
                 *             "messageId": "out-0"
                 *           }
                 *         ],
                 *         "counts": {
                 *           "replies": 1,
                 *           "repliesInThread": 1,
                 *           "repliesOutsideThread": 0,
                 *           "manualEscalations": 0,
                 *           "manualEscalationsRefused": 0
                 *         }
                 *       }
                 *     }
                 */
                "application/json": {
                    state: components["schemas"]["ConversationState"];
                };
            };
        };
        /** @description the key lacks the scope for this route */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "forbidden",
                 *         "message": "this key (outreach) lacks the scope for this route (rep)",
                 *         "details": {}
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description an unexpected failure, logged under the request id */
        Internal: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "internal",
                 *         "message": "internal error; see the server log for request req-1",
                 *         "details": {}
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description the request does not match the schema; `details.fields` names each field */
        InvalidRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "invalid_request",
                 *         "message": "body.prospect.email: Invalid email address",
                 *         "details": {
                 *           "fields": [
                 *             {
                 *               "field": "body.prospect.email",
                 *               "message": "Invalid email address"
                 *             }
                 *           ]
                 *         }
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description the body is over the request limit */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "payload_too_large",
                 *         "message": "the request body is over the limit of 262144 bytes",
                 *         "details": {
                 *           "limit": 262144
                 *         }
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description the key lacks the rep scope, acts for another rep, or the rep may not do this now (not_owner, not_eligible, unknown_rep, …) */
        RepRefused: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "not_owner",
                 *         "message": "only the owner (ana) or a manager may do this",
                 *         "details": {}
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description the conversation is not at a stage that allows it (not_claimed, not_escalated, conversation_over) */
        StageRefused: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "not_claimed",
                 *         "message": "the conversation is not claimed",
                 *         "details": {}
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description no bearer key, or an unknown one */
        Unauthenticated: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unauthenticated",
                 *         "message": "missing bearer token (Authorization: Bearer <api key>)",
                 *         "details": {}
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description the body is not JSON */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unsupported_media_type",
                 *         "message": "send JSON with content-type application/json",
                 *         "details": {}
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listConversations: {
        parameters: {
            query: {
                prospectId: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the prospect's conversations, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "conversations": [
                     *         {
                     *           "prospectId": "p-1042",
                     *           "workflowId": "prospect-p-1042~spring-launch",
                     *           "enrolment": "spring-launch",
                     *           "status": "running",
                     *           "stage": "automating",
                     *           "startedAt": "2026-05-02T08:00:00.000Z",
                     *           "closedAt": null
                     *         },
                     *         {
                     *           "prospectId": "p-1042",
                     *           "workflowId": "prospect-p-1042",
                     *           "enrolment": null,
                     *           "status": "completed",
                     *           "stage": "closed",
                     *           "startedAt": "2026-03-02T08:00:00.000Z",
                     *           "closedAt": "2026-03-30T08:00:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        conversations: {
                            prospectId: string;
                            workflowId: string;
                            /** @description the campaign a re-enrolment started it in; null for the prospect's first conversation */
                            enrolment: string | null;
                            /** @description Temporal's execution status: running, completed, … */
                            status: string;
                            /** @description the stage its search attribute last showed (closed, opted_out, …) */
                            stage: string | null;
                            startedAt: string;
                            closedAt: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
        };
    };
    startConversation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "prospect": {
                 *         "id": "p-1042",
                 *         "name": "Dana Whitfield",
                 *         "email": "dana@northwind.example",
                 *         "company": "Northwind Traders",
                 *         "title": "Head of Operations",
                 *         "timeZone": "Europe/Berlin",
                 *         "profile": {
                 *           "industry": "logistics",
                 *           "employees": 420
                 *         }
                 *       }
                 *     }
                 */
                "application/json": {
                    prospect: {
                        id: string;
                        name: string;
                        /** Format: email */
                        email: string;
                        company: string;
                        title?: string;
                        timeZone?: string;
                        owner?: string;
                        /** @default {} */
                        profile?: {
                            [key: string]: unknown;
                        };
                    };
                    campaign?: string;
                    /** @constant */
                    reenrol?: true;
                    cadence?: {
                        name: string;
                        /** @enum {string} */
                        kind: "first_touch" | "follow_up" | "break_up";
                        offset: string;
                        /**
                         * @default email
                         * @enum {string}
                         */
                        channel?: "email" | "linkedin" | "sms";
                    }[];
                    voice?: {
                        /** @default The team */
                        senderName?: string;
                        /** Format: email */
                        senderEmail?: string;
                        /**
                         * @default friendly
                         * @enum {string}
                         */
                        tone?: "friendly" | "formal" | "direct";
                        /** @default our platform */
                        product?: string;
                        valueProposition?: string;
                    };
                    claimDeadlines?: {
                        [key: string]: string;
                    };
                    offHours?: {
                        [key: string]: "follow_the_sun" | "hold" | "page";
                    };
                    /** @enum {string} */
                    humanReply?: "task" | "acknowledge";
                };
            };
        };
        responses: {
            /** @description the prospect already had a conversation; it is returned */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "conversation": {
                     *         "prospectId": "p-1042",
                     *         "workflowId": "prospect-p-1042",
                     *         "created": false
                     *       }
                     *     }
                     */
                    "application/json": {
                        conversation: {
                            prospectId: string;
                            workflowId: string;
                            created: boolean;
                            /** @description set for a re-enrolment: the campaign its new conversation runs in */
                            enrolment?: string;
                        };
                    };
                };
            };
            /** @description started */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "conversation": {
                     *         "prospectId": "p-1042",
                     *         "workflowId": "prospect-p-1042",
                     *         "created": true
                     *       }
                     *     }
                     */
                    "application/json": {
                        conversation: {
                            prospectId: string;
                            workflowId: string;
                            created: boolean;
                            /** @description set for a re-enrolment: the campaign its new conversation runs in */
                            enrolment?: string;
                        };
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description the address or its domain is on the suppression list (`suppressed`); for a re-enrolment, a conversation still runs (`conversation_running`) or the prospect opted out (`opted_out`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "suppressed",
                     *         "message": "prospect p-1042 is on the suppression list (email, opt_out); no conversation is started",
                     *         "details": {
                     *           "kind": "email",
                     *           "source": "opt_out"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            /** @description the suppression list cannot be read, so nobody is contacted unchecked */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "ledger_unavailable",
                     *         "message": "the ledger is unavailable: connection refused",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    startConversations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "items": [
                 *         {
                 *           "prospect": {
                 *             "id": "p-1042",
                 *             "name": "Dana Whitfield",
                 *             "email": "dana@northwind.example",
                 *             "company": "Northwind Traders",
                 *             "title": "Head of Operations",
                 *             "timeZone": "Europe/Berlin",
                 *             "profile": {
                 *               "industry": "logistics",
                 *               "employees": 420
                 *             }
                 *           }
                 *         },
                 *         {
                 *           "prospect": {
                 *             "id": "p-1043",
                 *             "name": "Sam Ortiz",
                 *             "email": "sam@contoso.example",
                 *             "company": "Contoso",
                 *             "title": "Head of Operations",
                 *             "timeZone": "Europe/Berlin",
                 *             "profile": {
                 *               "industry": "logistics",
                 *               "employees": 420
                 *             }
                 *           }
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    items: {
                        prospect: {
                            id: string;
                            name: string;
                            /** Format: email */
                            email: string;
                            company: string;
                            title?: string;
                            timeZone?: string;
                            owner?: string;
                            /** @default {} */
                            profile?: {
                                [key: string]: unknown;
                            };
                        };
                        campaign?: string;
                        /** @constant */
                        reenrol?: true;
                        cadence?: {
                            name: string;
                            /** @enum {string} */
                            kind: "first_touch" | "follow_up" | "break_up";
                            offset: string;
                            /**
                             * @default email
                             * @enum {string}
                             */
                            channel?: "email" | "linkedin" | "sms";
                        }[];
                        voice?: {
                            /** @default The team */
                            senderName?: string;
                            /** Format: email */
                            senderEmail?: string;
                            /**
                             * @default friendly
                             * @enum {string}
                             */
                            tone?: "friendly" | "formal" | "direct";
                            /** @default our platform */
                            product?: string;
                            valueProposition?: string;
                        };
                        claimDeadlines?: {
                            [key: string]: string;
                        };
                        offHours?: {
                            [key: string]: "follow_the_sun" | "hold" | "page";
                        };
                        /** @enum {string} */
                        humanReply?: "task" | "acknowledge";
                    }[];
                };
            };
        };
        responses: {
            /** @description a result per item, in the order sent, and the counts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "results": [
                     *         {
                     *           "index": 0,
                     *           "status": "created",
                     *           "prospectId": "p-1042",
                     *           "workflowId": "prospect-p-1042"
                     *         },
                     *         {
                     *           "index": 1,
                     *           "status": "suppressed",
                     *           "prospectId": "p-1043",
                     *           "suppression": {
                     *             "kind": "domain",
                     *             "source": "manual"
                     *           }
                     *         },
                     *         {
                     *           "index": 2,
                     *           "status": "invalid",
                     *           "prospectId": "p-1044",
                     *           "fields": [
                     *             {
                     *               "field": "prospect.email",
                     *               "message": "Invalid email address"
                     *             }
                     *           ]
                     *         }
                     *       ],
                     *       "counts": {
                     *         "created": 1,
                     *         "existing": 0,
                     *         "suppressed": 1,
                     *         "invalid": 1,
                     *         "refused": 0
                     *       }
                     *     }
                     */
                    "application/json": {
                        results: {
                            /** @description the item's position in `items`, from 0 */
                            index: number;
                            /** @enum {string} */
                            status: "created" | "existing" | "suppressed" | "invalid" | "refused";
                            /** @description null when the item has no usable prospect id */
                            prospectId: string | null;
                            /** @description for created and existing */
                            workflowId?: string;
                            /** @description for invalid: each field that is wrong, e.g. `prospect.email` */
                            fields?: {
                                field: string;
                                message: string;
                            }[];
                            /** @description for suppressed: what matched and why it is listed */
                            suppression?: {
                                kind: string;
                                source: string;
                            };
                            /** @description for refused: why a re-enrolment was refused (`conversation_running`, `opted_out`, `campaign_required`) */
                            refusal?: {
                                code: string;
                                message: string;
                            };
                        }[];
                        counts: {
                            created: number;
                            existing: number;
                            suppressed: number;
                            invalid: number;
                            refused: number;
                        };
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description the body is over the batch limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "payload_too_large",
                     *         "message": "the request body is over the limit of 4194304 bytes",
                     *         "details": {
                     *           "limit": 4194304
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            /** @description the suppression list cannot be read; nothing in the batch after that point was started */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "ledger_unavailable",
                     *         "message": "the ledger is unavailable: connection refused",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    reply: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the prospect's id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started */
                prospectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "messageId": "m-77",
                 *       "channel": "email",
                 *       "text": "What does it cost for 40 seats?",
                 *       "receivedAt": "2026-03-04T09:12:00.000Z"
                 *     }
                 */
                "application/json": {
                    messageId: string;
                    /** @enum {string} */
                    channel: "email" | "linkedin" | "sms" | "chat" | "phone";
                    text: string;
                    /** Format: date-time */
                    receivedAt: string;
                    /** @constant */
                    autoSubmitted?: true;
                };
            };
        };
        responses: {
            /** @description accepted; the conversation classifies it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "accepted": true,
                     *       "messageId": "m-77"
                     *     }
                     */
                    "application/json": {
                        /** @constant */
                        accepted: true;
                        messageId: string;
                        /** @description set when the text was stored whole and the conversation got its first bytes */
                        bodyRef?: string;
                        bodyBytes?: number;
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            /** @description no bearer key or an unknown one; or, with signing on, a missing, expired or wrong signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "signature_invalid",
                     *         "message": "X-Handoff-Signature does not match the method, path and body",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: components["responses"]["Forbidden"];
            404: components["responses"]["ConversationNotFound"];
            /** @description the conversation has ended, or this signed request was already received */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "conversation_over",
                     *         "message": "the conversation with p-1042 has ended (completed)",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            /** @description a long text could not be stored, or the replay cache read, in the ledger; nothing was signalled */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "ledger_unavailable",
                     *         "message": "the ledger is unavailable: connection refused",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    replyText: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the prospect's id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started */
                prospectId: string;
                messageId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the stored reply */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reply": {
                     *         "messageId": "m-77",
                     *         "text": "What does it cost for 40 seats? …",
                     *         "bytes": 40213,
                     *         "bodyRef": "9f2c…"
                     *       }
                     *     }
                     */
                    "application/json": {
                        reply: {
                            messageId: string;
                            text: string;
                            bytes: number;
                            /** @description set when the text came from the body store */
                            bodyRef?: string;
                        };
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description no such reply stored for the conversation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "not_found",
                     *         "message": "no reply m-77 in the conversation with p-1042",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
            /** @description the ledger cannot be reached */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "ledger_unavailable",
                     *         "message": "the ledger is unavailable: connection refused",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    escalate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the prospect's id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started */
                prospectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "reason": "asked for a call on the phone",
                 *       "trigger": "human_request"
                 *     }
                 */
                "application/json": {
                    reason: string;
                    note?: string;
                    /** @enum {string} */
                    trigger?: "human_request" | "buying_intent" | "pricing" | "technical";
                };
            };
        };
        responses: {
            /** @description accepted; the conversation escalates */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "accepted": true
                     *     }
                     */
                    "application/json": {
                        /** @constant */
                        accepted: true;
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["ConversationNotFound"];
            /** @description the conversation has ended, or has reached its limit of manual escalations */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "manual_escalation_limit",
                     *         "message": "the conversation has reached its limit of 200 manual escalations",
                     *         "details": {
                     *           "limit": 200,
                     *           "manualEscalations": 200
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
        };
    };
    claim: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the prospect's id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started */
                prospectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "repId": "ana"
                 *     }
                 */
                "application/json": {
                    repId?: string;
                };
            };
        };
        responses: {
            200: components["responses"]["Claimed"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            /** @description the rep is not eligible at the current tier, or the key may not act as that rep */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "not_eligible",
                     *         "message": "ana is not eligible at tier 2",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["ConversationNotFound"];
            /** @description already claimed (`details.holder`), or nothing is escalated */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "already_claimed",
                     *         "message": "already claimed by ben",
                     *         "details": {
                     *           "holder": "ben"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
        };
    };
    handBack: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the prospect's id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started */
                prospectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "fromStep": 2,
                 *       "delayMs": 86400000
                 *     }
                 */
                "application/json": {
                    repId?: string;
                    fromStep?: number;
                    delayMs?: number;
                };
            };
        };
        responses: {
            200: components["responses"]["ConversationUpdated"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["RepRefused"];
            404: components["responses"]["ConversationNotFound"];
            409: components["responses"]["StageRefused"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
        };
    };
    close: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the prospect's id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started */
                prospectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "outcome": "won",
                 *       "note": "signed for 40 seats"
                 *     }
                 */
                "application/json": {
                    /** @enum {string} */
                    outcome: "won" | "lost" | "disqualified" | "no_response";
                    repId?: string;
                    note?: string;
                };
            };
        };
        responses: {
            200: components["responses"]["ConversationUpdated"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["RepRefused"];
            404: components["responses"]["ConversationNotFound"];
            409: components["responses"]["StageRefused"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
        };
    };
    reassign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the prospect's id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started */
                prospectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "repId": "ben"
                 *     }
                 */
                "application/json": {
                    repId: string;
                    by?: string;
                };
            };
        };
        responses: {
            200: components["responses"]["ConversationUpdated"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["RepRefused"];
            404: components["responses"]["ConversationNotFound"];
            /** @description no enabled channel reaches the new owner alone, or the stage does not allow it */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "unreachable",
                     *         "message": "no enabled alert channel reaches ben alone (e-mail, or their own webhook)",
                     *         "details": {
                     *           "repId": "ben"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
        };
    };
    feedback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the prospect's id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started */
                prospectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "verdict": "needed",
                 *       "note": "real pricing question"
                 *     }
                 */
                "application/json": {
                    /** @enum {string} */
                    verdict: "needed" | "not_needed";
                    note?: string;
                    repId?: string;
                    escalation?: number;
                };
            };
        };
        responses: {
            200: components["responses"]["ConversationUpdated"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["RepRefused"];
            404: components["responses"]["ConversationNotFound"];
            409: components["responses"]["StageRefused"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
        };
    };
    bookMeeting: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the prospect's id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started */
                prospectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "startsAt": "2026-03-05T14:00:00.000Z",
                 *       "durationMinutes": 30,
                 *       "note": "seats and terms for 40 users"
                 *     }
                 */
                "application/json": {
                    /** Format: date-time */
                    startsAt: string;
                    /** @default 30 */
                    durationMinutes?: number;
                    repId?: string;
                    note?: string;
                };
            };
        };
        responses: {
            200: components["responses"]["ConversationUpdated"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["RepRefused"];
            404: components["responses"]["ConversationNotFound"];
            409: components["responses"]["StageRefused"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
        };
    };
    repMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the prospect's id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started */
                prospectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "messageId": "<CAB7ana@mail.acme.example>",
                 *       "channel": "email",
                 *       "text": "Hi Dana, happy to walk you through seats and terms: does Thursday 10:00 work?",
                 *       "sentAt": "2026-03-04T09:30:00.000Z"
                 *     }
                 */
                "application/json": {
                    text: string;
                    /** @enum {string} */
                    channel: "email" | "linkedin" | "sms" | "chat" | "phone";
                    messageId?: string;
                    /** Format: date-time */
                    sentAt?: string;
                    repId?: string;
                };
            };
        };
        responses: {
            /** @description a message with this id was already in the thread; nothing was added */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "messageId": "<CAB7ana@mail.acme.example>",
                     *       "repId": "ana",
                     *       "duplicate": true
                     *     }
                     */
                    "application/json": {
                        messageId: string;
                        repId: string;
                        /** @description the message id was in the thread already; nothing was added */
                        duplicate: boolean;
                    };
                };
            };
            /** @description the message joined the thread */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "messageId": "<CAB7ana@mail.acme.example>",
                     *       "repId": "ana",
                     *       "duplicate": false
                     *     }
                     */
                    "application/json": {
                        messageId: string;
                        repId: string;
                        /** @description the message id was in the thread already; nothing was added */
                        duplicate: boolean;
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            /** @description the key acts as another rep than the one named, is bound to no rep, or the rep is not in the roster */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "not_your_rep",
                     *         "message": "this key (ana-key) acts as ana; it cannot act as ben",
                     *         "details": {
                     *           "field": "repId"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["ConversationNotFound"];
            /** @description the conversation has ended */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "conversation_over",
                     *         "message": "the conversation is already closed",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
        };
    };
    meetingInvite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the prospect's id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started */
                prospectId: string;
                number: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the invite */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example BEGIN:VCALENDAR
                     *     PRODID:-//Handoff//Meetings//EN
                     *     VERSION:2.0
                     *     METHOD:REQUEST
                     *     BEGIN:VEVENT
                     *     UID:prospect-p-1042-meeting-1@handoff
                     *     …
                     *     END:VEVENT
                     *     END:VCALENDAR
                     */
                    "text/calendar": string;
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description no conversation for that prospect, or no meeting with that number */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "not_found",
                     *         "message": "no meeting 2 in the conversation with p-1042 (it has 1)",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    show: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the prospect's id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started */
                prospectId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the conversation */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "state": {
                     *         "conversationId": "prospect-p-1042",
                     *         "stage": "claimed",
                     *         "prospect": {
                     *           "id": "p-1042",
                     *           "name": "Dana Whitfield",
                     *           "email": "dana@northwind.example",
                     *           "company": "Northwind Traders",
                     *           "title": "Head of Operations",
                     *           "timeZone": "Europe/Berlin",
                     *           "profile": {
                     *             "industry": "logistics",
                     *             "employees": 420
                     *           }
                     *         },
                     *         "thread": [
                     *           {
                     *             "messageId": "out-0",
                     *             "author": "automation",
                     *             "channel": "email",
                     *             "text": "Hi Dana, …",
                     *             "at": "2026-03-02T08:00:00.000Z",
                     *             "step": 0,
                     *             "subject": "Routing for Northwind"
                     *           },
                     *           {
                     *             "messageId": "m-77",
                     *             "author": "prospect",
                     *             "channel": "email",
                     *             "text": "What does it cost for 40 seats?",
                     *             "at": "2026-03-04T09:12:00.000Z",
                     *             "labels": [
                     *               "pricing"
                     *             ],
                     *             "trigger": "pricing",
                     *             "rulesVersion": "r-2026-02"
                     *           }
                     *         ],
                     *         "ladder": [
                     *           {
                     *             "tier": 1,
                     *             "eligibleRepIds": [
                     *               "ana"
                     *             ],
                     *             "audience": "rep",
                     *             "assignees": [
                     *               {
                     *                 "repId": "ana",
                     *                 "name": "Ana Weber"
                     *               }
                     *             ],
                     *             "alertedAt": "2026-03-04T09:12:00.000Z",
                     *             "deadline": "2026-03-04T09:42:00.000Z",
                     *             "outcome": "claimed"
                     *           }
                     *         ],
                     *         "packet": {
                     *           "conversationId": "prospect-p-1042",
                     *           "prospect": {
                     *             "id": "p-1042",
                     *             "name": "Dana Whitfield",
                     *             "email": "dana@northwind.example",
                     *             "company": "Northwind Traders",
                     *             "title": "Head of Operations",
                     *             "timeZone": "Europe/Berlin",
                     *             "profile": {
                     *               "industry": "logistics",
                     *               "employees": 420
                     *             }
                     *           },
                     *           "research": {
                     *             "summary": "Northwind Traders, logistics, 420 employees"
                     *           },
                     *           "reason": "pricing",
                     *           "summary": "Dana Whitfield (Northwind Traders) asked about pricing.",
                     *           "triggeringMessageId": "m-77",
                     *           "evidence": [
                     *             {
                     *               "label": "pricing",
                     *               "rule": "pricing.cost_question",
                     *               "start": 0,
                     *               "end": 17,
                     *               "text": "What does it cost"
                     *             }
                     *           ],
                     *           "rulesFired": [
                     *             "pricing.cost_question"
                     *           ],
                     *           "thread": [
                     *             {
                     *               "messageId": "out-0",
                     *               "author": "automation",
                     *               "channel": "email",
                     *               "text": "Hi Dana, …",
                     *               "at": "2026-03-02T08:00:00.000Z",
                     *               "step": 0,
                     *               "subject": "Routing for Northwind"
                     *             },
                     *             {
                     *               "messageId": "m-77",
                     *               "author": "prospect",
                     *               "channel": "email",
                     *               "text": "What does it cost for 40 seats?",
                     *               "at": "2026-03-04T09:12:00.000Z",
                     *               "labels": [
                     *                 "pricing"
                     *               ],
                     *               "trigger": "pricing",
                     *               "rulesVersion": "r-2026-02"
                     *             }
                     *           ],
                     *           "automationSent": [
                     *             {
                     *               "step": 0,
                     *               "name": "first touch",
                     *               "at": "2026-03-02T08:00:00.000Z"
                     *             }
                     *           ],
                     *           "suggestedNextStep": "Answer the pricing question for 40 seats and offer a call.",
                     *           "escalatedAt": "2026-03-04T09:12:00.000Z"
                     *         },
                     *         "escalations": [
                     *           {
                     *             "number": 1,
                     *             "reason": "pricing",
                     *             "trigger": "pricing",
                     *             "status": "claimed",
                     *             "escalatedAt": "2026-03-04T09:12:00.000Z",
                     *             "triggeringMessageId": "m-77",
                     *             "evidence": [
                     *               {
                     *                 "label": "pricing",
                     *                 "rule": "pricing.cost_question",
                     *                 "start": 0,
                     *                 "end": 17,
                     *                 "text": "What does it cost"
                     *               }
                     *             ],
                     *             "rulesFired": [
                     *               "pricing.cost_question"
                     *             ],
                     *             "rulesVersion": "r-2026-02",
                     *             "laterTriggers": [],
                     *             "rungs": [],
                     *             "claimedBy": "ana",
                     *             "claimedAt": "2026-03-04T09:20:00.000Z",
                     *             "feedback": null
                     *           }
                     *         ],
                     *         "owner": "ana",
                     *         "nextStep": null,
                     *         "outcome": null,
                     *         "optedOut": false,
                     *         "sent": [
                     *           {
                     *             "step": 0,
                     *             "name": "first touch",
                     *             "at": "2026-03-02T08:00:00.000Z",
                     *             "messageId": "out-0"
                     *           }
                     *         ],
                     *         "counts": {
                     *           "replies": 1,
                     *           "repliesInThread": 1,
                     *           "repliesOutsideThread": 0,
                     *           "manualEscalations": 0,
                     *           "manualEscalationsRefused": 0
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": {
                        state: components["schemas"]["ConversationState"];
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["ConversationNotFound"];
            500: components["responses"]["Internal"];
        };
    };
    suggestedReply: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the prospect's id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started */
                prospectId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the suggested reply */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "suggestedReply": {
                     *         "text": "Hi Dana,\n\nThanks for your reply. I'm picking up our conversation about Handoff for Northwind Traders.\n\nOn \"What does it cost for 40 seats?\": happy to go through that with you.\n\nWhat would be most useful for you as a next step?\n\nThe team",
                     *         "source": "template"
                     *       }
                     *     }
                     */
                    "application/json": {
                        suggestedReply: {
                            /** @description the reply, ready for the rep to edit and send */
                            text: string;
                            /**
                             * @description `model` when the model wrote it, `template` when the campaign's reply template did
                             * @enum {string}
                             */
                            source: "model" | "template";
                        };
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["ConversationNotFound"];
            500: components["responses"]["Internal"];
        };
    };
    escalations: {
        parameters: {
            query?: {
                status?: "open" | "claimed";
                trigger?: "human_request" | "buying_intent" | "pricing" | "technical" | "manual" | "human_reply" | "referral";
                company?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the escalations */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "escalations": [
                     *         {
                     *           "prospectId": "p-1042",
                     *           "workflowId": "prospect-p-1042",
                     *           "company": "Northwind Traders",
                     *           "trigger": "pricing",
                     *           "tier": 1,
                     *           "assignees": [
                     *             "ana"
                     *           ],
                     *           "nextActionTime": "2026-03-04T09:42:00.000Z",
                     *           "startedAt": "2026-03-02T08:00:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        escalations: {
                            prospectId: string;
                            workflowId: string;
                            company: string | null;
                            trigger: string | null;
                            tier: number | null;
                            assignees: string[];
                            nextActionTime: string | null;
                            startedAt: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
        };
    };
    listSuppressions: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a page of entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "suppressions": [
                     *         {
                     *           "email": "dana@northwind.example",
                     *           "reason": "asked not to be contacted",
                     *           "source": "manual",
                     *           "prospectId": null,
                     *           "createdAt": "2026-03-04T09:12:00.000Z"
                     *         }
                     *       ],
                     *       "total": 1,
                     *       "limit": 100,
                     *       "offset": 0
                     *     }
                     */
                    "application/json": {
                        suppressions: {
                            email?: string;
                            domain?: string;
                            /** @description SHA-256 of the normalised address, for hash-only entries */
                            emailHash?: string;
                            reason: string | null;
                            /** @description opt_out, manual, erasure, … */
                            source: string;
                            prospectId: string | null;
                            createdAt: string;
                        }[];
                        total: number;
                        limit: number;
                        offset: number;
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            /** @description the ledger cannot be reached */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "ledger_unavailable",
                     *         "message": "the ledger is unavailable: connection refused",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    addSuppression: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "dana@northwind.example",
                 *       "reason": "asked not to be contacted"
                 *     }
                 */
                "application/json": {
                    email?: string;
                    domain?: string;
                    reason?: string;
                    hashOnly?: boolean;
                };
            };
        };
        responses: {
            /** @description already on the list */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "suppression": {
                     *         "email": "dana@northwind.example",
                     *         "reason": "asked not to be contacted",
                     *         "source": "manual",
                     *         "prospectId": null,
                     *         "createdAt": "2026-03-04T09:12:00.000Z"
                     *       },
                     *       "created": false
                     *     }
                     */
                    "application/json": {
                        suppression: {
                            email?: string;
                            domain?: string;
                            /** @description SHA-256 of the normalised address, for hash-only entries */
                            emailHash?: string;
                            reason: string | null;
                            /** @description opt_out, manual, erasure, … */
                            source: string;
                            prospectId: string | null;
                            createdAt: string;
                        };
                        /** @constant */
                        created: false;
                    };
                };
            };
            /** @description added */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "suppression": {
                     *         "email": "dana@northwind.example",
                     *         "reason": "asked not to be contacted",
                     *         "source": "manual",
                     *         "prospectId": null,
                     *         "createdAt": "2026-03-04T09:12:00.000Z"
                     *       },
                     *       "created": true
                     *     }
                     */
                    "application/json": {
                        suppression: {
                            email?: string;
                            domain?: string;
                            /** @description SHA-256 of the normalised address, for hash-only entries */
                            emailHash?: string;
                            reason: string | null;
                            /** @description opt_out, manual, erasure, … */
                            source: string;
                            prospectId: string | null;
                            createdAt: string;
                        };
                        /** @constant */
                        created: true;
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            /** @description the ledger cannot be reached */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "ledger_unavailable",
                     *         "message": "the ledger is unavailable: connection refused",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAvailability: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                repId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the availability now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "availability": {
                     *         "repId": "ana",
                     *         "status": "out_of_office",
                     *         "until": "2026-03-09T08:00:00.000Z",
                     *         "note": "conference",
                     *         "setBy": "key-ana",
                     *         "setAt": "2026-03-02T10:00:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        availability: {
                            repId: string;
                            /** @enum {string} */
                            status: "available" | "away" | "out_of_office";
                            until: string | null;
                            note: string | null;
                            setBy: string | null;
                            setAt: string | null;
                        };
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description the rep is not in the roster */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "unknown_rep",
                     *         "message": "zed is not in the roster",
                     *         "details": {
                     *           "repId": "zed"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
            /** @description the ledger cannot be reached */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "ledger_unavailable",
                     *         "message": "the ledger is unavailable: connection refused",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    setAvailability: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                repId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "status": "out_of_office",
                 *       "until": "2026-03-09T08:00:00Z",
                 *       "note": "conference"
                 *     }
                 */
                "application/json": {
                    /** @enum {string} */
                    status: "available" | "away" | "out_of_office";
                    /** Format: date-time */
                    until?: string;
                    note?: string;
                };
            };
        };
        responses: {
            /** @description the availability now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "availability": {
                     *         "repId": "ana",
                     *         "status": "out_of_office",
                     *         "until": "2026-03-09T08:00:00.000Z",
                     *         "note": "conference",
                     *         "setBy": "key-ana",
                     *         "setAt": "2026-03-02T10:00:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        availability: {
                            repId: string;
                            /** @enum {string} */
                            status: "available" | "away" | "out_of_office";
                            until: string | null;
                            note: string | null;
                            setBy: string | null;
                            setAt: string | null;
                        };
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description the rep is not in the roster */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "unknown_rep",
                     *         "message": "zed is not in the roster",
                     *         "details": {
                     *           "repId": "zed"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            /** @description the ledger cannot be reached */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "ledger_unavailable",
                     *         "message": "the ledger is unavailable: connection refused",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    inboundEmail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example From: Dana Reyes <dana@northwind.example>
                 *     To: outreach@acme.example
                 *     Subject: Re: Northwind and Acme Sync
                 *     Message-ID: <CAF1dana@mail.northwind.example>
                 *     In-Reply-To: <3f9c0a@acme.example>
                 *     References: <3f9c0a@acme.example>
                 *     Content-Type: text/plain; charset=utf-8
                 *
                 *     What does it cost for 40 seats?
                 */
                "message/rfc822": string;
            };
        };
        responses: {
            /** @description delivered: to a conversation, to the unmatched list, or as a bounce */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "messageId": "<CAF1dana@mail.northwind.example>",
                     *       "disposition": "reply",
                     *       "conversationId": "prospect-p-1042",
                     *       "reason": null,
                     *       "duplicate": false
                     *     }
                     */
                    "application/json": {
                        /** @description the message's Message-ID: the reply's idempotency key */
                        messageId: string;
                        /**
                         * @description sent to a conversation, kept for review, a bounce that suppressed its recipients, or a rep's own message that joined its conversation's thread
                         * @enum {string}
                         */
                        disposition: "reply" | "unmatched" | "bounce" | "rep_message";
                        /** @description the conversation (workflow id) a reply went to */
                        conversationId: string | null;
                        /** @description why a message is unmatched (no_conversation, conversation_over); for a bounce, what it suppressed; for a rep message, the rep */
                        reason: string | null;
                        /** @description the Message-ID was delivered before; nothing was done again */
                        duplicate: boolean;
                    };
                };
            };
            /** @description the body is empty or not a message */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "invalid_message",
                     *         "message": "the body is empty: send the raw message",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no bearer key or an unknown one; or, with HANDOFF_REPLY_SIGNING_SECRET set, a missing, expired or wrong signature over the raw message */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "signature_invalid",
                     *         "message": "X-Handoff-Signature does not match the method, path and body",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: components["responses"]["Forbidden"];
            /** @description the signed request was received before (a replay) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "replayed",
                     *         "message": "this signed request was already received",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the message is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "payload_too_large",
                     *         "message": "the request body is over the limit of 10485760 bytes",
                     *         "details": {
                     *           "limit": 10485760
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the body is not message/rfc822 */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "unsupported_media_type",
                     *         "message": "send the raw message with content-type message/rfc822",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
            /** @description the ledger cannot be reached; the mail server should deliver again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "ledger_unavailable",
                     *         "message": "the ledger is unavailable: connection refused",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unmatchedMail: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a page of unmatched messages */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "messages": [
                     *         {
                     *           "messageId": "<b71@mail.example>",
                     *           "sender": "lee@unknown.example",
                     *           "subject": "Question",
                     *           "text": "Do you integrate with our CRM?",
                     *           "reason": "no_conversation",
                     *           "conversationId": null,
                     *           "receivedAt": "2026-03-04T09:12:00.000Z"
                     *         }
                     *       ],
                     *       "total": 1,
                     *       "limit": 100,
                     *       "offset": 0
                     *     }
                     */
                    "application/json": {
                        messages: {
                            messageId: string;
                            sender: string | null;
                            subject: string | null;
                            /** @description the message's text (its first 64 KiB) */
                            text: string | null;
                            reason: string | null;
                            /** @description the conversation it answered, when that conversation had ended */
                            conversationId: string | null;
                            receivedAt: string;
                        }[];
                        total: number;
                        limit: number;
                        offset: number;
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            /** @description the ledger cannot be reached; the mail server should deliver again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "ledger_unavailable",
                     *         "message": "the ledger is unavailable: connection refused",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    assignUnmatched: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                messageId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "prospectId": "p-1042"
                 *     }
                 */
                "application/json": {
                    /** @description the prospect's id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started */
                    prospectId: string;
                };
            };
        };
        responses: {
            /** @description delivered as the conversation's reply and removed from the unmatched list */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "messageId": "<b71@mail.example>",
                     *       "conversationId": "prospect-p-1042",
                     *       "disposition": "reply"
                     *     }
                     */
                    "application/json": {
                        messageId: string;
                        /** @description the conversation (workflow id) it went to as a reply */
                        conversationId: string;
                        /** @constant */
                        disposition: "reply";
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description no unmatched message with that Message-ID, or no conversation for that prospect */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "not_found",
                     *         "message": "no unmatched message <b71@mail.example>",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the conversation has ended */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "conversation_over",
                     *         "message": "the conversation with p-1042 has ended (completed)",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            /** @description the ledger cannot be reached; the mail server should deliver again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "ledger_unavailable",
                     *         "message": "the ledger is unavailable: connection refused",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unsubscribePage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the signed token from the email's List-Unsubscribe URL */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the confirmation page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html>…<h1>Unsubscribe</h1>…<button type="submit">Unsubscribe</button>… */
                    "text/html": string;
                };
            };
            /** @description the link is not genuine (a page; a script gets the error JSON) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html>…<h1>Not unsubscribed</h1><p>the unsubscribe link is not genuine</p>… */
                    "text/html": string;
                };
            };
        };
    };
    unsubscribe: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the signed token from the email's List-Unsubscribe URL */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "List-Unsubscribe": "One-Click"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    /** @constant */
                    "List-Unsubscribe"?: "One-Click";
                };
            };
        };
        responses: {
            /** @description unsubscribed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "unsubscribed": true
                     *     }
                     */
                    "application/json": {
                        /** @constant */
                        unsubscribed: true;
                    };
                };
            };
            /** @description the body has another field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "invalid_request",
                     *         "message": "the one-click body is List-Unsubscribe=One-Click",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the link is not genuine */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "unsubscribe_link_invalid",
                     *         "message": "the unsubscribe link is not genuine",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description an unexpected failure, logged under the request id */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "internal",
                     *         "message": "internal error; see the server log for request req-1",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the suppression list cannot be written; nothing changed, try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "ledger_unavailable",
                     *         "message": "the ledger is unavailable: connection refused",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    eraseProspect: {
        parameters: {
            query?: {
                email?: string | string[];
            };
            header?: never;
            path: {
                prospectId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description what was erased, in counts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "erased": {
                     *         "prospectId": "p-1042",
                     *         "workflows": {
                     *           "runs": 1,
                     *           "terminated": 1,
                     *           "deleted": 1
                     *         },
                     *         "ledger": {
                     *           "eventsRedacted": 12,
                     *           "addressesHashed": 1,
                     *           "replyBodiesDeleted": 0
                     *         },
                     *         "journals": {
                     *           "sent.jsonl": {
                     *             "removed": 2,
                     *             "redacted": 0
                     *           }
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": {
                        erased: {
                            prospectId: string;
                            workflows: {
                                runs: number;
                                terminated: number;
                                deleted: number;
                            };
                            ledger: {
                                eventsRedacted: number;
                                addressesHashed: number;
                                replyBodiesDeleted: number;
                            };
                            /** @description per journal file in the data directory */
                            journals: {
                                [key: string]: {
                                    removed: number;
                                    redacted: number;
                                };
                            };
                        };
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            /** @description the ledger cannot be reached */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "ledger_unavailable",
                     *         "message": "the ledger is unavailable: connection refused",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    claimLinkPage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the signed token of the alert's link */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the confirmation page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html>…<h1>Claim this conversation</h1>… */
                    "text/html": string;
                };
            };
            /** @description the link is malformed, expired, forged or superseded by a later rung or escalation */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html>…<h1>Not claimed</h1><p>this link is from an earlier rung</p>… */
                    "text/html": string;
                };
            };
            /** @description the conversation no longer exists */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html>…<h1>Not claimed</h1><p>this conversation no longer exists</p>… */
                    "text/html": string;
                };
            };
            /** @description already claimed, or no longer open */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html>…<h1>Not claimed</h1><p>already claimed by ben</p>… */
                    "text/html": string;
                };
            };
            /** @description an unexpected failure, logged under the request id */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html>…<h1>Not claimed</h1>… */
                    "text/html": string;
                };
            };
        };
    };
    claimThroughLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the signed token of the alert's link */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /** @example {} */
                "application/x-www-form-urlencoded": {
                    /** @description the claiming rep's own API key, for a team link */
                    apiKey?: string;
                };
                /** @example {} */
                "application/json": {
                    /** @description the claiming rep's own API key, for a team link */
                    apiKey?: string;
                };
            };
        };
        responses: {
            200: components["responses"]["Claimed"];
            /** @description the body has a field other than apiKey; a browser gets the same as a page */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "invalid_request",
                     *         "message": "the only field a claim link takes is apiKey",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description a team link without the rep's own key, or an unknown key; a browser gets the same as a page */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "unauthenticated",
                     *         "message": "this team link claims only as the rep whose own API key is given",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the link is malformed, expired, forged or superseded, or the rep is not eligible; a browser gets the same as a page */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "claim_link_superseded",
                     *         "message": "this link is from an earlier rung",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the conversation no longer exists; a browser gets the same as a page */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "not_found",
                     *         "message": "no conversation for that prospect",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description already claimed, or no longer open; a browser gets the same as a page */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "already_claimed",
                     *         "message": "already claimed by ben",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description an unexpected failure, logged under the request id; a browser gets the same as a page */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "internal",
                     *         "message": "internal error; see the server log for request req-1",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    codecEncode: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "payloads": [
                 *         {
                 *           "metadata": {
                 *             "encoding": "YmluYXJ5L2VuY3J5cHRlZA==",
                 *             "encryption-key-id": "azE="
                 *           },
                 *           "data": "q83vEjRWeJA="
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    /** @default [] */
                    payloads?: {
                        metadata?: {
                            [key: string]: string;
                        };
                        data?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description the payloads, encoded, in order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "payloads": [
                     *         {
                     *           "metadata": {
                     *             "encoding": "YmluYXJ5L2VuY3J5cHRlZA==",
                     *             "encryption-key-id": "azE="
                     *           },
                     *           "data": "q83vEjRWeJA="
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        payloads: {
                            metadata?: {
                                [key: string]: string;
                            };
                            data?: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            /** @description the key lacks the rep scope, or another namespace is named */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "namespace_not_served",
                     *         "message": "this codec endpoint serves namespace \"default\", not \"other\"",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description a payload was encrypted with an unknown key or does not decrypt */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "undecodable_payload",
                     *         "message": "no payload key with id k0",
                     *         "details": {
                     *           "keyId": "k0"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    codecEncodePreflight: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description allowed */
            204: {
                headers: {
                    /** @description POST, OPTIONS */
                    "access-control-allow-methods"?: string;
                    /** @description content-type, x-namespace, authorization, authorization-extras */
                    "access-control-allow-headers"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description the origin is not the Temporal UI */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "origin_not_allowed",
                     *         "message": "the codec endpoint answers browsers only from the Temporal UI at http://localhost:8233 (TEMPORAL_UI_URL)",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    codecDecode: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "payloads": [
                 *         {
                 *           "metadata": {
                 *             "encoding": "YmluYXJ5L2VuY3J5cHRlZA==",
                 *             "encryption-key-id": "azE="
                 *           },
                 *           "data": "q83vEjRWeJA="
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    /** @default [] */
                    payloads?: {
                        metadata?: {
                            [key: string]: string;
                        };
                        data?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description the payloads, decoded, in order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "payloads": [
                     *         {
                     *           "metadata": {
                     *             "encoding": "YmluYXJ5L2VuY3J5cHRlZA==",
                     *             "encryption-key-id": "azE="
                     *           },
                     *           "data": "q83vEjRWeJA="
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        payloads: {
                            metadata?: {
                                [key: string]: string;
                            };
                            data?: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            /** @description the key lacks the rep scope, or another namespace is named */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "namespace_not_served",
                     *         "message": "this codec endpoint serves namespace \"default\", not \"other\"",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description a payload was encrypted with an unknown key or does not decrypt */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "undecodable_payload",
                     *         "message": "no payload key with id k0",
                     *         "details": {
                     *           "keyId": "k0"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    codecDecodePreflight: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description allowed */
            204: {
                headers: {
                    /** @description POST, OPTIONS */
                    "access-control-allow-methods"?: string;
                    /** @description content-type, x-namespace, authorization, authorization-extras */
                    "access-control-allow-headers"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description the origin is not the Temporal UI */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "origin_not_allowed",
                     *         "message": "the codec endpoint answers browsers only from the Temporal UI at http://localhost:8233 (TEMPORAL_UI_URL)",
                     *         "details": {}
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    codecSignInPage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the sign-in page, or who is signed in */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html>…<h1>Decode Handoff payloads in the Temporal UI</h1>… */
                    "text/html": string;
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    codecSignIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "apiKey": "hk_…"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    /** @description an API key with the rep or admin scope */
                    apiKey: string;
                };
            };
        };
        responses: {
            /** @description signed in */
            200: {
                headers: {
                    /** @description handoff_codec_session=…; Path=/codec; HttpOnly; SameSite=Strict */
                    "set-cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html>…<h1>Decode Handoff payloads in the Temporal UI</h1>… */
                    "text/html": string;
                };
            };
            /** @description the key is not known; the form again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html>…<h1>Decode Handoff payloads in the Temporal UI</h1>… */
                    "text/html": string;
                };
            };
            /** @description the key has no rep or admin scope, or the form came from another site; the form again */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html>…<h1>Decode Handoff payloads in the Temporal UI</h1>… */
                    "text/html": string;
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    codecSignOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description signed out; the form again */
            200: {
                headers: {
                    /** @description handoff_codec_session=; Max-Age=0 */
                    "set-cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html>…<h1>Decode Handoff payloads in the Temporal UI</h1>… */
                    "text/html": string;
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description healthy */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok",
                     *       "checks": {
                     *         "temporal": "ok",
                     *         "worker": "ok"
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "unavailable";
                        /** @description temporal: ok | unreachable; worker (when this process runs one): ok | not running */
                        checks: {
                            [key: string]: string;
                        };
                        /** @description the id the log lines of this failure carry */
                        incident?: string;
                    };
                };
            };
            /** @description a check failed; the log says why under the incident id */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "unavailable",
                     *       "checks": {
                     *         "temporal": "unreachable"
                     *       },
                     *       "incident": "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "unavailable";
                        /** @description temporal: ok | unreachable; worker (when this process runs one): ok | not running */
                        checks: {
                            [key: string]: string;
                        };
                        /** @description the id the log lines of this failure carry */
                        incident?: string;
                    };
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the metrics */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example # HELP handoff_time_to_claim_seconds Time from escalation to claim
                     *     # TYPE handoff_time_to_claim_seconds histogram
                     *     …
                     */
                    "text/plain": string;
                };
            };
        };
    };
    openApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "openapi": "3.1.0",
                     *       "info": {
                     *         "title": "Handoff API",
                     *         "version": "1"
                     *       },
                     *       "paths": {}
                     *     }
                     */
                    "application/json": {
                        openapi: string;
                        info: {
                            [key: string]: unknown;
                        };
                        paths: {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    "event.escalated": {
        parameters: {
            query?: never;
            header: {
                /** @description the event id */
                "X-Handoff-Event-Id": string;
                /** @description Unix seconds when it was signed */
                "X-Handoff-Timestamp": string;
                /** @description `v1=<hex>` */
                "X-Handoff-Signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "prospect-42/esc-1/escalated",
                 *       "type": "conversation.escalated",
                 *       "occurredAt": "2026-03-02T10:04:00.000Z",
                 *       "conversation": {
                 *         "workflowId": "prospect-42",
                 *         "prospectId": "42",
                 *         "company": "Acme Robotics"
                 *       },
                 *       "escalation": 1,
                 *       "reason": "pricing"
                 *     }
                 */
                "application/json": {
                    id: string;
                    /** @enum {string} */
                    type: "conversation.escalated" | "conversation.claimed" | "conversation.handed_back" | "conversation.meeting_booked" | "conversation.closed" | "conversation.opted_out";
                    /** Format: date-time */
                    occurredAt: string;
                    conversation: {
                        workflowId: string;
                        prospectId: string;
                        company: string;
                    };
                    escalation?: number;
                    /** @enum {string} */
                    reason?: "human_request" | "buying_intent" | "pricing" | "technical" | "manual";
                    trigger?: ("human_request" | "buying_intent" | "pricing" | "technical") | null;
                    repId?: string;
                    /** @enum {string} */
                    outcome?: "won" | "lost" | "disqualified" | "no_response" | "opted_out";
                    meeting?: {
                        number: number;
                        /** Format: date-time */
                        startsAt: string;
                        durationMinutes: number;
                    };
                };
            };
        };
        responses: {
            /** @description taken */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description refused for good (not retried) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description retried later */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "event.claimed": {
        parameters: {
            query?: never;
            header: {
                /** @description the event id */
                "X-Handoff-Event-Id": string;
                /** @description Unix seconds when it was signed */
                "X-Handoff-Timestamp": string;
                /** @description `v1=<hex>` */
                "X-Handoff-Signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "prospect-42/esc-1/claimed",
                 *       "type": "conversation.claimed",
                 *       "occurredAt": "2026-03-02T10:04:00.000Z",
                 *       "conversation": {
                 *         "workflowId": "prospect-42",
                 *         "prospectId": "42",
                 *         "company": "Acme Robotics"
                 *       },
                 *       "escalation": 1,
                 *       "reason": "pricing",
                 *       "repId": "ana"
                 *     }
                 */
                "application/json": {
                    id: string;
                    /** @enum {string} */
                    type: "conversation.escalated" | "conversation.claimed" | "conversation.handed_back" | "conversation.meeting_booked" | "conversation.closed" | "conversation.opted_out";
                    /** Format: date-time */
                    occurredAt: string;
                    conversation: {
                        workflowId: string;
                        prospectId: string;
                        company: string;
                    };
                    escalation?: number;
                    /** @enum {string} */
                    reason?: "human_request" | "buying_intent" | "pricing" | "technical" | "manual";
                    trigger?: ("human_request" | "buying_intent" | "pricing" | "technical") | null;
                    repId?: string;
                    /** @enum {string} */
                    outcome?: "won" | "lost" | "disqualified" | "no_response" | "opted_out";
                    meeting?: {
                        number: number;
                        /** Format: date-time */
                        startsAt: string;
                        durationMinutes: number;
                    };
                };
            };
        };
        responses: {
            /** @description taken */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description refused for good (not retried) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description retried later */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "event.handed_back": {
        parameters: {
            query?: never;
            header: {
                /** @description the event id */
                "X-Handoff-Event-Id": string;
                /** @description Unix seconds when it was signed */
                "X-Handoff-Timestamp": string;
                /** @description `v1=<hex>` */
                "X-Handoff-Signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "prospect-42/esc-1/handed-back",
                 *       "type": "conversation.handed_back",
                 *       "occurredAt": "2026-03-02T10:04:00.000Z",
                 *       "conversation": {
                 *         "workflowId": "prospect-42",
                 *         "prospectId": "42",
                 *         "company": "Acme Robotics"
                 *       },
                 *       "escalation": 1,
                 *       "reason": "pricing"
                 *     }
                 */
                "application/json": {
                    id: string;
                    /** @enum {string} */
                    type: "conversation.escalated" | "conversation.claimed" | "conversation.handed_back" | "conversation.meeting_booked" | "conversation.closed" | "conversation.opted_out";
                    /** Format: date-time */
                    occurredAt: string;
                    conversation: {
                        workflowId: string;
                        prospectId: string;
                        company: string;
                    };
                    escalation?: number;
                    /** @enum {string} */
                    reason?: "human_request" | "buying_intent" | "pricing" | "technical" | "manual";
                    trigger?: ("human_request" | "buying_intent" | "pricing" | "technical") | null;
                    repId?: string;
                    /** @enum {string} */
                    outcome?: "won" | "lost" | "disqualified" | "no_response" | "opted_out";
                    meeting?: {
                        number: number;
                        /** Format: date-time */
                        startsAt: string;
                        durationMinutes: number;
                    };
                };
            };
        };
        responses: {
            /** @description taken */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description refused for good (not retried) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description retried later */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "event.meeting_booked": {
        parameters: {
            query?: never;
            header: {
                /** @description the event id */
                "X-Handoff-Event-Id": string;
                /** @description Unix seconds when it was signed */
                "X-Handoff-Timestamp": string;
                /** @description `v1=<hex>` */
                "X-Handoff-Signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "prospect-42/meeting-1/booked",
                 *       "type": "conversation.meeting_booked",
                 *       "occurredAt": "2026-03-02T10:04:00.000Z",
                 *       "conversation": {
                 *         "workflowId": "prospect-42",
                 *         "prospectId": "42",
                 *         "company": "Acme Robotics"
                 *       },
                 *       "escalation": 1,
                 *       "reason": "pricing",
                 *       "repId": "ana",
                 *       "meeting": {
                 *         "number": 1,
                 *         "startsAt": "2026-03-03T14:00:00.000Z",
                 *         "durationMinutes": 30
                 *       }
                 *     }
                 */
                "application/json": {
                    id: string;
                    /** @enum {string} */
                    type: "conversation.escalated" | "conversation.claimed" | "conversation.handed_back" | "conversation.meeting_booked" | "conversation.closed" | "conversation.opted_out";
                    /** Format: date-time */
                    occurredAt: string;
                    conversation: {
                        workflowId: string;
                        prospectId: string;
                        company: string;
                    };
                    escalation?: number;
                    /** @enum {string} */
                    reason?: "human_request" | "buying_intent" | "pricing" | "technical" | "manual";
                    trigger?: ("human_request" | "buying_intent" | "pricing" | "technical") | null;
                    repId?: string;
                    /** @enum {string} */
                    outcome?: "won" | "lost" | "disqualified" | "no_response" | "opted_out";
                    meeting?: {
                        number: number;
                        /** Format: date-time */
                        startsAt: string;
                        durationMinutes: number;
                    };
                };
            };
        };
        responses: {
            /** @description taken */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description refused for good (not retried) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description retried later */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "event.closed": {
        parameters: {
            query?: never;
            header: {
                /** @description the event id */
                "X-Handoff-Event-Id": string;
                /** @description Unix seconds when it was signed */
                "X-Handoff-Timestamp": string;
                /** @description `v1=<hex>` */
                "X-Handoff-Signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "prospect-42/closed",
                 *       "type": "conversation.closed",
                 *       "occurredAt": "2026-03-02T10:04:00.000Z",
                 *       "conversation": {
                 *         "workflowId": "prospect-42",
                 *         "prospectId": "42",
                 *         "company": "Acme Robotics"
                 *       },
                 *       "escalation": 1,
                 *       "reason": "pricing",
                 *       "outcome": "won"
                 *     }
                 */
                "application/json": {
                    id: string;
                    /** @enum {string} */
                    type: "conversation.escalated" | "conversation.claimed" | "conversation.handed_back" | "conversation.meeting_booked" | "conversation.closed" | "conversation.opted_out";
                    /** Format: date-time */
                    occurredAt: string;
                    conversation: {
                        workflowId: string;
                        prospectId: string;
                        company: string;
                    };
                    escalation?: number;
                    /** @enum {string} */
                    reason?: "human_request" | "buying_intent" | "pricing" | "technical" | "manual";
                    trigger?: ("human_request" | "buying_intent" | "pricing" | "technical") | null;
                    repId?: string;
                    /** @enum {string} */
                    outcome?: "won" | "lost" | "disqualified" | "no_response" | "opted_out";
                    meeting?: {
                        number: number;
                        /** Format: date-time */
                        startsAt: string;
                        durationMinutes: number;
                    };
                };
            };
        };
        responses: {
            /** @description taken */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description refused for good (not retried) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description retried later */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "event.opted_out": {
        parameters: {
            query?: never;
            header: {
                /** @description the event id */
                "X-Handoff-Event-Id": string;
                /** @description Unix seconds when it was signed */
                "X-Handoff-Timestamp": string;
                /** @description `v1=<hex>` */
                "X-Handoff-Signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "prospect-42/opted-out",
                 *       "type": "conversation.opted_out",
                 *       "occurredAt": "2026-03-02T10:04:00.000Z",
                 *       "conversation": {
                 *         "workflowId": "prospect-42",
                 *         "prospectId": "42",
                 *         "company": "Acme Robotics"
                 *       },
                 *       "escalation": 1,
                 *       "reason": "pricing"
                 *     }
                 */
                "application/json": {
                    id: string;
                    /** @enum {string} */
                    type: "conversation.escalated" | "conversation.claimed" | "conversation.handed_back" | "conversation.meeting_booked" | "conversation.closed" | "conversation.opted_out";
                    /** Format: date-time */
                    occurredAt: string;
                    conversation: {
                        workflowId: string;
                        prospectId: string;
                        company: string;
                    };
                    escalation?: number;
                    /** @enum {string} */
                    reason?: "human_request" | "buying_intent" | "pricing" | "technical" | "manual";
                    trigger?: ("human_request" | "buying_intent" | "pricing" | "technical") | null;
                    repId?: string;
                    /** @enum {string} */
                    outcome?: "won" | "lost" | "disqualified" | "no_response" | "opted_out";
                    meeting?: {
                        number: number;
                        /** Format: date-time */
                        startsAt: string;
                        durationMinutes: number;
                    };
                };
            };
        };
        responses: {
            /** @description taken */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description refused for good (not retried) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description retried later */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}

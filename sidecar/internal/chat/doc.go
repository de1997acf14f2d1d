// Package chat answers founders' chat messages: each user message inserted into public.messages is
// a durable River job (enqueued by a trigger in the same transaction), and a Worker turns it into
// exactly one assistant reply.
//
// A turn: private.begin_chat_turn loads everything the turn needs in one query; the moderation
// check and the judge (guards first, then the offline rules or one Gemini call) pick the intent; the
// facts the message states are merged into the project; the agent for the intent writes the answer,
// streamed to the user's Realtime channel as throttled chat_delta broadcasts; and
// private.complete_chat_turn commits the reply, the credit debit, onboarding progress, any upsell
// offer and the chat_message / credits_update / notification broadcasts in the same transaction as
// River's job completion. A retried or duplicated job finds the reply and changes nothing; a turn
// that keeps failing ends with a visible error reply (private.fail_chat_turn) and no charge.
package chat

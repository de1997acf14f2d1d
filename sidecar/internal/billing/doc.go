// Package billing sells plans and credit packs through Stripe and applies Stripe's webhook events so that
// no payment is ever lost or counted twice.
//
//   - Service creates Checkout Sessions (a plan in subscription mode, a credit pack in payment mode) and
//     Customer Portal sessions, one Stripe customer per user (created once, idempotency keys on every
//     create), and lists the billing history. Prices come from public.plans / public.credit_packs, never
//     from the client.
//   - Receiver is POST /webhooks/stripe: it verifies the signature on the raw body (stale or forged
//     deliveries get 400), stores the event once in private.stripe_events and answers 200 at once.
//   - Processor is the worker that applies stored events: it claims them with FOR UPDATE SKIP LOCKED
//     (woken by NOTIFY, polling as a fallback) and calls private.apply_stripe_event, one transaction per
//     event, retrying with backoff and marking an event dead after too many failures. The SQL functions
//     make every event idempotent and order-independent (see the billing migration).
//   - RegisterDailyReset schedules the 00:00 UTC refill of daily allowances, once across replicas.
package billing

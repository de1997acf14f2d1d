// Package llm is the sidecar's small client for Gemini, built on the official SDK
// (google.golang.org/genai, Gemini Developer API backend).
//
// Three calls cover the chat: GenerateJSON for the structured judge decision (a Schema sent as
// responseSchema, the answer validated against it and decoded into a Go value), Stream for the agent's
// streamed answer (onDelta gets every piece of text in order), and Generate for a plain text answer.
// Each returns Usage (tokens, model, attempts, duration) so the caller can record metrics and per-turn
// token usage, also when the call fails.
//
// # Configuration
//
// Config holds the API key, the model (DefaultModel, or DefaultFastModel for cheap classification),
// the base URL (tests point it at the llmtest fake), the per-attempt timeout, retries with exponential
// backoff and jitter, and generation defaults. Model names are configuration: Google retires them.
//
// # Errors
//
// Every failure is an *Error whose Kind is a sentinel: ErrBlocked (safety filters, prompt- or
// answer-level), ErrRateLimited (429), ErrUnavailable (5xx, transport errors, timeouts), ErrBadOutput
// (no usable answer; structured output that does not parse or match its schema), ErrInvalidRequest
// (other 4xx, or a Request rejected locally) and ErrStreamBroken (a stream cut after it delivered
// text). Only 408/429/5xx, transport errors and timeouts are retried, never once a stream has
// delivered text. A cancelled context returns promptly with an error matching context.Canceled.
//
// # Untrusted text
//
// Prompts must keep the user's words apart from instructions: QuoteUserText wraps untrusted text in
// UserTextOpen / UserTextClose and neutralises look-alike delimiters inside it; UserTextRule explains
// the convention to the model.
//
// Nothing here logs above debug level, and no log record or error carries the API key, a prompt or
// model output.
package llm

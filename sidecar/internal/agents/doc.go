// Package agents writes the assistant's chat replies: the mentor, the librarian, onboarding,
// smalltalk, plans and credits, project updates, search results, outreach and the fixed replies
// (spam, failures, upsell lines).
//
// The chat engine (package chat) judges a message, picks the agent and calls one method of Agents
// with a Request: the user's text, the reply language, the judge's Decision, recent history, the
// project, plan, credits and onboarding state. Every method returns a Reply whose Text is the
// committed answer and whose Mode says what produced it.
//
// # Modes
//
// Offline (no LLM client, or any model error): deterministic answers built from curated
// knowledge (the mentor's startup-school advice by topic, stage and sector; the librarian's
// fundraising glossary), our database (the librarian counts investors with SQL) and the request's
// own data (plans, credits, project facts). Offline replies are in Spanish for "es" and English for
// every other language.
//
// Gemini: one streamed llm.Stream call per reply. The system prompt is a versioned file embedded
// from prompts/; the user's words are delimited with llm.QuoteUserText; the project facts, the
// plan and the offline answer's grounding (knowledge base entries, database counts) go in as
// context, so the model rephrases and adapts but never has to invent numbers. Any model error falls
// back to the offline answer (Mode offline, Usage still reported).
//
// Streaming: methods that take a Stream call it with successive pieces of the reply; offline
// replies are streamed in a few chunks so the engine has one code path. Request.ResetStream, when
// set, is called if streamed model text is abandoned for the offline fallback.
//
// Replies never contain e-mail addresses or phone numbers (they are masked, also in streamed
// text) and, search results aside, stay under MaxReplyChars.
package agents

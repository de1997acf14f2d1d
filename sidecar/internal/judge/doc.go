// Package judge routes each founder message to the specialist agent that should answer it.
//
// A Judge reads one user message (plus recent history and the current project) and returns a
// Decision: the intent (which agent), a confidence, the reply language (ISO 639-1), a spam score and
// any facts about the founder's startup that the message states (ProjectFacts, in the database's
// vocabularies).
//
// The pipeline is the same for every implementation:
//
//  1. Guards (Guards.Check, or the package-level Guard) run cheap deterministic checks first: empty
//     input, oversize input, repeated characters or words, flooding, abuse, prompt injection, link spam
//     and keyboard mashing. When one settles the message, its Decision is final and no model is called.
//  2. The judge proper classifies the intent and extracts facts. Offline does it with weighted
//     keyword/phrase patterns in English and Spanish, the conversation context and deterministic
//     fact extraction; it needs no network and takes microseconds. A Gemini-backed judge (gemini.go)
//     calls the guards first as well, and validates model output with Decision.Validate and
//     ProjectFacts.Validate before anything reaches the database.
//
// Vocabularies (sector ids, funding stages, product statuses, ISO country codes) are Go copies of
// the ones the migrations insert; a test parses the migration to keep them equal.
package judge

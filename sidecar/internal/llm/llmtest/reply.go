package llmtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"
)

// Reply scripts one answer of the fake. The zero value is a successful, empty answer; build replies
// with the constructors (Text, Chunks, SplitText, JSON, Error, RateLimited, PromptBlocked,
// CandidateBlocked, Empty, Malformed, Broken, StreamError) and adjust them with the With* methods,
// which return modified copies.
//
// One Reply serves both endpoints: generateContent answers with the whole text in one candidate,
// streamGenerateContent sends one SSE event per chunk and puts the finish reason and the final usage on
// the last one.
type Reply struct {
	// Status is the HTTP status; 0 means 200. For a status >= 400 the body is Google's error body
	// {"error":{"code","message","status","details"}} built from ErrorStatus, ErrorMessage and RetryDelay.
	Status int
	// ErrorStatus is the canonical status string ("RESOURCE_EXHAUSTED"); empty derives it from Status.
	ErrorStatus string
	// ErrorMessage is error.message; empty uses Google's usual message for the status.
	ErrorMessage string
	// RetryDelay, when positive, adds a google.rpc.RetryInfo detail with this retryDelay to the error.
	RetryDelay time.Duration

	// Chunks are the pieces of text the model answers: one SSE event each when streaming, concatenated
	// for generateContent.
	Chunks []string
	// Thought, when not empty, is sent first as a thought part ("thought": true), which clients must not
	// show as answer text.
	Thought string
	// FinishReason is candidates[0].finishReason on the (last) answer; empty means "STOP".
	FinishReason string
	// SafetyRatings are the candidate's safety ratings (or the prompt's, with BlockReason).
	SafetyRatings []SafetyRating
	// BlockReason, when set, blocks the prompt: promptFeedback.blockReason is set and no candidate is
	// returned (after any Chunks when streaming).
	BlockReason string
	// NoCandidates answers with an empty candidate list and no block reason.
	NoCandidates bool
	// Usage is the usageMetadata to report; nil estimates it (about four bytes a token) from the
	// request and the answer.
	Usage *Usage
	// ModelVersion is modelVersion; empty reports the model of the request path.
	ModelVersion string

	// Raw, when not empty, replaces the body of a generateContent answer, or is sent as one extra SSE
	// "data:" event after the Chunks of a stream (a malformed event when it is not JSON).
	Raw string
	// Delay is waited before the answer starts (honouring the request's context: a client that gives up
	// stops the wait).
	Delay time.Duration
	// ChunkDelay is waited before every stream event after the first.
	ChunkDelay time.Duration
	// Break aborts the connection after the Chunks of a stream, before any finish reason: the client
	// sees a truncated chunked body (unexpected EOF). For generateContent the connection is aborted
	// before any byte of the answer.
	Break bool
	// StreamErrorStatus, when not 0, sends an error event data: {"error":{...}} with this status after
	// the Chunks of a stream, then ends the stream.
	StreamErrorStatus int
	// OmitFinish ends a stream cleanly after its Chunks without any finish reason.
	OmitFinish bool
}

// Usage is the token usage the fake reports (usageMetadata).
type Usage struct {
	PromptTokens   int
	OutputTokens   int
	ThoughtsTokens int
	// TotalTokens, when 0, is PromptTokens + OutputTokens + ThoughtsTokens.
	TotalTokens int
}

// SafetyRating is one entry of safetyRatings.
type SafetyRating struct {
	Category    string `json:"category"`
	Probability string `json:"probability"`
	Blocked     bool   `json:"blocked,omitempty"`
}

// Text answers s (one stream chunk).
func Text(s string) Reply { return Reply{Chunks: []string{s}} }

// Chunks answers the concatenation of parts, streamed as one event per part.
func Chunks(parts ...string) Reply { return Reply{Chunks: append([]string(nil), parts...)} }

// SplitText answers s streamed in n chunks of about equal size (never splitting a UTF-8 sequence).
// n < 1 is treated as 1; n larger than the number of runes gives one rune per chunk.
func SplitText(s string, n int) Reply { return Reply{Chunks: split(s, n)} }

// JSON answers v encoded as JSON, as a model in structured-output mode does. It panics when v cannot
// be encoded (a mistake in the test).
func JSON(v any) Reply {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("llmtest.JSON: %v", err))
	}
	return Text(string(b))
}

// Error answers HTTP status with Google's error body; an empty message uses the usual one.
func Error(status int, message string) Reply {
	return Reply{Status: status, ErrorMessage: message}
}

// RateLimited answers 429 RESOURCE_EXHAUSTED; a positive retryDelay adds a google.rpc.RetryInfo detail,
// as the API does for quota errors.
func RateLimited(retryDelay time.Duration) Reply {
	return Reply{Status: http.StatusTooManyRequests, RetryDelay: retryDelay}
}

// PromptBlocked answers with promptFeedback.blockReason = reason ("SAFETY", "PROHIBITED_CONTENT",
// "BLOCKLIST", "OTHER") and no candidates, with one HIGH, blocked harassment rating.
func PromptBlocked(reason string) Reply {
	return Reply{BlockReason: reason, SafetyRatings: blockedRatings()}
}

// CandidateBlocked answers with candidates[0].finishReason = reason ("SAFETY", "RECITATION",
// "PROHIBITED_CONTENT", "SPII", "BLOCKLIST") and a blocked safety rating. When streaming, the partial
// chunks are sent first, so the block arrives mid-answer.
func CandidateBlocked(reason string, partial ...string) Reply {
	return Reply{Chunks: append([]string(nil), partial...), FinishReason: reason, SafetyRatings: blockedRatings()}
}

// Empty answers with an empty candidate list and no block reason.
func Empty() Reply { return Reply{NoCandidates: true} }

// Malformed answers HTTP 200 with body as the whole generateContent body, or as one SSE data event of
// a stream (followed by nothing else).
func Malformed(body string) Reply { return Reply{Raw: body, OmitFinish: true} }

// Broken streams chunks and then aborts the connection mid-stream (no finish reason, truncated body).
func Broken(chunks ...string) Reply {
	return Reply{Chunks: append([]string(nil), chunks...), Break: true}
}

// StreamError streams chunks and then sends an in-band error event with HTTP-like status code status.
func StreamError(status int, chunks ...string) Reply {
	return Reply{Chunks: append([]string(nil), chunks...), StreamErrorStatus: status}
}

// WithDelay returns r waiting d before answering.
func (r Reply) WithDelay(d time.Duration) Reply { r.Delay = d; return r }

// WithChunkDelay returns r waiting d between stream events.
func (r Reply) WithChunkDelay(d time.Duration) Reply { r.ChunkDelay = d; return r }

// WithUsage returns r reporting prompt and output tokens (total = their sum).
func (r Reply) WithUsage(prompt, output int) Reply {
	r.Usage = &Usage{PromptTokens: prompt, OutputTokens: output}
	return r
}

// WithFinishReason returns r with candidates[0].finishReason = reason.
func (r Reply) WithFinishReason(reason string) Reply { r.FinishReason = reason; return r }

// WithThought returns r with a thought part before the answer.
func (r Reply) WithThought(s string) Reply { r.Thought = s; return r }

// WithModelVersion returns r reporting modelVersion v.
func (r Reply) WithModelVersion(v string) Reply { r.ModelVersion = v; return r }

// Text returns the whole answer text (the chunks concatenated).
func (r Reply) Text() string {
	n := 0
	for _, c := range r.Chunks {
		n += len(c)
	}
	b := make([]byte, 0, n)
	for _, c := range r.Chunks {
		b = append(b, c...)
	}
	return string(b)
}

func blockedRatings() []SafetyRating {
	return []SafetyRating{
		{Category: "HARM_CATEGORY_HARASSMENT", Probability: "HIGH", Blocked: true},
		{Category: "HARM_CATEGORY_HATE_SPEECH", Probability: "NEGLIGIBLE"},
		{Category: "HARM_CATEGORY_SEXUALLY_EXPLICIT", Probability: "NEGLIGIBLE"},
		{Category: "HARM_CATEGORY_DANGEROUS_CONTENT", Probability: "NEGLIGIBLE"},
	}
}

func split(s string, n int) []string {
	runes := utf8.RuneCountInString(s)
	if n < 1 {
		n = 1
	}
	if runes == 0 {
		return []string{s}
	}
	if n > runes {
		n = runes
	}
	out := make([]string, 0, n)
	per, extra := runes/n, runes%n
	start, pos := 0, 0
	for i := 0; i < n; i++ {
		want := per
		if i < extra {
			want++
		}
		for k := 0; k < want; k++ {
			_, size := utf8.DecodeRuneInString(s[pos:])
			pos += size
		}
		out = append(out, s[start:pos])
		start = pos
	}
	return out
}

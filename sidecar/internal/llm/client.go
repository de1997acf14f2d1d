package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strings"
	"time"

	"google.golang.org/genai"
)

// Role is the author of a Message.
type Role string

// Roles of the Gemini API.
const (
	RoleUser  Role = genai.RoleUser
	RoleModel Role = genai.RoleModel
)

// Message is one turn of a conversation.
type Message struct {
	Role Role
	Text string
}

// Request is one model call.
type Request struct {
	// System is the system instruction (the prompt file). Optional.
	System string
	// Messages are the turns, oldest first; at least one, each with text. Untrusted text embedded in
	// a turn should go through QuoteUserText.
	Messages []Message
	// Temperature overrides Config.Temperature.
	Temperature *float32
	// MaxTokens overrides Config.MaxOutputTokens when positive.
	MaxTokens int
	// Model overrides Config.Model (e.g. DefaultFastModel for the judge).
	Model string
}

// Usage is what a call consumed, for metrics and per-turn accounting. It is returned with errors too
// (Attempts and Duration always; tokens whenever the API reported them).
type Usage struct {
	// Model is the model id requested; ModelVersion the version the API reports having used.
	Model        string
	ModelVersion string
	// PromptTokens, OutputTokens (the answer) and ThoughtsTokens (thinking, billed as output) as
	// reported in usageMetadata; TotalTokens is the API's total (it includes thoughts).
	PromptTokens   int
	OutputTokens   int
	ThoughtsTokens int
	CachedTokens   int
	TotalTokens    int
	// Attempts is the number of HTTP requests made (1 + retries).
	Attempts int
	// Duration is the wall time of the whole call, retries and backoff included.
	Duration time.Duration
}

// Finish reasons of a successful Result.
const (
	FinishStop      = "STOP"
	FinishMaxTokens = "MAX_TOKENS" // the text is truncated
)

// Result is a text answer.
type Result struct {
	// Text is the answer (thought parts excluded). On a Stream error it is the text delivered so far.
	Text string
	// FinishReason is the model's finish reason: FinishStop, or FinishMaxTokens when the answer was cut
	// at the output budget.
	FinishReason string
	Usage        Usage
}

// Client calls Gemini through the genai SDK with our timeouts, retries, validation and typed errors.
// It is safe for concurrent use.
type Client struct {
	cfg    Config
	models *genai.Models
	log    *slog.Logger
}

// New builds a Client. It makes no network call. It returns ErrNoAPIKey when cfg.APIKey is empty.
func New(ctx context.Context, cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	httpClient := cfg.HTTPClient
	if httpClient == nil {
		httpClient = &http.Client{Transport: pooledTransport()}
	}
	gc, err := genai.NewClient(ctx, &genai.ClientConfig{
		APIKey:     cfg.APIKey,
		Backend:    genai.BackendGeminiAPI,
		HTTPClient: httpClient,
		// No Timeout and no RetryOptions here: each attempt gets its own context, and retries are ours
		// (the SDK's would be invisible to Usage.Attempts and would retry streams that already
		// delivered text).
		HTTPOptions: genai.HTTPOptions{BaseURL: cfg.BaseURL},
	})
	if err != nil {
		// Do not wrap err: some genai.NewClient errors print the whole ClientConfig, API key included.
		return nil, errors.New("llm: creating genai client: invalid client configuration")
	}
	return &Client{cfg: cfg, models: gc.Models, log: cfg.Logger}, nil
}

// pooledTransport is http.DefaultTransport keeping enough idle connections for many concurrent
// calls to the one API host: the default keeps two, so under load (many chat turns at once over
// HTTP/1.1, e.g. through a proxy) every other call paid for a new connection.
func pooledTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	return t
}

// Model is the default model id.
func (c *Client) Model() string { return c.cfg.Model }

// Generate returns the model's text answer.
func (c *Client) Generate(ctx context.Context, req Request) (Result, error) {
	const op = "generate"
	start := time.Now()
	model, contents, gcfg, err := c.prepare(req)
	res := Result{Usage: Usage{Model: model}}
	if err != nil {
		return res, c.fail(op, &res.Usage, start, err)
	}
	resp, err := c.unary(ctx, op, model, contents, gcfg, &res.Usage)
	if err == nil {
		res.Text, res.FinishReason, err = interpret(resp)
	}
	if err != nil {
		return res, c.fail(op, &res.Usage, start, err)
	}
	c.done(op, &res.Usage, start)
	return res, nil
}

// GenerateJSON asks for structured output matching schema and decodes it into out, a non-nil
// pointer. The answer must be one JSON value that matches the schema (see Schema) and decodes into
// out; otherwise the error is ErrBadOutput and out may be partly written. Truncated output
// (finish reason MAX_TOKENS) is therefore an error too.
func (c *Client) GenerateJSON(ctx context.Context, req Request, schema *Schema, out any) (Usage, error) {
	const op = "generate json"
	start := time.Now()
	model, contents, gcfg, err := c.prepare(req)
	usage := Usage{Model: model}
	if err == nil {
		if schema == nil {
			err = &Error{Kind: ErrInvalidRequest, Err: errors.New("schema is nil")}
		} else if rv := reflect.ValueOf(out); rv.Kind() != reflect.Pointer || rv.IsNil() {
			err = &Error{Kind: ErrInvalidRequest, Err: fmt.Errorf("out must be a non-nil pointer, got %T", out)}
		}
	}
	if err != nil {
		return usage, c.fail(op, &usage, start, err)
	}
	gcfg.ResponseMIMEType = "application/json"
	gcfg.ResponseSchema = schema
	resp, err := c.unary(ctx, op, model, contents, gcfg, &usage)
	if err == nil {
		var text, finish string
		text, finish, err = interpret(resp)
		if err == nil {
			err = decodeInto(text, finish, schema, out)
		}
	}
	if err != nil {
		return usage, c.fail(op, &usage, start, err)
	}
	c.done(op, &usage, start)
	return usage, nil
}

// decodeInto parses text, validates it against schema and unmarshals it into out.
func decodeInto(text, finish string, schema *Schema, out any) error {
	bad := func(err error) error {
		e := &Error{Kind: ErrBadOutput, Err: err}
		if finish != "" && finish != FinishStop {
			e.Reason = finish
		}
		return e
	}
	text = strings.TrimSpace(text)
	v, err := decodeJSON(text)
	if err != nil {
		return bad(err)
	}
	if err := validateSchema(schema, v, "$", 0); err != nil {
		return bad(fmt.Errorf("schema mismatch: %w", err))
	}
	if err := json.Unmarshal([]byte(text), out); err != nil {
		return bad(fmt.Errorf("decoding into %T: %w", out, err))
	}
	return nil
}

// Stream generates a text answer, calling onDelta (which may be nil) with each piece of text as it
// arrives, in order; the Result holds the whole text. Errors before any text are retried like
// Generate's; once onDelta has seen text nothing is retried: a lost or stalled stream returns
// ErrStreamBroken, a mid-answer safety block ErrBlocked, and in both cases Result.Text is the text
// delivered so far. An error returned by onDelta stops the stream and is returned wrapped.
func (c *Client) Stream(ctx context.Context, req Request, onDelta func(string) error) (Result, error) {
	const op = "stream"
	start := time.Now()
	model, contents, gcfg, err := c.prepare(req)
	res := Result{Usage: Usage{Model: model}}
	if err != nil {
		return res, c.fail(op, &res.Usage, start, err)
	}
	var text strings.Builder
	err = c.retry(ctx, op, model, &res.Usage, func(actx context.Context, watchdog func()) error {
		return c.streamOnce(actx, watchdog, model, contents, gcfg, onDelta, &text, &res)
	}, true)
	res.Text = text.String()
	if err != nil {
		return res, c.fail(op, &res.Usage, start, err)
	}
	c.done(op, &res.Usage, start)
	return res, nil
}

// errDelta carries an error returned by onDelta; the caller gets it back wrapped, and it is never
// retried.
type errDelta struct{ err error }

func (e errDelta) Error() string { return "llm: stream: delta callback: " + e.err.Error() }
func (e errDelta) Unwrap() error { return e.err }

// midStream marks an error that happened after text was delivered: never retried, and reported as
// ErrStreamBroken unless the caller's context ended.
type midStream struct{ err error }

func (e midStream) Error() string { return e.err.Error() }
func (e midStream) Unwrap() error { return e.err }

func (c *Client) streamOnce(ctx context.Context, watchdog func(), model string, contents []*genai.Content,
	gcfg *genai.GenerateContentConfig, onDelta func(string) error, text *strings.Builder, res *Result) error {
	delivered := false
	finish := ""
	for chunk, err := range c.models.GenerateContentStream(ctx, model, contents, gcfg) {
		if err != nil {
			if delivered {
				return midStream{err}
			}
			return err
		}
		watchdog()
		setUsage(&res.Usage, chunk)
		if fb := chunk.PromptFeedback; fb != nil && fb.BlockReason != "" {
			res.FinishReason = string(fb.BlockReason)
			return &Error{Kind: ErrBlocked, Reason: string(fb.BlockReason)}
		}
		if len(chunk.Candidates) == 0 || chunk.Candidates[0] == nil {
			continue
		}
		cand := chunk.Candidates[0]
		if delta := candidateText(cand); delta != "" {
			text.WriteString(delta)
			delivered = true
			if onDelta != nil {
				if err := onDelta(delta); err != nil {
					return errDelta{err}
				}
			}
		}
		if cand.FinishReason != "" && cand.FinishReason != genai.FinishReasonUnspecified {
			finish = string(cand.FinishReason)
			res.FinishReason = finish
			if blocked(cand.FinishReason) {
				return &Error{Kind: ErrBlocked, Reason: finish}
			}
		}
	}
	switch {
	case finish == "" && delivered:
		return &Error{Kind: ErrStreamBroken, Err: errors.New("stream ended without a finish reason")}
	case finish == "":
		// Nothing arrived at all: as good as a dropped connection, and safe to retry.
		return &Error{Kind: ErrUnavailable, Err: errors.New("stream ended without any answer"), retryable: true}
	case finish != FinishStop && finish != FinishMaxTokens:
		return &Error{Kind: ErrBadOutput, Reason: finish, Err: errors.New("unexpected finish reason")}
	case !delivered:
		return &Error{Kind: ErrBadOutput, Reason: finish, Err: errors.New("empty answer")}
	}
	return nil
}

// unary runs GenerateContent with retries.
func (c *Client) unary(ctx context.Context, op, model string, contents []*genai.Content,
	gcfg *genai.GenerateContentConfig, usage *Usage) (*genai.GenerateContentResponse, error) {
	var resp *genai.GenerateContentResponse
	err := c.retry(ctx, op, model, usage, func(actx context.Context, _ func()) error {
		r, err := c.models.GenerateContent(actx, model, contents, gcfg)
		if err != nil {
			return err
		}
		resp = r
		setUsage(usage, r)
		return nil
	}, false)
	return resp, err
}

// retry runs attempt until it succeeds, fails for good, or the retries or the caller's context run
// out, pausing with backoff between attempts.
func (c *Client) retry(ctx context.Context, op, model string, usage *Usage,
	attempt func(ctx context.Context, watchdog func()) error, idle bool) error {
	for n := 1; ; n++ {
		usage.Attempts = n
		err := c.runAttempt(ctx, idle, attempt)
		var e *Error
		if err == nil || !errors.As(err, &e) {
			return err // success, or an onDelta error
		}
		if !e.retryable || n > c.cfg.MaxRetries {
			return e
		}
		delay := c.backoff(n)
		if e.RetryAfter > 0 {
			if e.RetryAfter > c.cfg.RetryMaxDelay {
				return e // the API asks for a longer pause than we are willing to wait
			}
			delay = max(delay, e.RetryAfter)
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			return e // the caller's deadline would expire during the pause
		}
		c.log.LogAttrs(ctx, slog.LevelDebug, "llm retry",
			slog.String("op", op), slog.String("model", model), slog.Int("attempt", n),
			slog.String("kind", kindName(e.Kind)), slog.Int("http_status", e.HTTPStatus),
			slog.Duration("delay", delay))
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return classify(ctx, ctx, ctx.Err())
		case <-t.C:
		}
	}
}

// runAttempt runs one attempt under its own context, cancelled with errAttemptTimeout after
// Config.Timeout. For streams (idle) the attempt calls watchdog at each chunk to restart that timer;
// otherwise the context gets a deadline, which the SDK also sends as x-server-timeout. The error is
// an *Error, or an errDelta.
func (c *Client) runAttempt(ctx context.Context, idle bool, attempt func(context.Context, func()) error) error {
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	watchdog := func() {}
	if c.cfg.Timeout > 0 {
		if idle {
			timer := time.AfterFunc(c.cfg.Timeout, func() { cancel(errAttemptTimeout) })
			defer timer.Stop()
			watchdog = func() { timer.Reset(c.cfg.Timeout) }
		} else {
			var stop context.CancelFunc
			actx, stop = context.WithTimeoutCause(actx, c.cfg.Timeout, errAttemptTimeout)
			defer stop()
		}
	}
	err := attempt(actx, watchdog)
	if err == nil {
		return nil
	}
	if d := (errDelta{}); errors.As(err, &d) {
		return d
	}
	return classify(ctx, actx, err)
}

// backoff is the pause after failed attempt n (1-based): RetryBaseDelay doubled per retry, capped at
// RetryMaxDelay, drawn uniformly from [d/2, d).
func (c *Client) backoff(n int) time.Duration {
	d := c.cfg.RetryBaseDelay
	for i := 1; i < n && d < c.cfg.RetryMaxDelay; i++ {
		d *= 2
	}
	d = min(d, c.cfg.RetryMaxDelay)
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(d-half)+1))
}

// fail completes usage and turns err into the *Error returned to the caller (a callback error from
// onDelta is returned wrapped but otherwise as is).
func (c *Client) fail(op string, usage *Usage, start time.Time, err error) error {
	usage.Duration = time.Since(start)
	var d errDelta
	if errors.As(err, &d) {
		return d
	}
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Kind: ErrUnavailable, Err: err}
	}
	e.Op, e.Model, e.Attempts = op, usage.Model, usage.Attempts
	c.log.LogAttrs(context.Background(), slog.LevelDebug, "llm call failed",
		slog.String("op", op), slog.String("model", usage.Model), slog.String("kind", kindName(e.Kind)),
		slog.String("reason", e.Reason), slog.Int("http_status", e.HTTPStatus),
		slog.Int("attempts", usage.Attempts), slog.Duration("duration", usage.Duration))
	return e
}

func (c *Client) done(op string, usage *Usage, start time.Time) {
	usage.Duration = time.Since(start)
	if c.log.Enabled(context.Background(), slog.LevelDebug) {
		c.log.LogAttrs(context.Background(), slog.LevelDebug, "llm call",
			slog.String("op", op), slog.String("model", usage.Model), slog.Int("attempts", usage.Attempts),
			slog.Int("prompt_tokens", usage.PromptTokens), slog.Int("output_tokens", usage.OutputTokens),
			slog.Int("thoughts_tokens", usage.ThoughtsTokens), slog.Duration("duration", usage.Duration))
	}
}

func kindName(k error) string {
	if k == nil {
		return ""
	}
	return strings.TrimPrefix(k.Error(), "llm: ")
}

// prepare validates req and builds the SDK's arguments.
func (c *Client) prepare(req Request) (string, []*genai.Content, *genai.GenerateContentConfig, error) {
	model := req.Model
	if model == "" {
		model = c.cfg.Model
	}
	invalid := func(format string, args ...any) error {
		return &Error{Kind: ErrInvalidRequest, Err: fmt.Errorf(format, args...)}
	}
	if err := validModel(model); err != nil {
		return model, nil, nil, invalid("%w", err)
	}
	if len(req.Messages) == 0 {
		return model, nil, nil, invalid("no messages")
	}
	contents := make([]*genai.Content, len(req.Messages))
	for i, m := range req.Messages {
		if m.Role != RoleUser && m.Role != RoleModel {
			return model, nil, nil, invalid("message %d: role %q is not %q or %q", i, m.Role, RoleUser, RoleModel)
		}
		if strings.TrimSpace(m.Text) == "" {
			return model, nil, nil, invalid("message %d: empty text", i)
		}
		contents[i] = &genai.Content{Role: string(m.Role), Parts: []*genai.Part{{Text: m.Text}}}
	}
	gcfg := &genai.GenerateContentConfig{Temperature: c.cfg.Temperature}
	if req.Temperature != nil {
		if t := *req.Temperature; t < 0 || t > 2 {
			return model, nil, nil, invalid("temperature %v is outside [0, 2]", t)
		}
		gcfg.Temperature = req.Temperature
	}
	switch {
	case req.MaxTokens > 0:
		gcfg.MaxOutputTokens = int32(min(req.MaxTokens, 1<<30))
	case c.cfg.MaxOutputTokens > 0:
		gcfg.MaxOutputTokens = int32(min(c.cfg.MaxOutputTokens, 1<<30))
	}
	if c.cfg.ThinkingLevel != "" {
		gcfg.ThinkingConfig = &genai.ThinkingConfig{ThinkingLevel: genai.ThinkingLevel(c.cfg.ThinkingLevel)}
	}
	if req.System != "" {
		gcfg.SystemInstruction = &genai.Content{Role: genai.RoleUser, Parts: []*genai.Part{{Text: req.System}}}
	}
	return model, contents, gcfg, nil
}

// interpret extracts the text of a generateContent answer, or the reason it has none.
func interpret(resp *genai.GenerateContentResponse) (text, finish string, err error) {
	if resp == nil {
		return "", "", &Error{Kind: ErrBadOutput, Err: errors.New("no response")}
	}
	if fb := resp.PromptFeedback; fb != nil && fb.BlockReason != "" {
		return "", "", &Error{Kind: ErrBlocked, Reason: string(fb.BlockReason)}
	}
	if len(resp.Candidates) == 0 || resp.Candidates[0] == nil {
		return "", "", &Error{Kind: ErrBadOutput, Err: errors.New("no candidates")}
	}
	cand := resp.Candidates[0]
	finish = string(cand.FinishReason)
	if blocked(cand.FinishReason) {
		return "", finish, &Error{Kind: ErrBlocked, Reason: finish}
	}
	switch cand.FinishReason {
	case "", genai.FinishReasonUnspecified, genai.FinishReasonStop, genai.FinishReasonMaxTokens:
	default:
		return "", finish, &Error{Kind: ErrBadOutput, Reason: finish, Err: errors.New("unexpected finish reason")}
	}
	text = candidateText(cand)
	if strings.TrimSpace(text) == "" {
		return "", finish, &Error{Kind: ErrBadOutput, Reason: finish, Err: errors.New("empty answer")}
	}
	return text, finish, nil
}

// blocked reports the finish reasons that mean the answer was withheld by a filter.
func blocked(r genai.FinishReason) bool {
	switch r {
	case genai.FinishReasonSafety, genai.FinishReasonRecitation, genai.FinishReasonBlocklist,
		genai.FinishReasonProhibitedContent, genai.FinishReasonSPII, genai.FinishReasonImageSafety,
		genai.FinishReasonImageProhibitedContent, genai.FinishReasonImageRecitation:
		return true
	}
	return false
}

// candidateText concatenates the text parts of a candidate, skipping thoughts. (The SDK's
// GenerateContentResponse.Text does the same but logs through the standard logger in some cases.)
func candidateText(c *genai.Candidate) string {
	if c == nil || c.Content == nil {
		return ""
	}
	switch len(c.Content.Parts) {
	case 0:
		return ""
	case 1:
		if p := c.Content.Parts[0]; p != nil && !p.Thought {
			return p.Text
		}
		return ""
	}
	var b strings.Builder
	for _, p := range c.Content.Parts {
		if p != nil && !p.Thought {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// setUsage copies the usage metadata of resp, when present (the last chunk of a stream has the
// totals).
func setUsage(u *Usage, resp *genai.GenerateContentResponse) {
	if resp == nil {
		return
	}
	if resp.ModelVersion != "" {
		u.ModelVersion = resp.ModelVersion
	}
	m := resp.UsageMetadata
	if m == nil {
		return
	}
	u.PromptTokens = int(m.PromptTokenCount)
	u.OutputTokens = int(m.CandidatesTokenCount)
	u.ThoughtsTokens = int(m.ThoughtsTokenCount)
	u.CachedTokens = int(m.CachedContentTokenCount)
	u.TotalTokens = int(m.TotalTokenCount)
}

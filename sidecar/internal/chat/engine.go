package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zerobullshit/backend/sidecar/internal/agents"
	"github.com/zerobullshit/backend/sidecar/internal/judge"
	"github.com/zerobullshit/backend/sidecar/internal/llm"
	"github.com/zerobullshit/backend/sidecar/internal/moderation"
	"github.com/zerobullshit/backend/sidecar/internal/obs"
	"github.com/zerobullshit/backend/sidecar/internal/search"
)

// UsageJudge is a judge that also reports the tokens its decision cost (the Gemini judge).
type UsageJudge interface {
	DecideWithUsage(ctx context.Context, in judge.Input) (judge.Decision, llm.Usage, error)
}

// Moderator throttles and bans repeat spammers (*moderation.Service). Optional.
type Moderator interface {
	// Throttled says whether the user may be answered now (Blocked: throttled or banned).
	Throttled(ctx context.Context, q moderation.Querier, userID string) (moderation.Verdict, error)
	// Record counts a spam message against the user (once per message).
	Record(ctx context.Context, q moderation.Querier, userID, messageID string, d judge.Decision) (moderation.Verdict, error)
}

// Querier is a pool or a transaction.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// Options configure an Engine.
type Options struct {
	Pool      *pgxpool.Pool // as role postgres (the sidecar's role)
	Judge     judge.Judge
	Agents    *agents.Agents
	Moderator Moderator // nil: no throttling or bans
	Log       *slog.Logger
	Metrics   *obs.Metrics // nil: no metrics
	// DeltaInterval spaces chat_delta broadcasts (default DefaultDeltaInterval).
	DeltaInterval time.Duration
	// DBConcurrency bounds how many turns use the database at once (default 2 x GOMAXPROCS). Turns
	// spend most of their time waiting on the model, so many may run at once; their short database
	// phases queue here instead of piling up as concurrent backends fighting for the same cores.
	DBConcurrency int
}

// Engine answers chat turns. Safe for concurrent use.
type Engine struct {
	pool          *pgxpool.Pool
	judge         judge.Judge
	agents        *agents.Agents
	moderator     Moderator
	search        *search.Client
	log           *slog.Logger
	metrics       *obs.Metrics
	deltaInterval time.Duration
	now           func() time.Time

	deltas  atomic.Int64 // chat_delta broadcasts sent (tests, benchmarks)
	dbSlots chan struct{}
}

// New returns an engine.
func New(o Options) (*Engine, error) {
	if o.Pool == nil || o.Judge == nil || o.Agents == nil {
		return nil, errors.New("chat: a pool, a judge and the agents are required")
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.DeltaInterval <= 0 {
		o.DeltaInterval = DefaultDeltaInterval
	}
	if o.DBConcurrency <= 0 {
		o.DBConcurrency = 2 * runtime.GOMAXPROCS(0)
	}
	return &Engine{
		pool: o.Pool, judge: o.Judge, agents: o.Agents, moderator: o.Moderator,
		search: search.New(o.Pool, o.Log), log: o.Log, metrics: o.Metrics,
		deltaInterval: o.DeltaInterval, now: time.Now, dbSlots: make(chan struct{}, o.DBConcurrency),
	}, nil
}

// withDB runs fn holding one of the engine's database slots.
func (e *Engine) withDB(ctx context.Context, fn func() error) error {
	select {
	case e.dbSlots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-e.dbSlots }()
	return fn()
}

// DeltasSent is the number of chat_delta broadcasts this engine sent.
func (e *Engine) DeltasSent() int64 { return e.deltas.Load() }

// TurnResult says how a turn ended.
type TurnResult struct {
	ReplyID   string
	Duplicate bool // the message had been answered already: nothing was written
	Intent    judge.Intent
	Agent     string
	Charged   bool
}

// Turn answers the user message messageID. jobID, when not 0, is the River job running the turn: the
// SQL that commits the reply marks it completed in the same transaction. A message that already has
// its reply is left alone (Duplicate). Errors are worth retrying; after the last attempt call Fail.
func (e *Engine) Turn(ctx context.Context, messageID string, jobID int64) (TurnResult, error) {
	start := e.now()
	var raw []byte
	err := e.withDB(ctx, func() error {
		return e.pool.QueryRow(ctx, "select private.begin_chat_turn($1::uuid)", messageID).Scan(&raw)
	})
	if err != nil {
		return TurnResult{}, fmt.Errorf("beginning turn %s: %w", messageID, err)
	}
	tc, err := decodeTurnContext(raw)
	if err != nil {
		return TurnResult{}, err
	}
	began := e.now()
	if tc.Done {
		return TurnResult{ReplyID: tc.ReplyID, Duplicate: true}, nil
	}
	ctx = obs.WithUserID(ctx, tc.Message.UserID)

	out, err := e.decideAndAnswer(ctx, tc)
	if err != nil {
		return TurnResult{}, err
	}
	answered := e.now()
	out.meta["timing_ms"] = map[string]float64{
		"begin": ms(began.Sub(start)), "judge": ms(out.judgeTime), "answer": ms(answered.Sub(began) - out.judgeTime),
	}
	var res TurnResult
	err = e.withDB(ctx, func() error {
		var err error
		res, err = e.commit(ctx, tc, out, jobID)
		return err
	})
	if err != nil {
		return TurnResult{}, err
	}
	res.Intent, res.Agent = out.decision.Intent, out.agent
	e.log.InfoContext(ctx, "chat turn answered", "message_id", messageID, "reply_id", res.ReplyID,
		"intent", out.decision.Intent, "agent", out.agent, "mode", out.mode, "charged", res.Charged,
		"duplicate", res.Duplicate, "ms", e.now().Sub(start).Milliseconds())
	return res, nil
}

// Fail ends a turn that cannot be answered with a visible error reply, in the user's language, and
// no charge; jobID (when not 0) is completed with it.
func (e *Engine) Fail(ctx context.Context, messageID string, cause error, jobID int64) error {
	var lang string
	_ = e.pool.QueryRow(ctx, `select p.language from public.messages m join public.profiles p on p.id = m.user_id
	                          where m.id = $1::uuid`, messageID).Scan(&lang)
	reason := "error"
	if cause != nil {
		reason = cause.Error()
	}
	if _, err := e.pool.Exec(ctx, "select private.fail_chat_turn($1::uuid, $2, $3, $4)",
		messageID, e.agents.Failed(lang), reason, nullJob(jobID)); err != nil {
		return fmt.Errorf("failing turn %s: %w", messageID, err)
	}
	return nil
}

func nullJob(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// outcome is the answer to commit.
type outcome struct {
	judgeTime    time.Duration
	judgeUsage   llm.Usage
	answerUsage  llm.Usage
	decision     judge.Decision
	text         string
	status       string // answered or rejected
	charge       string // credit action, "" for none
	agent        string
	mode         string
	upsell       *upsellOffer
	notification map[string]any
	meta         map[string]any
	// search, when set, runs inside the commit transaction and returns the reply text (search turns).
	search *searchPlan
}

type upsellOffer struct {
	ToPlan     string  `json:"to_plan,omitempty"`
	Trigger    string  `json:"trigger"`
	Confidence float64 `json:"confidence"`
}

func (e *Engine) decide(ctx context.Context, in judge.Input) (judge.Decision, llm.Usage, error) {
	if uj, ok := e.judge.(UsageJudge); ok {
		return uj.DecideWithUsage(ctx, in)
	}
	d, err := e.judge.Decide(ctx, in)
	return d, llm.Usage{}, err
}

func (e *Engine) decideAndAnswer(ctx context.Context, tc *turnContext) (*outcome, error) {
	if e.moderator != nil {
		v, err := e.moderator.Throttled(ctx, e.pool, tc.Message.UserID)
		if err != nil {
			return nil, fmt.Errorf("checking moderation: %w", err)
		}
		if v.Blocked() {
			d := judge.Decision{Intent: judge.IntentSpam, Confidence: 1, Language: tc.User.Language, SpamScore: 1,
				Reasons: []string{"moderation:throttled"}, Mode: judge.ModeOffline}
			r := e.agents.Spam(tc.request(d))
			return e.newOutcome(tc, d, llm.Usage{}, "throttled", r, "rejected", ""), nil
		}
	}

	judgeStart := e.now()
	d, judgeUsage, err := e.decide(ctx, tc.judgeInput())
	if err != nil {
		return nil, fmt.Errorf("judging: %w", err)
	}
	judgeTime := e.now().Sub(judgeStart)
	e.observeLLM(judgeUsage, d.Mode != judge.ModeGemini) // at once: the turn may still fail to commit
	if d.Language == "" {
		d.Language = tc.User.Language
	}

	if d.Intent == judge.IntentSpam {
		if e.moderator != nil {
			if _, err := e.moderator.Record(ctx, e.pool, tc.Message.UserID, tc.Message.ID, d); err != nil {
				return nil, fmt.Errorf("recording spam: %w", err)
			}
		}
		r := e.agents.Spam(tc.request(d))
		out := e.newOutcome(tc, d, judgeUsage, "spam", r, "rejected", "")
		out.judgeTime = judgeTime
		return out, nil
	}

	// Facts the message states go into the project first, so the answer sees the new state.
	var applied *factsApplied
	if !d.Facts.IsZero() {
		if applied, err = e.applyFacts(ctx, tc, d.Facts, d.Language); err != nil {
			return nil, err
		}
	}
	out, err := e.route(ctx, tc, d, judgeUsage, tc.request(d), applied)
	if out != nil {
		out.judgeTime = judgeTime
		e.observeLLM(out.answerUsage, out.mode != judge.ModeGemini)
	}
	return out, err
}

// applyFacts merges the facts into the user's project; a project it has to create is named in lang,
// the language of the message.
func (e *Engine) applyFacts(ctx context.Context, tc *turnContext, f judge.ProjectFacts, lang string) (*factsApplied, error) {
	if err := f.Validate(); err != nil {
		e.log.WarnContext(ctx, "judge facts failed validation; not applied", "error", err)
		return nil, nil
	}
	facts, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("encoding facts: %w", err)
	}
	var raw []byte
	err = e.pool.QueryRow(ctx, "select private.apply_turn_facts($1::uuid, $2::jsonb, $3)",
		tc.Message.ID, string(facts), agents.DefaultProjectName(lang)).Scan(&raw)
	var pg *pgconn.PgError
	if errors.As(err, &pg) && (pg.Code == "PT402" || pg.Code == "P0001" || pg.Code == "23514" || pg.Code == "22P02") {
		// Plan's project limit, or a value the table refuses: answer without applying.
		e.log.WarnContext(ctx, "facts not applied", "code", pg.Code, "error", pg.Message)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("applying facts: %w", err)
	}
	var fa factsApplied
	if err := json.Unmarshal(raw, &fa); err != nil {
		return nil, fmt.Errorf("decoding applied facts: %w", err)
	}
	if tc.Project == nil || tc.Project.ID != fa.ProjectID {
		tc.Project = &projectContext{ID: fa.ProjectID}
	}
	tc.Project.Name, tc.Project.Facts = fa.Name, fa.After
	tc.Project.Completeness, tc.Project.Missing = fa.CompletenessAfter, fa.Missing
	return &fa, nil
}

// newOutcome wraps an agent's reply with the turn's metadata.
func (e *Engine) newOutcome(tc *turnContext, d judge.Decision, judgeUsage llm.Usage, agent string, r agents.Reply,
	status, charge string) *outcome {
	calls := 0
	if judgeUsage.Attempts > 0 {
		calls++
	}
	if r.Usage.Attempts > 0 {
		calls++
	}
	judgeMode := d.Mode
	if judgeMode == "" {
		judgeMode = judge.ModeOffline
	}
	mode := r.Mode
	if mode == "" {
		mode = judge.ModeOffline
	}
	return &outcome{
		judgeUsage: judgeUsage, answerUsage: r.Usage,
		decision: d, text: r.Text, status: status, charge: charge, agent: agent, mode: mode,
		meta: map[string]any{
			"intent": d.Intent, "confidence": d.Confidence, "language": d.Language, "spam_score": d.SpamScore,
			"agent": agent, "mode": mode, "judge_mode": judgeMode, "llm_calls": calls,
			"usage": map[string]int{
				"prompt_tokens":  judgeUsage.PromptTokens + r.Usage.PromptTokens,
				"output_tokens":  judgeUsage.OutputTokens + r.Usage.OutputTokens + judgeUsage.ThoughtsTokens + r.Usage.ThoughtsTokens,
				"total_tokens":   judgeUsage.TotalTokens + r.Usage.TotalTokens,
				"judge_tokens":   judgeUsage.TotalTokens,
				"answer_tokens":  r.Usage.TotalTokens,
				"cached_tokens":  judgeUsage.CachedTokens + r.Usage.CachedTokens,
				"thought_tokens": judgeUsage.ThoughtsTokens + r.Usage.ThoughtsTokens,
			},
		},
	}
}

// commit writes the outcome, with the job completion, in one transaction. A charge that no longer
// fits (PT402: credits spent meanwhile) becomes the "not enough credits" answer, uncharged.
func (e *Engine) commit(ctx context.Context, tc *turnContext, out *outcome, jobID int64) (TurnResult, error) {
	res, err := e.commitOnce(ctx, tc, out, jobID)
	if isPgCode(err, "PT402") {
		action := out.charge
		if out.search != nil {
			action = out.search.costAction
		}
		e.log.InfoContext(ctx, "credits ran out during the turn", "action", action)
		r := e.agents.InsufficientCredits(tc.request(out.decision), action, tc.Costs[action])
		out2 := e.newOutcome(tc, out.decision, llm.Usage{}, "credits", r, "answered", "")
		out2.meta = out.meta
		out2.meta["agent"], out2.meta["insufficient_credits"] = "credits", action
		out2.notification = insufficientNotification(action, tc.Costs[action])
		return e.commitOnce(ctx, tc, out2, jobID)
	}
	return res, err
}

// commitOnce writes the outcome with one call of private.complete_chat_turn, which also completes
// the job; a search turn runs its search in the same transaction.
func (e *Engine) commitOnce(ctx context.Context, tc *turnContext, out *outcome, jobID int64) (TurnResult, error) {
	var res TurnResult
	write := func(q Querier) error {
		payload := map[string]any{
			"content": out.text, "status": out.status, "metadata": out.meta,
		}
		if out.charge != "" {
			payload["charge"] = out.charge
		}
		if out.upsell != nil {
			payload["upsell"] = out.upsell
		}
		if out.notification != nil {
			payload["notification"] = out.notification
		}
		if jobID != 0 {
			payload["job_id"] = jobID
		}
		raw, err := json.Marshal(payload)
		if err != nil {
			return fmt.Errorf("encoding the reply: %w", err)
		}
		var result []byte
		if err := q.QueryRow(ctx, "select private.complete_chat_turn($1::uuid, $2::jsonb)", tc.Message.ID, string(raw)).Scan(&result); err != nil {
			return fmt.Errorf("completing turn %s: %w", tc.Message.ID, err)
		}
		var r struct {
			ReplyID   string `json:"reply_id"`
			Duplicate bool   `json:"duplicate"`
			Charged   bool   `json:"charged"`
		}
		if err := json.Unmarshal(result, &r); err != nil {
			return fmt.Errorf("decoding the turn result: %w", err)
		}
		res = TurnResult{ReplyID: r.ReplyID, Duplicate: r.Duplicate, Charged: r.Charged}
		if r.Duplicate {
			return errDuplicate // roll back: a search replayed here must not be recorded twice
		}
		return nil
	}
	var err error
	if out.search == nil {
		err = write(e.pool) // one statement, one transaction: a single round trip
	} else {
		err = pgx.BeginFunc(ctx, e.pool, func(tx pgx.Tx) error {
			if err := e.runSearch(ctx, tx, tc, out); err != nil {
				return err
			}
			return write(tx)
		})
	}
	if errors.Is(err, errDuplicate) {
		return res, nil
	}
	return res, err
}

// errModelFellBack marks a model call whose answer was replaced by the offline one.
var errModelFellBack = errors.New("chat: model call failed; offline answer used")

// observeLLM records a model call's tokens and duration in the metrics when one was made (u.Attempts
// > 0). A call whose answer was replaced by the offline one (fellBack) counts as a failed gemini call
// plus an offline stand-in, so the metrics show how often the fallback answered.
func (e *Engine) observeLLM(u llm.Usage, fellBack bool) {
	if e.metrics == nil || u.Attempts == 0 {
		return
	}
	var err error
	if fellBack {
		err = errModelFellBack
	}
	e.metrics.ObserveLLMCall(u.Model, judge.ModeGemini, u.Duration, u.PromptTokens, u.OutputTokens+u.ThoughtsTokens, err)
	if fellBack {
		e.metrics.ObserveLLMCall(u.Model, judge.ModeOffline, 0, 0, 0, nil)
	}
}

var errDuplicate = errors.New("chat: turn already answered")

func isPgCode(err error, code string) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == code
}

func insufficientNotification(action string, needed int) map[string]any {
	return map[string]any{"kind": "insufficient_credits", "action": action, "needed": needed}
}

package judge

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// Offline is the deterministic judge: no network, microseconds per message. It runs the guards,
// then scores every intent with weighted English/Spanish patterns, the conversation context (a
// "yes" after the assistant offered a search, an edit request after a draft, an answer to the
// assistant's question about the project) and the facts the message states, and extracts those
// facts. It is safe for concurrent use.
type Offline struct {
	cfg    Config
	guards *Guards
}

var _ Judge = (*Offline)(nil)

// NewOffline builds an offline judge with cfg (use DefaultConfig()).
func NewOffline(cfg Config) (*Offline, error) {
	g, err := NewGuards(cfg)
	if err != nil {
		return nil, fmt.Errorf("judge: new offline judge: %w", err)
	}
	return &Offline{cfg: cfg, guards: g}, nil
}

// Guards returns the judge's guards, so a model-backed judge can share them.
func (o *Offline) Guards() *Guards { return o.guards }

// Decide judges one message. It fails only when ctx is done.
func (o *Offline) Decide(ctx context.Context, in Input) (Decision, error) {
	if err := ctx.Err(); err != nil {
		return Decision{}, fmt.Errorf("judge: offline decide: %w", err)
	}
	text := strings.ToValidUTF8(in.Text, "\uFFFD")
	toks := tokenize(text)
	d, settled := o.guards.check(in, text, toks)
	if settled {
		return d, nil
	}
	return o.decide(in, text, toks, d), nil
}

// decide classifies a message the guards let through; pre carries their language and soft signals.
func (o *Offline) decide(in Input, text string, toks []token, pre Decision) Decision {
	all := extractFactsTokens(text, toks, o.cfg)
	sc, reasons := classify(in, text, toks, all)
	intent, best, second := sc.top()
	conf := confidence(best, second)
	if best < 0.5 {
		// Nothing matched: short messages are chat, longer ones go to the mentor, who can ask.
		intent, conf = IntentMentor, 0.3
		if len(toks) <= 3 {
			intent, conf = IntentSmalltalk, 0.35
		}
		reasons = append(reasons, "fallback")
	}
	d := Decision{
		Intent:     intent,
		Confidence: round3(math.Min(math.Max(conf, 0.05), 0.99)),
		Language:   pre.Language,
		SpamScore:  pre.SpamScore,
		Reasons:    append(append([]string(nil), pre.Reasons...), reasons...),
		Mode:       ModeOffline,
	}
	switch intent {
	case IntentProjectUpdate:
		d.Facts = all
	case IntentSearchInvestors, IntentMentor:
		// Only what the founder says about "we/our/my": "seed fintech investors in Germany" is a
		// search filter, not the startup's facts.
		if own := selfClauses(text); own != "" {
			d.Facts = extractFacts(own, o.cfg)
		}
	}
	return d
}

// confidence maps the best and runner-up scores to [0,1]: the margin (1 when nothing competes,
// 0.5 on a tie) times the strength of the evidence (best/(best+0.75): one weak cue is not enough).
func confidence(best, second float64) float64 {
	if best <= 0 {
		return 0
	}
	margin := 0.5 + 0.5*(best-second)/best
	return margin * best / (best + 0.75)
}

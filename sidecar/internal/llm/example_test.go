package llm_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zerobullshit/backend/sidecar/internal/llm"
	"github.com/zerobullshit/backend/sidecar/internal/llm/llmtest"
)

func Example() {
	fake := llmtest.New() // tests and examples only: production leaves BaseURL empty
	defer fake.Close()
	fake.Enqueue(
		llmtest.JSON(map[string]any{"intent": "search_investors", "confidence": 0.9}),
		llmtest.RateLimited(0), // the stream is retried once
		llmtest.Chunks("Here are ", "three angels."),
	)

	ctx := context.Background()
	c, err := llm.New(ctx, llm.Config{APIKey: llmtest.APIKey, BaseURL: fake.URL, RetryBaseDelay: time.Millisecond})
	if err != nil {
		fmt.Println(err)
		return
	}

	msg := "find me angels in fintech"
	var judge struct {
		Intent     string  `json:"intent"`
		Confidence float64 `json:"confidence"`
	}
	schema := &llm.Schema{
		Type: llm.TypeObject,
		Properties: map[string]*llm.Schema{
			"intent":     {Type: llm.TypeString, Enum: []string{"search_investors", "mentor", "spam"}},
			"confidence": {Type: llm.TypeNumber},
		},
		Required: []string{"intent", "confidence"},
	}
	_, err = c.GenerateJSON(ctx, llm.Request{
		System:   "Classify the message.\n" + llm.UserTextRule,
		Messages: []llm.Message{{Role: llm.RoleUser, Text: llm.QuoteUserText(msg)}},
		Model:    llm.DefaultFastModel,
	}, schema, &judge)
	if err != nil {
		fmt.Println(fmt.Errorf("generating judge decision: %w", err))
		return
	}
	fmt.Println(judge.Intent, judge.Confidence)

	res, err := c.Stream(ctx, llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Text: msg}}},
		func(delta string) error { fmt.Printf("delta %q\n", delta); return nil })
	switch {
	case errors.Is(err, llm.ErrBlocked):
		fmt.Println("blocked: answer with the offline template")
	case err != nil:
		fmt.Println("failed:", err)
	default:
		fmt.Println(res.Text, res.FinishReason, res.Usage.Attempts)
	}
	// Output:
	// search_investors 0.9
	// delta "Here are "
	// delta "three angels."
	// Here are three angels. STOP 2
}
